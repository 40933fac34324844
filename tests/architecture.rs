//! The modules of `src/` form layers: each uses only modules below it, so
//! data flows one way (docs/ARCHITECTURE.md) and no two modules import each
//! other. Read off the `crate::` (and, in main.rs, `gongkai::`) paths of
//! every source file (`gongkai::` in the program: main.rs and cmd/),
//! comments left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Every module, lowest first: value types and infrastructure, then the
/// stages of a build (config → content → check/site → render → output),
/// the flow in lib.rs, and the commands on top.
const LAYERS: &[&str] = &[
    "diagnostic",
    "escape",
    "yaml",
    "model::date",
    "model::status",
    "model::counts",
    "model::slug",
    "model::supervision",
    "model::source_file",
    "markdown",
    "load::cache",
    "load::text",
    "load::sources",
    "load::config",
    "load::content",
    "load::history",
    "load::units",
    "check",
    "site",
    "export",
    "render",
    "output",
    "lib",
    "console",
    "scaffold",
    "import",
    "serve",
    "cmd",
    "main",
];

/// Macros exported at the crate root by `console`.
const CONSOLE_MACROS: &[&str] = &["say", "warn_line", "warn_part"];

/// Folders of `src/` whose modules are layers of their own.
const FOLDERS: &[&str] = &["model", "load"];

/// The module of `src/` a file belongs to: its first path component, or
/// its first two in one of the [`FOLDERS`] (`load::content`); `None` for a
/// folder's `mod.rs`, which only declares its modules.
fn module_of(relative: &Path) -> Option<String> {
    let mut parts = relative.components().map(|c| {
        c.as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned()
    });
    let first = parts.next()?;
    if !FOLDERS.contains(&first.as_str()) {
        return Some(first);
    }
    let second = parts.next()?;
    (second != "mod").then(|| format!("{first}::{second}"))
}

/// The crate-root names a source text refers to.
fn referenced(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
    {
        for (at, _) in line.match_indices(prefix) {
            let rest = &line[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or_default();
                names.extend(group.split(',').filter_map(|item| {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    (!name.is_empty()).then_some(name)
                }));
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    names.insert(name);
                }
            }
        }
    }
    names
}

#[test]
fn every_module_uses_only_modules_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rank = |module: &str| LAYERS.iter().position(|layer| *layer == module);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "rs"))
    {
        let Some(module) = module_of(entry.path().strip_prefix(&src).expect("inside src")) else {
            continue;
        };
        let text = fs::read_to_string(entry.path()).expect("read");
        // The program (main.rs and its commands) reaches the library by name.
        let prefix = if module == "main" || module == "cmd" {
            "gongkai::"
        } else {
            "crate::"
        };
        let used = uses.entry(module.clone()).or_default();
        let mut names = referenced(&text, prefix);
        for folder in FOLDERS {
            if names.remove(*folder) {
                let inner = referenced(&text, &format!("{prefix}{folder}::"));
                names.extend(inner.into_iter().map(|name| format!("{folder}::{name}")));
            }
        }
        for name in names {
            let target = if rank(&name).is_some() {
                name
            } else if CONSOLE_MACROS.contains(&name.as_str()) {
                "console".to_owned()
            } else {
                // An item of lib.rs (`Options`, `build_with` …).
                "lib".to_owned()
            };
            if target != module {
                used.insert(target);
            }
        }
    }
    let unplaced: Vec<&String> = uses.keys().filter(|m| rank(m).is_none()).collect();
    assert!(
        unplaced.is_empty(),
        "modules without a layer in tests/architecture.rs: {unplaced:?}"
    );
    let upward: Vec<String> = uses
        .iter()
        .flat_map(|(module, used)| {
            used.iter()
                .filter(|target| rank(target) > rank(module))
                .map(move |target| format!("{module} → {target}"))
        })
        .collect();
    assert!(
        upward.is_empty(),
        "modules using a module above them: {upward:?}"
    );
    // The check itself reads what it should.
    assert!(uses["render"].contains("site") && uses["cmd"].contains("serve"));
    assert!(uses["load::content"].contains("model::status"));
}
