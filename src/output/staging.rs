//! The next output, written beside the current one and moved in only when
//! every file of it was written.
//!
//! The marker file of an output lists its files with their size and hash.
//! With that list, a file whose bytes did not change is left alone (it keeps
//! its modification time, so upload tools skip it), only changed files are
//! moved in, and files the site no longer has are removed. Without it (the
//! first build, or an output of an older gongkai), the whole folder is
//! written beside the output and swapped in with two renames.
//!
//! Either way nothing in the output changes before every page was rendered
//! and written: a build that fails leaves the output exactly as it was.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::{MARKER, OutputError, OutputFile, Source, check_target, io_error};

const MARKER_NOTE: &str = "由 gongkai 生成；gongkai 只会替换带有此标记的目录。";
/// What a replaced file is called until the new output is complete.
const REPLACED_SUFFIX: &str = ".gongkai-old";

/// A file's size and content hash, as the marker lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    size: u64,
    hash: u64,
}

impl Fingerprint {
    fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            size: bytes.len() as u64,
            hash: xxh3_64(bytes),
        }
    }
}

/// Removes the staging folders that builds killed before they finished left
/// beside the output (`.public.gongkai-new-<pid>`, `.public.gongkai-old-<pid>`),
/// when their process is gone. A folder of a build still running is left
/// alone; where running processes cannot be seen, nothing is removed.
fn remove_leftovers_of_dead_builds(parent: &Path, name: &str) {
    let processes = Path::new("/proc");
    if !processes.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let pid = [".gongkai-new-", ".gongkai-old-"].iter().find_map(|kind| {
            file_name
                .strip_prefix(&format!(".{name}{kind}"))
                .filter(|pid| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()))
        });
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if let Some(pid) = pid
            && is_dir
            && pid != std::process::id().to_string()
            && !processes.join(pid).exists()
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Feeds what is written to a hash and keeps nothing.
struct HashingSink<'h>(&'h mut Xxh3);

impl io::Write for HashingSink<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A new output being written.
pub struct Staging {
    output: PathBuf,
    folder: PathBuf,
    retired: PathBuf,
    /// The files of the current output, when it lists them: the build then
    /// updates the output in place instead of replacing it.
    current: Option<HashMap<String, Fingerprint>>,
    written: Mutex<Vec<(String, Fingerprint)>>,
    /// Files written into `folder` that are to replace or join the output's.
    changed: Mutex<Vec<String>>,
    committed: bool,
}

impl Staging {
    /// Checks `output` and makes the staging folder. For a whole new output
    /// the folders of all `paths` are made at once.
    pub fn begin<'p>(
        output: &Path,
        site_root: &Path,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> Result<Staging, OutputError> {
        check_target(output, site_root)?;
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|error| io_error(parent, error))?;
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        remove_leftovers_of_dead_builds(parent, &name);
        let folder = parent.join(format!(".{name}.gongkai-new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.gongkai-old-{}", std::process::id()));
        for leftover in [&folder, &retired] {
            if leftover.exists() {
                fs::remove_dir_all(leftover).map_err(|error| io_error(leftover, error))?;
            }
        }
        fs::create_dir_all(&folder).map_err(|error| io_error(&folder, error))?;
        let staging = Staging {
            output: output.to_path_buf(),
            current: read_manifest(&output.join(MARKER)),
            folder,
            retired,
            written: Mutex::default(),
            changed: Mutex::default(),
            committed: false,
        };
        if staging.current.is_none() {
            let mut folders: Vec<&str> = paths
                .into_iter()
                .filter_map(|path| path.rsplit_once('/').map(|(folder, _)| folder))
                .collect();
            folders.sort_unstable();
            folders.dedup();
            // create_dir_all tolerates another thread making the same parent.
            folders.par_iter().try_for_each(|folder| {
                let folder = staging.folder.join(folder);
                fs::create_dir_all(&folder).map_err(|error| io_error(&folder, error))
            })?;
        }
        Ok(staging)
    }

    /// Writes the file at `path` (`/`-separated); may be called from many
    /// threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.place(path, Fingerprint::of(bytes), |target| {
            fs::write(target, bytes)
        })
        .map_err(|error| io_error(Path::new(path), error))
    }

    /// Copies the file `from` to `path`, streaming: an attachment of any
    /// size takes no more memory than a buffer.
    fn copy(&self, path: &str, from: &Path) -> Result<(), OutputError> {
        let failed = |error| io_error(from, error);
        let (mut reader, _) =
            crate::sources::open_regular(from).map_err(|opened| failed(opened.into()))?;
        let mut hasher = Xxh3::new();
        let size = io::copy(&mut reader, &mut HashingSink(&mut hasher)).map_err(failed)?;
        let fingerprint = Fingerprint {
            size,
            hash: hasher.digest(),
        };
        self.place(path, fingerprint, |target| match fs::copy(from, target)? {
            copied if copied == size => Ok(()),
            _ => Err(io::Error::other("文件在生成期间被改动，请重新生成")),
        })
        .map_err(failed)
    }

    /// Records the file at `path` and, unless the output has it already,
    /// has `write` put it into the staging folder.
    fn place(
        &self,
        path: &str,
        fingerprint: Fingerprint,
        write: impl FnOnce(&Path) -> io::Result<()>,
    ) -> io::Result<()> {
        fn poisoned<E>(_: E) -> io::Error {
            io::Error::other("写入输出的线程意外中止")
        }
        self.written
            .lock()
            .map_err(poisoned)?
            .push((path.to_owned(), fingerprint));
        if self.unchanged(path, fingerprint) {
            return Ok(());
        }
        let target = self.folder.join(path);
        if self.current.is_some()
            && let Some(parent) = target.parent()
        {
            fs::create_dir_all(parent)?;
        }
        write(&target)?;
        if self.current.is_some() {
            self.changed.lock().map_err(poisoned)?.push(path.to_owned());
        }
        Ok(())
    }

    /// Writes `files` in parallel.
    pub fn write_files(&self, files: &[OutputFile]) -> Result<(), OutputError> {
        files.par_iter().try_for_each(|file| match &file.source {
            Source::Text(text) => self.write(&file.path, text.as_bytes()),
            Source::Bytes(bytes) => self.write(&file.path, bytes),
            Source::Copy(from) => self.copy(&file.path, from),
        })
    }

    /// Whether the current output has these very bytes at `path`; a file
    /// changed or removed by hand since is written again.
    fn unchanged(&self, path: &str, fingerprint: Fingerprint) -> bool {
        self.current
            .as_ref()
            .and_then(|current| current.get(path))
            .is_some_and(|listed| {
                *listed == fingerprint
                    && fs::symlink_metadata(self.output.join(path))
                        .is_ok_and(|meta| meta.is_file() && meta.len() == fingerprint.size)
            })
    }

    /// Makes what was written the output.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let written = std::mem::take(&mut *lock(&self.written)?);
        let manifest = manifest(written.iter().map(|(path, print)| (path.as_str(), *print)));
        if self.current.is_none() {
            self.swap_in(&manifest)?;
        } else {
            self.update_in_place(&written, &manifest)?;
        }
        self.committed = true;
        Ok(())
    }

    /// Replaces the whole output folder by the staging folder.
    fn swap_in(&self, manifest: &str) -> Result<(), OutputError> {
        let marker = self.folder.join(MARKER);
        fs::write(&marker, manifest).map_err(|error| io_error(&marker, error))?;
        let retired = &self.retired;
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, retired).map_err(|error| io_error(&self.output, error))?;
        }
        if let Err(error) = fs::rename(&self.folder, &self.output) {
            if had_output {
                let _ = fs::rename(retired, &self.output);
            }
            return Err(io_error(&self.output, error));
        }
        if had_output {
            // The old output had our marker (checked in `begin`), so it is ours to delete.
            fs::remove_dir_all(retired).map_err(|error| io_error(retired, error))?;
        }
        Ok(())
    }

    /// Moves the changed files into the output, then removes the files the
    /// site no longer has. A failed move puts back every file moved before.
    fn update_in_place(
        &self,
        written: &[(String, Fingerprint)],
        manifest: &str,
    ) -> Result<(), OutputError> {
        let mut changed = std::mem::take(&mut *lock(&self.changed)?);
        changed.sort_unstable();
        // While files move, the marker lists none: if the build is killed
        // now, the next one rebuilds the output whole, set-aside files and all.
        if !changed.is_empty() {
            self.replace_marker(&format!("{MARKER_NOTE}\n"))?;
        }
        let mut moved: Vec<(PathBuf, bool)> = Vec::with_capacity(changed.len());
        for path in &changed {
            match self.move_in(path) {
                Ok(step) => moved.push(step),
                Err(error) => {
                    for (target, replaced) in moved.into_iter().rev() {
                        let _ = if replaced {
                            fs::rename(replaced_name(&target), &target)
                        } else {
                            fs::remove_file(&target)
                        };
                    }
                    let listed = self.current.iter().flatten().map(|(p, f)| (p.as_str(), *f));
                    let _ = self.replace_marker(&self::manifest(listed));
                    return Err(error);
                }
            }
        }
        self.replace_marker(manifest)?;
        // From here on the new output is complete; what follows tidies up.
        moved
            .par_iter()
            .filter(|(_, replaced)| *replaced)
            .try_for_each(|(target, _)| remove_entry(&replaced_name(target)))?;
        let kept: HashSet<&str> = written.iter().map(|(path, _)| path.as_str()).collect();
        let stale: Vec<&String> = self
            .current
            .iter()
            .flat_map(HashMap::keys)
            .filter(|path| !kept.contains(path.as_str()))
            .collect();
        for path in stale {
            let target = self.output.join(path);
            if fs::symlink_metadata(&target).is_ok() && !through_link(&target, &self.output) {
                remove_entry(&target)?;
                remove_empty_parents(&target, &self.output);
            }
        }
        fs::remove_dir_all(&self.folder).map_err(|error| io_error(&self.folder, error))
    }

    /// Writes the output's marker in one step (a new file renamed over it).
    fn replace_marker(&self, text: &str) -> Result<(), OutputError> {
        let marker = self.output.join(MARKER);
        let new_marker = self.folder.join(MARKER);
        fs::write(&new_marker, text)
            .and_then(|()| fs::rename(&new_marker, &marker))
            .map_err(|error| io_error(&marker, error))
    }

    /// Moves one staged file into the output, setting aside the file it
    /// replaces; tells where it went and whether it replaced one.
    fn move_in(&self, path: &str) -> Result<(PathBuf, bool), OutputError> {
        let target = self.output.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|error| io_error(parent, error))?;
        }
        let replaced = fs::symlink_metadata(&target).is_ok();
        if replaced {
            fs::rename(&target, replaced_name(&target))
                .map_err(|error| io_error(&target, error))?;
        }
        if let Err(error) = fs::rename(self.folder.join(path), &target) {
            if replaced {
                let _ = fs::rename(replaced_name(&target), &target);
            }
            return Err(io_error(&target, error));
        }
        Ok((target, replaced))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.folder);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>, OutputError> {
    mutex.lock().map_err(|_| {
        io_error(
            Path::new(MARKER),
            io::Error::other("写入输出的线程意外中止"),
        )
    })
}

/// Removes a file, or a folder someone put where the output had a file:
/// the output is gongkai's (it has the marker), so either is ours to remove.
fn remove_entry(path: &Path) -> Result<(), OutputError> {
    let removed = if fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir()) {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    removed.map_err(|error| io_error(path, error))
}

fn replaced_name(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(REPLACED_SUFFIX);
    PathBuf::from(name)
}

/// Removes the folders above `file` that became empty, up to `root`.
fn remove_empty_parents(file: &Path, root: &Path) {
    let mut folder = file.parent();
    while let Some(current) = folder {
        if current == root || fs::remove_dir(current).is_err() {
            break;
        }
        folder = current.parent();
    }
}

/// The marker's text: a note for people, then one line per file.
fn manifest<'p>(files: impl Iterator<Item = (&'p str, Fingerprint)>) -> String {
    let mut lines: Vec<String> = files
        .map(|(path, print)| format!("{:016x} {} {path}", print.hash, print.size))
        .collect();
    lines.sort_unstable();
    format!("{MARKER_NOTE}\n{}\n", lines.join("\n"))
}

/// The files a marker lists; `None` when it lists none (an older marker).
fn read_manifest(marker: &Path) -> Option<HashMap<String, Fingerprint>> {
    let text = fs::read_to_string(marker).ok()?;
    let files: HashMap<String, Fingerprint> = text
        .lines()
        .skip(1)
        .filter_map(listed)
        .map(|(path, fingerprint)| (path.to_owned(), fingerprint))
        .collect();
    (!files.is_empty()).then_some(files)
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

/// Whether a folder on the way from `root` to `path` is a link: a listed
/// path reached through one could lie outside the output.
fn through_link(path: &Path, root: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take_while(|folder| *folder != root)
        .any(|folder| fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()))
}
