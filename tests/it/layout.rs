//! Several rotations in one repository: `rotations/<name>/`, `oncall
//! list`, `--rotation NAME`, and `oncall check` over all of them. (The
//! single top-level layout is what every other test uses, unchanged.)

use crate::support;

use serde_json::Value;
use support::repo::Repo;

fn team(name: &str, members: &[&str]) -> String {
    let list: String = members
        .iter()
        .map(|m| format!("  - github: {m}\n"))
        .collect();
    format!("team: {name}\ntimezone: Europe/Berlin\nstart: 2026-11-23\nmembers:\n{list}")
}

/// A repository with the top-level rotation and two named ones.
fn repo() -> Repo {
    let r = Repo::with(&team("Top team", &["tia"]), None);
    for (name, t) in [
        ("sre", team("SRE", &["ana", "ben"])),
        ("db", team("Database", &["cai"])),
    ] {
        std::fs::create_dir_all(r.path(&format!("rotations/{name}"))).unwrap();
        std::fs::write(r.path(&format!("rotations/{name}/rotation.yaml")), t).unwrap();
    }
    r
}

const NOW: &str = "2026-11-24T08:00:00Z";

fn run(r: &Repo, args: &[&str]) -> std::process::Output {
    r.oncall()
        .env("ONCALL_NOW", NOW)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn list_names_every_rotation_with_todays_engineer() {
    let r = repo();
    let out = run(&r, &["list", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "one line, for $GITHUB_OUTPUT");
    let v: Value = serde_json::from_str(&text).unwrap();
    let rows: Vec<(String, String, String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_owned();
            (s("name"), s("config"), s("team"), s("on_call"))
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "default".into(),
                "rotation.yaml".into(),
                "Top team".into(),
                "tia".into()
            ),
            (
                "db".into(),
                "rotations/db/rotation.yaml".into(),
                "Database".into(),
                "cai".into()
            ),
            (
                "sre".into(),
                "rotations/sre/rotation.yaml".into(),
                "SRE".into(),
                "ben".into()
            ),
        ]
    );
    assert_eq!(v[2]["log"], "rotations/sre/oncall-log.md");
    let text = String::from_utf8(run(&r, &["list"]).stdout).unwrap();
    assert!(
        text.contains("sre  rotations/sre/rotation.yaml  SRE  2026-11-24: @ben"),
        "{text}"
    );
}

#[test]
fn rotation_selects_a_rotations_files_for_any_command() {
    let r = repo();
    let out = run(&r, &["--rotation", "sre", "who"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2026-11-24: @ben\n");
    let out = run(&r, &["who", "--rotation", "default"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2026-11-24: @tia\n");
    // advance writes that rotation's log beside its file.
    assert!(run(&r, &["--rotation", "db", "advance"]).status.success());
    assert!(r.path("rotations/db/oncall-log.md").is_file());
    assert!(!r.path("oncall-log.md").exists());
    // An unknown name lists the ones there are.
    let out = run(&r, &["--rotation", "nope", "who"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no rotation \"nope\"; there are: default, db, sre")
    );
}

/// Two rotations hand over on GitHub side by side: each its own branch,
/// pull request, Slack post and Slack claim; no checkout needed.
#[test]
fn each_rotation_has_its_own_pull_request_branch_and_slack_post() {
    use support::fake_github::FakeGitHub;
    use support::fake_slack::FakeSlack;
    let f = FakeGitHub::start(&[
        ("rotations/sre/rotation.yaml", &team("SRE", &["ana", "ben"])),
        ("rotations/db/rotation.yaml", &team("Database", &["cai"])),
    ]);
    f.with(|s| {
        s.users = ["ana", "ben", "cai"]
            .iter()
            .map(|l| (l.to_string(), format!("U_{l}")))
            .collect()
    });
    let slack = FakeSlack::start();
    let empty = Repo::with("", None);
    std::fs::remove_file(empty.path("rotation.yaml")).unwrap();
    for name in ["sre", "db"] {
        let out = empty
            .oncall()
            .args(["--rotation", name, "advance", "--pr", "--slack"])
            .env("ONCALL_NOW", NOW)
            .envs(f.env())
            .env("SLACK_WEBHOOK_URL", &slack.url)
            .env("ONCALL_HTTP_TIMEOUT", "2")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let prs = f.with(|s| s.open_prs());
    let heads: Vec<&str> = prs.iter().map(|p| p.head.as_str()).collect();
    assert_eq!(heads, ["oncall/sre/handover", "oncall/db/handover"]);
    assert!(
        f.with(|s| s.file("oncall/sre/handover", "rotations/sre/oncall-log.md"))
            .unwrap()
            .contains("## 2026-11-24")
    );
    assert!(
        f.with(|s| s.file("oncall/db/handover", "rotations/db/oncall-log.md"))
            .unwrap()
            .contains("## 2026-11-24")
    );
    assert!(
        f.with(|s| s.file("oncall/sre/handover", "rotations/db/oncall-log.md"))
            .is_none(),
        "a branch holds its own rotation's handover only"
    );
    assert_eq!(
        slack.posts().len(),
        2,
        "one post each: the claims are apart"
    );
    let claims: Vec<String> = f.with(|s| {
        s.refs
            .keys()
            .filter(|k| k.contains("slack-claim"))
            .cloned()
            .collect()
    });
    assert_eq!(
        claims,
        [
            "refs/oncall/slack-claims/oncall/db/handover",
            "refs/oncall/slack-claims/oncall/sre/handover"
        ]
    );
}

#[test]
fn check_with_no_argument_checks_every_rotation_with_positions() {
    let r = repo();
    let out = run(&r, &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    for f in [
        "rotation.yaml: ok",
        "rotations/db/rotation.yaml: ok",
        "rotations/sre/rotation.yaml: ok",
    ] {
        assert!(text.contains(f), "{f}: {text}");
    }
    // One broken file: its own error, with file, line and column; the
    // others still checked.
    std::fs::write(
        r.path("rotations/db/rotation.yaml"),
        team("Database", &["cai"]).replace("Europe/Berlin", "Europe/Berlni"),
    )
    .unwrap();
    let out = run(&r, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("rotations/db/rotation.yaml:2:11: error: unknown time zone"),
        "{text}"
    );
    assert!(text.contains("rotations/sre/rotation.yaml: ok"), "{text}");
    let out = run(&r, &["check", "--format", "github"]);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("::error file=rotations/db/rotation.yaml,line=2,col=11")
    );
    // list marks it, and still lists the others.
    let v: Value = serde_json::from_slice(&run(&r, &["list", "--format", "json"]).stdout).unwrap();
    assert!(
        v[1]["error"]
            .as_str()
            .unwrap()
            .contains("unknown time zone"),
        "{v}"
    );
    assert_eq!(v[2]["on_call"], "ben");
}

#[test]
fn a_rotation_directory_with_a_bad_name_is_named() {
    let r = repo();
    std::fs::create_dir_all(r.path("rotations/Platform_Team")).unwrap();
    std::fs::write(
        r.path("rotations/Platform_Team/rotation.yaml"),
        team("P", &["pat"]),
    )
    .unwrap();
    let out = run(&r, &["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rotations/Platform_Team: a rotation's directory is named with lowercase letters, digits and -"));
}

/// Someone on call in two rotations on one day: a warning in each file,
/// at their line, naming the other file and line; nothing is moved.
#[test]
fn a_person_on_two_rotations_on_one_day_is_warned_about_in_both_files() {
    let r = Repo::with(&team("Top team", &["tia"]), None);
    for (name, t) in [
        ("sre", team("SRE", &["ben", "eve", "ana"])),
        ("db", team("Database", &["cai", "dan", "ana"])),
    ] {
        std::fs::create_dir_all(r.path(&format!("rotations/{name}"))).unwrap();
        std::fs::write(r.path(&format!("rotations/{name}/rotation.yaml")), t).unwrap();
    }
    // 2026-11-25: ana is third of three in both.
    let out = r
        .oncall()
        .env("ONCALL_NOW", "2026-11-23T08:00:00Z")
        .args(["check", "--ahead", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "warnings only: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let sre = String::from_utf8_lossy(
        &r.oncall()
            .env("ONCALL_NOW", "2026-11-23T08:00:00Z")
            .args([
                "--rotation",
                "sre",
                "schedule",
                "--days",
                "3",
                "--format",
                "json",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    let db = String::from_utf8_lossy(
        &r.oncall()
            .env("ONCALL_NOW", "2026-11-23T08:00:00Z")
            .args([
                "--rotation",
                "db",
                "schedule",
                "--days",
                "3",
                "--format",
                "json",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    let days = |s: &str| -> Vec<(String, String)> {
        let v: Value = serde_json::from_str(s).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["date"].as_str().unwrap().to_owned(),
                    r["github"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let both: Vec<String> = days(&sre)
        .into_iter()
        .filter(|d| d.1 == "ana" && days(&db).contains(d))
        .map(|d| d.0)
        .collect();
    assert!(!both.is_empty(), "the fixture has a double day: {sre} {db}");
    for date in &both {
        assert!(
            text.contains(&format!(
                "rotations/db/rotation.yaml:7:13: warning: ana is on call on {date}"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "rotations/sre/rotation.yaml:7:13: warning: ana is on call on {date}"
            )),
            "{text}"
        );
    }
    assert!(both.contains(&"2026-11-25".to_owned()));
    assert!(
        text.contains("in this rotation and in rotations/sre/rotation.yaml (line 7)"),
        "{text}"
    );
    assert!(
        text.contains("in this rotation and in rotations/db/rotation.yaml (line 7)"),
        "{text}"
    );
    // Across rotations, one person's days.
    let out = r
        .oncall()
        .env("ONCALL_NOW", "2026-11-23T08:00:00Z")
        .args([
            "schedule", "--member", "ana", "--days", "3", "--format", "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mine: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["rotation"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = {
        let mut e: Vec<(String, String)> = days(&db)
            .into_iter()
            .filter(|d| d.1 == "ana")
            .map(|d| (d.0, "db".to_owned()))
            .chain(
                days(&sre)
                    .into_iter()
                    .filter(|d| d.1 == "ana")
                    .map(|d| (d.0, "sre".to_owned())),
            )
            .collect();
        e.sort();
        e
    };
    assert_eq!(mine, expected);
}
