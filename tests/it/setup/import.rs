//! `oncall import slack-first` of the Operate First bot's real config: the
//! bot's pick and the rest of its pass are kept, its ids and order too,
//! a separate members file and the weekly schedule are read, and a broken
//! config is refused with its position.

use super::{FIXTURE, NOW, bot_daily, fixture_members, git_repo, import, oncall, snapshot, who};
use crate::support::validators;
use chrono::{Datelike, NaiveDate};
use std::path::Path;

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
