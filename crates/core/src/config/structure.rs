//! The structural check: walks the YAML node tree against the JSON Schema
//! generated from `schema.rs` and reports every unknown key, missing key,
//! wrong type and malformed date, each at its own line and column.
//!
//! It understands the subset of JSON Schema that schemars emits for our
//! structs: `$ref`, `anyOf`, `type`, `enum`, `format: date`, `properties`,
//! `required`, `additionalProperties: false`, `items`, `minItems`,
//! `minLength`, `minimum`, `maximum`, and two `pattern`s: the weekday names and free
//! text (`text::pattern`, no control character). The other patterns
//! (logins, Slack IDs) are the rules' own checks, with better messages.

use super::date::parse_date;
use super::node::{Node, Pos, Value};
use crate::diag::Problem;
use serde_json::Value as Json;

/// Checks `node` against the schema and returns all problems found.
pub fn check(root_schema: &Json, node: &Node) -> Vec<Problem> {
    let mut out = Vec::new();
    Checker { root: root_schema }.check(root_schema, node, "", &mut out);
    out
}

struct Checker<'a> {
    root: &'a Json,
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.parse::<i64>().is_ok() || n.parse::<u64>().is_ok() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

fn type_words(t: &str) -> &'static str {
    match t {
        "null" => "nothing (null)",
        "boolean" => "true or false",
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "text",
        "array" => "a list",
        "object" => "a mapping (key: value lines)",
        _ => "a value",
    }
}

/// The key in `candidates` closest to `word`, if it is a plausible typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    candidates
        .into_iter()
        // The lengths' difference is a lower bound of the distance: a
        // candidate too far by length alone is not compared, so that a
        // long value costs no more than a short one.
        .filter(|c| length.abs_diff(c.chars().count()) <= 2.max(c.len() / 3))
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn path_name(path: &str) -> String {
    if path.is_empty() {
        "the file".to_owned()
    } else {
        format!("`{path}`")
    }
}

impl Checker<'_> {
    fn resolve<'s>(&'s self, schema: &'s Json) -> &'s Json {
        match schema.get("$ref").and_then(Json::as_str) {
            Some(r) => {
                let name = r.trim_start_matches("#/$defs/");
                &self.root["$defs"][name]
            }
            None => schema,
        }
    }

    fn check(&self, schema: &Json, node: &Node, path: &str, out: &mut Vec<Problem>) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").and_then(Json::as_array) {
            return self.check_any_of(branches, node, path, out);
        }
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Json::String(t) => vec![t.as_str()],
                Json::Array(ts) => ts.iter().filter_map(Json::as_str).collect(),
                _ => vec![],
            };
            let actual = json_type(&node.value);
            let ok =
                allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
            if !ok {
                let want: Vec<&str> = allowed.iter().map(|t| type_words(t)).collect();
                let mut hint = format!("write {}", want.join(" or "));
                if allowed.contains(&"string")
                    && matches!(node.value, Value::Number(_) | Value::Bool(_))
                {
                    hint = "put the value in quotes to make it text".to_owned();
                }
                out.push(Problem::error(
                    node.pos,
                    format!(
                        "{} must be {}, not {}",
                        path_name(path),
                        want.join(" or "),
                        node.value.kind()
                    ),
                    hint,
                ));
                return;
            }
        }
        match &node.value {
            Value::String(s) => self.check_string(schema, s, node.pos, path, out),
            Value::Number(n) => {
                let min = schema.get("minimum").and_then(Json::as_f64);
                let max = schema.get("maximum").and_then(Json::as_f64);
                let v = n.parse::<f64>().ok();
                if let (Some(min), Some(max), Some(v)) = (min, max, v)
                    && !(min..=max).contains(&v)
                {
                    out.push(Problem::error(
                        node.pos,
                        format!(
                            "{} must be a whole number from {min} to {max}",
                            path_name(path)
                        ),
                        format!("write a whole number from {min} to {max}"),
                    ));
                } else if let (Some(min), Some(v)) = (min, v)
                    && v < min
                {
                    out.push(Problem::error(
                        node.pos,
                        format!("{} must be at least {min}", path_name(path)),
                        format!("write a number of {min} or more"),
                    ));
                }
            }
            Value::Seq(items) => {
                if let Some(min) = schema.get("minItems").and_then(Json::as_u64)
                    && (items.len() as u64) < min
                {
                    out.push(Problem::error(
                        node.pos,
                        format!("{} is empty", path_name(path)),
                        "add at least one entry",
                    ));
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{path}[{i}]"), out);
                    }
                }
            }
            Value::Map(entries) => self.check_map(schema, entries, node.pos, path, out),
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn check_string(&self, schema: &Json, s: &str, pos: Pos, path: &str, out: &mut Vec<Problem>) {
        if schema.get("format").and_then(Json::as_str) == Some("date") && parse_date(s).is_none() {
            out.push(Problem::error(
                pos,
                format!("{} is not a valid date: {:?}", path_name(path), s),
                "write a calendar date as YYYY-MM-DD with a year from 1900, e.g. 2026-11-27",
            ));
        }
        if schema.get("pattern").and_then(Json::as_str) == Some(super::schema::WEEKDAY_PATTERN)
            && super::schema::Weekday::parse(s).is_none()
        {
            let names = super::schema::WEEKDAY_NAMES;
            let candidates = names.iter().map(|n| &n[..3]).chain(names.iter().copied());
            let write = "write mon, tue, wed, thu, fri, sat or sun, or the full name, in any case";
            let hint = match suggest(s, candidates) {
                Some(n) => format!("did you mean `{}`? {write}", &n[..3]),
                None => write.to_owned(),
            };
            out.push(Problem::error(
                pos,
                format!("{} is not a weekday: {:?}", path_name(path), s),
                hint,
            ));
        }
        if schema.get("pattern").and_then(Json::as_str) == Some(super::text::pattern())
            && let Some(c) = super::text::first_refused(s)
        {
            out.push(super::text::problem(pos, &path_name(path), c));
        }
        if let Some(values) = schema.get("enum").and_then(Json::as_array) {
            let names: Vec<&str> = values.iter().filter_map(Json::as_str).collect();
            if !names.contains(&s) {
                let hint = match suggest(s, names.iter().copied()) {
                    Some(n) => format!("did you mean `{n}`? write one of: {}", names.join(", ")),
                    None => format!("write one of: {}", names.join(", ")),
                };
                out.push(Problem::error(
                    pos,
                    format!("{} has an unknown value {:?}", path_name(path), s),
                    hint,
                ));
            }
        }
        if let Some(min) = schema.get("minLength").and_then(Json::as_u64)
            && (s.trim().chars().count() as u64) < min
        {
            out.push(Problem::error(
                pos,
                format!("{} is empty", path_name(path)),
                "write a value",
            ));
        }
    }

    fn check_map(
        &self,
        schema: &Json,
        entries: &[(super::node::Key, Node)],
        pos: Pos,
        path: &str,
        out: &mut Vec<Problem>,
    ) {
        let empty = serde_json::Map::new();
        let props = schema
            .get("properties")
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        let closed = schema.get("additionalProperties") == Some(&Json::Bool(false));
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in entries {
            let child = if path.is_empty() {
                key.name.clone()
            } else {
                format!("{path}.{}", key.name)
            };
            if seen.contains(&key.name.as_str()) {
                out.push(Problem::error(
                    key.pos,
                    format!("`{child}` is written twice"),
                    "keep one of them",
                ));
                continue;
            }
            seen.push(&key.name);
            match props.get(&key.name) {
                Some(prop) => self.check(prop, value, &child, out),
                None if closed => {
                    let known: Vec<&str> = props.keys().map(String::as_str).collect();
                    let hint = match suggest(&key.name, known.iter().copied()) {
                        Some(k) => format!("did you mean `{k}`?"),
                        None => format!("known keys here: {}", known.join(", ")),
                    };
                    out.push(Problem::error(
                        key.pos,
                        format!("unknown key `{child}`"),
                        hint,
                    ));
                }
                None => {}
            }
        }
        if let Some(required) = schema.get("required").and_then(Json::as_array) {
            for r in required.iter().filter_map(Json::as_str) {
                if !seen.contains(&r) {
                    let child = if path.is_empty() {
                        r.to_owned()
                    } else {
                        format!("{path}.{r}")
                    };
                    let what = props
                        .get(r)
                        .and_then(|p| p.get("description"))
                        .and_then(Json::as_str)
                        .unwrap_or("");
                    out.push(Problem::error(
                        pos,
                        format!("`{child}` is missing"),
                        format!("add `{r}:` here. {what}").trim().to_owned(),
                    ));
                }
            }
        }
    }

    fn check_any_of(&self, branches: &[Json], node: &Node, path: &str, out: &mut Vec<Problem>) {
        let mut results: Vec<(bool, Vec<Problem>)> = Vec::new();
        for b in branches {
            let b = self.resolve(b);
            let mut problems = Vec::new();
            self.check(b, node, path, &mut problems);
            if problems.is_empty() {
                return;
            }
            let same_type = b
                .get("type")
                .map(|t| match t {
                    Json::String(t) => t == json_type(&node.value),
                    _ => false,
                })
                .unwrap_or(false);
            results.push((same_type, problems));
        }
        // Report the branch whose type matches the value (e.g. a holiday
        // written as a mapping gets the mapping's problems).
        match results.into_iter().find(|(same, _)| *same) {
            Some((_, problems)) => out.extend(problems),
            None => out.push(Problem::error(
                node.pos,
                format!(
                    "{} has the wrong shape ({})",
                    path_name(path),
                    node.value.kind()
                ),
                "see rotation.schema.json or the README for the expected form",
            )),
        }
    }
}
