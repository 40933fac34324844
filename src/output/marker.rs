//! The marker file: which files of an output gongkai wrote, with their size
//! and hash. gongkai replaces only what a marker lists, and a marker that
//! names a path gongkai could not have written is not its own.

use std::fs;
use std::path::Path;

use super::MARKER;
pub(super) use super::tree::Fingerprint;
use super::tree::Tree;

const MARKER_NOTE: &str = "由 gongkai 生成；gongkai 只会替换带有此标记的目录。";
/// What gongkai before the twin called a file it set aside while moving
/// files in; such files are its own and are not carried over.
pub(super) const SET_ASIDE_SUFFIX: &str = ".gongkai-old";

/// Whether the file at `key` of an output is gongkai's: the marker, a
/// file the marker lists, or one an older gongkai set aside beside one.
pub(super) fn is_ours(key: &[u8], tree: &Tree) -> bool {
    let listed = |key: &[u8]| tree.get(key).is_some_and(|entry| entry.listed.is_some());
    key == MARKER.as_bytes()
        || listed(key)
        || key
            .strip_suffix(SET_ASIDE_SUFFIX.as_bytes())
            .is_some_and(listed)
}

/// The marker's text: a note for people, then one line per file, sorted
/// by path: its hash, its size, for a page `/` and the fingerprint of what
/// it showed (a listed path never starts with `/`), and its path.
pub(super) fn manifest<'p>(
    files: impl Iterator<Item = (&'p str, Fingerprint, Option<u64>)>,
) -> String {
    use rayon::slice::ParallelSliceMut;
    use std::fmt::Write;
    let mut files: Vec<_> = files.collect();
    files.par_sort_unstable_by_key(|(path, _, _)| *path);
    // Written into one buffer: a line of its own for each of 30,000 pages
    // cost the build's last, single-threaded step a fifth of its time.
    let mut text = String::with_capacity(
        MARKER_NOTE.len()
            + files
                .iter()
                .map(|(path, ..)| path.len() + 48)
                .sum::<usize>(),
    );
    text.push_str(MARKER_NOTE);
    text.push('\n');
    for (path, print, inputs) in files {
        let _ = match inputs {
            Some(inputs) => writeln!(
                text,
                "{:016x} {} /{inputs:016x} {path}",
                print.hash, print.size
            ),
            None => writeln!(text, "{:016x} {} {path}", print.hash, print.size),
        };
    }
    text
}

/// Notes in `tree` what the marker at `marker` lists of its files (nothing
/// when there is no marker). A listed path the tree has no file at is
/// left out: there is nothing of ours there.
pub(super) fn note_listed(marker: &Path, tree: &mut Tree) {
    let Ok(text) = fs::read_to_string(marker) else {
        return;
    };
    for (path, fingerprint, inputs) in text.lines().skip(1).filter_map(listed) {
        if let Some(entry) = tree.get_mut(path.as_bytes()) {
            entry.listed = Some(fingerprint);
            entry.inputs = inputs;
        }
    }
}

/// One line of a marker (`hash size path`, or `hash size /inputs path`
/// for a page), when it names a path gongkai could have written.
fn listed(line: &str) -> Option<(&str, Fingerprint, Option<u64>)> {
    let mut parts = line.splitn(3, ' ');
    let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
    let size = parts.next()?.parse().ok()?;
    let mut path = parts.next()?;
    let mut inputs = None;
    if let Some(rest) = path.strip_prefix('/') {
        let (print, page) = rest.split_once(' ')?;
        if print.len() != 16 {
            return None;
        }
        inputs = Some(u64::from_str_radix(print, 16).ok()?);
        path = page;
    }
    is_listed_path(path).then_some((path, Fingerprint { size, hash }, inputs))
}

/// Whether `path` is one gongkai could have written: relative,
/// `/`-separated, without empty, `.` or `..` parts.
pub(super) fn is_listed_path(path: &str) -> bool {
    !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// What a marker says of itself, read once.
pub(super) struct Audit {
    /// The first line naming a path gongkai could not have written (`../x`,
    /// `/etc`, `a//b`), if any: such a marker was written by someone else,
    /// and nothing it lists may be removed.
    pub forged: Option<String>,
    /// Whether it lists at least one file.
    pub lists_files: bool,
}

/// Reads the marker at `marker` for [`Audit`] (a missing marker is neither
/// forged nor lists anything).
pub(super) fn audit(marker: &Path) -> Audit {
    let text = fs::read_to_string(marker).unwrap_or_default();
    let mut lists_files = false;
    for line in text.lines().skip(1).filter(|line| !line.trim().is_empty()) {
        if listed(line).is_none() {
            let entry = line.splitn(3, ' ').nth(2).unwrap_or(line).to_owned();
            return Audit {
                forged: Some(entry),
                lists_files,
            };
        }
        lists_files = true;
    }
    Audit {
        forged: None,
        lists_files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_line_carries_what_the_page_showed_and_is_held_to_the_same_paths() {
        let print = Fingerprint {
            size: 12,
            hash: 0xab,
        };
        let text = manifest(
            [
                ("notices/a/index.html", print, Some(0x1234)),
                ("附件 一.pdf", print, None),
            ]
            .into_iter(),
        );
        let lines: Vec<_> = text.lines().skip(1).filter_map(listed).collect();
        assert_eq!(
            lines,
            [
                ("notices/a/index.html", print, Some(0x1234)),
                ("附件 一.pdf", print, None),
            ]
        );
        for forged in [
            "00000000000000ab 12 /etc/passwd",
            "00000000000000ab 12 /abc def",
            "00000000000000ab 12 /0000000000001234 ../x",
            "00000000000000ab 12 /0000000000001234 /etc/x",
            "00000000000000ab 12 /000000000000123z a",
        ] {
            assert_eq!(listed(forged), None, "{forged}");
        }
    }
}
