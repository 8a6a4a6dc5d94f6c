//! The log format round-trips: any day section the writer (`render`)
//! produces reads back (`log::parse`) to the same facts: the day, who was
//! on call, why (rotation, override, substitute, uncovered), whom an
//! override replaced and why, who lost their turn. Names, reasons and
//! duties are drawn from text full of Markdown and of the format's own
//! markers, so that a name cannot pass for a marker.

use chrono::NaiveDate;
use oncall_core::config;
use oncall_core::escape;
use oncall_core::log;
use oncall_core::log_format;
use oncall_core::plan::{CycleList, Handover, Status};
use oncall_core::render;
use oncall_core::rotation::{Day, Why};
use proptest::prelude::*;

/// Text that looks like the format: its markers, Markdown, links.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Zoë",
        " ",
        "`@bob`",
        "@carol",
        ". Reason: ",
        " replaces ",
        "**Override:**",
        "> ",
        "**Substitute:**",
        " lost their turn in cycle ",
        "## 2026-01-05 · ",
        " · ",
        "### Topics",
        "- [ ] ",
        "runbook:",
        "<!--",
        "-->",
        "```",
        "*",
        "_",
        "\\",
        "#12",
        "https://x.test/a",
        "|",
        "(",
        ")",
        "[",
        "]",
        ".",
        "\t",
        "&amp;",
        "GH-1",
    ]);
    prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

fn login() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?"
}

#[derive(Debug, Clone)]
struct Case {
    members: Vec<(String, Option<String>)>,
    team: String,
    duties: Vec<String>,
    date: NaiveDate,
    why: Why,
    on_call: usize,
    replaces: Option<usize>,
    reason: Option<String>,
    lost_turn: Vec<usize>,
    cycle: u32,
    new_cycle: bool,
    announced: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            prop::collection::btree_set(login(), 2..6),
            prop::collection::vec(prop::option::of(tricky_text()), 6),
            tricky_text(),
            prop::collection::vec(tricky_text(), 0..3),
            0u32..3000,
            prop::sample::select(vec![
                Why::Rotation,
                Why::Override,
                Why::Substitute,
                Why::Uncovered,
            ]),
        ),
        (
            any::<prop::sample::Index>(),
            prop::option::of(any::<prop::sample::Index>()),
            prop::option::of(tricky_text()),
            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
            2u32..50,
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (logins, names, team, duties, day, why),
                (on, rep, reason, lost, cycle, new, ann),
            )| {
                let members: Vec<(String, Option<String>)> = logins
                    .into_iter()
                    .zip(names)
                    .map(|(l, n)| (l, n.filter(|n| !n.trim().is_empty())))
                    .collect();
                let n = members.len();
                let mut lost_turn: Vec<usize> = lost.iter().map(|i| i.index(n)).collect();
                lost_turn.sort();
                lost_turn.dedup();
                Case {
                    date: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
                        + chrono::Days::new(u64::from(day)),
                    on_call: on.index(n),
                    replaces: rep.map(|i| i.index(n)),
                    members,
                    team,
                    duties,
                    why,
                    reason,
                    lost_turn,
                    cycle,
                    new_cycle: new,
                    announced: ann,
                }
            },
        )
}

/// The rotation of a case, read from YAML (names as JSON strings, which
/// YAML reads as they are).
fn rotation(c: &Case) -> Option<config::Rotation> {
    let q = |s: &str| serde_json::to_string(s).unwrap();
    let mut y = format!(
        "team: {}\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n",
        q(&c.team)
    );
    for (login, name) in &c.members {
        y.push_str(&format!("  - github: {login}\n"));
        if let Some(name) = name {
            y.push_str(&format!("    name: {}\n", q(name)));
        }
    }
    if !c.duties.is_empty() {
        y.push_str("duties:\n");
        for d in &c.duties {
            y.push_str(&format!("  - {}\n", q(d)));
        }
    }
    // Some generated text is refused by validation (an empty duty, say):
    // that is not the format's business.
    config::load("rotation.yaml", &y).ok().map(|(r, _)| r)
}

fn handover(c: &Case) -> Handover {
    let login = |i: usize| c.members[i].0.clone();
    let (on_call, replaces, reason) = match c.why {
        Why::Uncovered => (None, None, None),
        Why::Override => (
            Some(login(c.on_call)),
            c.replaces.map(login),
            c.reason.clone(),
        ),
        _ => (Some(login(c.on_call)), None, None),
    };
    let cycle = CycleList::from_full(
        c.members
            .iter()
            .map(|(l, _)| (l.clone(), Status::Due))
            .collect(),
    );
    Handover {
        day: Day {
            date: c.date,
            on_call,
            why: c.why,
            cycle: c.cycle,
            new_cycle: c.new_cycle,
            away_due: match c.why {
                Why::Substitute => {
                    let n = c.members.len();
                    let mut away = vec![login((c.on_call + 1) % n)];
                    if n > 2 {
                        away.push(login((c.on_call + 2) % n));
                    }
                    away
                }
                _ => Vec::new(),
            },
            lost_turn: c.lost_turn.iter().map(|i| login(*i)).collect(),
            reason,
            replaces,
        },
        previous: None,
        cycle,
        next: None,
        announced: c.announced,
        open_threads: Vec::new().into(),
        runbook_debt: Vec::new().into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_section_the_writer_produces_reads_back_to_the_same_facts(c in case()) {
        let Some(rot) = rotation(&c) else { return Ok(()); };
        let h = handover(&c);
        let mut text = render::header(&rot);
        log::append(&mut text, &render::section(&rot, &h));
        let log = log::parse("oncall-log.md", &text).expect("the writer's log reads");
        prop_assert_eq!(log.records.len(), 1, "{}", text);
        let r = &log.records[0];
        prop_assert_eq!(r.date, h.day.date);
        prop_assert_eq!(&r.on_call, &h.day.on_call, "{}", text);
        prop_assert_eq!(r.why, h.day.why, "{}", text);
        prop_assert_eq!(&r.lost_turn, &h.day.lost_turn, "{}", text);
        // Whom a substitute stood in for, and the cycle (issue 22, bug 2).
        let stood_in_for = match h.day.why {
            Why::Substitute => h.day.away_due.clone(),
            _ => Vec::new(),
        };
        prop_assert_eq!(&r.substitute_for, &stood_in_for, "{}", text);
        prop_assert_eq!(r.cycle, Some(h.day.cycle), "{}", text);
        if h.day.why == Why::Override {
            prop_assert_eq!(&r.replaces, &h.day.replaces, "{}", text);
            // The log records the reason as escaped text: read back, it is
            // the reason itself, but for control characters (spaces).
            let recorded = h.day.reason.as_deref().map(|s| escape::unmarkdown(&escape::markdown(s)));
            prop_assert_eq!(&r.reason, &recorded, "{}", text);
            if let Some(reason) = &h.day.reason && !reason.chars().any(char::is_control) {
                prop_assert_eq!(r.reason.as_deref(), Some(reason.as_str()), "{}", text);
            }
        } else {
            prop_assert_eq!(&r.replaces, &None);
            prop_assert_eq!(&r.reason, &None);
        }
        // The section's line is its heading's.
        let heading_line = text.lines().nth(r.line as usize - 1).unwrap();
        prop_assert!(log_format::read_heading(heading_line).is_some());
        // A second day's section after it reads as a second record.
        let mut h2 = h.clone();
        h2.day.date = h.day.date.succ_opt().unwrap();
        log::append(&mut text, &render::section(&rot, &h2));
        let log = log::parse("oncall-log.md", &text).expect("two sections read");
        prop_assert_eq!(log.records.len(), 2);
        prop_assert_eq!(&log.records[1].on_call, &h2.day.on_call);
    }
}

#[test]
fn the_slack_markers_pair_up() {
    let date = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let body = format!(
        "## On call\n\nbody\n\n{}\n",
        log_format::pr_slack_marker(date)
    );
    assert!(log_format::pr_announced(&body, date));
    assert!(!log_format::pr_announced(&body, date.succ_opt().unwrap()));
    assert_eq!(
        log_format::without_slack_markers(&body),
        "## On call\n\nbody\n"
    );
    let marked = log::mark_announced("## 2026-12-02 · Wednesday · `@a`\n");
    let parsed = log::parse("l", &marked).unwrap();
    assert!(log::announced_in_slack(&parsed, &marked, date));
}

#[test]
fn a_name_that_reads_like_a_marker_stays_a_name() {
    // Found by the property above: the reader searched for ". Reason: "
    // and took a member's name for the reason.
    let rot = config::load(
        "rotation.yaml",
        "team: T\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n  - github: a\n  - github: b\n    name: \". Reason: \"\n",
    )
    .unwrap()
    .0;
    let mut h = handover(&Case {
        members: vec![("a".into(), None), ("b".into(), Some(". Reason: ".into()))],
        team: "T".into(),
        duties: Vec::new(),
        date: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        why: Why::Override,
        on_call: 1,
        replaces: None,
        reason: None,
        lost_turn: Vec::new(),
        cycle: 1,
        new_cycle: false,
        announced: true,
    });
    let text = render::section(&rot, &h);
    let r = &log::parse("l", &text).unwrap().records[0];
    assert_eq!(
        (r.why, r.reason.as_deref(), r.replaces.as_deref()),
        (Why::Override, None, None),
        "{text}"
    );
    h.day.replaces = Some("a".into());
    h.day.reason = Some("swap. Reason: sick".into());
    let text = render::section(&rot, &h);
    let r = &log::parse("l", &text).unwrap().records[0];
    assert_eq!(r.replaces.as_deref(), Some("a"), "{text}");
    assert_eq!(r.reason.as_deref(), Some("swap. Reason: sick"), "{text}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// R13: a takeover note reads back to who took over, from whom and
    /// why, whatever the names and the reason hold (the format's own
    /// words among them).
    #[test]
    fn a_takeover_note_reads_back(
        to_name in tricky_text(),
        from_name in tricky_text(),
        reason in prop::option::of(tricky_text()),
        uncovered in any::<bool>(),
    ) {
        let person = |name: &str, login: &str| {
            format!("{} ({})", escape::markdown(name), log_format::code_login(login))
        };
        let from = (!uncovered).then(|| person(&from_name, "demo-bob"));
        let reason_md = reason.as_deref().map(escape::markdown);
        let note = log_format::takeover_note(
            &person(&to_name, "demo-dave"),
            from.as_deref(),
            "11:02",
            reason_md.as_deref(),
        );
        let (to, read_from, read_reason) = log_format::read_takeover(&note).expect("a takeover note");
        prop_assert_eq!(to, "demo-dave");
        prop_assert_eq!(read_from.as_deref(), (!uncovered).then_some("demo-bob"));
        // The reason as recorded: itself, but for control characters (spaces).
        let recorded = reason.as_deref().map(|s| escape::unmarkdown(&escape::markdown(s)));
        prop_assert_eq!(read_reason.map(escape::unmarkdown), recorded.clone());
        // And in a log: the day reads as an override by Dave in place of Bob.
        let text = format!("# Log\n\n## 2026-11-30 · Bob (`@demo-bob`)\n\n> {note}\n");
        let log = log::parse("oncall-log.md", &text).unwrap();
        let r = log.record(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()).unwrap();
        prop_assert_eq!(r.on_call.as_deref(), Some("demo-dave"));
        prop_assert_eq!(r.why, Why::Override);
        prop_assert_eq!(r.reason.clone(), recorded);
    }
}
