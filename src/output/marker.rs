//! The marker file: which files of an output gongkai wrote, with their size
//! and hash. gongkai replaces only what a marker lists, and a marker that
//! names a path gongkai could not have written is not its own.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use xxhash_rust::xxh3::xxh3_64;

use super::MARKER;
use super::tree::FastHash;

/// The files a marker lists, by path.
pub(super) type Listed = HashMap<String, Fingerprint, FastHash>;

const MARKER_NOTE: &str = "由 gongkai 生成；gongkai 只会替换带有此标记的目录。";
/// What gongkai before the twin called a file it set aside while moving
/// files in; such files are its own and are not carried over.
pub(super) const SET_ASIDE_SUFFIX: &str = ".gongkai-old";

/// A file's size and content hash, as the marker lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fingerprint {
    pub size: u64,
    pub hash: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            size: bytes.len() as u64,
            hash: xxh3_64(bytes),
        }
    }
}

/// Whether the file at `key` of an output is gongkai's: the marker, a
/// file the marker lists, or one an older gongkai set aside beside one.
pub(super) fn is_ours(key: &[u8], listed: &Listed) -> bool {
    let Ok(key) = std::str::from_utf8(key) else {
        return false;
    };
    key == MARKER
        || listed.contains_key(key)
        || key
            .strip_suffix(SET_ASIDE_SUFFIX)
            .is_some_and(|original| listed.contains_key(original))
}

/// The marker's text: a note for people, then one line per file.
pub(super) fn manifest<'p>(files: impl Iterator<Item = (&'p str, Fingerprint)>) -> String {
    let mut lines: Vec<String> = files
        .map(|(path, print)| format!("{:016x} {} {path}", print.hash, print.size))
        .collect();
    lines.sort_unstable();
    format!("{MARKER_NOTE}\n{}\n", lines.join("\n"))
}

/// The files a marker lists (none when there is no marker).
pub(super) fn read_manifest(marker: &Path) -> Listed {
    let Ok(text) = fs::read_to_string(marker) else {
        return Listed::default();
    };
    text.lines()
        .skip(1)
        .filter_map(listed)
        .map(|(path, fingerprint)| (path.to_owned(), fingerprint))
        .collect()
}

/// Whether the marker at `marker` lists at least one file.
pub(super) fn lists_files(marker: &Path) -> bool {
    !read_manifest(marker).is_empty()
}

/// One line of a marker (`hash size path`), when it names a path gongkai
/// could have written.
fn listed(line: &str) -> Option<(&str, Fingerprint)> {
    let mut parts = line.splitn(3, ' ');
    let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
    let size = parts.next()?.parse().ok()?;
    let path = parts.next()?;
    is_listed_path(path).then_some((path, Fingerprint { size, hash }))
}

/// Whether `path` is one gongkai could have written: relative,
/// `/`-separated, without empty, `.` or `..` parts.
pub(super) fn is_listed_path(path: &str) -> bool {
    !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// The first line of the marker at `marker` that names a path gongkai
/// could not have written (`../x`, `/etc`, `a//b`), if any: such a marker
/// was written by someone else, and nothing it lists may be removed.
pub(super) fn forged_entry(marker: &Path) -> Option<String> {
    let text = fs::read_to_string(marker).ok()?;
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .find(|line| listed(line).is_none())
        .map(|line| line.splitn(3, ' ').nth(2).unwrap_or(line).to_owned())
}
