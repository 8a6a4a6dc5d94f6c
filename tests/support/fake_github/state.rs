//! The fake repository's state: commits and their files, branches, pull
//! requests, issues and comments, with the helpers that commit and merge.

use super::VIEWER;
use super::server::{Fault, Recorded, Target};
use serde_json::{Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct CommitObj {
    pub parents: Vec<String>,
    pub files: BTreeMap<String, String>,
    pub message: String,
}

/// A comment on an issue or a pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub author: String,
    pub body: String,
}

impl Comment {
    /// A comment someone wrote (oncall's own are [`VIEWER`]'s).
    pub fn by(author: &str, body: &str) -> Comment {
        Comment {
            author: author.to_owned(),
            body: body.to_owned(),
        }
    }
    /// As GraphQL answers it, to the holder of [`TOKEN`].
    pub(super) fn json(&self) -> Value {
        json!({ "body": self.body, "viewerDidAuthor": self.author == VIEWER })
    }
}

#[derive(Debug, Clone)]
pub struct Pr {
    pub id: String,
    pub number: u64,
    pub head: String,
    pub base: String,
    pub title: String,
    pub body: String,
    pub open: bool,
    pub labels: Vec<String>,
    pub reviewers: Vec<String>,
    pub comments: Vec<Comment>,
}

/// A change made to the fake just before a mutation document runs.
pub type Hook = Box<dyn FnOnce(&mut State) + Send>;

/// An issue (or a pull request, for `oncall assign`).
#[derive(Debug, Clone)]
pub struct Issue {
    pub number: u64,
    pub id: String,
    pub open: bool,
    pub assignees: Vec<String>,
    pub comments: Vec<Comment>,
}

pub struct State {
    /// Issues, for `oncall assign`.
    pub issues: Vec<Issue>,
    pub repo_id: String,
    pub default_branch: String,
    pub commits: BTreeMap<String, CommitObj>,
    pub refs: BTreeMap<String, String>,
    pub prs: Vec<Pr>,
    pub labels: Vec<(String, String)>,
    /// Collaborators: (login, node id).
    pub users: Vec<(String, String)>,
    /// Users' permissions on the repository (`admin`, `write`, `read`,
    /// `none`), for `GET …/collaborators/{username}/permission`; a login
    /// not here is unknown (404).
    pub permissions: BTreeMap<String, String>,
    /// The "Allow GitHub Actions to create and approve pull requests" setting.
    pub actions_may_open_prs: bool,
    /// Blobs larger than this are truncated in GraphQL (`isTruncated`).
    pub graphql_text_limit: usize,
    pub requests: Vec<Recorded>,
    /// (which requests, how many of them to let through first, the fault)
    pub faults: Vec<(Target, usize, Fault)>,
    /// Called before each mutation document is applied (e.g. to move a
    /// branch mid-run); removed after it ran once.
    pub before_mutation: Option<Hook>,
    /// Writes refused by a compare-and-swap (a stale `expectedHeadOid` or
    /// `beforeOid`).
    pub cas_refusals: usize,
    pub(super) next: u64,
}

impl State {
    pub(super) fn new_id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}_{:08}", self.next)
    }
    fn new_oid(&mut self) -> String {
        self.next += 1;
        format!("{:040x}", 0x00c0_ffee_0000_u64 + self.next)
    }
    pub fn head(&self, branch: &str) -> Option<String> {
        self.refs.get(branch).cloned()
    }
    pub fn files(&self, branch: &str) -> BTreeMap<String, String> {
        self.head(branch)
            .and_then(|h| self.commits.get(&h))
            .map(|c| c.files.clone())
            .unwrap_or_default()
    }
    pub fn file(&self, branch: &str, path: &str) -> Option<String> {
        self.files(branch).get(path).cloned()
    }
    /// Commits `changes` (path → Some(text) or None to delete) on `branch`.
    pub fn commit(
        &mut self,
        branch: &str,
        changes: &[(&str, Option<&str>)],
        message: &str,
    ) -> String {
        let parent = self.head(branch);
        let mut files = parent
            .as_ref()
            .map(|p| self.commits[p].files.clone())
            .unwrap_or_default();
        for (path, text) in changes {
            match text {
                Some(t) => files.insert((*path).to_owned(), (*t).to_owned()),
                None => files.remove(*path),
            };
        }
        let oid = self.new_oid();
        self.commits.insert(
            oid.clone(),
            CommitObj {
                parents: parent.into_iter().collect(),
                files,
                message: message.to_owned(),
            },
        );
        self.refs.insert(branch.to_owned(), oid.clone());
        oid
    }
    /// Merges an open PR the way "Squash and merge" does.
    pub fn merge(&mut self, number: u64) {
        let pr = self
            .prs
            .iter()
            .find(|p| p.number == number && p.open)
            .expect("open PR")
            .clone();
        let files = self.files(&pr.head);
        let changes: Vec<(String, String)> = files.into_iter().collect();
        let refs: Vec<(&str, Option<&str>)> = changes
            .iter()
            .map(|(p, t)| (p.as_str(), Some(t.as_str())))
            .collect();
        self.commit(&pr.base, &refs, &format!("{} (#{number})", pr.title));
        for p in self.prs.iter_mut().filter(|p| p.number == number) {
            p.open = false;
        }
    }
    pub fn open_prs(&self) -> Vec<Pr> {
        self.prs.iter().filter(|p| p.open).cloned().collect()
    }
    /// The commits of `branch`, newest first (first parents).
    pub(super) fn history(&self, branch_head: &str, n: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = Some(branch_head.to_owned());
        while let Some(c) = cur {
            if out.len() >= n {
                break;
            }
            cur = self
                .commits
                .get(&c)
                .and_then(|o| o.parents.first().cloned());
            out.push(c);
        }
        out
    }
}
