//! The GitHub contract: every GraphQL document the program sends validates
//! against GitHub's published schema (shared/reference/github/schema.graphql,
//! copied to tests/fixtures/github/), and the fake's REST answers match
//! GitHub's OpenAPI description.

use crate::support;

use apollo_compiler::ExecutableDocument;
use oncall::github::queries::{HANDOVER_STATE, Mutation, mutation_document};
use support::graphql::{assert_valid as validate, schema};

#[test]
fn the_state_query_validates() {
    validate(HANDOVER_STATE, "HandoverState");
}

#[test]
fn every_mutation_document_validates() {
    for m in Mutation::ALL {
        validate(&mutation_document(&[m]), &format!("{m:?}"));
    }
    validate(&mutation_document(&Mutation::ALL), "all mutations");
}

#[test]
fn a_document_with_an_unknown_field_is_refused() {
    // The check can fail: a misspelt field does not validate.
    let bad = HANDOVER_STATE.replace("isTruncated", "isTruncatd");
    assert!(ExecutableDocument::parse_and_validate(schema(), bad, "bad").is_err());
}

use serde_json::Value;
use std::io::{Read, Write};
use support::fake_github::{FakeGitHub, TOKEN};

/// A small OpenAPI 3.0 schema check: `$ref`, `type` (with `nullable`),
/// `properties`, `required`, `items`, `oneOf`/`anyOf`/`allOf`, `enum`.
fn check(spec: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let mut target = spec;
        for part in r.trim_start_matches("#/").split('/') {
            target = &target[part];
        }
        return check(spec, target, v, at);
    }
    if v.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return Ok(());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let ok = alts
                .iter()
                .filter(|a| check(spec, a, v, at).is_ok())
                .count();
            return if (key == "oneOf" && ok == 1) || (key == "anyOf" && ok >= 1) {
                Ok(())
            } else {
                Err(format!("{at}: {ok} alternatives of {key} match"))
            };
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        return all.iter().try_for_each(|a| check(spec, a, v, at));
    }
    let ty = schema.get("type").and_then(Value::as_str);
    let ok = match ty {
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        _ => true,
    };
    if !ok {
        return Err(format!("{at}: expected {ty:?}, got {v}"));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(v)
    {
        return Err(format!("{at}: {v} is not one of {values:?}"));
    }
    if let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(Value::as_object),
        v.as_object(),
    ) {
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = req.as_str().unwrap_or("");
            if !obj.contains_key(name) {
                return Err(format!("{at}: `{name}` is required"));
            }
        }
        for (k, val) in obj {
            if let Some(p) = props.get(k) {
                check(spec, p, val, &format!("{at}.{k}"))?;
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(spec, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

fn get(url: &str, path: &str, auth: bool) -> (u16, String, String) {
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let auth = if auth {
        format!("Authorization: Bearer {TOKEN}\r\n")
    } else {
        String::new()
    };
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let ctype = head
        .lines()
        .find_map(|l| {
            l.to_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_owned)
        })
        .unwrap_or_default();
    (status, ctype, body.to_owned())
}

#[test]
fn the_fakes_rest_answers_match_githubs_description() {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/github/rest-subset.openapi.json").unwrap(),
    )
    .unwrap();
    let op = &spec["paths"]["/repos/{owner}/{repo}/contents/{path}"]["get"]["responses"];
    let f = FakeGitHub::start(&[("rotation.yaml", "team: x\n")]);
    let head = f.with(|s| s.head("main")).unwrap();
    // 200, raw: the text itself, with GitHub's raw media type (as recorded).
    let (status, ctype, body) = get(
        &f.url,
        &format!("/repos/acme/ops/contents/rotation.yaml?ref={head}"),
        true,
    );
    assert_eq!((status, body.as_str()), (200, "team: x\n"));
    assert!(
        ctype.starts_with("application/vnd.github.v3.raw"),
        "{ctype}"
    );
    // 404: GitHub's basic-error.
    let (status, ctype, body) = get(
        &f.url,
        &format!("/repos/acme/ops/contents/nope.yaml?ref={head}"),
        true,
    );
    assert_eq!(status, 404);
    assert!(ctype.starts_with("application/json"));
    let schema = &op["404"];
    let body: Value = serde_json::from_str(&body).unwrap();
    check(
        &spec,
        &schema["$ref"].as_str().map_or(schema.clone(), |r| {
            let mut t = &spec;
            for part in r.trim_start_matches("#/").split('/') {
                t = &t[part];
            }
            t.clone()
        })["content"]["application/json"]["schema"],
        &body,
        "404",
    )
    .unwrap();
    // The validator can fail: a number where GitHub has a string.
    assert!(
        check(
            &spec,
            &spec["components"]["schemas"]["basic-error"],
            &serde_json::json!({ "message": 3 }),
            "bad"
        )
        .is_err()
    );
    // 401 without a token, with GitHub's recorded message.
    let (status, _, body) = get(
        &f.url,
        &format!("/repos/acme/ops/contents/rotation.yaml?ref={head}"),
        false,
    );
    assert_eq!(status, 401);
    assert!(body.contains("Bad credentials"));
    check(
        &spec,
        &spec["components"]["schemas"]["basic-error"],
        &serde_json::from_str(&body).unwrap(),
        "401",
    )
    .unwrap();
    // A user's permission (`oncall assign`, a command from outside the
    // rotation): 200 as GitHub describes it, 404 for an unknown login.
    let op = &spec["paths"]["/repos/{owner}/{repo}/collaborators/{username}/permission"]["get"]["responses"];
    f.with(|s| s.permissions.insert("dave".into(), "read".into()));
    let (status, ctype, body) = get(
        &f.url,
        "/repos/acme/ops/collaborators/dave/permission",
        true,
    );
    assert_eq!(status, 200);
    assert!(ctype.starts_with("application/json"));
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["permission"], "read");
    check(
        &spec,
        &op["200"]["content"]["application/json"]["schema"],
        &body,
        "permission 200",
    )
    .unwrap();
    let (status, _, body) = get(
        &f.url,
        "/repos/acme/ops/collaborators/nobody/permission",
        true,
    );
    assert_eq!(status, 404);
    check(
        &spec,
        &spec["components"]["schemas"]["basic-error"],
        &serde_json::from_str(&body).unwrap(),
        "permission 404",
    )
    .unwrap();
}

/// `oncall assign`'s query and each form of its write document.
#[test]
fn the_assign_documents_validate() {
    validate(oncall::github::queries::ASSIGN_STATE, "AssignState");
    for (assign, comment) in [(true, true), (true, false), (false, true)] {
        validate(
            &oncall::github::queries::assign_document(assign, comment),
            &format!("Assign({assign}, {comment})"),
        );
    }
}

/// `oncall preview --slack --once-for`'s query (its writes are the claim
/// mutations above).
#[test]
fn the_moved_claims_query_validates() {
    validate(oncall::github::queries::MOVED_CLAIMS, "MovedClaims");
}

/// The swap commands' query (`/swap`, `/take`) and their write documents
/// (the roster pull request's, created or on a branch moved back; the
/// review requests with the comment; the answer).
#[test]
fn the_swap_documents_validate() {
    validate(oncall::github::queries::SWAP_STATE, "SwapState");
    for muts in [
        &[
            Mutation::CreateBranch,
            Mutation::Commit,
            Mutation::CreatePullRequest,
        ][..],
        &[
            Mutation::ResetBranch,
            Mutation::Commit,
            Mutation::CreatePullRequest,
        ],
        &[Mutation::RequestReviews, Mutation::Comment],
        &[Mutation::Comment],
    ] {
        validate(&mutation_document(muts), &format!("{muts:?}"));
    }
}
