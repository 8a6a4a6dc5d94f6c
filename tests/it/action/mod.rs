//! The composite action's way to its binary (action.yml, step `install`,
//! which runs action/install.sh), run as written against a release served
//! from a local HTTP server standing in for GitHub's release downloads.
//!
//! The trust comes from the action's own checkout, never from the release:
//! an archive runs only if its SHA-256 is the one action/digests.txt names
//! at the commit the action is used at. A good release runs; a planted
//! release (an archive and a SHA256SUMS that agree with each other, but not
//! the commit's build), a tampered archive, a missing asset or release, a
//! commit without digests, a plain-http download and a redirect away from
//! https are refused with a message that says what to do, and the binary is
//! never executed. At the end, the release workflow's own steps (run as
//! written) make the tag whose digests the action then verifies.
//!
//! This file holds what the files beside it share: the release server, a
//! job's runner with the action's checkout, and the check that a refusal
//! ran nothing. `download` is the release path, `source` the build from
//! source, `tag` the release workflow's tag end to end.

use crate::support;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use support::http::{Answer, serve};

mod download;
mod source;
mod tag;

const VERSION: &str = env!("CARGO_PKG_VERSION");
pub(crate) const REPO: &str = "acme-tools/oncall";
pub(crate) const TARGET: &str = "x86_64-unknown-linux-musl";
const TARGETS: [&str; 3] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "aarch64-apple-darwin",
];
/// The commit adopters pin: the one the tag vX.Y.Z points at.
pub(crate) const COMMIT: &str = "1111111111111111111111111111111111111111";
/// The only variable that lets the download start at plain http (to the
/// tests' server on 127.0.0.1): test-only, the action never sets it.
pub(crate) const TEST_HTTP: &str = "ONCALL_ACTION_TEST_HTTP_LOOPBACK";

fn load(path: &str) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn action_step(id: &str) -> Value {
    load("action.yml")["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id || s["name"] == id)
        .unwrap_or_else(|| panic!("the action has no step {id}"))
        .clone()
}

/// A release's files, served at /OWNER/NAME/releases/download/vX.Y.Z/FILE.
pub(crate) struct Release {
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    redirects: Arc<Mutex<HashMap<String, String>>>,
    requests: Arc<Mutex<Vec<String>>>,
    pub(crate) url: String,
}

impl Release {
    pub(crate) fn serve() -> Release {
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let redirects: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (f, to, r) = (files.clone(), redirects.clone(), requests.clone());
        let url = serve(Arc::new(move |req| {
            r.lock().unwrap().push(req.path.clone());
            if let Some(location) = to.lock().unwrap().get(&req.path) {
                return Answer::new(302, "").header("Location", location);
            }
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
            redirects,
            requests,
            url,
        }
    }
    fn put(&self, name: &str, body: Vec<u8>) {
        self.files.lock().unwrap().insert(name.to_owned(), body);
    }
    fn path(name: &str) -> String {
        format!("/{REPO}/releases/download/v{VERSION}/{name}")
    }
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// A job's runner: its temporary directory, the action's checkout at the
/// ref the workflow uses (Cargo.toml, action/install.sh and
/// action/digests.txt, as the runner downloads them), and a marker file
/// that the packaged binaries write to whenever they are executed.
pub(crate) struct Job {
    dir: tempfile::TempDir,
}

impl Job {
    pub(crate) fn new() -> Job {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
        let action = dir.path().join("action-checkout");
        std::fs::create_dir_all(action.join("action")).unwrap();
        for f in [
            "Cargo.toml",
            "action/install.sh",
            // This repository's own: no digests (between releases).
            "action/digests.txt",
        ] {
            std::fs::copy(f, action.join(f)).unwrap();
        }
        Job { dir }
    }
    pub(crate) fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
    pub(crate) fn action_path(&self) -> PathBuf {
        self.path("action-checkout")
    }
    fn marker(&self) -> PathBuf {
        self.path("executed")
    }
    pub(crate) fn executed(&self) -> bool {
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

    /// The action's action/digests.txt at its commit, as the release
    /// workflow writes it: the version, then one line per target.
    fn vouch_for(&self, version: &str, digests: &[(&str, String)]) {
        let mut text = format!(
            "# oncall {version}: the SHA-256 of each archive of release v{version},\n# as the release workflow's build jobs computed it.\n"
        );
        for (target, digest) in digests {
            text.push_str(&format!("{digest}  oncall-{target}.tar.gz\n"));
        }
        std::fs::write(self.action_path().join("action/digests.txt"), text).unwrap();
    }

    /// An archive as the release workflow uploads it: the binary at its
    /// root. Here the binary is a wrapper that records that it ran, then
    /// runs the real oncall; its `--version` names COMMIT. `who` tells the
    /// commit's build from a planted one (other bytes, same behaviour: an
    /// attacker's binary prints the expected version line too).
    fn archive_by(&self, who: &str) -> Vec<u8> {
        let stage = self.path(&format!("stage-{who}"));
        std::fs::create_dir_all(&stage).unwrap();
        let real = assert_cmd::cargo::cargo_bin("oncall");
        std::fs::write(
            stage.join("oncall"),
            format!(
                "#!/bin/sh\n# built by: {who}\necho \"$@\" >> '{}'\n[ \"$1\" = --version ] && echo 'oncall {VERSION} (commit {COMMIT}, {TARGET})' && exit 0\nexec '{}' \"$@\"\n",
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
        std::fs::read(stage.join("../archive.tar.gz")).unwrap()
    }
    fn archive(&self) -> Vec<u8> {
        self.archive_by("the release workflow, from the commit")
    }

    /// Runs the install step's script as written, with the step's env
    /// filled as the runner fills it for `uses: REPO@ACTION_REF` with the
    /// inputs' defaults; `extra` sets or (with "") clears more variables.
    fn install_with(
        &self,
        release: &Release,
        action_ref: &str,
        os: &str,
        arch: &str,
        extra: &[(&str, &str)],
    ) -> Output {
        let step = action_step("install");
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
                "BUILD_FROM_SOURCE",
                "RELEASE_BASE_URL"
            ]
        );
        let mut cmd = Command::new("bash");
        cmd.args([
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
        .env("ACTION_PATH", self.action_path())
        .env("ACTION_REF", action_ref)
        .env("ACTION_REPOSITORY", REPO)
        // The inputs' defaults.
        .env("BUILD_FROM_SOURCE", "false")
        .env("RELEASE_BASE_URL", "")
        .env(TEST_HTTP, "1");
        for (k, v) in extra {
            if v.is_empty() {
                cmd.env_remove(k);
            } else {
                cmd.env(k, v);
            }
        }
        cmd.output().unwrap()
    }
    fn install(&self, release: &Release, action_ref: &str, os: &str, arch: &str) -> Output {
        self.install_with(release, action_ref, os, arch, &[])
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

/// A complete release of the commit's build: this target's archive, and a
/// SHA256SUMS that agrees with it; the action's digests.txt vouches for
/// this archive (and for the other targets' archives).
pub(crate) fn good_release(job: &Job) -> (Release, Vec<u8>) {
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
    job.vouch_for(
        VERSION,
        &[
            ("aarch64-apple-darwin", "1".repeat(64)),
            ("aarch64-unknown-linux-musl", "2".repeat(64)),
            (TARGET, sha256(&archive)),
        ],
    );
    (release, archive)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_refused(job: &Job, out: &Output, says: &[&str]) {
    assert!(!out.status.success(), "accepted: {}", stdout(out));
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
