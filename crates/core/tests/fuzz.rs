//! Hostile input, generated: arbitrary YAML for the rotation loader,
//! arbitrary Markdown for the log reader, random states for the state
//! editor. Never a panic, never a hang; every refusal names a position.
//! `ONCALL_FUZZ_CASES` sets the number of cases (CI runs the default).

use oncall_core::config;
use oncall_core::log;
use proptest::prelude::*;

// A test may read its settings; the core itself reads no environment.
#[allow(clippy::disallowed_methods)]
fn cases() -> u32 {
    std::env::var("ONCALL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// YAML-ish text: the keys and shapes of rotation.yaml, mixed with YAML's
/// own syntax (anchors, aliases, tags, flow collections, block scalars,
/// document markers), odd indentation and odd characters.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("team: ".to_owned()),
        Just("timezone: Europe/Berlin".to_owned()),
        Just("start: 2026-11-23".to_owned()),
        Just("members:".to_owned()),
        Just("  - github: ana".to_owned()),
        Just("    away: [{from: 2026-11-24, to: 2026-11-20}]".to_owned()),
        Just("overrides:".to_owned()),
        Just("  - {date: 2026-11-28, github: zed}".to_owned()),
        Just("state:".to_owned()),
        Just("  order: [ana, ana]".to_owned()),
        Just("  cycle: -1".to_owned()),
        Just("holidays: [2026-02-30]".to_owned()),
        Just("&a [*a]".to_owned()),
        Just("*a".to_owned()),
        Just("!!binary aGk=".to_owned()),
        Just("---".to_owned()),
        Just("...".to_owned()),
        Just("? complex".to_owned()),
        Just("|".to_owned()),
        Just("  - ".to_owned()),
        Just("{".to_owned()),
        Just("[".to_owned()),
        Just("\"unterminated".to_owned()),
        Just("<<: *a".to_owned()),
        "[a-z_]{1,8}: [ -~]{0,20}".prop_map(|s| s),
        "\\PC{0,12}".prop_map(|s| s),
    ];
    proptest::collection::vec((token, 0usize..6), 0..40).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(t, indent)| format!("{}{t}\n", " ".repeat(indent)))
            .collect()
    })
}

/// Markdown-ish log text: day headings in any order, fences, quotes.
fn markdownish() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        (0u32..40).prop_map(|d| format!("## 2026-11-{:02} · x", d % 31)),
        Just("## 2026-13-01".to_owned()),
        Just("## 9999-99-99 · y".to_owned()),
        Just("```".to_owned()),
        Just("~~~".to_owned()),
        Just("> **Override**".to_owned()),
        Just("### Topics".to_owned()),
        "\\PC{0,30}".prop_map(|s| s),
    ];
    proptest::collection::vec(line, 0..60).prop_map(|l| l.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn the_loader_never_panics_and_every_error_has_a_position(text in yamlish()) {
        match config::load("rotation.yaml", &text) {
            Ok(_) => {}
            Err(e) => {
                for p in e.0.errors() {
                    prop_assert!(p.pos.line > 0, "no position: {p:?}\n{text}");
                    prop_assert!(!p.hint.is_empty());
                }
            }
        }
    }

    #[test]
    fn the_log_reader_never_panics(text in markdownish()) {
        match log::parse("oncall-log.md", &text) {
            Ok(l) => {
                // What it accepts is in date order, without duplicates.
                prop_assert!(l.records.windows(2).all(|w| w[0].date < w[1].date));
            }
            Err(e) => {
                for p in e.0.errors() {
                    prop_assert!(p.pos.line > 0);
                }
            }
        }
    }

    #[test]
    fn the_state_editor_writes_what_it_reads_back(
        prefix in yamlish(),
        order in proptest::collection::vec("[a-z][a-z0-9-]{0,6}|[0-9]{1,4}|null|true|yes", 1..8),
        served in 0usize..8,
        cycle in 1u32..1000,
    ) {
        // Any text before the block, then a state block: the editor either
        // refuses with a message or writes a block that reads back equal.
        let text = format!("{prefix}state:\n  since: 2026-11-23\n  cycle: 1\n  order: [x]\n");
        let state = oncall_core::config::State {
            since: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            on_call: order.first().cloned(),
            cycle,
            served: order.iter().take(served).cloned().collect(),
            held_back: order.iter().rev().take(served % 3).cloned().collect(),
            held_for: (served % 3 > 0).then_some(cycle % 4 + 1),
            order,
        };
        // (A successful write was read back and compared inside.)
        if let (Ok(out), false) = (
            oncall_core::config::edit::write_state(&text, &state),
            prefix.lines().any(|l| l.starts_with("state")),
        ) {
            prop_assert!(out.starts_with(&prefix), "the text before the block changed");
        }
    }
}

#[test]
fn bombs_and_huge_files_are_refused_by_the_budget() {
    // How fast they are refused is measured in BENCHMARKS.md, not here.
    // Deep nesting.
    let deep = format!("team: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert!(config::load("rotation.yaml", &deep).is_err());
    // A billion laughs.
    let mut laughs = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_owned()
        } else {
            format!("b{}", i - 1)
        };
        laughs.push_str(&format!(
            "b{i}: &b{i} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    let err = config::load("rotation.yaml", &laughs).expect_err("refused");
    assert!(err.to_string().contains("exceeds oncall's limits"), "{err}");
}
