//! Swap requests by comment (`/swap DATE`, `/take [DATE]`), handled by
//! `oncall assign` (alias `oncall comment`) against the fake GitHub: the
//! answer once, the candidates best first, the roster pull request, a day
//! given back, who is ignored, and two takers at once. Request counts are
//! asserted: at most three per command. The request's branch (two takers
//! at once, a branch closed or found among many) is in `branches.rs`.

mod branches;

use crate::support;

use serde_json::{Value, json};
use support::fake_github::{Comment, FakeGitHub, Issue, VIEWER};
use support::repo::Repo;

/// Six members, cycle 1 in the file's order from Monday 2027-01-04: ana
/// Mon 4, ben Tue 5, cat Wed 6, dan Thu 7, eve Fri 8 (away Wed 6), fay
/// Mon 11. R4's spacing: w = 6/3 = 2 working days.
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
overrides: []
";

const TODAY: &str = "2027-01-04";

fn fake() -> FakeGitHub {
    let f = FakeGitHub::start(&[("rotation.yaml", TEAM)]);
    f.with(|s| {
        s.users = ["ana", "ben", "cat", "dan", "eve", "fay"]
            .iter()
            .map(|l| ((*l).to_owned(), format!("U_{l}")))
            .collect();
        s.issues = vec![Issue {
            number: 7,
            id: "I_7".into(),
            open: true,
            assignees: vec![],
            comments: vec![],
        }];
    });
    f
}

struct Run {
    code: Option<i32>,
    out: String,
    requests: usize,
    writes: usize,
}

/// Runs the comment command as the routing workflow does: the event in
/// GITHUB_EVENT_NAME / GITHUB_EVENT_PATH, no checkout.
fn run(f: &FakeGitHub, event: &Value) -> Run {
    run_as(f, event, "assign")
}

fn run_as(f: &FakeGitHub, event: &Value, command: &str) -> Run {
    let before = f.requests().len();
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let path = repo.path("event.json");
    std::fs::write(&path, event.to_string()).unwrap();
    let out = repo
        .oncall()
        .arg(command)
        .env("ONCALL_NOW", format!("{TODAY}T08:00:00Z"))
        .envs(f.env())
        .env("ONCALL_HTTP_TIMEOUT", "5")
        .env("GITHUB_EVENT_NAME", "issue_comment")
        .env("GITHUB_EVENT_PATH", &path)
        .output()
        .unwrap();
    let requests = &f.requests()[before..];
    let r = Run {
        code: out.status.code(),
        out: String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr),
        requests: requests.len(),
        writes: requests
            .iter()
            .filter(|q| q.what.starts_with("mutation"))
            .count(),
    };
    support::secrets::assert_no_secret(&r.out, "output", &[]);
    r
}

/// An `issue_comment` event on issue 7 (the commenter's comment is added
/// to the fake issue too, as GitHub has it by then).
fn comment(f: &FakeGitHub, id: u64, body: &str, login: &str, association: &str) -> Value {
    f.with(|s| s.issues[0].comments.push(Comment::by(login, body)));
    json!({ "action": "created", "issue": { "number": 7, "state": "open" }, "comment": { "id": id, "body": body, "user": { "login": login }, "author_association": association } })
}

fn own_comments(f: &FakeGitHub) -> Vec<String> {
    f.with(|s| {
        s.issues[0]
            .comments
            .iter()
            .filter(|c| c.author == VIEWER)
            .map(|c| c.body.clone())
            .collect()
    })
}

/// cmark-gfm finds no mention, reference or link outside code, but for
/// the references named (each must be there).
fn no_mention_but(what: &str, text: &str, references: &[&str]) {
    let mut text = text.to_owned();
    for r in references {
        assert!(text.contains(r), "{what} names {r}: {text}");
        text = text.replace(r, "");
    }
    support::validators::github_markdown(&[json!({ "what": what, "text": text })]).unwrap();
}

/// The request asked on issue 7 by cat for her Wednesday, answered.
fn asked(f: &FakeGitHub) {
    let r = run(f, &comment(f, 100, "/swap 2027-01-06", "cat", "NONE"));
    assert_eq!(r.code, Some(0), "{}", r.out);
}

#[test]
fn a_swap_request_is_answered_once_with_whoever_could_take_it_best_first() {
    let f = fake();
    let event = comment(
        &f,
        100,
        "/swap 2027-01-06\nI have a dentist.",
        "cat",
        "NONE",
    );
    let r = run(&f, &event);
    assert_eq!(r.code, Some(0), "{}", r.out);
    assert_eq!((r.requests, r.writes), (2, 1), "{}", r.out);
    let own = own_comments(&f);
    assert_eq!(own.len(), 1);
    let answer = &own[0];
    // By hand: w = 2. fay's own day (Mon 11) is 3 working days away: she
    // keeps the spacing. ben (Tue 5) and dan (Thu 7) are 1 day away, ana
    // (Mon 4) 2: all within w, by distance then the file's order. eve is
    // away that day; cat asks.
    let at = |l: &str| answer.find(&format!("`@{l}`")).unwrap_or(usize::MAX);
    assert!(at("fay") < at("ben") && at("ben") < at("dan") && at("dan") < at("ana"));
    assert!(answer.contains("`/take 2027-01-11`"), "{answer}");
    assert_eq!(at("eve"), usize::MAX, "eve is away: {answer}");
    assert!(answer.contains("<!-- oncall: swap date=2027-01-06 from=cat reply=100 -->"));
    no_mention_but("the answer", answer, &[]);
    // A rerun of the same event: read, nothing written.
    let again = run(&f, &event);
    assert_eq!((again.requests, again.writes), (1, 0), "{}", again.out);
    // The same request in a new comment: answered already, no second answer.
    let twice = run(&f, &comment(&f, 101, "/swap 2027-01-06", "cat", "NONE"));
    assert_eq!((twice.requests, twice.writes), (1, 0), "{}", twice.out);
    assert!(
        twice.out.contains("asked and answered already"),
        "{}",
        twice.out
    );
    assert_eq!(own_comments(&f).len(), 1);
    // Asking one member: the answer names only them.
    let f = fake();
    let r = run(
        &f,
        &comment(&f, 100, "/swap 2027-01-06 with @dan", "cat", "NONE"),
    );
    assert_eq!((r.requests, r.writes), (2, 1), "{}", r.out);
    let answer = own_comments(&f).remove(0);
    assert!(
        answer.contains("`@dan`") && !answer.contains("`@fay`"),
        "{answer}"
    );
    assert!(answer.contains("from=cat to=dan"), "{answer}");
}

#[test]
fn take_opens_the_roster_pull_request_with_the_override_and_the_days_that_change() {
    let f = fake();
    asked(&f);
    // `oncall comment`, the alias, is the same command.
    let event = comment(&f, 102, "/take", "fay", "NONE");
    let r = run_as(&f, &event, "comment");
    assert_eq!(r.code, Some(0), "{}", r.out);
    assert_eq!((r.requests, r.writes), (3, 2), "{}", r.out);
    assert!(r.out.contains("opened pull request #1"), "{}", r.out);
    let (pr, yaml) = f.with(|s| {
        (
            s.prs[0].clone(),
            s.file("oncall/swap-2027-01-06", "rotation.yaml").unwrap(),
        )
    });
    assert_eq!(pr.head, "oncall/swap-2027-01-06");
    assert_eq!(pr.base, "main");
    assert_eq!(pr.reviewers, ["cat", "fay"]);
    assert!(
        yaml.contains(
            "  - { date: 2027-01-06, github: fay, reason: \"swap asked for by comment on issue 7\" }"
        ),
        "{yaml}"
    );
    // Exactly the day that changes, and the closing keyword.
    assert!(pr.body.contains("**1 day(s) change.**"), "{}", pr.body);
    assert!(
        pr.body
            .contains("| 2027-01-06 | Wed | ~~`@cat`~~ | **`@fay`** | changed |"),
        "{}",
        pr.body
    );
    assert_eq!(pr.body.matches("| 2027-").count(), 1, "{}", pr.body);
    no_mention_but("the pull request's body", &pr.body, &["Closes #7"]);
    no_mention_but("its title", &pr.title, &[]);
    // The issue says who took it (the notification is the review request).
    let own = own_comments(&f);
    assert_eq!(own.len(), 2);
    assert!(
        own[1].starts_with("Taken by `@fay`: pull request #1."),
        "{}",
        own[1]
    );
    no_mention_but("the taken comment", &own[1], &["#1"]);
    // A rerun of the same `/take`: read, nothing written.
    let again = run(&f, &event);
    assert_eq!((again.requests, again.writes), (1, 0), "{}", again.out);
    assert_eq!(f.with(|s| s.prs.len()), 1);
    // A second `/take`, later: told who took it.
    let late = run(&f, &comment(&f, 103, "/take", "ben", "NONE"));
    assert_eq!((late.requests, late.writes), (2, 1), "{}", late.out);
    let told = own_comments(&f).pop().unwrap();
    assert!(
        told.starts_with("Already taken by `@fay`, pull request #1 (open)."),
        "{told}"
    );
    // Merged: the default branch has the override (the issue closes by
    // the keyword, GitHub's doing).
    f.with(|s| s.merge(1));
    let main = f.with(|s| s.file("main", "rotation.yaml").unwrap());
    assert!(main.contains("date: 2027-01-06, github: fay"), "{main}");
}

#[test]
fn take_with_a_date_gives_a_day_back_as_a_swap() {
    let f = fake();
    asked(&f);
    let r = run(&f, &comment(&f, 102, "/take 2027-01-05", "ben", "NONE"));
    assert_eq!((r.requests, r.writes), (3, 2), "{}", r.out);
    let (pr, yaml) = f.with(|s| {
        (
            s.prs[0].clone(),
            s.file("oncall/swap-2027-01-06", "rotation.yaml").unwrap(),
        )
    });
    assert!(yaml.contains("{ date: 2027-01-06, github: ben,"), "{yaml}");
    assert!(yaml.contains("{ date: 2027-01-05, github: cat,"), "{yaml}");
    assert!(pr.body.contains("**2 day(s) change.**"), "{}", pr.body);
    assert!(
        pr.body
            .contains("| 2027-01-05 | Tue | ~~`@ben`~~ | **`@cat`** | changed |")
    );
    assert!(
        pr.body
            .contains("| 2027-01-06 | Wed | ~~`@cat`~~ | **`@ben`** | changed |")
    );
    assert_eq!(pr.body.matches("| 2027-").count(), 2, "{}", pr.body);
    assert_eq!(pr.reviewers, ["cat", "ben"]);
    assert_eq!(
        pr.title,
        "Swap: ben takes 2027-01-06 from cat, cat takes 2027-01-05"
    );
    no_mention_but("the pull request's body", &pr.body, &["Closes #7"]);
    // A day that is not the taker's is refused, with a reply, and no PR.
    let f = fake();
    asked(&f);
    let r = run(&f, &comment(&f, 102, "/take 2027-01-07", "ben", "NONE"));
    assert_eq!((r.requests, r.writes), (2, 1), "{}", r.out);
    assert!(own_comments(&f)[1].contains("2027-01-07 is `@dan`'s day, not yours"));
    assert!(f.with(|s| s.prs.is_empty()));
}

#[test]
fn a_non_member_is_ignored_without_a_reply() {
    let f = fake();
    for (who, association, body) in [
        ("mallory", "NONE", "/swap 2027-01-06"),
        ("mallory", "CONTRIBUTOR", "/swap 2027-01-06"),
    ] {
        let r = run(&f, &comment(&f, 200, body, who, association));
        assert_eq!(r.code, Some(0), "{}", r.out);
        assert_eq!((r.requests, r.writes), (1, 0), "{}", r.out);
        assert!(r.out.contains("ignored"), "{}", r.out);
    }
    // A collaborator with read access only: asked once, then ignored.
    f.with(|s| {
        s.permissions.insert("rita".into(), "read".into());
    });
    let r = run(
        &f,
        &comment(&f, 201, "/swap 2027-01-06", "rita", "COLLABORATOR"),
    );
    assert_eq!((r.requests, r.writes), (2, 0), "{}", r.out);
    asked(&f);
    // Taking needs a member of the rotation, whoever writes.
    let r = run(&f, &comment(&f, 202, "/take", "mallory", "OWNER"));
    assert_eq!((r.requests, r.writes), (1, 0), "{}", r.out);
    assert_eq!(own_comments(&f).len(), 1, "only the answer to cat");
    assert!(f.with(|s| s.prs.is_empty()));
    // A writer outside the rotation may ask for someone's day: three requests.
    f.with(|s| {
        s.permissions.insert("lead".into(), "write".into());
    });
    let r = run(&f, &comment(&f, 203, "/swap 2027-01-07", "lead", "MEMBER"));
    assert_eq!((r.requests, r.writes), (3, 1), "{}", r.out);
    assert!(own_comments(&f)[1].contains("the day of `@dan`"));
}

#[test]
fn a_command_written_wrong_is_explained_and_a_forged_request_does_not_count() {
    let f = fake();
    // A request marker written by a member is not oncall's answer: `/take`
    // finds no request.
    f.with(|s| {
        s.issues[0].comments.push(Comment::by(
            "ben",
            "<!-- oncall: swap date=2027-01-06 from=cat reply=1 -->",
        ))
    });
    let r = run(&f, &comment(&f, 400, "/take", "ben", "NONE"));
    assert_eq!((r.requests, r.writes), (2, 1), "{}", r.out);
    assert!(own_comments(&f)[0].starts_with("There is no swap request on this issue"));
    assert!(f.with(|s| s.prs.is_empty()));
    // Written wrong, by a member: how to write it, once.
    let event = comment(&f, 401, "/swap next tuesday", "cat", "NONE");
    let r = run(&f, &event);
    assert_eq!((r.requests, r.writes), (2, 1), "{}", r.out);
    let how = own_comments(&f).pop().unwrap();
    assert!(
        how.starts_with("To ask for a swap or take one, write `/swap YYYY-MM-DD`"),
        "{how}"
    );
    no_mention_but("the answer", &how, &[]);
    assert_eq!(run(&f, &event).writes, 0);
    // By someone else: ignored, without a reply.
    let r = run(
        &f,
        &comment(&f, 402, "/swap next tuesday", "mallory", "NONE"),
    );
    assert_eq!((r.requests, r.writes), (1, 0), "{}", r.out);
    // A day that cannot be swapped: said why.
    let r = run(&f, &comment(&f, 403, "/swap 2027-01-09", "cat", "NONE"));
    assert_eq!((r.requests, r.writes), (2, 1), "{}", r.out);
    assert!(
        own_comments(&f)
            .pop()
            .unwrap()
            .starts_with("Saturday 2027-01-09 is not a working day"),
    );
}

/// In a repository of several rotations, a swap command is for the one
/// rotation the commenter is a member of; its branch is named after it.
#[test]
fn in_a_repository_of_several_rotations_the_commenters_rotation_is_used() {
    let other = "team: Other\ntimezone: Europe/Berlin\nstart: 2027-01-04\nmembers:\n  - { github: zed }\n  - { github: yan }\n";
    let f = FakeGitHub::start(&[
        ("rotations/swap/rotation.yaml", TEAM),
        ("rotations/other/rotation.yaml", other),
    ]);
    f.with(|s| {
        s.users = vec![
            ("cat".into(), "U_cat".into()),
            ("fay".into(), "U_fay".into()),
        ];
        s.issues = vec![Issue {
            number: 7,
            id: "I_7".into(),
            open: true,
            assignees: vec![],
            comments: vec![],
        }];
    });
    // The routing workflow's checkout: the default branch's rotations.
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    for (name, text) in [("swap", TEAM), ("other", other)] {
        std::fs::create_dir_all(repo.path(&format!("rotations/{name}"))).unwrap();
        std::fs::write(repo.path(&format!("rotations/{name}/rotation.yaml")), text).unwrap();
    }
    let go = |event: &Value| {
        let path = repo.path("event.json");
        std::fs::write(&path, event.to_string()).unwrap();
        let out = repo
            .oncall()
            .arg("comment")
            .env("ONCALL_NOW", format!("{TODAY}T08:00:00Z"))
            .envs(f.env())
            .env("GITHUB_EVENT_NAME", "issue_comment")
            .env("GITHUB_EVENT_PATH", &path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    go(&comment(&f, 500, "/swap 2027-01-06", "cat", "NONE"));
    // The answer's commands name the rotation: a member of two can take
    // the day as written.
    let answer = own_comments(&f).remove(0);
    assert!(
        answer.contains("comment `/take in swap`; `/take YYYY-MM-DD in swap` gives"),
        "{answer}"
    );
    let takes: Vec<&str> = answer.split("`/take 2027-").skip(1).collect();
    assert!(!takes.is_empty(), "{answer}");
    for t in takes {
        assert!(
            t.starts_with("01-") && t[5..].starts_with(" in swap`"),
            "{t}"
        );
    }
    // A request on the same issue for the other rotation (zed's Friday):
    // fay's `/take` is for her rotation's request all the same.
    let out = go(&comment(&f, 505, "/swap 2027-01-08", "zed", "NONE"));
    assert!(
        out.contains("answered the swap request for 2027-01-08"),
        "{out}"
    );
    assert!(
        own_comments(&f)
            .iter()
            .any(|c| c.contains("<!-- oncall: swap rotation=other date=2027-01-08 from=zed")),
        "{:?}",
        own_comments(&f)
    );
    let out = go(&comment(&f, 501, "/take", "fay", "NONE"));
    assert!(out.contains("opened pull request #1"), "{out}");
    let yaml = f.with(|s| {
        s.file(
            "oncall/swap-swap-2027-01-06",
            "rotations/swap/rotation.yaml",
        )
    });
    assert!(yaml.unwrap().contains("date: 2027-01-06, github: fay"));
    // Someone in no rotation: ignored.
    let out = go(&comment(&f, 502, "/swap 2027-01-06", "mallory", "OWNER"));
    assert!(out.contains("a member of no rotation"), "{out}");
    // A writer outside every rotation names it: answered for that one.
    let out = go(&comment(
        &f,
        503,
        "/swap 2027-01-07 in swap",
        "mallory",
        "OWNER",
    ));
    assert!(
        out.contains("answered the swap request for 2027-01-07"),
        "{out}"
    );
    // A rotation the repository does not have: ignored, nothing written.
    let before = own_comments(&f).len();
    let out = go(&comment(
        &f,
        504,
        "/swap 2027-01-07 in nosuch",
        "mallory",
        "OWNER",
    ));
    assert!(out.contains("which this repository does not have"), "{out}");
    assert_eq!(own_comments(&f).len(), before);
}

/// A member asks to swap their own day only: Ben asking for Cat's
/// Wednesday is told so, and nobody is offered her day.
#[test]
fn a_member_asks_for_their_own_day_only() {
    let f = fake();
    let r = run(&f, &comment(&f, 300, "/swap 2027-01-06", "ben", "NONE"));
    assert_eq!(r.code, Some(0), "{}", r.out);
    assert_eq!((r.requests, r.writes), (2, 1), "{}", r.out);
    let answers = own_comments(&f);
    assert_eq!(answers.len(), 1);
    assert!(
        answers[0].contains("2027-01-06 is the day of `@cat`: a member asks to swap their own day"),
        "{}",
        answers[0]
    );
    assert!(
        !answers[0].contains("/take"),
        "no day is offered: {}",
        answers[0]
    );
}

/// A run that opened the pull request but failed before the review
/// requests and the comment (GitHub answered 500): the rerun of the same
/// event finishes it, in two requests, and a third run does nothing.
#[test]
fn a_take_that_stopped_after_opening_the_pull_request_is_finished_by_the_rerun() {
    use support::fake_github::{Fault, Target};
    let f = fake();
    asked(&f);
    let event = comment(&f, 102, "/take", "fay", "NONE");
    // The first mutation document (branch, commit, pull request) goes
    // through; the second (reviews, comment) fails.
    f.fail_nth(Target::Mutation, 1, Fault::Status(500));
    let r = run(&f, &event);
    assert_ne!(r.code, Some(0), "{}", r.out);
    let pr = f.with(|s| s.prs[0].clone());
    assert!(pr.reviewers.is_empty(), "{:?}", pr.reviewers);
    assert_eq!(own_comments(&f).len(), 1, "only the answer to the request");
    // The rerun: the reviews and the comment, once.
    let r = run(&f, &event);
    assert_eq!(r.code, Some(0), "{}", r.out);
    assert_eq!((r.requests, r.writes), (2, 1), "{}", r.out);
    assert!(
        r.out.contains("opened by an earlier run that stopped"),
        "{}",
        r.out
    );
    assert_eq!(f.with(|s| s.prs[0].reviewers.clone()), ["cat", "fay"]);
    let own = own_comments(&f);
    assert_eq!(own.len(), 2);
    assert!(
        own[1].starts_with("Taken by `@fay`: pull request #1."),
        "{}",
        own[1]
    );
    assert_eq!(f.with(|s| s.prs.len()), 1, "no second pull request");
    // Once: a third run writes nothing.
    let r = run(&f, &event);
    assert_eq!((r.requests, r.writes), (1, 0), "{}", r.out);
    assert_eq!(own_comments(&f).len(), 2);
}

/// In a repository of one rotation, a command that names another rotation
/// (`in sre`) is ignored, without a request, rather than answered for the
/// wrong one.
#[test]
fn a_rotation_named_in_a_repository_of_one_is_ignored() {
    let f = fake();
    let r = run(
        &f,
        &comment(&f, 100, "/swap 2027-01-06 in sre", "cat", "NONE"),
    );
    assert_eq!(r.code, Some(0), "{}", r.out);
    assert_eq!((r.requests, r.writes), (0, 0), "{}", r.out);
    assert!(
        r.out.contains("this repository has one rotation only"),
        "{}",
        r.out
    );
    assert!(own_comments(&f).is_empty());
}
