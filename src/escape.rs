//! Escaping of text that comes from rotation.yaml or the log, for each place
//! it goes. Every sink has its own function; nothing from a file reaches a
//! sink without passing through one of them.

/// Characters that can reorder or hide text on screen (bidi controls).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// True for characters that must never reach a screen or a document as is.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// For the terminal: control characters (ANSI escapes, NUL, newlines inside
/// a value) and bidi overrides become visible `\u{..}` escapes.
pub fn terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// For inline Markdown (the log, PR bodies, step summaries): one line of
/// literal text. Characters with a Markdown or HTML meaning are escaped, so a
/// name can neither format, link, open HTML, start a heading nor break out of
/// a table cell; control characters and newlines become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' | '>' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            c if is_unsafe_char(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// For Slack mrkdwn: `&`, `<` and `>` become entities, so text can never
/// form a mention (`<!channel>`, `<@U…>`) or a disguised link
/// (`<https://evil|docs>`); control characters become spaces and bidi
/// controls are dropped.
pub fn slack(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_bidi_control(c) => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Cuts `s` to at most `max` characters, ending with an ellipsis when cut.
/// Never cuts inside an entity such as `&amp;`.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    if let Some(amp) = out.rfind('&')
        && !out[amp..].contains(';')
    {
        out.truncate(amp);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_ansi_and_bidi() {
        assert_eq!(terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal("x\u{202E}y\nz"), "x\\u{202e}y\\u{a}z");
        assert_eq!(terminal("Zoë"), "Zoë");
    }

    #[test]
    fn slack_cannot_mention_or_link() {
        assert_eq!(
            slack("<!channel> & <https://evil|docs>"),
            "&lt;!channel&gt; &amp; &lt;https://evil|docs&gt;"
        );
        assert_eq!(slack("a\u{202E}b\u{1b}[1m"), "ab [1m");
    }

    #[test]
    fn truncate_keeps_entities_whole() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("ab&amp;cd", 5), "ab…");
        assert_eq!(truncate("abc", 3), "abc");
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(markdown("[x](http://e)"), "\\[x\\]\\(http://e\\)");
        assert_eq!(markdown("a\n## 2026-01-01"), "a \\#\\# 2026-01-01");
        assert_eq!(markdown("<b>&"), "\\<b\\>&amp;");
        assert_eq!(markdown("Jean-Luc O'Neil"), "Jean-Luc O'Neil");
    }
}
