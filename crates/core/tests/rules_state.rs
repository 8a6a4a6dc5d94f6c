//! One named test per rotation rule (README, "The rotation rules"): R7 to
//! R12, the roster, the schedule and the state over time (R1 to R6 are in
//! rules.rs).

#[path = "../../../tests/common/mod.rs"]
mod common;
use common::*;
use oncall_core::log;
use oncall_core::plan::Plan;
use oncall_core::rotation::Engine;
use oncall_core::schedule;

const SIX: [&str; 6] = ["ana", "ben", "cai", "dee", "eli", "fay"];

fn advanced(yaml_text: &str, date: &str) -> String {
    let (text, _, _) = advance(yaml_text, "", d(date));
    text
}

#[test]
fn r7_added_member_joins_at_the_end_and_nobody_moves() {
    let base = advanced(&yaml(&SIX, ""), "2026-01-06"); // ana, ben served
    let before = run(&rot(&base), "2026-01-13");
    let added = base.replacen("  - github: ana\n", "  - github: zoe\n  - github: ana\n", 1);
    let after = run(&rot(&added), "2026-01-14");
    let seq = |days: &[oncall_core::rotation::Day]| -> Vec<String> {
        days.iter().map(|x| x.on_call.clone().unwrap()).collect()
    };
    assert_eq!(seq(&before)[..4], ["cai", "dee", "eli", "fay"]);
    assert_eq!(seq(&after)[..5], ["cai", "dee", "eli", "fay", "zoe"]);
}

#[test]
fn r7_removed_member_leaves_and_reordering_changes_nothing() {
    let base = advanced(&yaml(&SIX, ""), "2026-01-06");
    // Removing a member from `members` alone is refused: the state block
    // still names them, and that could be a typo.
    let removed = base.replacen("  - github: dee\n", "", 1);
    let out = problems(&removed);
    assert!(
        out.contains("`dee` is in `state.order` but not in `members`"),
        "{out}"
    );
    assert!(
        out.contains("remove them from `state.order` and `state.served` too"),
        "{out}"
    );
    // Removed from both, they leave the cycle and nobody else's turn moves.
    let removed = removed.replace(
        "order: [ana, ben, cai, dee, eli, fay]",
        "order: [ana, ben, cai, eli, fay]",
    );
    let seq: Vec<_> = run(&rot(&removed), "2026-01-12")
        .iter()
        .map(|x| x.on_call.clone().unwrap())
        .collect();
    assert_eq!(seq[..3], ["cai", "eli", "fay"]);
    // Reordering members (after cycle 1 has state) moves nobody, in this
    // cycle or any later one.
    let reordered = base.replacen(
        "  - github: ana\n  - github: ben\n",
        "  - github: ben\n  - github: ana\n",
        1,
    );
    let a = run(&rot(&base), "2027-12-31");
    let b = run(&rot(&reordered), "2027-12-31");
    assert_eq!(a, b);
}

#[test]
fn r8_schedule_is_what_advance_does() {
    let mut text = yaml(&SIX, "overrides:\n  - { date: 2026-01-14, github: cai }\n").replace(
        "  - github: dee\n",
        "  - github: dee\n    away:\n      - { from: 2026-01-12, to: 2026-01-20 }\n",
    );
    let r = rot(&text);
    let rows = schedule::rows(&r, &log::Log::default(), d("2026-01-05"), 60);
    let mut log_text = String::new();
    for row in &rows {
        let (t, l, plan) = advance(&text, &log_text, row.date);
        let Plan::Advance(a) = plan else {
            panic!("{} did not advance", row.date)
        };
        assert_eq!(a.today().day.on_call, row.github, "{}", row.date);
        assert_eq!(a.today().day.why, row.why, "{}", row.date);
        text = t;
        log_text = l;
    }
    // And after advancing, the schedule of the past reads the log back.
    let r = rot(&text);
    let l = log::parse("oncall-log.md", &log_text).unwrap();
    let past = schedule::rows(&r, &l, d("2026-01-05"), 60);
    let key = |rows: &[schedule::Row]| -> Vec<_> {
        rows.iter()
            .map(|x| (x.date, x.github.clone(), x.why))
            .collect()
    };
    assert_eq!(key(&past), key(&rows));
}

#[test]
fn r9_catch_up_equals_daily_advances() {
    let text = yaml(&SIX, "");
    let (mut daily_text, mut daily_log) = advance(&text, "", d("2026-01-05")).into_parts();
    for day in [
        "2026-01-06",
        "2026-01-07",
        "2026-01-08",
        "2026-01-09",
        "2026-01-12",
    ] {
        (daily_text, daily_log) = advance(&daily_text, &daily_log, d(day)).into_parts();
    }
    let (one, _) = advance(&text, "", d("2026-01-05")).into_parts();
    let (caught, caught_log, plan) = advance(
        &one,
        &advance(&text, "", d("2026-01-05")).1,
        d("2026-01-12"),
    );
    assert_eq!(caught, daily_text, "same state");
    let Plan::Advance(a) = plan else { panic!() };
    let missed: Vec<String> = a.missed().map(|h| h.day.date.to_string()).collect();
    assert_eq!(
        missed,
        ["2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]
    );
    let l = log::parse("oncall-log.md", &caught_log).unwrap();
    assert_eq!(l.records.len(), 6, "a section for every missed day");
    assert_eq!(caught_log.matches("**Not announced:**").count(), 4);
    assert_eq!(daily_log.matches("**Not announced:**").count(), 0);
}

trait IntoParts {
    fn into_parts(self) -> (String, String);
}
impl IntoParts for (String, String, Plan) {
    fn into_parts(self) -> (String, String) {
        (self.0, self.1)
    }
}

#[test]
fn r10_advancing_twice_changes_nothing() {
    let text = yaml(&SIX, "");
    let (t1, l1, _) = advance(&text, "", d("2026-01-07"));
    let (t2, l2, plan) = advance(&t1, &l1, d("2026-01-07"));
    assert_eq!(
        plan,
        Plan::Nothing(oncall_core::plan::NoHandover::AlreadyDone {
            date: d("2026-01-07")
        })
    );
    assert_eq!((t1, l1), (t2, l2));
}

#[test]
fn r10_a_half_written_handover_completes_without_duplicating() {
    // The log was written, then the run died before rotation.yaml was.
    let text = yaml(&SIX, "");
    let (_, l1, _) = advance(&text, "", d("2026-01-05"));
    let (t2, l2, _) = advance(&text, &l1, d("2026-01-05"));
    assert_eq!(l2, l1, "the section is not appended twice");
    assert!(t2.contains("since: 2026-01-05"));
}

#[test]
fn r11_today_is_the_date_in_the_team_time_zone() {
    use chrono::TimeZone;
    use oncall_core::calendar::today;
    let utc = chrono::Utc;
    // Auckland is 13 hours ahead in January: Sunday evening UTC is Monday there.
    let now = utc.with_ymd_and_hms(2026, 1, 4, 20, 0, 0).unwrap();
    assert_eq!(today(chrono_tz::Pacific::Auckland, now), d("2026-01-05"));
    assert_eq!(today(chrono_tz::UTC, now), d("2026-01-04"));
    // Berlin's clocks go forward at 01:00 UTC on 2026-03-29 and back at
    // 01:00 UTC on 2026-10-25: 22:30 UTC the day before is 23:30 in winter
    // time and 00:30 the next day in summer time.
    assert_eq!(
        today(
            chrono_tz::Europe::Berlin,
            utc.with_ymd_and_hms(2026, 3, 28, 22, 30, 0).unwrap()
        ),
        d("2026-03-28")
    );
    assert_eq!(
        today(
            chrono_tz::Europe::Berlin,
            utc.with_ymd_and_hms(2026, 3, 29, 22, 30, 0).unwrap()
        ),
        d("2026-03-30")
    );
    assert_eq!(
        today(
            chrono_tz::Europe::Berlin,
            utc.with_ymd_and_hms(2026, 10, 24, 22, 30, 0).unwrap()
        ),
        d("2026-10-25")
    );
    assert_eq!(
        today(
            chrono_tz::Europe::Berlin,
            utc.with_ymd_and_hms(2026, 10, 25, 22, 30, 0).unwrap()
        ),
        d("2026-10-25")
    );
}

#[test]
fn r11_leap_day_and_year_boundary() {
    let r = rot(&yaml(&SIX, "holidays:\n  - 2028-12-29\n")
        .replace("start: 2026-01-05", "start: 2028-02-28"));
    let days = run(&r, "2029-01-03");
    assert!(
        days.iter().any(|x| x.date == d("2028-02-29")),
        "29 February 2028 is a Tuesday"
    );
    let end: Vec<String> = days
        .iter()
        .rev()
        .take(3)
        .map(|x| x.date.to_string())
        .collect();
    assert_eq!(end, ["2029-01-03", "2029-01-02", "2029-01-01"]);
    assert!(!days.iter().any(|x| x.date == d("2028-12-29")));
    let Some(next) = Engine::new(&r)
        .run_until(d("2028-12-28"))
        .last()
        .map(|x| x.date)
    else {
        panic!()
    };
    assert_eq!(next, d("2028-12-28"));
}

#[test]
fn r12_every_problem_is_reported_at_once_with_its_position() {
    let text = "team: Test\ntimezone: Europe/Berln\nstart: 2026-02-30\nmembrs: []\nmembers:\n  - github: ana\n    slack: ana\n  - github: ana\n    away:\n      - { from: 2026-03-10, to: 2026-03-01 }\n";
    let out = problems(text);
    assert!(
        out.contains("rotation.yaml:3:8: error: `start` is not a valid date"),
        "{out}"
    );
    assert!(
        out.contains("rotation.yaml:4:1: error: unknown key `membrs` (did you mean `members`?)"),
        "{out}"
    );
    // The structural problems stop the run before the rules are checked;
    // with the structure fixed, every rule problem is reported together.
    let fixed = text
        .replace("start: 2026-02-30", "start: 2026-02-27")
        .replace("membrs: []\n", "");
    let out = problems(&fixed);
    assert!(out.contains("rotation.yaml:2:11: error: unknown time zone \"Europe/Berln\" (did you mean `Europe/Berlin`?"), "{out}");
    assert!(
        out.contains("rotation.yaml:6:12: error: \"ana\" is not a Slack member ID"),
        "{out}"
    );
    assert!(
        out.contains("rotation.yaml:7:13: error: member `ana` is listed twice (first on line 5)"),
        "{out}"
    );
    assert!(
        out.contains("error: time off of `ana` ends (2026-03-01) before it begins (2026-03-10)"),
        "{out}"
    );
    assert!(out.ends_with("4 errors, 0 warnings"), "{out}");
    // An unknown key does not hide the rules' problems.
    let typo = fixed.replace("team: Test\n", "team: Test\ncolour: red\n");
    let out = problems(&typo);
    assert!(
        out.contains("rotation.yaml:2:1: error: unknown key `colour`"),
        "{out}"
    );
    assert!(out.contains("error: member `ana` is listed twice"), "{out}");
    assert!(out.ends_with("5 errors, 0 warnings"), "{out}");
}

#[test]
fn r8_a_past_day_shows_what_the_log_says_not_todays_rotation_yaml() {
    // After the override's reason was edited, `schedule` mixed the person
    // from the log with the new reason from rotation.yaml.
    let text = yaml(
        &SIX,
        "overrides:\n  - { date: 2026-01-06, github: fay, reason: ben at the dentist. }\n",
    );
    let (t1, l1, _) = advance(&text, "", d("2026-01-07"));
    let edited = t1.replace("ben at the dentist.", "oops");
    let r = rot(&edited);
    let l = log::parse("oncall-log.md", &l1).unwrap();
    let rows = schedule::rows(&r, &l, d("2026-01-05"), 3);
    assert!(rows[1].past);
    assert_eq!(rows[1].github.as_deref(), Some("fay"));
    assert_eq!(rows[1].replaces.as_deref(), Some("ben"));
    assert_eq!(rows[1].reason.as_deref(), Some("ben at the dentist."));
}
