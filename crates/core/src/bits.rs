//! A set of small integers (a cycle's positions) in which the next or the
//! previous member from a point is found in a few word reads: a bit per
//! integer, and a summary bit per 64-bit word that is not empty. The
//! rotation engine keeps who is due and available this way, so that a day
//! costs the same for a team of 5 and of 50,000.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    /// Bit k: `words[k]` is not zero.
    summary: Vec<u64>,
}

impl Bits {
    /// The empty set of `0..n`.
    pub fn new(n: usize) -> Bits {
        let words = n.div_ceil(64);
        Bits {
            words: vec![0; words],
            summary: vec![0; words.div_ceil(64)],
        }
    }

    pub fn insert(&mut self, i: usize) {
        let w = i / 64;
        self.words[w] |= 1 << (i % 64);
        self.summary[w / 64] |= 1 << (w % 64);
    }

    pub fn remove(&mut self, i: usize) {
        let w = i / 64;
        self.words[w] &= !(1 << (i % 64));
        if self.words[w] == 0 {
            self.summary[w / 64] &= !(1 << (w % 64));
        }
    }

    #[cfg(test)]
    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The smallest member at or after `from`.
    pub fn next(&self, from: usize) -> Option<usize> {
        let w = from / 64;
        let first = *self.words.get(w)? & (!0u64 << (from % 64));
        if first != 0 {
            return Some(w * 64 + first.trailing_zeros() as usize);
        }
        let word = self.next_word(w + 1)?;
        Some(word * 64 + self.words[word].trailing_zeros() as usize)
    }

    /// The first word at or after `from` that is not empty.
    fn next_word(&self, from: usize) -> Option<usize> {
        let mut s = from / 64;
        let mut bits = *self.summary.get(s)? & (!0u64 << (from % 64));
        loop {
            if bits != 0 {
                return Some(s * 64 + bits.trailing_zeros() as usize);
            }
            s += 1;
            bits = *self.summary.get(s)?;
        }
    }

    /// The largest member before `end`.
    pub fn prev(&self, end: usize) -> Option<usize> {
        if end == 0 {
            return None;
        }
        let last = end - 1;
        let w = last / 64;
        let keep = if last % 64 == 63 {
            !0u64
        } else {
            (1u64 << (last % 64 + 1)) - 1
        };
        let first = self.words.get(w).copied().unwrap_or(0) & keep;
        if first != 0 {
            return Some(w * 64 + 63 - first.leading_zeros() as usize);
        }
        let word = self.prev_word(w)?;
        Some(word * 64 + 63 - self.words[word].leading_zeros() as usize)
    }

    /// The last word before `end` that is not empty.
    fn prev_word(&self, end: usize) -> Option<usize> {
        if end == 0 {
            return None;
        }
        let last = end - 1;
        let mut s = last / 64;
        let keep = if last % 64 == 63 {
            !0u64
        } else {
            (1u64 << (last % 64 + 1)) - 1
        };
        let mut bits = self.summary.get(s).copied().unwrap_or(0) & keep;
        loop {
            if bits != 0 {
                return Some(s * 64 + 63 - bits.leading_zeros() as usize);
            }
            if s == 0 {
                return None;
            }
            s -= 1;
            bits = self.summary[s];
        }
    }

    /// The members in `from..end`, smallest first.
    pub fn range(&self, from: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        let mut at = from;
        std::iter::from_fn(move || {
            let i = self.next(at).filter(|i| *i < end)?;
            at = i + 1;
            Some(i)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_prev_and_range_agree_with_a_plain_set() {
        for n in [0, 1, 63, 64, 65, 4095, 4096, 4097, 9000] {
            let mut b = Bits::new(n);
            let mut plain = std::collections::BTreeSet::new();
            let mut x: u64 = 7;
            for _ in 0..(n / 3) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let i = (x >> 33) as usize % n;
                if x & 1 == 0 {
                    b.insert(i);
                    plain.insert(i);
                } else {
                    b.remove(i);
                    plain.remove(&i);
                }
            }
            for from in [0, 1, 63, 64, 65, n / 2, n.saturating_sub(1), n, n + 1] {
                assert_eq!(
                    b.next(from),
                    plain.range(from..).next().copied(),
                    "{n} next {from}"
                );
                assert_eq!(
                    b.prev(from),
                    plain.range(..from).next_back().copied(),
                    "{n} prev {from}"
                );
                let got: Vec<usize> = b.range(from, n / 2 + from).collect();
                let want: Vec<usize> = plain
                    .range(from..(n / 2 + from).max(from))
                    .copied()
                    .collect();
                assert_eq!(got, want, "{n} range {from}");
            }
            for i in 0..n {
                assert_eq!(b.contains(i), plain.contains(&i));
            }
        }
    }
}
