//! The order of a cycle (R3, R4): the spacing window, the shuffle and
//! its seed, and what every cycle's order is drawn from.

use crate::config::Rotation;
use chrono::NaiveDate;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// What the engine works with that depends on the rotation alone, shared
/// by an engine and its clones: the members in login order (the base of
/// every shuffle) and the time off as a sorted list of changes.
#[derive(Debug)]
pub(super) struct Fixed {
    /// Member indices sorted by lowercase login.
    pub(super) by_login: Vec<usize>,
    /// (date, member, +1 or -1): a member's time off starts (or ends the
    /// day before) on the date. Sorted by date.
    pub(super) away_changes: Vec<(NaiveDate, usize, i8)>,
}

impl Fixed {
    pub(super) fn of(rot: &Rotation) -> Fixed {
        let n = rot.members.len();
        let lower: Vec<String> = rot
            .members
            .iter()
            .map(|m| m.github.to_lowercase())
            .collect();
        let mut by_login: Vec<usize> = (0..n).collect();
        by_login.sort_by(|&a, &b| lower[a].cmp(&lower[b]));
        let mut away_changes = Vec::new();
        for (i, m) in rot.members.iter().enumerate() {
            for &(from, to) in &m.away {
                if from > to {
                    continue;
                }
                away_changes.push((from, i, 1));
                if let Some(after) = to.succ_opt() {
                    away_changes.push((after, i, -1));
                }
            }
        }
        away_changes.sort_unstable();
        Fixed {
            by_login,
            away_changes,
        }
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
    shuffled(rot, &Fixed::of(rot).by_login, cycle, held_back)
}

/// [`cycle_order`] from the members in login order (`by_login`), in one
/// pass over them.
pub(super) fn shuffled(
    rot: &Rotation,
    by_login: &[usize],
    cycle: u32,
    held_back: &[usize],
) -> Vec<usize> {
    let n = by_login.len();
    let mut rng = ChaCha8Rng::seed_from_u64(shuffle_seed(&rot.team, cycle));
    let w = spacing_window(n);
    let mut held = vec![false; n];
    for &i in held_back {
        held[i] = true;
    }
    let mut eligible: Vec<usize> = by_login.iter().copied().filter(|&i| !held[i]).collect();
    shuffle(&mut eligible, &mut rng);
    eligible.truncate(w);
    let head = eligible;
    // The rest in login order (as drawn from a fixed base), then shuffled.
    let mut in_head = vec![false; n];
    for &i in &head {
        in_head[i] = true;
    }
    let mut rest: Vec<usize> = by_login.iter().copied().filter(|&i| !in_head[i]).collect();
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
