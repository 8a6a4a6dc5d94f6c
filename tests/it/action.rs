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

use crate::support;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use support::http::{Answer, serve};

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

#[test]
fn a_good_release_is_downloaded_verified_and_run() {
    for at in [format!("v{VERSION}"), COMMIT.to_owned()] {
        let job = Job::new();
        let (release, _) = good_release(&job);
        let out = job.install(&release, &at, "Linux", "X64");
        assert!(out.status.success(), "{at}: {}", stderr(&out));
        let stdout = stdout(&out);
        assert!(
            stdout.contains("verified against action/digests.txt"),
            "{stdout}"
        );
        // The binary ran (`--version`, after the check), and it is the
        // real oncall.
        assert!(job.executed());
        assert!(
            stdout.contains(&format!("oncall {VERSION} (commit ")),
            "{stdout}"
        );
        let outputs = job.outputs();
        assert_eq!(outputs["mode"], "release");
        assert_eq!(outputs["version"], VERSION);
        assert!(Path::new(&outputs["bin"]).is_file());
        // One request: the archive. The release's SHA256SUMS is not read.
        assert_eq!(release.requests(), [Release::path(&archive_name())]);
    }
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

/// The attack: whoever can edit the release replaces the archive and
/// SHA256SUMS with ones that agree with each other (and a binary whose
/// `--version` names the pinned commit). The action compares with its own
/// action/digests.txt, refuses, and never runs the planted binary: not for
/// a check, not for `--version`.
#[test]
fn a_planted_release_is_refused_and_never_run() {
    let major = VERSION.split('.').next().unwrap();
    for at in [
        format!("v{VERSION}"),
        format!("v{major}"),
        COMMIT.to_owned(),
    ] {
        let job = Job::new();
        let (release, good) = good_release(&job);
        let planted = job.archive_by("someone who can edit the release");
        assert_ne!(sha256(&planted), sha256(&good));
        release.put(&archive_name(), planted.clone());
        release.put(
            "SHA256SUMS",
            format!("{}  {}\n", sha256(&planted), archive_name()).into_bytes(),
        );
        let out = job.install(&release, &at, "Linux", "X64");
        assert_refused(
            &job,
            &out,
            &[
                "checksum mismatch",
                "action/digests.txt",
                &sha256(&good),
                &sha256(&planted),
                "The binary was not run",
                "build-from-source: true",
            ],
        );
        assert!(!job.path("tmp/oncall-download").exists());
    }
}

#[test]
fn a_tampered_archive_is_refused_and_not_run() {
    let job = Job::new();
    let (release, mut archive) = good_release(&job);
    archive.extend_from_slice(b"\0tampered");
    release.put(&archive_name(), archive);
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert_refused(&job, &out, &["checksum mismatch", "The binary was not run"]);
}

/// The release's SHA256SUMS plays no part: wrong or missing, the archive
/// that action/digests.txt vouches for installs.
#[test]
fn the_releases_own_sha256sums_is_not_trusted_or_needed() {
    for sums in [
        Some(format!("{}  {}\n", "0".repeat(64), archive_name())),
        None,
    ] {
        let job = Job::new();
        let (release, _) = good_release(&job);
        match &sums {
            Some(s) => release.put("SHA256SUMS", s.clone().into_bytes()),
            None => {
                release.files.lock().unwrap().remove("SHA256SUMS");
            }
        }
        let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
        assert!(out.status.success(), "{sums:?}: {}", stderr(&out));
        assert_eq!(job.outputs()["mode"], "release");
        assert!(!release.requests().iter().any(|r| r.ends_with("SHA256SUMS")));
    }
}

#[test]
fn a_missing_asset_or_release_is_refused() {
    let job = Job::new();
    let (release, _) = good_release(&job);
    release.files.lock().unwrap().remove(&archive_name());
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert_refused(
        &job,
        &out,
        &[
            &format!(
                "release v{VERSION} of {REPO} has no asset {}",
                archive_name()
            ),
            "HTTP 404",
            "build-from-source: true",
        ],
    );
    // A release that is not there at all: the same, as a 404.
    let job = Job::new();
    good_release(&job);
    let out = job.install(&Release::serve(), COMMIT, "Linux", "X64");
    assert_refused(&job, &out, &["has no asset", "HTTP 404"]);
}

#[test]
fn a_platform_without_a_release_binary_is_refused() {
    for at in [format!("v{VERSION}"), COMMIT.to_owned()] {
        let job = Job::new();
        let (release, _) = good_release(&job);
        let out = job.install(&release, &at, "Windows", "X64");
        assert_refused(
            &job,
            &out,
            &[
                "no release binary for Windows/X64",
                "build-from-source: true",
            ],
        );
        assert!(release.requests().is_empty());
    }
}

/// A pinned commit that carries no digest for this version and target (a
/// commit between releases, the build commit of a release, or a release of
/// other targets) is refused before any download, with the way out, even
/// when a release of that version is there to be taken.
#[test]
fn a_commit_without_digests_for_the_target_is_refused_with_the_way_out() {
    let placeholder = std::fs::read_to_string("action/digests.txt").unwrap();
    let no_sha = format!("action/digests.txt has no SHA-256 for {}", archive_name());
    type Setup = fn(&Job, &str);
    let cases: [(&str, Setup, &str); 4] = [
        (
            "this repository's digests.txt (between releases)",
            |job, _| {
                std::fs::copy(
                    "action/digests.txt",
                    job.action_path().join("action/digests.txt"),
                )
                .unwrap();
            },
            "action/digests.txt lists no release digests",
        ),
        (
            "an empty digests.txt",
            |job, _| {
                std::fs::write(job.action_path().join("action/digests.txt"), "").unwrap();
            },
            "action/digests.txt lists no release digests",
        ),
        (
            "the digests of another version",
            |job, digest| job.vouch_for("0.9.0", &[(TARGET, digest.to_owned())]),
            "action/digests.txt lists the digests of oncall 0.9.0, not of",
        ),
        (
            "the digests of the other targets",
            |job, _| {
                job.vouch_for(
                    VERSION,
                    &[
                        ("aarch64-apple-darwin", "1".repeat(64)),
                        ("aarch64-unknown-linux-musl", "2".repeat(64)),
                    ],
                )
            },
            &no_sha,
        ),
    ];
    assert!(placeholder.starts_with("# oncall: no release digests"));
    for (what, setup, says) in cases {
        for at in [COMMIT.to_owned(), format!("v{VERSION}")] {
            let job = Job::new();
            let (release, archive) = good_release(&job);
            setup(&job, &sha256(&archive));
            let out = job.install(&release, &at, "Linux", "X64");
            assert_refused(
                &job,
                &out,
                &[
                    "cannot vouch for a release binary",
                    says,
                    "Nothing was downloaded",
                    &format!("Pin the action to the commit that the tag v{VERSION} points at"),
                    &format!("refs/tags/v{VERSION}"),
                    "or set build-from-source: true to build this commit from source",
                ],
            );
            assert!(release.requests().is_empty(), "{what} at {at}");
        }
    }
}

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

/// https only: a plain-http release URL is refused before any request, and
/// a redirect is followed only to https (here the test-only variable lets
/// the tests' server start at http://127.0.0.1, and the redirect it answers
/// with, to plain http, is not followed).
#[test]
fn downloads_are_https_only() {
    let job = Job::new();
    let (release, _) = good_release(&job);
    let out = job.install_with(
        &release,
        &format!("v{VERSION}"),
        "Linux",
        "X64",
        &[(TEST_HTTP, "")],
    );
    assert_refused(
        &job,
        &out,
        &[&format!(
            "release-base-url '{}' is not an https:// URL",
            release.url
        )],
    );
    assert!(release.requests().is_empty());

    // The variable allows 127.0.0.1 only.
    let job = Job::new();
    let (release, _) = good_release(&job);
    let elsewhere = release.url.replace("127.0.0.1", "localhost");
    let out = job.install_with(
        &release,
        &format!("v{VERSION}"),
        "Linux",
        "X64",
        &[("RELEASE_BASE_URL", &elsewhere)],
    );
    assert_refused(&job, &out, &["is not an https:// URL"]);
    assert!(release.requests().is_empty());

    let job = Job::new();
    let (release, _) = good_release(&job);
    let from = Release::path(&archive_name());
    let to = format!("{}/elsewhere/{}", release.url, archive_name());
    release.redirects.lock().unwrap().insert(from.clone(), to);
    let out = job.install(&release, &format!("v{VERSION}"), "Linux", "X64");
    assert_refused(
        &job,
        &out,
        &[
            "could not download",
            "HTTP 302; curl: ",
            "Protocol \"http\"",
        ],
    );
    assert_eq!(release.requests(), [from]);

    let install = std::fs::read_to_string("action/install.sh").unwrap();
    assert!(install.contains("curl --proto \"${proto}\" --proto-redir =https "));
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
