//! One named test per rotation rule (README, "The rotation rules"): R1 to
//! R6, the days and the cycles (R7 to R12 are in rules_state.rs).

#[path = "../../../tests/common/mod.rs"]
mod common;
use common::*;
use oncall_core::config::Rotation;
use oncall_core::log;
use oncall_core::plan::Plan;
use oncall_core::rotation::{Why, cycle_order, shuffle_seed, spacing_window};
use oncall_core::schedule;

const SIX: [&str; 6] = ["ana", "ben", "cai", "dee", "eli", "fay"];

#[test]
fn r1_weekends_and_holidays_have_nobody() {
    let r = rot(&yaml(
        &SIX,
        "holidays:\n  - 2026-01-07\n  - { date: 2026-01-09, name: Team day }\n",
    ));
    let days = run(&r, "2026-01-18");
    let dates: Vec<String> = days.iter().map(|x| x.date.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2026-01-05",
            "2026-01-06",
            "2026-01-08",
            "2026-01-12",
            "2026-01-13",
            "2026-01-14",
            "2026-01-15",
            "2026-01-16"
        ]
    );
    // The holiday does not consume a turn: the order simply continues.
    assert_eq!(who(&days, "2026-01-08"), Some("cai".into()));
}

#[test]
fn r1_working_days_can_be_sunday_to_thursday() {
    let r = rot(&yaml(&SIX, "working_days: [sun, mon, tue, wed, thu]\n"));
    let days = run(&r, "2026-01-11");
    // 2026-01-05 is a Monday; Fri 9 and Sat 10 are off, Sun 11 works.
    let dates: Vec<String> = days.iter().map(|x| x.date.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2026-01-05",
            "2026-01-06",
            "2026-01-07",
            "2026-01-08",
            "2026-01-11"
        ]
    );
}

#[test]
fn r2_every_working_day_has_exactly_one_member() {
    let r = rot(&yaml(&SIX, ""));
    let days = run(&r, "2026-12-31");
    let working: Vec<_> = r.working_days_in(r.start, d("2026-12-31")).collect();
    assert_eq!(days.len(), working.len());
    for (day, date) in days.iter().zip(working) {
        assert_eq!(day.date, date);
        let on = day.on_call.as_ref().expect("covered");
        assert!(SIX.contains(&on.as_str()));
    }
}

#[test]
fn r3_cycle_one_is_written_order_then_each_cycle_serves_everyone_once() {
    let r = rot(&yaml(&SIX, ""));
    let days = run(&r, "2026-06-30");
    let first: Vec<_> = days[..6]
        .iter()
        .map(|x| x.on_call.clone().unwrap())
        .collect();
    assert_eq!(first, SIX);
    assert!(days[..6].iter().all(|x| x.cycle == 1));
    for cycle in days.chunks(6).filter(|c| c.len() == 6) {
        let mut served: Vec<_> = cycle.iter().map(|x| x.on_call.clone().unwrap()).collect();
        assert!(cycle.iter().all(|x| x.cycle == cycle[0].cycle));
        assert!(cycle[0].cycle == 1 || cycle[0].new_cycle);
        served.sort();
        assert_eq!(served, SIX, "cycle {} serves everyone once", cycle[0].cycle);
    }
    // Later cycles are shuffled: not all of them repeat the written order.
    let orders: Vec<Vec<_>> = days
        .chunks(6)
        .skip(1)
        .filter(|c| c.len() == 6)
        .map(|c| c.iter().map(|x| x.on_call.clone().unwrap()).collect())
        .collect();
    assert!(orders.iter().any(|o| o != &SIX));
}

#[test]
fn r4_shuffle_is_pinned_for_a_known_seed() {
    // If this test fails, every team's future schedule has changed: the
    // shuffle must stay stable across platforms and releases.
    // FNV-1a of "oncall:Test:2", computed independently.
    assert_eq!(shuffle_seed("Test", 2), SEED_TEST_2);
    let r = rot(&yaml(&SIX, ""));
    let names = |held: &[usize]| -> Vec<String> {
        cycle_order(&r, 2, held)
            .into_iter()
            .map(|i| r.members[i].github.clone())
            .collect()
    };
    assert_eq!(names(&[]), PINNED_CYCLE_2);
    // With fay and eli held back (they served the last two days of cycle
    // 1: w = 6/3 = 2), the first two places go to the other four.
    assert_eq!(names(&[5, 4]), PINNED_CYCLE_2_HELD);
    // The cycle that follows cycle 1 in a real run.
    let days = run(&r, "2026-01-14");
    let cycle2: Vec<String> = days[6..]
        .iter()
        .map(|x| x.on_call.clone().unwrap())
        .collect();
    assert_eq!(cycle2, PINNED_CYCLE_2_HELD[..2]);
}

const SEED_TEST_2: u64 = 0x4d22_430f_8c8b_4152;
const PINNED_CYCLE_2: [&str; 6] = ["ana", "cai", "ben", "fay", "dee", "eli"];
const PINNED_CYCLE_2_HELD: [&str; 6] = ["ana", "ben", "dee", "cai", "eli", "fay"];

#[test]
fn r4_spacing_keeps_the_end_of_a_cycle_away_from_the_start_of_the_next() {
    // Nobody who served one of the last w = max(1, n/3) days of a cycle
    // serves one of the first w days of the next (previously only the
    // first day was kept from repeating the last).
    for n in 2..=10 {
        let members: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
        let refs: Vec<&str> = members.iter().map(String::as_str).collect();
        let w = spacing_window(n);
        assert_eq!(w, if n < 6 { 1 } else { n / 3 });
        for team in ["Test", "SRE", "Platform"] {
            let r = rot(&yaml(&refs, "").replace("team: Test", &format!("team: {team}")));
            let days = run(&r, "2031-12-31");
            let mut by_cycle: Vec<Vec<String>> = Vec::new();
            for x in &days {
                if x.new_cycle || by_cycle.is_empty() {
                    by_cycle.push(Vec::new());
                }
                by_cycle
                    .last_mut()
                    .unwrap()
                    .push(x.on_call.clone().unwrap());
            }
            for pair in by_cycle.windows(2) {
                let tail = &pair[0][pair[0].len() - w..];
                let head = &pair[1][..w.min(pair[1].len())];
                assert!(
                    head.iter().all(|m| !tail.contains(m)),
                    "{team}, {n} members: {tail:?} then {head:?}"
                );
            }
        }
    }
}

#[test]
fn r4_spacing_holds_for_a_substitute_on_a_new_cycle_first_day() {
    // Cycle 2's first member is away on its first day: the substitute is
    // not whoever served the day before (previously the next in order
    // served, even when that was yesterday's engineer).
    for team in (0..40).map(|i| format!("Team {i}")) {
        let base = yaml(&["ana", "ben", "cai"], "").replace("team: Test", &format!("team: {team}"));
        let r = rot(&base);
        let days = run(&r, "2026-01-08");
        let first = days[3].on_call.clone().unwrap();
        assert!(days[3].new_cycle);
        let away = base.replace(
            &format!("  - github: {first}\n"),
            &format!(
                "  - github: {first}\n    away:\n      - {{ from: 2026-01-08, to: 2026-01-08 }}\n"
            ),
        );
        let days = run(&rot(&away), "2026-01-08");
        assert_ne!(days[3].on_call, days[2].on_call, "{team}: back to back");
        assert_ne!(days[3].on_call.as_deref(), Some(first.as_str()));
    }
}

#[test]
fn r4_shuffle_depends_only_on_team_and_cycle_not_on_written_order() {
    let a = rot(&yaml(&SIX, ""));
    let mut reversed = SIX;
    reversed.reverse();
    let b = rot(&yaml(&reversed, ""));
    let names = |r: &Rotation, c| -> Vec<String> {
        cycle_order(r, c, &[])
            .into_iter()
            .map(|i| r.members[i].github.clone())
            .collect()
    };
    for c in 2..20 {
        assert_eq!(names(&a, c), names(&b, c));
    }
    let renamed = rot(&yaml(&SIX, "").replace("team: Test", "team: Other"));
    assert!((2..20).any(|c| names(&a, c) != names(&renamed, c)));
}

#[test]
fn r5_away_member_is_skipped_and_serves_when_back() {
    // ben is away Tue 6 and Wed 7: cai serves on the 6th, dee on the 7th,
    // ben on Thu 8 (first day back, still due), then eli, fay.
    let r = rot(&yaml(&SIX, "").replace(
        "  - github: ben\n",
        "  - github: ben\n    away:\n      - { from: 2026-01-06, to: 2026-01-07 }\n",
    ));
    let days = run(&r, "2026-01-12");
    let seq: Vec<_> = days.iter().map(|x| x.on_call.clone().unwrap()).collect();
    assert_eq!(seq, ["ana", "cai", "dee", "ben", "eli", "fay"]);
    assert_eq!(days[1].why, Why::Substitute);
    assert_eq!(days[1].away_due, ["ben"]);
    assert_eq!(days[3].why, Why::Rotation);
}

#[test]
fn r5_away_until_the_cycle_ends_loses_the_turn() {
    // fay is away for two weeks: cycle 1 ends without her, cycle 2 begins.
    let r = rot(&yaml(&SIX, "").replace(
        "  - github: fay\n",
        "  - github: fay\n    away:\n      - { from: 2026-01-05, to: 2026-01-16 }\n",
    ));
    let days = run(&r, "2026-01-12");
    let seq: Vec<_> = days[..5]
        .iter()
        .map(|x| x.on_call.clone().unwrap())
        .collect();
    assert_eq!(seq, ["ana", "ben", "cai", "dee", "eli"]);
    let sixth = &days[5];
    assert_eq!(sixth.cycle, 2);
    assert!(sixth.new_cycle);
    assert_eq!(sixth.lost_turn, ["fay"]);
    assert_ne!(sixth.on_call.as_deref(), Some("fay"));
}

#[test]
fn r5_nobody_available_is_uncovered_and_check_warns() {
    let extra = |m: &str| {
        format!("  - github: {m}\n    away:\n      - {{ from: 2026-01-07, to: 2026-01-07 }}\n")
    };
    let mut y = String::from("team: Test\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n");
    for m in ["ana", "ben"] {
        y.push_str(&extra(m));
    }
    let r = rot(&y);
    let days = run(&r, "2026-01-09");
    assert_eq!(days[2].why, Why::Uncovered);
    assert_eq!(days[2].on_call, None);
    // The day after, the rotation continues where it was.
    assert_eq!(days[3].on_call.as_deref(), Some("ana"));
    assert_eq!(days[3].cycle, 2);
    let rows = schedule::rows(&r, &log::Log::default(), d("2026-01-05"), 5);
    assert_eq!(rows[2].why, Why::Uncovered);
    assert_eq!(rows[2].github, None);
}

#[test]
fn r6_an_override_replaces_one_day_and_moves_nobody() {
    // fay takes Tue 6, ben's day: ben counts as having had his turn, fay
    // keeps her own day (Mon 12), and nobody else moves (previously fay's
    // turn was used up and everyone after ben moved a day).
    let r = rot(&yaml(
        &SIX,
        "overrides:\n  - { date: 2026-01-06, github: fay, reason: swap }\n",
    ));
    let days = run(&r, "2026-01-12");
    let seq: Vec<_> = days.iter().map(|x| x.on_call.clone().unwrap()).collect();
    assert_eq!(seq, ["ana", "fay", "cai", "dee", "eli", "fay"]);
    assert_eq!(days[1].why, Why::Override);
    assert_eq!(days[1].reason.as_deref(), Some("swap"));
    assert_eq!(days[1].replaces.as_deref(), Some("ben"));
    assert_eq!(days[5].why, Why::Rotation);
    assert_eq!(days[5].cycle, 1);
    // Cycle 2 starts on the seventh working day, as without the override.
    let plain = run(&rot(&yaml(&SIX, "")), "2026-01-20");
    let with = run(&r, "2026-01-20");
    assert_eq!(plain[6..], with[6..]);
}

#[test]
fn r6_a_swap_exchanges_two_days_and_nothing_else() {
    // ben (Tue 6) and eli (Fri 9) swap: two overrides, two changed days.
    let before = yaml(&SIX, "");
    let after = yaml(
        &SIX,
        "overrides:\n  - { date: 2026-01-06, github: eli, reason: swap }\n  - { date: 2026-01-09, github: ben, reason: swap }\n",
    );
    let (b, a) = (rot(&before), rot(&after));
    let rows_b = schedule::rows(&b, &log::Log::default(), d("2026-01-05"), 60);
    let rows_a = schedule::rows(&a, &log::Log::default(), d("2026-01-05"), 60);
    let changes = schedule::compare(&rows_b, &rows_a);
    let changed: Vec<String> = changes
        .iter()
        .filter(|c| c.changed)
        .map(|c| c.date.to_string())
        .collect();
    assert_eq!(changed, ["2026-01-06", "2026-01-09"]);
    let seq: Vec<_> = run(&a, "2026-01-12")
        .iter()
        .map(|x| x.on_call.clone().unwrap())
        .collect();
    assert_eq!(seq, ["ana", "eli", "cai", "dee", "ben", "fay"]);
}

#[test]
fn r6_invalid_overrides_are_errors() {
    let out = problems(&yaml(
        &SIX,
        "  - github: zed\n    away:\n      - { from: 2026-01-06, to: 2026-01-06 }\n\
         overrides:\n  - { date: 2026-01-10, github: ana }\n  - { date: 2026-01-07, github: nobody }\n  - { date: 2026-01-06, github: zed }\n",
    ));
    assert!(out.contains("rotation.yaml:15:13: error: override on 2026-01-10 (Saturday), which is not a working day"), "{out}");
    assert!(out.contains("rotation.yaml:16:33: error: override on 2026-01-07 names `nobody`, who is not in `members`"), "{out}");
    assert!(out.contains("rotation.yaml:17:33: error: override puts `zed` on call on 2026-01-06, but they are away that day"), "{out}");
}

/// A rotation whose state is written by advancing to `date`.

#[test]
fn r6_the_log_the_pr_and_slack_say_whom_an_override_replaces_and_why() {
    let text = yaml(
        &SIX,
        "overrides:\n  - { date: 2026-01-06, github: fay, reason: ben at the dentist }\n",
    );
    let (_, log1, _) = advance(&text, "", d("2026-01-05"));
    let (text2, _, _) = advance(&text, "", d("2026-01-05"));
    let (_, log2, plan) = advance(&text2, &log1, d("2026-01-06"));
    let Plan::Advance(a) = plan else { panic!() };
    let section = &log2[log1.len()..];
    assert!(
        section.contains("> **Override:** `@fay` replaces `@ben`. Reason: ben at the dentist."),
        "{section}"
    );
    // The log reads the replaced member back.
    let l = log::parse("oncall-log.md", &log2).unwrap();
    assert_eq!(
        l.record(d("2026-01-06")).unwrap().replaces.as_deref(),
        Some("ben")
    );
    let r = rot(&text2);
    let paths = oncall_core::pr::Paths {
        config: "rotation.yaml".into(),
        log: "oncall-log.md".into(),
        branch: "oncall/handover".into(),
        label: "oncall".into(),
        web_repo: "https://github.com/o/r".into(),
    };
    let body = oncall_core::pr::body(&r, &paths, a.today(), &[], None, &log2, None);
    assert!(
        body.contains("`@fay` replaces `@ben`. Reason: ben at the dentist."),
        "{body}"
    );
    let payload = oncall_core::slack::message(
        &r,
        &oncall_core::slack::Announcement {
            today: a.today(),
            missed: Vec::new(),
            upcoming: Vec::new(),
            links: Default::default(),
        },
    )
    .to_string();
    assert!(
        payload.contains("(override in place of ben: ben at the dentist)"),
        "{payload}"
    );
}
