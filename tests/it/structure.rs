//! The code's shape:
//! - the core (crates/core) does no I/O: no I/O dependency in its
//!   Cargo.toml, no use of std's files, environment, network, processes,
//!   clock or printing in its source (clippy.toml makes these errors too);
//! - no module uses a module that uses it back (directly or through
//!   others), in either crate, counting each file of a folder (`config/`,
//!   `github/`, `commands/`, `pr/`) as a module of its own;
//! - no source file of either crate is over 600 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `root`, with its module path (`config::validate`;
/// a folder's `mod.rs` is the folder's module).
fn modules(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            let name = parts.join("::");
            if name == "main" || name == "lib" {
                continue;
            }
            out.push((name, path));
        }
    }
    out.sort();
    out
}

/// The module a path names, among `known`: the longest known prefix of it.
fn resolve(path: &str, known: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|p| known.contains(p))
}

/// The paths that start at `at` in `text`: identifiers and `::`, or each
/// item of a group (`{a, b::c}`).
fn paths_at(text: &str, at: usize) -> Vec<String> {
    let rest = &text[at..];
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == ':')
            .collect::<String>()
            .trim_end_matches(':')
            .to_owned()
    };
    match rest.strip_prefix('{') {
        Some(group) => {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(ident)
                .filter(|p| !p.is_empty())
                .collect()
        }
        None => vec![ident(rest)],
    }
}

/// Module → the modules of the same crate its file names, through
/// `crate::…`, `super::…` and, in a folder's `mod.rs`, `self::…`.
fn module_graph(root: &Path, crate_name: &str) -> BTreeMap<String, BTreeSet<String>> {
    let files = modules(root);
    let known: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, path) in &files {
        let text = std::fs::read_to_string(path).unwrap();
        // Unit tests (`mod tests`) may look anywhere.
        let text = text.split("#[cfg(test)]").next().unwrap();
        let is_folder = path.ends_with("mod.rs");
        let parent: Vec<&str> = name.split("::").collect();
        let here = if is_folder {
            parent.clone()
        } else {
            parent[..parent.len() - 1].to_vec()
        };
        let deps = graph.entry(name.clone()).or_default();
        let mut add = |p: String| {
            if let Some(m) = resolve(&p, &known)
                && &m != name
                // A file of a folder may use its folder's `mod.rs`, which
                // declares it (its parent), without that being a circle.
                && !name.starts_with(&format!("{m}::"))
            {
                deps.insert(m);
            }
        };
        for prefix in ["crate::", &format!("{crate_name}::")] {
            for (i, _) in text.match_indices(prefix) {
                if i > 0 && text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                for p in paths_at(text, i + prefix.len()) {
                    add(p);
                }
            }
        }
        // `super::x` in `a::b` (a file) is `a::x`; in `a` (a folder's
        // mod.rs) it is the parent of `a`.
        let base = match is_folder {
            true => parent[..parent.len() - 1].to_vec(),
            false => here.clone(),
        };
        for (i, _) in text.match_indices("super::") {
            for rest in paths_at(text, i + 7) {
                match base.is_empty() {
                    true => add(rest),
                    false => add(format!("{}::{rest}", base.join("::"))),
                }
            }
        }
        if is_folder {
            for (i, _) in text.match_indices("self::") {
                if text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                for rest in paths_at(text, i + 6) {
                    add(format!("{name}::{rest}"));
                }
            }
        }
    }
    graph
}

fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_owned());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_owned());
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_uses_one_that_uses_it_back_in_either_crate() {
    for (root, name) in [
        (Path::new("crates/core/src"), "oncall_core"),
        (Path::new("src"), "oncall"),
    ] {
        let graph = module_graph(root, name);
        assert!(graph.len() > 15, "{graph:?}");
        assert!(
            graph.keys().any(|k| k.contains("::")),
            "folders' files are modules of their own: {graph:?}"
        );
        if name == "oncall_core" {
            // The map sees grouped and `super::` imports inside a folder.
            for (from, to) in [
                ("config::validate", "config::calendars"),
                ("config::validate", "config::rules"),
                ("config::calendars", "config::node"),
                ("daily", "plan"),
            ] {
                assert!(
                    graph[from].contains(to),
                    "{from} → {to} not seen: {graph:?}"
                );
            }
        }
        if let Some(c) = cycle(&graph) {
            panic!(
                "{}: modules use each other: {}",
                root.display(),
                c.join(" → ")
            );
        }
    }
}

#[test]
fn the_cycle_finder_finds_a_circle_through_a_folder() {
    // The two circles config/ had (calendars ↔ validate, schema ↔
    // structure) would be found.
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert(
        "config::calendars".into(),
        ["config::validate".into()].into(),
    );
    graph.insert(
        "config::validate".into(),
        ["config::calendars".into()].into(),
    );
    assert!(cycle(&graph).is_some());
    graph.insert("config::validate".into(), BTreeSet::new());
    assert!(cycle(&graph).is_none());
}

#[test]
fn the_core_does_no_io() {
    // Its dependencies: none that does I/O.
    let manifest = std::fs::read_to_string("crates/core/Cargo.toml").unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap();
    for io in [
        "reqwest",
        "tokio",
        "octocrab",
        "hyper",
        "http",
        "rustls",
        "ureq",
        "curl",
        "mio",
        "async-std",
        "smol",
        "tempfile",
    ] {
        assert!(
            !deps
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{io} "))
                    || l.trim_start().starts_with(&format!("{io}="))),
            "crates/core depends on `{io}`"
        );
    }
    // Its source: none of std's I/O, no clock, no printing. (clippy.toml
    // refuses the functions; this catches a `use` of the modules too.)
    let forbidden = [
        "std::fs",
        "std::env",
        "std::net",
        "std::process",
        "std::io::stdin",
        "std::io::stdout",
        "std::io::stderr",
        "std::thread",
        "SystemTime",
        "Instant::now",
        "Utc::now",
        "Local::now",
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
        "dbg!(",
        "oncall::",
    ];
    for (name, path) in modules(Path::new("crates/core/src")) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for f in forbidden {
                assert!(
                    !line.contains(f),
                    "{}:{}: the core module `{name}` uses `{f}`: I/O belongs to the binary (src/)",
                    path.display(),
                    i + 1
                );
            }
        }
    }
    // The lints that make the same uses compile errors are in place.
    let lib = std::fs::read_to_string("crates/core/src/lib.rs").unwrap();
    assert!(lib.contains("#![deny(clippy::print_stdout, clippy::print_stderr"));
    assert!(lib.contains("#![deny(clippy::disallowed_methods"));
    let clippy = std::fs::read_to_string("crates/core/clippy.toml").unwrap();
    for f in [
        "std::fs::read_to_string",
        "std::env::var",
        "chrono::Utc::now",
        "std::net::TcpStream::connect",
    ] {
        assert!(
            clippy.contains(&format!("\"{f}\"")),
            "clippy.toml refuses {f}"
        );
    }
}

#[test]
fn no_source_file_is_over_600_lines() {
    for root in ["src", "crates/core/src"] {
        for (name, path) in modules(Path::new(root)) {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            assert!(
                lines <= 600,
                "{} ({name}) has {lines} lines: split it by what it does",
                path.display()
            );
        }
    }
}

#[test]
fn the_binary_builds_a_runtime_and_an_http_client_in_one_place() {
    let mut runtimes = Vec::new();
    let mut clients = Vec::new();
    for root in ["src", "crates/core/src"] {
        for (name, path) in modules(Path::new(root)) {
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains("runtime::Builder::") {
                runtimes.push(name.clone());
            }
            if text.contains("Client::builder()") {
                clients.push(name);
            }
        }
    }
    assert_eq!(runtimes, ["http"]);
    assert_eq!(clients, ["http"]);
}

/// Every read and write of a file goes through `fsio` (src/fsio.rs and
/// src/fsio/), where a path is checked from its root down (no link, only
/// regular files, reads capped): no other module of the binary touches
/// the file system itself.
#[test]
fn only_fsio_touches_the_file_system() {
    let forbidden = [
        "std::fs",
        "fs::",
        "File::open",
        "File::create",
        "OpenOptions",
        ".is_file()",
        ".is_dir()",
        ".exists()",
        ".metadata()",
        ".read_dir()",
        ".canonicalize()",
    ];
    let mut fsio = Vec::new();
    for (name, path) in modules(Path::new("src")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap();
        if name == "fsio" || name.starts_with("fsio::") {
            fsio.push(name);
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for f in forbidden {
                assert!(
                    !line.contains(f),
                    "{}:{}: `{name}` uses `{f}`: read and write files through `fsio`",
                    path.display(),
                    i + 1
                );
            }
        }
    }
    assert_eq!(fsio, ["fsio", "fsio::root"], "the modules checked");
}
