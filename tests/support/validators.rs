//! The platforms' own validators, run from the tests: GitHub's Markdown
//! renderer (cmark-gfm, `gfm_check.py`) and Slack's SDK (`slack_sdk`,
//! `blockkit_check.py`). `.ci/run` installs both first; a plain `cargo
//! test` on a fresh machine installs the missing one here.

/// Makes sure Python can import `module`, installing `spec` if needed.
fn ensure(module: &str, spec: &str) {
    let has = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if has {
        return;
    }
    let installed = std::process::Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", spec])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        installed,
        "could not install {spec} (python3 -m pip install {spec})"
    );
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
