//! `oncall advance --pr` against the fake GitHub: the scenarios of a
//! handover pull request's life, request counts, faults and secrets.

use crate::support;

use support::fake_github::{FakeGitHub, Fault, TOKEN, Target};
use support::repo::Repo;

const TEAM: &str = "team: PR team
timezone: Europe/Berlin
start: 2026-11-23
members:
  - { github: ana, name: Ana }
  - { github: ben, name: Ben }
  - { github: cai, name: Cai }
";

fn fake() -> FakeGitHub {
    let f = FakeGitHub::start(&[("rotation.yaml", TEAM), ("README.md", "# ops\n")]);
    f.with(|s| {
        s.users = vec![
            ("ana".into(), "U_ana".into()),
            ("ben".into(), "U_ben".into()),
            ("cai".into(), "U_cai".into()),
        ];
    });
    f
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    requests: usize,
}

/// Runs `oncall advance --pr --date DATE [args]` in an empty directory.
fn run(f: &FakeGitHub, date: &str, args: &[&str]) -> Run {
    let before = f.requests().len();
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--date", date])
        .args(args)
        .envs(f.env())
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        requests: f.requests().len() - before,
    };
    support::secrets::assert_no_secret(&r.stdout, "stdout", &[]);
    support::secrets::assert_no_secret(&r.stderr, "stderr", &[]);
    for req in &f.requests()[before..] {
        if let Some(doc) = &req.document {
            support::graphql::assert_valid(doc, &req.what);
        }
        assert_eq!(
            req.api_version.as_deref(),
            Some("2022-11-28"),
            "the API version is pinned"
        );
    }
    r
}

fn ok(r: &Run) {
    assert_eq!(
        r.code,
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
}

fn branch_file(f: &FakeGitHub, path: &str) -> String {
    f.with(|s| s.file("oncall/handover", path))
        .unwrap_or_default()
}

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

const NOTES: &str = "Rebooted the flaky node; runbook updated.";

/// An engineer writes notes into the day's Topics on the bot branch.
fn write_notes(f: &FakeGitHub, date: &str) {
    let log = branch_file(f, "oncall-log.md");
    let marker = format!("## {date}");
    let at = log.find(&marker).expect("the day's section");
    let topics = log[at..].find("### Topics\n\n").unwrap() + at + "### Topics\n\n".len();
    let edited = format!("{}{NOTES}\n{}", &log[..topics], &log[topics..]);
    f.with(|s| {
        s.commit(
            "oncall/handover",
            &[("oncall-log.md", Some(&edited))],
            "Notes",
        )
    });
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

mod with_slack {
    use super::*;
    use support::fake_slack::{FakeSlack, Reply};

    fn run_both(f: &FakeGitHub, slack: &FakeSlack, date: &str) -> Run {
        let before = f.requests().len();
        let repo = Repo::with("", None);
        let out = repo
            .oncall()
            .args(["advance", "--pr", "--slack", "--date", date])
            .envs(f.env())
            .env("SLACK_WEBHOOK_URL", &slack.url)
            .env("ONCALL_HTTP_TIMEOUT", "2")
            .output()
            .unwrap();
        let r = Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            requests: f.requests().len() - before,
        };
        for text in [&r.stdout, &r.stderr] {
            support::secrets::assert_no_secret(text, "output", &[]);
        }
        r
    }

    #[test]
    fn a_broken_rotation_on_the_base_tells_slack_and_writes_nothing() {
        let f = FakeGitHub::start(&[(
            "rotation.yaml",
            "team: x\ntimezone: Mars/Base\nstart: 2026-11-23\nmembers:\n  - github: ana\n",
        )]);
        let slack = FakeSlack::start();
        let r = run_both(&f, &slack, "2026-11-23");
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        let posts = slack.posts();
        assert_eq!(
            posts.len(),
            1,
            "one message that the handover did not happen"
        );
        let text = posts[0].to_string();
        assert!(text.contains("did not happen"), "{text}");
        assert!(
            text.contains("rotation.yaml (on main):2:11: error: unknown time zone"),
            "{text}"
        );
        assert_eq!(
            f.with(|s| s.head("oncall/handover")),
            None,
            "nothing written"
        );
        // In Actions, the annotation names the file's path in the repository.
        let out = Repo::with("", None)
            .oncall()
            .args(["advance", "--pr", "--date", "2026-11-23"])
            .envs(f.env())
            .env("GITHUB_ACTIONS", "true")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("::error file=rotation.yaml,line=2,col=11,"),
            "{stdout}"
        );
    }

    #[test]
    fn slack_is_told_after_the_pr_with_its_link_once() {
        let f = fake();
        let slack = FakeSlack::start();
        let r = run_both(&f, &slack, "2026-11-23");
        ok(&r);
        assert_eq!(
            r.requests, 5,
            "3 for the PR, 1 to claim the post, 1 to record it"
        );
        let posts = slack.posts();
        assert_eq!(posts.len(), 1);
        let text = posts[0].to_string();
        assert!(
            text.contains("<https://github.com/acme/ops/pull/1|Handover pull request>"),
            "{text}"
        );
        assert!(text.contains("oncall-log.md#L"), "{text}");
        let pr = &f.with(|s| s.open_prs())[0];
        assert!(
            pr.body
                .contains("<!-- oncall: announced in Slack 2026-11-23 -->")
        );
        // A rerun: nothing on GitHub, nothing in Slack.
        let r = run_both(&f, &slack, "2026-11-23");
        ok(&r);
        assert_eq!(r.requests, 1);
        assert!(r.stdout.contains("announced already"));
        assert_eq!(slack.requests(), 1);
        // The next day posts again, once.
        ok(&run_both(&f, &slack, "2026-11-24"));
        assert_eq!(slack.posts().len(), 2);
    }

    #[test]
    fn when_slack_fails_the_pr_stays_and_the_rerun_posts() {
        let f = fake();
        let slack = FakeSlack::start();
        slack.script([Reply::Error(404, "channel_not_found")]);
        let r = run_both(&f, &slack, "2026-11-23");
        assert_eq!(r.code, Some(1));
        assert!(r.stderr.contains("channel_not_found"), "{}", r.stderr);
        assert_eq!(f.with(|s| s.open_prs().len()), 1, "the PR is in place");
        assert!(!f.with(|s| s.open_prs()[0].body.contains("announced in Slack")));
        let r = run_both(&f, &slack, "2026-11-23");
        ok(&r);
        assert_eq!(slack.posts().len(), 1);
        assert_eq!(r.requests, 3, "read, claim, record the post");
    }
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
fn a_weekend_does_nothing_in_one_request() {
    let f = fake();
    let r = run(&f, "2026-11-28", &[]);
    ok(&r);
    assert_eq!(r.requests, 1);
    assert!(r.stdout.contains("not a working day"), "{}", r.stdout);
    assert_eq!(f.with(|s| s.head("oncall/handover")), None);
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
