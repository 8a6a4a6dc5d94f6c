//! The claims of `oncall preview --slack --once-for COMMIT`: the message
//! that a landed change moved people's days is posted once per commit and
//! rotation, however often the workflow runs. Before posting, the run
//! creates the ref `refs/oncall/moved/COMMIT/ROTATION` at the commit
//! (GraphQL `createRef`, the handover's Slack claim mutation): creating a
//! ref that exists is refused, so of two runs only one posts, and a rerun
//! finds the claim and posts nothing. A post that failed gives its claim
//! back (`deleteRef`), so that a rerun posts.

use super::client::{Client, GitHubError};
use super::queries::{MOVED_CLAIMS, Mutation, mutation_document};
use anyhow::Result;
use serde_json::json;
use std::collections::BTreeSet;

/// Where the claims of a commit live.
pub fn prefix(commit: &str) -> String {
    format!("refs/oncall/moved/{commit}/")
}

/// The claim ref of a commit's message to a rotation.
pub fn claim_ref(commit: &str, rotation: &str) -> String {
    format!("{}{rotation}", prefix(commit))
}

/// A commit's object name as Git writes it: 40 (SHA-1) or 64 (SHA-256)
/// lowercase hexadecimal digits.
pub fn is_commit(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
}

/// What the run read: the repository's ID and the rotations claimed for
/// the commit already.
#[derive(Debug, Clone)]
pub struct Claims {
    pub repo_id: String,
    pub commit: String,
    pub taken: BTreeSet<String>,
}

/// Reads the claims of `commit` (one query).
pub async fn read(client: &Client, commit: &str) -> Result<Claims> {
    let s = client.settings();
    let data = client
        .query(
            MOVED_CLAIMS,
            json!({ "owner": s.owner, "name": s.name, "prefix": prefix(commit) }),
        )
        .await?;
    let repo = &data["repository"];
    let Some(repo_id) = repo["id"].as_str() else {
        return Err(GitHubError::Http {
            status: 404,
            message: format!("repository {}/{} not found", s.owner, s.name),
            request_id: None,
        }
        .into());
    };
    let taken = repo["refs"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["name"].as_str())
        // GitHub names a ref without the prefix asked for; a full name is
        // read the same.
        .map(|n| n.rsplit('/').next().unwrap_or(n).to_owned())
        .collect();
    Ok(Claims {
        repo_id: repo_id.to_owned(),
        commit: commit.to_owned(),
        taken,
    })
}

/// The outcome of a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This run holds it: the ref's ID (to give it back), when GitHub said.
    Held(Option<String>),
    /// Another run made it first.
    Taken,
}

/// Claims the post of `rotation`'s message for the commit: creates its
/// ref at the commit, a compare-and-swap (a ref that exists is refused).
pub async fn claim(client: &Client, claims: &Claims, rotation: &str) -> Result<Claim> {
    let vars = json!({ "createClaim": {
        "repositoryId": claims.repo_id,
        "name": claim_ref(&claims.commit, rotation),
        "oid": claims.commit,
    } });
    let doc = mutation_document(&[Mutation::CreateClaim]);
    let (data, errors) = match client.mutate(&doc, vars).await {
        Ok(answer) => answer,
        // No answer: the claim may well have been made, and a rerun would
        // then find it and never post. Post: a second message needs another
        // run at this very moment as well.
        Err(e) if e.unanswered() => return Ok(Claim::Held(None)),
        Err(e) => return Err(e.into()),
    };
    match errors.into_iter().next() {
        None => Ok(Claim::Held(
            data["createClaim"]["ref"]["id"].as_str().map(str::to_owned),
        )),
        Some(e) if super::is_race(&e, Mutation::CreateClaim) => Ok(Claim::Taken),
        Some(e) => Err(e.into()),
    }
}

/// Gives a claim back after a failed post, so that a rerun posts.
pub async fn release(client: &Client, ref_id: &str) -> Result<()> {
    let doc = mutation_document(&[Mutation::DeleteClaim]);
    let vars = json!({ "deleteClaim": { "refId": ref_id } });
    // Deleting twice is harmless (the second finds nothing): retried.
    let (_, errors) = client.mutate_with(&doc, vars, true).await?;
    match errors.into_iter().next() {
        None => Ok(()),
        Some(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_is_its_full_object_name() {
        assert!(is_commit(&"a".repeat(40)));
        assert!(is_commit(&"0f".repeat(32)));
        for bad in [
            "",
            "abc123",
            &"A".repeat(40),
            &"g".repeat(40),
            "HEAD",
            &"a".repeat(41),
        ] {
            assert!(!is_commit(bad), "{bad}");
        }
        assert_eq!(
            claim_ref(&"a".repeat(40), "sre"),
            format!("refs/oncall/moved/{}/sre", "a".repeat(40))
        );
    }
}
