//! `oncall init` in an empty Git repository: what it writes (pinned to the
//! release tag's commit), then check and a dry run; a second init, a
//! missing flag without a terminal and wrong answers write nothing; on a
//! terminal it asks.

use super::{NOW, TAG_COMMIT, git_repo, oncall, snapshot};
use crate::support::validators;

const INIT: [&str; 7] = [
    "init",
    "--team",
    "Platform SRE",
    "--member",
    "demo-ana:U0AAAA0001",
    "--member",
    "demo-ben",
];

#[test]
fn init_in_an_empty_repository_then_check_and_a_dry_run_work() {
    let repo = git_repo();
    let dir = repo.path();
    let out = oncall(dir, NOW)
        .args(INIT)
        .args(["--member", "demo-cara"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for f in [
        "rotation.yaml",
        "oncall-log.md",
        ".github/workflows/oncall.yml",
        ".github/workflows/oncall-check.yml",
    ] {
        assert!(dir.join(f).is_file(), "{f} not written");
        assert!(stdout.contains(&format!("wrote {f}")), "{stdout}");
    }
    // The steps left: the secret, the setting, the first dry run.
    for step in [
        "SLACK_WEBHOOK_URL",
        "Allow GitHub Actions to create and approve pull requests",
        "dry_run",
    ] {
        assert!(stdout.contains(step), "{step:?} not in {stdout}");
    }
    let rotation = std::fs::read_to_string(dir.join("rotation.yaml")).unwrap();
    // The machine's zone, the next working day, the members in order.
    assert!(
        rotation.contains("timezone: \"Europe/Berlin\""),
        "{rotation}"
    );
    assert!(rotation.contains("start: 2026-11-30\n"), "{rotation}");
    assert!(rotation.contains(
        "  - github: demo-ana\n    slack: U0AAAA0001\n  - github: demo-ben\n  - github: demo-cara\n"
    ));
    // New repositories archive the log yearly (README, "The on-call log"),
    // and the check runs on a change to an archive.
    assert!(
        rotation.ends_with("log: { archive: yearly }\n"),
        "{rotation}"
    );
    let check_wf = std::fs::read_to_string(dir.join(".github/workflows/oncall-check.yml")).unwrap();
    assert!(
        check_wf.contains("      - \"log/**\" # the log's yearly archives"),
        "{check_wf}"
    );
    // The workflows use this binary's release, pinned to the commit its
    // tag points at (the one whose action/digests.txt names the archives).
    let daily = std::fs::read_to_string(dir.join(".github/workflows/oncall.yml")).unwrap();
    let check = std::fs::read_to_string(dir.join(".github/workflows/oncall-check.yml")).unwrap();
    // Every use of the action (the list and the handover job, the check).
    let uses: Vec<&str> = [daily.as_str(), check.as_str()]
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|l| l.trim().trim_start_matches("- ").strip_prefix("uses: "))
        .filter(|u| !u.starts_with("actions/checkout@"))
        .collect();
    let pinned = format!(
        "{}@{TAG_COMMIT} # v{}",
        env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/"),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(uses, [pinned.as_str(); 3]);
    assert!(
        daily.contains("      timezone: \"Europe/Berlin\"\n"),
        "{daily}"
    );
    // Only the list job checks out (to list the rotations); the handover
    // job reads the rotation's files from GitHub.
    let wf: serde_json::Value = serde_saphyr::from_str(&daily).unwrap();
    let checkouts = |job: &str| {
        wf["jobs"][job]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/checkout@"))
            })
            .count()
    };
    assert_eq!((checkouts("rotations"), checkouts("handover")), (1, 0));

    let check = oncall(dir, NOW).arg("check").output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // At once (before the first day) and on the first day.
    for now in [NOW, "2026-11-30T08:00:00Z"] {
        let dry = oncall(dir, now)
            .args(["advance", "--dry-run"])
            .output()
            .unwrap();
        assert!(
            dry.status.success(),
            "{}",
            String::from_utf8_lossy(&dry.stderr)
        );
    }
    let dry = oncall(dir, "2026-11-30T08:00:00Z")
        .args(["advance", "--dry-run"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&dry.stdout).contains("on call:        @demo-ana"));

    validators::github_workflows(dir).unwrap();
    validators::rotation_schema(&[&dir.join("rotation.yaml")]).unwrap();
}

#[test]
fn a_second_init_refuses_and_writes_nothing() {
    let repo = git_repo();
    let dir = repo.path();
    assert!(
        oncall(dir, NOW)
            .args(INIT)
            .output()
            .unwrap()
            .status
            .success()
    );
    std::fs::write(dir.join("oncall-log.md"), "# my log, edited\n").unwrap();
    let before = snapshot(dir);
    let out = oncall(dir, NOW)
        .args(["init", "--team", "Other", "--member", "demo-zed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rotation.yaml, oncall-log.md, .github/workflows/oncall.yml, .github/workflows/oncall-check.yml, .github/workflows/oncall-moved.yml already exist; nothing was written. Run with --force"),
        "{stderr}"
    );
    assert_eq!(snapshot(dir), before);

    // One existing file is enough to refuse them all.
    let repo = git_repo();
    let dir = repo.path();
    std::fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    std::fs::write(dir.join(".github/workflows/oncall.yml"), "mine\n").unwrap();
    let out = oncall(dir, NOW).args(INIT).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(".github/workflows/oncall.yml already exists; nothing was written")
    );
    assert!(!dir.join("rotation.yaml").exists());

    // --force overwrites.
    let out = oncall(dir, NOW).args(INIT).arg("--force").output().unwrap();
    assert!(out.status.success());
    assert_ne!(
        std::fs::read_to_string(dir.join(".github/workflows/oncall.yml")).unwrap(),
        "mine\n"
    );
}

#[test]
fn init_without_a_terminal_names_the_missing_flags() {
    let repo = git_repo();
    let out = oncall(repo.path(), NOW)
        .args(["init", "--timezone", "UTC"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("oncall init needs --team NAME and --member LOGIN[:SLACK_ID] (once per member): give them as flags, or run it in a terminal to be asked; nothing was written"),
        "{stderr}"
    );
    assert!(snapshot(repo.path()).is_empty());
}

#[test]
fn init_checks_the_answers_like_any_rotation_and_writes_nothing_when_wrong() {
    let repo = git_repo();
    let out = oncall(repo.path(), NOW)
        .args([
            "init",
            "--team",
            "T",
            "--member",
            "not_a_login",
            "--member",
            "demo-b:nope",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rotation.yaml (from your answers; nothing was written):"),
        "{stderr}"
    );
    assert!(stderr.contains("not_a_login"), "{stderr}");
    assert!(stderr.contains("nope"), "{stderr}");
    assert!(snapshot(repo.path()).is_empty());

    let out = oncall(repo.path(), NOW)
        .args([
            "init",
            "--team",
            "T",
            "--member",
            "demo-a",
            "--timezone",
            "Europe/Berlni",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("\"Europe/Berlni\" is not an IANA time zone")
    );
    let out = oncall(repo.path(), NOW)
        .args([
            "init",
            "--team",
            "T",
            "--member",
            "demo-a",
            "--action",
            "evil@v1\nrun: x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(snapshot(repo.path()).is_empty());
}

/// On a terminal, `init` asks for what the flags do not say (run under
/// `script`, which gives it a terminal).
#[test]
fn init_on_a_terminal_asks() {
    let repo = git_repo();
    let bin = assert_cmd::cargo::cargo_bin("oncall");
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("'{}' init", bin.display()), "/dev/null"])
        .current_dir(repo.path())
        .env("ONCALL_NOW", NOW)
        .env("TZ", "Asia/Tokyo")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"Tokyo SRE\n\ndemo-ana demo-ben:U0AAAA0002\n2026-12-01\n")?;
            child.wait_with_output()
        })
        .expect("script(1) from util-linux runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    for q in [
        "Team name:",
        "Time zone (IANA, e.g. Europe/Berlin) [Asia/Tokyo]:",
        "Members in rotation order",
        "First day (YYYY-MM-DD) [the next working day]:",
    ] {
        assert!(stdout.contains(q), "{q:?} not asked: {stdout}");
    }
    let rotation = std::fs::read_to_string(repo.path().join("rotation.yaml")).unwrap();
    assert!(rotation.contains("team: \"Tokyo SRE\"\n"));
    assert!(rotation.contains("timezone: \"Asia/Tokyo\"\n"));
    assert!(rotation.contains("start: 2026-12-01\n"));
    assert!(rotation.contains("  - github: demo-ben\n    slack: U0AAAA0002\n"));
}

#[test]
fn without_an_answer_from_github_init_uses_the_tag_and_says_how_to_pin_it() {
    let repo = git_repo();
    let dir = repo.path();
    let out = oncall(dir, NOW)
        // Nothing listens there: the lookup of the tag's commit fails.
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .args(INIT)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let version = env!("CARGO_PKG_VERSION");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("the workflows use the tag v{version}"))
            && stderr.contains(&format!("refs/tags/v{version}")),
        "{stderr}"
    );
    let daily = std::fs::read_to_string(dir.join(".github/workflows/oncall.yml")).unwrap();
    assert!(daily.contains(&format!("@v{version}\n")), "{daily}");
}
