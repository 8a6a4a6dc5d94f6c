//! The release workflow (.github/workflows/release.yml): what it may do
//! (least privilege: the jobs that build cannot write; pinned actions and
//! tools), that it builds exactly the archives the action downloads and
//! attests them where they are built, that it publishes only what the
//! tag's action/digests.txt lists, that it never moves a tag backwards,
//! and that its scripts run as written. tests/action.rs runs the digests
//! job end to end, into the tag the action then verifies.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

const TARGETS: [&str; 3] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "aarch64-apple-darwin",
];

fn load(path: &str) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn release() -> Value {
    load(".github/workflows/release.yml")
}

fn steps(job: &str) -> Vec<Value> {
    release()["jobs"][job]["steps"].as_array().unwrap().clone()
}

fn step(job: &str, name: &str) -> Value {
    steps(job)
        .into_iter()
        .find(|s| s["name"] == name || s["id"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {job}"))
}

fn run_step(job: &str, name: &str) -> (String, Value) {
    let s = step(job, name);
    (s["run"].as_str().unwrap().to_owned(), s["env"].clone())
}

fn env_keys(env: &Value) -> Vec<String> {
    env.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
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

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// A stand-in `gh` in DIR/fake-bin: `api` answers the matching-refs query
/// from DIR/refs (one `refs/tags/…` a line) and logs every other call to
/// DIR/gh.log.
fn fake_gh(dir: &Path, refs: &[&str]) -> String {
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(dir.join("refs"), refs.concat()).unwrap();
    std::fs::write(
        bin.join("gh"),
        format!(
            r#"#!/usr/bin/env bash
set -euo pipefail
dir='{}'
args="$*"
case "${{args}}" in
  *git/matching-refs/tags/*)
    prefix=${{args##*git/matching-refs/}}; prefix=${{prefix%% *}}
    grep "^refs/${{prefix}}" "$dir/refs" || true ;;
  *git/ref/tags/*)
    ref=${{args##*git/ref/}}; ref=${{ref%% *}}
    grep -qx "refs/${{ref}}" "$dir/refs" ;;
  *) echo "gh ${{args}}" >> "$dir/gh.log" ;;
esac
"#,
            dir.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("gh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

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

#[test]
fn the_version_must_be_new_on_the_default_branch_with_this_repository_and_a_changelog_section() {
    let (script, env) = run_step("check", "tag");
    assert_eq!(
        env_keys(&env),
        [
            "DEFAULT_BRANCH",
            "GH_TOKEN",
            "REF",
            "REPOSITORY",
            "SERVER_URL"
        ]
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
    let older = format!("refs/tags/v{version}-rc\nrefs/tags/v0.9.0\n");
    let path = fake_gh(dir.path(), &[&older]);
    let good = [
        ("PATH", path.as_str()),
        ("GH_TOKEN", "unused"),
        ("REF", "refs/heads/main"),
        ("DEFAULT_BRANCH", "main"),
        ("REPOSITORY", repository.as_str()),
        ("SERVER_URL", server.as_str()),
    ];
    let out = bash(dir.path(), &script, &good);
    assert!(out.status.success(), "{}", text(&out));
    let notes = std::fs::read_to_string(dir.path().join("notes.md")).unwrap();
    assert_eq!(notes, "\n### Added\n\n- the first release\n\n");
    let outputs = std::fs::read_to_string(dir.path().join("output.txt")).unwrap();
    assert_eq!(outputs, format!("version={version}\ntag=v{version}\n"));

    let refused = |env: &[(&str, &str)], says: &str| {
        let out = bash(dir.path(), &script, env);
        assert!(!out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(says), "{says:?} not in {stdout}");
    };
    let with = |k: &str, v: &'static str| {
        let mut env = good.to_vec();
        env.iter_mut().find(|(key, _)| *key == k).unwrap().1 = v;
        env
    };
    refused(
        &with("REF", "refs/heads/feature"),
        "run the release on the default branch (main), not on refs/heads/feature",
    );
    refused(
        &with("REF", "refs/tags/v9.9.9"),
        "run the release on the default branch (main)",
    );
    refused(
        &with("REPOSITORY", "someone/fork"),
        &format!("set it to \"{server}/someone/fork\""),
    );
    // Released already: the tag exists.
    fake_gh(dir.path(), &[&older, &format!("refs/tags/v{version}\n")]);
    refused(
        &good,
        &format!("the tag v{version} exists: {version} is released"),
    );
    fake_gh(dir.path(), &[&older]);
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

/// The digests job writes action/digests.txt from the build jobs' files,
/// and refuses an archive that is missing, extra, or not the file its build
/// job summed. (The commit and the tag: tests/action.rs, end to end.)
#[test]
fn the_digests_are_the_build_jobs_and_all_of_them() {
    let (script, env) = run_step("digests", "Write action/digests.txt");
    assert_eq!(env_keys(&env), ["BUILD_COMMIT", "VERSION"]);
    assert_eq!(env["BUILD_COMMIT"], "${{ github.sha }}");
    let setup = || {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("dist")).unwrap();
        std::fs::create_dir_all(dir.path().join("action")).unwrap();
        std::fs::copy("action/digests.txt", dir.path().join("action/digests.txt")).unwrap();
        for t in TARGETS {
            let name = format!("oncall-{t}.tar.gz");
            let p = dir.path().join("dist").join(&name);
            std::fs::write(&p, format!("archive for {t}")).unwrap();
            std::fs::write(
                dir.path().join(format!("dist/{name}.sha256")),
                format!("{}  {name}\n", sha256(&p)),
            )
            .unwrap();
        }
        dir
    };
    let commit = "c".repeat(40);
    let env = [("VERSION", "1.2.3"), ("BUILD_COMMIT", commit.as_str())];
    let dir = setup();
    let out = bash(dir.path(), &script, &env);
    assert!(out.status.success(), "{}", text(&out));
    let digests = std::fs::read_to_string(dir.path().join("action/digests.txt")).unwrap();
    let lines: Vec<&str> = digests.lines().collect();
    assert!(lines[0].starts_with("# oncall 1.2.3: "), "{digests}");
    assert!(digests.contains(&format!("from commit {commit}")));
    let listed: Vec<&str> = lines
        .iter()
        .filter(|l| !l.starts_with('#'))
        .copied()
        .collect();
    assert_eq!(listed.len(), TARGETS.len());
    for (t, line) in TARGETS.iter().zip(&listed) {
        let p = dir.path().join(format!("dist/oncall-{t}.tar.gz"));
        assert_eq!(*line, format!("{}  oncall-{t}.tar.gz", sha256(&p)));
    }

    // Not the file its build job summed.
    let dir = setup();
    std::fs::write(
        dir.path()
            .join(format!("dist/oncall-{}.tar.gz", TARGETS[2])),
        "other",
    )
    .unwrap();
    let out = bash(dir.path(), &script, &env);
    assert!(!out.status.success());
    assert!(text(&out).contains("is not the file its build job summed"));
    // A build job's archive missing, or one too many.
    let dir = setup();
    std::fs::remove_file(
        dir.path()
            .join(format!("dist/oncall-{}.tar.gz", TARGETS[0])),
    )
    .unwrap();
    let out = bash(dir.path(), &script, &env);
    assert!(text(&out).contains("expected 3 archives from the build jobs, found 2"));
    let dir = setup();
    std::fs::write(dir.path().join("dist/oncall-extra.tar.gz"), "x").unwrap();
    let out = bash(dir.path(), &script, &env);
    assert!(text(&out).contains("expected 3 archives from the build jobs, found 4"));
}

/// The release job checks out the tag and publishes exactly the archives
/// its action/digests.txt lists, with a SHA256SUMS made from it.
#[test]
fn the_release_publishes_only_what_the_tags_digests_list() {
    let checkout = steps("release")
        .into_iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .unwrap();
    assert_eq!(checkout["with"]["ref"], "${{ needs.check.outputs.tag }}");
    let (check, env) = run_step(
        "release",
        "Check the archives against the tag's action/digests.txt",
    );
    assert!(env.is_null());
    let (create, _) = run_step("release", "Create the release");
    assert!(create.contains("--verify-tag"), "{create}");
    assert!(
        create.ends_with("dist/oncall-*.tar.gz dist/SHA256SUMS"),
        "{create}"
    );
    let setup = || {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("dist")).unwrap();
        std::fs::create_dir_all(dir.path().join("action")).unwrap();
        let mut digests = "# oncall 1.2.3: the SHA-256 of each archive\n".to_owned();
        for t in TARGETS {
            let name = format!("oncall-{t}.tar.gz");
            let p = dir.path().join("dist").join(&name);
            std::fs::write(&p, format!("archive for {t}")).unwrap();
            std::fs::write(dir.path().join(format!("dist/{name}.sha256")), "").unwrap();
            digests.push_str(&format!("{}  {name}\n", sha256(&p)));
        }
        std::fs::write(dir.path().join("action/digests.txt"), digests).unwrap();
        dir
    };
    let dir = setup();
    let out = bash(dir.path(), &check, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let sums = std::fs::read_to_string(dir.path().join("dist/SHA256SUMS")).unwrap();
    assert_eq!(sums.lines().count(), TARGETS.len());
    assert!(!sums.contains('#'));

    // A swapped archive, an extra one, and a tag without digests.
    let dir = setup();
    std::fs::write(
        dir.path()
            .join(format!("dist/oncall-{}.tar.gz", TARGETS[0])),
        "planted",
    )
    .unwrap();
    assert!(!bash(dir.path(), &check, &[]).status.success());
    let dir = setup();
    std::fs::write(dir.path().join("dist/oncall-extra.tar.gz"), "x").unwrap();
    let out = bash(dir.path(), &check, &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("are not the ones action/digests.txt lists"));
    let dir = setup();
    std::fs::copy("action/digests.txt", dir.path().join("action/digests.txt")).unwrap();
    assert!(!bash(dir.path(), &check, &[]).status.success());
}

/// vX and vX.Y move only forward: to this release if it is the newest
/// vX.*.* (vX.Y.*), never to an older one. A patch release of an older
/// minor moves its vX.Y and leaves vX where it is.
#[test]
fn the_moving_tags_only_move_forward() {
    let (script, env) = run_step("tags", "Move the tags, only forward");
    assert_eq!(env_keys(&env), ["COMMIT", "GH_TOKEN", "REPOSITORY", "TAG"]);
    assert_eq!(env["COMMIT"], "${{ needs.digests.outputs.commit }}");
    let commit = "d".repeat(40);
    let moves = |existing: &[&str], tag: &str| -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let refs: Vec<String> = existing
            .iter()
            .map(|t| format!("refs/tags/{t}\n"))
            .collect();
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let path = fake_gh(dir.path(), &refs);
        let out = bash(
            dir.path(),
            &script,
            &[
                ("PATH", &path),
                ("GH_TOKEN", "unused"),
                ("REPOSITORY", "acme/oncall"),
                ("TAG", tag),
                ("COMMIT", &commit),
            ],
        );
        assert!(out.status.success(), "{}", text(&out));
        std::fs::read_to_string(dir.path().join("gh.log"))
            .unwrap_or_default()
            .lines()
            .map(|l| {
                l.replace(&format!(" -f sha={commit}"), "")
                    .replace(" --silent", "")
                    .replace(" -F force=true", "")
                    .replace("gh api -X ", "")
                    .replace("repos/acme/oncall/git/", "")
            })
            .collect()
    };
    let history = ["v1.0.0", "v1.1.0", "v1.1.1", "v1", "v1.0", "v1.1"];
    // A patch of the older minor: v1.0 moves, v1 stays at v1.1.1.
    let mut with = history.to_vec();
    with.push("v1.0.1");
    assert_eq!(moves(&with, "v1.0.1"), ["PATCH refs/tags/v1.0"]);
    // A new minor: v1 moves, v1.2 is made.
    let mut with = history.to_vec();
    with.push("v1.2.0");
    assert_eq!(
        moves(&with, "v1.2.0"),
        ["PATCH refs/tags/v1", "POST refs -f ref=refs/tags/v1.2"]
    );
    // The first release makes both.
    assert_eq!(
        moves(&["v1.0.0"], "v1.0.0"),
        [
            "POST refs -f ref=refs/tags/v1",
            "POST refs -f ref=refs/tags/v1.0"
        ]
    );
    // Versions compare as numbers, not as text; another major is not in
    // the way.
    assert_eq!(
        moves(&["v1.9.3", "v1", "v1.10", "v2.0.0", "v2"], "v1.10.0"),
        ["PATCH refs/tags/v1", "PATCH refs/tags/v1.10"]
    );
    assert_eq!(
        moves(&["v1.10.0", "v1.9.3", "v1", "v1.9"], "v1.9.4"),
        ["PATCH refs/tags/v1.9"]
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
