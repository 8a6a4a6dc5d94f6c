//! Who is on call on each day: the rotation rules R2-R8 of the README,
//! as a pure function of rotation.yaml.
//!
//! [`Engine`] starts where rotation.yaml says the rotation stands (the
//! `state` block, or cycle 1 on `start`) and walks forward one working day
//! at a time. `oncall schedule` and `oncall advance` both use it, so what
//! the schedule shows for a day is what the handover does on that day (R8).

use crate::config::{Rotation, State};
use chrono::NaiveDate;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// Why a member is on call on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Why {
    /// Their turn in the cycle's order.
    Rotation,
    /// The member due is away; the next available member serves (R5).
    Substitute,
    /// An override in rotation.yaml (R6).
    Override,
    /// Nobody is available (R5).
    Uncovered,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Rotation => "rotation",
            Why::Substitute => "substitute",
            Why::Override => "override",
            Why::Uncovered => "uncovered",
        }
    }
}

/// One working day of the rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    /// The on-call member's login; `None` when uncovered.
    pub on_call: Option<String>,
    pub why: Why,
    /// The cycle this day belongs to.
    pub cycle: u32,
    /// This day started a new cycle (its order was shuffled).
    pub new_cycle: bool,
    /// Members who were due before the one serving, but away (R5).
    pub away_due: Vec<String>,
    /// Members who lost their turn in the previous cycle because they were
    /// away until it ended (R5).
    pub lost_turn: Vec<String>,
    /// The override's reason.
    pub reason: Option<String>,
    /// For an override: whom the rotation (R1-R5) had on call that day and
    /// the override replaces (R6). `None` otherwise.
    pub replaces: Option<String>,
}

/// The rotation engine: the state of the current cycle, by member index.
#[derive(Debug, Clone)]
pub struct Engine<'a> {
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

impl<'a> Engine<'a> {
    /// Starts where rotation.yaml's `state` says the rotation stands, with
    /// roster changes applied (R7): members no longer listed leave the cycle,
    /// new members join it at its end. Without a state, the rotation begins
    /// on `start` with cycle 1 in the written order.
    pub fn new(rot: &'a Rotation) -> Self {
        let n = rot.members.len();
        let index = &rot.index;
        let mut engine = Engine {
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
        self.order = cycle_order(self.rot, self.cycle, &self.held_back);
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

/// R4's spacing window: with n ≥ 2 members, nobody who served one of the
/// last w = max(1, floor(n/3)) days of a cycle serves one of the first w
/// days of the next. 0 (no spacing) for a team of one.
pub fn spacing_window(n: usize) -> usize {
    if n < 2 { 0 } else { (n / 3).max(1) }
}

/// The order of `cycle` (2 and later): the members, sorted by login so that
/// reordering `members` changes nothing (R7), shuffled by a generator seeded
/// from the team name and the cycle number (R4). The first w places
/// ([`spacing_window`]) are drawn from the members not `held_back` (those
/// who served the last w days before), then the rest is shuffled: the
/// result is uniform over the orders that keep R4's spacing.
pub fn cycle_order(rot: &Rotation, cycle: u32, held_back: &[usize]) -> Vec<usize> {
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

/// FNV-1a (64 bit) of `oncall:{team}:{cycle}`: a seed that depends only on
/// the text, on every platform and in every release.
pub fn shuffle_seed(team: &str, cycle: u32) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("oncall:{team}:{cycle}").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Fisher-Yates, written out so the order never depends on a library's
/// shuffle implementation.
pub fn shuffle<T>(items: &mut [T], rng: &mut ChaCha8Rng) {
    for i in (1..items.len()).rev() {
        let j = uniform(rng, i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// A uniform integer in `0..bound` by rejection sampling (no modulo bias).
fn uniform(rng: &mut ChaCha8Rng, bound: u64) -> u64 {
    let limit = u64::MAX - u64::MAX % bound;
    loop {
        let x = rng.next_u64();
        if x < limit {
            return x % bound;
        }
    }
}
