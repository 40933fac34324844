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

use rayon::prelude::*;

/// A path relative to the root of a tree, `/`-separated.
pub type Key = Box<[u8]>;

/// A hash a few times faster than the default one for our own paths, of
/// which a build looks up some 200,000.
pub type FastHash = xxhash_rust::xxh3::Xxh3DefaultBuilder;

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
    type Found = Mutex<Vec<(Key, Entry)>>;
    fn read(root: &Path, folder: &[u8], found: &Found) -> io::Result<()> {
        let mut here = Vec::new();
        let mut folders = Vec::new();
        for entry in fs::read_dir(root.join(path_of(folder)))? {
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
            if kind == Kind::Folder {
                folders.push(key.clone());
            }
            here.push((
                key.into_boxed_slice(),
                Entry {
                    kind,
                    inode: inode(&entry),
                    listed: None,
                    inputs: None,
                },
            ));
        }
        found
            .lock()
            .map_err(|_| io::Error::other("读取输出目录的线程意外中止"))?
            .extend(here);
        folders
            .par_iter()
            .try_for_each(|inner| read(root, inner, found))
    }
    if !fs::symlink_metadata(root).is_ok_and(|meta| meta.is_dir()) {
        return Ok(Tree::default());
    }
    let found = Mutex::new(Vec::new());
    read(root, b"", &found)?;
    let found = found
        .into_inner()
        .map_err(|_| io::Error::other("读取输出目录的线程意外中止"))?;
    let mut tree = Tree::with_capacity_and_hasher(found.len(), Default::default());
    tree.extend(found);
    Ok(tree)
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
}
