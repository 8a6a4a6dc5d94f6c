//! A handover pull request's life from day to day: opened, rerun, carried
//! over unmerged, opened anew after a merge, rebased on a roster change;
//! a weekend and a dry run write nothing.

use super::{NOTES, TEAM, branch_file, fake, ok, run, write_notes};

#[test]
fn first_run_opens_the_pull_request_in_three_requests() {
    let f = fake();
    let r = run(&f, "2026-11-23", &[]);
    ok(&r);
    assert_eq!(r.requests, 3, "query, branch+commit+PR, reviews+label");
    let prs = f.with(|s| s.open_prs());
    assert_eq!(prs.len(), 1);
    let pr = &prs[0];
    assert_eq!(pr.title, "On-call 2026-11-23: ana");
    assert_eq!(pr.base, "main");
    assert_eq!(pr.labels, ["oncall"]);
    assert_eq!(pr.reviewers, ["ana"]);
    assert!(
        pr.body
            .contains("## On call Monday 2026-11-23: Ana (`@ana`)"),
        "{}",
        pr.body
    );
    assert!(
        pr.body
            .contains("| 2026-11-24 | Tue | Ben (`@ben`) | rotation |"),
        "{}",
        pr.body
    );
    let rotation = branch_file(&f, "rotation.yaml");
    assert!(rotation.starts_with(TEAM));
    assert!(rotation.contains("  since: 2026-11-23\n  on_call: ana\n"));
    assert!(branch_file(&f, "oncall-log.md").contains("## 2026-11-23 · Monday · Ana (`@ana`)"));
    assert_eq!(
        f.with(|s| s.file("main", "rotation.yaml")).unwrap(),
        TEAM,
        "main is untouched"
    );
    assert!(
        r.stdout
            .contains("pull request: https://github.com/acme/ops/pull/1")
    );
}

#[test]
fn a_rerun_on_the_same_day_makes_one_request_and_no_change() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    let head = f.with(|s| s.head("oncall/handover"));
    let r = run(&f, "2026-11-23", &[]);
    ok(&r);
    assert_eq!(r.requests, 1);
    assert!(r.stdout.contains("up to date"), "{}", r.stdout);
    assert_eq!(f.with(|s| s.head("oncall/handover")), head);
    assert_eq!(f.with(|s| s.prs.len()), 1);
}

#[test]
fn next_day_with_the_pr_unmerged_keeps_the_engineers_notes() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    write_notes(&f, "2026-11-23");
    let r = run(&f, "2026-11-24", &[]);
    ok(&r);
    assert_eq!(r.requests, 2, "query, commit+update+reviews");
    let log = branch_file(&f, "oncall-log.md");
    assert_eq!(
        log.matches(NOTES).count(),
        1,
        "the notes are kept, once:\n{log}"
    );
    assert!(log.contains("## 2026-11-24 · Tuesday · Ben (`@ben`)"));
    assert!(
        !log.contains("Not announced"),
        "the 23rd was announced on its day"
    );
    let pr = &f.with(|s| s.open_prs())[0];
    assert_eq!(pr.title, "On-call 2026-11-24: ana → ben");
    assert_eq!(pr.reviewers, ["ana", "ben"]);
    assert!(branch_file(&f, "rotation.yaml").contains("since: 2026-11-24"));
    assert_eq!(f.with(|s| s.prs.len()), 1, "still one PR");
}

#[test]
fn after_a_merge_the_next_day_opens_a_new_pull_request() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    write_notes(&f, "2026-11-23");
    f.with(|s| s.merge(1));
    let r = run(&f, "2026-11-24", &[]);
    ok(&r);
    assert_eq!(r.requests, 3);
    let prs = f.with(|s| s.open_prs());
    assert_eq!(prs.len(), 1);
    assert_eq!(prs[0].number, 2);
    let log = branch_file(&f, "oncall-log.md");
    assert_eq!(
        log.matches(NOTES).count(),
        1,
        "the merged notes stay:\n{log}"
    );
    assert!(log.contains("## 2026-11-24"));
    // The branch was rebuilt on main: main's log is a prefix of it.
    let main_log = f.with(|s| s.file("main", "oncall-log.md")).unwrap();
    assert!(log.starts_with(&main_log));
}

#[test]
fn a_roster_change_merged_meanwhile_is_respected() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    write_notes(&f, "2026-11-23");
    let roster = TEAM.replace(
        "  - { github: cai, name: Cai }\n",
        "  - { github: cai, name: Cai }\n  - { github: dee, name: Dee }\n",
    );
    f.with(|s| {
        s.commit(
            "main",
            &[("rotation.yaml", Some(&roster))],
            "Add Dee to the rotation",
        )
    });
    let r = run(&f, "2026-11-24", &[]);
    ok(&r);
    assert_eq!(r.requests, 2, "query, reset+commit+update");
    let rotation = branch_file(&f, "rotation.yaml");
    assert!(
        rotation.starts_with(&roster),
        "based on main's new roster:\n{rotation}"
    );
    assert!(
        rotation.contains("order: [ana, ben, cai, dee]"),
        "{rotation}"
    );
    assert_eq!(branch_file(&f, "oncall-log.md").matches(NOTES).count(), 1);
    let head = f.with(|s| s.head("oncall/handover")).unwrap();
    let main = f.with(|s| s.head("main")).unwrap();
    assert_eq!(
        f.with(|s| s.commits[&head].parents.clone()),
        [main],
        "one commit on main's head"
    );
}

#[test]
fn dry_run_prints_the_pull_request_and_writes_nothing() {
    let f = fake();
    let r = run(&f, "2026-11-23", &["--dry-run"]);
    ok(&r);
    assert_eq!(r.requests, 1, "only the read");
    assert!(f.requests().iter().all(|q| !q.what.starts_with("mutation")));
    assert!(
        r.stdout
            .contains("Would open the pull request `oncall/handover` → `main`"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("title: On-call 2026-11-23: ana"));
    assert!(r.stdout.contains("+  since: 2026-11-23"));
    assert_eq!(f.with(|s| s.head("oncall/handover")), None);
}

#[test]
fn a_weekend_does_nothing_in_one_request() {
    let f = fake();
    let r = run(&f, "2026-11-28", &[]);
    ok(&r);
    assert_eq!(r.requests, 1);
    assert!(r.stdout.contains("not a working day"), "{}", r.stdout);
    assert_eq!(f.with(|s| s.head("oncall/handover")), None);
}
