//! Swap requests by comment (`oncall_core::swap`): the commands as
//! written, the candidates' order worked out by hand, the markers, and what
//! `/take` refuses. End to end against the fake GitHub: tests/it/swap_comment.rs.

#[path = "../../../tests/common/mod.rs"]
mod common;
use common::*;
use oncall_core::swap::{self, Command, Reply};

/// Cycle 1 from Monday 2027-01-04: ana Mon 4, ben Tue 5, cat Wed 6, dan
/// Thu 7, eve Fri 8 (away Wed 6), fay Mon 11; w = 6/3 = 2.
const TEAM: &str = "team: Swap team
timezone: Europe/Berlin
start: 2027-01-04
members:
  - { github: ana }
  - { github: ben }
  - { github: cat }
  - { github: dan }
  - { github: eve, away: [{ from: 2027-01-06, to: 2027-01-06 }] }
  - { github: fay }
";

#[test]
fn the_commands_as_written() {
    let swap_on = |date: &str, with: Option<&str>| {
        Some(Command::Swap {
            date: d(date),
            with: with.map(str::to_owned),
        })
    };
    assert_eq!(swap::parse("/swap 2027-01-12"), swap_on("2027-01-12", None));
    assert_eq!(
        swap::parse("  /swap 2027-01-12 with @dave\nthanks"),
        swap_on("2027-01-12", Some("dave"))
    );
    assert_eq!(
        swap::parse("/swap 2027-01-12 with dave"),
        swap_on("2027-01-12", Some("dave"))
    );
    assert_eq!(swap::parse("/take"), Some(Command::Take { back: None }));
    // `in NAME` names the rotation, not the command.
    assert_eq!(
        swap::parse("/swap 2027-01-12 with @dave in platform"),
        swap_on("2027-01-12", Some("dave"))
    );
    assert_eq!(
        swap::rotation_named("/swap 2027-01-12 with @dave in platform").as_deref(),
        Some("platform")
    );
    assert_eq!(
        swap::parse("/take 2027-01-19 in sre"),
        Some(Command::Take {
            back: Some(d("2027-01-19"))
        })
    );
    assert_eq!(swap::rotation_named("/take in sre").as_deref(), Some("sre"));
    assert_eq!(swap::rotation_named("/take"), None);
    assert_eq!(swap::rotation_named("/assign in sre"), None);
    assert_eq!(
        swap::parse("/take 2027-01-19"),
        Some(Command::Take {
            back: Some(d("2027-01-19"))
        })
    );
    for wrong in [
        "/swap",
        "/swap 2027-1-12",
        "/swap 2027-01-12 with",
        "/swap 2027-01-12 with @-x",
        "/swap 2027-01-12 and @dave",
        "/take tomorrow",
        "/take 2027-01-19 2027-01-20",
    ] {
        assert!(
            matches!(swap::parse(wrong), Some(Command::Unclear { .. })),
            "{wrong}"
        );
    }
    for other in ["/assign-to-oncall", "swap 2027-01-12", "", "LGTM\n/take"] {
        assert_eq!(swap::parse(other), None, "{other}");
    }
}

#[test]
fn candidates_keep_r4_spacing_first_then_the_closest_own_day() {
    let r = rot(TEAM);
    let c = swap::candidates(&r, d("2027-01-06"), "cat", d("2027-01-04"));
    let got: Vec<(&str, bool, Option<String>)> = c
        .iter()
        .map(|c| {
            (
                c.login.as_str(),
                c.keeps_spacing,
                c.own.map(|d| d.to_string()),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // Mon 11 is 3 working days after Wed 6: outside w = 2.
            ("fay", true, Some("2027-01-11".into())),
            // 1 day away each, in the file's order; then ana, 2 days.
            ("ben", false, Some("2027-01-05".into())),
            ("dan", false, Some("2027-01-07".into())),
            ("ana", false, Some("2027-01-04".into())),
        ]
    );
}

#[test]
fn the_answer_is_once_per_comment_and_per_request() {
    let r = rot(TEAM);
    let today = d("2027-01-04");
    let Reply::Comment { body, .. } =
        swap::answer_swap(&r, d("2027-01-06"), None, today, &[], 9, None)
    else {
        panic!("an answer")
    };
    let own = vec![body];
    assert_eq!(
        swap::requests(&own),
        [swap::Request {
            date: d("2027-01-06"),
            from: "cat".into(),
            to: None
        }]
    );
    assert!(swap::answered(&own, 9) && !swap::answered(&own, 99));
    assert!(matches!(
        swap::answer_swap(&r, d("2027-01-06"), None, today, &own, 9, None),
        Reply::Nothing(_)
    ));
    assert!(matches!(
        swap::answer_swap(&r, d("2027-01-06"), None, today, &own, 10, None),
        Reply::Nothing(_)
    ));
    // Another day, a past one, one too far ahead: each answered.
    for (date, says) in [
        ("2027-01-07", "the day of `@dan`"),
        ("2027-01-01", "before the rotation starts"),
        ("2028-02-01", "more than a year ahead"),
    ] {
        match swap::answer_swap(&r, d(date), None, today, &own, 11, None) {
            Reply::Comment { body, .. } => assert!(body.contains(says), "{body}"),
            other => panic!("{other:?}"),
        }
    }
    match swap::answer_swap(&r, d("2027-01-05"), None, d("2027-01-07"), &own, 12, None) {
        Reply::Comment { body, .. } => assert!(body.contains("handed over or past"), "{body}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn take_refuses_what_the_roster_check_would_and_what_is_not_theirs() {
    let r = rot(TEAM);
    let today = d("2027-01-04");
    let Reply::Comment { body, .. } =
        swap::answer_swap(&r, d("2027-01-06"), None, today, &[], 9, None)
    else {
        panic!("an answer")
    };
    let own = vec![body];
    let refused = |back: Option<&str>, taker: &str| match oncall_core::swap_pr::take(
        &r,
        back.map(d),
        taker,
        today,
        &own,
        20,
        None,
    ) {
        Err(Reply::Comment { body, .. }) => body,
        other => panic!("{other:?}"),
    };
    assert!(refused(None, "cat").contains("is your day"));
    assert!(refused(None, "eve").contains("`@eve` is away on 2027-01-06"));
    assert!(refused(Some("2027-01-07"), "ben").contains("is `@dan`'s day, not yours"));
    assert!(refused(Some("2027-01-09"), "ben").contains("not a working day"));
    let t = oncall_core::swap_pr::take(&r, Some(d("2027-01-05")), "ben", today, &own, 20, None)
        .unwrap();
    assert_eq!(
        t.overrides,
        [
            (d("2027-01-06"), "ben".to_owned()),
            (d("2027-01-05"), "cat".to_owned())
        ]
    );
}

/// A rotation's lookup matches its own request branches and no other
/// rotation's, also when one name begins another's.
#[test]
fn a_rotations_branch_lookup_matches_its_branches_only() {
    use oncall_core::swap_pr::{branch, branch_query};
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
    let rotations = [None, Some("ops"), Some("ops-infra"), Some("sre")];
    for a in rotations {
        for b in rotations {
            let name = branch(b, day);
            let short = name.strip_prefix("oncall/").unwrap();
            assert_eq!(short.contains(&branch_query(a)), a == b, "{a:?} {b:?}");
        }
    }
}
