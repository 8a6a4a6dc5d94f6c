//! Where a repository's rotations live: the single `rotation.yaml` and
//! `oncall-log.md` at the top (the default, named `default`), and any
//! number of `rotations/<name>/rotation.yaml`, each with its
//! `oncall-log.md` beside it.

use crate::fsio::{Kind, Root};
use std::path::{Path, PathBuf};

/// The directory that holds several rotations.
pub const ROTATIONS_DIR: &str = "rotations";
/// The name of the top-level rotation.
pub const DEFAULT_NAME: &str = "default";

/// One rotation's name and files (relative to the repository's root).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Located {
    pub name: String,
    pub config: PathBuf,
    pub log: PathBuf,
}

/// A rotation's name: lowercase letters, digits and `-`, not at either end.
pub fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Every rotation under `root`, the top-level one first, then the named
/// ones by name. A directory under `rotations/` with a `rotation.yaml` and
/// a name that is not valid is an error that names it, and so is a
/// symbolic link on the way (`rotations`, `rotations/NAME`, a
/// `rotation.yaml`): oncall follows none (see `fsio`).
pub fn discover(root: &Path) -> Result<Vec<Located>, String> {
    let tree = Root::named(root).map_err(|e| e.to_string())?;
    // Paths as messages show them: `rotations/x`, not `./rotations/x`.
    let at = |p: &str| match root == Path::new(".") {
        true => PathBuf::from(p),
        false => root.join(p),
    };
    let is_file = |p: &Path| -> Result<bool, String> {
        Ok(tree.kind(p).map_err(|e| e.to_string())? == Kind::File)
    };
    let mut found = Vec::new();
    if is_file(&at("rotation.yaml"))? {
        found.extend(paths_of(DEFAULT_NAME));
    }
    let dir = at(ROTATIONS_DIR);
    let entries = tree.list(&dir).map_err(|e| e.to_string())?;
    for (name, kind) in entries {
        if kind != Kind::Dir || !is_file(&dir.join(&name).join("rotation.yaml"))? {
            continue;
        }
        if !valid_name(&name) || name == DEFAULT_NAME {
            return Err(format!(
                "{ROTATIONS_DIR}/{name}: a rotation's directory is named with lowercase letters, digits and -, and not `{DEFAULT_NAME}`: rename it"
            ));
        }
        found.extend(paths_of(&name));
    }
    Ok(found)
}

/// Whether this repository has a `rotations/` directory (a link there is
/// an error).
pub fn has_rotations_dir() -> Result<bool, crate::fsio::PathError> {
    Ok(crate::fsio::kind(Path::new(ROTATIONS_DIR))? == Kind::Dir)
}

/// Where the rotation called `name` lives, whether or not it is here (a
/// run that reads its files from GitHub needs no checkout).
pub fn paths_of(name: &str) -> Result<Located, String> {
    if name == DEFAULT_NAME {
        return Ok(Located {
            name: name.to_owned(),
            config: PathBuf::from("rotation.yaml"),
            log: PathBuf::from("oncall-log.md"),
        });
    }
    if !valid_name(name) {
        return Err(format!(
            "{name:?} is not a rotation's name: lowercase letters, digits and -"
        ));
    }
    let base = PathBuf::from(ROTATIONS_DIR).join(name);
    Ok(Located {
        name: name.to_owned(),
        config: base.join("rotation.yaml"),
        log: base.join("oncall-log.md"),
    })
}

/// The rotation called `name` under `root`, or an error that lists the
/// ones there are.
pub fn find(root: &Path, name: &str) -> Result<Located, String> {
    let all = discover(root)?;
    let names: Vec<&str> = all.iter().map(|l| l.name.as_str()).collect();
    all.iter().find(|l| l.name == name).cloned().ok_or_else(|| {
        if names.is_empty() {
            format!("no rotation {name:?}: this directory has no rotation.yaml and no {ROTATIONS_DIR}/<name>/rotation.yaml")
        } else {
            format!("no rotation {name:?}; there are: {}", names.join(", "))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_letters_digits_and_hyphens() {
        for ok in ["sre", "db-team", "team2"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "SRE", "-x", "x-", "a b", "a/b", "a_b", "ü"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
