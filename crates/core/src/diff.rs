//! A unified diff for the terminal (`advance --dry-run`): the appended
//! lines of the log, or the one changed block of rotation.yaml's state.

use crate::escape::terminal;
use std::fmt::Write as _;

/// A unified diff of `old` → `new` (an append, or one contiguous change).
/// `old_lines`: the number of lines of `old` when the caller knows it (the
/// log's reader counted them), saving a pass over a large log.
pub fn unified(name: &str, old: &str, new: &str, old_lines: Option<usize>) -> String {
    let mut out = String::new();
    if old == new {
        let _ = writeln!(out, "{}: unchanged", terminal(name));
        return out;
    }
    let name = terminal(name);
    // The log only grows: show the appended lines after the last two old
    // ones, without diffing megabytes of unchanged text.
    if let Some(added) = new
        .strip_prefix(old)
        .filter(|_| old.is_empty() || old.ends_with('\n'))
    {
        let old_count = old_lines.unwrap_or_else(|| old.bytes().filter(|b| *b == b'\n').count());
        let mut context: Vec<&str> = old.lines().rev().take(2).collect();
        context.reverse();
        let first = old_count - context.len() + 1;
        let added_lines = added.lines().count();
        let _ = writeln!(out, "--- a/{name}\n+++ b/{name}");
        let _ = writeln!(
            out,
            "@@ -{},{} +{},{} @@",
            first,
            context.len(),
            first,
            context.len() + added_lines
        );
        for line in &context {
            let _ = writeln!(out, " {}", terminal(line));
        }
        for line in added.lines() {
            let _ = writeln!(out, "+{}", terminal(line));
        }
        return out;
    }
    // Otherwise one contiguous change (the state block): the lines between
    // the common beginning and the common end, with two lines of context.
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let from = prefix.saturating_sub(2);
    let (a_end, b_end) = (
        (a.len() - suffix + 2).min(a.len()),
        (b.len() - suffix + 2).min(b.len()),
    );
    let _ = writeln!(out, "--- a/{name}\n+++ b/{name}");
    let _ = writeln!(
        out,
        "@@ -{},{} +{},{} @@",
        from + 1,
        a_end - from,
        from + 1,
        b_end - from
    );
    for line in &a[from..prefix] {
        let _ = writeln!(out, " {}", terminal(line));
    }
    let (removed, added) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    if removed.len() == added.len() {
        // Line for line (the state block's values): unchanged lines stay
        // context.
        for (x, y) in removed.iter().zip(added) {
            if x == y {
                let _ = writeln!(out, " {}", terminal(x));
            } else {
                let _ = writeln!(out, "-{}\n+{}", terminal(x), terminal(y));
            }
        }
    } else {
        for line in removed {
            let _ = writeln!(out, "-{}", terminal(line));
        }
        for line in added {
            let _ = writeln!(out, "+{}", terminal(line));
        }
    }
    for line in &a[a.len() - suffix..a_end] {
        let _ = writeln!(out, " {}", terminal(line));
    }
    out
}
