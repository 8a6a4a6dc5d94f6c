//! What GitHub holds, read from the `HandoverState` query's answer.

use serde::Deserialize;
use serde_json::Value;

/// A file at a commit: its blob id and text (None when the text was too
/// large for GraphQL and must be fetched separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub oid: String,
    pub text: Option<String>,
}

/// A commit on the handover branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub oid: String,
    pub message: String,
    pub parents: Vec<String>,
    pub rotation_oid: Option<String>,
    pub log_oid: Option<String>,
    /// The top-level tree entries: (name, oid).
    pub tree: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub name: String,
    pub head: String,
    pub rotation: Option<File>,
    pub log: Option<File>,
    /// The files of the shared calendars' directory, read in the same
    /// query (the base branch only): path → text; a file too large for
    /// GraphQL is left out (fetched on its own if a rotation includes it).
    pub calendar_dir: std::collections::BTreeMap<String, String>,
    /// The years of the log's yearly archives (`log/YYYY.md` beside it;
    /// the base branch only, names without their text).
    pub archives: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub id: String,
    pub number: u64,
    pub url: String,
    pub title: String,
    pub body: String,
    pub base: String,
    pub labels: Vec<String>,
    pub reviewers: Vec<String>,
    /// The comments oncall's own identity wrote (GitHub's
    /// `viewerDidAuthor`): only those can carry its markers
    /// ([`super::FOREIGN_MARKER`]).
    pub comments: Vec<String>,
}

/// The repository as one query saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub repo_id: String,
    /// None when the base branch does not exist.
    pub base: Option<Branch>,
    pub branch: Option<Branch>,
    /// The branch's recent commits, newest first.
    pub history: Vec<Commit>,
    pub pr: Option<PullRequest>,
    pub label_id: Option<String>,
    /// Where the Slack claim ref points (the handover commit whose day was
    /// claimed for Slack), if it exists.
    pub slack_claim: Option<String>,
    /// Users who can be asked for a review: (login, node id).
    pub users: Vec<(String, String)>,
    /// The shared calendars the base branch's rotation file includes:
    /// path → text (read after the query; a missing one is absent).
    pub base_calendars: std::collections::BTreeMap<String, String>,
}

impl Remote {
    /// The base branch's calendars, for [`crate::config::load_from`].
    pub fn calendars(&self) -> crate::config::calendars::Fetched {
        crate::config::calendars::Fetched {
            files: self.base_calendars.clone(),
            on: self
                .base
                .as_ref()
                .map(|b| b.name.clone())
                .unwrap_or_default(),
        }
    }
}

/// The query's answer as GitHub sends it (serde reads it; a field the
/// answer must have is not optional, so that a missing head oid or id
/// refuses the answer instead of reading as an empty one).
mod wire {
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Data {
        pub repository: Option<Repository>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Repository {
        pub id: String,
        #[serde(default)]
        pub default_branch_ref: Option<Ref>,
        #[serde(default)]
        pub base_ref: Option<Ref>,
        #[serde(default)]
        pub branch_ref: Option<Ref>,
        #[serde(default)]
        pub label: Option<Id>,
        #[serde(default)]
        pub slack_claim: Option<ClaimRef>,
        #[serde(default)]
        pub assignable_users: Option<Nodes<User>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Ref {
        pub name: String,
        pub target: Target,
        #[serde(default)]
        pub associated_pull_requests: Option<Nodes<PullRequest>>,
    }

    #[derive(Deserialize)]
    pub struct Target {
        pub oid: String,
        #[serde(default)]
        pub rotation: Option<File>,
        #[serde(default)]
        pub log: Option<File>,
        #[serde(default)]
        pub history: Option<Nodes<Commit>>,
        #[serde(default)]
        pub calendars: Option<Dir>,
        #[serde(default)]
        pub archives: Option<Dir>,
    }

    /// A directory's tree entry (or a file's, whose object has no entries).
    #[derive(Deserialize)]
    pub struct Dir {
        #[serde(default)]
        pub object: Option<DirObject>,
    }

    #[derive(Deserialize)]
    pub struct DirObject {
        #[serde(default)]
        pub entries: Option<Vec<DirEntry>>,
    }

    #[derive(Deserialize)]
    pub struct DirEntry {
        #[serde(default)]
        pub path: Option<String>,
        #[serde(default)]
        pub object: Option<Blob>,
    }

    #[derive(Deserialize)]
    pub struct File {
        pub oid: String,
        #[serde(default)]
        pub object: Option<Blob>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Blob {
        #[serde(default)]
        pub text: Option<String>,
        #[serde(default)]
        pub is_truncated: Option<bool>,
    }

    #[derive(Deserialize)]
    pub struct Commit {
        pub oid: String,
        #[serde(default)]
        pub message: Option<String>,
        pub parents: Nodes<Oid>,
        #[serde(default)]
        pub rotation: Option<Oid>,
        #[serde(default)]
        pub log: Option<Oid>,
        #[serde(default)]
        pub tree: Option<Tree>,
    }

    #[derive(Deserialize)]
    pub struct Tree {
        pub entries: Vec<Entry>,
    }

    #[derive(Deserialize)]
    pub struct Entry {
        pub name: String,
        pub oid: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PullRequest {
        pub id: String,
        pub number: u64,
        pub url: String,
        #[serde(default)]
        pub title: Option<String>,
        #[serde(default)]
        pub body: Option<String>,
        #[serde(default)]
        pub base_ref_name: Option<String>,
        #[serde(default)]
        pub labels: Option<Nodes<Name>>,
        #[serde(default)]
        pub review_requests: Option<Nodes<ReviewRequest>>,
        #[serde(default)]
        pub comments: Option<Nodes<Body>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ReviewRequest {
        #[serde(default)]
        pub requested_reviewer: Option<Login>,
    }

    #[derive(Deserialize)]
    pub struct Login {
        #[serde(default)]
        pub login: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Nodes<T> {
        pub nodes: Vec<T>,
    }

    #[derive(Deserialize)]
    pub struct Oid {
        pub oid: String,
    }

    #[derive(Deserialize)]
    pub struct Id {
        pub id: String,
    }

    #[derive(Deserialize)]
    pub struct ClaimRef {
        pub target: Oid,
    }

    #[derive(Deserialize)]
    pub struct User {
        pub id: String,
        pub login: String,
    }

    #[derive(Deserialize)]
    pub struct Name {
        #[serde(default)]
        pub name: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Body {
        #[serde(default)]
        pub body: Option<String>,
        /// Written by the identity that asks (oncall's token).
        #[serde(default)]
        pub viewer_did_author: Option<bool>,
    }
}

fn file(f: wire::File) -> File {
    let (text, truncated) = match f.object {
        Some(o) => (o.text, o.is_truncated.unwrap_or(false)),
        None => (None, false),
    };
    File {
        oid: f.oid,
        text: text.filter(|_| !truncated),
    }
}

/// The files of a directory as `file(path:)` of a tree answers it (the
/// shared calendars'): path → text, whole files only.
pub fn calendar_dir(answer: &Value) -> std::collections::BTreeMap<String, String> {
    files_of(wire::Dir::deserialize(answer).ok())
}

fn files_of(dir: Option<wire::Dir>) -> std::collections::BTreeMap<String, String> {
    dir.and_then(|d| d.object)
        .and_then(|o| o.entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            let blob = e.object?;
            let text = blob.text.filter(|_| blob.is_truncated != Some(true))?;
            Some((e.path?, text))
        })
        .collect()
}

fn branch(r: &mut wire::Ref) -> Branch {
    let calendar_dir = files_of(r.target.calendars.take());
    let archives = r
        .target
        .archives
        .take()
        .and_then(|d| d.object)
        .and_then(|o| o.entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            let path = e.path?;
            crate::archive::year_of(path.rsplit('/').next().unwrap_or(&path))
        })
        .collect();
    Branch {
        archives,
        name: r.name.clone(),
        head: r.target.oid.clone(),
        rotation: r.target.rotation.take().map(file),
        log: r.target.log.take().map(file),
        calendar_dir,
    }
}

/// Reads the query's `data`; `None` when the repository is missing or the
/// answer lacks a field it must have.
pub fn parse(data: &Value) -> Option<Remote> {
    let wire::Data { repository } = wire::Data::deserialize(data).ok()?;
    let repo = repository?;
    let base = repo
        .default_branch_ref
        .or(repo.base_ref)
        .map(|mut b| branch(&mut b));
    let mut branch_ref = repo.branch_ref;
    let history = branch_ref
        .as_mut()
        .and_then(|b| b.target.history.take())
        .map(|h| h.nodes)
        .unwrap_or_default()
        .into_iter()
        .map(|c| Commit {
            oid: c.oid,
            message: c.message.unwrap_or_default(),
            parents: c.parents.nodes.into_iter().map(|p| p.oid).collect(),
            rotation_oid: c.rotation.map(|f| f.oid),
            log_oid: c.log.map(|f| f.oid),
            tree: c
                .tree
                .map(|t| t.entries)
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.name, e.oid))
                .collect(),
        })
        .collect();
    let pr = branch_ref
        .as_mut()
        .and_then(|b| b.associated_pull_requests.take())
        .and_then(|p| p.nodes.into_iter().next())
        .map(|p| PullRequest {
            id: p.id,
            number: p.number,
            url: p.url,
            title: p.title.unwrap_or_default(),
            body: p.body.unwrap_or_default(),
            base: p.base_ref_name.unwrap_or_default(),
            labels: p
                .labels
                .map(|l| l.nodes)
                .unwrap_or_default()
                .into_iter()
                .map(|l| l.name.unwrap_or_default())
                .collect(),
            reviewers: p
                .review_requests
                .map(|r| r.nodes)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| r.requested_reviewer.and_then(|u| u.login))
                .collect(),
            // Only oncall's own comments: a marker in anyone else's does
            // not count (see `PullRequest::comments`).
            comments: p
                .comments
                .map(|c| c.nodes)
                .unwrap_or_default()
                .into_iter()
                .filter(|c| c.viewer_did_author == Some(true))
                .map(|c| c.body.unwrap_or_default())
                .collect(),
        });
    Some(Remote {
        base_calendars: Default::default(),
        repo_id: repo.id,
        base,
        branch: branch_ref.map(|mut b| branch(&mut b)),
        history,
        pr,
        slack_claim: repo.slack_claim.map(|c| c.target.oid),
        label_id: repo.label.map(|l| l.id),
        users: repo
            .assignable_users
            .map(|u| u.nodes)
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.login, u.id))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(head: Value) -> Value {
        json!({ "repository": {
            "id": "R_1",
            "defaultBranchRef": { "name": "main", "target": { "oid": head } },
            "branchRef": null,
            "assignableUsers": { "nodes": [] }
        }})
    }

    #[test]
    fn a_missing_field_refuses_the_answer_instead_of_reading_it_empty() {
        let ok = parse(&answer(json!("abc123"))).expect("a whole answer");
        assert_eq!(ok.base.unwrap().head, "abc123");
        // Previously a missing head oid read as "", and the next write
        // used an empty oid.
        assert_eq!(parse(&answer(Value::Null)), None);
        let mut no_id = answer(json!("abc123"));
        no_id["repository"].as_object_mut().unwrap().remove("id");
        assert_eq!(parse(&no_id), None);
    }

    /// The calendars' directory as GitHub answers `file(path:)` of a tree:
    /// a blob's text is kept; a cut text and a subdirectory are left out
    /// (a rotation that includes one reads it on its own).
    #[test]
    fn the_calendar_directory_keeps_whole_files_only() {
        let mut a = answer(json!("abc123"));
        a["repository"]["defaultBranchRef"]["target"]["calendars"] = json!({ "object": { "entries": [
            { "path": "calendars/berlin.yaml", "object": { "text": "holidays: []\n", "isTruncated": false } },
            { "path": "calendars/huge.yaml", "object": { "text": "holi", "isTruncated": true } },
            { "path": "calendars/old", "object": {} }
        ] } });
        let base = parse(&a).unwrap().base.unwrap();
        assert_eq!(
            base.calendar_dir.into_iter().collect::<Vec<_>>(),
            [(
                "calendars/berlin.yaml".to_owned(),
                "holidays: []\n".to_owned()
            )]
        );
        // No such directory: nothing read, nothing refused.
        let mut a = answer(json!("abc123"));
        a["repository"]["defaultBranchRef"]["target"]["calendars"] = Value::Null;
        assert!(parse(&a).unwrap().base.unwrap().calendar_dir.is_empty());
    }
}
