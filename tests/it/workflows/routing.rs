//! The routing workflow (.github/workflows/oncall-assign.yml): which
//! events start a job, checked against what `oncall assign` routes.

use super::{eval, load, truthy};
use serde_json::Value;

/// The routing workflow starts a job only for an event that can route: a
/// label added, an issue opened with a label, a comment that starts with a
/// command (`/`); never for another comment. Every event `oncall assign`
/// would route passes the filter (but a command after leading blanks, which
/// starts no job).
#[test]
fn the_routing_workflow_starts_no_job_for_an_ordinary_comment() {
    let wf = load(".github/workflows/oncall-assign.yml");
    let cond = wf["jobs"]["assign"]["if"].as_str().unwrap();
    let runs = |event_name: &str, event: &Value, live: bool| {
        let ctx = serde_json::json!({
            "github": { "event_name": event_name, "event": event },
            "vars": if live { serde_json::json!({ "ONCALL_LIVE": "true" }) } else { serde_json::json!({}) },
        });
        truthy(&eval(cond, &ctx))
    };
    let comment = |body: &str| serde_json::json!({ "action": "created", "issue": { "number": 7, "state": "open" }, "comment": { "body": body, "user": { "login": "ana" }, "author_association": "MEMBER" } });
    let labeled = serde_json::json!({ "action": "labeled", "label": { "name": "kind/question" }, "issue": { "number": 7, "state": "open", "labels": [{ "name": "kind/question" }] } });
    let opened = |labels: Value| serde_json::json!({ "action": "opened", "issue": { "number": 7, "state": "open", "labels": labels } });
    assert!(runs("issues", &labeled, true));
    assert!(runs(
        "issues",
        &opened(serde_json::json!([{ "name": "kind/question" }])),
        true
    ));
    assert!(!runs("issues", &opened(serde_json::json!([])), true));
    assert!(runs("issue_comment", &comment("/assign-to-oncall"), true));
    assert!(runs("issue_comment", &comment("/oncall\nplease"), true));
    // The swap commands too (README, "Ask for a swap by comment").
    assert!(runs("issue_comment", &comment("/swap 2027-01-12"), true));
    assert!(runs("issue_comment", &comment("/take 2027-01-19"), true));
    for body in [
        "thanks!",
        "",
        "LGTM\n/assign-to-oncall",
        "see https://example.org/x",
    ] {
        assert!(!runs("issue_comment", &comment(body), true), "{body:?}");
    }
    // Not live: nothing runs.
    assert!(!runs("issues", &labeled, false));
    assert!(!runs("issue_comment", &comment("/assign-to-oncall"), false));
    // The filter lets through every comment that oncall routes.
    let rot = oncall_core::config::load(
        "rotation.yaml",
        "team: T\ntimezone: UTC\nstart: 2026-11-23\nmembers:\n  - github: ana\n",
    )
    .unwrap()
    .0;
    for body in [
        "/assign-to-oncall",
        "/assign-to-oncall \nplease",
        "/assign-to-oncall\r\nplease",
        "/ASSIGN-TO-ONCALL",
        "hello",
        " /assign-to-oncall",
    ] {
        let routes = !matches!(
            oncall_core::routing::route("issue_comment", &comment(body), &rot),
            oncall_core::routing::Route::Skip(_)
        );
        let starts = runs("issue_comment", &comment(body), true);
        match body.starts_with(char::is_whitespace) {
            false => assert!(!routes || starts, "{body:?} routes but starts no job"),
            true => assert!(
                routes && !starts,
                "{body:?}: the one difference, documented"
            ),
        }
    }
}
