//! Carried links keep working (issue 22, bug 5): an open thread and a
//! runbook item with a Grafana URL, `#123`, `org/repo#45`, a github.com
//! issue URL and an @-mention, carried into the next log section, the
//! handover pull request's body (the fake GitHub) and `oncall runbooks
//! --format markdown`. Rendered with cmark-gfm (GitHub's renderer): the
//! Grafana URL is a working link, to exactly the URL written; no
//! reference and no mention is live (each in a code span, copyable as
//! written); nothing else is changed.

use crate::support;

use serde_json::json;
use support::fake_github::FakeGitHub;
use support::fake_slack::FakeSlack;
use support::repo::Repo;

const NOW: &str = "2027-01-25T08:00:00Z";
const GRAFANA: &str = "https://grafana.example.com/d/abc/api?var-ns=prod&from=now-6h";
const ITEM: &str = "check https://grafana.example.com/d/abc/api?var-ns=prod&from=now-6h \
    (see #123, org/repo#45 and https://github.com/org/repo/issues/7) with @octocat";
/// The item as carried: the references and the mention in code spans.
const CARRIED: &str = "check https://grafana.example.com/d/abc/api?var-ns=prod&from=now-6h \
    (see `#123`, `org/repo#45` and `https://github.com/org/repo/issues/7`) with `@octocat`";

fn text(path: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/topics/{path}")).unwrap()
}

/// The topics fixture's log with the item as an open thread and as
/// runbook debt, under 2027-01-05's Topics.
fn log() -> String {
    let log = text("oncall-log.md");
    let at = "- [ ] waiting for the storage team";
    assert!(log.contains(at));
    log.replacen(at, &format!("- [ ] {ITEM}\n- [ ] runbook: {ITEM}\n{at}"), 1)
}

fn run(repo: &Repo, args: &[&str]) -> String {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", NOW)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The href of every link cmark-gfm renders in `markdown`.
fn rendered_links(markdown: &str) -> Vec<String> {
    let script = "import sys, re, cmarkgfm\n\
        html = cmarkgfm.github_flavored_markdown_to_html(sys.stdin.read())\n\
        print('\\n'.join(re.findall(r'href=\"([^\"]*)\"', html)))\n";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(markdown.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "cmarkgfm: run `.ci/tools`");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.replace("&amp;", "&"))
        .collect()
}

/// Every place: the item as carried, the Grafana link working, no live
/// reference or mention (gfm_check.py: the Grafana link allowed, and
/// `also`, the links the output has anyway).
fn check(what: &str, markdown: &str, carried: &str, also: &[&str]) {
    assert!(markdown.contains(carried), "{what}:\n{markdown}");
    assert!(!markdown.contains('\u{2060}'), "{what}: a word joiner");
    let links = rendered_links(markdown);
    assert!(links.iter().any(|l| l == GRAFANA), "{what}: {links:?}");
    let allowed = [&[GRAFANA], also].concat();
    support::validators::github_markdown(&[
        json!({ "what": what, "text": markdown, "links": allowed }),
    ])
    .unwrap();
}

#[test]
fn the_next_log_section_carries_links_that_work() {
    let repo = Repo::with(&text("rotation.yaml"), Some(&log()));
    run(&repo, &["advance"]);
    let log = repo.read("oncall-log.md");
    let section = &log[log.find("## 2027-01-25").unwrap()..];
    check(
        "the log section",
        section,
        &format!("(`@demo-b`): {CARRIED}\n"),
        &[],
    );
}

#[test]
fn runbooks_as_markdown_carry_links_that_work() {
    let repo = Repo::with(&text("rotation.yaml"), Some(&log()));
    let md = run(&repo, &["runbooks", "--format", "markdown"]);
    // The fixture's paid runbook links to itself.
    let paid = ["https://example.org/certs.md"];
    check(
        "runbooks --format markdown",
        &md,
        &format!("| {CARRIED} |"),
        &paid,
    );
    let md = run(&repo, &["open", "--format", "markdown"]);
    check(
        "open --format markdown",
        &md,
        &format!("| {CARRIED} |"),
        &[],
    );
}

#[test]
fn the_pull_request_body_carries_links_that_work() {
    let f = FakeGitHub::start(&[
        ("rotation.yaml", &text("rotation.yaml")),
        ("oncall-log.md", &log()),
    ]);
    f.with(|s| {
        s.users = ["demo-a", "demo-b", "demo-c", "demo-d", "demo-e"]
            .iter()
            .map(|l| (l.to_string(), format!("U_{l}")))
            .collect()
    });
    let slack = FakeSlack::start();
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--date", "2027-01-25"])
        .env("ONCALL_NOW", NOW)
        .envs(f.env())
        .env("SLACK_WEBHOOK_URL", &slack.url)
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body = f.with(|s| s.open_prs()[0].body.clone());
    // The body links to the log on the branch (the fake's address).
    let own = ["http://127.0.0.1:"];
    check(
        "the pull request body",
        &body,
        &format!("(`@demo-b`): {CARRIED}\n"),
        &own,
    );
    let branch_log = f
        .with(|s| s.file("oncall/handover", "oncall-log.md"))
        .unwrap();
    let section = &branch_log[branch_log.find("## 2027-01-25").unwrap()..];
    check(
        "the branch's log section",
        section,
        &format!("(`@demo-b`): {CARRIED}\n"),
        &[],
    );
}
