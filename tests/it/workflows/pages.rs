//! The Pages workflow (.github/workflows/oncall-pages.yml): least
//! privilege, and the action's site step writing the page and the feeds
//! where the upload looks.

use super::{Runner, TEAM, env_of, load, step};

/// The Pages workflow: least privilege (read to build; `pages` and
/// `id-token` only to deploy), and the action's `site` step, run as
/// written, writes the page and the feeds where the upload looks.
#[test]
fn the_pages_workflow_publishes_the_site_the_action_writes() {
    let wf = load(".github/workflows/oncall-pages.yml");
    assert_eq!(wf["permissions"], serde_json::json!({}));
    assert_eq!(
        wf["jobs"]["build"]["permissions"],
        serde_json::json!({ "contents": "read" })
    );
    assert_eq!(
        wf["jobs"]["deploy"]["permissions"],
        serde_json::json!({ "pages": "write", "id-token": "write" })
    );
    assert!(wf["on"]["schedule"].is_array(), "once a day");
    assert_eq!(wf["on"]["push"]["branches"], serde_json::json!(["main"]));
    let build = &wf["jobs"]["build"]["steps"];
    let site_step = step(build, "site");
    assert_eq!(site_step["uses"], "./");
    assert_eq!(site_step["with"]["command"], "site");
    let upload = build
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"], "${{ steps.site.outputs.site-dir }}");

    let action = load("action.yml");
    let script_step = step(&action["runs"]["steps"], "site");
    assert_eq!(script_step["if"], "inputs.command == 'site'");
    let runner = Runner::new();
    std::fs::write(runner.path("rotation.yaml"), TEAM).unwrap();
    let mut env = env_of(script_step);
    assert_eq!(
        env.keys().collect::<Vec<_>>(),
        ["ONCALL_BIN", "ONCALL_CONFIG", "ONCALL_LOG", "SITE_DIR"]
    );
    env.insert(
        "ONCALL_BIN".into(),
        runner.path("target/release/oncall").display().to_string(),
    );
    env.insert("ONCALL_CONFIG".into(), "rotation.yaml".into());
    env.insert("ONCALL_LOG".into(), "oncall-log.md".into());
    env.insert(
        "SITE_DIR".into(),
        runner.path("tmp/oncall-site").display().to_string(),
    );
    let out = runner.run(script_step["run"].as_str().unwrap(), &env, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = runner.read("output.txt");
    let dir = dir.trim().strip_prefix("site-dir=").unwrap();
    for f in [
        "index.html",
        "oncall.ics",
        "oncall-ana.ics",
        "oncall-ben.ics",
    ] {
        assert!(std::path::Path::new(dir).join(f).is_file(), "{f}");
    }
    assert_eq!(
        action["outputs"]["site-dir"]["value"],
        "${{ steps.site.outputs.site-dir }}"
    );
}
