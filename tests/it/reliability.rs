//! The fault matrix: every HTTP request of a daily run, failed in every
//! way, then the run again with no fault. After each pair the repository is
//! what one clean run gives, there is one pull request, Slack got one
//! message, and no engineer's note is lost. The matrix is written into
//! docs/reliability.md (`ONCALL_UPDATE_DOCS=1 cargo test --test it reliability`
//! rewrites it; otherwise the test fails when the file is stale).

use crate::support;

use std::collections::BTreeMap;
use std::time::Duration;
use support::fake_github::{FakeGitHub, Fault, Target};
use support::fake_slack::{FakeSlack, Reply};
use support::repo::Repo;

const TEAM: &str = "team: Matrix team
timezone: Europe/Berlin
start: 2026-11-23
members:
  - { github: ana, name: Ana, slack: U0MATRIX01 }
  - { github: ben, name: Ben, slack: U0MATRIX02 }
  - { github: cai, name: Cai }
";
const NOTES: &str = "Paged the database owner; runbook written.";

#[derive(Clone, Copy, Debug)]
enum F {
    S500,
    S502,
    S503,
    Secondary403,
    TooMany429,
    Reset,
    Slow,
    Malformed,
}

const FAULTS: [F; 8] = [
    F::S500,
    F::S502,
    F::S503,
    F::Secondary403,
    F::TooMany429,
    F::Reset,
    F::Slow,
    F::Malformed,
];

impl F {
    fn name(self) -> &'static str {
        match self {
            F::S500 => "500",
            F::S502 => "502",
            F::S503 => "503",
            F::Secondary403 => "403 secondary limit",
            F::TooMany429 => "429",
            F::Reset => "connection reset",
            F::Slow => "slower than the timeout",
            F::Malformed => "malformed body",
        }
    }
    fn github(self) -> Fault {
        match self {
            F::S500 => Fault::Status(500),
            F::S502 => Fault::Status(502),
            F::S503 => Fault::Status(503),
            F::Secondary403 => Fault::SecondaryRateLimit(1),
            F::TooMany429 => Fault::TooMany(1),
            F::Reset => Fault::Drop,
            F::Slow => Fault::Slow(Duration::from_millis(4500)),
            F::Malformed => Fault::Malformed,
        }
    }
    fn slack(self) -> Reply {
        match self {
            F::S500 => Reply::ServerError(500),
            F::S502 => Reply::ServerError(502),
            F::S503 => Reply::ServerError(503),
            // Slack has no secondary limits; its closest answer is a 403.
            F::Secondary403 => Reply::Error(403, "action_prohibited"),
            F::TooMany429 => Reply::RateLimited(1),
            F::Reset => Reply::Drop,
            F::Slow => Reply::Slow(Duration::from_millis(4500)),
            F::Malformed => Reply::Malformed,
        }
    }
}

/// The requests of a daily run, in order.
#[derive(Clone, Copy, Debug)]
enum Req {
    Query,
    /// The n-th mutation document (0-based).
    Mutation(usize, &'static str),
    Slack,
}

struct Scenario {
    name: &'static str,
    date: &'static str,
    requests: Vec<Req>,
    /// The day before, already handed over, with notes on the branch.
    with_yesterday: bool,
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "first day: open the pull request",
            date: "2026-11-23",
            requests: vec![
                Req::Query,
                Req::Mutation(0, "branch, commit, pull request"),
                Req::Mutation(1, "reviews, label"),
                Req::Mutation(2, "claim the Slack post"),
                Req::Slack,
                Req::Mutation(3, "record the Slack post"),
            ],
            with_yesterday: false,
        },
        Scenario {
            name: "next day: update the pull request (with notes)",
            date: "2026-11-24",
            requests: vec![
                Req::Query,
                Req::Mutation(0, "commit, update, reviews"),
                Req::Mutation(1, "claim the Slack post"),
                Req::Slack,
                Req::Mutation(2, "record the Slack post"),
            ],
            with_yesterday: true,
        },
    ]
}

struct Run {
    code: Option<i32>,
    output: String,
}

fn run(gh: &FakeGitHub, slack: &FakeSlack, repo: &Repo, date: &str) -> Run {
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--slack", "--date", date])
        .envs(gh.env())
        .env("SLACK_WEBHOOK_URL", &slack.url)
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .env("GITHUB_STEP_SUMMARY", repo.path("summary.md"))
        .env("GITHUB_OUTPUT", repo.path("output.txt"))
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn setup(s: &Scenario) -> (FakeGitHub, FakeSlack, Repo) {
    let gh = FakeGitHub::start(&[("rotation.yaml", TEAM)]);
    gh.with(|st| {
        st.users = vec![
            ("ana".into(), "U_ana".into()),
            ("ben".into(), "U_ben".into()),
            ("cai".into(), "U_cai".into()),
        ]
    });
    let slack = FakeSlack::start();
    let repo = Repo::with("", None);
    if s.with_yesterday {
        let r = run(&gh, &slack, &repo, "2026-11-23");
        assert_eq!(r.code, Some(0), "{}", r.output);
        let log = gh
            .with(|st| st.file("oncall/handover", "oncall-log.md"))
            .unwrap();
        let edited = log.replacen("### Topics\n\n", &format!("### Topics\n\n{NOTES}\n"), 1);
        gh.with(|st| {
            st.commit(
                "oncall/handover",
                &[("oncall-log.md", Some(&edited))],
                "Notes",
            )
        });
    }
    (gh, slack, repo)
}

/// A pull request as compared: title, body, reviewers, labels, open.
type PrView = (String, String, Vec<String>, Vec<String>, bool);

/// What a run leaves behind: the branch's files, the pull requests, and
/// the Slack messages.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    rotation: String,
    log: String,
    prs: Vec<PrView>,
    posts: usize,
}

fn result(gh: &FakeGitHub, slack: &FakeSlack) -> Outcome {
    gh.with(|st| Outcome {
        rotation: st
            .file("oncall/handover", "rotation.yaml")
            .unwrap_or_default(),
        log: st
            .file("oncall/handover", "oncall-log.md")
            .unwrap_or_default(),
        prs: st
            .prs
            .iter()
            .map(|p| {
                let mut r = p.reviewers.clone();
                r.sort();
                // Each fake has its own port, which the links carry.
                (
                    p.title.clone(),
                    p.body.replace(&gh.url, "FAKE"),
                    r,
                    p.labels.clone(),
                    p.open,
                )
            })
            .collect(),
        posts: slack.posts().len(),
    })
}

/// One cell of the matrix: what it shows, and whether the clean rerun
/// converged to a clean run's result (counted, not assumed).
struct Cell {
    text: String,
    converged: bool,
}

/// Runs one cell; returns its outcome for the matrix.
fn cell(s: &Scenario, req: Req, fault: F, reference: &Outcome) -> Cell {
    let (gh, slack, repo) = setup(s);
    let posts_before = slack.posts().len();
    match req {
        Req::Query => gh.fail_nth(Target::Query, 0, fault.github()),
        Req::Mutation(n, _) => gh.fail_nth(Target::Mutation, n, fault.github()),
        Req::Slack => slack.script([fault.slack()]),
    }
    let first = run(&gh, &slack, &repo, s.date);
    assert!(
        slack.posts().len() - posts_before <= 1,
        "{req:?} × {fault:?}: two posts"
    );
    gh.with(|st| st.faults.clear());
    let second = run(&gh, &slack, &repo, s.date);
    let what = format!("{} / {req:?} × {}", s.name, fault.name());
    let got = result(&gh, &slack);
    // Whether the pair of runs ended where a clean run ends: measured here,
    // reported in the table and the count, asserted by the test.
    let converged = second.code == Some(0)
        && got == *reference
        && gh.with(|st| st.open_prs().len()) == 1
        && (!s.with_yesterday || got.log.matches(NOTES).count() == 1);
    if !converged {
        eprintln!(
            "{what}: did not converge:\nrerun exit {:?}\n{}",
            second.code, second.output
        );
    }
    // No secret anywhere: output, summary, PR bodies, the log.
    let mut places = vec![
        first.output.clone(),
        second.output.clone(),
        repo.read("summary.md"),
        got.log.clone(),
    ];
    places.extend(got.prs.iter().map(|p| p.1.clone()));
    for text in &places {
        support::secrets::assert_no_secret(text, &what, &[]);
    }
    let end = if converged {
        "converged"
    } else {
        "NOT converged"
    };
    let text = match first.code {
        Some(0) => match converged {
            true => "ok".to_owned(),
            false => "ok, NOT converged".to_owned(),
        },
        Some(code) => {
            // The first run said what happened.
            assert!(
                first.output.contains("error: "),
                "{what}: no error message:\n{}",
                first.output
            );
            format!("exit {code}, {end}")
        }
        None => panic!("{what}: killed"),
    };
    Cell { text, converged }
}

fn matrix() -> (String, usize, usize) {
    let mut out = String::new();
    let (mut cases, mut converged) = (0, 0);
    for s in scenarios() {
        let reference = {
            let (gh, slack, repo) = setup(&s);
            let r = run(&gh, &slack, &repo, s.date);
            assert_eq!(r.code, Some(0), "{}", r.output);
            result(&gh, &slack)
        };
        out.push_str(&format!(
            "\n### {}\n\n| request | {} |\n|---|{}\n",
            s.name,
            FAULTS.map(F::name).join(" | "),
            "---|".repeat(FAULTS.len())
        ));
        // The cells of a row run in parallel: each has its own fakes.
        let rows: BTreeMap<usize, Vec<Cell>> = std::thread::scope(|scope| {
            let handles: Vec<_> = s
                .requests
                .iter()
                .enumerate()
                .map(|(i, req)| {
                    let (s, reference) = (&s, &reference);
                    scope.spawn(move || {
                        (
                            i,
                            FAULTS
                                .iter()
                                .map(|f| cell(s, *req, *f, reference))
                                .collect::<Vec<_>>(),
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (i, cells) in rows {
            let label = match s.requests[i] {
                Req::Query => "GitHub: read (GraphQL query)".to_owned(),
                Req::Mutation(_, what) => format!("GitHub: write ({what})"),
                Req::Slack => "Slack: post".to_owned(),
            };
            cases += cells.len();
            converged += cells.iter().filter(|c| c.converged).count();
            let texts: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
            out.push_str(&format!("| {label} | {} |\n", texts.join(" | ")));
        }
    }
    (out, cases, converged)
}

#[test]
fn every_fault_of_every_request_converges() {
    let (table, cases, converged) = matrix();
    let section = format!(
        "<!-- fault-matrix:start -->\nCases run: **{cases}**; converged to a clean run's result: **{converged}**.\n{table}<!-- fault-matrix:end -->"
    );
    let path = "docs/reliability.md";
    let doc = std::fs::read_to_string(path).unwrap_or_default();
    let (Some(a), Some(b)) = (
        doc.find("<!-- fault-matrix:start -->"),
        doc.find("<!-- fault-matrix:end -->"),
    ) else {
        panic!("{path} has no fault-matrix markers");
    };
    let updated = format!(
        "{}{}{}",
        &doc[..a],
        section,
        &doc[b + "<!-- fault-matrix:end -->".len()..]
    );
    if std::env::var_os("ONCALL_UPDATE_DOCS").is_some() {
        std::fs::write(path, updated).unwrap();
    } else {
        assert_eq!(
            doc, updated,
            "{path} is stale: run `ONCALL_UPDATE_DOCS=1 cargo test --test it reliability`"
        );
    }
    assert_eq!(converged, cases, "every case converges (see the table)");
}

#[test]
fn two_runs_at_the_same_moment_make_one_pull_request_and_one_message() {
    let s = &scenarios()[0];
    let reference = {
        let (gh, slack, repo) = setup(s);
        assert_eq!(run(&gh, &slack, &repo, s.date).code, Some(0));
        result(&gh, &slack)
    };
    for round in 0..6 {
        let (gh, slack, _) = setup(s);
        // Both runs read, then wait for each other at the fake before
        // either writes: they overlap for certain.
        gh.hold_writes(2);
        let outs: Vec<Run> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let (gh, slack) = (&gh, &slack);
                    scope.spawn(move || run(gh, slack, &Repo::with("", None), s.date))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let what = format!("round {round}");
        assert_eq!(
            gh.gate.arrived(),
            2,
            "{what}: both runs reached the write together"
        );
        assert!(
            gh.with(|st| st.cas_refusals) >= 1,
            "{what}: one run's write was refused by the compare-and-swap"
        );
        for o in &outs {
            // Each run either did the work, found it done, or stopped
            // saying another run is at it.
            assert!(
                o.code == Some(0) || o.output.contains("error: "),
                "{what}: {}",
                o.output
            );
        }
        assert!(
            outs.iter().any(|o| o.code == Some(0)),
            "{what}: one run wins"
        );
        assert_eq!(
            gh.with(|st| st.prs.len()),
            1,
            "{what}: never two pull requests"
        );
        assert_eq!(
            slack.posts().len(),
            1,
            "{what}: never two messages, and one was sent"
        );
        // A later run finds everything done, and the result is a clean run's.
        let later = run(&gh, &slack, &Repo::with("", None), s.date);
        assert_eq!(later.code, Some(0), "{what}: {}", later.output);
        assert_eq!(result(&gh, &slack), reference, "{what}: converged");
    }
}
