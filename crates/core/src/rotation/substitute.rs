//! Who stands in for whom (R5): a day is a substitute day for an away
//! member M when the member serving differs from who would have served had
//! M not been away (the same rotation, M's time off left out).
//!
//! That counterfactual is kept without running a second rotation. Within a
//! cycle both rotations have the same order and serve one member a day, and
//! only M's availability differs, so until M serves (or loses the turn) the
//! counterfactual has served the same members as the rotation, or those
//! with M instead of one member `y` that the rotation served in M's place.
//! Each day the rotation picks `a`; the counterfactual picks M (no
//! difference yet, M ahead of `a`) or `y` (a difference, `y` ahead of `a`
//! and available), and otherwise `a` too. So a day costs one comparison per
//! away member still due, and the pairs (M, y) are this cycle's only extra
//! state; an engine that starts from a state block rebuilds them by
//! replaying the cycle's turns (`served`, newest on `since`).
//!
//! Approximations, rare, that can label a day of the cycle in progress
//! differently from a run since the cycle's start (either way; who serves
//! is never changed, `tests/properties.rs` checks both): an uncovered
//! day inside the cycle (the counterfactual would have had M serve it) is
//! taken as moving nobody, and an engine started from a state block after
//! the cycle's hold-back ended replays its first turns without it (R4):
//! the state keeps `held_back` only while it lasts. An engine whose state names a member who
//! has left since, or whose cycle is too large to replay
//! ([`REPLAY_BUDGET`]), starts without pairs.

use super::Engine;
use chrono::NaiveDate;

/// Replaying a cycle from a state block costs (turns × members away):
/// beyond this, the pairs start empty (a label may then say "substitute"
/// where the counterfactual had the same member; who serves is unchanged).
const REPLAY_BUDGET: usize = 2_000_000;

impl Engine<'_> {
    /// R4's hold-back is in force for the next pick.
    pub(super) fn spacing_active(&self) -> bool {
        // The same test as `first_due_available`'s: the hold-back's turns
        // are counted from when the cycle was drawn (R4, `held_for`).
        self.hold_turns > 0 && !self.held_back.is_empty()
    }

    /// Whether member `z`, available, would be picked before `a` (the
    /// member picked) by [`Engine::first_due_available`]'s rule: the first
    /// in the order, the members held back last while the spacing lasts.
    fn beats(&self, z: usize, a: usize, spacing: bool) -> bool {
        if spacing && self.held[z] != self.held[a] {
            return !self.held[z];
        }
        self.pos[z] < self.pos[a]
    }

    /// The away members that `a`, picked by the rotation today, stands in
    /// for (by position in the order), with the pairs moved to after today.
    /// `away(i)`: member i is away today; `due_away`: the members still
    /// due (before today's pick) and away today who could start a pair.
    fn stands_in_for(
        &mut self,
        a: usize,
        spacing: bool,
        away: impl Fn(&Self, usize) -> bool,
        due_away: Vec<usize>,
    ) -> Vec<usize> {
        let mut out = Vec::new();
        let mut k = 0;
        while k < self.subs.len() {
            let (m, y) = self.subs[k];
            if m == a {
                self.tracked[m] = false;
                self.subs.swap_remove(k);
                continue;
            }
            if !away(self, y) && self.beats(y, a, spacing) {
                if away(self, m) {
                    out.push(m);
                }
                self.subs[k].1 = a;
            }
            k += 1;
        }
        for m in due_away {
            if m != a && !self.tracked[m] && self.beats(m, a, spacing) {
                self.tracked[m] = true;
                self.subs.push((m, a));
                out.push(m);
            }
        }
        out.sort_unstable_by_key(|&m| self.pos[m]);
        out
    }

    /// Today's pick `a`: whom it stands in for (R5), the pairs moved on.
    pub(super) fn substitute_for(&mut self, a: usize, spacing: bool) -> Vec<usize> {
        let end = if spacing && self.held[a] {
            self.order.len()
        } else {
            self.pos[a]
        };
        let due_away: Vec<usize> = self.due_away.range(0, end).map(|p| self.order[p]).collect();
        self.stands_in_for(a, spacing, |e, i| e.away[i] > 0, due_away)
    }

    /// A new cycle: no pair carries over.
    pub(super) fn clear_substitutes(&mut self) {
        for (m, _) in self.subs.drain(..) {
            self.tracked[m] = false;
        }
    }

    /// An engine started from a state block: the pairs of the cycle so far,
    /// by replaying its turns on their days (the working days up to
    /// `since` that were not uncovered, one turn each).
    pub(super) fn replay_substitutes(&mut self) {
        let (Some(since), k) = (self.since, self.served_list.len()) else {
            return;
        };
        let rot = self.rot;
        // Only members still due can be owed a label later.
        let candidates: Vec<usize> = (0..rot.members.len())
            .filter(|&i| !self.served[i] && !rot.members[i].away.is_empty())
            .collect();
        // A member of the state's `served` who has left the roster (R7):
        // the turns can no longer be matched with their days.
        let whole = rot.state.as_ref().is_some_and(|st| st.served.len() == k);
        if !whole
            || k == 0
            || candidates.is_empty()
            || k.saturating_mul(candidates.len()) > REPLAY_BUDGET
        {
            return;
        }
        let mut dates: Vec<NaiveDate> = Vec::with_capacity(k);
        let mut d = since;
        while dates.len() < k {
            if d < rot.start {
                return;
            }
            if rot.is_working_day(d) && !rot.members.iter().all(|m| m.is_away(d)) {
                dates.push(d);
            }
            match d.pred_opt() {
                Some(p) => d = p,
                None => return,
            }
        }
        dates.reverse();
        // The cycle's hold-back lasted its first w turns: those replayed
        // and those still to come (R4, counted from when it was drawn).
        let w = k + self.hold_turns;
        let mut served_at = vec![usize::MAX; rot.members.len()];
        for (j, &i) in self.served_list.iter().enumerate() {
            served_at[i] = j;
        }
        let turns: Vec<usize> = self.served_list.clone();
        for (j, (&a, &date)) in turns.iter().zip(&dates).enumerate() {
            let spacing = j < w && !self.held_back.is_empty();
            let due_away = candidates
                .iter()
                .copied()
                .filter(|&m| served_at[m] > j && rot.members[m].is_away(date))
                .collect();
            self.stands_in_for(a, spacing, |e, i| e.rot.members[i].is_away(date), due_away);
        }
    }
}
