//! R7 with R4's hold-back (issue 22, probes 9 and 10): a member who leaves
//! after serving, or one who joins, moves nobody else's day in the current
//! cycle, also while its first w turns keep the previous cycle's last
//! members back. The hold-back is the cycle's as drawn: the state records
//! for how many turns it lasts (`held_for`), so that neither a shorter
//! `served` nor a larger team changes it.

#[path = "../../../tests/common/mod.rs"]
mod common;
use chrono::{Days, NaiveDate};
use common::*;
use oncall_core::config::edit::write_state;
use oncall_core::roster::write_leave;
use oncall_core::rotation::{Day, Engine};
use proptest::prelude::*;

fn team(name: &str, members: &[&str], extra: &str) -> String {
    yaml(members, extra).replacen("team: Test", &format!("team: {name}"), 1)
}

/// The file with the state the engine reaches after handing over `date`.
fn advanced_to(text: &str, date: NaiveDate) -> String {
    let r = rot(text);
    let mut e = Engine::new(&r);
    e.skip_until(date);
    write_state(text, &e.state().expect("a day was handed over")).unwrap()
}

/// (date, login) of the working days after the state up to `to`.
fn days(text: &str, to: &str) -> Vec<(NaiveDate, String)> {
    Engine::new(&rot(text))
        .run_until(d(to))
        .into_iter()
        .map(|x: Day| (x.date, x.on_call.unwrap_or_default()))
        .collect()
}

fn logins(days: &[(NaiveDate, String)]) -> Vec<&str> {
    days.iter().map(|(_, g)| g.as_str()).collect()
}

const SEVEN: [&str; 7] = ["a", "b", "c", "d", "e", "f", "g"];

#[test]
fn r7_leaving_after_serving_keeps_the_cycles_hold_back() {
    // Probe 9's case: cycle 1 is a..g (5 to 13 January), cycle 2 starts
    // on the 14th with f and g held back for its first two turns (w = 2);
    // `a` serves the first. Leaving afterwards keeps that turn served.
    let text = advanced_to(&team("Team 40", &SEVEN, ""), d("2026-01-14"));
    assert!(
        text.contains("served: [a]\n  held_back: [f, g]\n  held_for: 1\n"),
        "{text}"
    );
    let before = days(&text, "2026-01-22");
    assert_eq!(logins(&before), ["b", "g", "c", "d", "e", "f"]);
    let left = write_leave(&text, &rot(&text), "a").unwrap();
    assert!(
        left.contains(
            "order: [b, g, c, d, e, f]\n  served: []\n  held_back: [f, g]\n  held_for: 1\n"
        ),
        "{left}"
    );
    // Before issue 22, `g` moved behind `c` (the empty `served` lengthened
    // the hold-back by a turn).
    assert_eq!(days(&left, "2026-01-22"), before);
    // The state still says who was on call on the 14th: the record.
    assert!(left.contains("on_call: a\n"), "{left}");
}

#[test]
fn r4_a_member_added_while_a_cycle_starts_does_not_lengthen_its_hold_back() {
    // Probe 10's smallest case: 8 members (w = 2) become 9 (w = 3) after
    // cycle 2's first turn. `h`, held back for the first two turns, serves
    // the third as drawn; the new member joins at the end.
    let eight = ["a", "b", "c", "d", "e", "f", "g", "h"];
    let text = advanced_to(&team("Team 4", &eight, ""), d("2026-01-15"));
    assert!(
        text.contains("held_back: [g, h]\n  held_for: 1\n"),
        "{text}"
    );
    let before = days(&text, "2026-01-26");
    assert_eq!(logins(&before), ["f", "h", "e", "g", "d", "c", "b"]);
    let added = text.replacen("  - github: h\n", "  - github: h\n  - github: i\n", 1);
    let after = days(&added, "2026-01-27");
    assert_eq!(after[..before.len()], before[..]);
    assert_eq!(after[before.len()].1, "i");
}

#[test]
fn r4_a_file_without_held_for_reckons_it_from_its_order() {
    // A state written before `held_for` was recorded: the hold-back is the
    // window of the order it names (the team as drawn), less `served`.
    let eight = ["a", "b", "c", "d", "e", "f", "g", "h"];
    let text = advanced_to(&team("Team 4", &eight, ""), d("2026-01-15"));
    let old = text.replace("  held_for: 1\n", "");
    assert_eq!(days(&old, "2026-01-26"), days(&text, "2026-01-26"));
    let added = old.replacen("  - github: h\n", "  - github: h\n  - github: i\n", 1);
    assert_eq!(
        days(&added, "2026-01-26"),
        days(&text, "2026-01-26"),
        "the ninth member does not widen the window of a cycle drawn from eight"
    );
}

fn day(offset: u16) -> NaiveDate {
    d("2026-01-05")
        .checked_add_days(Days::new(u64::from(offset)))
        .unwrap()
}

/// A team of `n` with some time off (only when `away`) and holidays.
fn random_team(n: usize, away: &[(u16, u16)], holidays: &[u16]) -> String {
    let mut s = format!("team: Probe {n}\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n");
    for i in 0..n {
        s.push_str(&format!("  - github: m{i}\n"));
        if let Some((from, len)) = away.get(i) {
            s.push_str(&format!(
                "    away:\n      - {{ from: {}, to: {} }}\n",
                day(*from),
                day(from + len)
            ));
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

/// The days of the current cycle after the state: (date, login).
fn rest_of_cycle(text: &str) -> Vec<(NaiveDate, String)> {
    let r = rot(text);
    let cycle = r.state.as_ref().map_or(1, |s| s.cycle);
    let mut e = Engine::new(&r);
    let mut out = Vec::new();
    while let Some(x) = e.step() {
        if x.cycle != cycle {
            break;
        }
        out.push((x.date, x.on_call.unwrap_or_default()));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    /// Probe 9: leaving after serving never moves another member's day in
    /// the current cycle (R7), whatever the time off.
    #[test]
    fn leaving_after_serving_moves_no_other_day_of_the_cycle(
        n in 2usize..30,
        at in 0u16..200,
        pick in 0usize..30,
        away in proptest::collection::vec((0u16..250, 0u16..20), 0..6),
        holidays in proptest::collection::vec(0u16..250, 0..6),
    ) {
        let text = advanced_to(&random_team(n, &away, &holidays), day(at).max(d("2026-01-05")));
        let r = rot(&text);
        let st = r.state.clone().unwrap();
        prop_assume!(!st.served.is_empty());
        let login = st.served[pick % st.served.len()].clone();
        let left = write_leave(&text, &r, &login).unwrap();
        let (before, after) = (rest_of_cycle(&text), rest_of_cycle(&left));
        // Every day of the cycle stays. (The cycle may last longer: when
        // the leaver was the only member available on a day, the day is
        // now uncovered and the cycle goes on (R5), where before the next
        // cycle started.)
        prop_assert_eq!(&after[..before.len().min(after.len())], &before[..]);
    }

    /// Probe 10: a member who joins never moves another member's day in the
    /// current cycle (R7): they serve at its end (no time off here: an away
    /// member may then serve later in the cycle instead of losing the turn).
    #[test]
    fn joining_moves_no_other_day_of_the_cycle(
        n in 2usize..40,
        at in 0u16..200,
        holidays in proptest::collection::vec(0u16..250, 0..6),
    ) {
        let text = advanced_to(&random_team(n, &[], &holidays), day(at).max(d("2026-01-05")));
        let before = rest_of_cycle(&text);
        let added = text.replacen("members:\n", "members:\n  - github: zz-new\n", 1);
        let after = rest_of_cycle(&added);
        prop_assert_eq!(&after[..before.len()], &before[..]);
        prop_assert_eq!(after.len(), before.len() + 1);
        prop_assert_eq!(&after[before.len()].1, "zz-new");
    }
}
