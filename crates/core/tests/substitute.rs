//! R5's substitute days (issue 22, bug 4): a day is a substitute day for an
//! away member only where the member serving differs from who would have
//! served had that member not been away. Checked against the
//! counterfactual itself (the same rotation, run again without the
//! member's time off in the cycle), on random teams, and on the issue's
//! case.

#[path = "../../../tests/common/mod.rs"]
mod common;
use chrono::{Days, NaiveDate};
use common::*;
use oncall_core::config::Rotation;
use oncall_core::rotation::{Day, Engine, Why, spacing_window};
use proptest::prelude::*;

fn day(offset: u16) -> NaiveDate {
    d("2026-01-05")
        .checked_add_days(Days::new(u64::from(offset)))
        .unwrap()
}

/// Whom the rotation had that day, under an override (R6).
fn underlying(day: &Day) -> Option<String> {
    match day.why {
        Why::Override => day.replaces.clone(),
        _ => day.on_call.clone(),
    }
}

/// Members, their time off (first day, length), holidays.
type Team = (usize, Vec<Vec<(u16, u16)>>, Vec<u16>);

fn team() -> impl Strategy<Value = Team> {
    (2usize..12).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(proptest::collection::vec((0u16..150, 0u16..20), 0..3), n),
            proptest::collection::vec(0u16..150, 0..4),
        )
    })
}

fn yaml(n: usize, away: &[Vec<(u16, u16)>], holidays: &[u16]) -> String {
    let mut s = format!("team: Counterfactual {n}\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n");
    for (i, away) in away.iter().enumerate().take(n) {
        s.push_str(&format!("  - github: m{i}\n"));
        if !away.is_empty() {
            s.push_str("    away:\n");
            for (from, len) in away {
                let (f, t) = (day(*from), day(from + len));
                s.push_str(&format!("      - {{ from: {f}, to: {t} }}\n"));
            }
        }
    }
    if !holidays.is_empty() {
        s.push_str("holidays:\n");
        let mut seen = std::collections::HashSet::new();
        for h in holidays.iter().filter(|h| seen.insert(**h)) {
            s.push_str(&format!("  - {}\n", day(*h)));
        }
    }
    s
}

/// The rotation without member `m`'s time off from `from` on.
fn without_time_off(r: &Rotation, m: usize, from: NaiveDate) -> Rotation {
    let mut r2 = r.clone();
    let before = from.pred_opt().unwrap();
    r2.members[m].away = r.members[m]
        .away
        .iter()
        .filter(|(f, _)| *f < from)
        .map(|&(f, t)| (f, t.min(before)))
        .collect();
    r2
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    /// Each day, each away member still due: labelled "substitute for" them
    /// exactly when, without their time off in this cycle, someone else
    /// would serve (uncovered days in the cycle, where the counterfactual
    /// is not kept, and a counterfactual whose cycle began on another day
    /// are left out).
    #[test]
    fn a_substitute_day_is_one_the_time_off_moved((n, away, holidays) in team()) {
        let r = rot(&yaml(n, &away, &holidays));
        let days = Engine::new(&r).run_until(day(160));
        let mut cycle_start = 0;
        for (k, today) in days.iter().enumerate() {
            if today.new_cycle {
                cycle_start = k;
            }
            let cycle = &days[cycle_start..=k];
            if cycle.iter().any(|x| x.why == Why::Uncovered) {
                continue;
            }
            for (m, member) in r.members.iter().enumerate() {
                let g = &member.github;
                let due = cycle[..cycle.len() - 1]
                    .iter()
                    .all(|x| underlying(x).as_ref() != Some(g));
                let labelled = today.away_due.contains(g);
                if !(due && member.is_away(today.date)) || underlying(today).as_ref() == Some(g) {
                    prop_assert!(!labelled, "{}: {g} labelled, not due and away", today.date);
                    continue;
                }
                let r2 = without_time_off(&r, m, days[cycle_start].date);
                let other = Engine::new(&r2).run_until(today.date);
                let theirs = &other[k];
                prop_assert_eq!(theirs.date, today.date);
                // The same cycle, begun on the same day.
                let began = &other[cycle_start];
                if theirs.cycle != today.cycle || began.cycle != today.cycle || (cycle_start > 0 && !began.new_cycle) {
                    continue;
                }
                let moved = underlying(theirs) != underlying(today);
                prop_assert_eq!(labelled, moved, "{} for {}", today.date, g);
            }
            if today.why != Why::Override {
                prop_assert_eq!(today.why == Why::Substitute, !today.away_due.is_empty());
            }
        }
    }

    /// An engine started from a state block (each day's handover) labels
    /// the days as the one that ran from `start` (R8), when the state still
    /// has the cycle's hold-back or the cycle has none (cycle 1).
    #[test]
    fn a_state_block_gives_the_same_labels((n, away, holidays) in team(), restart in 0u16..120) {
        let r = rot(&yaml(n, &away, &holidays));
        let all = Engine::new(&r).run_until(day(170));
        let mut e = Engine::new(&r);
        e.skip_until(day(restart));
        let Some(st) = e.state() else { return Ok(()) };
        if st.cycle > 1 && st.served.len() >= spacing_window(n) {
            return Ok(());
        }
        let mut r2 = r.clone();
        r2.state = Some(st);
        for x in Engine::new(&r2).run_until(day(170)) {
            let y = all.iter().find(|y| y.date == x.date).unwrap();
            prop_assert_eq!(&x, y);
        }
    }
}

/// The issue's case: seven members from 7 December, Clara away 14-18
/// December. Cycle 2 begins on the 16th with David; Clara is due next but
/// away. Anna serves the 17th in her place (a substitute day); on the 18th
/// Greta serves, as she would have had Clara been there (the hold-back of
/// R4 put Anna, not Greta, after Clara): not a substitute day. Clara serves
/// on the 21st, her first day back.
#[test]
fn the_issue_case_labels_only_the_day_that_moved() {
    let text = "team: Berlin SRE\ntimezone: Europe/Berlin\nstart: 2026-12-07\nmembers:\n  \
        - { github: anna, name: Anna Schmidt }\n  - { github: ben, name: Ben Müller }\n  \
        - github: clara\n    name: Clara Weber\n    away: [{ from: 2026-12-14, to: 2026-12-18 }]\n  \
        - { github: david, name: David Fischer }\n  - { github: eva, name: Eva Wagner }\n  \
        - { github: felix, name: Felix Becker }\n  - { github: greta, name: Greta Hoffmann }\n";
    let r = rot(text);
    let days = Engine::new(&r).run_until(d("2026-12-21"));
    let shown: Vec<String> = days
        .iter()
        .filter(|x| x.date >= d("2026-12-16"))
        .map(|x| {
            format!(
                "{} {} {:?} {:?}",
                x.date,
                x.on_call.as_deref().unwrap(),
                x.why,
                x.away_due
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "2026-12-16 david Rotation []",
            "2026-12-17 anna Substitute [\"clara\"]",
            "2026-12-18 greta Rotation []",
            "2026-12-21 clara Rotation []",
        ]
    );
    // The counterfactual: without Clara's time off, Greta serves the 18th.
    let mut r2 = r.clone();
    r2.members[2].away.clear();
    let other = Engine::new(&r2).run_until(d("2026-12-18"));
    assert_eq!(other.last().unwrap().on_call.as_deref(), Some("greta"));
    // Handed over day by day (an engine from each day's state block), the
    // 18th is still Greta's own day.
    let mut e = Engine::new(&r);
    e.skip_until(d("2026-12-17"));
    let mut r3 = r.clone();
    r3.state = e.state();
    let next = Engine::new(&r3).step().unwrap();
    assert_eq!((next.why, next.away_due.len()), (Why::Rotation, 0));
}
