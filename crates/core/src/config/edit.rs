//! Writes the `state` block of rotation.yaml in place with yaml-edit: only
//! the state's values change; comments, key order and formatting elsewhere
//! stay byte for byte.

use super::State;
use std::str::FromStr;
use yaml_edit::Document;

/// The comment written above a new state block.
const STATE_COMMENT: &str = "\
# Where the rotation stands. `oncall advance` updates this block after each
# handover; you may correct it by hand (then run `oncall check`).
#   since:   the last working day handed over
#   on_call: who is on call on that day (null: uncovered)
#   cycle:   the cycle's number (cycle 1 follows `members`)
#   order:   this cycle's order
#   served:  who has had (or lost) their turn in this cycle
#   held_back (only in a cycle's first days): who served the previous
#            cycle's last days, kept out of this cycle's first days
#   held_for (with held_back): for how many more turns they are kept out
";

/// A login as a YAML flow-sequence item (quoted when YAML would read it as
/// something other than text, e.g. `123` or `null`).
pub fn scalar(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let plain_ok = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !s.starts_with('-')
        && s.parse::<f64>().is_err()
        && !s.chars().all(|c| c.is_ascii_digit())
        && !matches!(
            lower.as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
        )
        && !lower.starts_with("0x")
        && !lower.starts_with("0o");
    if plain_ok {
        s.to_owned()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn seq(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| scalar(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The state's values as YAML `key: value` lines, in the block's key order.
fn state_lines(state: &State) -> Vec<(&'static str, String)> {
    let mut lines = vec![
        ("since", state.since.to_string()),
        (
            "on_call",
            state.on_call.as_deref().map_or("null".to_owned(), scalar),
        ),
        ("cycle", state.cycle.to_string()),
        ("order", seq(&state.order)),
        ("served", seq(&state.served)),
    ];
    if !state.held_back.is_empty() {
        lines.push(("held_back", seq(&state.held_back)));
        if let Some(k) = state.held_for {
            lines.push(("held_for", k.to_string()));
        }
    }
    lines
}

/// rotation.yaml's text with its state block set to `state`.
///
/// Only the top-level `state:` entry is parsed and edited (with yaml-edit),
/// then spliced back: the rest of the file stays byte for byte, and a
/// large roster costs nothing. The result is read back and compared with
/// `state` before it is returned.
pub fn write_state(text: &str, state: &State) -> Result<String, String> {
    // `held_for` says how long `held_back` lasts: nothing without it.
    let normalized;
    let state = match state.held_back.is_empty() && state.held_for.is_some() {
        true => {
            normalized = State {
                held_for: None,
                ..state.clone()
            };
            &normalized
        }
        false => state,
    };
    let out = match state_block(text) {
        Some(range) => {
            let block = &text[range.clone()];
            // The block as `oncall` writes it (no comment, no other layout):
            // written afresh, which costs a fraction of a yaml-edit pass
            // over a large roster's `order`. Anything else keeps its layout.
            let edited = match canonical_tail(block) {
                Some(tail) => format!("{}{tail}", fresh_block(state)),
                None => edit_block(block, state)?,
            };
            format!("{}{}{}", &text[..range.start], edited, &text[range.end..])
        }
        None => {
            // One blank line between the file and the new block.
            let mut out = text.trim_end_matches(['\n', ' ', '\t', '\r']).to_owned();
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(STATE_COMMENT);
            out.push_str(&fresh_block(state));
            out
        }
    };
    verify(&out, state)?;
    Ok(out)
}

/// A new state block, in its usual layout.
fn fresh_block(state: &State) -> String {
    let mut out = String::from("state:\n");
    for (k, v) in state_lines(state) {
        out.push_str(&format!("  {k}: {v}\n"));
    }
    out
}

/// The byte range of the top-level `state:` entry: from its key's line to
/// the next line that starts at column 0 with something other than a
/// comment (the next key, a `-`, a document marker), or the end.
fn state_block(text: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let top_level = !line.trim().is_empty() && !line.starts_with([' ', '\t', '#']);
        match start {
            Some(s) if top_level => return Some(s..offset),
            None if top_level && line.starts_with("state:") => start = Some(offset),
            _ => {}
        }
        offset += line.len();
    }
    start.map(|s| s..text.len())
}

/// If `block` is laid out exactly as [`fresh_block`] writes it (`state:`,
/// then `  key: value` lines of the known keys in their order, no comment),
/// the blank lines that follow it; `None` for any other layout.
fn canonical_tail(block: &str) -> Option<&str> {
    let body = block.trim_end_matches('\n');
    // `fresh_block` ends with the body's own newline; the rest is kept.
    let tail = block[body.len()..].strip_prefix('\n').unwrap_or("");
    let mut lines = body.split('\n');
    if lines.next() != Some("state:") {
        return None;
    }
    let keys = [
        "since",
        "on_call",
        "cycle",
        "order",
        "served",
        "held_back",
        "held_for",
    ];
    let mut next_key = 0;
    for line in lines {
        let (key, value) = line.strip_prefix("  ")?.split_once(": ")?;
        let at = keys[next_key..].iter().position(|k| *k == key)?;
        next_key += at + 1;
        let plain = !value.is_empty()
            && !value.contains(['#', '\r', '\t', '{', '&', '*', '!', '|', '>', '\''])
            && !value.starts_with(' ')
            && !value.ends_with(' ');
        if !plain {
            return None;
        }
    }
    Some(tail)
}

/// Sets the values of a `state:` entry, keeping its comments and layout.
fn edit_block(block_text: &str, state: &State) -> Result<String, String> {
    let lines = state_lines(state);
    let doc =
        Document::from_str(block_text).map_err(|e| format!("cannot parse the state block: {e}"))?;
    let top = doc
        .as_mapping()
        .ok_or("the state block is not `state:` with keys")?;
    let existing = top.get("state");
    let Some(block) = existing.as_ref().and_then(|v| v.as_mapping()) else {
        // `state:` with no mapping (e.g. null): write a fresh block.
        return Ok(fresh_block(state));
    };
    let fragment_text: String = lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    let fragment =
        Document::from_str(&fragment_text).map_err(|e| format!("internal: state fragment: {e}"))?;
    let values = fragment.as_mapping().ok_or("internal: state fragment")?;
    for (key, _) in &lines {
        let value = values.get(*key).ok_or("internal: state fragment")?;
        // Only rewrite a value when it differs, so an unchanged value
        // keeps its formatting.
        let current = block.get(*key).map(|v| v.to_string());
        if current.as_deref().map(str::trim) != Some(value.to_string().trim()) {
            block.set(*key, value);
        }
    }
    if state.held_back.is_empty() {
        block.remove("held_back");
    }
    if state.held_for.is_none() {
        block.remove("held_for");
    }
    Ok(doc.to_string())
}

/// Reads the written state block back and checks it says `state`.
fn verify(text: &str, state: &State) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct Only {
        state: super::schema::State,
    }
    let range = state_block(text).ok_or("the state block was not written")?;
    let only: Only = serde_saphyr::from_str(&text[range])
        .map_err(|e| format!("the written state block does not read back: {e}"))?;
    let s = only.state;
    let read = State {
        since: s.since.value.0,
        on_call: s.on_call.map(|o| o.value),
        cycle: s.cycle.value,
        order: s.order.into_iter().map(|o| o.value).collect(),
        served: s.served.into_iter().map(|o| o.value).collect(),
        held_back: s.held_back.into_iter().map(|o| o.value).collect(),
        held_for: s.held_for.map(|h| h.value),
    };
    if &read != state {
        return Err("the written state block reads back differently; please report this with your rotation.yaml".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn state(order: &[&str]) -> State {
        State {
            since: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            on_call: Some(order[0].to_owned()),
            cycle: 3,
            order: order.iter().map(|s| (*s).to_owned()).collect(),
            served: vec![order[0].to_owned()],
            held_back: Vec::new(),
            held_for: None,
        }
    }

    #[test]
    fn logins_that_yaml_would_misread_are_quoted() {
        assert_eq!(scalar("ana"), "ana");
        assert_eq!(scalar("123"), "\"123\"");
        assert_eq!(scalar("null"), "\"null\"");
        assert_eq!(scalar("True"), "\"True\"");
        assert_eq!(scalar("1e5"), "\"1e5\"");
        assert_eq!(scalar("0x1F"), "\"0x1F\"");
    }

    #[test]
    fn a_new_block_is_appended_and_the_rest_is_kept() {
        let text = "# top\nteam: T # name\nmembers:\n  - github: ana\n";
        let out = write_state(text, &state(&["ana"])).unwrap();
        assert!(out.starts_with(text));
        assert!(out.ends_with("state:\n  since: 2026-11-27\n  on_call: ana\n  cycle: 3\n  order: [ana]\n  served: [ana]\n"));
    }

    #[test]
    fn a_block_as_oncall_writes_it_is_written_afresh_and_anything_else_is_edited() {
        assert_eq!(
            canonical_tail("state:\n  since: 2026-11-26\n  cycle: 3\n  order: [a, \"1\"]\n\n"),
            Some("\n")
        );
        for other in [
            "state:\n  since: 2026-11-26 # keep me\n",
            "state:\n  # by hand\n  since: 2026-11-26\n",
            "state:\n  order:\n    - ana\n",
            "state:\n  cycle: 3\n  since: 2026-11-26\n",
            "state: {since: 2026-11-26}\n",
            "state:\n    since: 2026-11-26\n",
        ] {
            assert_eq!(canonical_tail(other), None, "{other:?}");
        }
        let text = "team: T\n\nstate:\n  since: 2026-11-26\n  on_call: ana\n  cycle: 3\n  order: [ana, \"123\"]\n  served: [ana]\n\n# end\nmembers: []\n";
        let out = write_state(text, &state(&["123", "ana"])).unwrap();
        assert_eq!(
            out,
            "team: T\n\nstate:\n  since: 2026-11-27\n  on_call: \"123\"\n  cycle: 3\n  order: [\"123\", ana]\n  served: [\"123\"]\n\n# end\nmembers: []\n"
        );
    }

    #[test]
    fn an_existing_block_changes_only_its_values() {
        let text = "team: T\nstate:\n  since: 2026-11-26 # keep me\n  on_call: ana\n  cycle: 3\n  order: [ana, \"123\"]\n  served: [ana]\n# end\n";
        let out = write_state(text, &state(&["123", "ana"])).unwrap();
        assert_eq!(
            out,
            "team: T\nstate:\n  since: 2026-11-27 # keep me\n  on_call: \"123\"\n  cycle: 3\n  order: [\"123\", ana]\n  served: [\"123\"]\n# end\n"
        );
    }
}

#[cfg(test)]
mod block_tests {
    use super::*;
    use chrono::NaiveDate;

    fn st() -> State {
        State {
            since: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            on_call: Some("ben".into()),
            cycle: 2,
            order: vec!["ana".into(), "ben".into()],
            served: vec!["ana".into(), "ben".into()],
            held_back: Vec::new(),
            held_for: None,
        }
    }

    #[test]
    fn the_state_block_in_the_middle_is_edited_in_place() {
        let text = "team: T\nstate:\n  # by hand\n  since: 2026-11-26\n  on_call: ana\n  cycle: 2\n  order:\n    - ana\n    - ben\n  served: [ana]\n# about members\nmembers:\n- github: ana\n- github: ben\n";
        let out = write_state(text, &st()).unwrap();
        assert_eq!(
            out,
            "team: T\nstate:\n  # by hand\n  since: 2026-11-27\n  on_call: ben\n  cycle: 2\n  order: [ana, ben]\n  served: [ana, ben]\n# about members\nmembers:\n- github: ana\n- github: ben\n"
        );
    }

    #[test]
    fn a_null_state_is_replaced_and_flow_style_is_kept() {
        let out = write_state("team: T\nstate: ~\nmembers: []\n", &st()).unwrap();
        assert!(
            out.starts_with("team: T\nstate:\n  since: 2026-11-27\n"),
            "{out}"
        );
        assert!(out.ends_with("members: []\n"));
        let flow = "team: T\nstate: {since: 2026-11-26, on_call: ana, cycle: 2, order: [ana, ben], served: [ana]}\n";
        let out = write_state(flow, &st()).unwrap();
        assert_eq!(
            out,
            "team: T\nstate: {since: 2026-11-27, on_call: ben, cycle: 2, order: [ana, ben], served: [ana, ben]}\n"
        );
    }
}

/// The file's text with `items` (YAML flow values, e.g. `{ date: …, … }`)
/// added at the end of the top-level list `key`, with yaml-edit, always in
/// block style: pushed onto a block list; a flow list (`overrides: []`, as
/// `init` writes it) or a missing key becomes a block list of the old
/// items and the new, rather than one ever-longer line. The rest of the
/// file (comments, other keys) stays as it is.
pub fn append_to_list(text: &str, key: &str, items: &[String]) -> Result<String, String> {
    let doc = Document::from_str(text).map_err(|e| format!("cannot parse the file: {e}"))?;
    let top = doc.as_mapping().ok_or("the file is not a mapping")?;
    let existing = top.get_sequence(key);
    let flow = existing.as_ref().filter(|e| e.is_flow_style());
    let kept: Vec<String> = flow
        .map(|e| {
            e.values()
                .map(|v| v.to_string().trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let fragment_text = format!(
        "{key}:\n{}",
        kept.iter()
            .chain(items)
            .map(|i| format!("  - {i}\n"))
            .collect::<String>()
    );
    let fragment =
        Document::from_str(&fragment_text).map_err(|e| format!("internal: fragment: {e}"))?;
    let fragment_top = fragment.as_mapping().ok_or("internal: fragment")?;
    match existing.filter(|e| !e.is_flow_style()) {
        Some(existing) => {
            let new_items = fragment_top.get_sequence(key).ok_or("internal: fragment")?;
            for item in new_items.values() {
                existing.push(item);
            }
        }
        None => {
            let value = fragment_top.get(key).ok_or("internal: fragment")?;
            top.set(key, value);
        }
    }
    Ok(doc.to_string())
}
