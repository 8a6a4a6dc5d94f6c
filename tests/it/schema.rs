//! The JSON Schema an editor checks rotation.yaml with
//! (`rotation.schema.json`, generated from `config/schema.rs`), against
//! what `oncall check` refuses: every invalid fixture, run through
//! check-jsonschema. The schema says what JSON Schema can express (types,
//! keys, dates, weekday names, logins, Slack IDs, free text without control
//! characters, lists without repeats); the rest needs `check`, and the
//! list below says which fixtures and why.

use crate::support;

use std::path::{Path, PathBuf};
use support::validators;

/// The invalid fixtures the schema cannot catch, each with the reason.
const NOT_CAUGHT: &[&str] = &[
    // Two fields compared (`to` before `from`): JSON Schema compares a
    // value with constants, never with another value.
    "away-ends-before-it-begins.yaml",
    // The IANA zone names are not in the schema: an enum of ~600 names
    // would tie the file to chrono-tz's copy of the tz database; `check`
    // names the nearest zone.
    "bad-timezone.yaml",
    // A date and a {date, name} for the same day: `uniqueItems` compares
    // whole items, not one field of them.
    "duplicate-holiday.yaml",
    // `ana` and `Ana`: logins are unique regardless of case; `uniqueItems`
    // is case-sensitive and compares whole members.
    "duplicate-login.yaml",
    // Before `start`: a date compared with another field.
    "override-before-start.yaml",
    // On a day the member is away: a date against another list's ranges.
    "override-member-away.yaml",
    // On a weekend and a holiday: needs the calendar (weekdays of dates,
    // the holidays, the working days).
    "override-on-non-working-day.yaml",
    // A well-formed login that is not in `members`: JSON Schema cannot
    // refer from one value to the values of another list.
    "override-unknown-member.yaml",
    // Two overrides on one date: uniqueness of one field across items.
    "two-overrides-one-day.yaml",
];

/// The fixtures that are not YAML an editor can read: it shows a YAML
/// error before any schema applies (so does check-jsonschema).
const NOT_YAML: &[&str] = &[
    // The same key twice in a mapping.
    "duplicate-key.yaml",
    // A tab in the indentation.
    "tab-in-indentation.yaml",
    // Broken syntax.
    "yaml-syntax.yaml",
];

/// Not run: YAML aliases that expand to millions of nodes. A YAML reader
/// expands them before any schema applies (check-jsonschema runs out of
/// memory after half a minute and gigabytes); `check`'s reader refuses it
/// within its budget (`config::node::options`).
const NOT_RUN: &[&str] = &["alias-bomb.yaml"];

fn invalid_fixtures() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/invalid")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    all.sort();
    all
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn the_schema_catches_every_invalid_fixture_it_can_express() {
    let all = invalid_fixtures();
    assert!(all.len() >= 27, "{all:?}");
    // `check` refuses every one of them.
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(
            oncall_core::config::load("rotation.yaml", &text).is_err(),
            "{} is valid",
            f.display()
        );
    }
    let run: Vec<&Path> = all
        .iter()
        .filter(|p| !NOT_RUN.contains(&name(p).as_str()))
        .map(PathBuf::as_path)
        .collect();
    let found = validators::schema_findings("rotation.schema.json", &run);
    let mut not_caught = Vec::new();
    let mut not_yaml = Vec::new();
    for (file, result) in &found {
        let file = name(Path::new(file));
        match result {
            Ok(errors) if errors.is_empty() => not_caught.push(file),
            Ok(_) => {}
            Err(_) => not_yaml.push(file),
        }
    }
    assert_eq!(
        not_caught, NOT_CAUGHT,
        "the invalid fixtures the schema lets through (an editor shows no error): if the schema now catches one, remove it from NOT_CAUGHT; if a new one gets through, add what JSON Schema can express to config/schema.rs, or list it with the reason"
    );
    assert_eq!(not_yaml, NOT_YAML);
    // The fixtures this finding is about: logins and Slack IDs.
    for (file, field) in [
        ("bad-github-login.yaml", ".github: "),
        ("slack-id-not-an-id.yaml", ".slack: "),
    ] {
        let errors = found
            .iter()
            .find(|(f, _)| f.ends_with(file))
            .map(|(_, r)| r.clone().unwrap())
            .unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("$.members[") && e.contains(field)),
            "{file}: {errors:?}"
        );
    }
}

/// The free-text pattern, as an editor's validator runs it (ECMA-262, in
/// check-jsonschema's `regress`): a control character, a bidi control or a
/// line separator in any free-text field is flagged, at that field; hostile
/// text without one is not.
#[test]
fn the_schema_flags_control_characters_where_check_does() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let with = |s: &str| {
        // Every refused character as a YAML escape: a raw NEL or U+2028 is
        // a line break to a YAML 1.1 reader (check-jsonschema's), not to
        // `check`'s (YAML 1.2).
        let q: String = serde_json::to_string(s)
            .unwrap()
            .chars()
            .map(|c| match oncall_core::escape::is_unsafe_in_text(c) {
                true => format!("\\u{:04X}", c as u32),
                false => c.to_string(),
            })
            .collect();
        format!(
            "team: {q}\ntimezone: UTC\nstart: 2026-11-23\nholidays:\n  - {{ date: 2026-12-25, name: {q} }}\nmembers:\n  - {{ github: ana, name: {q}, away: [{{ from: 2026-11-24, to: 2026-11-24, reason: {q} }}] }}\noverrides:\n  - {{ date: 2026-11-25, github: ana, reason: {q} }}\nduties:\n  - {q}\nrouting:\n  labels: [{q}]\n  command: /assign-to-oncall\n"
        )
    };
    let fields = [
        "$.team",
        "$.holidays[0]",
        "$.members[0].name",
        "$.members[0].away[0].reason",
        "$.overrides[0].reason",
        "$.duties[0]",
        // (`routing` may be null: the mapping's branch fails as a whole.)
        "$.routing",
    ];
    let bad: Vec<PathBuf> = [
        "a\nb",
        "tab\there",
        "bell\u{7}",
        "nel\u{85}",
        "rtl\u{202E}",
        "ls\u{2028}",
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| file(&format!("bad-{i}.yaml"), &with(s)))
    .collect();
    let good = file(
        "good.yaml",
        &with(r#"Ops, Platform; SRE \ Berlin "q" 'q' ::error:: ##[x] Zoë 🎉 e\u0301"#),
    );
    let mut paths: Vec<&Path> = bad.iter().map(PathBuf::as_path).collect();
    paths.push(&good);
    let found = validators::schema_findings("rotation.schema.json", &paths);
    for b in &bad {
        let errors = found[&b.display().to_string()].clone().unwrap();
        for field in fields {
            assert!(
                errors.iter().any(|e| e.starts_with(field)),
                "{}: nothing at {field}: {errors:?}",
                b.display()
            );
        }
        // Each in `check` too, at a position.
        let text = std::fs::read_to_string(b).unwrap();
        let report = oncall_core::config::load("rotation.yaml", &text).unwrap_err();
        assert_eq!(report.0.errors().count(), fields.len(), "{report}");
    }
    assert_eq!(found[&good.display().to_string()], Ok(vec![]));
    oncall_core::config::load("rotation.yaml", &std::fs::read_to_string(&good).unwrap()).unwrap();
    // A calendar too.
    let cal = file(
        "cal.yaml",
        "holidays:\n  - { date: 2026-12-25, name: \"a\\rb\" }\n",
    );
    let found = validators::schema_findings("calendar.schema.json", &[&cal]);
    assert!(
        found[&cal.display().to_string()]
            .clone()
            .unwrap()
            .iter()
            .any(|e| e.starts_with("$.holidays[0]")),
        "{found:?}"
    );
}
