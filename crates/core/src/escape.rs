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

/// An invisible WORD JOINER (U+2060). `oncall` puts one after every `@`
/// and `#`, inside `GH-N`, and inside `://` and `www.` in text from
/// rotation.yaml that goes to GitHub: the text reads the same, but GitHub
/// sees no @-mention (which would notify a user or team), no issue
/// reference such as `#42`, `GH-42` or `owner/repo#42` (which would post a
/// backlink there), and no bare link (an issue's URL is a reference too).
pub const WORD_JOINER: char = '\u{2060}';

/// For inline Markdown (the log, PR bodies, step summaries): one line of
/// literal text. Characters with a Markdown or HTML meaning are escaped, so a
/// name can neither format, link, open HTML, start a heading nor break out of
/// a table cell; control characters and newlines become spaces; mentions,
/// references and bare links are broken with [`WORD_JOINER`].
pub fn markdown(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '+' | '!' | '|' | '~'
            | '>' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '#' => {
                out.push_str("\\#");
                out.push(WORD_JOINER);
            }
            '@' => {
                out.push('@');
                out.push(WORD_JOINER);
            }
            // `GH-42`
            '-' if next.is_some_and(|n| n.is_ascii_digit())
                && i >= 2
                && chars[i - 2..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("gh") =>
            {
                out.push('-');
                out.push(WORD_JOINER);
            }
            // `https://…`
            ':' if chars.get(i + 1..i + 3) == Some(&['/', '/']) => {
                out.push(':');
                out.push(WORD_JOINER);
            }
            // `www.…`
            '.' if i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www") =>
            {
                out.push(WORD_JOINER);
                out.push('.');
            }
            '&' => out.push_str("&amp;"),
            c if is_unsafe_char(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The text [`markdown`] escaped, read back (for values the log records,
/// such as an override's reason): escapes and word joiners removed,
/// `&amp;` decoded.
pub fn unmarkdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            WORD_JOINER => {}
            c => out.push(c),
        }
    }
    out.replace("&amp;", "&")
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
/// Never cuts inside an entity such as `&amp;`, nor inside a Slack mention
/// or link such as `<@U0123ABCD>` (text from the files has no raw `<`: it
/// is escaped first, so a `<` is always one of ours).
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
    if let Some(open) = out.rfind('<')
        && !out[open..].contains('>')
    {
        out.truncate(open);
    }
    out.push('…');
    out
}

/// HTML text or a double-quoted attribute value: `&`, `<`, `>`, `"` and
/// `'` as entities; control and bidi characters dropped.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push(' '),
            c if is_unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Serialised JSON for the terminal or a file: serde_json escapes control
/// characters inside strings; bidi controls are escaped here too
/// (`\u202e`), so the output is inert on a terminal and stays valid JSON.
/// The line breaks of pretty output are kept.
pub fn json(serialised: &str) -> String {
    let mut s = String::with_capacity(serialised.len() + 1);
    for c in serialised.chars() {
        if is_unsafe_char(c) && c != '\n' {
            s.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            s.push(c);
        }
    }
    s
}

/// Escapes a workflow command's message (GitHub's `escapeData`).
pub fn workflow_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (GitHub's `escapeProperty`).
pub fn workflow_property(s: &str) -> String {
    workflow_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// FNV-1a (64 bit), hex: a short, stable fingerprint of text (the feed's
/// team tag, the log part a handover commit must not change).
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A value as pretty-printed JSON, escaped ([`json`]), ending in a
/// newline: every JSON output of the commands.
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string_pretty(value).expect("the outputs serialize");
    let mut escaped = json(&text);
    escaped.push('\n');
    escaped
}

/// A value as JSON on one line, escaped ([`json`]), ending in a newline:
/// what `$GITHUB_OUTPUT` and a matrix's `fromJSON` take.
pub fn json_line<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string(value).expect("the outputs serialize");
    format!("{}\n", json(&text))
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
        // Not inside a mention or a link.
        assert_eq!(truncate("hi <@U0123ABCD> there", 10), "hi …");
        assert_eq!(truncate("a <https://x|docs> b", 12), "a …");
        assert_eq!(truncate("a <@U1> b", 8), "a <@U1>…");
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(markdown("[x](http://e)"), "\\[x\\]\\(http:\u{2060}//e\\)");
        assert_eq!(
            markdown("a\n## 2026-01-01"),
            "a \\#\u{2060}\\#\u{2060} 2026-01-01"
        );
        assert_eq!(markdown("<b>&"), "\\<b\\>&amp;");
        assert_eq!(markdown("Jean-Luc O'Neil"), "Jean-Luc O'Neil");
    }

    #[test]
    fn unmarkdown_reads_markdown_back() {
        for s in [
            "release day, Goran ships the upgrade",
            "[x](http://e) <b>&amp; #1 @x GH-2 www.y",
            "a\\b `c` *d* _e_ | ~f~",
        ] {
            assert_eq!(unmarkdown(&markdown(s)), s);
        }
    }

    #[test]
    fn markdown_breaks_mentions_references_and_bare_links() {
        let wj = WORD_JOINER;
        assert_eq!(markdown("@octocat"), format!("@{wj}octocat"));
        assert_eq!(markdown("@org/team"), format!("@{wj}org/team"));
        assert_eq!(markdown("see #42"), format!("see \\#{wj}42"));
        assert_eq!(markdown("o/r#42"), format!("o/r\\#{wj}42"));
        assert_eq!(markdown("gh-42 GH-7"), format!("gh-{wj}42 GH-{wj}7"));
        assert_eq!(markdown("GH-x"), "GH-x");
        assert_eq!(
            markdown("https://x/y www.z.io"),
            format!("https:{wj}//x/y www{wj}.z.io")
        );
    }
}
