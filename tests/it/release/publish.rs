//! The jobs that publish: the version must be new, the digests are the
//! build jobs' and all of them, the release publishes only what the tag's
//! digests list, and the moving tags only move forward.

use super::{TARGETS, bash, env_keys, fake_gh, run_step, sha256, steps, text};

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
