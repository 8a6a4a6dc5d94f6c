//! The check workflow (.github/workflows/oncall-check.yml) and the
//! action's check step, run as written: annotations on the line and a
//! preview of the schedule, for one rotation and for every rotation a
//! shared calendar's change touches.

use super::{Runner, TEAM, env_of, git, load, organisation, step};
use serde_json::Value;
use std::collections::BTreeMap;

/// The values of the action's check step (`env:` keys already checked):
/// the base commit, the binary, and the `config` and `log` inputs' defaults.
fn check_env(env: &mut BTreeMap<String, String>, action: &Value, runner: &Runner, base: String) {
    env.insert("BASE_SHA".into(), base);
    env.insert(
        "ONCALL_BIN".into(),
        runner.path("target/release/oncall").display().to_string(),
    );
    for (input, var) in [("config", "ONCALL_CONFIG"), ("log", "ONCALL_LOG")] {
        env.insert(
            var.into(),
            action["inputs"][input]["default"].as_str().unwrap().into(),
        );
    }
}

#[test]
fn the_check_workflow_annotates_and_previews_as_written() {
    let wf = load(".github/workflows/oncall-check.yml");
    let steps = &wf["jobs"]["check"]["steps"];
    assert_eq!(
        wf["on"]["pull_request"]["paths"],
        serde_json::json!([
            "rotation.yaml",
            "oncall-log.md",
            "rotations/**",
            "calendars/**"
        ])
    );
    assert!(wf["on"].get("pull_request_target").is_none());
    assert_eq!(
        wf["jobs"]["check"]["permissions"],
        serde_json::json!({ "contents": "read" })
    );
    // The workflow runs this repository's action with `command: check`.
    let uses = step(steps, "Check rotation.yaml and the log");
    assert_eq!(uses["uses"], "./");
    assert_eq!(uses["with"]["command"], "check");

    let action = load("action.yml");
    let check = step(&action["runs"]["steps"], "check");
    assert_eq!(check["if"], "inputs.command == 'check'");
    let script = check["run"].as_str().unwrap();
    let mut env = env_of(check);
    assert_eq!(
        env.keys().collect::<Vec<_>>(),
        ["BASE_SHA", "ONCALL_BIN", "ONCALL_CONFIG", "ONCALL_LOG"]
    );
    let runner = Runner::new();
    let dir = runner.dir.path();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join("rotation.yaml"), TEAM).unwrap();
    git(dir, &["add", "rotation.yaml"]);
    git(dir, &["commit", "-qm", "base"]);
    let base = git(dir, &["rev-parse", "HEAD"]);
    // The pull request swaps the order and adds an override.
    let changed = TEAM.replace(
        "  - { github: ana, slack: U0WORKFL01 }\n  - { github: ben }\n",
        "  - { github: ben }\n  - { github: ana, slack: U0WORKFL01 }\n",
    );
    std::fs::write(dir.join("rotation.yaml"), &changed).unwrap();
    check_env(&mut env, &action, &runner, base);
    let out = runner.run(script, &env, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = runner.read("summary.md");
    assert!(summary.contains("## Schedule preview"), "{summary}");
    assert!(summary.contains("| changed |"), "{summary}");

    // A broken rotation: annotations on the line, the step fails, and the
    // preview still says what it can.
    std::fs::write(
        dir.join("rotation.yaml"),
        TEAM.replace("timezone: Europe/Berlin", "timezone: Europe/Berlni"),
    )
    .unwrap();
    let out = runner.run(script, &env, None);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("::error file=rotation.yaml,line=2,col=11,title=oncall check%3A rotation.yaml::unknown time zone \"Europe/Berlni\""), "{stdout}");
}

/// The roster check of an organisation's pull request, as the action's
/// step is written: a change to the shared calendar is previewed for both
/// rotations that include it (and not for the third), and a broken
/// calendar is annotated on its own line.
#[test]
fn the_check_previews_every_rotation_a_calendar_change_touches() {
    let action = load("action.yml");
    let check = step(&action["runs"]["steps"], "check");
    let script = check["run"].as_str().unwrap();
    let runner = Runner::new();
    let dir = runner.dir.path();
    git(dir, &["init", "-q"]);
    for (p, t) in organisation() {
        let path = dir.join(&p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
    git(dir, &["add", "calendars", "rotations"]);
    git(dir, &["commit", "-qm", "base"]);
    let base = git(dir, &["rev-parse", "HEAD"]);
    let calendar = dir.join("calendars/berlin.yaml");
    let text = std::fs::read_to_string(&calendar).unwrap();
    std::fs::write(
        &calendar,
        format!("{text}  - {{ date: 2026-11-25, name: Team day }}\n"),
    )
    .unwrap();
    let mut env = env_of(check);
    check_env(&mut env, &action, &runner, base);
    let out = runner.run(script, &env, None);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = runner.read("summary.md");
    assert!(summary.contains("### Rotation `platform`"), "{summary}");
    assert!(summary.contains("### Rotation `sre`"), "{summary}");
    assert!(!summary.contains("### Rotation `db`"), "{summary}");
    assert!(
        summary.contains(
            "| 2026-11-25 | Wed | ~~Cara Example (`@cara`)~~ | ***holiday: Team day*** | changed |"
        ),
        "{summary}"
    );
    // The base tree was unpacked outside the checkout.
    assert!(!dir.join("oncall-base").exists());

    // A broken calendar: annotated on its line; the step fails.
    std::fs::write(&calendar, format!("{text}  - 2026-02-30\n")).unwrap();
    std::fs::remove_file(runner.path("summary.md")).unwrap();
    let out = runner.run(script, &env, None);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=calendars/berlin.yaml,line=9,col=5,"),
        "{stdout}"
    );
    let summary = runner.read("summary.md");
    assert!(
        summary.contains("Not previewed: rotations/sre/rotation.yaml has problems"),
        "{summary}"
    );
}
