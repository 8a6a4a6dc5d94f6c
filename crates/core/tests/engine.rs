//! The rotation engine against the engine as it was before it was made
//! linear in days plus members (issue 21, finding 5): the reference below
//! is that engine, verbatim but for its name and the state's `held_for`
//! (recorded since issue 22; it scanned the order and
//! every member's time off each day). On random teams, with time off,
//! overrides, holidays and state blocks, both decide every day alike and
//! end in the same state: the speed-up moved nobody's day.

#[path = "../../../tests/common/mod.rs"]
mod common;
use chrono::{Days, NaiveDate};
use common::*;
use oncall_core::config::{Rotation, State};
use oncall_core::rotation::{Day, Engine, Why, shuffle, shuffle_seed, spacing_window};
use proptest::prelude::*;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

/// The rotation engine: the state of the current cycle, by member index.
#[derive(Debug, Clone)]
pub struct Reference<'a> {
    rot: &'a Rotation,
    /// The current cycle's order (indices into `rot.members`).
    order: Vec<usize>,
    /// `served[i]`: member i has had (or lost) their turn in this cycle.
    served: Vec<bool>,
    /// The members who served in this cycle, in the order they served.
    served_list: Vec<usize>,
    cycle: u32,
    /// Who was on call on `since` (None: uncovered, or not started).
    last: Option<usize>,
    /// The last working day processed (None: the rotation has not begun).
    since: Option<NaiveDate>,
    /// Members on call on `since` who have since left the roster.
    last_removed: Option<String>,
    /// R4 spacing: the members who served the last days of the previous
    /// cycle, kept out of this cycle's first [`spacing_window`] days.
    held_back: Vec<usize>,
}

impl<'a> Reference<'a> {
    /// Starts where rotation.yaml's `state` says the rotation stands, with
    /// roster changes applied (R7): members no longer listed leave the cycle,
    /// new members join it at its end. Without a state, the rotation begins
    /// on `start` with cycle 1 in the written order.
    pub fn new(rot: &'a Rotation) -> Self {
        let n = rot.members.len();
        let index = &rot.index;
        let mut engine = Reference {
            rot,
            order: Vec::with_capacity(n),
            served: vec![false; n],
            served_list: Vec::new(),
            cycle: 1,
            last: None,
            since: None,
            last_removed: None,
            held_back: Vec::new(),
        };
        match &rot.state {
            None => engine.order = (0..n).collect(),
            Some(st) => {
                engine.cycle = st.cycle;
                engine.since = Some(st.since);
                engine.order = st
                    .order
                    .iter()
                    .filter_map(|g| index.get(g.as_str()).copied())
                    .collect();
                let mut in_order = vec![false; n];
                for &i in &engine.order {
                    in_order[i] = true;
                }
                engine.order.extend((0..n).filter(|&i| !in_order[i]));
                for g in &st.served {
                    if let Some(&i) = index.get(g.as_str()) {
                        engine.served[i] = true;
                        engine.served_list.push(i);
                    }
                }
                engine.held_back = st
                    .held_back
                    .iter()
                    .filter_map(|g| index.get(g.as_str()).copied())
                    .collect();
                engine.last = st.on_call.as_deref().and_then(|g| index.get(g).copied());
                if engine.last.is_none() {
                    engine.last_removed = st.on_call.clone();
                }
            }
        }
        engine
    }

    /// The last working day processed, if any.
    pub fn since(&self) -> Option<NaiveDate> {
        self.since
    }

    /// The next working day the engine will decide.
    pub fn next_date(&self) -> Option<NaiveDate> {
        match self.since {
            Some(d) => self.rot.next_working_day(d),
            None if self.rot.is_working_day(self.rot.start) => Some(self.rot.start),
            None => self.rot.next_working_day(self.rot.start),
        }
    }

    /// Decides the next working day and moves the rotation to it.
    pub fn step(&mut self) -> Option<Day> {
        let date = self.next_date()?;
        let rot = self.rot;
        let mut day = Day {
            date,
            on_call: None,
            why: Why::Uncovered,
            cycle: self.cycle,
            new_cycle: false,
            away_due: Vec::new(),
            lost_turn: Vec::new(),
            reason: None,
            replaces: None,
        };
        // R6: the rotation underneath is decided as if there were no
        // override; an override then replaces whoever it had that day, and
        // that member counts as having had their turn.
        let underlying = self.pick(date, &mut day);
        let chosen = match rot.overrides.get(&date) {
            Some(o) => {
                day.replaces = underlying.map(|i| rot.members[i].github.clone());
                day.why = Why::Override;
                day.reason = o.reason.clone();
                // Validation guarantees a listed member who is not away.
                rot.position(&o.github)
            }
            None => underlying,
        };
        day.cycle = self.cycle;
        day.on_call = chosen.map(|i| rot.members[i].github.clone());
        self.last = chosen;
        self.last_removed = None;
        self.since = Some(date);
        Some(day)
    }

    /// R3/R5: the first member still due who is available; a new cycle when
    /// nobody due is left (or nobody due is available); uncovered when no
    /// member at all is available. R4: during a cycle's first days, members
    /// held back for spacing serve only when nobody else due is available.
    fn pick(&mut self, date: NaiveDate, day: &mut Day) -> Option<usize> {
        let members = &self.rot.members;
        let chosen = match self.first_due_available(date) {
            Some(i) => i,
            None => {
                if members.iter().all(|m| m.is_away(date)) {
                    return None;
                }
                day.lost_turn = self
                    .order
                    .iter()
                    .filter(|&&j| !self.served[j])
                    .map(|&j| members[j].github.clone())
                    .collect();
                self.start_cycle();
                day.new_cycle = true;
                self.first_due_available(date)
                    .expect("someone is available")
            }
        };
        // Who was due before the one chosen, but away (R5).
        day.away_due = self
            .order
            .iter()
            .copied()
            .take_while(|&j| j != chosen)
            .filter(|&j| !self.served[j] && members[j].is_away(date))
            .map(|j| members[j].github.clone())
            .collect();
        day.why = if day.away_due.is_empty() {
            Why::Rotation
        } else {
            Why::Substitute
        };
        self.mark_served(chosen);
        Some(chosen)
    }

    /// The first member of the order who is still due and available on
    /// `date`, keeping R4's spacing when anyone else can serve.
    fn first_due_available(&self, date: NaiveDate) -> Option<usize> {
        let members = &self.rot.members;
        let mut due = self
            .order
            .iter()
            .copied()
            .filter(|&i| !self.served[i] && !members[i].is_away(date));
        let spacing = self.served_list.len() < spacing_window(members.len());
        if spacing && !self.held_back.is_empty() {
            let rested = due.clone().find(|i| !self.held_back.contains(i));
            if rested.is_some() {
                return rested;
            }
        }
        due.next()
    }

    fn mark_served(&mut self, i: usize) {
        self.served[i] = true;
        self.served_list.push(i);
    }

    /// R3/R4: the next cycle, in a shuffled order whose first days go to
    /// members who did not serve the last days of this one.
    fn start_cycle(&mut self) {
        let w = spacing_window(self.rot.members.len());
        self.held_back = self.served_list[self.served_list.len().saturating_sub(w)..].to_vec();
        self.cycle += 1;
        self.order = old_cycle_order(self.rot, self.cycle, &self.held_back);
        self.served.iter_mut().for_each(|s| *s = false);
        self.served_list.clear();
    }

    /// The state block that describes where the rotation stands now.
    pub fn state(&self) -> Option<State> {
        let since = self.since?;
        let name = |i: &usize| self.rot.members[*i].github.clone();
        Some(State {
            since,
            on_call: self.last.map(|i| name(&i)).or(self.last_removed.clone()),
            cycle: self.cycle,
            order: self.order.iter().map(name).collect(),
            served: self.served_list.iter().map(name).collect(),
            // Needed only while the cycle's first days are being decided.
            held_back: if self.served_list.len() < spacing_window(self.rot.members.len()) {
                self.held_back.iter().map(name).collect()
            } else {
                Vec::new()
            },
            // Recorded since (issue 22): the window less the turns served.
            held_for: spacing_window(self.rot.members.len())
                .checked_sub(self.served_list.len())
                .filter(|k| *k > 0 && !self.held_back.is_empty())
                .map(|k| k as u32),
        })
    }

    /// The current cycle as (login, status) in order: served, or still due.
    pub fn cycle_view(&self) -> Vec<(String, bool)> {
        self.order
            .iter()
            .map(|&i| (self.rot.members[i].github.clone(), self.served[i]))
            .collect()
    }

    /// Walks to `until` (inclusive) and returns the working days decided.
    pub fn run_until(&mut self, until: NaiveDate) -> Vec<Day> {
        let mut days = Vec::new();
        while self.next_date().is_some_and(|d| d <= until) {
            days.extend(self.step());
        }
        days
    }
}

/// The order of `cycle` (2 and later): the members, sorted by login so that
/// reordering `members` changes nothing (R7), shuffled by a generator seeded
/// from the team name and the cycle number (R4). The first w places
/// ([`spacing_window`]) are drawn from the members not `held_back` (those
/// who served the last w days before), then the rest is shuffled: the
/// result is uniform over the orders that keep R4's spacing.
fn old_cycle_order(rot: &Rotation, cycle: u32, held_back: &[usize]) -> Vec<usize> {
    let mut base: Vec<usize> = (0..rot.members.len()).collect();
    base.sort_by(|&a, &b| {
        rot.members[a]
            .github
            .to_lowercase()
            .cmp(&rot.members[b].github.to_lowercase())
    });
    let mut rng = ChaCha8Rng::seed_from_u64(shuffle_seed(&rot.team, cycle));
    let w = spacing_window(base.len());
    let mut eligible: Vec<usize> = base
        .iter()
        .copied()
        .filter(|i| !held_back.contains(i))
        .collect();
    shuffle(&mut eligible, &mut rng);
    eligible.truncate(w);
    let head = eligible;
    // The rest in login order (as drawn from a fixed base), then shuffled.
    let mut rest: Vec<usize> = base.iter().copied().filter(|i| !head.contains(i)).collect();
    shuffle(&mut rest, &mut rng);
    let mut order = head;
    order.extend(rest);
    order
}

#[derive(Debug, Clone)]
struct Team {
    members: usize,
    away: Vec<Vec<(u16, u16)>>,
    overrides: Vec<(u16, usize)>,
    holidays: Vec<u16>,
    restart: u16,
}

fn team() -> impl Strategy<Value = Team> {
    (1usize..40).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(proptest::collection::vec((0u16..500, 0u16..120), 0..3), n),
            proptest::collection::vec((0u16..500, 0..n), 0..8),
            proptest::collection::vec(0u16..500, 0..10),
            0u16..500,
        )
            .prop_map(|(members, away, overrides, holidays, restart)| Team {
                members,
                away,
                overrides,
                holidays,
                restart,
            })
    })
}

fn day(offset: u16) -> NaiveDate {
    d("2026-01-05")
        .checked_add_days(Days::new(u64::from(offset)))
        .unwrap()
}

fn yaml(t: &Team) -> String {
    let mut s = format!(
        "team: Same {}\ntimezone: UTC\nstart: 2026-01-05\nmembers:\n",
        t.members
    );
    for (i, away) in t.away.iter().enumerate() {
        s.push_str(&format!("  - github: m{i}\n"));
        if !away.is_empty() {
            s.push_str("    away:\n");
            for (from, len) in away {
                s.push_str(&format!(
                    "      - {{ from: {}, to: {} }}\n",
                    day(*from),
                    day(from + len)
                ));
            }
        }
    }
    if !t.holidays.is_empty() {
        s.push_str("holidays:\n");
        let mut seen = std::collections::HashSet::new();
        for h in t.holidays.iter().filter(|h| seen.insert(**h)) {
            s.push_str(&format!("  - {}\n", day(*h)));
        }
    }
    s
}

/// Overrides that validate: on a working day, for a member not away.
fn with_overrides(text: &str, t: &Team) -> String {
    let r = rot(text);
    let mut seen = std::collections::HashSet::new();
    let valid: Vec<_> = t
        .overrides
        .iter()
        .filter(|(o, m)| {
            let d = day(*o);
            r.is_working_day(d) && !r.members[*m].is_away(d) && seen.insert(d)
        })
        .collect();
    if valid.is_empty() {
        return text.to_owned();
    }
    let mut s = format!("{text}overrides:\n");
    for (o, m) in valid {
        s.push_str(&format!("  - {{ date: {}, github: m{m} }}\n", day(*o)));
    }
    s
}

/// A day without whom it stands in for (issue 22: the reference labelled a
/// substitute day wherever someone due earlier was away; the engine labels
/// the days the time off moved, checked against the counterfactual in
/// `substitute.rs`).
fn unlabelled(day: &Option<Day>) -> Option<Day> {
    day.clone().map(|mut d| {
        if d.why == Why::Substitute {
            d.why = Why::Rotation;
        }
        d.away_due.clear();
        d
    })
}

fn same(r: &Rotation, until: NaiveDate) -> Result<Option<State>, TestCaseError> {
    let mut new = Engine::new(r);
    let mut old = Reference::new(r);
    loop {
        let (a, b) = (new.step(), old.step());
        prop_assert_eq!(unlabelled(&a), unlabelled(&b));
        if let Some(a) = &a
            && a.why != Why::Override
        {
            prop_assert_eq!(a.why == Why::Substitute, !a.away_due.is_empty());
        }
        prop_assert_eq!(new.state(), old.state());
        prop_assert_eq!(new.cycle_view(), old.cycle_view());
        match a {
            Some(x) if x.date < until => {}
            _ => return Ok(new.state()),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_linear_engine_decides_every_day_as_before(t in team()) {
        let text = with_overrides(&yaml(&t), &t);
        let r = rot(&text);
        // From `start`, and again from a state block written midway.
        let state = same(&r, day(t.restart))?;
        if let Some(st) = state {
            let mut r2 = r.clone();
            r2.state = Some(st);
            same(&r2, day(700))?;
        }
        // A quiet walk ends where the described one does.
        let mut a = Engine::new(&r);
        a.skip_until(day(600));
        let mut b = Engine::new(&r);
        b.run_until(day(600));
        prop_assert_eq!(a.state(), b.state());
        prop_assert_eq!(a.step(), b.step());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// A large cycle's checklist, looked up in part, is the list made from
    /// the whole cycle (what the log and the pull request showed before).
    #[test]
    fn a_large_cycles_checklist_is_the_one_made_from_the_whole_cycle(t in team(), extra in 0usize..60) {
        let mut t = t;
        t.members += 21 + extra;
        t.away.resize(t.members, Vec::new());
        let text = with_overrides(&yaml(&t), &t);
        let r = rot(&text);
        let mut e = Engine::new(&r);
        while let Some(day) = e.step() {
            let part = oncall_core::plan::cycle_list(&e, &day);
            let full = oncall_core::plan::CycleList::from_full(oncall_core::plan::cycle_status(&e, &day));
            prop_assert_eq!(part, full, "{}", day.date);
            if day.date > self::day(400) {
                break;
            }
        }
    }
}

#[test]
fn cycle_order_is_the_reference_order() {
    let r = rot(&yaml(&Team {
        members: 37,
        away: vec![vec![]; 37],
        overrides: vec![],
        holidays: vec![],
        restart: 0,
    }));
    for cycle in 2..40 {
        let held: Vec<usize> = (0..spacing_window(37))
            .map(|i| (i * 7 + cycle as usize) % 37)
            .collect();
        assert_eq!(
            oncall_core::rotation::cycle_order(&r, cycle, &held),
            old_cycle_order(&r, cycle, &held),
        );
    }
}
