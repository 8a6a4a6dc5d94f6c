//! What GitHub refuses or fails: a setting that forbids pull requests, a
//! reviewer who cannot review, a log too large for GraphQL, faults on reads
//! and writes, missing settings and an invalid rotation on the base.

use super::{NOTES, branch_file, fake, ok, run, write_notes};
use crate::support;
use support::fake_github::{FakeGitHub, Fault, TOKEN, Target};
use support::repo::Repo;

#[test]
fn when_actions_may_not_open_prs_the_message_names_the_setting_and_a_rerun_converges() {
    let f = fake();
    f.with(|s| s.actions_may_open_prs = false);
    let r = run(&f, "2026-11-23", &[]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("Allow GitHub Actions to create and approve pull requests"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("request id 0000:"),
        "GitHub's request id is shown: {}",
        r.stderr
    );
    f.with(|s| s.actions_may_open_prs = true);
    let r = run(&f, "2026-11-23", &[]);
    ok(&r);
    assert_eq!(f.with(|s| s.open_prs().len()), 1);
    assert_eq!(
        r.requests, 3,
        "query, PR, reviews+label: the branch was kept"
    );
}

#[test]
fn a_reviewer_who_is_not_a_collaborator_is_a_warning() {
    let f = fake();
    f.with(|s| s.users.retain(|(l, _)| l != "ana"));
    let r = run(&f, "2026-11-23", &[]);
    ok(&r);
    assert!(
        r.stderr.contains("@ana cannot be asked for a review"),
        "{}",
        r.stderr
    );
    assert_eq!(f.with(|s| s.open_prs().len()), 1);
}

#[test]
fn a_log_too_large_for_graphql_is_read_through_the_contents_api() {
    let f = fake();
    f.with(|s| s.graphql_text_limit = 200);
    ok(&run(&f, "2026-11-23", &[]));
    write_notes(&f, "2026-11-23");
    let r = run(&f, "2026-11-24", &[]);
    ok(&r);
    assert!(
        f.requests()
            .iter()
            .any(|q| q.what.starts_with("GET /repos/acme/ops/contents/"))
    );
    assert_eq!(branch_file(&f, "oncall-log.md").matches(NOTES).count(), 1);
}

#[test]
fn reads_are_retried_after_each_fault() {
    let faults = [
        Fault::Status(500),
        Fault::Status(502),
        Fault::Status(503),
        Fault::SecondaryRateLimit(1),
        Fault::TooMany(1),
        Fault::Drop,
        Fault::Malformed,
        Fault::RateLimitExhausted,
        Fault::Slow(std::time::Duration::from_secs(4)),
    ];
    for fault in faults {
        let f = fake();
        f.fail_next(Target::Query, fault.clone());
        let r = run(&f, "2026-11-23", &[]);
        ok(&r);
        assert_eq!(r.requests, 4, "{fault:?}: one retry, then the normal three");
        assert_eq!(f.with(|s| s.open_prs().len()), 1, "{fault:?}");
    }
}

#[test]
fn a_failed_write_is_not_resent_and_the_rerun_converges() {
    for fault in [Fault::Status(502), Fault::Drop] {
        let f = fake();
        f.fail_next(Target::Mutation, fault.clone());
        let r = run(&f, "2026-11-23", &[]);
        assert_eq!(r.code, Some(1), "{fault:?}");
        assert_eq!(r.requests, 2, "{fault:?}: the write is not re-sent blindly");
        let r = run(&f, "2026-11-23", &[]);
        ok(&r);
        assert_eq!(f.with(|s| s.open_prs().len()), 1, "{fault:?}");
        let r = run(&f, "2026-11-23", &[]);
        assert_eq!(r.requests, 1, "{fault:?}: converged");
    }
}

#[test]
fn missing_settings_are_usage_errors() {
    let repo = Repo::with("", None);
    repo.oncall()
        .args(["advance", "--pr"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("GITHUB_TOKEN is not set"));
    repo.oncall()
        .args(["advance", "--pr"])
        .env("GITHUB_TOKEN", TOKEN)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("GITHUB_REPOSITORY is not set"));
}

#[test]
fn invalid_rotation_on_the_base_is_reported_with_its_position() {
    let f = FakeGitHub::start(&[(
        "rotation.yaml",
        "team: x\ntimezone: Mars/Base\nstart: 2026-11-23\nmembers:\n  - github: ana\n",
    )]);
    let r = run(&f, "2026-11-23", &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("rotation.yaml (on main):2:11: error: unknown time zone"),
        "{}",
        r.stderr
    );
    assert_eq!(
        f.with(|s| s.head("oncall/handover")),
        None,
        "nothing written"
    );
}
