//! The expressions of GitHub Actions (`${{ … }}`), evaluated as Actions
//! does for the forms the workflows and the action use.

use serde_json::Value;

/// A GitHub Actions expression (`${{ … }}`), evaluated in `ctx` for the
/// forms the workflows use: context paths (`matrix.rotation.name`,
/// `secrets.X`, `steps.id.outputs.x`), string literals, `==`, `!=`, `&&`,
/// `||`, parentheses, `true` and `false`, `fromJSON(…)`, `toJSON(…)` and `startsWith(…, …)`
/// (case-insensitive, as Actions has it). Anything else fails the test, so
/// the workflow cannot use an expression this simulation does not
/// understand.
pub(crate) fn eval(expr: &str, ctx: &Value) -> Value {
    let e = expr.trim();
    if e.starts_with('(') && closing(e, 0) == Some(e.len() - 1) {
        return eval(&e[1..e.len() - 1], ctx);
    }
    for (op, is_or) in [("||", true), ("&&", false)] {
        if let Some((a, b)) = split_top(e, op) {
            let a = eval(a, ctx);
            return match (truthy(&a), is_or) {
                (true, true) | (false, false) => a,
                _ => eval(b, ctx),
            };
        }
    }
    for (op, eq) in [("==", true), ("!=", false)] {
        if let Some((a, b)) = split_top(e, op) {
            let same = text_of(&eval(a, ctx)) == text_of(&eval(b, ctx));
            return Value::Bool(same == eq);
        }
    }
    if let Some(inner) = e
        .strip_prefix("fromJSON(")
        .and_then(|r| r.strip_suffix(')'))
    {
        return serde_json::from_str(&text_of(&eval(inner, ctx))).expect("fromJSON of JSON");
    }
    if let Some(inner) = e.strip_prefix("toJSON(").and_then(|r| r.strip_suffix(')')) {
        return Value::String(serde_json::to_string_pretty(&eval(inner, ctx)).unwrap());
    }
    if let Some(args) = e
        .strip_prefix("startsWith(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let (a, b) = split_top(args, ",").expect("startsWith(a, b)");
        let (a, b) = (text_of(&eval(a, ctx)), text_of(&eval(b, ctx)));
        return Value::Bool(a.to_lowercase().starts_with(&b.to_lowercase()));
    }
    if let Some(lit) = e.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return Value::String(lit.to_owned());
    }
    if let Ok(b) = e.parse::<bool>() {
        return Value::Bool(b);
    }
    assert!(
        e.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
        "an expression the simulation does not know: {e}"
    );
    let mut v = ctx;
    for part in e.split('.') {
        v = &v[part];
    }
    v.clone()
}

/// The index of the `)` that closes the `(` at `open`.
fn closing(e: &str, open: usize) -> Option<usize> {
    let (mut depth, mut quoted) = (0, false);
    for (i, c) in e.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `e` split at the first `op` outside quotes and parentheses.
fn split_top<'a>(e: &'a str, op: &str) -> Option<(&'a str, &'a str)> {
    let (mut depth, mut quoted) = (0, false);
    for (i, c) in e.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            _ if !quoted && depth == 0 && e[i..].starts_with(op) => {
                return Some((&e[..i], &e[i + op.len()..]));
            }
            _ => {}
        }
    }
    None
}

pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
        _ => true,
    }
}

pub(crate) fn text_of(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A workflow string with its `${{ … }}` replaced (a whole-expression
/// string keeps the value's type, as Actions does for `matrix:`).
pub(crate) fn expand(text: &str, ctx: &Value) -> Value {
    let t = text.trim();
    if let Some(inner) = t.strip_prefix("${{").and_then(|r| r.strip_suffix("}}"))
        && !inner.contains("${{")
    {
        return eval(inner, ctx);
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("}}").expect("closed expression") + at;
        out.push_str(&text_of(&eval(&rest[at + 3..end], ctx)));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    Value::String(out)
}

/// `name=value` lines of a `$GITHUB_OUTPUT` file.
pub(crate) fn outputs_of(text: &str) -> serde_json::Map<String, Value> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect()
}
