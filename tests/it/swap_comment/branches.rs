//! The request's branch (`oncall/swap-…`, one per day): two takers at
//! once (one wins, the other is told), writes that interleave with
//! another taker's, a pull request closed unmerged, and the branch found
//! among many old ones.

use super::{Run, asked, comment, fake, own_comments, run};

#[test]
fn two_takers_at_once_one_wins_and_the_other_is_told() {
    let f = fake();
    asked(&f);
    let fay = comment(&f, 300, "/take", "fay", "NONE");
    let dan = comment(&f, 301, "/take", "dan", "NONE");
    // Both read before either writes: their branch, commit and pull
    // request documents reach GitHub together.
    f.hold_writes(2);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| run(&f, &fay));
        let b = s.spawn(|| run(&f, &dan));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(f.gate.arrived(), 2, "both wrote at once");
    assert_eq!((a.code, b.code), (Some(0), Some(0)), "{}\n{}", a.out, b.out);
    assert_eq!(f.with(|s| s.prs.len()), 1, "one pull request");
    let pr = f.with(|s| s.prs[0].clone());
    let (winner, loser, loser_event) = if pr.reviewers.contains(&"fay".to_owned()) {
        ("fay", &b, &dan)
    } else {
        ("dan", &a, &fay)
    };
    // The winner: three requests; the loser: two, nothing written (each
    // as it counts them: the fake's log interleaves the two runs).
    let counted = |r: &Run| {
        r.out
            .split("GitHub requests: ")
            .nth(1)
            .map(|n| n.trim().to_owned())
    };
    let winner_run = if std::ptr::eq(loser, &a) { &b } else { &a };
    assert!(loser.out.contains("taken by someone else"), "{}", loser.out);
    assert_eq!(counted(loser).as_deref(), Some("2"), "{}", loser.out);
    assert_eq!(
        counted(winner_run).as_deref(),
        Some("3"),
        "{}",
        winner_run.out
    );
    let yaml = f.with(|s| s.file("oncall/swap-2027-01-06", "rotation.yaml").unwrap());
    assert!(
        yaml.contains(&format!("date: 2027-01-06, github: {winner},")),
        "{yaml}"
    );
    assert_eq!(yaml.matches("date: 2027-01-06").count(), 1, "{yaml}");
    // The winner's comment tells the other; their comment's rerun says so too.
    let own = own_comments(&f);
    assert!(
        own[1].starts_with(&format!("Taken by `@{winner}`")),
        "{}",
        own[1]
    );
    let again = run(&f, loser_event);
    assert_eq!((again.requests, again.writes), (2, 1), "{}", again.out);
    assert!(
        own_comments(&f)
            .pop()
            .unwrap()
            .starts_with(&format!("Already taken by `@{winner}`, pull request #1")),
    );
}

/// A roster pull request closed without merging leaves its branch: the
/// next `/take` moves the branch back to the default branch's head (a
/// compare-and-swap on where it was) and opens a new one.
#[test]
fn after_a_pull_request_closed_unmerged_the_day_can_be_taken_again() {
    let f = fake();
    asked(&f);
    let r = run(&f, &comment(&f, 102, "/take", "fay", "NONE"));
    assert!(r.out.contains("opened pull request #1"), "{}", r.out);
    // Closed unmerged: GitHub lists it neither as open nor as merged.
    f.with(|s| s.prs.clear());
    let r = run(&f, &comment(&f, 103, "/take", "dan", "NONE"));
    assert_eq!((r.requests, r.writes), (3, 2), "{}", r.out);
    let doc = f.requests().iter().rev().nth(1).unwrap().what.clone();
    assert_eq!(doc, "mutation resetBranch,commit,createPullRequest");
    let yaml = f.with(|s| s.file("oncall/swap-2027-01-06", "rotation.yaml").unwrap());
    assert!(yaml.contains("date: 2027-01-06, github: dan,"), "{yaml}");
    assert!(!yaml.contains("github: fay,"), "{yaml}");
    assert_eq!(f.with(|s| s.prs[0].reviewers.clone()), ["cat", "dan"]);
}

/// GitHub may run another run's mutations between this one's: another
/// taker's branch created at the same head just before this run's commit
/// (this run's commit and pull request go through: it opened the pull
/// request), or created and committed to (this run's commit is refused
/// but its pull request went through: it fails and says to check).
#[test]
fn writes_interleaved_with_another_takers_are_sorted_by_what_went_through() {
    let f = fake();
    asked(&f);
    f.with(|s| {
        s.before_mutation = Some(Box::new(|st| {
            let head = st.head("main").unwrap();
            st.refs.insert("oncall/swap-2027-01-06".into(), head);
        }))
    });
    let r = run(&f, &comment(&f, 600, "/take", "fay", "NONE"));
    assert_eq!(r.code, Some(0), "{}", r.out);
    assert!(r.out.contains("opened pull request #1"), "{}", r.out);
    assert_eq!(f.with(|s| s.prs[0].reviewers.clone()), ["cat", "fay"]);

    let f = fake();
    asked(&f);
    f.with(|s| {
        s.before_mutation = Some(Box::new(|st| {
            let head = st.head("main").unwrap();
            st.refs.insert("oncall/swap-2027-01-06".into(), head);
            st.commit(
                "oncall/swap-2027-01-06",
                &[("rotation.yaml", Some("team: theirs\n"))],
                "the other taker's",
            );
        }))
    });
    let r = run(&f, &comment(&f, 601, "/take", "fay", "NONE"));
    assert_ne!(r.code, Some(0), "{}", r.out);
    assert!(
        r.out
            .contains("another run wrote to `oncall/swap-2027-01-06` at the same moment"),
        "{}",
        r.out
    );
}

/// The request's branch is found however many swap branches of days gone
/// by the repository keeps (GitHub answers at most 100: the latest days
/// come first, and a request is for a day ahead).
#[test]
fn the_requests_branch_is_found_among_many_old_ones() {
    let f = fake();
    asked(&f);
    let r = run(&f, &comment(&f, 300, "/take", "fay", "NONE"));
    assert_eq!(r.code, Some(0), "{}", r.out);
    f.with(|s| {
        let head = s.head("main").unwrap();
        let days = (0..150)
            .map(|i| chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(i));
        for day in days {
            s.refs.insert(format!("oncall/swap-{day}"), head.clone());
        }
    });
    let r = run(&f, &comment(&f, 301, "/take", "dan", "NONE"));
    assert_eq!(r.code, Some(0), "{}", r.out);
    assert_eq!(f.with(|s| s.prs.len()), 1, "no second pull request");
    assert!(
        own_comments(&f)
            .pop()
            .unwrap()
            .starts_with("Already taken by `@fay`, pull request #1"),
        "{}",
        r.out
    );
}
