//! A YAML document as a plain tree of nodes, each with its line and column.
//!
//! rotation.yaml is first read into this tree so that validation can walk it
//! and report *every* problem (unknown keys, wrong types, bad dates) in one
//! run; serde's typed deserialization would stop at the first one (R12).

use crate::diag::Problem;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

pub use crate::diag::Pos;

/// One YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// The shape of a YAML value. Scalars keep their text; the reader decides
/// what a scalar means (a date, a number, a name).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Integers and floats, as their text.
    Number(String),
    String(String),
    Seq(Vec<Node>),
    /// Entries in file order, duplicates kept (validation reports them).
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub pos: Pos,
    pub name: String,
}

impl Value {
    /// The YAML type name, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(E::custom("binary values are not supported"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(Node {
                pos: Pos::of(&item),
                value: item.value,
            });
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Value>>()? {
            let key_pos = Pos::of(&key);
            let name = match key.value {
                Value::String(s) | Value::Number(s) => s,
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_owned(),
                // A list or a mapping as a key (`? …`): kept as a key no
                // schema knows, so the structural check reports it at its
                // position.
                Value::Seq(_) | Value::Map(_) => "(a complex key)".to_owned(),
            };
            let value = map.next_value::<Spanned<Value>>()?;
            entries.push((
                Key { pos: key_pos, name },
                Node {
                    pos: Pos::of(&value),
                    value: value.value,
                },
            ));
        }
        Ok(Value::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// The budget a rotation.yaml must fit in. Generous for any real team
/// (10,000 members fit easily), small enough that a hostile file (an alias
/// bomb, deep nesting, megabytes of text) is refused quickly.
pub fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 32;
    budget.max_aliases = 100;
    budget.max_anchors = 100;
    budget.max_nodes = 1_000_000;
    budget.max_total_scalar_bytes = 16 * 1024 * 1024;
    budget.max_documents = 1;
    budget.max_events = 2_000_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // Aliases are rare in a rotation file; expanding them is where a
    // hostile file hides its size.
    options.alias_limits.max_total_replayed_events = 10_000;
    options.alias_limits.max_replay_stack_depth = 8;
    options
}

/// Parses a YAML document into a tree of positioned nodes.
pub fn parse(text: &str) -> Result<Node, serde_saphyr::Error> {
    let root: Spanned<Value> = serde_saphyr::from_str_with_options(text, options())?;
    Ok(Node {
        pos: Pos::of(&root),
        value: root.value,
    })
}

/// A YAML syntax or type error as a problem at its position.
pub fn yaml_problem(e: &serde_saphyr::Error, text: &str) -> Problem {
    let pos = e
        .location()
        .map(|l| Pos::new(l.line() as u32, l.column() as u32))
        .filter(|p| p.line > 0)
        // Every problem names a line: without one, the file's start.
        .unwrap_or(Pos::new(1, 1));
    let error_text = e.without_snippet().to_string();
    let mut message = error_text
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .to_owned();
    // The position is printed in front; drop the library's own copy.
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    if message.contains("tab") {
        // The scanner reports a tab where it began to read ahead (often the
        // end of the line before): point at the tab itself.
        if let Some(at) = first_tab_from(text, pos) {
            return Problem::error(
                at,
                "a tab in the indentation: YAML indents with spaces only",
                "replace the tab with spaces",
            );
        }
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return Problem::error(pos, format!("`{key}` is written twice"), "keep one of them");
    }
    if message.contains("budget breached") || message.contains("alias") && message.contains("limit")
    {
        return Problem::error(
            pos,
            "the file exceeds oncall's limits (too large, too deeply nested, or YAML aliases that expand too much)",
            "write the rotation out plainly: no `*alias` expansions of large blocks, no deep nesting",
        );
    }
    Problem::error(
        pos,
        message,
        "fix the YAML syntax here (indentation, quotes, `key: value`)",
    )
}

/// The first tab in a line's indentation from `from`'s line on, or after
/// `from` on its own line.
fn first_tab_from(text: &str, from: Pos) -> Option<Pos> {
    for (i, line) in text
        .lines()
        .enumerate()
        .skip((from.line as usize).saturating_sub(1))
    {
        let same_line = i + 1 == from.line as usize;
        let mut indent = true;
        for (col, c) in line.chars().enumerate() {
            if c == '\t' && (indent || (same_line && col + 1 >= from.col as usize)) {
                return Some(Pos::new(i as u32 + 1, col as u32 + 1));
            }
            if !c.is_whitespace() {
                indent = false;
                if !same_line {
                    break;
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let root = parse("team: Platform\nmembers:\n  - github: ada\n    slack: U1\n").unwrap();
        let Value::Map(entries) = root.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.name, "team");
        assert_eq!(entries[0].0.pos, Pos::new(1, 1));
        assert_eq!(entries[0].1.pos, Pos::new(1, 7));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a seq")
        };
        let Value::Map(m) = &items[0].value else {
            panic!("not a map")
        };
        assert_eq!(m[1].0.name, "slack");
        assert_eq!(m[1].0.pos, Pos::new(4, 5));
        assert_eq!(m[0].1.value, Value::String("ada".into()));
    }

    #[test]
    fn dates_stay_text_and_numbers_are_numbers() {
        let root = parse("a: 2026-11-27\nb: 3\nc: \"3\"\nd: ~\n").unwrap();
        let Value::Map(e) = root.value else { panic!() };
        assert_eq!(e[0].1.value, Value::String("2026-11-27".into()));
        assert_eq!(e[1].1.value, Value::Number("3".into()));
        assert_eq!(e[2].1.value, Value::String("3".into()));
        assert_eq!(e[3].1.value, Value::Null);
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let p = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            y.push_str(&format!(
                "b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            ));
        }
        assert!(parse(&y).is_err());
    }
}
