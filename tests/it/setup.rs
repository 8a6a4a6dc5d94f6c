//! Adoption: `oncall init` in an empty Git repository, and `oncall import
//! slack-first` of the Operate First bot's real config (a fixture: nothing
//! here contacts or requests reviews from the people in it; no test of
//! this file starts a network server or has a token).

use crate::support;

use assert_cmd::Command;
use chrono::{Datelike, NaiveDate};
use std::path::Path;
use support::validators;

/// Friday morning in Berlin: the next working day is Monday 2026-11-30.
pub(crate) const NOW: &str = "2026-11-27T08:00:00Z";
/// The bot's real config (a copy of the public file; real people: a fixture
/// only, never contacted).
pub(crate) const FIXTURE: &str = "tests/fixtures/slack-first/config.yaml";

/// The commit the fake GitHub's tag `vX.Y.Z` (this version) points at:
/// the commit `oncall init` pins the workflows to.
const TAG_COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

/// A fake GitHub that holds this version's release tag.
fn releases() -> &'static support::fake_github::FakeGitHub {
    static FAKE: std::sync::OnceLock<support::fake_github::FakeGitHub> = std::sync::OnceLock::new();
    FAKE.get_or_init(|| {
        let f = support::fake_github::FakeGitHub::start(&[]);
        f.with(|s| {
            s.refs.insert(
                format!("refs/tags/v{}", env!("CARGO_PKG_VERSION")),
                TAG_COMMIT.to_owned(),
            )
        });
        f
    })
}

pub(crate) fn oncall(dir: &Path, now: &str) -> Command {
    let mut c = Command::cargo_bin("oncall").unwrap();
    c.current_dir(dir)
        .env("GITHUB_API_URL", &releases().url)
        .env_remove("GITHUB_TOKEN")
        .env_remove("SLACK_WEBHOOK_URL")
        .env_remove("GITHUB_ACTIONS")
        .env("ONCALL_NOW", now)
        .env("TZ", "Europe/Berlin");
    c
}

pub(crate) fn git_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    dir
}

/// Every file under `dir` (but .git), with its content.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.ends_with(".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    files
}

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
        stderr.contains("rotation.yaml, oncall-log.md, .github/workflows/oncall.yml, .github/workflows/oncall-check.yml already exist; nothing was written. Run with --force"),
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

// ---- import from the slack-first bot -------------------------------------

/// The fixture's list, in its order (read here independently of the
/// importer, with a plain YAML parse).
pub(crate) fn fixture_members() -> Vec<String> {
    let v: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    v["onCall"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["github"].as_str().unwrap().to_owned())
        .collect()
}

/// Whom the bot names on `d`: members[getDayOfYear(d) % n], day 1 being
/// 1 January.
pub(crate) fn bot_daily(members: &[String], d: NaiveDate) -> &str {
    &members[d.ordinal() as usize % members.len()]
}

pub(crate) fn import(dir: &Path, date: &str, extra: &[&str]) -> std::process::Output {
    oncall(dir, &format!("{date}T08:00:00Z"))
        .args(["import", "slack-first"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .args(["--timezone", "Europe/Berlin", "--team", "Imported SRE"])
        .args(extra)
        .output()
        .unwrap()
}

pub(crate) fn who(dir: &Path, date: NaiveDate) -> String {
    let out = oncall(dir, &format!("{date}T08:00:00Z"))
        .args(["who", &date.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// For switch days across the year (day-of-year 0 to 7 mod 8, the first
/// of the year, a Friday), `oncall who` names the member the old bot names
/// that day, and the rest of the bot's pass follows in its order on the
/// working days after. A switch on a Saturday starts on Monday, with the
/// bot's Monday pick.
#[test]
fn the_import_keeps_the_bots_pick_and_the_rest_of_its_pass() {
    let members = fixture_members();
    assert_eq!(members.len(), 8);
    let days: Vec<NaiveDate> = [
        "2026-12-02",
        "2026-12-03",
        "2026-12-04",
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-14",
        "2026-12-21",
        "2027-01-01",
        "2026-03-13",
        "2026-12-05",
    ]
    .iter()
    .map(|d| d.parse().unwrap())
    .collect();
    let mut picks = std::collections::BTreeSet::new();
    for switch in days {
        let repo = git_repo();
        let dir = repo.path();
        let out = import(dir, &switch.to_string(), &[]);
        let day = match switch.weekday() {
            chrono::Weekday::Sat => switch + chrono::Duration::days(2),
            chrono::Weekday::Sun => switch + chrono::Duration::days(1),
            _ => switch,
        };
        assert!(
            out.status.success(),
            "{day}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pick = bot_daily(&members, day);
        picks.insert(pick.to_owned());
        assert_eq!(who(dir, day), format!("{day}: @{pick}"), "switch on {day}");
        // The rest of the bot's pass: its order from the pick to the end
        // of the list, one working day each.
        let k = members.iter().position(|m| m == pick).unwrap();
        let out = oncall(dir, &format!("{day}T08:00:00Z"))
            .args([
                "schedule",
                "--working-days",
                &(members.len() - k).to_string(),
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["github"].as_str().unwrap())
            .collect();
        assert_eq!(
            got,
            members[k..].iter().map(String::as_str).collect::<Vec<_>>(),
            "{day}"
        );
        let check = oncall(dir, &format!("{day}T08:00:00Z"))
            .arg("check")
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{day}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        validators::rotation_schema(&[&dir.join("rotation.yaml")]).unwrap();
    }
    assert!(
        picks.len() >= 8,
        "every position of the list is tried: {picks:?}"
    );
}

#[test]
fn the_import_keeps_ids_order_and_says_what_changes() {
    let repo = git_repo();
    let dir = repo.path();
    let out = import(dir, "2026-12-08", &[]);
    assert!(out.status.success());
    let rotation = std::fs::read_to_string(dir.join("rotation.yaml")).unwrap();
    // Members in the bot's order, with their Slack IDs, from whom the bot
    // names on the switch day (day 342 of 2026: 342 % 8 = 6) round to the
    // one before.
    let fixture: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    let list = fixture["onCall"]["members"].as_array().unwrap();
    let listed: String = list[6..]
        .iter()
        .chain(&list[..6])
        .map(|m| {
            format!(
                "  - github: {}\n    slack: {}\n",
                m["github"].as_str().unwrap(),
                m["slack"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        rotation.contains(&format!("members:\n{listed}")),
        "{rotation}"
    );
    for says in [
        "# - Weekends and holidays no longer count",
        "# - Adding or removing someone no longer moves everyone",
        "# - When everyone on the list has served, the list is shuffled",
        "# - support channel C01RMPVUUK1",
        "# - labels the bot routed to the on-call engineer: kind/question",
        "# - repositories the bot worked in: operate-first/apps, operate-first/support, operate-first/SRE",
    ] {
        assert!(rotation.contains(says), "{says:?} not in\n{rotation}");
    }
    // Then the workflows, beside the imported file.
    let out = oncall(dir, "2026-12-08T08:00:00Z")
        .args(["init", "--workflows-only"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    validators::github_workflows(dir).unwrap();
    // A second import refuses.
    let before = snapshot(dir);
    let out = import(dir, "2026-12-08", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(snapshot(dir), before);
}

/// The bot's other layout: the list in its own file (ON_CALL_MEMBERS_CONFIG),
/// and the weekly schedule (date-fns getWeek: weeks from Sunday, week 1
/// holds 1 January).
#[test]
fn the_import_reads_a_separate_members_file_and_the_weekly_schedule() {
    let members = fixture_members();
    let repo = git_repo();
    let dir = repo.path();
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    let (head, rest) = fixture.split_once("  members:\n").unwrap();
    let (list, tail) = rest.split_once("github:\n  issues:").unwrap();
    let config = format!(
        "{}{}",
        head.replace("schedule: daily", "schedule: weekly"),
        format_args!("github:\n  issues:{tail}")
    );
    let list: String = list.lines().map(|l| format!("{}\n", &l[4..])).collect();
    std::fs::write(dir.join("bot.yaml"), &config).unwrap();
    std::fs::write(dir.join("members.yaml"), &list).unwrap();
    // 2026-12-08 is in week 50 (weeks from Sunday 2025-12-28).
    let day: NaiveDate = "2026-12-08".parse().unwrap();
    let out = oncall(dir, "2026-12-08T08:00:00Z")
        .args([
            "import",
            "slack-first",
            "bot.yaml",
            "--members",
            "members.yaml",
            "--timezone",
            "UTC",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(who(dir, day), format!("{day}: @{}", members[50 % 8]));
    let rotation = std::fs::read_to_string(dir.join("rotation.yaml")).unwrap();
    assert!(rotation.contains("# - The bot handed over weekly"));

    // Both lists at once: the bot refused that, and so does the import.
    let repo = git_repo();
    std::fs::write(repo.path().join("members.yaml"), &list).unwrap();
    let out = oncall(repo.path(), NOW)
        .args(["import", "slack-first"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .args(["--members", "members.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("config.yaml:10:5: error: `onCall.members` is here and a members file (members.yaml) was given too"), "{stderr}");
    assert!(stderr.contains("give the members in one place"), "{stderr}");
    assert!(!repo.path().join("rotation.yaml").exists());
}

#[test]
fn a_broken_bot_config_is_refused_with_its_position() {
    let repo = git_repo();
    let dir = repo.path();
    std::fs::write(
        dir.join("bot.yaml"),
        "onCall:\n  schedule: hourly\n  members:\n    - { slack: U0AAAA0001, github: demo-a }\n",
    )
    .unwrap();
    let out = oncall(dir, NOW)
        .args(["import", "slack-first", "bot.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bot.yaml:2:13: error: `onCall.schedule` is \"hourly\""),
        "{stderr}"
    );
    std::fs::write(
        dir.join("bot.yaml"),
        "onCall:\n  schedule: daily\n  members: [ {slack: U1\n",
    )
    .unwrap();
    let out = oncall(dir, NOW)
        .args(["import", "slack-first", "bot.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bot.yaml:"));
    assert!(snapshot(dir).iter().all(|(p, _)| p.ends_with("bot.yaml")));
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
