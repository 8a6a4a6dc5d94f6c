//! The HTTP side of the fake: each request recorded, checked for its token,
//! failed on demand or held at the write gate, then answered (REST here).

use super::super::http::{Answer, Request};
use super::mutations::{apply_mutation, mutations_in};
use super::queries::{assign_state, handover_state, moved_claims, swap_state};
use super::state::State;
use super::{NAME, OWNER, TOKEN};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A fault to inject into the next request that matches.
#[derive(Debug, Clone)]
pub enum Fault {
    Status(u16),
    /// 403 secondary rate limit with `retry-after` seconds.
    SecondaryRateLimit(u64),
    /// 429 with `retry-after` seconds.
    TooMany(u64),
    Drop,
    Slow(Duration),
    /// 200 with a body that is not JSON.
    Malformed,
    /// 403 with `x-ratelimit-remaining: 0` and a reset in one second.
    RateLimitExhausted,
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Query,
    Mutation,
    Rest,
    Any,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// "query HandoverState", "mutation commit,createPullRequest", "GET contents"
    pub what: String,
    pub document: Option<String>,
    pub authorized: bool,
    pub api_version: Option<String>,
}

/// A barrier for write requests, taken before the fake's state is locked:
/// `expected` mutation documents wait until all have arrived (or 10 s have
/// passed), so that two runs are sure to write at the same moment.
#[derive(Default)]
pub struct Gate {
    pub(super) inner: Mutex<(usize, usize)>,
    all_in: std::sync::Condvar,
}

impl Gate {
    /// Waits at the gate if it is set; returns how many arrived.
    pub(super) fn pass(&self) {
        let mut g = self.inner.lock().unwrap();
        if g.0 == 0 {
            return;
        }
        g.1 += 1;
        if g.1 >= g.0 {
            g.0 = 0;
            self.all_in.notify_all();
            return;
        }
        let _ = self
            .all_in
            .wait_timeout_while(g, std::time::Duration::from_secs(10), |g| g.0 != 0)
            .unwrap();
    }
    /// How many write requests reached the gate.
    pub fn arrived(&self) -> usize {
        self.inner.lock().unwrap().1
    }
}

/// GitHub's answer to a permission request (`repository-collaborator-permission`).
fn permission_json(login: &str, permission: &str) -> Value {
    let api = "https://api.github.com/users";
    let role = permission;
    json!({
        "permission": permission,
        "role_name": role,
        "user": {
            "login": login, "id": 1, "node_id": format!("U_{login}"),
            "avatar_url": "https://github.com/images/error/octocat_happy.gif", "gravatar_id": "",
            "url": format!("{api}/{login}"), "html_url": format!("https://github.com/{login}"),
            "followers_url": format!("{api}/{login}/followers"),
            "following_url": format!("{api}/{login}/following{{/other_user}}"),
            "gists_url": format!("{api}/{login}/gists{{/gist_id}}"),
            "starred_url": format!("{api}/{login}/starred{{/owner}}{{/repo}}"),
            "subscriptions_url": format!("{api}/{login}/subscriptions"),
            "organizations_url": format!("{api}/{login}/orgs"),
            "repos_url": format!("{api}/{login}/repos"),
            "events_url": format!("{api}/{login}/events{{/privacy}}"),
            "received_events_url": format!("{api}/{login}/received_events"),
            "type": "User", "site_admin": false, "role_name": role
        }
    })
}

fn json_answer(status: u16, v: &Value, request_id: u64) -> Answer {
    Answer::new(status, serde_json::to_vec(v).unwrap())
        .header("content-type", "application/json; charset=utf-8")
        .header(
            "x-github-request-id",
            &format!("0000:{request_id:05}:0000000:0000000:00000000"),
        )
        .header("x-ratelimit-limit", "5000")
        .header("x-ratelimit-remaining", "4999")
        .header("x-ratelimit-reset", "1507651200")
        .header("x-ratelimit-resource", "graphql")
}

fn fault_answer(f: &Fault, id: u64) -> Answer {
    match f {
        Fault::Status(s) => json_answer(*s, &json!({ "message": "Server Error" }), id),
        Fault::SecondaryRateLimit(secs) => json_answer(403, &json!({ "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" }), id).header("retry-after", &secs.to_string()),
        Fault::TooMany(secs) => json_answer(429, &json!({ "message": "API rate limit exceeded" }), id).header("retry-after", &secs.to_string()),
        Fault::Drop => Answer::Drop,
        Fault::Slow(_) => unreachable!("a slow answer is the real one, late"),
        Fault::Malformed => Answer::new(200, "<html>unicorn</html>").header("content-type", "text/html"),
        Fault::RateLimitExhausted => {
            let reset = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 1;
            Answer::new(403, serde_json::to_vec(&json!({ "message": "API rate limit exceeded for installation ID 1.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" })).unwrap())
                .header("content-type", "application/json; charset=utf-8")
                .header("x-ratelimit-limit", "5000")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", &reset.to_string())
                .header("x-github-request-id", &format!("0000:{id:05}:0000000:0000000:00000000"))
        }
    }
}

pub(super) fn handle(state: &Arc<Mutex<State>>, req: &Request) -> Answer {
    let mut st = state.lock().unwrap();
    let n = st.requests.len() as u64 + 1;
    let authorized = req.header("authorization") == Some(&format!("Bearer {TOKEN}"))
        || req.header("authorization") == Some(&format!("token {TOKEN}"));
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let document = body["query"].as_str().map(str::to_owned);
    let (target, what) = if req.path == "/graphql" {
        let doc = document.clone().unwrap_or_default();
        if doc.trim_start().starts_with("mutation") {
            (
                Target::Mutation,
                format!("mutation {}", mutations_in(&doc).join(",")),
            )
        } else if doc.contains("query AssignState") {
            (Target::Query, "query AssignState".to_owned())
        } else if doc.contains("query MovedClaims") {
            (Target::Query, "query MovedClaims".to_owned())
        } else if doc.contains("query SwapState") {
            (Target::Query, "query SwapState".to_owned())
        } else {
            (Target::Query, "query HandoverState".to_owned())
        }
    } else {
        (
            Target::Rest,
            format!(
                "{} {}",
                req.method,
                req.path.split('?').next().unwrap_or("")
            ),
        )
    };
    st.requests.push(Recorded {
        method: req.method.clone(),
        path: req.path.clone(),
        what,
        document: document.clone(),
        authorized,
        api_version: req.header("x-github-api-version").map(str::to_owned),
    });
    // GET /repos/{owner}/{repo}/git/ref/tags/{tag}: a release tag, public
    // (`oncall init` looks up the commit it points at, without a token).
    if req.method == "GET"
        && let Some(rest) = req.path.strip_prefix("/repos/")
        && let Some((_, tag)) = rest.split_once("/git/ref/tags/")
    {
        let name = format!("refs/tags/{tag}");
        return match st.refs.get(&name) {
            Some(sha) => json_answer(
                200,
                &json!({ "ref": name, "node_id": "REF_1", "url": format!("https://api.github.com/repos/{rest}"), "object": { "sha": sha, "type": "commit", "url": format!("https://api.github.com/repos/git/commits/{sha}") } }),
                n,
            ),
            None => json_answer(
                404,
                &json!({ "message": "Not Found", "documentation_url": "https://docs.github.com/rest/git/refs#get-a-reference" }),
                n,
            ),
        };
    }
    if !authorized {
        return json_answer(
            401,
            &json!({ "message": "Bad credentials", "documentation_url": "https://docs.github.com/rest" }),
            n,
        );
    }
    // A slow answer is a write that happened but was answered late: the
    // request is processed, the answer delayed.
    let mut slow = None;
    if let Some(i) = st
        .faults
        .iter()
        .position(|(t, _, _)| *t == target || *t == Target::Any)
    {
        if st.faults[i].1 > 0 {
            st.faults[i].1 -= 1;
        } else {
            let (_, _, f) = st.faults.remove(i);
            match f {
                Fault::Slow(d) => slow = Some(d),
                other => return fault_answer(&other, n),
            }
        }
    }
    let answer = answer(&mut st, target, req, &body, document, n);
    match slow {
        Some(d) => answer.delayed(d),
        None => answer,
    }
}

fn answer(
    st: &mut State,
    target: Target,
    req: &Request,
    body: &Value,
    document: Option<String>,
    n: u64,
) -> Answer {
    match target {
        Target::Query
            if document
                .as_deref()
                .is_some_and(|d| d.contains("query AssignState")) =>
        {
            let v = assign_state(st, &body["variables"]);
            json_answer(200, &v, n)
        }
        Target::Query
            if document
                .as_deref()
                .is_some_and(|d| d.contains("query MovedClaims")) =>
        {
            json_answer(200, &moved_claims(st, &body["variables"]), n)
        }
        Target::Query
            if document
                .as_deref()
                .is_some_and(|d| d.contains("query SwapState")) =>
        {
            let v = swap_state(st, &body["variables"], document.as_deref().unwrap_or(""));
            json_answer(200, &v, n)
        }
        Target::Query => {
            let v = handover_state(st, &body["variables"]);
            json_answer(200, &v, n)
        }
        Target::Mutation => {
            if let Some(hook) = st.before_mutation.take() {
                hook(st);
            }
            let doc = document.unwrap_or_default();
            let mut data = serde_json::Map::new();
            let mut errors = Vec::new();
            for m in mutations_in(&doc) {
                // Each mutation's input is the variable of its alias's name.
                match apply_mutation(st, m, &body["variables"][m]) {
                    Ok(v) => {
                        data.insert(m.to_owned(), v);
                    }
                    Err(e) => {
                        let stale = e["type"] == "STALE_DATA"
                            || e["message"]
                                .as_str()
                                .is_some_and(|m| m.contains("but expected"));
                        if stale {
                            st.cas_refusals += 1;
                        }
                        data.insert(m.to_owned(), Value::Null);
                        errors.push(e);
                    }
                }
            }
            let mut v = json!({ "data": data });
            if !errors.is_empty() {
                v["errors"] = Value::Array(errors);
            }
            json_answer(200, &v, n)
        }
        Target::Rest | Target::Any => {
            // GET /repos/{owner}/{repo}/collaborators/{username}/permission
            if req.method == "GET"
                && let Some(login) = req
                    .path
                    .strip_prefix(&format!("/repos/{OWNER}/{NAME}/collaborators/"))
                    .and_then(|r| r.strip_suffix("/permission"))
            {
                return match st.permissions.get(login) {
                    Some(p) => json_answer(200, &permission_json(login, p), n),
                    None => json_answer(
                        404,
                        &json!({ "message": "Not Found", "documentation_url": "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user", "status": "404" }),
                        n,
                    ),
                };
            }
            // GET /repos/{owner}/{repo}/contents/{path}?ref={oid}
            let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
            let prefix = format!("/repos/{OWNER}/{NAME}/contents/");
            let oid = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("ref="))
                .unwrap_or("");
            match (req.method.as_str(), path.strip_prefix(&prefix)) {
                ("GET", Some(file)) => match st.commits.get(oid).and_then(|c| c.files.get(file)) {
                    Some(text) => Answer::new(200, text.clone())
                        .header(
                            "content-type",
                            "application/vnd.github.v3.raw; charset=utf-8",
                        )
                        .header("x-github-media-type", "github.v3; param=raw")
                        .header(
                            "x-github-request-id",
                            &format!("0000:{n:05}:0000000:0000000:00000000"),
                        ),
                    None => json_answer(
                        404,
                        &json!({ "message": "Not Found", "documentation_url": "https://docs.github.com/rest/repos/contents#get-repository-content" }),
                        n,
                    ),
                },
                _ => json_answer(
                    404,
                    &json!({ "message": "Not Found", "documentation_url": "https://docs.github.com/rest" }),
                    n,
                ),
            }
        }
    }
}
