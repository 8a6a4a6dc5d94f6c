//! Who is on call on each day: the rotation rules R2-R8 of the README,
//! as a pure function of rotation.yaml.
//!
//! [`Engine`] starts where rotation.yaml says the rotation stands (the
//! `state` block, or cycle 1 on `start`) and walks forward one working day
//! at a time. `oncall schedule` and `oncall advance` both use it, so what
//! the schedule shows for a day is what the handover does on that day (R8).

mod order;
mod substitute;

use crate::bits::Bits;
use crate::config::{Rotation, State};
use chrono::NaiveDate;
use order::{Fixed, shuffled};
use std::sync::Arc;

pub use order::{cycle_order, shuffle, shuffle_seed, spacing_window};

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
    /// The away members this day's member stands in for (R5): those
    /// without whose time off someone else would have served today.
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

/// The rotation engine: the state of the current cycle, by member index,
/// and by position in the cycle's order. Who is due and available is kept
/// as sets of positions ([`Bits`]) and time off as changes applied as the
/// days pass, so that deciding a day costs about the same for any team and
/// any amount of time off; a new cycle costs one pass over the members
/// (the shuffle). The decisions are those of the rules R1-R8, unchanged.
#[derive(Debug, Clone)]
pub struct Engine<'a> {
    rot: &'a Rotation,
    fixed: Arc<Fixed>,
    /// The current cycle's order (indices into `rot.members`).
    order: Vec<usize>,
    /// `pos[i]`: member i's place in `order`.
    pos: Vec<usize>,
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
    /// cycle, kept out of this cycle's first [`spacing_window`] turns.
    held_back: Vec<usize>,
    /// For how many more turns `held_back` is kept out: the window of the
    /// members the cycle was drawn from, less the turns served since. A
    /// member who joins or leaves later changes neither (R4, R7).
    hold_turns: usize,
    /// `held[i]`: member i is in `held_back`.
    held: Vec<bool>,
    /// How many time-off ranges cover member i on the day decided last.
    away: Vec<u32>,
    /// How many members are away on that day.
    away_count: usize,
    /// The next change of `fixed.away_changes` to apply.
    next_change: usize,
    /// Positions of the members still due.
    due: Bits,
    /// Positions of the members who served (or lost their turn).
    done: Bits,
    /// Positions of the members still due and not away.
    due_available: Bits,
    /// The same, without the members held back.
    due_rested: Bits,
    /// Positions of the members still due and away.
    due_away: Bits,
    /// R5's counterfactual (see `substitute.rs`): (M, y), an away member
    /// still due and whom the rotation served in their place.
    subs: Vec<(usize, usize)>,
    /// `tracked[i]`: member i is the M of a pair in `subs`.
    tracked: Vec<bool>,
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
            fixed: Arc::new(Fixed::of(rot)),
            order: Vec::with_capacity(n),
            pos: vec![0; n],
            served: vec![false; n],
            served_list: Vec::new(),
            cycle: 1,
            last: None,
            since: None,
            last_removed: None,
            held_back: Vec::new(),
            hold_turns: 0,
            held: vec![false; n],
            away: vec![0; n],
            away_count: 0,
            next_change: 0,
            due: Bits::new(n),
            done: Bits::new(n),
            due_available: Bits::new(n),
            due_rested: Bits::new(n),
            due_away: Bits::new(n),
            subs: Vec::new(),
            tracked: vec![false; n],
        };
        match &rot.state {
            None => engine.order = (0..n).collect(),
            Some(st) => {
                engine.cycle = st.cycle;
                engine.since = Some(st.since);
                let mut in_order = vec![false; n];
                for g in &st.order {
                    if let Some(&i) = index.get(g.as_str())
                        && !in_order[i]
                    {
                        in_order[i] = true;
                        engine.order.push(i);
                    }
                }
                engine.order.extend((0..n).filter(|&i| !in_order[i]));
                for g in &st.served {
                    if let Some(&i) = index.get(g.as_str())
                        && !engine.served[i]
                    {
                        engine.served[i] = true;
                        engine.served_list.push(i);
                    }
                }
                engine.held_back = st
                    .held_back
                    .iter()
                    .filter_map(|g| index.get(g.as_str()).copied())
                    .collect();
                // A file written before `held_for` was recorded: the window
                // of the order it names, less the turns it says were served.
                engine.hold_turns = match st.held_for {
                    Some(k) => k as usize,
                    None => spacing_window(st.order.len()).saturating_sub(st.served.len()),
                };
                engine.last = st.on_call.as_deref().and_then(|g| index.get(g).copied());
                if engine.last.is_none() {
                    engine.last_removed = st.on_call.clone();
                }
            }
        }
        engine.place();
        engine.replay_substitutes();
        engine
    }

    /// Rebuilds the positions and the sets from `order`, `served`,
    /// `held_back` and `away` (a new cycle, or a new engine).
    fn place(&mut self) {
        let n = self.rot.members.len();
        for (p, &i) in self.order.iter().enumerate() {
            self.pos[i] = p;
        }
        self.held.iter_mut().for_each(|h| *h = false);
        for &i in &self.held_back {
            self.held[i] = true;
        }
        for set in [
            &mut self.due,
            &mut self.done,
            &mut self.due_available,
            &mut self.due_rested,
            &mut self.due_away,
        ] {
            *set = Bits::new(n);
        }
        for p in 0..self.order.len() {
            self.place_one(p);
        }
    }

    /// Puts the member at position `p` in the sets their state says.
    fn place_one(&mut self, p: usize) {
        let i = self.order[p];
        for set in [
            &mut self.due,
            &mut self.done,
            &mut self.due_available,
            &mut self.due_rested,
            &mut self.due_away,
        ] {
            set.remove(p);
        }
        if self.served[i] {
            self.done.insert(p);
            return;
        }
        self.due.insert(p);
        if self.away[i] > 0 {
            self.due_away.insert(p);
        } else {
            self.due_available.insert(p);
            if !self.held[i] {
                self.due_rested.insert(p);
            }
        }
    }

    /// Applies the changes of time off up to `date` (the engine only moves
    /// forward).
    fn advance_to(&mut self, date: NaiveDate) {
        let fixed = Arc::clone(&self.fixed);
        while let Some(&(day, i, change)) = fixed.away_changes.get(self.next_change) {
            if day > date {
                break;
            }
            self.next_change += 1;
            let was = self.away[i] > 0;
            match change {
                1 => self.away[i] += 1,
                _ => self.away[i] = self.away[i].saturating_sub(1),
            }
            let is = self.away[i] > 0;
            if was != is {
                match is {
                    true => self.away_count += 1,
                    false => self.away_count -= 1,
                }
                self.place_one(self.pos[i]);
            }
        }
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
        self.decide(true)
    }

    /// Moves the rotation through every working day up to `until`
    /// (inclusive) without describing them: the same decisions as
    /// [`Self::step`], without the lists of names a [`Day`] carries.
    pub fn skip_until(&mut self, until: NaiveDate) {
        while self.next_date().is_some_and(|d| d <= until) {
            self.decide(false);
        }
    }

    /// Decides the next working day; `describe`: with the names of who
    /// was due but away and who lost their turn.
    fn decide(&mut self, describe: bool) -> Option<Day> {
        let date = self.next_date()?;
        self.advance_to(date);
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
        let underlying = self.pick(&mut day, describe);
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

    /// The logins at these positions of the order.
    fn names(&self, positions: impl Iterator<Item = usize>) -> Vec<String> {
        positions
            .map(|p| self.rot.members[self.order[p]].github.clone())
            .collect()
    }

    /// R3/R5: the first member still due who is available; a new cycle when
    /// nobody due is left (or nobody due is available); uncovered when no
    /// member at all is available. R4: during a cycle's first days, members
    /// held back for spacing serve only when nobody else due is available.
    fn pick(&mut self, day: &mut Day, describe: bool) -> Option<usize> {
        let n = self.rot.members.len();
        let chosen = match self.first_due_available() {
            Some(i) => i,
            None => {
                if self.away_count == n {
                    return None;
                }
                if describe {
                    day.lost_turn = self.names(self.due.range(0, n));
                }
                self.start_cycle();
                day.new_cycle = true;
                self.first_due_available().expect("someone is available")
            }
        };
        // Whom the one chosen stands in for: the away members without
        // whose time off someone else would serve today (R5).
        let spacing = self.spacing_active();
        let stands_in_for = self.substitute_for(chosen, spacing);
        day.why = if stands_in_for.is_empty() {
            Why::Rotation
        } else {
            Why::Substitute
        };
        if describe {
            day.away_due = stands_in_for
                .iter()
                .map(|&i| self.rot.members[i].github.clone())
                .collect();
        }
        self.mark_served(chosen);
        Some(chosen)
    }

    /// The first member of the order who is still due and available on
    /// the day decided, keeping R4's spacing when anyone else can serve.
    fn first_due_available(&self) -> Option<usize> {
        let spacing = self.hold_turns > 0;
        if spacing
            && !self.held_back.is_empty()
            && let Some(p) = self.due_rested.next(0)
        {
            return Some(self.order[p]);
        }
        self.due_available.next(0).map(|p| self.order[p])
    }

    fn mark_served(&mut self, i: usize) {
        if self.served[i] {
            return;
        }
        self.served[i] = true;
        self.served_list.push(i);
        self.hold_turns = self.hold_turns.saturating_sub(1);
        self.place_one(self.pos[i]);
    }

    /// R3/R4: the next cycle, in a shuffled order whose first days go to
    /// members who did not serve the last days of this one.
    fn start_cycle(&mut self) {
        let w = spacing_window(self.rot.members.len());
        self.held_back = self.served_list[self.served_list.len().saturating_sub(w)..].to_vec();
        self.hold_turns = w;
        self.cycle += 1;
        self.clear_substitutes();
        self.order = shuffled(self.rot, &self.fixed.by_login, self.cycle, &self.held_back);
        self.served.iter_mut().for_each(|s| *s = false);
        self.served_list.clear();
        self.place();
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
            // Needed only while the cycle's first turns are being decided.
            held_back: match self.hold_turns {
                0 => Vec::new(),
                _ => self.held_back.iter().map(name).collect(),
            },
            held_for: match (self.hold_turns, self.held_back.is_empty()) {
                (0, _) | (_, true) => None,
                (k, false) => Some(u32::try_from(k).unwrap_or(u32::MAX)),
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

    /// How many members the cycle has.
    pub fn cycle_len(&self) -> usize {
        self.order.len()
    }

    /// Part of the current cycle, as a large cycle's checklist shows it:
    /// in order, the last `served` members who served (or lost their turn)
    /// and the first `due` still due, but `on_call`, who is given apart;
    /// with how many there are of each. (login, served) pairs.
    pub fn cycle_part(&self, on_call: Option<&str>, served: usize, due: usize) -> CyclePart {
        let except = on_call
            .and_then(|g| self.rot.position(g))
            .map(|i| self.pos[i]);
        let entry = |p: usize| {
            let i = self.order[p];
            (self.rot.members[i].github.clone(), self.served[i])
        };
        let mut last_served = Vec::new();
        let mut end = self.order.len();
        while last_served.len() < served {
            let Some(p) = self.done.prev(end) else { break };
            end = p;
            if Some(p) != except {
                last_served.push(entry(p));
            }
        }
        last_served.reverse();
        let mut first_due = Vec::new();
        let mut from = 0;
        while first_due.len() < due {
            let Some(p) = self.due.next(from) else { break };
            from = p + 1;
            if Some(p) != except {
                first_due.push(entry(p));
            }
        }
        let on_call = except.map(entry);
        let on_call_served = on_call.as_ref().is_some_and(|(_, s)| *s);
        let on_call_due = on_call.as_ref().is_some_and(|(_, s)| !*s);
        CyclePart {
            served_total: self.served_list.len() - usize::from(on_call_served),
            due_total: self.order.len() - self.served_list.len() - usize::from(on_call_due),
            last_served,
            on_call,
            first_due,
        }
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

/// Part of a cycle ([`Engine::cycle_part`]): (login, served) in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CyclePart {
    pub last_served: Vec<(String, bool)>,
    pub on_call: Option<(String, bool)>,
    pub first_due: Vec<(String, bool)>,
    /// How many served (or lost their turn), and how many are still due,
    /// in all (`on_call` left out).
    pub served_total: usize,
    pub due_total: usize,
}
