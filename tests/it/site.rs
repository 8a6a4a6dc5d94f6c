//! The schedule page (`oncall site`): its files, its escaping, and what a
//! person sees in a real browser (headless Chromium, at desktop and phone
//! widths), with screenshots kept in target/screenshots/site/.

use crate::support;

use serde_json::json;
use support::repo::Repo;
use support::validators;

/// A week handed over, then a month ahead with every kind of day: a
/// holiday, an override with a reason, a substitute, an uncovered day, a
/// name that must show as typed, and one long word of a name (it widened
/// the fairness table past a phone's width).
const TEAM: &str = r#"team: Site & <Team>
timezone: Europe/Berlin
start: 2027-02-22
holidays:
  - { date: 2027-03-08, name: Women's Day }
members:
  - github: demo-zoe
    name: Zoë <b>Bold</b> & Co
    away: [{ from: 2027-03-10, to: 2027-03-10, reason: private dentist visit }]
  - github: demo-ben
    away: [{ from: 2027-03-02, to: 2027-03-02 }, { from: 2027-03-10, to: 2027-03-10 }]
  - github: demo-cem
    away: [{ from: 2027-03-10, to: 2027-03-10 }]
  - github: demo-max
    name: Maximilianbartholomäuskonstantinfriedrichwilhelmvonhohenzollern
    away: [{ from: 2027-03-10, to: 2027-03-10 }]
overrides:
  - { date: 2027-03-05, github: demo-cem, reason: "release day, Cem ships it" }
"#;

const NOW: &str = "2027-03-01T07:00:00Z";

fn site() -> (Repo, tempfile::TempDir) {
    let repo = Repo::with(TEAM, None);
    for day in ["22", "23", "24", "25", "26"] {
        let out = repo
            .oncall()
            .env("ONCALL_NOW", format!("2027-02-{day}T07:00:00Z"))
            .arg("advance")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out_dir = tempfile::tempdir().unwrap();
    let out = repo
        .oncall()
        .env("ONCALL_NOW", NOW)
        .args(["site", "--out"])
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (repo, out_dir)
}

#[test]
fn the_site_has_the_page_and_every_feed() {
    let (_repo, dir) = site();
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "index.html",
            "oncall-demo-ben.ics",
            "oncall-demo-cem.ics",
            "oncall-demo-max.ics",
            "oncall-demo-zoe.ics",
            "oncall.ics"
        ]
    );
    let page = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    // Escaped for HTML; private reasons for time off are not published.
    assert!(
        page.contains("Zoë &lt;b&gt;Bold&lt;/b&gt; &amp; Co"),
        "{page}"
    );
    assert!(!page.contains("<b>Bold"));
    assert!(page.contains("On call: Site &amp; &lt;Team&gt;"));
    assert!(!page.contains("dentist"));
    assert!(!page.to_lowercase().contains("<script"));
    // The links to the feeds are there, and the feeds parse.
    for f in ["oncall.ics", "oncall-demo-zoe.ics"] {
        assert!(page.contains(&format!("href=\"{f}\"")));
        let feed = std::fs::read_to_string(dir.path().join(f)).unwrap();
        let parsed = validators::ics(&feed).unwrap();
        assert!(!parsed["events"].as_array().unwrap().is_empty(), "{f}");
    }
}

/// In a real browser, at 1280 and 375 px: today's engineer, a holiday, an
/// uncovered day and an override's reason are visible, the name shows as
/// typed, and nothing scrolls sideways.
#[test]
fn the_page_shows_the_rotation_in_chromium() {
    let (repo, dir) = site();
    let who = repo
        .oncall()
        .env("ONCALL_NOW", NOW)
        .args(["schedule", "--days", "1", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&who.stdout).unwrap();
    let today = rows[0]["github"].as_str().unwrap().to_owned();
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots/site");
    validators::page_in_chromium(
        dir.path(),
        &shots,
        &json!({
            "today": format!("@{today}"),
            "holiday": "Women's Day",
            "reason": "release day, Cem ships it",
            "literal": "Zoë <b>Bold</b> & Co",
        }),
    )
    .unwrap();
    for shot in ["desktop.png", "phone.png"] {
        let bytes = std::fs::read(shots.join(shot)).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{shot}");
    }
}
