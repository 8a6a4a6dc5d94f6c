//! The release workflow (.github/workflows/release.yml): what it may do
//! (least privilege, pinned actions), that it builds exactly the archives
//! the action downloads, and its scripts run as written.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

fn load(path: &str) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn release() -> Value {
    load(".github/workflows/release.yml")
}

fn run_step(job: &str, name: &str) -> (String, Value) {
    let wf = release();
    let s = wf["jobs"][job]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name || s["id"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {job}"))
        .clone();
    (s["run"].as_str().unwrap().to_owned(), s["env"].clone())
}

fn bash(dir: &Path, script: &str, env: &[(&str, &str)]) -> Output {
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("RUNNER_TEMP", dir)
        .env("GITHUB_OUTPUT", dir.join("output.txt"))
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn it_starts_on_a_version_tag_only() {
    let wf = release();
    assert_eq!(
        wf["on"],
        serde_json::json!({ "push": { "tags": ["v[0-9]+.[0-9]+.[0-9]+"] } })
    );
}

/// Least privilege: nothing at the top, `contents: write` only where the
/// release is written, `id-token` and `attestations` only for the
/// attestation.
#[test]
fn each_job_has_only_the_permissions_it_needs() {
    let wf = release();
    assert_eq!(wf["permissions"], serde_json::json!({}));
    let jobs = wf["jobs"].as_object().unwrap();
    let expected = [
        ("create", serde_json::json!({ "contents": "write" })),
        ("build", serde_json::json!({ "contents": "write" })),
        ("checksums", serde_json::json!({ "contents": "write" })),
        (
            "attest",
            serde_json::json!({ "contents": "read", "id-token": "write", "attestations": "write" }),
        ),
        ("tags", serde_json::json!({ "contents": "write" })),
    ];
    assert_eq!(
        jobs.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        expected.iter().map(|(j, _)| *j).collect::<BTreeSet<_>>()
    );
    for (job, perms) in expected {
        assert_eq!(jobs[job]["permissions"], perms, "job {job}");
    }
    // The tags move last, after the attestation: `@vX` never points at a
    // release whose archives are not all there, summed and attested.
    assert_eq!(jobs["build"]["needs"], "create");
    assert_eq!(jobs["checksums"]["needs"], "build");
    assert_eq!(jobs["attest"]["needs"], "checksums");
    assert_eq!(jobs["tags"]["needs"], "attest");
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

/// The targets built are the ones action/install.sh downloads, under the
/// name it downloads.
#[test]
fn it_builds_the_archives_the_action_downloads() {
    let wf = release();
    let built: BTreeSet<String> = wf["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap().to_owned())
        .collect();
    let install = std::fs::read_to_string("action/install.sh").unwrap();
    let downloaded: BTreeSet<String> = install
        .lines()
        .filter_map(|l| {
            l.split_once(") target=")
                .map(|(_, t)| t.trim_end_matches(" ;;").to_owned())
        })
        .collect();
    assert_eq!(built, downloaded);
    assert!(install.contains("archive=\"oncall-${target}.tar.gz\""));
    let upload = wf["jobs"]["build"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("taiki-e/upload-rust-binary-action@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["archive"], "oncall-$target");
    assert_eq!(upload["with"]["bin"], "oncall");
    assert_eq!(upload["with"]["locked"], true);
    // Static Linux binaries.
    assert!(
        built
            .iter()
            .filter(|t| t.contains("linux"))
            .all(|t| t.ends_with("-musl"))
    );
    // The checksum job waits for exactly that many archives.
    let (sums, _) = run_step("checksums", "Sum the archives and upload SHA256SUMS");
    assert!(sums.contains(&format!("-ne {} ]", built.len())), "{sums}");
    // What the binary records: Cross.toml passes it into cross's container.
    let cross = std::fs::read_to_string("Cross.toml").unwrap();
    for var in upload["env"].as_object().unwrap().keys() {
        assert!(
            cross.contains(&format!("\"{var}\"")),
            "{var} not passed through"
        );
    }
}

#[test]
fn the_tag_must_match_cargo_toml_this_repository_and_a_changelog_section() {
    let (script, env) = run_step("create", "tag");
    assert_eq!(
        env.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["REPOSITORY", "SERVER_URL", "TAG"]
    );
    let version = env!("CARGO_PKG_VERSION");
    let repo_url = env!("CARGO_PKG_REPOSITORY");
    let (server, repository) = repo_url
        .rsplit_once('/')
        .map(|(a, name)| {
            let (server, owner) = a.rsplit_once('/').unwrap();
            (server.to_owned(), format!("{owner}/{name}"))
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("Cargo.toml", dir.path().join("Cargo.toml")).unwrap();
    let changelog = format!(
        "# Changelog\n\n## [Unreleased]\n\n- later\n\n## [{version}] - 2026-12-01\n\n### Added\n\n- the first release\n\n## [0.9.0] - 2026-01-01\n\n- older\n"
    );
    std::fs::write(dir.path().join("CHANGELOG.md"), changelog).unwrap();
    let tag = format!("v{version}");
    let good = [
        ("TAG", tag.as_str()),
        ("REPOSITORY", repository.as_str()),
        ("SERVER_URL", server.as_str()),
    ];
    let out = bash(dir.path(), &script, &good);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let notes = std::fs::read_to_string(dir.path().join("notes.md")).unwrap();
    assert_eq!(notes, "\n### Added\n\n- the first release\n\n");

    let refused = |env: &[(&str, &str)], says: &str| {
        let out = bash(dir.path(), &script, env);
        assert!(!out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(says), "{says:?} not in {stdout}");
    };
    refused(
        &[("TAG", "v9.9.9"), good[1], good[2]],
        &format!("the tag v9.9.9 is not the version in Cargo.toml ({version})"),
    );
    refused(
        &[good[0], ("REPOSITORY", "someone/fork"), good[2]],
        &format!("set it to \"{server}/someone/fork\""),
    );
    std::fs::write(
        dir.path().join("CHANGELOG.md"),
        "# Changelog\n\n## [Unreleased]\n\n- all of it\n",
    )
    .unwrap();
    refused(
        &good,
        &format!("CHANGELOG.md has no section \"## [{version}]\""),
    );
}

/// cargo-binstall's metadata names the archives the release uploads, for
/// every target the release builds (and the glibc hosts get musl ones).
#[test]
fn binstall_finds_the_release_archives() {
    let manifest: toml_edit::DocumentMut = std::fs::read_to_string("Cargo.toml")
        .unwrap()
        .parse()
        .unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let url = |table: &toml_edit::Item| table["pkg-url"].as_str().unwrap().to_owned();
    let base = url(binstall);
    assert_eq!(
        base,
        "{ repo }/releases/download/v{ version }/oncall-{ target }.tar.gz"
    );
    assert_eq!(binstall["pkg-fmt"].as_str(), Some("tgz"));
    let wf = release();
    let built: BTreeSet<String> = wf["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap().to_owned())
        .collect();
    for t in &built {
        // The release's tag is v + the version: what the URL asks for.
        assert!(
            base.replace("{ target }", t)
                .ends_with(&format!("oncall-{t}.tar.gz"))
        );
    }
    for (host, musl) in [
        ("x86_64-unknown-linux-gnu", "x86_64-unknown-linux-musl"),
        ("aarch64-unknown-linux-gnu", "aarch64-unknown-linux-musl"),
    ] {
        let o = url(&binstall["overrides"][host]);
        assert!(built.contains(musl));
        assert!(
            o.ends_with(&format!("/v{{ version }}/oncall-{musl}.tar.gz")),
            "{o}"
        );
    }
}
