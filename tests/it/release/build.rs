//! The build jobs: they cannot write, they attest the archives they
//! built, and they build exactly the archives the action (and binstall)
//! downloads.

use super::{TARGETS, bash, env_keys, release, run_step, sha256, step, steps, text};
use std::collections::BTreeSet;

/// The build jobs hold no token that can write the repository or a release
/// (no `contents: write`, no token passed to any step), and they attest and
/// sum the archive they built, in the job that built it: no archive is
/// downloaded back from the release to be attested or summed.
#[test]
fn the_build_jobs_cannot_write_and_attest_the_archives_they_built() {
    let wf = release();
    let build = &wf["jobs"]["build"];
    assert_ne!(build["permissions"]["contents"], "write");
    let build_steps = serde_json::to_string(&build["steps"]).unwrap();
    for needle in ["github.token", "secrets.", "GH_TOKEN", "\"token\""] {
        assert!(!build_steps.contains(needle), "{needle} in the build job");
    }
    let names: Vec<String> = steps("build")
        .iter()
        .map(|s| {
            s["name"]
                .as_str()
                .or(s["uses"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect();
    let at = |n: &str| names.iter().position(|x| x == n).unwrap();
    assert!(at("Build") < at("Package and sum"));
    assert!(at("Package and sum") < at("Attest the archive built here"));
    assert!(
        at("Attest the archive built here")
            < at("Hand the archive and its SHA-256 to the publishing jobs")
    );
    let attest = step("build", "Attest the archive built here");
    assert!(
        attest["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/attest-build-provenance@")
    );
    // The subject is the file the packaging step writes, run as written.
    let (script, env) = run_step("build", "Package and sum");
    assert_eq!(env_keys(&env), ["TARGET"]);
    let dir = tempfile::tempdir().unwrap();
    let target = TARGETS[1];
    let built = dir.path().join(format!("target/{target}/release"));
    std::fs::create_dir_all(&built).unwrap();
    std::fs::write(built.join("oncall"), "the binary").unwrap();
    let out = bash(dir.path(), &script, &[("TARGET", target)]);
    assert!(out.status.success(), "{}", text(&out));
    let subject = attest["with"]["subject-path"]
        .as_str()
        .unwrap()
        .replace("${{ matrix.target }}", target);
    let archive = dir.path().join(&subject);
    assert!(archive.is_file(), "{subject}");
    let sum = std::fs::read_to_string(format!("{}.sha256", archive.display())).unwrap();
    assert_eq!(
        sum,
        format!("{}  oncall-{target}.tar.gz\n", sha256(&archive))
    );
    let upload = step(
        "build",
        "Hand the archive and its SHA-256 to the publishing jobs",
    );
    assert_eq!(upload["with"]["path"], "dist/");
    assert_eq!(upload["with"]["name"], "oncall-${{ matrix.target }}");
    // Attested nowhere else, and nothing is downloaded from the release.
    for (job, j) in wf["jobs"].as_object().unwrap() {
        let json = serde_json::to_string(j).unwrap();
        assert!(!json.contains("gh release download"), "{job}");
        if job != "build" {
            assert!(!json.contains("attest-build-provenance"), "{job}");
            assert!(j["permissions"]["id-token"].is_null(), "{job}");
        }
    }
}

/// The targets built are the ones action/install.sh downloads and the
/// digests job lists, under the name it downloads.
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
    assert_eq!(built, TARGETS.iter().map(|t| t.to_string()).collect());
    assert!(install.contains("archive=\"oncall-${target}.tar.gz\""));
    let (digests, _) = run_step("digests", "Write action/digests.txt");
    assert!(
        digests.contains(&format!("targets=({})", TARGETS.join(" "))),
        "{digests}"
    );
    let (package, _) = run_step("build", "Package and sum");
    assert!(package.contains("archive=\"oncall-${TARGET}.tar.gz\""));
    // Static Linux binaries.
    assert!(
        built
            .iter()
            .filter(|t| t.contains("linux"))
            .all(|t| t.ends_with("-musl"))
    );
    // What the binary records: Cross.toml passes it into cross's container.
    let (_, env) = run_step("build", "Build");
    let cross = std::fs::read_to_string("Cross.toml").unwrap();
    for var in env_keys(&env).iter().filter(|v| v.starts_with("ONCALL_")) {
        assert!(
            cross.contains(&format!("\"{var}\"")),
            "{var} not passed through"
        );
    }
    assert_eq!(env["ONCALL_COMMIT"], "${{ github.sha }}");
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
