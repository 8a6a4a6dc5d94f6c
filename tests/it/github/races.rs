//! Pushes that race with the run: to the branch (started over once, then
//! a clear failure) and to the base (picked up by the next run).

use super::{NOTES, branch_file, fake, ok, run};
use crate::support;

#[test]
fn a_push_during_the_run_makes_it_start_over_once() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    f.with(|s| {
        s.before_mutation = Some(Box::new(|s: &mut support::fake_github::State| {
            let log = s.file("oncall/handover", "oncall-log.md").unwrap();
            let edited = log.replacen("### Topics\n\n", &format!("### Topics\n\n{NOTES}\n"), 1);
            s.commit(
                "oncall/handover",
                &[("oncall-log.md", Some(&edited))],
                "Notes, pushed mid-run",
            );
        }))
    });
    let r = run(&f, "2026-11-24", &[]);
    ok(&r);
    assert_eq!(r.requests, 4, "query, refused commit, query, commit");
    assert_eq!(
        branch_file(&f, "oncall-log.md").matches(NOTES).count(),
        1,
        "the pushed notes survive"
    );
}

#[test]
fn a_base_that_moves_mid_run_is_picked_up_by_the_next_run() {
    let f = fake();
    f.with(|s| {
        s.before_mutation = Some(Box::new(|s: &mut support::fake_github::State| {
            s.commit(
                "main",
                &[("README.md", Some("# ops, edited\n"))],
                "Edit the README",
            );
        }))
    });
    ok(&run(&f, "2026-11-23", &[]));
    let main = f.with(|s| s.head("main")).unwrap();
    // The next day's run rebuilds the branch on the new base head.
    ok(&run(&f, "2026-11-24", &[]));
    let head = f.with(|s| s.head("oncall/handover")).unwrap();
    assert_eq!(f.with(|s| s.commits[&head].parents.clone()), [main]);
    assert_eq!(branch_file(&f, "README.md"), "# ops, edited\n");
}

#[test]
fn pushes_during_both_tries_fail_with_a_clear_message() {
    let f = fake();
    ok(&run(&f, "2026-11-23", &[]));
    fn push(s: &mut support::fake_github::State) {
        let log = s.file("oncall/handover", "oncall-log.md").unwrap();
        s.commit(
            "oncall/handover",
            &[("oncall-log.md", Some(&format!("{log}\nmore\n")))],
            "push",
        );
        s.before_mutation = Some(Box::new(|s: &mut support::fake_github::State| {
            let log = s.file("oncall/handover", "oncall-log.md").unwrap();
            s.commit(
                "oncall/handover",
                &[("oncall-log.md", Some(&format!("{log}\nagain\n")))],
                "push",
            );
        }));
    }
    f.with(|s| s.before_mutation = Some(Box::new(push)));
    let r = run(&f, "2026-11-24", &[]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("changed while oncall was updating it, twice"),
        "{}",
        r.stderr
    );
}
