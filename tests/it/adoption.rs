//! A new team's first steps (issue 22): importing for a switch day ahead,
//! what `init` and `import` print (the check's warnings, the defaults
//! taken, the first handover's dry run), the questions on a terminal, what
//! `list` shows, and a GitHub that cannot be reached. The helpers are
//! setup.rs's (`oncall init` and `import` in an empty Git repository).

use crate::setup::{FIXTURE, NOW, bot_daily, fixture_members, git_repo, oncall, snapshot, who};
use crate::support;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        stdout(out),
        stderr(out)
    );
}

/// `oncall import slack-first FIXTURE --date switch`, run at `now`.
fn import_for(dir: &Path, now: &str, switch: &str, extra: &[&str]) -> Output {
    oncall(dir, now)
        .args(["import", "slack-first"])
        .arg(fixture())
        .args(["--team", "Imported SRE", "--timezone", "Europe/Berlin"])
        .args(["--date", switch])
        .args(extra)
        .output()
        .unwrap()
}

/// The first Monday-to-Friday day from `d` on.
fn weekday_from(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d + Duration::days(2),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

/// Bug 1 (and bug 8's header): the team imports on Friday 2026-11-27 for
/// a switch ahead. The file is valid at once (every daily command exits
/// 0), the switch day is `start`, cycle 1 is the bot's order from its pick
/// that day, once round, and on the day the first handover goes to the
/// bot's pick. Three switch days: the bot's pick 6 of 8 (Tuesday
/// 2026-12-08, day 342), the first of its list (Wednesday 2026-12-02, day
/// 336), and a Saturday (2026-12-05: Monday 2026-12-07, day 341). The
/// same file as an import made on the switch day itself.
#[test]
fn a_switch_ahead_is_valid_until_then_and_starts_with_the_bots_pick() {
    let members = fixture_members();
    for (switch, k) in [("2026-12-08", 6), ("2026-12-02", 0), ("2026-12-05", 5)] {
        let repo = git_repo();
        let dir = repo.path();
        ok(&import_for(dir, NOW, switch, &[]), switch);
        let day = weekday_from(switch.parse().unwrap());
        let pick = bot_daily(&members, day);
        assert_eq!(pick, members[k], "{switch}");
        let rotation = std::fs::read_to_string(dir.join("rotation.yaml")).unwrap();
        assert!(
            rotation.contains(&format!("\nstart: {day}\n")),
            "{rotation}"
        );
        assert!(!rotation.contains("\nstate:"), "{rotation}");

        // Bug 8: the header says what is true, with the config's name only.
        assert!(
            rotation.contains(
                "# Imported from the slack-first bot's config (config.yaml) by\n\
                 # `oncall import slack-first`, for a switch on"
            ),
            "{rotation}"
        );
        assert!(!rotation.contains(env!("CARGO_MANIFEST_DIR")), "{rotation}");
        assert!(!rotation.contains("tests/fixtures"), "{rotation}");
        let header = rotation.split("\n\n").next().unwrap();
        assert!(!header.contains("state block"), "{header}");
        assert!(
            header.contains(&format!("for a switch on {day} (`start`): {pick}, whom")),
            "{header}"
        );
        assert_eq!(
            header.contains(&format!("the bot's own list starts with {}", members[0])),
            k != 0,
            "{header}"
        );

        // Today, every daily command works, and says when it starts.
        for args in [
            &["check"][..],
            &["who"],
            &["schedule"],
            &["advance", "--dry-run"],
        ] {
            let out = oncall(dir, NOW).args(args).output().unwrap();
            ok(&out, &format!("{switch}: {args:?}"));
            if args[0] != "check" && args[0] != "schedule" {
                assert!(
                    stdout(&out).contains(&format!("the rotation starts on {day}")),
                    "{args:?}: {}",
                    stdout(&out)
                );
            }
        }
        // Cycle 1: the bot's list from its pick, once round.
        let out = oncall(dir, NOW)
            .args(["schedule", "--from", &day.to_string()])
            .args(["--working-days", "8", "--format", "json"])
            .output()
            .unwrap();
        ok(&out, "schedule");
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["github"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = members[k..]
            .iter()
            .chain(&members[..k])
            .map(String::as_str)
            .collect();
        assert_eq!(got, want, "{switch}");
        assert!(rows.as_array().unwrap().iter().all(|r| r["cycle"] == 1));

        // The import made on the switch day is the same file.
        let same = git_repo();
        ok(
            &import_for(same.path(), &format!("{switch}T08:00:00Z"), switch, &[]),
            "on the day",
        );
        assert_eq!(
            std::fs::read_to_string(same.path().join("rotation.yaml")).unwrap(),
            rotation
        );

        // On the day, the first handover goes to the bot's pick.
        let on_the_day = format!("{day}T08:00:00Z");
        let out = oncall(dir, &on_the_day).arg("advance").output().unwrap();
        ok(&out, "advance on the day");
        assert!(
            stdout(&out).contains(&format!("on call:        @{pick}\n")),
            "{}",
            stdout(&out)
        );
        assert_eq!(who(dir, day), format!("{day}: @{pick}"));
        let log = std::fs::read_to_string(dir.join("oncall-log.md")).unwrap();
        assert_eq!(log.matches("\n## ").count(), 1, "one section: {log}");
    }
}

/// The closing message of an import ahead gives the dry run of its first
/// day, and the workflows' steps do too.
#[test]
fn an_import_ahead_gives_the_dry_run_of_its_first_day() {
    let repo = git_repo();
    let dir = repo.path();
    let out = import_for(dir, NOW, "2026-12-08", &[]);
    ok(&out, "import");
    assert!(
        stdout(&out).contains(
            "On 2026-12-08, VannTen is on call, as the bot has it; until then the bot stays in charge.\n"
        ),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out)
            .contains("`oncall advance --dry-run --date 2026-12-08` previews the first handover"),
        "{}",
        stdout(&out)
    );
    let out = oncall(dir, NOW)
        .args(["advance", "--dry-run", "--date", "2026-12-08"])
        .output()
        .unwrap();
    ok(&out, "the dry run it gives");
    assert!(stdout(&out).contains("on call:        @VannTen\n"));
    let out = oncall(dir, NOW)
        .args(["init", "--workflows-only"])
        .output()
        .unwrap();
    ok(&out, "workflows");
    assert!(
        stdout(&out).contains("gh workflow run oncall.yml\n   -f dry_run=true -f date=2026-12-08"),
        "{}",
        stdout(&out)
    );
}

/// Friction: the first `advance --dry-run` after `init` has no handover
/// to show (the rotation starts tomorrow); init's closing steps give the
/// command that previews the first one, locally and in Actions.
#[test]
fn init_gives_the_dry_run_of_the_first_handover() {
    let repo = git_repo();
    let dir = repo.path();
    let out = oncall(dir, NOW)
        .args([
            "init",
            "--team",
            "Platform SRE",
            "--timezone",
            "Europe/Berlin",
        ])
        .args(["--member", "demo-ana", "--member", "demo-ben"])
        .output()
        .unwrap();
    ok(&out, "init");
    let text = stdout(&out);
    // Friday: the first day is Monday 2026-11-30.
    assert!(
        text.contains(
            "the rotation starts on 2026-11-30. `oncall schedule` shows the first weeks, `oncall advance --dry-run --date 2026-11-30` the first handover."
        ),
        "{text}"
    );
    assert!(
        text.contains("(gh workflow run oncall.yml\n   -f dry_run=true -f date=2026-11-30;"),
        "{text}"
    );
    let out = oncall(dir, NOW)
        .args(["advance", "--dry-run", "--date", "2026-11-30"])
        .output()
        .unwrap();
    ok(&out, "the dry run it gives");
    assert!(stdout(&out).contains("on call:        @demo-ana\n"));
    // Started already (a first day of today): the plain dry run.
    let repo = git_repo();
    let out = oncall(repo.path(), NOW)
        .args(["init", "--team", "T", "--member", "demo-ana"])
        .args(["--start", "2026-11-27"])
        .output()
        .unwrap();
    ok(&out, "init today");
    assert!(!stdout(&out).contains("--date"), "{}", stdout(&out));
    assert!(stdout(&out).contains("gh workflow run oncall.yml -f dry_run=true)"));
}

/// The warning lines of an output, in order.
fn warning_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains(": warning: "))
        .map(str::to_owned)
        .collect()
}

/// The warning lines `check` prints for these files, in its order.
fn check_warnings(dir: &Path) -> Vec<String> {
    let out = oncall(dir, NOW).arg("check").output().unwrap();
    ok(&out, "check");
    warning_lines(&stdout(&out))
}

/// Bug 8: `init --timezone CET` (or EST) wrote the file without the
/// warning `check` gives later. init and import print all of check's
/// warnings, as check prints them.
#[test]
fn init_and_import_print_the_warnings_check_gives() {
    for zone in ["CET", "EST"] {
        let repo = git_repo();
        let dir = repo.path();
        let out = oncall(dir, NOW)
            .args(["init", "--team", "T", "--timezone", zone])
            .args(["--member", "demo-ana", "--member", "demo-ana2"])
            .output()
            .unwrap();
        ok(&out, zone);
        let warnings = check_warnings(dir);
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("time zone \"{zone}\" names no location"))),
            "{warnings:?}"
        );
        let printed = warning_lines(&stderr(&out));
        assert_eq!(printed, warnings, "{zone}");
    }
    // The import too.
    let repo = git_repo();
    let dir = repo.path();
    let out = oncall(dir, NOW)
        .args(["import", "slack-first"])
        .arg(fixture())
        .args(["--timezone", "CET", "--date", "2026-12-08"])
        .output()
        .unwrap();
    ok(&out, "import");
    let warnings = check_warnings(dir);
    assert!(!warnings.is_empty());
    let printed = warning_lines(&stderr(&out));
    assert_eq!(printed, warnings);
}

/// Friction: the import was silent about its defaults. Without a
/// terminal it says which it took (the team's name, the machine's time
/// zone, which the workflow's schedule uses too, and today); with the
/// flags, nothing.
#[test]
fn the_import_says_which_defaults_it_took() {
    let repo = git_repo();
    let dir = repo.path();
    let out = oncall(dir, NOW)
        .args(["import", "slack-first"])
        .arg(fixture())
        .output()
        .unwrap();
    ok(&out, "import");
    let text = stdout(&out);
    for says in [
        "Defaults taken (give the flag to choose, or run this in a terminal to be asked):\n",
        "  --team \"On-call rotation\" (the team's name; it also seeds the shuffle",
        "  --timezone Europe/Berlin, this machine's time zone (\"today\" is the date there, and `oncall init --workflows-only` schedules the daily run in it)\n",
        "  --date 2026-11-27, today (the switch day)\n",
    ] {
        assert!(text.contains(says), "{says:?} not in {text}");
    }
    let rotation = std::fs::read_to_string(dir.join("rotation.yaml")).unwrap();
    assert!(rotation.contains("team: \"On-call rotation\"\n"));
    assert!(rotation.contains("timezone: \"Europe/Berlin\"\n"));
    assert!(rotation.contains("start: 2026-11-27\n"));
    ok(
        &oncall(dir, NOW)
            .args(["init", "--workflows-only"])
            .output()
            .unwrap(),
        "workflows",
    );
    let daily = std::fs::read_to_string(dir.join(".github/workflows/oncall.yml")).unwrap();
    assert!(
        daily.contains("      timezone: \"Europe/Berlin\"\n"),
        "{daily}"
    );

    let repo = git_repo();
    let out = import_for(repo.path(), NOW, "2026-12-08", &[]);
    ok(&out, "with the flags");
    assert!(!stdout(&out).contains("Defaults"), "{}", stdout(&out));
}

/// Runs `oncall ARGS` on a terminal (util-linux `script` gives it one),
/// with `input` typed in.
fn on_a_terminal(dir: &Path, args: &str, input: &[u8]) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("oncall");
    std::process::Command::new("script")
        .args(["-qec", &format!("'{}' {args}", bin.display()), "/dev/null"])
        .current_dir(dir)
        .env("ONCALL_NOW", NOW)
        .env("TZ", "Asia/Tokyo")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(input)?;
            child.wait_with_output()
        })
        .expect("script(1) from util-linux runs")
}

/// On a terminal, the import asks for what the flags do not say, as init
/// does, each question with its default.
#[test]
fn the_import_on_a_terminal_asks() {
    let repo = git_repo();
    let out = on_a_terminal(
        repo.path(),
        &format!("import slack-first '{}'", fixture().display()),
        b"Berlin SRE\n\n2026-12-08\n",
    );
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    for q in [
        "Team name [On-call rotation]:",
        "Time zone (IANA, e.g. Europe/Berlin) [Asia/Tokyo]:",
        // 08:00 UTC is 17:00 in Tokyo, the same day.
        "Switch day: oncall's first day, the bot's last day before it (YYYY-MM-DD) [2026-11-27]:",
    ] {
        assert!(text.contains(q), "{q:?} not asked: {text}");
    }
    assert!(!text.contains("Defaults taken"), "{text}");
    let rotation = std::fs::read_to_string(repo.path().join("rotation.yaml")).unwrap();
    assert!(rotation.contains("team: \"Berlin SRE\"\n"), "{rotation}");
    assert!(
        rotation.contains("timezone: \"Asia/Tokyo\"\n"),
        "{rotation}"
    );
    assert!(rotation.contains("start: 2026-12-08\n"), "{rotation}");
}

/// Friction: interactive init asked every question before saying that
/// the files exist. It says so first, and asks nothing; so does import.
#[test]
fn on_a_terminal_existing_files_are_named_before_any_question() {
    let repo = git_repo();
    std::fs::write(repo.path().join("oncall-log.md"), "# my log\n").unwrap();
    let before = snapshot(repo.path());
    let out = on_a_terminal(repo.path(), "init", b"T\n\ndemo-ana\n\n");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("oncall-log.md already exists; nothing was written. Run with --force"),
        "{text}"
    );
    assert!(!text.contains("Team name"), "{text}");
    let out = on_a_terminal(
        repo.path(),
        &format!("import slack-first '{}'", fixture().display()),
        b"\n\n\n",
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("oncall-log.md already exists"), "{text}");
    assert!(!text.contains("Team name"), "{text}");
    assert_eq!(snapshot(repo.path()), before);
}

/// Friction: `oncall list` as text showed name, file, team and today; it
/// also shows what the README says and the JSON has: the webhook's
/// variable and the calendars included.
#[test]
fn list_shows_the_webhook_variable_and_the_calendars() {
    use support::repo::Repo;
    let r = Repo::with(
        "team: Top\ntimezone: Europe/Berlin\nstart: 2026-11-23\nmembers:\n  - github: tia\n",
        None,
    );
    std::fs::create_dir_all(r.path("rotations/sre")).unwrap();
    std::fs::create_dir_all(r.path("rotations/db")).unwrap();
    std::fs::create_dir_all(r.path("calendars")).unwrap();
    std::fs::write(
        r.path("calendars/berlin.yaml"),
        "holidays:\n  - { date: 2026-12-25, name: Christmas Day }\n",
    )
    .unwrap();
    std::fs::write(
        r.path("rotations/sre/rotation.yaml"),
        "team: SRE\ntimezone: Europe/Berlin\nstart: 2026-11-23\nholidays:\n  - include: ../../calendars/berlin.yaml\nmembers:\n  - github: ana\n  - github: ben\nslack:\n  webhook_env: SLACK_WEBHOOK_SRE\n",
    )
    .unwrap();
    std::fs::write(
        r.path("rotations/db/rotation.yaml"),
        "team: DB\ntimezone: Nowhere/Else\nstart: 2026-11-23\nmembers:\n  - github: cai\nslack:\n  webhook_env: SLACK_WEBHOOK_DB\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        r.oncall()
            .env("ONCALL_NOW", "2026-11-24T08:00:00Z")
            .args(args)
            .output()
            .unwrap()
    };
    let text = stdout(&run(&["list"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(
        lines[0],
        "default  rotation.yaml  Top  2026-11-24: @tia  webhook: SLACK_WEBHOOK_URL  calendars: none"
    );
    assert!(
        lines[1].starts_with("db  rotations/db/rotation.yaml    invalid: ")
            && lines[1].ends_with("  webhook: SLACK_WEBHOOK_DB"),
        "{text}"
    );
    assert_eq!(
        lines[2],
        "sre  rotations/sre/rotation.yaml  SRE  2026-11-24: @ben  webhook: SLACK_WEBHOOK_SRE  calendars: calendars/berlin.yaml"
    );
    // The same facts as the JSON.
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["list", "--format", "json"]).stdout).unwrap();
    assert_eq!(v[0]["webhook_env"], "SLACK_WEBHOOK_URL");
    assert_eq!(v[0]["calendars"], serde_json::json!([]));
    assert_eq!(v[1]["webhook_env"], "SLACK_WEBHOOK_DB");
    assert!(v[1].get("calendars").is_none());
    assert_eq!(v[2]["webhook_env"], "SLACK_WEBHOOK_SRE");
    assert_eq!(
        v[2]["calendars"],
        serde_json::json!(["calendars/berlin.yaml"])
    );
}

/// Friction: "GitHub answered HTTP 0: could not connect" named nothing.
/// A GitHub that cannot be reached (a closed local port) is named by its
/// host and port: never the URL's user or password, never the token.
#[test]
fn an_unreachable_github_is_named_by_its_host() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let token = "ghp_adoptionTestToken0000000000000000000";
    let r = support::repo::Repo::example();
    for args in [
        &["assign", "--issue", "3"][..],
        &["advance", "--pr", "--dry-run"],
    ] {
        let out = r
            .oncall()
            .env("ONCALL_NOW", support::repo::FIXED_NOW)
            .env("GITHUB_TOKEN", token)
            .env("GITHUB_REPOSITORY", "example/team")
            .env(
                "GITHUB_API_URL",
                format!("http://someone:hunter2@127.0.0.1:{port}/api/v3"),
            )
            .args(args)
            .output()
            .unwrap();
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
        assert!(
            all.contains(&format!(
                "could not connect to GitHub at 127.0.0.1:{port}. Check the API's address (--api-url, GITHUB_API_URL, GITHUB_GRAPHQL_URL), or run again later"
            )),
            "{args:?}: {all}"
        );
        for secret in [token, "hunter2", "someone", "HTTP 0"] {
            assert!(!all.contains(secret), "{secret} in {all}");
        }
    }
}
