//! Hostile text in every text field of rotation.yaml, checked in every
//! place it goes: the log, the PR title and body, the Slack payload, the
//! annotations, the step summary and the terminal. Each sink must show it
//! inert. Text with a control character, a bidi control or a line
//! separator is refused before it reaches any (`config::text`): then the
//! sinks of a broken file (annotations, the step summary, the comment)
//! must be inert.

use crate::support;

use support::fake_github::{FakeGitHub, NAME, OWNER};
use support::fake_slack::FakeSlack;
use support::repo::Repo;

fn corpus() -> Vec<String> {
    let mut c: Vec<String> = [
        "<!channel> <!here> <@U0HOSTILE1>",
        "<https://evil.example|the docs>",
        "*bold* _it_ ~s~ `code` [x](https://evil.example) ![i](https://evil.example/i.png)",
        "<b>html</b> <script>alert(1)</script> &amp; &lt;",
        "@everyone @acme/sre #1 GH-2",
        "@octocat @org/team and #42, gh-7, owner/repo#42 (x#1)",
        "see https://github.com/acme/ops/issues/1 or www.example.com",
        "::set-output name=oncall::mallory ::add-mask::x ::error::fake ##[set-output name=oncall;]mallory",
        "\u{1b}[31mred\u{1b}[0m \u{7}bell \u{0}nul \u{8}back",
        "rtl \u{202E}gnp.exe\u{202C} \u{2066}iso\u{2069}",
        "two\nlines\r\n## 2026-12-01 · a fake day heading",
        "| table | cell |",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    c.push("<!channel>".repeat(10_000));
    c
}

/// rotation.yaml with `s` in every text field.
fn team(s: &str) -> String {
    let q = serde_json::to_string(s).unwrap();
    format!(
        "team: {q}\ntimezone: Europe/Berlin\nstart: 2026-11-23\nholidays:\n  - {{ date: 2026-12-25, name: {q} }}\nmembers:\n  - {{ github: ana, name: {q}, slack: U0HOSTILE1 }}\n  - {{ github: ben, name: {q}, away: [{{ from: 2026-11-24, to: 2026-11-24, reason: {q} }}] }}\n  - {{ github: cai, name: {q} }}\noverrides:\n  - {{ date: 2026-11-25, github: ana, reason: {q} }}\nduties:\n  - {q}\n  - Check the console\n"
    )
}

fn no_controls(text: &str, what: &str) {
    for c in text.chars() {
        let bidi = ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c);
        assert!(
            !(bidi || c.is_control() && c != '\n'),
            "{what}: a control or bidi character {c:?} got through"
        );
    }
}

/// Markdown: every `<` is escaped or opens our own HTML comment or our
/// fixed collapsible block (`<details>`, `<summary>`); no link, image or
/// HTML can form; headings are only the ones we write.
fn markdown_inert(text: &str, what: &str) {
    no_controls(text, what);
    for (i, _) in text.match_indices('<') {
        let escaped = i > 0 && text.as_bytes()[i - 1] == b'\\';
        assert!(
            escaped
                || [
                    "<!-- ",
                    "<details>\n",
                    "</details>\n",
                    "<summary>Fairness: days on call per member</summary>\n",
                    "</summary>\n"
                ]
                .iter()
                .any(|ours| text[i..].starts_with(ours)),
            "{what}: raw `<` at {i}: {:?}",
            &text[i..(i + 40).min(text.len())]
        );
    }
    for (i, _) in text.match_indices("](") {
        assert!(
            i > 0 && text.as_bytes()[i - 1] == b'\\'
                || text[..i].ends_with("Today's section of the log"),
            "{what}: a link formed at {i}"
        );
    }
}

/// A text that goes to GitHub, for the cmark-gfm check.
fn github_sink(what: String, text: &str, plain: bool) -> serde_json::Value {
    serde_json::json!({
        "what": what,
        "text": text,
        "plain": plain,
        // Our own links: the log section on the handover branch, the PR.
        "links": [
            format!("https://github.com/{OWNER}/{NAME}/blob/"),
            format!("https://github.com/{OWNER}/{NAME}/pull/"),
        ],
    })
}

/// Renders every GitHub sink with cmark-gfm (GitHub's renderer, GFM
/// extensions on) and checks that no text outside code forms a mention,
/// an issue reference or a link (`tests/support/gfm_check.py`).
fn assert_no_mention_or_reference(sinks: &[serde_json::Value]) {
    if let Err(found) = support::validators::github_markdown(sinks) {
        panic!("GitHub would notify or cross-reference:\n{found}");
    }
}

/// One test per string of the corpus, so that they run in parallel.
macro_rules! each_string {
    ($($name:ident => $i:expr),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                inert_in_every_sink($i);
            }
        )*
        #[test]
        fn every_string_of_the_corpus_has_its_test() {
            assert_eq!(corpus().len(), [$($i),*].len());
        }
    };
}

each_string! {
    slack_mentions_are_inert => 0,
    slack_links_are_inert => 1,
    markdown_is_inert => 2,
    html_is_inert => 3,
    github_mentions_and_references_are_inert => 4,
    team_mentions_and_cross_references_are_inert => 5,
    urls_are_inert => 6,
    workflow_commands_are_inert => 7,
    terminal_escapes_are_inert => 8,
    bidi_controls_are_inert => 9,
    line_breaks_and_fake_headings_are_inert => 10,
    table_cells_are_inert => 11,
    a_long_text_is_inert => 12,
}

/// The corpus's string `index` in every place it goes.
fn inert_in_every_sink(index: usize) {
    let mut checked = 0;
    let mut github_sinks = Vec::new();
    {
        let s = corpus().swap_remove(index);
        let short: String = s.chars().take(30).collect();
        let what = |sink: &str| format!("{sink} with {short:?}");
        let refused = s.chars().any(oncall_core::escape::is_unsafe_in_text);
        if refused {
            // Refused at validation, in every field, before any sink.
            let repo = Repo::with(&team(&s), None);
            let out = repo.oncall().arg("check").output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{}", what("check"));
            let printed = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                printed.matches(": error: ").count(),
                printed.matches("` contains ").count(),
                "{}: {printed}",
                what("check")
            );
            assert!(
                printed.contains("rotation.yaml:1:7: error: `team` contains"),
                "{printed}"
            );
            let out = repo
                .oncall()
                .args(["advance", "--date", "2026-11-25"])
                .env("GITHUB_STEP_SUMMARY", repo.path("summary.md"))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{}", what("advance"));
            assert!(!repo.path("oncall-log.md").exists(), "{}", what("advance"));
            no_controls(&String::from_utf8_lossy(&out.stderr), &what("terminal"));
            checked += 2;
        }

        // Annotations: the text in an error message.
        let bad = team(&s).replace(
            "timezone: Europe/Berlin",
            &format!("timezone: {}", serde_json::to_string(&s).unwrap()),
        );
        let bad_repo = Repo::with(&bad, None);
        let out = bad_repo
            .oncall()
            .args(["check", "--format", "github"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let annotations = String::from_utf8_lossy(&out.stdout).into_owned();
        no_controls(&annotations, &what("annotations"));
        for line in annotations.lines() {
            assert!(
                line.starts_with("::error file=") || line.starts_with("::warning file="),
                "{}: a line that is not our annotation: {line:?}",
                what("annotations")
            );
        }
        // The step summary of a run stopped by the broken file, and the
        // comment left on a pull request a person changed.
        let out = bad_repo
            .oncall()
            .arg("advance")
            .env("GITHUB_STEP_SUMMARY", bad_repo.path("summary.md"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let failure = bad_repo.read("summary.md");
        assert!(failure.contains("No on-call handover today"), "{failure}");
        markdown_inert(&failure, &what("step summary (broken file)"));
        github_sinks.push(github_sink(
            what("step summary (broken file)"),
            &failure,
            false,
        ));
        let comment = oncall_core::pr::foreign_comment(&s, "oncall/handover");
        github_sinks.push(github_sink(
            what("comment on a changed branch"),
            &comment,
            false,
        ));
        checked += 1;

        if !refused {
            // Local: the log, the terminal, the step summary.
            let repo = Repo::with(&team(&s), None);
            let out = repo
                .oncall()
                .args(["advance", "--date", "2026-11-25"])
                .env("GITHUB_STEP_SUMMARY", repo.path("summary.md"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let log = repo.read("oncall-log.md");
            markdown_inert(&log, &what("log"));
            github_sinks.push(github_sink(what("log"), &log, false));
            let parsed = oncall_core::log::parse("log", &log).unwrap();
            assert_eq!(
                parsed.records.len(),
                3,
                "{}: a fake day heading was created",
                what("log")
            );
            checked += 1;
            no_controls(&String::from_utf8_lossy(&out.stdout), &what("terminal"));
            no_controls(&String::from_utf8_lossy(&out.stderr), &what("terminal"));
            for args in [
                vec!["schedule", "--from", "2026-11-23"],
                vec!["who", "2026-11-25"],
                vec!["schedule", "--from", "2026-11-23", "--format", "json"],
            ] {
                let out = repo.oncall().args(&args).output().unwrap();
                assert!(out.status.success());
                no_controls(&String::from_utf8_lossy(&out.stdout), &what("terminal"));
            }
            checked += 1;

            // GitHub and Slack: the PR title and body, the step summary, the payload.
            let gh = FakeGitHub::start(&[("rotation.yaml", &team(&s))]);
            gh.with(|st| {
                st.users = vec![("ana".into(), "U_a".into()), ("ben".into(), "U_b".into())]
            });
            let slack = FakeSlack::start();
            let pr_repo = Repo::with("", None);
            let out = pr_repo
                .oncall()
                .args(["advance", "--pr", "--slack", "--date", "2026-11-25"])
                .envs(gh.env())
                .env("SLACK_WEBHOOK_URL", &slack.url)
                .env("GITHUB_STEP_SUMMARY", pr_repo.path("summary.md"))
                .env("GITHUB_SERVER_URL", "https://github.com")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let pr = gh.with(|st| st.open_prs()[0].clone());
            // No secret reaches any sink, hostile input or not.
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for text in [
                &printed,
                &pr.body,
                &pr_repo.read("summary.md"),
                &gh.with(|st| st.file("oncall/handover", "oncall-log.md"))
                    .unwrap_or_default(),
            ] {
                support::secrets::assert_no_secret(text, &what("secrets"), &[]);
            }
            no_controls(&pr.title, &what("PR title"));
            assert!(
                pr.title
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || " -:@→".contains(c)),
                "{}: {:?}",
                what("PR title"),
                pr.title
            );
            markdown_inert(&pr.body, &what("PR body"));
            markdown_inert(&pr_repo.read("summary.md"), &what("step summary"));
            markdown_inert(&repo.read("summary.md"), &what("step summary (local)"));
            let branch_log = gh
                .with(|st| st.file("oncall/handover", "oncall-log.md"))
                .unwrap_or_default();
            let messages: Vec<String> =
                gh.with(|st| st.commits.values().map(|c| c.message.clone()).collect());
            github_sinks.extend([
                github_sink(what("PR title"), &pr.title, true),
                github_sink(what("PR body"), &pr.body, false),
                github_sink(what("step summary"), &pr_repo.read("summary.md"), false),
                github_sink(
                    what("step summary (local)"),
                    &repo.read("summary.md"),
                    false,
                ),
                github_sink(what("log on the branch"), &branch_log, false),
            ]);
            for (i, m) in messages.iter().enumerate() {
                github_sinks.push(github_sink(what(&format!("commit message {i}")), m, true));
            }
            for (i, c) in pr.comments.iter().enumerate() {
                github_sinks.push(github_sink(what(&format!("comment {i}")), &c.body, false));
            }
            checked += 4;
            let payload = slack.posts().pop().expect("posted");
            let mut strings = Vec::new();
            collect(&payload, &mut strings);
            for text in strings {
                no_controls(&text.replace('\n', " "), &what("Slack"));
                // Our own mention and links are the only `<…>` allowed.
                let mut cleaned = text.replace("<@U0HOSTILE1>", "");
                let ours = format!("<https://github.com/{OWNER}/{NAME}/");
                while let Some(i) = cleaned.find(&ours) {
                    let end = cleaned[i..].find('>').map_or(cleaned.len(), |e| i + e + 1);
                    cleaned.replace_range(i..end, "");
                }
                assert!(
                    !cleaned.contains('<') && !cleaned.contains('>'),
                    "{}: {text:?}",
                    what("Slack")
                );
            }
            checked += 1;
        }
    }
    let refused = corpus()[index]
        .chars()
        .any(oncall_core::escape::is_unsafe_in_text);
    assert_eq!(
        checked,
        if refused { 3 } else { 8 },
        "every sink was checked"
    );
    assert_no_mention_or_reference(&github_sinks);
}

fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect(x, out)),
        _ => {}
    }
}
