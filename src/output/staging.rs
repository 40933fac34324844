//! The next output, built in a second tree beside the current one and
//! exchanged with it in one step.
//!
//! An output `public/` has a twin beside it, `.public.gongkai-previous`,
//! which holds the site as the build before last left it. A build brings
//! the twin up to the new site: a file whose bytes did not change since the
//! current output is hard-linked from it (same inode, same modification
//! time, so upload tools skip it), a changed file is written over the twin's
//! own copy, files the site no longer has are removed from the twin, and
//! every file in the output that gongkai did not write (the web team's
//! `web.config`, `uploads/` …) is linked over as it is. Then the two trees
//! are exchanged (`renameat2(RENAME_EXCHANGE)` on Linux): the output path
//! holds the complete old site or the complete new one at every instant, and
//! the old one becomes the twin for the next build.
//!
//! Nothing under the output path is written, moved or removed before the
//! exchange, so a build that fails or is killed leaves it exactly as it
//! was; the twin it left half updated is brought up to date by the next
//! build like any other. A rebuild writes only what changed and removes
//! nothing from the output.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::marker::{Fingerprint, is_ours, manifest, note_listed};
use super::system::{
    InTwin, Lock, Rooted, exchange, file_system_time, has_size, open_own, refuse_mount_point,
    symlink, take_on_owner_and_mode,
};
use super::tree::{
    Entry, FastHash, Key, Kind, Seen, Tree, child_key, folders_of, names_in, path_of, survey,
    survey_since,
};
use super::{MARKER, OutputError, OutputErrorKind, OutputFile, Source, check_target, io_error};
use crate::diagnostic::{Located, Location};

type PathSet<'p> = HashSet<&'p [u8], FastHash>;

/// The output folder's own name, which names what gongkai keeps beside it.
fn name_of(output: &Path) -> String {
    output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned())
}

/// The path of the twin of the output `output`.
pub fn twin_of(output: &Path) -> PathBuf {
    output.with_file_name(format!(".{}.gongkai-previous", name_of(output)))
}

/// Changes whenever the layout of the index file does.
const SEEN_FORMAT: u32 = 1;

/// The file `.<output's name>.gongkai-<kind>` gongkai keeps beside the
/// output `output`.
fn kept_beside(output: &Path, kind: &str) -> PathBuf {
    output.with_file_name(format!(".{}.gongkai-{kind}", name_of(output)))
}

/// The path of the file in which a build leaves what its surveys saw of
/// the output and its twin (`tree::Seen`), beside the output `output`.
fn index_of(output: &Path) -> PathBuf {
    kept_beside(output, "index")
}

/// What the last build saw of the output and of its twin, read from the
/// bytes of the index it left.
fn read_seen(index: &[u8]) -> Option<(Seen<'_>, Seen<'_>)> {
    let (format, live, twin) = postcard::from_bytes::<(u32, Seen, Seen)>(index).ok()?;
    (format == SEEN_FORMAT).then_some((live, twin))
}

/// The path of the parse cache (`load::cache`) gongkai keeps beside the
/// output `output`.
pub fn cache_of(output: &Path) -> PathBuf {
    kept_beside(&super::resolved(output), "cache")
}

/// The path of the search index's lists (`output::search::remembered`)
/// gongkai keeps beside the output `output`.
pub fn search_lists_of(output: &Path) -> PathBuf {
    kept_beside(&super::resolved(output), "search")
}

/// The files, links and empty folders of the output `output` that gongkai
/// did not write, sorted: what every build keeps as it is.
pub fn foreign_files(output: &Path) -> io::Result<Vec<PathBuf>> {
    let mut tree = survey(output)?;
    note_listed(&output.join(MARKER), &mut tree);
    let mut foreign = foreign_in(&tree);
    foreign.sort_unstable();
    Ok(foreign
        .iter()
        .map(|key| path_of(key).to_path_buf())
        .collect())
}

/// The entries of `tree` that are not gongkai's: neither a regular file
/// its marker lists (nor a file an older gongkai set aside beside one),
/// nor the marker, nor a folder holding anything.
fn foreign_in(tree: &Tree) -> Vec<Key> {
    let holding: PathSet = tree
        .keys()
        .filter_map(|key| folders_of(key).next())
        .collect();
    tree.iter()
        .filter(|(key, entry)| match entry.kind {
            Kind::Folder => !holding.contains(&key[..]),
            Kind::Link => true,
            Kind::File => !is_ours(key, tree),
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// The folders the files gongkai did not write (`foreign`, entries of
/// `live`) need: those above them, and their own empty folders.
fn foreign_folders<'k>(foreign: &'k [Key], live: &Tree) -> PathSet<'k> {
    let mut folders: PathSet = foreign.iter().flat_map(|key| folders_of(key)).collect();
    folders.extend(
        foreign
            .iter()
            .filter(|key| live.get(*key).is_some_and(|e| e.kind == Kind::Folder))
            .map(|key| &key[..]),
    );
    folders
}

/// Removes what builds killed before they were done left beside the
/// output, once their process is gone: the staging folders of gongkai
/// before the twin (`.public.gongkai-new-<pid>`, `.public.gongkai-old-<pid>`)
/// and a parse cache, index or search lists being saved
/// (`.public.gongkai-cache-new-<pid>`, `.public.gongkai-index-new-<pid>`,
/// `.public.gongkai-search-new-<pid>`).
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
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let leftover = [
            (".gongkai-new-", true),
            (".gongkai-old-", true),
            (".gongkai-cache-new-", false),
            (".gongkai-index-new-", false),
            (".gongkai-search-new-", false),
        ]
        .iter()
        .find_map(|(kind, folder)| {
            file_name
                .strip_prefix(&format!(".{name}{kind}"))
                .filter(|pid| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()))
                .filter(|_| *folder == is_dir)
        });
        if let Some(pid) = leftover
            && !processes.join(pid).exists()
        {
            let _ = if is_dir {
                fs::remove_dir_all(entry.path())
            } else {
                fs::remove_file(entry.path())
            };
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

/// What a finished build left besides the site.
#[derive(Debug, Default, Clone)]
pub struct Committed {
    /// The files in the output gongkai did not write, kept as they were.
    pub kept: Vec<PathBuf>,
    /// Files put into the output while the build ran, moved into the new
    /// output after the exchange.
    pub rescued: Vec<PathBuf>,
}

/// A new output being written into the twin.
pub struct Staging {
    output: PathBuf,
    twin: PathBuf,
    _lock: Lock,
    /// What the current output holds (with what its marker lists), and
    /// when it was read.
    live: Tree,
    /// The output folder, opened to look its files up quickly.
    live_root: Rooted,
    surveyed_at: SystemTime,
    /// What the twin holds once cleared of what the new site does not have.
    twin_files: Tree,
    foreign: Vec<Key>,
    /// Every file placed, with the fingerprint of what it shows for a page.
    written: Mutex<Vec<(String, Fingerprint, Option<u64>)>>,
}

impl Staging {
    /// [`Staging::open`], then [`Staging::make_room`] for `paths`.
    pub fn begin<'p>(
        output: &Path,
        site_root: &Path,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> Result<Staging, OutputError> {
        let mut staging = Staging::open(output, site_root)?;
        staging.make_room(paths)?;
        Ok(staging)
    }

    /// Checks `output`, takes the hold on it, and reads what it and its
    /// twin hold. Changes nothing in the output, so it can run while the
    /// site is loaded.
    pub fn open(output: &Path, site_root: &Path) -> Result<Staging, OutputError> {
        check_target(output, site_root)?;
        // A link to the output folder is followed: the site goes where it
        // points, and the link stays a link.
        let output = &super::resolved(output);
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|error| io_error(parent, error))?;
        let lock = Lock::take(parent, output)?;
        let name = name_of(output);
        remove_leftovers_of_dead_builds(parent, &name);
        let twin = twin_of(output);
        refuse_mount_point(output, parent)?;
        match fs::symlink_metadata(&twin) {
            Ok(meta) if !meta.is_dir() => {
                return Err(Located::new(
                    Location::file_start(&twin),
                    OutputErrorKind::TwinNotAFolder,
                ));
            }
            _ => {}
        }
        let surveyed_at = file_system_time(&parent.join(format!(".{name}.gongkai-clock")));
        let index = fs::read(index_of(output)).unwrap_or_default();
        let seen = read_seen(&index);
        let surveyed = |root: &Path, seen: Option<&Seen>| {
            let mut tree = survey_since(root, seen)?;
            note_listed(&root.join(MARKER), &mut tree);
            Ok::<Tree, io::Error>(tree)
        };
        let (live, twin_files) = rayon::join(
            || surveyed(output, seen.as_ref().map(|(live, _)| live)),
            || surveyed(&twin, seen.as_ref().map(|(_, twin)| twin)),
        );
        let live = live.map_err(|error| io_error(output, error))?;
        let twin_files = twin_files.map_err(|error| io_error(&twin, error))?;
        let foreign = foreign_in(&live);
        Ok(Staging {
            output: output.to_path_buf(),
            twin,
            _lock: lock,
            live,
            live_root: Rooted::open(output),
            surveyed_at,
            twin_files,
            foreign,
            written: Mutex::default(),
        })
    }

    /// Clears the twin down to what the new site (`paths`) and the files
    /// gongkai did not write need, and makes its folders; refuses a site
    /// that would write where one of those files is.
    pub fn make_room<'p>(
        &mut self,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> Result<(), OutputError> {
        let site: PathSet = paths.into_iter().map(str::as_bytes).collect();
        let site_folders: PathSet = site.iter().flat_map(|key| folders_of(key)).collect();
        self.refuse_foreign_in_the_way(&site, &site_folders)?;
        // From here on the twin matches no marker until the build is done.
        match fs::remove_file(self.twin.join(MARKER)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => {
                return Err(io_error(&self.twin, error));
            }
            _ => {}
        }
        self.clear_twin(&site, site_folders)?;
        self.carry_foreign_over()
    }

    /// Refuses a site that would write where a file gongkai did not write is.
    fn refuse_foreign_in_the_way(
        &self,
        site: &PathSet,
        site_folders: &PathSet,
    ) -> Result<(), OutputError> {
        let mut in_the_way: Vec<&Key> = self
            .foreign
            .iter()
            .filter(|key| {
                site.contains(&key[..])
                    || folders_of(key).any(|folder| site.contains(folder))
                    || (site_folders.contains(&key[..])
                        && self.live.get(*key).is_some_and(|e| e.kind != Kind::Folder))
            })
            .collect();
        in_the_way.sort_unstable();
        match in_the_way.first() {
            None => Ok(()),
            Some(first) => Err(Located::new(
                Location::file_start(&self.output.join(path_of(first))),
                OutputErrorKind::ForeignInTheWay {
                    path: String::from_utf8_lossy(first).into_owned(),
                    others: in_the_way.len() - 1,
                },
            )),
        }
    }

    /// Removes from the twin what the new output will not have (or will
    /// have differently), then makes the folders it will have.
    fn clear_twin(&mut self, site: &PathSet, site_folders: PathSet) -> Result<(), OutputError> {
        let foreign: PathSet = self.foreign.iter().map(|key| &key[..]).collect();
        let mut wanted_folders: PathSet = site_folders;
        wanted_folders.extend(foreign_folders(&self.foreign, &self.live));
        let unwanted: Vec<(Key, Kind)> = self
            .twin_files
            .iter()
            .filter(|(key, entry)| match entry.kind {
                Kind::Folder => !wanted_folders.contains(&key[..]),
                Kind::File if site.contains(&key[..]) => false,
                Kind::File | Kind::Link => {
                    !(foreign.contains(&key[..]) && self.same_as_live(key, entry))
                }
            })
            .map(|(key, entry)| (key.clone(), entry.kind))
            .collect();
        let unwanted_folders: PathSet = unwanted
            .iter()
            .filter(|(_, kind)| *kind == Kind::Folder)
            .map(|(key, _)| &key[..])
            .collect();
        let inside_unwanted =
            |key: &[u8]| folders_of(key).any(|folder| unwanted_folders.contains(folder));
        unwanted
            .par_iter()
            .filter(|(key, _)| !inside_unwanted(key))
            .try_for_each(|(key, kind)| {
                let at = self.twin.join(path_of(key));
                let removed = match kind {
                    Kind::Folder => fs::remove_dir_all(&at),
                    Kind::File | Kind::Link => fs::remove_file(&at),
                };
                match removed {
                    // Gone already (the twin's marker, removed above).
                    Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
                    other => other.map_err(|error| io_error(&at, error)),
                }
            })?;
        let gone: PathSet = unwanted.iter().map(|(key, _)| &key[..]).collect();
        if !unwanted.is_empty() {
            self.twin_files
                .retain(|key, _| !gone.contains(&key[..]) && !inside_unwanted(key));
        }
        fs::create_dir_all(&self.twin).map_err(|error| io_error(&self.twin, error))?;
        let mut missing: Vec<&[u8]> = wanted_folders
            .into_iter()
            .filter(|folder| !self.twin_files.contains_key(*folder))
            .collect();
        missing.sort_unstable();
        // create_dir_all tolerates another thread making the same parent.
        missing.par_iter().try_for_each(|folder| {
            let at = self.twin.join(path_of(folder));
            fs::create_dir_all(&at).map_err(|error| io_error(&at, error))
        })
    }

    /// Whether the twin's entry at `path` is the very file (or an equal
    /// link) the output has there.
    fn same_as_live(&self, key: &[u8], entry: &Entry) -> bool {
        let Some(live) = self.live.get(key) else {
            return false;
        };
        let path = path_of(key);
        match (entry.kind, live.kind) {
            (Kind::File, Kind::File) => entry.inode == live.inode,
            (Kind::Link, Kind::Link) => {
                let target = |root: &Path| fs::read_link(root.join(path)).ok();
                target(&self.output).is_some() && target(&self.output) == target(&self.twin)
            }
            _ => false,
        }
    }

    /// Puts a file gongkai did not write into the twin, as it is: the very
    /// file (a hard link), or the very link.
    fn carry_over_one(&self, key: &[u8]) -> io::Result<()> {
        let from = self.output.join(path_of(key));
        let to = self.twin.join(path_of(key));
        match self.live.get(key).map(|entry| entry.kind) {
            Some(Kind::File) => fs::hard_link(&from, &to),
            Some(Kind::Link) => symlink(&fs::read_link(&from)?, &to),
            Some(Kind::Folder) | None => Ok(()),
        }
    }

    /// Carries the web team's files into the twin, and gives the folders
    /// that hold them (and the output folder itself) their owner and
    /// permissions. Refuses what cannot be kept as it is (a file of another
    /// user the system does not let us link, a folder whose owner we cannot
    /// give), before the output is touched.
    fn carry_foreign_over(&self) -> Result<(), OutputError> {
        let cannot_keep = |key: &[u8], error: io::Error| {
            let path = String::from_utf8_lossy(key).into_owned();
            let at = Location::file_start(&self.output.join(path_of(key)));
            match error.kind() {
                io::ErrorKind::PermissionDenied => {
                    Located::new(at, OutputErrorKind::CannotKeep { path })
                }
                _ => io_error(&self.output.join(path_of(key)), error),
            }
        };
        self.foreign
            .par_iter()
            .filter(|key| !self.twin_files.contains_key(*key))
            .try_for_each(|key| {
                self.carry_over_one(key)
                    .map_err(|error| cannot_keep(key, error))
            })?;
        if fs::symlink_metadata(&self.output).is_err() {
            return Ok(());
        }
        let mut folders = foreign_folders(&self.foreign, &self.live);
        folders.insert(b"");
        folders.into_iter().try_for_each(|folder| {
            let (from, to) = (
                self.output.join(path_of(folder)),
                self.twin.join(path_of(folder)),
            );
            take_on_owner_and_mode(&from, &to).map_err(|error| cannot_keep(folder, error))
        })
    }

    /// Writes the file at `path` (`/`-separated); may be called from many
    /// threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.place(path, Fingerprint::of(bytes), None, |file| {
            file.write_all(bytes)
        })
        .map_err(|error| io_error(Path::new(path), error))
    }

    /// Writes the page at `path`, noting `inputs`, the fingerprint of what
    /// it shows, so that the next build can keep it without rendering it.
    pub fn write_page(&self, path: &str, bytes: &[u8], inputs: u64) -> Result<(), OutputError> {
        self.place(path, Fingerprint::of(bytes), Some(inputs), |file| {
            file.write_all(bytes)
        })
        .map_err(|error| io_error(Path::new(path), error))
    }

    /// Keeps the page at `path` as the output has it, when the output's
    /// marker says it was written from these very `inputs` and the file is
    /// still the one it lists; `false` when it must be rendered.
    pub fn keep_page(&self, path: &str, inputs: u64) -> Result<bool, OutputError> {
        let live = self
            .live
            .get(path.as_bytes())
            .filter(|e| e.kind == Kind::File);
        let Some(listed) = live
            .filter(|entry| entry.inputs == Some(inputs))
            .and_then(|entry| entry.listed)
        else {
            return Ok(false);
        };
        if !self.live_root.has_size(path.as_bytes(), listed.size) {
            return Ok(false);
        }
        let source = self.output.join(path);
        let target = self.twin.join(path);
        let in_twin = self
            .twin_files
            .get(path.as_bytes())
            .filter(|e| e.kind == Kind::File);
        let shared = matches!((in_twin, live), (Some(t), Some(l)) if t.inode == l.inode);
        if in_twin.is_none() {
            if fs::hard_link(&source, &target).is_err() {
                return Ok(false);
            }
        } else if !shared {
            // Linked beside the twin's own copy, then over it, so that a
            // page that cannot be linked is left for rendering as it was.
            let beside = target.with_file_name(format!(
                ".{}.gongkai-link",
                target.file_name().unwrap_or_default().to_string_lossy()
            ));
            if fs::hard_link(&source, &beside).is_err() {
                return Ok(false);
            }
            fs::rename(&beside, &target).map_err(|error| io_error(&target, error))?;
        }
        self.record(path, listed, Some(inputs))
            .map_err(|e| io_error(&target, e))?;
        Ok(true)
    }

    fn record(&self, path: &str, print: Fingerprint, inputs: Option<u64>) -> io::Result<()> {
        self.written
            .lock()
            .map_err(|_| io::Error::other("写入输出的线程意外中止"))?
            .push((path.to_owned(), print, inputs));
        Ok(())
    }

    /// Copies the file `from` to `path`, streaming: an attachment of any
    /// size takes no more memory than a buffer.
    fn copy(&self, path: &str, from: &Path) -> Result<(), OutputError> {
        let failed = |error| io_error(from, error);
        let open = || crate::load::sources::open_regular(from).map(|(reader, _)| reader);
        let mut reader = open().map_err(|opened| failed(opened.into()))?;
        let mut hasher = Xxh3::new();
        let size = io::copy(&mut reader, &mut HashingSink(&mut hasher)).map_err(failed)?;
        let fingerprint = Fingerprint {
            size,
            hash: hasher.digest(),
        };
        self.place(path, fingerprint, None, |file| {
            let mut reader = open().map_err(io::Error::from)?;
            match io::copy(&mut reader, file)? {
                copied if copied == size => Ok(()),
                _ => Err(io::Error::other("文件在生成期间被改动，请重新生成")),
            }
        })
        .map_err(failed)
    }

    /// Records the file at `path` and puts it into the twin: linked from
    /// the output when the output has these very bytes there, left as it is
    /// when the twin has them, else written by `write`.
    fn place(
        &self,
        path: &str,
        fingerprint: Fingerprint,
        inputs: Option<u64>,
        write: impl FnOnce(&mut fs::File) -> io::Result<()>,
    ) -> io::Result<()> {
        self.record(path, fingerprint, inputs)?;
        let key = path.as_bytes();
        let target = self.twin.join(path);
        let in_twin = self.twin_files.get(key).filter(|e| e.kind == Kind::File);
        let live = self.live.get(key).filter(|e| e.kind == Kind::File);
        let shared = matches!((in_twin, live), (Some(t), Some(l)) if t.inode == l.inode);
        let mut own_copy = in_twin.is_some() && !shared;
        if live.is_some_and(|entry| entry.listed == Some(fingerprint))
            && self.live_root.has_size(key, fingerprint.size)
        {
            if shared {
                return Ok(());
            }
            if in_twin.is_some() {
                fs::remove_file(&target)?;
                own_copy = false;
            }
            if fs::hard_link(self.output.join(path), &target).is_ok() {
                return Ok(());
            }
        } else if own_copy
            && in_twin.is_some_and(|entry| entry.listed == Some(fingerprint))
            && has_size(&target, fingerprint.size)
        {
            return Ok(());
        }
        let there = match in_twin {
            None => InTwin::Nothing,
            Some(_) if own_copy => InTwin::OwnCopy,
            Some(_) => InTwin::Other,
        };
        let mut file = open_own(&target, there)?;
        write(&mut file)
    }

    /// Writes `files` in parallel.
    pub fn write_files(&self, files: &[OutputFile]) -> Result<(), OutputError> {
        files.par_iter().try_for_each(|file| match &file.source {
            Source::Text(text) => self.write(&file.path, text.as_bytes()),
            Source::Bytes(bytes) => self.write(&file.path, bytes),
            Source::Copy(from) => self.copy(&file.path, from),
        })
    }

    /// Makes the twin the output, in one step, and the output the twin.
    pub fn commit(self) -> Result<Committed, OutputError> {
        let written = std::mem::take(&mut *lock(&self.written)?);
        let manifest = manifest(
            written
                .iter()
                .map(|(path, print, inputs)| (path.as_str(), *print, *inputs)),
        );
        let marker = self.twin.join(MARKER);
        fs::write(&marker, manifest).map_err(|error| io_error(&marker, error))?;
        exchange(&self.twin, &self.output).map_err(|error| io_error(&self.output, error))?;
        // What both surveys saw is saved for the next build to read only
        // the folders changed since (by this build, among others). Only an
        // aid: one that cannot be saved is not missed.
        let (rescued, _) = rayon::join(|| self.rescue_late_arrivals(), || self.save_seen());
        let mut kept = self.foreign;
        kept.sort_unstable();
        let kept = kept.iter().map(|key| path_of(key).to_path_buf()).collect();
        Ok(Committed { kept, rescued })
    }

    /// Saves what the surveys of this build saw: the twin's as the new
    /// output's, the output's as the new twin's.
    fn save_seen(&self) -> io::Result<()> {
        let (live, twin) = rayon::join(
            || Seen::of(&self.twin_files, &self.output, self.surveyed_at),
            || Seen::of(&self.live, &self.twin, self.surveyed_at),
        );
        let (Some(live), Some(twin)) = (live, twin) else {
            return Ok(());
        };
        crate::load::cache::replace_file(&index_of(&self.output), &(SEEN_FORMAT, live, twin))
    }

    /// Moves into the new output what someone put into the old one while
    /// this build ran (after it was read): the exchange took it along with
    /// the old output. Only folders changed since then are read.
    fn rescue_late_arrivals(&self) -> Vec<PathBuf> {
        let old = &self.twin;
        let modified = Rooted::open(old);
        let changed_since = |folder: &[u8]| {
            modified
                .modified(folder)
                .is_none_or(|modified| modified >= self.surveyed_at)
        };
        let mut folders: Vec<&[u8]> = self
            .live
            .iter()
            .filter(|(_, entry)| entry.kind == Kind::Folder)
            .map(|(key, _)| &key[..])
            .collect();
        folders.push(b"");
        let changed: Vec<&[u8]> = folders
            .into_par_iter()
            .filter(|f| changed_since(f))
            .collect();
        let mut rescued = Vec::new();
        for folder in changed {
            let Ok(arrivals) = names_in(&old.join(path_of(folder))) else {
                continue;
            };
            for name in arrivals {
                let key = child_key(folder, &name);
                let path = path_of(&key);
                let at = self.output.join(path);
                if self.live.contains_key(&key[..]) || fs::symlink_metadata(&at).is_ok() {
                    continue;
                }
                let moved = at
                    .parent()
                    .map_or(Ok(()), fs::create_dir_all)
                    .and_then(|()| fs::rename(old.join(path), &at));
                if moved.is_ok() {
                    rescued.push(path.to_path_buf());
                }
            }
        }
        rescued.sort_unstable();
        rescued
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
