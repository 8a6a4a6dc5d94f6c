//! The README's promises, checked against the rules document: what a
//! change moves (issue 22: it once promised "swaps and time off that move
//! nobody else", which R5 and R7 do not say).

use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

/// The paragraph that starts with `**What you get.**`, joined into one line.
fn what_you_get(readme: &str) -> String {
    let start = readme
        .find("**What you get.**")
        .expect("a 'What you get' paragraph");
    let rest = &readme[start..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_readme_says_exactly_what_a_swap_time_off_and_a_roster_change_move() {
    let text = what_you_get(&readme());
    assert!(
        !text.contains("move nobody else"),
        "time off moves other people's days (R5): {text}"
    );
    // Each change names what it moves and the rule that says so.
    for (change, rule) in [
        ("a swap that moves only the two days it exchanges", "(R6)"),
        ("time off that moves the away member's turn", "(R5)"),
        (
            "joining or leaving moves nobody's day in the current cycle",
            "(R7)",
        ),
    ] {
        let at = text
            .find(change)
            .unwrap_or_else(|| panic!("{change:?} in {text}"));
        let rule_at = text[at..].find(rule).map(|r| r + at);
        assert!(
            rule_at.is_some(),
            "{change:?} is followed by {rule}: {text}"
        );
    }
    assert!(text.contains("the cycles after it are drawn from the new roster"));
}
