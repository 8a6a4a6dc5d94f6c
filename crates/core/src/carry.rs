//! The engineers' own Markdown, carried from the log to where a handover
//! shows it (open threads and runbook debt in the next section, the pull
//! request's body, `oncall open` and `oncall runbooks` as Markdown).
//!
//! An item is carried byte for byte, so that a link still works when it is
//! clicked or copied (issue 22, bug 5), with three exceptions, each kept
//! readable and copyable:
//! - a GitHub reference to an issue or a pull request (`#123`, `GH-123`,
//!   `owner/repo#45`, a `github.com/…/issues/N` or `…/pull/N` URL) goes in a
//!   code span, where GitHub makes no backlink from the pull request;
//! - an @-mention goes in a code span, where it notifies nobody;
//! - `<!--` is written `&lt;!--` (it reads the same), so an item cannot
//!   hide what follows it or pass for one of `oncall`'s hidden markers;
//!
//! and control and bidi characters become spaces ([`is_unsafe_char`]).
//! Code spans the engineer wrote are kept as they are.

use crate::escape::is_unsafe_char;

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The item's text for Markdown that goes to GitHub (see the module).
pub fn markdown(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        if c == '`' {
            i = code_span(&chars, i, &mut out);
            continue;
        }
        // Where GitHub's own patterns may start (its `\b` and `[^\w`]`).
        let after = |not: &[char]| prev.is_none_or(|p| !is_word(p) && !not.contains(&p));
        let matched = None
            .or_else(|| after(&[]).then(|| github_url(&chars, i)).flatten())
            .or_else(|| after(&['`']).then(|| mention(&chars, i)).flatten())
            .or_else(|| after(&['&']).then(|| hash(&chars, i)).flatten())
            .or_else(|| after(&[]).then(|| gh(&chars, i)).flatten())
            .or_else(|| after(&['.', '-']).then(|| owner_repo(&chars, i)).flatten());
        if let Some(end) = matched {
            out.push('`');
            out.extend(&chars[i..end]);
            out.push('`');
            i = end;
            continue;
        }
        if chars[i..].starts_with(&['<', '!', '-', '-']) {
            out.push_str("&lt;");
        } else if is_unsafe_char(c) {
            out.push(' ');
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// A code span from `start` (a run of backticks) copied as it is; the
/// index after it. An unmatched run is copied as literal backticks.
fn code_span(chars: &[char], start: usize, out: &mut String) -> usize {
    let run = chars[start..].iter().take_while(|&&c| c == '`').count();
    let mut j = start + run;
    while j < chars.len() {
        if chars[j] == '`' {
            let close = chars[j..].iter().take_while(|&&c| c == '`').count();
            if close == run {
                let end = j + close;
                for &c in &chars[start..end] {
                    out.push(if is_unsafe_char(c) { ' ' } else { c });
                }
                return end;
            }
            j += close;
        } else {
            j += 1;
        }
    }
    out.extend(&chars[start..start + run]);
    start + run
}

/// The end of a run of ASCII digits starting at `from` (None if empty),
/// when no word character follows it.
fn digits(chars: &[char], from: usize) -> Option<usize> {
    let n = chars
        .get(from..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let end = from + n;
    (n > 0 && chars.get(end).is_none_or(|&c| !is_word(c))).then_some(end)
}

/// `@login` or `@org/team` at `i`: its end.
fn mention(chars: &[char], i: usize) -> Option<usize> {
    if chars[i] != '@' || !chars.get(i + 1)?.is_ascii_alphanumeric() {
        return None;
    }
    let login = |from: usize| {
        from + chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
            .count()
    };
    let mut end = login(i + 1);
    if chars.get(end) == Some(&'/') && chars.get(end + 1).is_some_and(char::is_ascii_alphanumeric) {
        end = end
            + 1
            + chars[end + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .count();
    }
    Some(end)
}

/// `#123` at `i`: its end.
fn hash(chars: &[char], i: usize) -> Option<usize> {
    (chars[i] == '#').then(|| digits(chars, i + 1)).flatten()
}

/// `GH-123` (any case) at `i`: its end.
fn gh(chars: &[char], i: usize) -> Option<usize> {
    let word: String = chars.get(i..i + 3)?.iter().collect();
    word.eq_ignore_ascii_case("gh-")
        .then(|| digits(chars, i + 3))
        .flatten()
}

/// `owner/repo#45` at `i`: its end.
fn owner_repo(chars: &[char], i: usize) -> Option<usize> {
    let name = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|c| is_word(**c) || matches!(c, '.' | '-'))
            .count()
    };
    let owner = name(i);
    if owner == 0 || chars.get(i + owner) != Some(&'/') {
        return None;
    }
    let repo = name(i + owner + 1);
    let at = i + owner + 1 + repo;
    if repo == 0 || chars.get(at) != Some(&'#') {
        return None;
    }
    digits(chars, at + 1)
}

/// A github.com URL of an issue, a pull request or a discussion at `i`:
/// its end (trailing punctuation left out, as GitHub's autolinks do).
fn github_url(chars: &[char], i: usize) -> Option<usize> {
    let rest: String = chars[i..chars.len().min(i + 30)].iter().collect();
    let lower = rest.to_ascii_lowercase();
    let host = [
        "https://github.com/",
        "http://github.com/",
        "https://www.github.com/",
        "http://www.github.com/",
    ]
    .into_iter()
    .find(|p| lower.starts_with(p))?;
    let mut end = i + chars[i..]
        .iter()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '`' | '<' | '>'))
        .count();
    while end > i
        && matches!(
            chars[end - 1],
            '.' | ',' | ';' | ':' | '!' | '?' | '*' | '_' | '~' | ')'
        )
    {
        let open = chars[i..end].iter().filter(|&&c| c == '(').count();
        let close = chars[i..end].iter().filter(|&&c| c == ')').count();
        if chars[end - 1] == ')' && open >= close {
            break;
        }
        end -= 1;
    }
    let path: String = chars[i + host.chars().count()..end].iter().collect();
    let parts: Vec<&str> = path.split(['/', '#', '?']).collect();
    let numbered = parts.len() >= 4
        && matches!(parts[2], "issues" | "pull" | "pulls" | "discussions")
        && !parts[3].is_empty()
        && parts[3].chars().all(|c| c.is_ascii_digit());
    numbered.then_some(end)
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn links_are_carried_byte_for_byte() {
        for s in [
            "see https://grafana.example.com/d/abc?var-ns=prod&from=now-6h",
            "[dashboard](https://grafana.example.com/d/x) and <https://a.example/b>",
            "a@b.example wrote <b>this</b> & *that*, www.example.com",
            "https://github.com/org/repo/blob/main/README.md#L12",
            "already `#123` and `@octocat` in code",
        ] {
            assert_eq!(markdown(s), s);
        }
    }

    #[test]
    fn references_and_mentions_go_in_code_spans() {
        assert_eq!(markdown("#123 done"), "`#123` done");
        assert_eq!(markdown("see org/repo#45."), "see `org/repo#45`.");
        assert_eq!(markdown("(#7), GH-9, gh-10"), "(`#7`), `GH-9`, `gh-10`");
        assert_eq!(
            markdown("ask @octocat or @org/sre"),
            "ask `@octocat` or `@org/sre`"
        );
        assert_eq!(
            markdown(
                "https://github.com/org/repo/issues/12, https://github.com/o/r/pull/3#issuecomment-1."
            ),
            "`https://github.com/org/repo/issues/12`, `https://github.com/o/r/pull/3#issuecomment-1`."
        );
        // Not references: an entity, a word, a heading-less hash.
        assert_eq!(markdown("&#123; a#1 C# #x"), "&#123; a#1 C# #x");
    }

    #[test]
    fn a_comment_cannot_open_and_controls_are_spaces() {
        assert_eq!(
            markdown("x <!-- oncall: announced in Slack -->"),
            "x &lt;!-- oncall: announced in Slack -->"
        );
        assert_eq!(markdown("a\u{202E}b\tc"), "a b c");
    }
}
