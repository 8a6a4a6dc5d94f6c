//! The download path: a good release is downloaded, verified against the
//! commit's action/digests.txt and run; a planted or tampered archive, a
//! missing asset, an unknown platform, a commit without digests and a
//! download that is not https are refused, and nothing is run.

use super::{
    COMMIT, Job, REPO, Release, TARGET, TEST_HTTP, VERSION, archive_name, assert_refused,
    good_release, sha256, stderr, stdout,
};
use std::path::Path;

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
