//! The source path: `build-from-source: true` and a branch build the
//! pinned commit and download nothing; the build is never restored from a
//! cache, and a binary found at its path never runs.

use super::{
    COMMIT, Job, REPO, Release, action_step, assert_refused, good_release, load, stderr, stdout,
};
use std::process::Command;

/// `build-from-source: true`: the next step builds the pinned commit, and
/// nothing is downloaded. Any other value than true or false is refused.
#[test]
fn build_from_source_builds_the_pinned_commit_and_downloads_nothing() {
    let job = Job::new();
    let (release, _) = good_release(&job);
    std::fs::copy(
        "action/digests.txt",
        job.action_path().join("action/digests.txt"),
    )
    .unwrap();
    let out = job.install_with(
        &release,
        COMMIT,
        "Linux",
        "X64",
        &[("BUILD_FROM_SOURCE", "true")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(job.outputs()["mode"], "source");
    assert!(release.requests().is_empty());
    assert!(!job.executed());

    let job = Job::new();
    let (release, _) = good_release(&job);
    let out = job.install_with(
        &release,
        COMMIT,
        "Linux",
        "X64",
        &[("BUILD_FROM_SOURCE", "yes")],
    );
    assert_refused(
        &job,
        &out,
        &["build-from-source is 'yes': use true or false"],
    );
    assert!(release.requests().is_empty());
}

/// At a branch (or a tag that is not a release) the action builds from
/// source: no request. Whatever was at the binary's path before (a binary
/// restored from a cache, a previous step's file) is removed first.
#[test]
fn at_a_branch_the_action_builds_from_source_from_nothing() {
    let job = Job::new();
    let release = Release::serve();
    let stale = job.path("tmp/oncall-bin/bin/oncall");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(
        &stale,
        format!("#!/bin/sh\necho >> '{}'\n", job.marker().display()),
    )
    .unwrap();
    let out = job.install(&release, "main", "Linux", "X64");
    assert!(out.status.success(), "{}", stderr(&out));
    let a = job.outputs();
    assert_eq!(a["mode"], "source");
    assert_eq!(a["bin"], stale.display().to_string());
    assert!(!stale.exists(), "a binary found on the runner was kept");
    assert!(release.requests().is_empty());
    assert!(!job.executed());
}

/// The source build is never restored from a cache (other workflows of the
/// repository can write a cache entry under a key they can predict): the
/// action has no cache step, and the build step, run as written with a
/// stand-in `cargo`, builds even when a binary is already at the path, and
/// never runs that binary.
#[test]
fn the_source_build_builds_every_time_and_restores_nothing() {
    let action = load("action.yml");
    for s in action["runs"]["steps"].as_array().unwrap() {
        let uses = s["uses"].as_str().unwrap_or_default();
        assert!(!uses.starts_with("actions/cache"), "{s:?}");
    }
    let step = action_step("Build oncall from source");
    assert_eq!(step["if"], "steps.install.outputs.mode == 'source'");
    let job = Job::new();
    let root = job.path("tmp/oncall-bin");
    let bin = root.join("bin/oncall");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    std::fs::write(
        &bin,
        format!("#!/bin/sh\necho cached >> '{}'\n", job.marker().display()),
    )
    .unwrap();
    let fake = job.path("fake-bin");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::write(
        fake.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$@\" > '{}'\nrm -f '{bin}'\nprintf '#!/bin/sh\\necho built-from-source\\n' > '{bin}'\nchmod 755 '{bin}'\n",
            job.path("cargo-args").display(),
            bin = bin.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(fake.join("cargo"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let keys: Vec<&str> = step["env"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "ACTION_PATH",
            "INSTALL_DIR",
            "ONCALL_BIN",
            "ONCALL_COMMIT",
            "ONCALL_REPOSITORY"
        ]
    );
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
        .arg(step["run"].as_str().unwrap())
        .env_clear()
        .env(
            "PATH",
            format!("{}:{}", fake.display(), std::env::var("PATH").unwrap()),
        )
        .env("ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
        .env("INSTALL_DIR", &root)
        .env("ONCALL_BIN", &bin)
        .env("ONCALL_COMMIT", "main")
        .env("ONCALL_REPOSITORY", REPO)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let args = std::fs::read_to_string(job.path("cargo-args")).unwrap();
    assert!(
        args.starts_with("install --locked --force --path "),
        "{args}"
    );
    assert!(stdout(&out).contains("built-from-source"));
    assert!(!job.executed(), "the binary found at the path ran");
}
