//! End to end: the release workflow's own steps make the tag whose commit
//! carries the build's digests, and the action at that tag installs the
//! archive the build made and refuses a planted one.

use super::{
    Job, REPO, Release, TARGET, TARGETS, VERSION, archive_name, assert_refused, load, sha256,
    stderr, stdout,
};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A step of .github/workflows/release.yml: its script and its env.
fn release_step(job: &str, name: &str) -> (String, Value) {
    let wf = load(".github/workflows/release.yml");
    let s = wf["jobs"][job]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name || s["id"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {job}"))
        .clone();
    (s["run"].as_str().unwrap().to_owned(), s["env"].clone())
}

/// End to end: the release workflow's steps, run as written (the build
/// job's packaging, then the digests job's, with a local bare repository
/// as GitHub), make the tag vX.Y.Z whose commit carries the build's
/// digests; the action at that commit (and at that tag) installs the
/// archive the build made, and refuses a planted one.
#[test]
fn the_release_workflows_tag_carries_the_digests_the_action_verifies() {
    let job = Job::new();
    let git = |dir: &Path, args: &[&str]| {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=Maintainer",
                "-c",
                "user.email=m@example.invalid",
            ])
            .args(args)
            .current_dir(dir)
            .env("HOME", job.path("tmp"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let run = |dir: &Path, job_name: &str, step: &str, vars: &[(&str, String)]| {
        let (script, env) = release_step(job_name, step);
        let keys: Vec<&str> = env
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut given: Vec<&str> = vars.iter().map(|(k, _)| *k).collect();
        given.sort();
        assert_eq!(keys, given, "{job_name}: {step}");
        Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("HOME", job.path("tmp"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("RUNNER_TEMP", job.path("tmp"))
            .env("GITHUB_OUTPUT", dir.join("step-output.txt"))
            .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap()
    };

    // The repository at the build commit, and GitHub: a bare copy.
    let src = job.path("src");
    std::fs::create_dir_all(src.join("action")).unwrap();
    for f in ["Cargo.toml", "action/install.sh", "action/digests.txt"] {
        std::fs::copy(f, src.join(f)).unwrap();
    }
    git(&src, &["init", "--quiet", "--initial-branch=main"]);
    git(&src, &["add", "."]);
    git(
        &src,
        &[
            "commit",
            "--quiet",
            "-m",
            "Release 1: the version and the changelog",
        ],
    );
    let build_commit = git(&src, &["rev-parse", "HEAD"]);
    let server = job.path("server");
    let bare = server.join(format!("{REPO}.git"));
    std::fs::create_dir_all(bare.parent().unwrap()).unwrap();
    git(
        &server,
        &[
            "clone",
            "--quiet",
            "--bare",
            src.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );

    // The build jobs, one per target: the archive and its SHA-256, from
    // the binary each built.
    let artifacts = job.path("artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let built = job.archive();
    for target in TARGETS {
        let ws = job.path(&format!("build-{target}"));
        let release_dir = ws.join(format!("target/{target}/release"));
        std::fs::create_dir_all(&release_dir).unwrap();
        let stage = job.path(&format!("stage-{target}"));
        std::fs::create_dir_all(&stage).unwrap();
        if target == TARGET {
            let out = Command::new("tar")
                .arg("-xzf")
                .arg("-")
                .arg("-C")
                .arg(&release_dir)
                .stdin(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut c| {
                    use std::io::Write;
                    c.stdin.take().unwrap().write_all(&built)?;
                    c.wait_with_output()
                })
                .unwrap();
            assert!(out.status.success());
        } else {
            std::fs::write(release_dir.join("oncall"), format!("binary for {target}")).unwrap();
        }
        let out = run(
            &ws,
            "build",
            "Package and sum",
            &[("TARGET", target.to_owned())],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        for e in std::fs::read_dir(ws.join("dist")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), artifacts.join(e.file_name())).unwrap();
        }
    }
    let archive = std::fs::read(artifacts.join(archive_name())).unwrap();

    // The digests job: a checkout of the build commit, the artifacts in
    // dist/, then its two steps.
    let checkout = job.path("digests-job");
    git(
        &server,
        &[
            "clone",
            "--quiet",
            bare.to_str().unwrap(),
            checkout.to_str().unwrap(),
        ],
    );
    let dist = checkout.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    for e in std::fs::read_dir(&artifacts).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dist.join(e.file_name())).unwrap();
    }
    let out = run(
        &checkout,
        "digests",
        "Write action/digests.txt",
        &[
            ("BUILD_COMMIT", build_commit.clone()),
            ("VERSION", VERSION.to_owned()),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let server_url = format!("file://{}", server.display());
    let tag = format!("v{VERSION}");
    let commit_env = [
        ("GH_TOKEN", "ghs_not_a_real_token".to_owned()),
        ("REPOSITORY", REPO.to_owned()),
        ("SERVER_URL", server_url.clone()),
        ("TAG", tag.clone()),
    ];
    let out = run(
        &checkout,
        "digests",
        "Commit action/digests.txt and tag that commit",
        &commit_env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("ghs_not_a_real_token"));

    // The tag: a new commit, child of the build commit, that changes
    // action/digests.txt alone, and lists each build job's digest.
    let tagged = git(&bare, &["rev-parse", &format!("{tag}^{{commit}}")]);
    assert_ne!(tagged, build_commit);
    assert_eq!(
        git(&bare, &["rev-parse", &format!("{tagged}^")]),
        build_commit
    );
    assert_eq!(
        git(&bare, &["diff", "--name-only", &build_commit, &tagged]),
        "action/digests.txt"
    );
    assert_eq!(
        git(&bare, &["branch", "--contains", &tagged]),
        "",
        "the digests commit is on no branch"
    );
    let outputs = std::fs::read_to_string(checkout.join("step-output.txt")).unwrap();
    assert_eq!(outputs, format!("commit={tagged}\n"));
    let digests = git(&bare, &["show", &format!("{tag}:action/digests.txt")]);
    assert!(
        digests.starts_with(&format!("# oncall {VERSION}: ")),
        "{digests}"
    );
    assert!(digests.contains(&build_commit), "{digests}");
    for target in TARGETS {
        let sum = std::fs::read_to_string(artifacts.join(format!("oncall-{target}.tar.gz.sha256")))
            .unwrap();
        assert!(digests.contains(sum.trim()), "{target}: {digests}");
    }
    assert!(digests.contains(&format!("{}  {}", sha256(&archive), archive_name())));

    // A second run cannot move the tag.
    let again = job.path("digests-job-again");
    git(
        &server,
        &[
            "clone",
            "--quiet",
            bare.to_str().unwrap(),
            again.to_str().unwrap(),
        ],
    );
    std::fs::write(again.join("action/digests.txt"), "# oncall 9.9.9: moved\n").unwrap();
    let out = run(
        &again,
        "digests",
        "Commit action/digests.txt and tag that commit",
        &commit_env,
    );
    assert!(!out.status.success());
    assert_eq!(
        git(&bare, &["rev-parse", &format!("{tag}^{{commit}}")]),
        tagged
    );

    // The action, as the runner downloads it at the tag's commit.
    let checkout_of = |job: &Job| {
        let action = job.action_path();
        std::fs::remove_dir_all(&action).unwrap();
        std::fs::create_dir_all(&action).unwrap();
        let tar = Command::new("git")
            .args(["archive", "--format=tar", &tagged])
            .current_dir(&bare)
            .output()
            .unwrap();
        assert!(tar.status.success());
        let mut untar = Command::new("tar")
            .args(["-x", "-C"])
            .arg(&action)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        untar.stdin.take().unwrap().write_all(&tar.stdout).unwrap();
        assert!(untar.wait().unwrap().success());
    };
    for at in [tagged.clone(), tag.clone()] {
        let user = Job::new();
        checkout_of(&user);
        let release = Release::serve();
        release.put(&archive_name(), archive.clone());
        let out = user.install(&release, &at, "Linux", "X64");
        assert!(out.status.success(), "{at}: {}", stderr(&out));
        assert_eq!(user.outputs()["mode"], "release");

        let user = Job::new();
        checkout_of(&user);
        let release = Release::serve();
        release.put(&archive_name(), user.archive_by("an attacker"));
        let out = user.install(&release, &at, "Linux", "X64");
        assert_refused(&user, &out, &["checksum mismatch"]);
    }
    // The build commit itself vouches for nothing.
    let user = Job::new();
    let release = Release::serve();
    release.put(&archive_name(), archive);
    let out = user.install(&release, &build_commit, "Linux", "X64");
    assert_refused(&user, &out, &["cannot vouch for a release binary"]);
}
