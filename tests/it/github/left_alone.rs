//! A person's work on the bot's branch is left alone: a change to the
//! rotation, a new file, an edit to the log's older part, a branch of the
//! same name; and a forged marker does not silence oncall's comment.

use super::{branch_file, fake, ok, run};
use crate::support;

#[test]
fn a_persons_change_to_the_rotation_on_the_branch_is_left_alone() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    let edited =
        branch_file(&f, "rotation.yaml").replace("team: PR team", "team: PR team (renamed)");
    let head = f.with(|s| {
        s.commit(
            "oncall/handover",
            &[("rotation.yaml", Some(&edited))],
            "Rename",
        )
    });
    let r = run(&f, "2026-11-24", &[]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("rotation.yaml was changed on the branch"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("leaves it alone"));
    assert_eq!(
        f.with(|s| s.head("oncall/handover")),
        Some(head),
        "the branch is untouched"
    );
    assert_eq!(
        f.with(|s| s.open_prs()[0].comments.len()),
        1,
        "one comment on the PR"
    );
    let r = run(&f, "2026-11-24", &[]);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        f.with(|s| s.open_prs()[0].comments.len()),
        1,
        "not commented twice"
    );
    assert_eq!(r.requests, 1);
}

/// The foreign-change comment's marker counts only in a comment oncall's
/// own identity wrote (`viewerDidAuthor`): a comment someone else wrote
/// with the marker in it does not stop oncall's own.
#[test]
fn a_forged_marker_in_someone_elses_comment_does_not_silence_oncall() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    let forged = format!("{}\nnothing to see here", oncall_core::pr::FOREIGN_MARKER);
    f.with(|s| {
        s.prs[0]
            .comments
            .push(support::fake_github::Comment::by("mallory", &forged));
        s.commit(
            "oncall/handover",
            &[("notes.txt", Some("mine"))],
            "A person's commit",
        );
    });
    let r = run(&f, "2026-11-24", &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let comments = f.with(|s| s.open_prs()[0].comments.clone());
    assert_eq!(comments.len(), 2, "{comments:?}");
    assert_eq!(comments[1].author, support::fake_github::VIEWER);
    assert!(
        comments[1]
            .body
            .starts_with(oncall_core::pr::FOREIGN_MARKER)
    );
    // Its own comment does count: not commented twice.
    let r = run(&f, "2026-11-24", &[]);
    assert_eq!((r.code, r.requests), (Some(1), 1));
    assert_eq!(f.with(|s| s.open_prs()[0].comments.len()), 2);
}

#[test]
fn a_new_file_on_the_branch_is_left_alone() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    f.with(|s| {
        s.commit(
            "oncall/handover",
            &[("notes.txt", Some("mine"))],
            "Add notes",
        )
    });
    let r = run(&f, "2026-11-24", &[]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("files other than the rotation and the log"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_edit_to_the_logs_older_part_on_the_branch_is_left_alone() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    let log = branch_file(&f, "oncall-log.md").replacen("# On-call log: PR team", "# Our log", 1);
    f.with(|s| {
        s.commit(
            "oncall/handover",
            &[("oncall-log.md", Some(&log))],
            "Retitle the log",
        )
    });
    let r = run(&f, "2026-11-24", &[]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("oncall-log.md was changed outside the day sections"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_branch_of_the_same_name_made_by_a_person_is_left_alone() {
    let f = fake();
    f.with(|s| {
        let main = s.head("main").unwrap();
        s.refs.insert("oncall/handover".into(), main);
        s.commit(
            "oncall/handover",
            &[("plan.md", Some("my plan"))],
            "My own work",
        );
    });
    let head = f.with(|s| s.head("oncall/handover"));
    let r = run(&f, "2026-11-23", &[]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("commits that oncall did not make"),
        "{}",
        r.stderr
    );
    assert_eq!(f.with(|s| s.head("oncall/handover")), head);
    assert_eq!(f.with(|s| s.prs.len()), 0);
}
