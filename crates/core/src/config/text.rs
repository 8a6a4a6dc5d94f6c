//! The one policy for free text in rotation.yaml and the shared calendars
//! (the team, a member's name, the reasons of time off and overrides,
//! holiday names, duties, routing labels; an include's path and the
//! routing command, which have stricter checks of their own, refuse the
//! same characters): **one line of plain text**. A control character (C0,
//! with the tab, the line feed and the carriage return; DEL; C1, with
//! NEL), a bidi control, or a line or paragraph separator is refused at
//! validation, with its position.
//!
//! Such a character has no honest use in a name or a duty, and each one
//! breaks a sink: a line break ends an iCalendar property (a team name
//! could add events to the feed) or a line of the job's log (a workflow
//! command); a bare CR or U+2028 is a line break to some readers and not
//! to others; a bidi control shows text in another order than it is
//! read. The sinks still escape them (defence in depth, and the log is
//! written by people), but no file that `check` accepts carries one.
//!
//! The schema says it too (`pattern`, so editors flag it): the free-text
//! fields carry [`pattern`], and the structural check reports a value that
//! does not match it at the value's position. The typed fast path of
//! `validate::load_from` leaves any file with such a character to the
//! structural pass (`validate::free_text_is_plain`).

use crate::diag::{Pos, Problem};

/// The refused characters, as inclusive ranges: C0 (with tab, LF, CR),
/// DEL and C1 (with NEL), the Arabic letter mark, the left-to-right and
/// right-to-left marks, the line and paragraph separators with the bidi
/// embeddings and overrides (U+2028..U+202E), the bidi isolates.
const REFUSED: &[(char, char)] = &[
    ('\u{0}', '\u{1F}'),
    ('\u{7F}', '\u{9F}'),
    ('\u{61C}', '\u{61C}'),
    ('\u{200E}', '\u{200F}'),
    ('\u{2028}', '\u{202E}'),
    ('\u{2066}', '\u{2069}'),
];

/// A character no free text may hold (the same as
/// `escape::is_unsafe_in_text`, which the sinks use).
pub fn is_refused(c: char) -> bool {
    REFUSED.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

/// The first refused character of `s`.
pub fn first_refused(s: &str) -> Option<char> {
    s.chars().find(|c| is_refused(*c))
}

/// The refused characters as the inside of an ECMA-262 character class
/// (`\u0000-\u001F…`).
fn class() -> String {
    REFUSED
        .iter()
        .map(|(lo, hi)| match lo == hi {
            true => format!("\\u{:04X}", *lo as u32),
            false => format!("\\u{:04X}-\\u{:04X}", *lo as u32, *hi as u32),
        })
        .collect()
}

/// The JSON Schema `pattern` of free text (ECMA-262): no refused
/// character, made from the same ranges as [`is_refused`].
pub fn pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| format!("^[^{}]*$", class()))
}

/// The JSON Schema `pattern` of the routing command: a slash, then one
/// word without spaces or refused characters (`validate`'s
/// `routing_is_usable` checks the same).
pub fn command_pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| format!("^/[^\\s{}]+$", class()))
}

/// A refused character in words, for messages: `a line break (U+000A)`.
pub fn describe(c: char) -> String {
    let what = match c {
        '\n' => "a line break",
        '\r' => "a carriage return",
        '\t' => "a tab",
        '\u{1b}' => "an escape character",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            "a bidi control"
        }
        _ => "a control character",
    };
    format!("{what} (U+{:04X})", c as u32)
}

/// What to do about a refused character.
pub const HINT: &str = "write one line of plain text: line breaks, tabs and other control characters, and bidi controls, are refused in every text field (they would break the calendar feed and the job's log); a long text can be folded with `>-`";

/// The problem of a free-text value (`what`: the field, as the messages
/// name it) that holds `c`.
pub fn problem(pos: Pos, what: &str, c: char) -> Problem {
    Problem::error(pos, format!("{what} contains {}", describe(c)), HINT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refused_set_is_the_sinks_unsafe_set_and_the_line_separators() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let unsafe_ = crate::escape::is_unsafe_in_text(c);
            assert_eq!(is_refused(c), unsafe_, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_pattern_names_the_ranges() {
        assert_eq!(
            pattern(),
            r"^[^\u0000-\u001F\u007F-\u009F\u061C\u200E-\u200F\u2028-\u202E\u2066-\u2069]*$"
        );
        assert_eq!(
            command_pattern(),
            r"^/[^\s\u0000-\u001F\u007F-\u009F\u061C\u200E-\u200F\u2028-\u202E\u2066-\u2069]+$"
        );
        assert_eq!(describe('\n'), "a line break (U+000A)");
        assert_eq!(describe('\u{202E}'), "a bidi control (U+202E)");
        assert_eq!(describe('\u{85}'), "a control character (U+0085)");
    }
}
