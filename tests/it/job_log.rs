//! The job's log in GitHub Actions: the runner reads a printed line that
//! starts with `::` (after its spaces) as a workflow command, and `##[`
//! anywhere in a line as one (the legacy form), comparing as .NET does,
//! culture-sensitively (zero-width characters do not count). Every command,
//! run with GITHUB_ACTIONS=true on hostile input (text that mimics
//! workflow commands in every free-text field, in the log, in a rotation
//! directory's name, in an argument, in a broken file), prints on stdout
//! and stderr no line that could be one, except the workflow commands
//! `oncall` builds on purpose (docs/security.md, "The job's log").

use crate::support;

use std::path::Path;
use support::fake_github::FakeGitHub;
use support::repo::Repo;

/// Text that would be workflow commands, in every form the runner reads.
const H: &str = "::error title=Forged::x ##[error title=Forged]x #\u{200B}#[warning]y";

/// The workflow commands `oncall` builds on purpose (`grep -rn '"::'
/// src crates/core/src`): annotations (`actions::annotations`) and masks
/// (`main.rs`).
const OURS: [&str; 3] = ["::error file=", "::warning file=", "::add-mask::"];

/// Every printed line is one of ours, or nothing the runner would run.
fn no_forged_command(what: &str, out: &std::process::Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        // The runner's lines end with LF, CR or CRLF.
        for line in text.split(['\n', '\r']) {
            if OURS.iter().any(|ours| line.starts_with(ours)) {
                continue;
            }
            // As the runner's comparison sees it.
            let seen: String = line
                .chars()
                .filter(|c| !oncall_core::escape::is_default_ignorable(*c))
                .collect();
            assert!(
                !seen.contains("##[") && !seen.trim_start().starts_with("::"),
                "{what}: {stream} has a line the runner would read as a workflow command: {line:?}"
            );
        }
    }
}

/// Runs `oncall ARGS` in `dir` as in GitHub Actions; checks its output.
fn run(dir: &Path, args: &[&str], envs: &[(&str, String)]) -> std::process::Output {
    let mut cmd = assert_cmd::Command::cargo_bin("oncall").unwrap();
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ONCALL_NOW", NOW)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .env("GITHUB_OUTPUT", dir.join("output.txt"))
        .env(
            "SLACK_WEBHOOK_URL",
            "https://hooks.slack.com/services/T0/B0/secret0secret",
        )
        .args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    no_forged_command(&format!("oncall {args:?}"), &out);
    out
}

const NOW: &str = "2026-11-25T09:00:00Z";

/// rotation.yaml with `H` in every free-text field, a calendar with it in
/// a holiday's name.
fn hostile_rotation() -> String {
    let q = serde_json::to_string(H).unwrap();
    format!(
        "team: {q}\ntimezone: Europe/Berlin\nstart: 2026-11-23\nholidays:\n  - include: calendars/h.yaml\n  - {{ date: 2026-12-25, name: {q} }}\nmembers:\n  - {{ github: ana, name: {q}, slack: U0HOSTILE1 }}\n  - {{ github: ben, name: {q}, away: [{{ from: 2026-11-24, to: 2026-11-24, reason: {q} }}] }}\n  - {{ github: cai, name: {q} }}\noverrides:\n  - {{ date: 2026-11-25, github: ana, reason: {q} }}\nduties:\n  - {q}\nrouting:\n  labels: [{q}]\n"
    )
}

fn hostile_repo() -> Repo {
    let repo = Repo::with(&hostile_rotation(), None);
    std::fs::create_dir_all(repo.path("calendars")).unwrap();
    std::fs::write(
        repo.path("calendars/h.yaml"),
        format!(
            "holidays:\n  - {{ date: 2026-12-24, name: {} }}\n",
            serde_json::to_string(H).unwrap()
        ),
    )
    .unwrap();
    // Two days handed over, then topics in the log that mimic commands at
    // the start of a line and inside one.
    let out = run(repo.dir.path(), &["advance", "--date", "2026-11-24"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = repo.read("oncall-log.md").replace(
        "\n### Topics\n",
        &format!("\n### Topics\n\n{H}\n::warning::from the log\n- [ ] {H}\n- [ ] runbook: {H}\n"),
    );
    std::fs::write(repo.path("oncall-log.md"), log).unwrap();
    repo
}

#[test]
fn no_command_prints_a_forged_workflow_command_in_actions() {
    let repo = hostile_repo();
    let dir = repo.dir.path();
    let base = tempfile::tempdir().unwrap();
    for f in ["rotation.yaml", "oncall-log.md"] {
        std::fs::copy(dir.join(f), base.path().join(f)).unwrap();
    }
    std::fs::create_dir_all(base.path().join("calendars")).unwrap();
    std::fs::copy(
        dir.join("calendars/h.yaml"),
        base.path().join("calendars/h.yaml"),
    )
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    let base_arg = base.path().to_str().unwrap().to_owned();
    let site_arg = site.path().to_str().unwrap().to_owned();
    let commands: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["check"],
        vec!["check", "--format", "github"],
        vec!["who"],
        vec!["who", "2026-11-24"],
        vec!["schedule", "--from", "2026-11-23"],
        vec!["schedule", "--from", "2026-11-23", "--format", "json"],
        vec!["schedule", "--from", "2026-11-23", "--format", "ics"],
        vec!["schedule", "--compare", "rotation.yaml"],
        vec!["stats"],
        vec!["open"],
        vec!["runbooks"],
        vec!["site", "--out", &site_arg],
        vec!["preview", "--base", &base_arg],
        vec!["advance", "--dry-run"],
        vec!["advance", "--dry-run", "--slack"],
        vec!["swap", "2026-11-26", "2026-11-27", "--reason", H],
        vec!["advance"],
        vec!["leave", "cai"],
        vec!["schema"],
        vec!["schema", "--calendar"],
        // Arguments echoed in errors: clap's, and the program's.
        vec!["who", H],
        vec![H],
        vec!["--rotation", H, "who"],
        vec!["--config", H, "check"],
        vec!["--config", "::error::forged.yaml", "who"],
        vec!["swap", "2026-11-26", "2026-11-26", "--reason", H],
        vec!["leave", H],
        vec!["schedule", "--member", H],
        vec![
            "init",
            "--team",
            H,
            "--timezone",
            "Europe/Berlin",
            "--member",
            "ana",
        ],
        vec!["--help"],
    ];
    let mut saw_hostile = false;
    for args in &commands {
        let out = run(dir, args, &[]);
        let printed = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        saw_hostile |= printed.contains("#\u{FF03}[error title=Forged]x");
    }
    assert!(
        saw_hostile,
        "the hostile text was printed (neutralised) somewhere"
    );
    // In an empty directory: init writes a rotation with the hostile team.
    let empty = tempfile::tempdir().unwrap();
    let out = run(
        empty.path(),
        &[
            "init",
            "--team",
            H,
            "--timezone",
            "Europe/Berlin",
            "--member",
            "ana",
            "--member",
            "ben",
            "--start",
            "2026-11-23",
            "--action",
            "OWNER/oncall@v1",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(empty.path(), &["who"], &[]);
    run(empty.path(), &["check", "--format", "github"], &[]);
}

/// A broken file: its problems as our annotations (which name the file
/// and quote the text) and as lines; nothing else that the runner runs.
#[test]
fn a_broken_file_prints_only_our_annotations() {
    let q = serde_json::to_string(H).unwrap();
    let broken =
        hostile_rotation().replace("timezone: Europe/Berlin", &format!("timezone: {q}\n{q}: 1"));
    let repo = Repo::with(&broken, None);
    let dir = repo.dir.path();
    let out = run(dir, &["check", "--format", "github"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=rotation.yaml,line=")),
        "{stdout}"
    );
    for args in [
        vec!["check"],
        vec!["advance"],
        vec!["advance", "--slack"],
        vec!["who"],
        vec!["schedule", "--format", "ics"],
    ] {
        let out = run(dir, &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// A rotation directory named like a command (in a fork's pull request,
/// say): every command that lists the rotations names it in its error.
#[test]
fn a_rotation_directory_named_like_a_command_is_named_inert() {
    let repo = Repo::with("", None);
    let dir = repo.dir.path();
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    for name in ["##[error title=Forged]x", "::error title=Forged::x"] {
        let rot = dir.join("rotations").join(name);
        std::fs::create_dir_all(&rot).unwrap();
        std::fs::write(rot.join("rotation.yaml"), hostile_rotation()).unwrap();
    }
    for args in [
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["check"],
        vec!["check", "--format", "github"],
        vec!["preview", "--base", "."],
        vec!["--rotation", "##[error title=Forged]x", "who"],
        vec!["--rotation", "::error title=Forged::x", "check"],
    ] {
        let out = run(dir, &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("rotations/"), "{args:?}: {stderr}");
    }
}

/// On GitHub: the handover pull request and the routing of an issue, with
/// the hostile text in every field of the default branch's rotation.yaml.
#[test]
fn the_github_commands_print_no_forged_command() {
    let gh = FakeGitHub::start(&[
        ("rotation.yaml", &hostile_rotation()),
        (
            "calendars/h.yaml",
            &format!(
                "holidays:\n  - {{ date: 2026-12-24, name: {} }}\n",
                serde_json::to_string(H).unwrap()
            ),
        ),
    ]);
    gh.with(|st| st.users = vec![("ana".into(), "U_a".into()), ("ben".into(), "U_b".into())]);
    let repo = Repo::with("", None);
    let dir = repo.dir.path();
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let env: Vec<(&str, String)> = gh
        .env()
        .into_iter()
        .chain([("ONCALL_HTTP_TIMEOUT", "2".to_owned())])
        .collect();
    let out = run(dir, &["advance", "--pr", "--dry-run"], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(dir, &["advance", "--pr"], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let event = dir.join("event.json");
    std::fs::write(
        &event,
        serde_json::json!({
            "action": "labeled",
            "label": { "name": H },
            "issue": { "number": 7, "state": "open", "node_id": "I_7" },
        })
        .to_string(),
    )
    .unwrap();
    let mut env = env;
    env.push(("GITHUB_EVENT_NAME", "issues".to_owned()));
    env.push(("GITHUB_EVENT_PATH", event.to_str().unwrap().to_owned()));
    run(dir, &["assign"], &env);
    run(dir, &["assign", "--issue", "7", "--dry-run"], &env);
}
