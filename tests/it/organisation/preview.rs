//! `oncall preview` of a change in an organisation: every rotation the
//! change touches, not one whose log alone changed, and a hostile calendar
//! path inert in the summary.

use super::{FIXTURE, Org, copy_tree, stderr, stdout};
use crate::support;
use std::path::Path;

/// `oncall preview --base DIR`: a change to the shared calendar previews
/// every rotation that includes it, and only those.
#[test]
fn preview_shows_every_rotation_a_change_touches() {
    let org = Org::new();
    let base = tempfile::tempdir().unwrap();
    copy_tree(Path::new(FIXTURE), base.path());
    let base_dir = base.path().display().to_string();

    let out = org.run(&["preview", "--base", &base_dir, "--working-days", "10"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "This change touches no rotation file, log or shared calendar: the schedule stays as it is.\n"
    );

    // A new holiday on Tuesday 2026-12-01 in the shared calendar.
    org.edit("calendars/berlin.yaml", |t| {
        t + "  - { date: 2026-12-01, name: Team day }\n"
    });
    let out = org.run(&["preview", "--base", &base_dir, "--working-days", "10"]);
    let md = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(md.contains("### Rotation `platform`"), "{md}");
    assert!(md.contains("### Rotation `sre`"), "{md}");
    assert!(!md.contains("`db`"), "db does not include it: {md}");
    assert_eq!(md.matches("Changed: calendars/berlin.yaml.").count(), 2);
    assert!(
        md.contains(
            "| 2026-12-01 | Tue | ~~Ben Example (`@ben`)~~ | ***holiday: Team day*** | changed |"
        ),
        "{md}"
    );
    support::validators::github_markdown(&[serde_json::json!({
        "what": "the preview", "text": md, "plain": false, "links": []
    })])
    .unwrap();

    // A change to one rotation's file previews that rotation alone.
    let org = Org::new();
    org.edit("rotations/db/rotation.yaml", |t| {
        t.replace(
            "  - { github: fay, name: Fay Example }\n  - { github: gus, name: Gus Example }\n",
            "  - { github: gus, name: Gus Example }\n  - { github: fay, name: Fay Example }\n",
        )
    });
    let md = stdout(&org.run(&["preview", "--base", &base_dir, "--working-days", "4"]));
    assert!(md.contains("### Rotation `db`"), "{md}");
    assert!(!md.contains("`sre`") && !md.contains("`platform`"), "{md}");
    assert!(md.contains("**4 day(s) change.**"), "{md}");
    // With --rotation, that rotation only.
    let md = stdout(&org.run(&["--rotation", "sre", "preview", "--base", &base_dir]));
    assert!(md.contains("the schedule stays as it is"), "{md}");

    // A new rotation and a removed one.
    let org = Org::new();
    std::fs::create_dir_all(org.path("rotations/web")).unwrap();
    std::fs::copy(
        org.path("rotations/db/rotation.yaml"),
        org.path("rotations/web/rotation.yaml"),
    )
    .unwrap();
    std::fs::remove_dir_all(org.path("rotations/sre")).unwrap();
    let md = stdout(&org.run(&["preview", "--base", &base_dir, "--working-days", "3"]));
    assert!(md.contains("### Rotation `web`"), "{md}");
    assert!(md.contains("(a new rotation)"), "{md}");
    assert!(md.contains("### Rotation `sre`"), "{md}");
    assert!(md.contains("The change removes this rotation."), "{md}");
}

/// A change to a log alone (notes written during the day) moves no
/// upcoming day: the preview names it in one line and previews nothing
/// (issue 23). With a roster change beside it, that one is previewed.
#[test]
fn preview_does_not_report_a_rotation_whose_log_alone_changed() {
    let org = Org::new();
    let base = tempfile::tempdir().unwrap();
    copy_tree(Path::new(FIXTURE), base.path());
    let base_dir = base.path().display().to_string();
    std::fs::write(
        org.path("rotations/sre/oncall-log.md"),
        "# On-call log\n\nA note written during the day.\n",
    )
    .unwrap();
    let out = org.run(&["preview", "--base", &base_dir, "--working-days", "10"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "This change touches only the log of sre, and no upcoming day moves.\n"
    );

    org.edit("rotations/db/rotation.yaml", |t| {
        t.replace(
            "  - { github: fay, name: Fay Example }\n  - { github: gus, name: Gus Example }\n",
            "  - { github: gus, name: Gus Example }\n  - { github: fay, name: Fay Example }\n",
        )
    });
    let md = stdout(&org.run(&["preview", "--base", &base_dir, "--working-days", "4"]));
    assert!(md.contains("### Rotation `db`"), "{md}");
    assert!(!md.contains("### Rotation `sre`"), "{md}");
    assert!(
        md.ends_with("It also changes the log of sre, and no upcoming day moves.\n"),
        "{md}"
    );
}

/// A calendar's path is text from rotation.yaml: in the preview (a job
/// summary on GitHub) it can mention or reference nobody.
#[test]
fn a_hostile_calendar_path_is_inert_in_the_preview() {
    let org = Org::new();
    let name = "@octocat #42 GH-7 `x` <b>.yaml";
    let cal = std::fs::read_to_string(org.path("calendars/berlin.yaml")).unwrap();
    std::fs::write(org.path(&format!("calendars/{name}")), &cal).unwrap();
    org.edit("rotations/sre/rotation.yaml", |t| {
        t.replace(
            "../../calendars/berlin.yaml",
            &format!("\"../../calendars/{name}\""),
        )
    });
    let base = tempfile::tempdir().unwrap();
    copy_tree(org.dir.path(), base.path());
    org.edit(&format!("calendars/{name}"), |t| {
        t + "  - { date: 2026-11-25, name: \"@here #1\" }\n"
    });
    let out = org.run(&[
        "preview",
        "--base",
        &base.path().display().to_string(),
        "--working-days",
        "5",
    ]);
    let md = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(md.contains("### Rotation `sre`"), "{md}");
    support::validators::github_markdown(&[serde_json::json!({
        "what": "the preview", "text": md, "plain": false, "links": []
    })])
    .unwrap();
}
