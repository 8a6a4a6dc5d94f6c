//! Escaping of text that comes from rotation.yaml or the log, for each place
//! it goes. Every sink has its own function; nothing from a file reaches a
//! sink without passing through one of them.

/// Characters that can reorder or hide text on screen (Unicode's bidi
/// controls).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// True for characters that must never reach a screen or a document as is.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The characters no free text from rotation.yaml or a calendar may hold
/// (`config::text` refuses them at validation): [`is_unsafe_char`], and
/// the line and paragraph separators (U+2028, U+2029), which some readers
/// take for the end of a line.
pub fn is_unsafe_in_text(c: char) -> bool {
    is_unsafe_char(c) || matches!(c, '\u{2028}' | '\u{2029}')
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

/// iCalendar TEXT (RFC 5545 §3.3.11) for a value written as given (the
/// calendar's `NAME`, which the icalendar crate does not escape): a
/// backslash, a semicolon, a comma and a line break escaped, after
/// [`ical_plain`].
pub fn ical_text(s: &str) -> String {
    ical_plain(s)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Text for an iCalendar TEXT value: every character that free text may
/// not hold ([`is_unsafe_in_text`]) but the line break becomes a space. TEXT has
/// no escape for a bare CR or a tab in a name, and a reader may take a CR
/// or U+2028 for the end of the line. rotation.yaml cannot carry them
/// (they are refused at validation); this is the feed's own guard.
pub fn ical_plain(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' => '\n',
            c if is_unsafe_in_text(c) => ' ',
            c => c,
        })
        .collect()
}

/// Unicode's default-ignorable code points (soft hyphen, zero-width
/// spaces and joiners, bidi controls, variation selectors…): a
/// culture-sensitive comparison (.NET with ICU, the runner's) skips them,
/// so `#\u{200B}#[` is `##[` to it.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// What stands in for the `#` or `:` that would complete a workflow
/// command in [`job_log`]: the fullwidth forms, which read the same. Not an
/// invisible joiner: the runner compares culture-sensitively (.NET, ICU),
/// which skips zero-width characters but tells the widths apart.
const FULLWIDTH_NUMBER_SIGN: char = '\u{FF03}';
const FULLWIDTH_COLON: char = '\u{FF1A}';

/// For the job's log in GitHub Actions: text `oncall` prints, made unable
/// to act as a workflow command. The runner reads a line (ended by LF, CR
/// or CRLF) that starts with `::` after its leading spaces as a command,
/// and `##[` anywhere in a line as one (the legacy form). Here the first
/// `:` of a line-leading `::` and the second `#` of every `##[` become
/// their fullwidth forms (`:：`, `#＃[`), also when ignorable characters
/// stand between them. Every other character is kept: the text reads the
/// same. The workflow commands `oncall` builds on purpose (annotations,
/// masks) are written around it (the binary's `joblog`).
pub fn job_log(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive(['\n', '\r']) {
        let mut chars: Vec<char> = line.chars().collect();
        // The next character at or after `i` that is not ignorable.
        let next =
            |chars: &[char], i: usize| (i..chars.len()).find(|&j| !is_default_ignorable(chars[j]));
        let lead = (0..chars.len()).find(|&j| {
            let c = chars[j];
            !(is_default_ignorable(c) || c.is_whitespace() && c != '\n' && c != '\r')
        });
        if let Some(first) = lead
            && chars[first] == ':'
            && next(&chars, first + 1).is_some_and(|j| chars[j] == ':')
        {
            chars[first] = FULLWIDTH_COLON;
        }
        for i in 0..chars.len() {
            if chars[i] != '#' {
                continue;
            }
            if let Some(j) = next(&chars, i + 1).filter(|&j| chars[j] == '#')
                && next(&chars, j + 1).is_some_and(|k| chars[k] == '[')
            {
                chars[j] = FULLWIDTH_NUMBER_SIGN;
            }
        }
        out.extend(chars);
    }
    out
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
    fn the_job_log_has_no_workflow_command() {
        assert_eq!(job_log("::error::x"), "\u{FF1A}:error::x");
        assert_eq!(job_log("  \t::warning::x\n"), "  \t\u{FF1A}:warning::x\n");
        assert_eq!(job_log("a ::b"), "a ::b", "only at the start of a line");
        assert_eq!(
            job_log("ok\r::stop-commands::t\r\n::x::\n"),
            "ok\r\u{FF1A}:stop-commands::t\r\n\u{FF1A}:x::\n"
        );
        assert_eq!(
            job_log("rotations/##[error title=Forged]x ###[ ##["),
            "rotations/#\u{FF03}[error title=Forged]x ##\u{FF03}[ #\u{FF03}["
        );
        // Ignorable characters between do not help.
        assert_eq!(job_log("#\u{200B}#[x"), "#\u{200B}\u{FF03}[x");
        assert_eq!(
            job_log("\u{2060}:\u{AD}:x::y"),
            "\u{2060}\u{FF1A}\u{AD}:x::y"
        );
        for plain in ["# heading", "a: b", "#[x]", "## [x]", "https://x", "Zoë ::"] {
            assert_eq!(job_log(plain), plain);
        }
    }

    #[test]
    fn ical_text_escapes_what_rfc_5545_names() {
        assert_eq!(
            ical_text("a\\b;c,d\ne\r\nf\rg\th\u{2028}i"),
            "a\\\\b\\;c\\,d\\ne \\nf g h i"
        );
        assert_eq!(ical_plain("a;b\n\u{202E}c"), "a;b\n c");
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
