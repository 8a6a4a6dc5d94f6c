//! `log.archive: yearly` (issue 24, item 4): the first handover of a year
//! moves the finished year's day sections to `log/YYYY.md` with that
//! handover, the year's open threads and runbook debt carried into the log;
//! every reader reads across the archives. Locally and with `--pr` against
//! the fake GitHub (and Slack); a rerun changes nothing (R10); an archive
//! that is a link or too large is refused as any input file is; without
//! the setting nothing changes.

use crate::support;

use serde_json::Value;
use support::fake_github::FakeGitHub;
use support::fake_slack::FakeSlack;
use support::repo::Repo;

const ROTATION: &str = "team: Platform
timezone: Europe/Berlin
start: 2026-12-14
holidays:
  - { date: 2027-01-01, name: New Year }
members:
  - { github: ana, name: Ana }
  - { github: ben, name: Ben }
  - { github: cai, name: Cai }
log: { archive: yearly }
";

/// The same rotation without the setting.
fn one_file() -> String {
    ROTATION.replace("log: { archive: yearly }\n", "")
}

/// The first handover of 2027 (Monday; Friday the 1st is a holiday).
const NEW_YEAR: &str = "2027-01-04T08:00:00Z";

fn oncall(repo: &Repo, now: &str, args: &[&str]) -> std::process::Output {
    repo.oncall()
        .env("ONCALL_NOW", now)
        .args(args)
        .output()
        .unwrap()
}

fn ok(repo: &Repo, now: &str, args: &[&str]) -> String {
    let out = oncall(repo, now, args);
    assert!(
        out.status.success(),
        "{args:?}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn failed(repo: &Repo, now: &str, args: &[&str]) -> String {
    let out = oncall(repo, now, args);
    assert_eq!(out.status.code(), Some(2), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout)
}

/// A rotation handed over every working day of December 2026, with an
/// open thread and runbook debt (and a paid runbook, a closed thread)
/// written under two days' Topics.
fn december(rotation: &str) -> Repo {
    let repo = Repo::with(rotation, None);
    ok(&repo, "2026-12-14T08:00:00Z", &["advance"]);
    ok(&repo, "2026-12-31T08:00:00Z", &["advance"]);
    let log = repo.read("oncall-log.md");
    let topics = |log: &str, date: &str, items: &str| {
        let at = log.find(&format!("## {date}")).unwrap();
        let t = at + log[at..].find("### Topics\n\n").unwrap() + "### Topics\n\n".len();
        format!("{}{items}{}", &log[..t], &log[t..])
    };
    let log = topics(
        &log,
        "2026-12-15",
        "- [ ] waiting for the storage team on #12\n- [x] answered the DNS question\n",
    );
    let log = topics(
        &log,
        "2026-12-22",
        "- [ ] runbook: restore etcd from backup\n- [x] runbook: rotate certs https://example.org/certs.md\n",
    );
    std::fs::write(repo.path("oncall-log.md"), log).unwrap();
    repo
}

fn files_in(repo: &Repo) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for rel in ["rotation.yaml", "oncall-log.md", "log/2026.md"] {
        out.push((rel.to_owned(), repo.read(rel)));
    }
    out
}

#[test]
fn the_first_handover_of_a_year_moves_the_finished_year_and_carries_its_open_items() {
    let repo = december(ROTATION);
    let before = repo.read("oncall-log.md");
    ok(&repo, NEW_YEAR, &["advance"]);
    let log = repo.read("oncall-log.md");
    let archive = repo.read("log/2026.md");

    // Every 2026 section is in the archive, as it was, and none in the log.
    let first = before.find("## 2026-12-14").unwrap();
    let sections_2026 = before[first..].trim_end();
    assert!(
        archive.starts_with("# On-call log: Platform, 2026\n"),
        "{archive}"
    );
    assert!(archive.trim_end().ends_with(sections_2026), "{archive}");
    assert!(!log.contains("## 2026-"), "{log}");
    // The log: its header as it was, the carried block, then 2027.
    let header = &before[..first];
    assert!(log.starts_with(header.trim_end()), "{log}");
    let carried = "## Carried over from 2026

Open at the end of 2026, when its day sections moved to [log/2026.md](log/2026.md): tick each here when it is done.

- [ ] 2026-12-15 · `@ben` · waiting for the storage team on #12
- [ ] 2026-12-22 · `@ana` · runbook: restore etcd from backup

## 2027-01-04 · Monday";
    assert!(log.contains(carried), "{log}");
    // The new section lists them, and `open` and `runbooks` read them.
    let today = &log[log.find("## 2027-01-04").unwrap()..];
    assert!(today.contains("**Open threads (1)**"), "{today}");
    let open: Value =
        serde_json::from_str(&ok(&repo, NEW_YEAR, &["open", "--format", "json"])).unwrap();
    let threads = open["open_threads"].as_array().unwrap();
    assert_eq!(threads.len(), 1, "{open}");
    assert_eq!(threads[0]["date"], "2026-12-15");
    assert_eq!(threads[0]["by"], "ben");
    assert_eq!(threads[0]["text"], "waiting for the storage team on #12");
    let rb: Value =
        serde_json::from_str(&ok(&repo, NEW_YEAR, &["runbooks", "--format", "json"])).unwrap();
    assert_eq!(rb["open"].as_array().unwrap().len(), 1, "{rb}");
    assert_eq!(rb["open"][0]["text"], "runbook: restore etcd from backup");
    // The paid runbook stays in the archive, and says so.
    assert_eq!(rb["paid"].as_array().unwrap().len(), 1, "{rb}");
    assert_eq!(rb["paid"][0]["file"], "log/2026.md");

    // R10: a rerun changes nothing.
    let written = files_in(&repo);
    let again = ok(&repo, NEW_YEAR, &["advance"]);
    assert!(again.contains("handed over already"), "{again}");
    assert_eq!(files_in(&repo), written);

    // Ticked in the carried block, an item is closed.
    let ticked = log.replace(
        "- [ ] 2026-12-15 · `@ben` · waiting",
        "- [x] 2026-12-15 · `@ben` · waiting",
    );
    std::fs::write(repo.path("oncall-log.md"), ticked).unwrap();
    let open: Value =
        serde_json::from_str(&ok(&repo, NEW_YEAR, &["open", "--format", "json"])).unwrap();
    assert_eq!(open["open_threads"].as_array().unwrap().len(), 0, "{open}");

    // The next year's first handover moves 2027 and carries the debt on.
    let repo2 = Repo::with(ROTATION, None);
    for (rel, text) in &written {
        std::fs::create_dir_all(repo2.path("log")).unwrap();
        std::fs::write(repo2.path(rel), text).unwrap();
    }
    ok(&repo2, "2028-01-03T08:00:00Z", &["advance"]);
    let log = repo2.read("oncall-log.md");
    assert!(log.contains("## Carried over from 2027\n"), "{log}");
    assert!(
        log.contains("- [ ] 2026-12-22 · `@ana` · runbook: restore etcd from backup\n"),
        "{log}"
    );
    assert!(
        repo2
            .read("log/2027.md")
            .contains("## Carried over from 2026\n")
    );
    let rb: Value = serde_json::from_str(&ok(
        &repo2,
        "2028-01-03T08:00:00Z",
        &["runbooks", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        rb["open"].as_array().unwrap().len(),
        1,
        "carried once: {rb}"
    );
    let out = ok(&repo2, "2028-01-03T08:00:00Z", &["check"]);
    assert!(out.contains("with 2 yearly archive(s) in log"), "{out}");
}

/// `schedule` and `who` of past days, `stats` over both years and the
/// page read the archive: they say what the same rotation kept in one file
/// says.
#[test]
fn past_days_and_stats_read_across_the_archive() {
    let archived = december(ROTATION);
    let single = december(&one_file());
    ok(&archived, NEW_YEAR, &["advance"]);
    ok(&single, NEW_YEAR, &["advance"]);
    assert!(archived.path("log/2026.md").exists());
    assert!(
        !single.path("log").exists(),
        "without the setting, one file"
    );
    let same = |args: &[&str]| {
        let a = ok(&archived, NEW_YEAR, args);
        assert_eq!(a, ok(&single, NEW_YEAR, args), "{args:?}");
        a
    };
    let who = same(&["who", "2026-12-22"]);
    assert!(who.contains("ana"), "{who}");
    same(&["schedule", "--from", "2026-12-14", "--days", "28"]);
    same(&[
        "schedule",
        "--from",
        "2026-12-14",
        "--days",
        "28",
        "--format",
        "json",
    ]);
    let stats = same(&[
        "stats",
        "--since",
        "2026-12-14",
        "--until",
        "2027-01-04",
        "--format",
        "json",
    ]);
    let stats: Value = serde_json::from_str(&stats).unwrap();
    let served: u64 = stats["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["served"].as_u64().unwrap())
        .sum();
    assert_eq!(
        served, 15,
        "14 working days of December and 2027-01-04: {stats}"
    );
    // The page and the feed name the same people on the past days.
    for repo in [&archived, &single] {
        ok(repo, NEW_YEAR, &["site", "--out", "site"]);
    }
    assert_eq!(
        std::fs::read_to_string(archived.path("site/oncall.ics")).unwrap(),
        std::fs::read_to_string(single.path("site/oncall.ics")).unwrap()
    );
    let check = ok(&archived, NEW_YEAR, &["check"]);
    assert!(
        check.contains("oncall-log.md: ok (15 day sections, with 1 yearly archive(s) in log)"),
        "{check}"
    );
}

/// A move that stopped halfway (the archive written, not the log) is read
/// as if it had not started, and the next run completes it.
#[test]
fn a_move_that_stopped_halfway_is_completed_by_the_next_run() {
    let done = december(ROTATION);
    let half = december(ROTATION);
    ok(&done, NEW_YEAR, &["advance"]);
    std::fs::create_dir_all(half.path("log")).unwrap();
    std::fs::write(half.path("log/2026.md"), done.read("log/2026.md")).unwrap();
    // Readers: the log still holds 2026, the archive is not read twice.
    let check = ok(&half, NEW_YEAR, &["check"]);
    assert!(
        check.contains("(14 day sections, with 1 yearly archive(s) in log)"),
        "{check}"
    );
    assert_eq!(
        ok(&half, NEW_YEAR, &["who", "2026-12-22"]),
        ok(&done, NEW_YEAR, &["who", "2026-12-22"])
    );
    ok(&half, NEW_YEAR, &["advance"]);
    assert_eq!(files_in(&half), files_in(&done));
}

/// An archive with other text than the move would write is never
/// overwritten: the run refuses and writes nothing.
#[test]
fn an_archive_with_other_text_is_never_overwritten() {
    let repo = december(ROTATION);
    std::fs::create_dir_all(repo.path("log")).unwrap();
    std::fs::write(repo.path("log/2026.md"), "# notes by hand\n").unwrap();
    let before = files_in(&repo);
    let err = failed(&repo, NEW_YEAR, &["advance"]);
    assert!(
        err.contains("log/2026.md exists already with other text, so nothing was written"),
        "{err}"
    );
    assert_eq!(files_in(&repo), before);
}

/// An archive with a section of another year is an error at its line, for
/// `check` and every reader.
#[test]
fn check_validates_the_archives() {
    let repo = december(ROTATION);
    ok(&repo, NEW_YEAR, &["advance"]);
    let archive = repo.read("log/2026.md");
    let bad = archive.replace("## 2026-12-14 · Monday", "## 2025-12-14 · Sunday");
    std::fs::write(repo.path("log/2026.md"), &bad).unwrap();
    let line = bad
        .lines()
        .position(|l| l.starts_with("## 2025-12-14"))
        .unwrap()
        + 1;
    let out = failed(&repo, NEW_YEAR, &["check"]);
    assert!(
        out.contains(&format!(
            "log/2026.md:{line}:4: error: a section of 2025-12-14 in the archive of 2026"
        )),
        "{out}"
    );
    let out = failed(&repo, NEW_YEAR, &["who", "2026-12-22"]);
    assert!(out.contains("log/2026.md"), "{out}");
    // Out of order inside the archive: the log's own rules apply there too.
    let swapped = archive.replace("## 2026-12-15 · Tuesday", "## 2026-12-10 · Thursday");
    std::fs::write(repo.path("log/2026.md"), swapped).unwrap();
    let out = failed(&repo, NEW_YEAR, &["check"]);
    assert!(out.contains("log/2026.md:"), "{out}");
}

/// An archive is read through the same reader as every input file: a link
/// (the file or the directory) and a file over the limit are refused.
#[cfg(unix)]
#[test]
fn an_archive_that_is_a_link_or_too_large_is_refused() {
    let repo = december(ROTATION);
    ok(&repo, NEW_YEAR, &["advance"]);
    let real = repo.read("log/2026.md");
    // A link to a file elsewhere.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("2026.md"), &real).unwrap();
    std::fs::remove_file(repo.path("log/2026.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("2026.md"), repo.path("log/2026.md")).unwrap();
    for args in [
        &["check"][..],
        &["who", "2026-12-22"],
        &["stats"],
        &["advance"],
    ] {
        let out = failed(&repo, NEW_YEAR, args);
        assert!(
            out.contains("log/2026.md") && out.contains("link"),
            "{args:?}: {out}"
        );
    }
    // The directory a link.
    std::fs::remove_file(repo.path("log/2026.md")).unwrap();
    std::fs::remove_dir(repo.path("log")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path("log")).unwrap();
    let out = failed(&repo, NEW_YEAR, &["who", "2026-12-22"]);
    assert!(out.contains("link"), "{out}");
    std::fs::remove_file(repo.path("log")).unwrap();
    // Too large.
    std::fs::create_dir(repo.path("log")).unwrap();
    let f = std::fs::File::create(repo.path("log/2026.md")).unwrap();
    f.set_len(oncall_core::files::MAX_FILE_BYTES + 1).unwrap();
    let out = failed(&repo, NEW_YEAR, &["who", "2026-12-22"]);
    assert!(
        out.contains("log/2026.md") && out.contains("more than the"),
        "{out}"
    );
}

/// Without the setting, a `log/` directory beside the log is not read and
/// the year's first handover moves nothing.
#[test]
fn without_the_setting_the_log_stays_one_file() {
    let repo = december(&one_file());
    std::fs::create_dir(repo.path("log")).unwrap();
    std::fs::write(repo.path("log/2026.md"), "## 2026-99-99 not a log\n").unwrap();
    let before = repo.read("oncall-log.md");
    ok(&repo, NEW_YEAR, &["check"]);
    ok(&repo, NEW_YEAR, &["advance"]);
    let log = repo.read("oncall-log.md");
    assert!(log.starts_with(&before), "only appended");
    assert!(!log.contains("Carried over"));
    assert_eq!(repo.read("log/2026.md"), "## 2026-99-99 not a log\n");
}

fn pr_run(f: &FakeGitHub, slack: &FakeSlack, date: &str) -> (String, usize) {
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    let before = f.requests().len();
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--slack", "--date", date])
        .env("ONCALL_NOW", format!("{date}T08:00:00Z"))
        .envs(f.env())
        .env("SLACK_WEBHOOK_URL", &slack.url)
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    for req in &f.requests()[before..] {
        if let Some(doc) = &req.document {
            support::graphql::assert_valid(doc, &req.what);
        }
    }
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    (text, f.requests().len() - before)
}

/// With `--pr`: the archive, the shortened log and rotation.yaml in one
/// commit of the handover pull request, the same files a local run
/// writes; a rerun makes one request and changes nothing; Slack is told
/// once; after the merge the next day works from the shortened log. An
/// archive on the base that the move would overwrite refuses the run.
#[test]
fn with_pr_the_archive_is_committed_with_the_handover() {
    let local = december(ROTATION);
    let seed = [
        ("rotation.yaml", local.read("rotation.yaml")),
        ("oncall-log.md", local.read("oncall-log.md")),
    ];
    ok(&local, NEW_YEAR, &["advance"]);
    let f = FakeGitHub::start(&[
        ("rotation.yaml", seed[0].1.as_str()),
        ("oncall-log.md", seed[1].1.as_str()),
    ]);
    let slack = FakeSlack::start();
    let (_, requests) = pr_run(&f, &slack, "2027-01-04");
    assert_eq!(
        requests,
        3 + 2,
        "query, branch + commit + PR, reviews + label; Slack's claim and record"
    );
    let branch = f.with(|s| s.files("oncall/handover"));
    // The same files as the local run, in one commit on top of the base.
    for (path, text) in files_in(&local) {
        assert_eq!(branch.get(&path), Some(&text), "{path}");
    }
    let head = f.with(|s| s.head("oncall/handover")).unwrap();
    let base = f.with(|s| s.head("main")).unwrap();
    assert_eq!(f.with(|s| s.commits[&head].parents.clone()), vec![base]);
    assert_eq!(slack.posts().len(), 1);
    let pr = &f.with(|s| s.open_prs())[0];
    assert!(
        pr.body
            .contains("this commit moves the finished year's day sections to `log/2026.md`"),
        "{}",
        pr.body
    );
    // Its one link: today's section of the log on the branch.
    let at = pr
        .body
        .find("/blob/oncall/handover/oncall-log.md#L")
        .unwrap();
    let start = pr.body[..at].rfind("http").unwrap();
    let end = at + pr.body[at..].find(')').unwrap();
    let log_link = &pr.body[start..end];
    support::validators::github_markdown(&[
        serde_json::json!({ "what": "PR body with an archive", "text": pr.body, "links": [log_link] }),
    ])
    .unwrap();

    // A rerun: one request, nothing written, Slack not told again.
    let (out, requests) = pr_run(&f, &slack, "2027-01-04");
    assert_eq!(requests, 1, "{out}");
    assert_eq!(f.with(|s| s.head("oncall/handover")), Some(head));
    assert_eq!(slack.posts().len(), 1);

    // Not merged yet, the next day updates the pull request: the same
    // archive, the log with both days.
    let (out, requests) = pr_run(&f, &slack, "2027-01-05");
    assert_eq!(requests, 2 + 2, "{out}");
    let branch = f.with(|s| s.files("oncall/handover"));
    assert_eq!(branch["log/2026.md"], local.read("log/2026.md"));
    let log = &branch["oncall-log.md"];
    assert!(log.contains("## Carried over from 2026\n"), "{log}");
    assert!(
        log.contains("## 2027-01-04 · Monday") && log.contains("## 2027-01-05 · Tuesday"),
        "{log}"
    );
    assert!(!log.contains("## 2026-"), "{log}");

    // Merged, the next day hands over from the shortened log.
    f.with(|s| s.merge(1));
    let (out, requests) = pr_run(&f, &slack, "2027-01-06");
    assert_eq!(requests, 3 + 2, "{out}");
    let branch = f.with(|s| s.files("oncall/handover"));
    let log = &branch["oncall-log.md"];
    assert!(log.contains("## Carried over from 2026\n"), "{log}");
    assert!(log.contains("## 2027-01-06 · Wednesday"), "{log}");
    assert_eq!(branch["log/2026.md"], local.read("log/2026.md"));
    let today = &log[log.find("## 2027-01-06").unwrap()..];
    assert!(today.contains("**Runbook debt (1)**"), "{today}");
    assert_eq!(slack.posts().len(), 3, "one post a day");

    // An archive on the base with other text: refused, nothing written.
    let f = FakeGitHub::start(&[
        ("rotation.yaml", seed[0].1.as_str()),
        ("oncall-log.md", seed[1].1.as_str()),
        ("log/2026.md", "# by hand\n"),
    ]);
    let repo = Repo::with("", None);
    let out = repo
        .oncall()
        .args(["advance", "--pr", "--date", "2027-01-04"])
        .env("ONCALL_NOW", NEW_YEAR)
        .envs(f.env())
        .env("ONCALL_HTTP_TIMEOUT", "2")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("log/2026.md exists already"), "{err}");
    assert_eq!(f.with(|s| s.head("oncall/handover")), None);
}
