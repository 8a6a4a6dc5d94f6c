//! What the release workflow may do: it runs by hand, one at a time; each
//! job has only the permissions it needs; every action and tool is pinned.

use super::{release, run_step, step, steps};
use serde_json::Value;
use std::collections::BTreeSet;

/// By hand (workflow_dispatch), from the default branch: the tag vX.Y.Z is
/// not pushed by a maintainer but made by the workflow, on the commit that
/// carries the digests.
#[test]
fn it_runs_by_hand() {
    let wf = release();
    let on = wf["on"].as_object().unwrap();
    assert_eq!(on.keys().collect::<Vec<_>>(), ["workflow_dispatch"]);
    assert!(wf["on"]["workflow_dispatch"].is_null());
    // One release at a time, none cancelled half-way.
    assert_eq!(wf["concurrency"]["group"], "release");
    assert_eq!(wf["concurrency"]["cancel-in-progress"], false);
}

/// Least privilege: nothing at the top; the jobs that build have a
/// read-only token (plus what attesting needs); `contents: write` only in
/// the three jobs that push the tag, create the release and move the tags,
/// which run nothing built.
#[test]
fn each_job_has_only_the_permissions_it_needs() {
    let wf = release();
    assert_eq!(wf["permissions"], serde_json::json!({}));
    let jobs = wf["jobs"].as_object().unwrap();
    let expected = [
        ("check", serde_json::json!({ "contents": "read" })),
        (
            "build",
            serde_json::json!({ "contents": "read", "id-token": "write", "attestations": "write" }),
        ),
        ("digests", serde_json::json!({ "contents": "write" })),
        ("release", serde_json::json!({ "contents": "write" })),
        ("tags", serde_json::json!({ "contents": "write" })),
    ];
    assert_eq!(
        jobs.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        expected.iter().map(|(j, _)| *j).collect::<BTreeSet<_>>()
    );
    for (job, perms) in expected {
        assert_eq!(jobs[job]["permissions"], perms, "job {job}");
    }
    // The order: check, build, then the tag with the digests, the release
    // on it, and last the moving tags: `@vX` never points at a release
    // whose archives are not all there.
    assert_eq!(jobs["build"]["needs"], "check");
    assert_eq!(
        jobs["digests"]["needs"],
        serde_json::json!(["check", "build"])
    );
    assert_eq!(
        jobs["release"]["needs"],
        serde_json::json!(["check", "digests"])
    );
    assert_eq!(
        jobs["tags"]["needs"],
        serde_json::json!(["check", "digests", "release"])
    );
}

/// The tools the build installs are pinned: `cross` at a published version,
/// built with its own lock file, before the step that uses it, for the
/// targets that use it (the static Linux ones).
#[test]
fn cross_is_pinned() {
    let installs: Vec<(String, String)> = release()["jobs"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(job, j)| {
            j["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|s| s["run"].as_str())
                .filter(|r| r.contains("cargo install"))
                .map(|r| (job.clone(), r.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        installs,
        [(
            "build".to_owned(),
            "cargo install cross --locked --version 0.2.5".to_owned()
        )]
    );
    let install = step("build", "Install cross");
    assert_eq!(install["if"], "matrix.builder == 'cross'");
    let names: Vec<Value> = steps("build").iter().map(|s| s["name"].clone()).collect();
    let at = |n: &str| names.iter().position(|x| x == n).unwrap();
    assert!(at("Install cross") < at("Build"));
    let (script, env) = run_step("build", "Build");
    assert!(
        script
            .contains(r#""${BUILDER}" build --release --locked --target "${TARGET}" --bin oncall"#),
        "{script}"
    );
    assert_eq!(env["BUILDER"], "${{ matrix.builder }}");
    for t in release()["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
    {
        let linux = t["target"].as_str().unwrap().contains("linux");
        assert_eq!(t["builder"], if linux { "cross" } else { "cargo" }, "{t}");
    }
}

/// Every action in every workflow and in action.yml is pinned to a full
/// commit SHA, with the version it stands for in a comment.
#[test]
fn every_action_is_pinned_to_a_commit() {
    let mut files = vec!["action.yml".to_owned()];
    for e in std::fs::read_dir(".github/workflows").unwrap() {
        files.push(e.unwrap().path().display().to_string());
    }
    let mut seen = 0;
    for f in files {
        for (n, line) in std::fs::read_to_string(&f).unwrap().lines().enumerate() {
            let Some(rest) = line
                .trim_start()
                .trim_start_matches("- ")
                .strip_prefix("uses: ")
            else {
                continue;
            };
            if rest.starts_with("./") {
                continue;
            }
            seen += 1;
            let (action, pin) = rest
                .split_once('@')
                .unwrap_or_else(|| panic!("{f}:{}: {line}", n + 1));
            let (sha, comment) = pin.split_once(" # ").unwrap_or((pin, ""));
            assert!(
                sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
                "{f}:{}: {action} is not pinned to a commit",
                n + 1
            );
            assert!(
                comment.starts_with('v'),
                "{f}:{}: {action}: say which version the commit is",
                n + 1
            );
        }
    }
    assert!(seen >= 6, "{seen}");
}
