//! A stateful fake GitHub: commits and their files, branches (refs), pull
//! requests, labels, review requests and comments, behind the GraphQL
//! operations `oncall` sends and the REST contents endpoint. It records
//! every request and can fail any of them on demand. Answers are modelled
//! on GitHub's recorded exchanges (tests/fixtures/github/recorded/):
//! status codes, `x-github-request-id`, rate-limit headers, error bodies.
//!
//! The fake lives in four parts: `state` (the repository), `queries` and
//! `mutations` (the GraphQL answers), `server` (the HTTP side: faults, the
//! write gate, request recording, the REST endpoints).

mod mutations;
mod queries;
mod server;
mod state;

// The fake's API at `support::fake_github::X`, as before the split. Like
// its items (`#![allow(dead_code)]`), a re-export no test names is no error.
#[allow(unused_imports)]
pub use server::{Fault, Gate, Recorded, Target};
#[allow(unused_imports)]
pub use state::{Comment, CommitObj, Hook, Issue, Pr, State};

use super::http::{Request, serve};
use server::handle;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub const TOKEN: &str = "ghs_FAKEt0k3nF0rT3st5Only000000000000";
/// Whom [`TOKEN`] belongs to: the author of every comment oncall writes,
/// the one for whom GraphQL's `viewerDidAuthor` is true.
pub const VIEWER: &str = "github-actions[bot]";
pub const OWNER: &str = "acme";
pub const NAME: &str = "ops";

pub struct FakeGitHub {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    /// Holds write requests at a barrier (see [`FakeGitHub::hold_writes`]).
    pub gate: Arc<Gate>,
}

impl FakeGitHub {
    /// The environment `oncall advance --pr` and `oncall assign` need to
    /// reach this fake as the test repository: the token, the repository,
    /// the API's URL (GraphQL is found from it).
    pub fn env(&self) -> [(&'static str, String); 3] {
        [
            ("GITHUB_TOKEN", TOKEN.to_owned()),
            ("GITHUB_REPOSITORY", format!("{OWNER}/{NAME}")),
            ("GITHUB_API_URL", self.url.clone()),
        ]
    }

    /// A repository `acme/ops` whose `main` has these files.
    pub fn start(files: &[(&str, &str)]) -> FakeGitHub {
        let mut st = State {
            issues: Vec::new(),
            repo_id: "R_kgDOacme0001".into(),
            default_branch: "main".into(),
            commits: BTreeMap::new(),
            refs: BTreeMap::new(),
            prs: Vec::new(),
            labels: vec![("oncall".into(), "LA_kwDOoncall01".into())],
            users: Vec::new(),
            permissions: BTreeMap::new(),
            actions_may_open_prs: true,
            graphql_text_limit: 512 * 1024,
            requests: Vec::new(),
            faults: Vec::new(),
            before_mutation: None,
            cas_refusals: 0,
            next: 0,
        };
        let changes: Vec<(&str, Option<&str>)> =
            files.iter().map(|(p, t)| (*p, Some(*t))).collect();
        st.commit("main", &changes, "Initial commit");
        let state = Arc::new(Mutex::new(st));
        let s = state.clone();
        let gate = Arc::new(Gate::default());
        let g = gate.clone();
        let url = serve(Arc::new(move |req: &Request| {
            if req.path == "/graphql"
                && String::from_utf8_lossy(&req.body).contains("\"query\":\"mutation")
            {
                g.pass();
            }
            handle(&s, req)
        }));
        FakeGitHub { url, state, gate }
    }
    /// The next `n` write requests (mutation documents) wait for each
    /// other before any is applied.
    pub fn hold_writes(&self, n: usize) {
        *self.gate.inner.lock().unwrap() = (n, 0);
    }
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }
    pub fn requests(&self) -> Vec<Recorded> {
        self.with(|s| s.requests.clone())
    }
    /// Fails the request of `target` that comes after `skip` others of it.
    pub fn fail_nth(&self, target: Target, skip: usize, fault: Fault) {
        self.with(|s| s.faults.push((target, skip, fault)));
    }
    pub fn fail_next(&self, target: Target, fault: Fault) {
        self.with(|s| s.faults.push((target, 0, fault)));
    }
}
