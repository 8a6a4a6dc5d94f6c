//! The GraphQL documents the program sends. Every one is checked against
//! GitHub's schema in the tests (`tests/github_contract.rs`).

/// Everything a daily run needs, in one request: the base branch's files
/// and the shared calendars in its [`CALENDARS_DIR`], the handover branch
/// (its files, recent commits, open pull request), the label and the users
/// who can be asked for a review.
pub const HANDOVER_STATE: &str = r#"query HandoverState($owner: String!, $name: String!, $useDefault: Boolean!, $baseRef: String!, $branchRef: String!, $claimRef: String!, $config: String!, $log: String!, $label: String!, $calendars: String!, $archives: String!) {
  repository(owner: $owner, name: $name) {
    id
    defaultBranchRef @include(if: $useDefault) {
      ...BaseFiles
    }
    baseRef: ref(qualifiedName: $baseRef) @skip(if: $useDefault) {
      ...BaseFiles
    }
    branchRef: ref(qualifiedName: $branchRef) {
      ...BranchFiles
      target {
        ... on Commit {
          history(first: 30) {
            nodes {
              oid
              message
              parents(first: 2) {
                nodes {
                  oid
                }
              }
              rotation: file(path: $config) {
                oid
              }
              log: file(path: $log) {
                oid
              }
              tree {
                entries {
                  name
                  oid
                }
              }
            }
          }
        }
      }
      associatedPullRequests(states: OPEN, first: 1) {
        nodes {
          id
          number
          url
          title
          body
          baseRefName
          labels(first: 20) {
            nodes {
              name
            }
          }
          reviewRequests(first: 50) {
            nodes {
              requestedReviewer {
                ... on User {
                  login
                }
              }
            }
          }
          comments(last: 30) {
            nodes {
              body
              viewerDidAuthor
            }
          }
        }
      }
    }
    label(name: $label) {
      id
    }
    slackClaim: ref(qualifiedName: $claimRef) {
      target {
        oid
      }
    }
    assignableUsers(first: 100) {
      nodes {
        id
        login
      }
    }
  }
}

fragment FileText on TreeEntry {
  oid
  object {
    ... on Blob {
      text
      isTruncated
    }
  }
}

fragment BaseFiles on Ref {
  ...BranchFiles
  target {
    ... on Commit {
      archives: file(path: $archives) {
        object {
          ... on Tree {
            entries {
              path
            }
          }
        }
      }
      calendars: file(path: $calendars) {
        object {
          ... on Tree {
            entries {
              path
              object {
                ... on Blob {
                  text
                  isTruncated
                }
              }
            }
          }
        }
      }
    }
  }
}

fragment BranchFiles on Ref {
  name
  target {
    oid
    ... on Commit {
      rotation: file(path: $config) {
        ...FileText
      }
      log: file(path: $log) {
        ...FileText
      }
    }
  }
}
"#;

/// The directory of shared calendars whose files the handover query reads
/// with the base's rotation file (where the README's layout keeps them); a
/// calendar included from elsewhere costs a request of its own.
pub const CALENDARS_DIR: &str = "calendars";

/// One mutation of a handover; a run sends the ones it needs, in this
/// order, in one document (GitHub runs a document's mutations in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mutation {
    /// Move the branch to the base head: a compare-and-swap on its old head.
    ResetBranch,
    /// Create the branch at the base head.
    CreateBranch,
    /// Commit the two files (compare-and-swap on `expectedHeadOid`).
    Commit,
    CreatePullRequest,
    UpdatePullRequest,
    RequestReviews,
    AddLabels,
    Comment,
    /// Claim today's Slack post: move the claim ref to today's handover
    /// commit (compare-and-swap), or create it there.
    MoveClaim,
    CreateClaim,
    /// Gives a claim back (a post that failed): deletes the claim ref.
    DeleteClaim,
}

impl Mutation {
    /// (variable declaration, field).
    fn parts(self) -> (&'static str, &'static str) {
        match self {
            Mutation::ResetBranch => (
                "$resetBranch: UpdateRefsInput!",
                "resetBranch: updateRefs(input: $resetBranch) { clientMutationId }",
            ),
            Mutation::CreateBranch => (
                "$createBranch: CreateRefInput!",
                "createBranch: createRef(input: $createBranch) { ref { id name } }",
            ),
            Mutation::Commit => (
                "$commit: CreateCommitOnBranchInput!",
                "commit: createCommitOnBranch(input: $commit) { commit { oid url } }",
            ),
            Mutation::CreatePullRequest => (
                "$createPullRequest: CreatePullRequestInput!",
                "createPullRequest(input: $createPullRequest) { pullRequest { id number url } }",
            ),
            Mutation::UpdatePullRequest => (
                "$updatePullRequest: UpdatePullRequestInput!",
                "updatePullRequest(input: $updatePullRequest) { pullRequest { id number url } }",
            ),
            Mutation::RequestReviews => (
                "$requestReviews: RequestReviewsInput!",
                "requestReviews(input: $requestReviews) { clientMutationId }",
            ),
            Mutation::AddLabels => (
                "$addLabels: AddLabelsToLabelableInput!",
                "addLabels: addLabelsToLabelable(input: $addLabels) { clientMutationId }",
            ),
            Mutation::Comment => (
                "$comment: AddCommentInput!",
                "comment: addComment(input: $comment) { clientMutationId }",
            ),
            Mutation::MoveClaim => (
                "$moveClaim: UpdateRefsInput!",
                "moveClaim: updateRefs(input: $moveClaim) { clientMutationId }",
            ),
            Mutation::CreateClaim => (
                "$createClaim: CreateRefInput!",
                "createClaim: createRef(input: $createClaim) { ref { id name } }",
            ),
            Mutation::DeleteClaim => (
                "$deleteClaim: DeleteRefInput!",
                "deleteClaim: deleteRef(input: $deleteClaim) { clientMutationId }",
            ),
        }
    }

    /// The field's alias in the document (the `path` of its errors).
    pub fn alias(self) -> &'static str {
        let (_, field) = self.parts();
        &field[..field.find([':', '(']).expect("a field")]
    }

    /// The variable that carries this mutation's input.
    pub fn variable(self) -> &'static str {
        let (decl, _) = self.parts();
        &decl[1..decl.find(':').expect("a declaration")]
    }

    /// Every mutation, for the contract tests.
    pub const ALL: [Mutation; 11] = [
        Mutation::ResetBranch,
        Mutation::CreateBranch,
        Mutation::Commit,
        Mutation::CreatePullRequest,
        Mutation::UpdatePullRequest,
        Mutation::RequestReviews,
        Mutation::AddLabels,
        Mutation::Comment,
        Mutation::MoveClaim,
        Mutation::CreateClaim,
        Mutation::DeleteClaim,
    ];
}

/// A mutation document with the given mutations, in order.
pub fn mutation_document(mutations: &[Mutation]) -> String {
    let decls: Vec<&str> = mutations.iter().map(|m| m.parts().0).collect();
    let fields: Vec<&str> = mutations.iter().map(|m| m.parts().1).collect();
    format!(
        "mutation Handover({}) {{\n  {}\n}}\n",
        decls.join(", "),
        fields.join("\n  ")
    )
}

/// `oncall preview --slack --once-for COMMIT`: the repository's ID (to
/// create a claim) and the claims made for the commit already, one ref per
/// rotation under `refs/oncall/moved/COMMIT/`.
pub const MOVED_CLAIMS: &str = r#"query MovedClaims($owner: String!, $name: String!, $prefix: String!) {
  repository(owner: $owner, name: $name) {
    id
    refs(refPrefix: $prefix, first: 100) {
      nodes { name }
    }
  }
}
"#;

/// The default branch's rotation file and the files of the calendars'
/// directory, as `assign` and the swap commands read them (a fragment of
/// their documents).
macro_rules! default_branch_files {
    () => {
        r#"
fragment DefaultBranchFiles on Ref {
  name
  target {
    oid
    ... on Commit {
      rotation: file(path: $config) {
        object {
          ... on Blob {
            text
            isTruncated
          }
        }
      }
      calendars: file(path: $calendars) {
        object {
          ... on Tree {
            entries {
              path
              object {
                ... on Blob {
                  text
                  isTruncated
                }
              }
            }
          }
        }
      }
    }
  }
}
"#
    };
}

/// `oncall assign`: the default branch's rotation.yaml and the shared
/// calendars in [`CALENDARS_DIR`], the issue (or pull request) and who can
/// be assigned, in one request.
pub const ASSIGN_STATE: &str = concat!(
    r#"query AssignState($owner: String!, $name: String!, $config: String!, $number: Int!, $calendars: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef {
      ...DefaultBranchFiles
    }
    issueOrPullRequest(number: $number) {
      ... on Issue {
        id
        issueState: state
        assignees(first: 20) {
          nodes {
            login
          }
        }
        comments(last: 50) {
          nodes {
            body
            viewerDidAuthor
          }
        }
      }
      ... on PullRequest {
        id
        pullState: state
        assignees(first: 20) {
          nodes {
            login
          }
        }
        comments(last: 50) {
          nodes {
            body
            viewerDidAuthor
          }
        }
      }
    }
    assignableUsers(first: 100) {
      nodes {
        id
        login
      }
    }
  }
}
"#,
    default_branch_files!()
);

/// `oncall assign`'s writes, in one document: the assignment and the
/// comment, or either.
pub fn assign_document(assign: bool, comment: bool) -> String {
    let mut vars = Vec::new();
    let mut body = String::new();
    if assign {
        vars.push("$assign: AddAssigneesToAssignableInput!");
        body.push_str(
            "  assign: addAssigneesToAssignable(input: $assign) {\n    clientMutationId\n  }\n",
        );
    }
    if comment {
        vars.push("$comment: AddCommentInput!");
        body.push_str("  comment: addComment(input: $comment) {\n    clientMutationId\n  }\n");
    }
    format!("mutation Assign({}) {{\n{body}}}\n", vars.join(", "))
}

/// `oncall assign` on a swap command (`/swap`, `/take`): the default
/// branch's rotation.yaml and shared calendars, the issue and oncall's own
/// comments on it, the requests' branches (`oncall/swap-…`, this
/// rotation's only, the latest days first: a request is for a day ahead,
/// so the branches of days gone by, however many, come after it) and their
/// pull requests, and who can be asked for a review, in one request.
pub const SWAP_STATE: &str = concat!(
    r#"query SwapState($owner: String!, $name: String!, $config: String!, $number: Int!, $calendars: String!, $swapBranches: String!) {
  repository(owner: $owner, name: $name) {
    id
    defaultBranchRef {
      ...DefaultBranchFiles
    }
    issueOrPullRequest(number: $number) {
      ... on Issue {
        id
        issueState: state
        comments(last: 100) {
          nodes {
            body
            viewerDidAuthor
          }
        }
      }
    }
    swapBranches: refs(refPrefix: "refs/heads/oncall/", query: $swapBranches, first: 100, orderBy: {field: ALPHABETICAL, direction: DESC}) {
      nodes {
        name
        target {
          oid
        }
        associatedPullRequests(first: 5, states: [OPEN, MERGED]) {
          nodes {
            id
            number
            state
            body
          }
        }
      }
    }
    assignableUsers(first: 100) {
      nodes {
        id
        login
      }
    }
  }
}
"#,
    default_branch_files!()
);
