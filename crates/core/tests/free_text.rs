//! Free text is one line of plain text (`config::text`): a control
//! character, a bidi control or a line separator in any free-text field of
//! rotation.yaml or a calendar is refused, at the value's position, however
//! the YAML writes it (an escape, the raw character, a block scalar);
//! hostile text that is none of these is read as written.
//! (`tests/it/free_text.rs` runs the command and the feed's parsers.)

use oncall_core::config::{self, calendars, text};

/// A rotation.yaml with `value` (YAML, as written) in the field `field`
/// and plain text in the others, and where `value` starts.
fn with(field: &str, value: &str) -> (String, u32, u32) {
    let lines = [
        ("team", "team: ", ""),
        ("", "timezone: Europe/Berlin", ""),
        ("", "start: 2026-11-23", ""),
        ("", "holidays:", ""),
        ("holidays[0].name", "  - { date: 2026-12-25, name: ", " }"),
        ("holidays[1].name", "  - date: 2026-12-24\n    name: ", ""),
        ("", "members:", ""),
        ("", "  - github: ana", ""),
        ("members[0].name", "    name: ", ""),
        ("", "    away:", ""),
        (
            "members[0].away[0].reason",
            "      - { from: 2026-11-24, to: 2026-11-24, reason: ",
            " }",
        ),
        ("", "  - github: ben", ""),
        ("", "overrides:", ""),
        (
            "overrides[0].reason",
            "  - { date: 2026-11-25, github: ben, reason: ",
            " }",
        ),
        ("", "duties:", ""),
        ("duties[0]", "  - ", ""),
        ("", "  - Check the console", ""),
        ("", "routing:", ""),
        ("routing.labels[0]", "  labels:\n    - ", ""),
    ];
    let mut out = String::new();
    let mut at = (0, 0);
    for (name, before, after) in lines {
        if name.is_empty() {
            out.push_str(before);
            out.push('\n');
            continue;
        }
        let written = if name == field { value } else { "plain text" };
        let line = out.lines().count() + before.lines().count();
        let col = before.lines().last().unwrap().chars().count() + 1;
        if name == field {
            at = (line as u32, col as u32);
        }
        out.push_str(&format!("{before}{written}{after}\n"));
    }
    assert!(at.0 > 0, "no field {field}");
    (out, at.0, at.1)
}

const FIELDS: [&str; 8] = [
    "team",
    "holidays[0].name",
    "holidays[1].name",
    "members[0].name",
    "members[0].away[0].reason",
    "overrides[0].reason",
    "duties[0]",
    "routing.labels[0]",
];

/// The one problem of a file with one refused character, as printed.
fn refused_at(yaml: &str) -> Vec<String> {
    match config::load("rotation.yaml", yaml) {
        Ok(_) => vec![],
        Err(e) => e.0.errors().map(|p| e.0.line(p)).collect::<Vec<String>>(),
    }
}

#[test]
fn every_control_character_is_refused_in_every_field_at_its_position() {
    // As YAML escapes in a double-quoted scalar: C0 (tab, LF, CR, NUL,
    // ESC…), DEL, C1 (NEL), bidi controls, the line and paragraph
    // separators.
    let chars: Vec<char> = (0..0x20u32)
        .chain(0x7F..=0x9F)
        .chain([
            0x61C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
            0x2067, 0x2068, 0x2069,
        ])
        .map(|c| char::from_u32(c).unwrap())
        .collect();
    for field in FIELDS {
        for &c in &chars {
            let value = format!("\"before \\u{:04X} after\"", c as u32);
            let (yaml, line, col) = with(field, &value);
            let errors = refused_at(&yaml);
            let expected = format!(
                "rotation.yaml:{line}:{col}: error: `{field}` contains {} (",
                text::describe(c)
            );
            assert!(
                errors.len() == 1 && errors[0].starts_with(&expected),
                "{field} with U+{:04X}: {errors:#?}\nexpected {expected}\n{yaml}",
                c as u32
            );
        }
    }
}

#[test]
fn line_breaks_are_refused_however_yaml_writes_them() {
    for (value, what) in [
        // YAML's escapes, and CRLF.
        ("\"two\\nlines\"", "a line break (U+000A)"),
        ("\"crlf\\r\\nline\"", "a carriage return (U+000D)"),
        ("\"bare\\rcr\"", "a carriage return (U+000D)"),
        ("\"nel\\N\"", "a control character (U+0085)"),
        ("\"ls\\L\"", "a line separator (U+2028)"),
        ("\"ps\\P\"", "a paragraph separator (U+2029)"),
        ("\"esc\\e[31m\"", "an escape character (U+001B)"),
        // Raw characters YAML allows inside a scalar.
        ("raw\ttab", "a tab (U+0009)"),
        ("\"quoted\ttab\"", "a tab (U+0009)"),
        ("raw \u{202E}bidi", "a bidi control (U+202E)"),
        ("raw\u{2028}separator", "a line separator (U+2028)"),
        ("\"raw\u{85}nel\"", "a control character (U+0085)"),
        // A quoted scalar over two lines with an empty line between.
        ("\"folded\n\n  on\"", "a line break (U+000A)"),
    ] {
        for field in FIELDS {
            let (yaml, line, col) = with(field, value);
            let errors = refused_at(&yaml);
            let expected =
                format!("rotation.yaml:{line}:{col}: error: `{field}` contains {what} (");
            assert!(
                errors.len() == 1 && errors[0].starts_with(&expected),
                "{field} with {value:?}: {errors:#?}\nexpected {expected}\n{yaml}"
            );
        }
    }
    // A block scalar keeps its line breaks (the last one too): refused.
    // `>-` folds the lines into one: read as one line.
    let block = "team: Ops\ntimezone: UTC\nstart: 2026-11-23\nmembers:\n  - github: ana\nduties:\n  - |\n    Check the console\n";
    let errors = refused_at(block);
    assert!(
        errors.len() == 1
            && errors[0].starts_with(
                "rotation.yaml:8:5: error: `duties[0]` contains a line break (U+000A) (write one line of plain text"
            ),
        "{errors:#?}"
    );
    let folded = block.replace("  - |\n", "  - >-\n    Check\n");
    let (rot, _) = config::load("rotation.yaml", &folded).unwrap();
    assert_eq!(rot.duties, ["Check Check the console"]);
}

#[test]
fn a_calendar_refuses_them_at_the_name_and_an_include_at_its_path() {
    let problems = calendars::parse(
        "holidays:\n  - 2026-12-25\n  - date: 2026-12-26\n    name: \"Boxing\\r\\nDay\"\n",
    )
    .unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!((problems[0].pos.line, problems[0].pos.col), (4, 11));
    assert_eq!(
        problems[0].message,
        "`holidays[1].name` contains a carriage return (U+000D)"
    );
    let yaml = "team: Ops\ntimezone: UTC\nstart: 2026-11-23\nholidays:\n  - include: \"calendars/a\\nb.yaml\"\nmembers:\n  - github: ana\n";
    let errors = refused_at(yaml);
    assert!(
        errors.len() == 1
            && errors[0]
                .starts_with("rotation.yaml:5:5: error: `include` contains a line break (U+000A)"),
        "{errors:#?}"
    );
}

#[test]
fn the_routing_command_refuses_them_as_it_refuses_spaces() {
    let yaml = "team: Ops\ntimezone: UTC\nstart: 2026-11-23\nmembers:\n  - github: ana\nrouting:\n  command: \"/assign\\u0007\"\n";
    let errors = refused_at(yaml);
    assert!(
        errors.len() == 1
            && errors[0].starts_with(
                "rotation.yaml:7:12: error: \"/assign\\u{7}\" is not a comment command"
            ),
        "{errors:#?}"
    );
}

#[test]
fn hostile_text_without_control_characters_is_read_as_written() {
    for s in [
        r"Ops, Platform; SRE \ Berlin \n \, \; \\",
        "BEGIN:VEVENT\\nEND:VCALENDAR",
        "::error::x ##[error]y <!channel> @everyone #1",
        "Zoë 日本語 עברית 🎉 👩‍👩‍👧 e\u{301} \u{200D}\u{2060}",
        &"Łukasiewicz".repeat(500),
    ] {
        let q = serde_json::to_string(s).unwrap();
        let mut yaml = String::new();
        for field in FIELDS {
            yaml = with(field, &q).0;
            config::load("rotation.yaml", &yaml)
                .unwrap_or_else(|e| panic!("{field} with {s:?}: {e}"));
        }
        let (rot, _) = config::load("rotation.yaml", &yaml).unwrap();
        assert_eq!(rot.routing_labels, [s]);
        let (team, _, _) = with("team", &q);
        let (rot, _) = config::load("rotation.yaml", &team).unwrap();
        assert_eq!(rot.team, s);
    }
}
