//! Plausible mistakes in rotation.yaml, caught with their position before
//! they bite (R12); `tests/mistakes.rs` has the ones on the command line. Each test names what passed
//! silently, or was reported without a position, before.

// A test reads its fixtures; the core itself does no I/O (clippy.toml).
#![allow(clippy::disallowed_methods)]

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::*;

const FOUR: [&str; 4] = ["ana", "ben", "cai", "dee"];

/// The warnings of a valid file, one per line.
fn warnings(text: &str) -> String {
    match oncall_core::config::load("rotation.yaml", text) {
        Ok((_, report)) => report
            .warnings()
            .map(|w| report.line(w))
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => panic!("expected a valid file:\n{e}"),
    }
}

#[test]
fn weekday_names_are_read_in_any_case_and_in_full() {
    // `[Mon, Tue]` was refused.
    for days in [
        "[Mon, Tue, Wed, Thu, Fri]",
        "[MON, TUE, WED, THU, FRI]",
        "[monday, Tuesday, WEDNESDAY, thu, Fri]",
    ] {
        let r = rot(&yaml(&FOUR, &format!("working_days: {days}\n")));
        assert_eq!(
            r.working_days,
            oncall_core::calendar::DEFAULT_WORKING_DAYS,
            "{days}"
        );
    }
    let out = problems(&yaml(&FOUR, "working_days: [Mon, Tues]\n"));
    assert!(
        out.contains("rotation.yaml:9:21: error: `working_days[1]` is not a weekday: \"Tues\" (did you mean `tue`?"),
        "{out}"
    );
}

#[test]
fn the_schema_accepts_the_weekday_names_the_reader_accepts() {
    // The schema's pattern and `Weekday::parse` describe the same names:
    // every case variant of every short and full name, and nothing else
    // among near misses. (check-jsonschema validates the repository's own
    // file against the schema in CI.)
    use oncall_core::config::schema::{WEEKDAY_NAMES, WEEKDAY_PATTERN, Weekday};
    for full in WEEKDAY_NAMES {
        for name in [&full[..3], full] {
            for v in [
                name.to_owned(),
                name.to_uppercase(),
                format!("{}{}", name[..1].to_uppercase(), &name[1..]),
            ] {
                assert!(Weekday::parse(&v).is_some(), "{v}");
                // Each letter of the pattern is a [Xx] class.
                let first = v.chars().next().unwrap();
                let class = format!(
                    "[{}{}]",
                    first.to_ascii_uppercase(),
                    first.to_ascii_lowercase()
                );
                assert!(WEEKDAY_PATTERN.contains(&class), "{v}");
            }
        }
    }
    for bad in ["tues", "mo", "mondays", "thurs", "", "sunday "] {
        assert!(Weekday::parse(bad).is_none(), "{bad:?}");
    }
    // The fixture that .ci/run validates against the schema reads here too.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/valid/weekdays-any-case.yaml"
    ))
    .unwrap();
    assert_eq!(rot(&text).working_days.len(), 6);
}

#[test]
fn a_tab_in_the_indentation_is_reported_on_its_own_line() {
    // Was reported on the line before it.
    let text =
        "team: T\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n  - github: ana\n\t  name: Ana\n";
    let out = problems(text);
    assert!(
        out.contains("rotation.yaml:6:1: error: a tab in the indentation"),
        "{out}"
    );
}

#[test]
fn an_override_before_start_is_an_error() {
    let out = problems(&yaml(
        &FOUR,
        "overrides:\n  - { date: 2026-01-02, github: ben }\n",
    ));
    assert!(
        out.contains("rotation.yaml:10:13: error: override on 2026-01-02, before the rotation starts (2026-01-05)"),
        "{out}"
    );
}

#[test]
fn a_holiday_list_in_the_past_is_warned_about_and_past_entries_are_kept() {
    // A holiday list copied from last year passed silently: `who
    // 2026-12-25` then named someone on Christmas.
    let text = format!(
        "{}holidays:\n  - {{ date: 2025-12-25, name: Christmas }}\n  - 2025-12-26\noverrides:\n  - {{ date: 2026-01-07, github: dee }}\nstate:\n  since: 2026-03-02\n  on_call: ana\n  cycle: 4\n  order: [ana, ben, cai, dee]\n  served: [ana]\n",
        yaml(&FOUR, "").replace(
            "  - github: ben\n",
            "  - github: ben\n    away:\n      - { from: 2026-02-02, to: 2026-02-06 }\n"
        )
    );
    let w = warnings(&text);
    assert_eq!(
        w,
        "rotation.yaml:13:5: warning: every holiday is before the last handover (2026-03-02); none lies ahead: is this last year's list? (add the holidays ahead (keep the past ones: they are the record))"
    );
    // Issue 22: past time off and overrides are the record (the log and
    // `oncall stats` read them): no warning, and never the advice to
    // remove them.
    assert!(!w.contains("time off") && !w.contains("override"), "{w}");
    assert!(!w.contains("remove"), "{w}");
    // One holiday ahead: nothing to say.
    let ahead = text.replace("  - 2025-12-26\n", "  - 2026-12-26\n");
    assert_eq!(warnings(&ahead), "");
}

#[test]
fn a_duty_cut_by_an_unquoted_hash_is_a_warning() {
    let text = yaml(
        &FOUR,
        "duties:\n  - Triage new issues in #ops\n  - \"Watch #alerts\"\n  - Check the console # a real comment\n  - Weekly sync  # weekly\n",
    );
    let w = warnings(&text);
    assert!(
        w.contains("rotation.yaml:10:5: warning: this duty ends before `#ops`: YAML reads ` #` and the rest of the line as a comment, so the duty is \"Triage new issues in\""),
        "{w}"
    );
    // Quoted as the file has it (issue 22: it said ` #weekly`).
    assert!(
        w.contains("rotation.yaml:13:5: warning: this duty ends before `# weekly`:"),
        "{w}"
    );
    assert!(!w.contains(":11:"), "a quoted duty is fine: {w}");
    assert!(w.contains(":12:5: warning:"), "{w}");
}

#[test]
fn a_time_zone_without_a_location_is_a_warning() {
    for (tz, hint) in [
        ("EST", "America/New_York"),
        ("MST", "America/Denver"),
        ("EST5EDT", "America/New_York"),
    ] {
        let w = warnings(&yaml(&FOUR, "").replace("timezone: UTC", &format!("timezone: {tz}")));
        assert!(
            w.contains(&format!(
                "rotation.yaml:2:11: warning: time zone \"{tz}\" names no location"
            )) && w.contains(hint),
            "{tz}: {w}"
        );
    }
    assert_eq!(warnings(&yaml(&FOUR, "")), "", "UTC is fine");
}

#[test]
fn dates_are_exactly_yyyy_mm_dd() {
    // These passed: chrono reads them, and `start: -2026-01-01` made the
    // first advance log a million days.
    for (bad, col) in [
        ("2026-3-2", 8),
        ("+12026-01-01", 8),
        ("-2026-01-01", 8),
        ("0000-01-01", 8),
        ("\" 2026-03-02\"", 8),
    ] {
        let out = problems(&yaml(&FOUR, "").replace("start: 2026-01-05", &format!("start: {bad}")));
        assert!(
            out.contains(&format!(
                "rotation.yaml:3:{col}: error: `start` is not a valid date"
            )),
            "{bad}: {out}"
        );
    }
    assert!(oncall_core::config::parse_date("2026-3-2").is_none());
    assert!(oncall_core::config::parse_date("0000-01-01").is_none());
}

#[test]
fn a_cycle_number_out_of_range_says_what_it_must_be() {
    // Issue 22, probe 11: a huge `state.cycle` said "invalid u32 (fix the
    // YAML syntax here …)".
    for cycle in ["99999999999", "4294967295", "1000001", "0", "-3"] {
        let text = yaml(
            &FOUR,
            &format!(
                "state:\n  since: 2026-01-05\n  on_call: ana\n  cycle: {cycle}\n  order: [ana, ben, cai, dee]\n  served: [ana]\n"
            ),
        );
        let out = problems(&text);
        assert!(
            out.contains(
                "rotation.yaml:12:10: error: `state.cycle` must be a whole number from 1 to 1000000"
            ),
            "{cycle}: {out}"
        );
        assert!(
            !out.contains("u32") && !out.contains("YAML syntax"),
            "{out}"
        );
    }
}

#[test]
fn an_override_of_a_day_handed_over_may_name_a_former_member() {
    // Issue 22, bug 6: the override of a day handed over is the record; it
    // stays valid when its member has left since. One ahead does not.
    let state = "state:\n  since: 2026-01-09\n  on_call: ana\n  cycle: 1\n  order: [ana, ben, cai]\n  served: [ana, ben, cai]\n";
    let past = yaml(
        &FOUR[..3],
        &format!("overrides:\n  - {{ date: 2026-01-07, github: dee }}\n{state}"),
    );
    assert_eq!(warnings(&past), "");
    let ahead = past.replace("2026-01-07", "2026-01-13");
    assert!(
        problems(&ahead).contains("override on 2026-01-13 names `dee`, who is not in `members`"),
        "{}",
        problems(&ahead)
    );
}
