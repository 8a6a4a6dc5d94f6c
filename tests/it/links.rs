//! Nothing leads out of the repository (issue 21, finding 4): oncall reads
//! and writes only regular files, through no symbolic link, under the
//! repository (the current directory) or a directory the command line
//! names; a link, a FIFO or a device in their place is refused, quickly
//! and with a clear message, and nothing outside is read or written.
#![cfg(unix)]

use crate::support::repo::Repo;
use assert_cmd::Command;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

/// A secret outside the repository, shaped like a calendar, so that a
/// parser would echo its keys and values if it ever read it.
const SECRET: &str = "AWS_SECRET_ACCESS_KEY: s3cr3t-outside-value\nholidays:\n  - { date: ghp_outsidetoken0123456789, name: leaked-holiday-name }\n";
const SECRET_WORDS: [&str; 4] = [
    "AWS_SECRET_ACCESS_KEY",
    "s3cr3t-outside-value",
    "ghp_outsidetoken",
    "leaked-holiday-name",
];

const ROTATION: &str = "team: Links\ntimezone: UTC\nstart: 2027-02-22\nholidays:\n  - include: calendars/berlin.yaml\nmembers:\n  - github: ana\n  - github: ben\n";

/// Stops a command that would hang (a read of /dev/zero or of a FIFO) and
/// says how long it took.
fn run(cmd: &mut Command) -> (std::process::Output, Duration) {
    let start = Instant::now();
    let out = cmd.timeout(Duration::from_secs(20)).output().unwrap();
    (out, start.elapsed())
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file under `dir`, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.display().to_string(),
                    std::fs::read(&p).unwrap_or_default(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_linked_calendar_is_never_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), SECRET).unwrap();
    // The include itself a link, and a linked `calendars` directory.
    for linked_dir in [false, true] {
        let repo = Repo::with(ROTATION, None);
        match linked_dir {
            false => {
                std::fs::create_dir(repo.path("calendars")).unwrap();
                symlink(
                    outside.path().join("secret.yaml"),
                    repo.path("calendars/berlin.yaml"),
                )
                .unwrap();
            }
            true => {
                std::fs::copy(
                    outside.path().join("secret.yaml"),
                    outside.path().join("berlin.yaml"),
                )
                .unwrap();
                symlink(outside.path(), repo.path("calendars")).unwrap();
            }
        }
        for args in [
            &["check"][..],
            &["check", "--format", "github"],
            &["schedule"],
            &["advance", "--dry-run"],
            &["list", "--format", "json"],
        ] {
            let (out, _) = run(repo.oncall().args(args).env("GITHUB_ACTIONS", "true"));
            let all = text(&out);
            for word in SECRET_WORDS {
                assert!(!all.contains(word), "{args:?} showed {word}: {all}");
            }
            // `list` lists a broken rotation and succeeds.
            assert!(
                args[0] == "list" || !out.status.success(),
                "{args:?}: {all}"
            );
            assert!(all.contains("is a symbolic link"), "{args:?}: {all}");
        }
        let (out, _) = run(repo.oncall().arg("check"));
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let expected = match linked_dir {
            false => "the calendar calendars/berlin.yaml cannot be read: this is a symbolic link",
            true => {
                "the calendar calendars/berlin.yaml cannot be read: calendars is a symbolic link"
            }
        };
        assert!(text(&out).contains(expected), "{}", text(&out));
    }
}

#[test]
fn a_log_linked_to_dev_zero_is_refused_at_once() {
    for file in ["oncall-log.md", "rotation.yaml"] {
        let repo = Repo::with(
            ROTATION
                .replace("holidays:\n  - include: calendars/berlin.yaml\n", "")
                .as_str(),
            Some(""),
        );
        std::fs::remove_file(repo.path(file)).unwrap();
        symlink("/dev/zero", repo.path(file)).unwrap();
        for args in [
            &["check"][..],
            &["advance", "--dry-run"],
            &["advance"],
            &["who"],
        ] {
            let (out, took) = run(repo.oncall().args(args));
            assert_eq!(
                out.status.code(),
                Some(2),
                "{file} {args:?}: {}",
                text(&out)
            );
            assert!(
                took < Duration::from_secs(5),
                "{file} {args:?} took {took:?}"
            );
            assert!(
                text(&out).contains(&format!(
                    "{file}: this is a symbolic link, and oncall follows none"
                )),
                "{file} {args:?}: {}",
                text(&out)
            );
        }
        // Still the link: nothing was written through it or over it.
        assert!(
            std::fs::symlink_metadata(repo.path(file))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    for file in ["rotation.yaml", "oncall-log.md", "calendars/berlin.yaml"] {
        let repo = Repo::with(ROTATION, Some(""));
        std::fs::create_dir_all(repo.path("calendars")).unwrap();
        std::fs::write(repo.path("calendars/berlin.yaml"), "holidays: []\n").unwrap();
        std::fs::remove_file(repo.path(file)).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(repo.path(file))
            .status()
            .unwrap();
        assert!(made.success());
        for args in [&["check"][..], &["advance", "--dry-run"]] {
            let (out, took) = run(repo.oncall().args(args));
            assert_eq!(
                out.status.code(),
                Some(2),
                "{file} {args:?}: {}",
                text(&out)
            );
            assert!(
                took < Duration::from_secs(5),
                "{file} {args:?} took {took:?}"
            );
            assert!(
                text(&out).contains("named pipe (FIFO), not a regular file"),
                "{file} {args:?}: {}",
                text(&out)
            );
        }
    }
}

#[test]
fn a_linked_rotation_directory_is_refused_and_nothing_outside_is_written() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("rotation.yaml"),
        ROTATION.replace("holidays:\n  - include: calendars/berlin.yaml\n", ""),
    )
    .unwrap();
    std::fs::write(outside.path().join("oncall-log.md"), "").unwrap();
    let before = tree(outside.path());
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    std::fs::create_dir(repo.path("rotations")).unwrap();
    symlink(outside.path(), repo.path("rotations/sre")).unwrap();
    for args in [
        &["--rotation", "sre", "advance"][..],
        &[
            "--config",
            "rotations/sre/rotation.yaml",
            "--log",
            "rotations/sre/oncall-log.md",
            "advance",
        ],
        &[
            "--config",
            "rotations/sre/rotation.yaml",
            "--log",
            "rotations/sre/oncall-log.md",
            "swap",
            "2027-03-01",
            "2027-03-02",
        ],
        &["list"],
        &["check"],
    ] {
        let (out, _) = run(repo.oncall().args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("rotations/sre is a symbolic link")
                || text(&out).contains("rotations/sre: this is a symbolic link"),
            "{args:?}: {}",
            text(&out)
        );
        assert_eq!(tree(outside.path()), before, "{args:?} wrote outside");
    }
    // A linked `rotations` directory, likewise.
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    std::fs::create_dir(outside.path().join("sre")).unwrap();
    std::fs::copy(
        outside.path().join("rotation.yaml"),
        outside.path().join("sre/rotation.yaml"),
    )
    .unwrap();
    let before = tree(outside.path());
    symlink(outside.path(), repo.path("rotations")).unwrap();
    for args in [&["--rotation", "sre", "advance"][..], &["list"], &["check"]] {
        let (out, _) = run(repo.oncall().args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("rotations: this is a symbolic link"),
            "{args:?}: {}",
            text(&out)
        );
        assert_eq!(tree(outside.path()), before, "{args:?} wrote outside");
    }
}

#[test]
fn init_writes_nothing_through_a_linked_github_directory() {
    let outside = tempfile::tempdir().unwrap();
    let repo = Repo::with("", None);
    std::fs::remove_file(repo.path("rotation.yaml")).unwrap();
    symlink(outside.path(), repo.path(".github")).unwrap();
    let (out, _) = run(repo.oncall().args([
        "init",
        "--team",
        "Links",
        "--timezone",
        "UTC",
        "--member",
        "ana",
        "--member",
        "ben",
        "--action",
        "OWNER/oncall@v1.0.0",
    ]));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains(".github is a symbolic link"),
        "{}",
        text(&out)
    );
    assert!(
        tree(outside.path()).is_empty(),
        "init wrote outside: {:?}",
        tree(outside.path())
    );
    // All or nothing: not even rotation.yaml was written.
    assert!(!repo.path("rotation.yaml").exists());
    assert!(!repo.path("oncall-log.md").exists());
    // --workflows-only and --force likewise.
    let repo = Repo::with(
        ROTATION
            .replace("holidays:\n  - include: calendars/berlin.yaml\n", "")
            .as_str(),
        Some(""),
    );
    symlink(outside.path(), repo.path(".github")).unwrap();
    let (out, _) = run(repo.oncall().args([
        "init",
        "--workflows-only",
        "--force",
        "--action",
        "OWNER/oncall@v1.0.0",
    ]));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(tree(outside.path()).is_empty(), "init wrote outside");
}

#[test]
fn a_link_in_the_base_tree_or_the_site_directory_is_refused_too() {
    // preview --base: the base tree is a root of its own.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), SECRET).unwrap();
    let repo = Repo::with(ROTATION, Some(""));
    std::fs::create_dir(repo.path("calendars")).unwrap();
    std::fs::write(repo.path("calendars/berlin.yaml"), "holidays: []\n").unwrap();
    let base = tempfile::tempdir().unwrap();
    std::fs::write(base.path().join("rotation.yaml"), ROTATION).unwrap();
    std::fs::create_dir(base.path().join("calendars")).unwrap();
    symlink(
        outside.path().join("secret.yaml"),
        base.path().join("calendars/berlin.yaml"),
    )
    .unwrap();
    let (out, _) = run(repo.oncall().args(["preview", "--base"]).arg(base.path()));
    let all = text(&out);
    for word in SECRET_WORDS {
        assert!(!all.contains(word), "preview showed {word}: {all}");
    }
    // An include that climbs out of the base tree (to a directory beside
    // it) is refused as well.
    let beside = format!(
        "../{}/secret.yaml",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    assert_eq!(outside.path().parent(), base.path().parent());
    std::fs::write(
        base.path().join("rotation.yaml"),
        ROTATION.replace("calendars/berlin.yaml", &beside),
    )
    .unwrap();
    let (out, _) = run(repo.oncall().args(["preview", "--base"]).arg(base.path()));
    let all = text(&out);
    for word in SECRET_WORDS {
        assert!(!all.contains(word), "preview showed {word}: {all}");
    }
    assert!(all.contains("the base's files did not load"), "{all}");

    // site --out: a link where a page goes is not written through.
    let repo = Repo::with(
        ROTATION
            .replace("holidays:\n  - include: calendars/berlin.yaml\n", "")
            .as_str(),
        Some(""),
    );
    let site = tempfile::tempdir().unwrap();
    symlink(
        outside.path().join("secret.yaml"),
        site.path().join("index.html"),
    )
    .unwrap();
    let (out, _) = run(repo.oncall().args(["site", "--out"]).arg(site.path()));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("index.html: this is a symbolic link"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(outside.path().join("secret.yaml")).unwrap(),
        SECRET
    );
}
