//! The composite action's way to its binary (action.yml, step `install`,
//! which runs action/install.sh), run as written against a release served
//! from a local HTTP server standing in for GitHub's release downloads.
//!
//! A good release runs; a tampered archive, a wrong checksum, a missing
//! asset and a missing release are refused with a message that says what
//! to do, and the binary is never executed.

use crate::support;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use support::http::{Answer, serve};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const REPO: &str = "acme-tools/oncall";
const TARGET: &str = "x86_64-unknown-linux-musl";
/// The commit the served release was built from.
const COMMIT: &str = "1111111111111111111111111111111111111111";

fn install_step() -> Value {
    let action: Value =
        serde_saphyr::from_str(&std::fs::read_to_string("action.yml").unwrap()).unwrap();
    action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "install")
        .expect("the action has an install step")
        .clone()
}

/// A release's files, served at /OWNER/NAME/releases/download/vX.Y.Z/FILE.
struct Release {
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    requests: Arc<Mutex<Vec<String>>>,
    url: String,
}

impl Release {
    fn serve() -> Release {
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (f, r) = (files.clone(), requests.clone());
        let url = serve(Arc::new(move |req| {
            r.lock().unwrap().push(req.path.clone());
            let prefix = format!("/{REPO}/releases/download/v{VERSION}/");
            match req
                .path
                .strip_prefix(&prefix)
                .and_then(|name| f.lock().unwrap().get(name).cloned())
            {
                Some(body) if req.method == "GET" => Answer::new(200, body),
                _ => Answer::new(404, "Not Found"),
            }
        }));
        Release {
            files,
            requests,
            url,
        }
    }
    fn put(&self, name: &str, body: Vec<u8>) {
        self.files.lock().unwrap().insert(name.to_owned(), body);
    }
}

/// A job's runner: its temporary directory, and a marker file that the
/// packaged binary writes to whenever it is executed.
struct Job {
    dir: tempfile::TempDir,
}

impl Job {
    fn new() -> Job {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
        Job { dir }
    }
    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
    fn marker(&self) -> PathBuf {
        self.path("executed")
    }
    fn executed(&self) -> bool {
        self.marker().exists()
    }
    fn outputs(&self) -> BTreeMap<String, String> {
        std::fs::read_to_string(self.path("output.txt"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// The archive the release workflow uploads: the binary at its root.
    /// Here the binary is a wrapper that records that it ran, then runs
    /// the real oncall; its `--version` names COMMIT as the release's.
    fn archive(&self) -> Vec<u8> {
        let stage = self.path("stage");
        std::fs::create_dir_all(&stage).unwrap();
        let real = assert_cmd::cargo::cargo_bin("oncall");
        std::fs::write(
            stage.join("oncall"),
            format!(
                "#!/bin/sh\necho \"$@\" >> '{}'\n[ \"$1\" = --version ] && echo 'oncall {VERSION} (commit {COMMIT}, {TARGET})' && exit 0\nexec '{}' \"$@\"\n",
                self.marker().display(),
                real.display()
            ),
        )
        .unwrap();
        let out = Command::new("tar")
            .args(["-czf", "../archive.tar.gz", "oncall"])
            .current_dir(&stage)
            .output()
            .unwrap();
        assert!(out.status.success());
        std::fs::read(self.path("archive.tar.gz")).unwrap()
    }

    /// Runs the install step's script as written, with the step's env
    /// filled as the runner fills it for `uses: REPO@ACTION_REF`.
    fn install(&self, release: &Release, action_ref: &str, os: &str, arch: &str) -> Output {
        let step = install_step();
        let env: Vec<&str> = step["env"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            env,
            [
                "ACTION_PATH",
                "ACTION_REF",
                "ACTION_REPOSITORY",
                "RELEASE_BASE_URL"
            ]
        );
        Command::new("bash")
            .args([
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                step["run"].as_str().unwrap(),
            ])
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_OUTPUT", self.path("output.txt"))
            .env("GITHUB_SERVER_URL", &release.url)
            .env("RUNNER_TEMP", self.path("tmp"))
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("ACTION_REF", action_ref)
            .env("ACTION_REPOSITORY", REPO)
            // The input's default: empty, so the server the job runs on.
            .env("RELEASE_BASE_URL", "")
            .output()
            .unwrap()
    }
}

fn sha256(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f");
    std::fs::write(&p, bytes).unwrap();
    let out = Command::new("sha256sum").arg(&p).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

fn archive_name() -> String {
    format!("oncall-{TARGET}.tar.gz")
}

/// A complete release: every target's line in SHA256SUMS, this target's
/// archive.
fn good_release(job: &Job) -> (Release, Vec<u8>) {
    let release = Release::serve();
    let archive = job.archive();
    let sums = format!(
        "{}  oncall-aarch64-apple-darwin.tar.gz\n{}  oncall-aarch64-unknown-linux-musl.tar.gz\n{}  {}\n",
        "1".repeat(64),
        "2".repeat(64),
        sha256(&archive),
        archive_name()
    );
    release.put("SHA256SUMS", sums.into_bytes());
    release.put(&archive_name(), archive.clone());
    (release, archive)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_refused(job: &Job, out: &Output, says: &[&str]) {
    assert!(!out.status.success(), "accepted: {}", stderr(out));
    let err = stderr(out);
    assert!(err.starts_with("::error title=oncall action::"), "{err}");
    for s in says {
        assert!(err.contains(s), "{s:?} not in {err}");
    }
    assert!(!job.executed(), "the binary ran");
    assert!(
        !Path::new(&job.outputs().get("bin").cloned().unwrap_or_default()).exists(),
        "an unverified binary was installed"
    );
    assert_ne!(
        job.outputs().get("mode").map(String::as_str),
        Some("release")
    );
}

#[test]
fn a_good_release_is_downloaded_verified_and_run() {
    let job = Job::new();
    let (release, _) = good_release(&job);
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("verified"), "{stdout}");
    // The binary ran (`--version`), and it is the real oncall.
    assert!(job.executed());
    assert!(
        stdout.contains(&format!("oncall {VERSION} (commit ")),
        "{stdout}"
    );
    let outputs = job.outputs();
    assert_eq!(outputs["mode"], "release");
    assert_eq!(outputs["version"], VERSION);
    assert!(Path::new(&outputs["bin"]).is_file());
    // Two requests: the checksum file first, then the archive.
    assert_eq!(
        *release.requests.lock().unwrap(),
        [
            format!("/{REPO}/releases/download/v{VERSION}/SHA256SUMS"),
            format!("/{REPO}/releases/download/v{VERSION}/{}", archive_name()),
        ]
    );
}

#[test]
fn the_moving_major_and_minor_tags_download_the_release() {
    let major = VERSION.split('.').next().unwrap();
    let minor = VERSION.rsplit_once('.').unwrap().0;
    for tag in [format!("v{major}"), format!("v{minor}")] {
        let job = Job::new();
        let (release, _) = good_release(&job);
        let out = job.install(&release, &tag, "Linux", "X64");
        assert!(out.status.success(), "{tag}: {}", stderr(&out));
        assert_eq!(job.outputs()["mode"], "release", "{tag}");
        assert!(job.executed());
    }
}

#[test]
fn a_tampered_archive_is_refused_and_not_run() {
    let job = Job::new();
    let (release, mut archive) = good_release(&job);
    archive.extend_from_slice(b"\0tampered");
    release.put(&archive_name(), archive);
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert_refused(
        &job,
        &out,
        &["checksum mismatch", "The binary was not run", "commit SHA"],
    );
}

#[test]
fn a_wrong_checksum_is_refused_and_nothing_runs() {
    let job = Job::new();
    let (release, archive) = good_release(&job);
    let good = sha256(&archive);
    let wrong: String = good
        .chars()
        .map(|c| if c == 'a' { 'b' } else { 'a' })
        .collect();
    release.put(
        "SHA256SUMS",
        format!("{wrong}  {}\n", archive_name()).into_bytes(),
    );
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert_refused(&job, &out, &["checksum mismatch", &wrong, &good]);
}

#[test]
fn a_missing_asset_is_refused() {
    // Listed in SHA256SUMS, but not uploaded.
    let job = Job::new();
    let (release, _) = good_release(&job);
    release.files.lock().unwrap().remove(&archive_name());
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert_refused(
        &job,
        &out,
        &[&format!("has no asset {}", archive_name()), "HTTP 404"],
    );
    // Uploaded, but not in SHA256SUMS: it cannot be verified, so it is
    // not even downloaded.
    let job = Job::new();
    let (release, _) = good_release(&job);
    release.put(
        "SHA256SUMS",
        format!("{}  oncall-aarch64-apple-darwin.tar.gz\n", "1".repeat(64)).into_bytes(),
    );
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert_refused(
        &job,
        &out,
        &[&format!("lists no {} in SHA256SUMS", archive_name())],
    );
    assert_eq!(release.requests.lock().unwrap().len(), 1);
}

#[test]
fn a_missing_release_is_refused() {
    let job = Job::new();
    let release = Release::serve();
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert_refused(
        &job,
        &out,
        &[
            &format!("release v{VERSION} of {REPO} not found"),
            "HTTP 404",
            "commit SHA to build from source",
        ],
    );
}

#[test]
fn a_platform_without_a_release_binary_is_refused() {
    let job = Job::new();
    let (release, _) = good_release(&job);
    let out = job.install(&release, &format!("v{VERSION}"), "Windows", "X64");
    assert_refused(&job, &out, &["no release binary for Windows/X64"]);
    assert!(release.requests.lock().unwrap().is_empty());
}

/// At a branch (or a tag that is not a release) the action builds from
/// source, with a cache key that hashes the action's source: no request,
/// and a key that changes with the code (today's `@main` gets today's code).
#[test]
fn at_a_branch_the_action_builds_from_source() {
    let job = Job::new();
    let release = Release::serve();
    let out = job.install(&release, "main", "Linux", "X64");
    assert!(out.status.success(), "{}", stderr(&out));
    let a = job.outputs();
    assert_eq!(a["mode"], "source");
    assert!(
        a["cache-key"].starts_with("oncall-source-Linux-X64-"),
        "{a:?}"
    );
    assert!(release.requests.lock().unwrap().is_empty());
    assert!(!job.executed());

    // The key is a hash of the action's files: a copy of the source with
    // one changed file gets another key; the same source, the same key.
    let key = |root: &Path| {
        let job = Job::new();
        let out = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh"))
            .current_dir(job.dir.path())
            .env("GITHUB_OUTPUT", job.path("output.txt"))
            .env("RUNNER_TEMP", job.path("tmp"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("ACTION_PATH", root)
            .env("ACTION_REF", "main")
            .env("ACTION_REPOSITORY", REPO)
            .env("GITHUB_SERVER_URL", "http://127.0.0.1:9")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        job.outputs()["cache-key"].clone()
    };
    let copy = tempfile::tempdir().unwrap();
    for f in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        std::fs::copy(f, copy.path().join(f)).unwrap();
    }
    let out = Command::new("cp")
        .args(["-r", "src"])
        .arg(copy.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let before = key(copy.path());
    assert_eq!(before, a["cache-key"], "same source, same key");
    let lib = copy.path().join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{text}\n// a change\n")).unwrap();
    assert_ne!(key(copy.path()), before, "a code change makes a new key");
}

/// End to end: the release workflow's checksum step (run as written, with
/// a stand-in `gh` that keeps the release's files in a directory) makes the
/// SHA256SUMS that the action then verifies the download against.
#[test]
fn the_release_workflows_checksums_are_what_the_action_verifies() {
    let job = Job::new();
    let assets = job.path("release-assets");
    std::fs::create_dir_all(&assets).unwrap();
    let archive = job.archive();
    for target in [TARGET, "aarch64-unknown-linux-musl", "aarch64-apple-darwin"] {
        let bytes = if target == TARGET {
            archive.clone()
        } else {
            target.as_bytes().to_vec()
        };
        std::fs::write(assets.join(format!("oncall-{target}.tar.gz")), bytes).unwrap();
    }
    // `gh release download TAG --pattern P... --dir D` and
    // `gh release upload TAG FILE`, on that directory.
    let bin = job.path("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(
        bin.join("gh"),
        format!(
            r#"#!/usr/bin/env bash
set -euo pipefail
assets='{}'
[ "$1 $2" = "release download" ] && {{
  shift 3; dir=.; patterns=()
  while [ $# -gt 0 ]; do
    case "$1" in --dir) dir=$2; shift 2 ;; --pattern) patterns+=("$2"); shift 2 ;; *) shift ;; esac
  done
  for p in "${{patterns[@]}}"; do cp "$assets"/$p "$dir"/; done
  exit 0
}}
[ "$1 $2" = "release upload" ] && {{ cp "$4" "$assets"/; exit 0; }}
exit 1
"#,
            assets.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("gh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let wf: Value =
        serde_saphyr::from_str(&std::fs::read_to_string(".github/workflows/release.yml").unwrap())
            .unwrap();
    let step = wf["jobs"]["checksums"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Sum the archives and upload SHA256SUMS")
        .unwrap()
        .clone();
    let work = job.path("checksums-job");
    std::fs::create_dir_all(&work).unwrap();
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
        .arg(step["run"].as_str().unwrap())
        .current_dir(&work)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("TAG", format!("v{VERSION}"))
        .env("REPOSITORY", REPO)
        .env("GH_TOKEN", "unused")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let release = Release::serve();
    for e in std::fs::read_dir(&assets).unwrap() {
        let e = e.unwrap();
        release.put(
            e.file_name().to_str().unwrap(),
            std::fs::read(e.path()).unwrap(),
        );
    }
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(job.outputs()["mode"], "release");
    assert!(job.executed());
}

/// Pinned to the commit a release was built from (as `oncall init` pins
/// it), the action uses that release; pinned to another commit, or one
/// without a release, it builds from source and keeps no downloaded binary.
#[test]
fn at_a_commit_the_action_uses_the_release_built_from_it_or_builds() {
    let job = Job::new();
    let (release, _) = good_release(&job);
    let out = job.install(&release, COMMIT, "Linux", "X64");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(job.outputs()["mode"], "release");

    let other = "2222222222222222222222222222222222222222";
    let job = Job::new();
    let (release, _) = good_release(&job);
    let out = job.install(&release, other, "Linux", "X64");
    assert!(out.status.success(), "{}", stderr(&out));
    let outputs = job.outputs();
    assert_eq!(outputs["mode"], "source");
    assert!(
        !Path::new(&outputs["bin"]).exists(),
        "the release's binary was kept"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("was built from commit {COMMIT}, not from {other}")),
        "{stdout}"
    );

    let job = Job::new();
    let out = job.install(&Release::serve(), other, "Linux", "X64");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(job.outputs()["mode"], "source");
    assert!(!job.executed());

    // A tampered release is refused even at a commit: never a silent build.
    let job = Job::new();
    let (release, mut archive) = good_release(&job);
    archive.push(0);
    release.put(&archive_name(), archive);
    let out = job.install(&release, COMMIT, "Linux", "X64");
    assert_refused(&job, &out, &["checksum mismatch"]);
}
