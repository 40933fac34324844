//! What a folder holds, read in parallel: every entry by its path relative
//! to the folder, as `/`-separated bytes. Names are kept as bytes because
//! files the web team put into an output need not have UTF-8 names (a file
//! uploaded from Windows is often named in GBK).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;

/// A path relative to the root of a tree, `/`-separated.
pub type Key = Box<[u8]>;

/// A hash several times faster than the default one for short keys such
/// as our paths, of which a build looks up some 200,000 (seeded per run).
pub type FastHash = foldhash::fast::RandomState;

/// Every entry under a folder, by [`Key`].
pub type Tree = HashMap<Key, Entry, FastHash>;

/// What is at a path of a tree, as its folder lists it (links not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
}

#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub kind: Kind,
    /// The inode number the folder lists (no file is opened to learn it).
    pub inode: u64,
    /// What the tree's marker says gongkai wrote here, if it lists it.
    pub listed: Option<Fingerprint>,
    /// For a page, the fingerprint of what it showed (`site::fingerprints`)
    /// when it was written, as the marker lists it.
    pub inputs: Option<u64>,
}

/// A file's size and content hash, as a marker lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub size: u64,
    pub hash: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            size: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }
}

/// Everything under `root`; a folder that does not exist is an empty tree.
/// Links are listed, never followed.
pub fn survey(root: &Path) -> io::Result<Tree> {
    survey_since(root, None)
}

/// [`survey`], taking from `seen` (what the last survey of this folder saw)
/// the entries of every folder that has not changed since: a folder whose
/// status-change time is before the one `seen` was taken at, and which is
/// the very folder seen there (same inode), holds the entries seen in it.
pub fn survey_since(root: &Path, seen: Option<&Seen<'_>>) -> io::Result<Tree> {
    type Found = Mutex<Vec<(Key, Entry)>>;
    fn read(
        root: &Path,
        folder: &[u8],
        listing: Option<Vec<(Key, Entry)>>,
        known: Option<&Known>,
        found: &Found,
    ) -> io::Result<()> {
        let here = match listing {
            Some(listing) => listing,
            None => read_folder(root, folder)?,
        };
        let folders: Vec<(Key, u64)> = here
            .iter()
            .filter(|(_, entry)| entry.kind == Kind::Folder)
            .map(|(key, entry)| (key.clone(), entry.inode))
            .collect();
        found
            .lock()
            .map_err(|_| io::Error::other("读取输出目录的线程意外中止"))?
            .extend(here);
        folders.par_iter().try_for_each(|(inner, inode)| {
            let listing = known.and_then(|known| known.unchanged(inner, *inode));
            read(root, inner, listing, known, found)
        })
    }
    let Ok(meta) = fs::symlink_metadata(root) else {
        return Ok(Tree::default());
    };
    if !meta.is_dir() {
        return Ok(Tree::default());
    }
    let known = seen.and_then(|seen| Known::of(seen, root, &meta));
    let found = Mutex::new(Vec::new());
    read(root, b"", None, known.as_ref(), &found)?;
    let found = found
        .into_inner()
        .map_err(|_| io::Error::other("读取输出目录的线程意外中止"))?;
    let mut tree = Tree::with_capacity_and_hasher(found.len(), Default::default());
    tree.extend(found);
    Ok(tree)
}

/// The entries of one folder, as it lists them.
fn read_folder(root: &Path, folder: &[u8]) -> io::Result<Vec<(Key, Entry)>> {
    fs::read_dir(root.join(path_of(folder)))?
        .map(|entry| {
            let entry = entry?;
            let file_type = entry.file_type()?;
            let kind = if file_type.is_symlink() {
                Kind::Link
            } else if file_type.is_dir() {
                Kind::Folder
            } else {
                Kind::File
            };
            let key = child_key(folder, &bytes_of(&entry.file_name()));
            Ok((key.into_boxed_slice(), Entry::new(kind, inode(&entry))))
        })
        .collect()
}

impl Entry {
    fn new(kind: Kind, inode: u64) -> Entry {
        Entry {
            kind,
            inode,
            listed: None,
            inputs: None,
        }
    }
}

/// What a survey of a folder saw, and from when: the folder's inode, a
/// time by the file system's clock taken before the survey began, and the
/// entries of every folder under it (name, kind, inode).
///
/// A folder's entries change only together with its status-change time
/// (ctime), which no program can set back, so a folder whose ctime is
/// before that time holds what was seen; one changed since (by anyone, the
/// build that surveyed it included) is read again.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Seen<'t> {
    root: u64,
    before: (u64, u32),
    #[serde(borrow)]
    folders: Vec<SeenFolder<'t>>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct SeenFolder<'t> {
    #[serde(with = "serde_bytes")]
    key: &'t [u8],
    inode: u64,
    #[serde(borrow)]
    entries: Vec<SeenEntry<'t>>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct SeenEntry<'t> {
    #[serde(with = "serde_bytes")]
    name: &'t [u8],
    kind: u8,
    inode: u64,
}

impl Seen<'_> {
    /// What `tree`, surveyed under `root` from `before` on, holds.
    pub fn of<'t>(tree: &'t Tree, root: &Path, before: SystemTime) -> Option<Seen<'t>> {
        let root_inode = folder_inode(&fs::symlink_metadata(root).ok()?)?;
        let since_epoch = before.duration_since(SystemTime::UNIX_EPOCH).ok()?;
        // Entries grouped by their folder: sorted by it, then taken in runs.
        // (A folder holding nothing is not listed: it is read again.)
        let mut entries: Vec<(&[u8], SeenEntry)> = tree
            .iter()
            .map(|(key, entry)| {
                let (folder, name) = match key.iter().rposition(|&byte| byte == b'/') {
                    Some(slash) => (&key[..slash], &key[slash + 1..]),
                    None => (&b""[..], &key[..]),
                };
                let kind = match entry.kind {
                    Kind::File => 0,
                    Kind::Folder => 1,
                    Kind::Link => 2,
                };
                let seen = SeenEntry {
                    name,
                    kind,
                    inode: entry.inode,
                };
                (folder, seen)
            })
            .collect();
        entries.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut folders: Vec<SeenFolder> = Vec::new();
        for (folder, entry) in entries {
            match folders.last_mut() {
                Some(last) if last.key == folder => last.entries.push(entry),
                _ => {
                    let inode = match tree.get(folder) {
                        _ if folder.is_empty() => root_inode,
                        Some(seen) if seen.kind == Kind::Folder => seen.inode,
                        _ => return None,
                    };
                    let mut seen = SeenFolder::new(folder, inode);
                    seen.entries.push(entry);
                    folders.push(seen);
                }
            }
        }
        Some(Seen {
            root: root_inode,
            before: (since_epoch.as_secs(), since_epoch.subsec_nanos()),
            folders,
        })
    }
}

impl<'t> SeenFolder<'t> {
    fn new(key: &'t [u8], inode: u64) -> SeenFolder<'t> {
        SeenFolder {
            key,
            inode,
            entries: Vec::new(),
        }
    }
}

/// [`Seen`], looked up by folder, for a survey of the folder it was seen in.
struct Known<'s> {
    folders: HashMap<&'s [u8], &'s SeenFolder<'s>, FastHash>,
    before: (u64, u32),
    #[cfg(unix)]
    root: std::os::fd::OwnedFd,
}

impl<'s> Known<'s> {
    /// `seen`, if it was seen in the very folder `root` (described by `meta`).
    #[cfg(unix)]
    fn of(seen: &'s Seen<'s>, root: &Path, meta: &fs::Metadata) -> Option<Known<'s>> {
        use rustix::fs::{CWD, Mode, OFlags, openat};
        if folder_inode(meta)? != seen.root {
            return None;
        }
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        Some(Known {
            folders: seen
                .folders
                .iter()
                .map(|folder| (folder.key, folder))
                .collect(),
            before: seen.before,
            root: openat(CWD, root, flags, Mode::empty()).ok()?,
        })
    }

    #[cfg(not(unix))]
    fn of(_: &'s Seen<'s>, _: &Path, _: &fs::Metadata) -> Option<Known<'s>> {
        None
    }

    /// The entries of the folder `key` (whose inode its parent lists as
    /// `inode`), when it is the folder seen there and has not changed since.
    fn unchanged(&self, key: &[u8], inode: u64) -> Option<Vec<(Key, Entry)>> {
        let seen = self.folders.get(key)?;
        if seen.inode != inode || !self.unchanged_since_seen(key, inode) {
            return None;
        }
        seen.entries
            .iter()
            .map(|&SeenEntry { name, kind, inode }| {
                let valid = !name.is_empty()
                    && name != b"."
                    && name != b".."
                    && !name.contains(&b'/')
                    && !name.contains(&0);
                let kind = match kind {
                    0 => Kind::File,
                    1 => Kind::Folder,
                    2 => Kind::Link,
                    _ => return None,
                };
                valid.then(|| {
                    (
                        child_key(key, name).into_boxed_slice(),
                        Entry::new(kind, inode),
                    )
                })
            })
            .collect()
    }

    #[cfg(unix)]
    fn unchanged_since_seen(&self, key: &[u8], inode: u64) -> bool {
        use rustix::fs::{AtFlags, FileType, statat};
        let Ok(stat) = statat(&self.root, path_of(key), AtFlags::SYMLINK_NOFOLLOW) else {
            return false;
        };
        let changed = (
            u64::try_from(stat.st_ctime).unwrap_or(u64::MAX),
            u32::try_from(stat.st_ctime_nsec).unwrap_or(u32::MAX),
        );
        FileType::from_raw_mode(stat.st_mode) == FileType::Directory
            && stat.st_ino == inode
            && changed < self.before
    }

    #[cfg(not(unix))]
    fn unchanged_since_seen(&self, _: &[u8], _: u64) -> bool {
        false
    }
}

#[cfg(unix)]
fn folder_inode(meta: &fs::Metadata) -> Option<u64> {
    meta.is_dir()
        .then(|| std::os::unix::fs::MetadataExt::ino(meta))
}

#[cfg(not(unix))]
fn folder_inode(_: &fs::Metadata) -> Option<u64> {
    None
}

/// The key of the entry `name` in the folder `folder` (`""` for the root).
pub fn child_key(folder: &[u8], name: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(folder.len() + 1 + name.len());
    if !folder.is_empty() {
        key.extend_from_slice(folder);
        key.push(b'/');
    }
    key.extend_from_slice(name);
    key
}

/// The names in one folder, as bytes.
pub fn names_in(folder: &Path) -> io::Result<Vec<Vec<u8>>> {
    fs::read_dir(folder)?
        .map(|entry| Ok(bytes_of(&entry?.file_name()).into_owned()))
        .collect()
}

/// The folders above `key`, nearest first.
pub fn folders_of(key: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut end = key.len();
    std::iter::from_fn(move || {
        end = key[..end].iter().rposition(|&byte| byte == b'/')?;
        Some(&key[..end])
    })
}

#[cfg(unix)]
pub fn path_of(key: &[u8]) -> &Path {
    Path::new(<OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(key))
}

#[cfg(unix)]
fn bytes_of(name: &OsStr) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Borrowed(std::os::unix::ffi::OsStrExt::as_bytes(name))
}

#[cfg(unix)]
fn inode(entry: &fs::DirEntry) -> u64 {
    std::os::unix::fs::DirEntryExt::ino(entry)
}

#[cfg(not(unix))]
pub fn path_of(key: &[u8]) -> &Path {
    Path::new(std::str::from_utf8(key).unwrap_or_default())
}

#[cfg(not(unix))]
fn bytes_of(name: &OsStr) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Owned(name.to_string_lossy().into_owned().into_bytes())
}

#[cfg(not(unix))]
fn inode(_: &fs::DirEntry) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_a_key_run_from_the_nearest() {
        let folders: Vec<&[u8]> = folders_of(b"a/b/c.html").collect();
        assert_eq!(folders, [&b"a/b"[..], b"a"]);
        assert_eq!(folders_of(b"top.html").count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_survey_lists_names_that_are_not_utf8_and_links_without_following_them()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let gbk_name = <OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"\xd5\xfb\xb8\xc4.pdf");
        fs::create_dir_all(dir.path().join("uploads"))?;
        fs::write(dir.path().join("uploads").join(gbk_name), "pdf")?;
        std::os::unix::fs::symlink("/", dir.path().join("root"))?;
        let tree = survey(dir.path())?;
        let kinds = |key: &[u8]| tree.get(key).map(|entry| entry.kind);
        assert_eq!(kinds(b"uploads"), Some(Kind::Folder));
        assert_eq!(kinds(b"uploads/\xd5\xfb\xb8\xc4.pdf"), Some(Kind::File));
        assert_eq!(kinds(b"root"), Some(Kind::Link));
        assert_eq!(tree.len(), 3);
        assert!(survey(&dir.path().join("missing"))?.is_empty());
        Ok(())
    }

    /// Keys, kinds and inodes of a tree, sorted, to compare surveys.
    fn listing(tree: &Tree) -> Vec<(Key, Kind, u64)> {
        let mut listing: Vec<_> = tree
            .iter()
            .map(|(key, entry)| (key.clone(), entry.kind, entry.inode))
            .collect();
        listing.sort_by(|a, b| a.0.cmp(&b.0));
        listing
    }

    #[cfg(unix)]
    #[test]
    fn a_survey_since_what_was_seen_reads_again_every_folder_changed_since()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        for folder in ["notices/a", "notices/b", "uploads"] {
            fs::create_dir_all(root.join(folder))?;
            fs::write(root.join(folder).join("index.html"), folder)?;
        }
        // The file system's clock moves in steps: what was seen counts from
        // a moment after the folders were made.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let before = SystemTime::now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let first = survey(root)?;
        let seen = Seen::of(&first, root, before).ok_or("seen")?;
        let bytes = postcard::to_stdvec(&seen)?;
        let seen: Seen = postcard::from_bytes(&bytes)?;
        assert_eq!(listing(&survey_since(root, Some(&seen))?), listing(&first));
        // Files come and go, a folder is replaced by another of its name.
        fs::write(root.join("uploads/new.pdf"), "pdf")?;
        fs::remove_file(root.join("notices/a/index.html"))?;
        fs::remove_dir_all(root.join("notices/b"))?;
        fs::create_dir(root.join("notices/b"))?;
        fs::write(root.join("notices/b/other.html"), "b")?;
        assert_eq!(
            listing(&survey_since(root, Some(&seen))?),
            listing(&survey(root)?)
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn what_was_seen_is_used_only_for_the_folder_it_was_seen_in_and_only_as_names()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path().join("public");
        fs::create_dir_all(root.join("notices"))?;
        fs::write(root.join("notices/index.html"), "一")?;
        let tree = survey(&root)?;
        // Seen "in the future": every folder counts as unchanged, so what
        // it lists is taken as it is.
        let later = SystemTime::now() + std::time::Duration::from_secs(3600);
        let mut seen = Seen::of(&tree, &root, later).ok_or("seen")?;
        let notices = seen
            .folders
            .iter_mut()
            .find(|folder| folder.key == b"notices")
            .ok_or("notices")?;
        notices.entries.push(SeenEntry {
            name: b"listed.html",
            kind: 0,
            inode: 1,
        });
        let taken = survey_since(&root, Some(&seen))?;
        assert!(taken.contains_key(&b"notices/listed.html"[..]));
        // A name that is not a name makes the folder be read instead.
        let notices = seen
            .folders
            .iter_mut()
            .find(|folder| folder.key == b"notices")
            .ok_or("notices")?;
        notices.entries.push(SeenEntry {
            name: b"../../victim",
            kind: 0,
            inode: 2,
        });
        assert_eq!(listing(&survey_since(&root, Some(&seen))?), listing(&tree));
        // Another folder of the same name (a copy put in its place) is read.
        let copy = dir.path().join("copy");
        fs::create_dir_all(copy.join("notices"))?;
        fs::write(copy.join("notices/index.html"), "一")?;
        let seen = Seen::of(&tree, &root, later).ok_or("seen")?;
        assert_eq!(
            listing(&survey_since(&copy, Some(&seen))?),
            listing(&survey(&copy)?)
        );
        Ok(())
    }
}
