//! The payloads as Slack receives them: snapshots of a normal, a catch-up
//! and an uncovered day; hostile and long text stays inert and uncut; and
//! Slack's own SDK accepts every payload.

use super::{HOSTILE, SNAP, hostile_team, payload, strings};
use crate::common::*;
use crate::support;
use oncall_core::slack::{self, Links};

#[test]
fn payload_of_a_normal_day() {
    let links = Links {
        pr: Some("https://github.com/acme/ops/pull/7".into()),
        log: Some("https://github.com/acme/ops/blob/main/oncall-log.md#L12".into()),
    };
    insta::assert_json_snapshot!("payload_normal_day", payload(SNAP, "", "2026-11-23", links));
}

#[test]
fn payload_of_a_catch_up_day() {
    let (t, l, _) = advance(SNAP, "", d("2026-11-23"));
    insta::assert_json_snapshot!(
        "payload_catch_up_day",
        payload(&t, &l, "2026-11-26", Links::default())
    );
}

#[test]
fn payload_of_an_uncovered_day() {
    let y = SNAP.replace("  - { github: ana, name: Ana, slack: U0SNAP0001 }", "  - { github: ana, name: Ana, slack: U0SNAP0001, away: [{ from: 2026-12-01, to: 2026-12-01 }] }");
    let (t, l, _) = advance(&y, "", d("2026-11-30"));
    let p = payload(&t, &l, "2026-12-01", Links::default());
    assert!(p["text"].as_str().unwrap().contains("uncovered"));
    insta::assert_json_snapshot!("payload_uncovered_day", p);
}

fn assert_inert(p: &serde_json::Value, what: &str) {
    let blocks = p["blocks"].as_array().unwrap();
    assert!(blocks.len() <= slack::MAX_BLOCKS);
    for b in blocks {
        if let Some(t) = b["text"]["text"].as_str() {
            assert!(
                t.chars().count() <= slack::MAX_SECTION_TEXT,
                "{what}: section too long"
            );
        }
    }
    let mut all = Vec::new();
    strings(p, &mut all);
    for s in all {
        // The only `<…>` allowed are mentions built from member IDs.
        // and the PR link, whose URL has its `<`, `>` and `|` percent-encoded.
        let cleaned = s.replace("<@U0SNAP0001>", "").replace(
            "<https://example.com/%3C!channel%3E%7Cx|Handover pull request>",
            "",
        );
        assert!(
            !cleaned.contains('<') && !cleaned.contains('>'),
            "{what}: unescaped angle bracket in {s:?}"
        );
        assert!(
            !s.chars().any(|c| c.is_control() && c != '\n'),
            "{what}: control character in {s:?}"
        );
        assert!(
            !s.chars().any(|c| ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "{what}: bidi control in {s:?}"
        );
    }
}

#[test]
fn hostile_text_reaches_slack_inert() {
    let long = "<!channel>".repeat(10_000);
    let mut corpus: Vec<String> = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
    corpus.push(long);
    let mut checked = 0;
    for s in &corpus {
        let y = hostile_team(s);
        if s.chars().any(oncall_core::escape::is_unsafe_in_text) {
            // A control character is refused before it can reach Slack
            // (tests/it/free_text.rs); `escape::slack` still drops them.
            assert!(
                oncall_core::config::load("rotation.yaml", &y).is_err(),
                "{s:?}"
            );
            checked += 3;
            continue;
        }
        for date in ["2026-11-23", "2026-11-26", "2026-11-30"] {
            let (t, l, _) = advance(&y, "", d("2026-11-23"));
            let p = if date == "2026-11-23" {
                payload(&y, "", date, Links::default())
            } else {
                payload(
                    &t,
                    &l,
                    date,
                    Links {
                        pr: Some("https://example.com/<!channel>|x".into()),
                        log: None,
                    },
                )
            };
            assert_inert(&p, &format!("{s:?} on {date}"));
            checked += 1;
        }
    }
    assert_eq!(checked, corpus.len() * 3);
}

#[test]
fn long_text_is_never_cut_inside_a_mention_and_the_fallback_keeps_who() {
    // Previously a section cut at 3000 characters could end in
    // `<@U0AAAA00…`, and the 300-character fallback lost the on-call
    // engineer's mention behind a long team name.
    for len in [280, 290, 2950, 2990, 2995, 3000] {
        let long = "x".repeat(len);
        let text = SNAP
            .replace("team: Payload team", &format!("team: \"{long}\""))
            .replace("name: Cai", &format!("name: \"{long}\""));
        for date in ["2026-11-23", "2026-11-24", "2026-11-25"] {
            let p = payload(&text, "", date, Links::default());
            let fallback = p["text"].as_str().unwrap();
            assert!(fallback.chars().count() <= slack::MAX_FALLBACK_TEXT);
            assert!(
                fallback.contains("is on call today"),
                "{len} {date}: {fallback}"
            );
            let who = match date {
                "2026-11-23" => "<@U0SNAP0001>",
                "2026-11-24" => "<@U0SNAP0002>",
                _ => "xxxxxxxxxx",
            };
            assert!(
                fallback.contains(who),
                "{len} {date}: the engineer is in the fallback: {fallback}"
            );
            assert!(fallback.contains(&format!("({date})")), "{fallback}");
            let mut texts = Vec::new();
            strings(&p, &mut texts);
            for s in texts {
                let opens = s.matches('<').count();
                let closes = s.matches('>').count();
                assert_eq!(opens, closes, "{len} {date}: a cut mention or link: {s}");
                if let Some(at) = s.rfind('&') {
                    assert!(s[at..].contains(';'), "{len} {date}: a cut entity: {s}");
                }
            }
        }
    }
}

/// Validates payloads with Slack's own SDK (slack_sdk's Block Kit models).
fn assert_slack_accepts(payloads: &[(String, serde_json::Value)]) {
    let items: Vec<_> = payloads
        .iter()
        .map(|(what, p)| serde_json::json!({ "what": what, "payload": p }))
        .collect();
    if let Err(found) = support::validators::slack_payloads(&items) {
        panic!("Slack's SDK rejects:\n{found}");
    }
}

#[test]
fn slacks_sdk_accepts_every_payload() {
    let mut payloads = Vec::new();
    let links = Links {
        pr: Some("https://github.com/acme/ops/pull/1".into()),
        log: Some("https://github.com/acme/ops/blob/oncall/handover/oncall-log.md#L9".into()),
    };
    // Ordinary, override, catch-up and uncovered days; long and hostile text.
    for date in ["2026-11-23", "2026-11-26", "2026-11-27", "2026-12-01"] {
        payloads.push((
            format!("snap {date}"),
            payload(SNAP, "", date, links.clone()),
        ));
    }
    // (The 100 KB name is checked for inertness above; here the lengths
    // near Slack's limits matter.)
    let mut corpus: Vec<String> = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
    corpus.push("<!channel>".repeat(299));
    corpus.push("x".repeat(2990));
    for s in corpus
        .iter()
        .filter(|s| !s.chars().any(oncall_core::escape::is_unsafe_in_text))
    {
        let y = hostile_team(s);
        for date in ["2026-11-23", "2026-11-26"] {
            let short: String = s.chars().take(20).collect();
            payloads.push((
                format!("hostile {short:?} {date}"),
                payload(&y, "", date, links.clone()),
            ));
        }
    }
    // The message of a morning whose rotation.yaml is broken.
    for s in &corpus {
        let bad = hostile_team(s).replace(
            "timezone: UTC",
            &format!("timezone: {}", serde_json::to_string(s).unwrap()),
        );
        let report = match oncall_core::config::load("rotation.yaml", &bad) {
            Err(e) => e.0,
            Ok(_) => panic!("expected an invalid file"),
        };
        payloads.push(("broken roster".into(), slack::failure_message(&report)));
    }
    assert!(payloads.len() > 30);
    assert_slack_accepts(&payloads);
}
