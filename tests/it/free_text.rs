//! Free text in rotation.yaml and the shared calendars (the team, names,
//! reasons, holiday names, duties, routing labels): one line of plain
//! text. Hostile text that is not a control character comes back exactly
//! from every calendar feed, parsed by three independent parsers (Python's
//! `icalendar`, `ics` and `vobject`); text with a control character, a
//! bidi control or a line separator is refused by `check`, in every field,
//! at the field's position (docs/security.md, "Free text").

use crate::support;

use support::repo::Repo;
use support::validators;

/// Hostile text that is accepted: it must come back as typed. (No
/// leading or trailing spaces: the team and the duties are trimmed.)
fn accepted() -> Vec<String> {
    let mut c: Vec<String> = [
        r"Ops, Platform; SRE \ Berlin \n \, \; \\",
        r#""double" 'single' `back`"#,
        "BEGIN:VEVENT",
        "END:VCALENDAR",
        "x\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:forged",
        "SUMMARY:forged;VALUE=TEXT:x",
        "::error::forged ##[error title=Forged]x",
        "<b>html</b> &amp; <!channel>",
        "Zoë Ångström-Łukasiewicz 日本語 עברית العربية 🎉 👩‍👩‍👧 e\u{301}",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    c.push("Łukasiewicz-".repeat(200));
    c
}

/// Text with a character that free text may not hold, and how `check`
/// names the first one.
fn refused() -> Vec<(&'static str, &'static str)> {
    vec![
        ("two\nlines", "a line break (U+000A)"),
        ("crlf\r\nline", "a carriage return (U+000D)"),
        ("bare\rcr", "a carriage return (U+000D)"),
        ("tab\there", "a tab (U+0009)"),
        ("nul\u{0}", "a control character (U+0000)"),
        ("ansi \u{1b}[31mred", "an escape character (U+001B)"),
        ("bell\u{7}", "a control character (U+0007)"),
        ("del\u{7f}", "a control character (U+007F)"),
        ("nel\u{85}", "a control character (U+0085)"),
        ("rtl \u{202E}gnp.exe", "a bidi control (U+202E)"),
        ("iso \u{2066}x\u{2069}", "a bidi control (U+2066)"),
        ("mark\u{61C}", "a bidi control (U+061C)"),
        ("line\u{2028}separator", "a line separator (U+2028)"),
        ("para\u{2029}graph", "a paragraph separator (U+2029)"),
        (
            "Ops\nEND:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:forged\nURL:https://evil.example\nEND:VEVENT",
            "a line break (U+000A)",
        ),
    ]
}

/// A YAML double-quoted scalar: every character that is not printable
/// (or that a reader might take for a line break) as a `\u` escape.
fn quoted(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c if c.is_control() || oncall_core::config::text::is_refused(c) || c == '\u{feff}' => {
                q.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// Where a value is written: (file, line, column, the field's path).
type At = (&'static str, usize, usize, &'static str);

/// rotation.yaml and its calendar with `s` in every free-text field, and
/// where each value is written.
fn files(s: &str) -> (String, String, Vec<At>) {
    let q = quoted(s);
    let rotation = [
        ("team: ", "", Some("team")),
        ("timezone: Europe/Berlin", "-", None),
        ("start: 2026-11-23", "-", None),
        ("holidays:", "-", None),
        ("  - include: calendars/extra.yaml", "-", None),
        (
            "  - { date: 2026-12-25, name: ",
            " }",
            Some("holidays[1].name"),
        ),
        ("members:", "-", None),
        ("  - github: ana", "-", None),
        ("    name: ", "", Some("members[0].name")),
        ("    slack: U0HOSTILE1", "-", None),
        ("  - github: ben", "-", None),
        ("    name: ", "", Some("members[1].name")),
        ("    away:", "-", None),
        (
            "      - { from: 2026-11-24, to: 2026-11-24, reason: ",
            " }",
            Some("members[1].away[0].reason"),
        ),
        ("  - github: cai", "-", None),
        ("overrides:", "-", None),
        (
            "  - { date: 2026-11-25, github: cai, reason: ",
            " }",
            Some("overrides[0].reason"),
        ),
        ("duties:", "-", None),
        ("  - ", "", Some("duties[0]")),
        ("  - Check the console", "-", None),
        ("routing:", "-", None),
        ("  labels: [", "]", Some("routing.labels[0]")),
    ];
    let calendar = [
        ("holidays:", "-", None),
        ("  - date: 2026-12-24", "-", None),
        ("    name: ", "", Some("holidays[0].name")),
    ];
    let mut at = Vec::new();
    let mut write = |file: &'static str, lines: &[(&str, &str, Option<&'static str>)]| {
        let mut text = String::new();
        for (i, (before, after, field)) in lines.iter().enumerate() {
            match field {
                Some(field) => {
                    at.push((file, i + 1, before.chars().count() + 1, *field));
                    text.push_str(&format!("{before}{q}{after}\n"));
                }
                None => text.push_str(&format!("{before}\n")),
            }
        }
        text
    };
    let rotation = write("rotation.yaml", &rotation);
    let calendar = write("calendars/extra.yaml", &calendar);
    (rotation, calendar, at)
}

fn repo(s: &str) -> (Repo, Vec<At>) {
    let (rotation, calendar, at) = files(s);
    let repo = Repo::with(&rotation, None);
    std::fs::create_dir_all(repo.path("calendars")).unwrap();
    std::fs::write(repo.path("calendars/extra.yaml"), calendar).unwrap();
    (repo, at)
}

const NOW: &str = "2026-11-23T07:00:00Z";

/// Every field of both files, with each refused text: `check` exits 2 and
/// names every field at its line and column, and no feed is written.
#[test]
fn a_control_character_in_any_free_text_field_is_refused_at_its_position() {
    for (s, what) in refused() {
        let (repo, at) = repo(s);
        let out = repo
            .oncall()
            .env("ONCALL_NOW", NOW)
            .arg("check")
            .output()
            .unwrap();
        let printed = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(out.status.code(), Some(2), "{s:?}: {printed}");
        for (file, line, col, field) in &at {
            let expected = format!("{file}:{line}:{col}: error: `{field}` contains {what} (");
            assert!(
                printed.lines().any(|l| l.starts_with(&expected)),
                "{s:?}: no {expected:?} in\n{printed}"
            );
        }
        let errors = printed.lines().filter(|l| l.contains(": error: ")).count();
        assert_eq!(errors, at.len(), "{s:?}: one error per field:\n{printed}");
        // The feed is refused too, with the same positions.
        let out = repo
            .oncall()
            .env("ONCALL_NOW", NOW)
            .args(["schedule", "--format", "ics"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{s:?}");
        assert!(out.stdout.is_empty(), "{s:?}: a feed was written");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("rotation.yaml:1:7: error: `team` contains"),
            "{stderr}"
        );
    }
}

/// Hostile text that is no control character, in every field: `check`
/// accepts it, and the team's feed and a member's parse in `icalendar`,
/// `ics` and `vobject` alike, with the text back exactly (the feed's name,
/// every summary, the descriptions' names, reason and duty).
#[test]
fn every_feed_with_hostile_text_parses_in_three_parsers_with_the_text_back() {
    let mut feeds = Vec::new();
    let mut expected = Vec::new();
    for s in accepted() {
        let (repo, _) = repo(&s);
        let run = |args: &[&str]| {
            let out = repo
                .oncall()
                .env("ONCALL_NOW", NOW)
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{s:?}: {args:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        run(&["check"]);
        feeds.push(run(&["schedule", "--days", "14", "--format", "ics"]));
        expected.push((s.clone(), false));
        feeds.push(run(&[
            "schedule", "--days", "14", "--format", "ics", "--member", "ben",
        ]));
        expected.push((s.clone(), true));
    }
    let parsed = validators::ics_feeds(&feeds).unwrap_or_else(|e| panic!("{e}"));
    for (readings, (s, member)) in parsed.iter().zip(expected) {
        let dates = |parser: &str| -> Vec<(String, String, String)> {
            let events = readings[parser]["events"].as_array().unwrap();
            let field = |e: &serde_json::Value, k: &str| e[k].as_str().unwrap().to_owned();
            events
                .iter()
                .map(|e| (field(e, "uid"), field(e, "start"), field(e, "end")))
                .collect()
        };
        for parser in ["icalendar", "ics", "vobject"] {
            // The same events for every parser: none added, none lost.
            assert_eq!(dates(parser), dates("vobject"), "{s:?}: {parser}");
            // `icalendar` 6.3.1 and `ics` 0.7.3 unescape TEXT with chained
            // `str.replace`: a backslash before `n`, `N`, `r`, `R`, `,`,
            // `;` or `\` written as text (`\\n`, RFC 5545's escape of
            // `\n`) comes back as an escape (a line break). The feed is
            // right (`vobject` reads it back exactly): their reading of
            // that text is not compared.
            let lookalike = s
                .as_bytes()
                .windows(2)
                .any(|w| w[0] == b'\\' && b"nNrR,;\\".contains(&w[1]));
            if parser != "vobject" && lookalike {
                continue;
            }
            exact(&readings[parser], &s, member, parser);
        }
    }
}

/// `parser`'s reading of a feed has `s` back exactly: in the feed's name
/// (NAME and X-WR-CALNAME), every summary, and the names, reason and duty
/// of the descriptions.
fn exact(feed: &serde_json::Value, s: &str, member: bool, parser: &str) {
    let what = format!("{parser} with {s:?}");
    let events = feed["events"].as_array().unwrap();
    let text = |e: &serde_json::Value, k: &str| e[k].as_str().unwrap().to_owned();
    assert_eq!(feed["name"], feed["calname"], "{what}");
    if member {
        assert_eq!(feed["name"], format!("On call: {s} ({s})"), "{what}");
        assert!(!events.is_empty(), "{what}");
        for e in events {
            assert_eq!(text(e, "summary"), format!("On call ({s})"), "{what}");
            assert!(
                text(e, "description").starts_with(&format!("On call for {s}: {s} (@ben).\n")),
                "{what}: {e}"
            );
        }
        return;
    }
    assert_eq!(feed["name"], format!("On call: {s}"), "{what}");
    let by_day = |day: &str| {
        events
            .iter()
            .find(|e| e["start"] == day)
            .unwrap_or_else(|| panic!("{what}: no event on {day}"))
    };
    // Ana, with her name (the first day); Cai's override, with its
    // reason (he has no name).
    let first = by_day("2026-11-23");
    assert_eq!(
        text(first, "summary"),
        format!("On call: {s} ({s})"),
        "{what}"
    );
    assert!(
        text(first, "description").contains(&format!("\n\nDuties:\n- {s}\n- Check the console\n")),
        "{what}: {first}"
    );
    let over = by_day("2026-11-25");
    assert_eq!(
        text(over, "summary"),
        format!("On call: cai ({s})"),
        "{what}"
    );
    assert!(
        text(over, "description").contains("Override, in place of ")
            && text(over, "description").contains(&format!("): {s}.\n")),
        "{what}: {over}"
    );
    assert_eq!(events.len(), 10, "{what}: ten working days, no more");
}
