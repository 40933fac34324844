//! What the last build read from each file of `content/`, so that a file
//! whose size and modification time are still those it had then is not read
//! and parsed again.
//!
//! The cache is one file gongkai keeps beside the output
//! (`.public.gongkai-cache`), like its twin. It is an aid, never a source:
//! a cache that cannot be read, or was written by another build of gongkai,
//! is ignored, and a file is taken from it only when its size and
//! modification time (to the nanosecond) are those recorded. A file modified
//! less than [`SETTLING`] before the build read it is not recorded: a file
//! system that keeps times in coarse steps (FAT keeps two seconds) could
//! give a later edit of the same size the same time.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// How long after its last modification a file is recorded.
pub const SETTLING: Duration = Duration::from_secs(2);

/// Changes whenever the layout of the cache file does.
const FORMAT: u32 = 1;

/// Files per chunk of the cache file; chunks are read in parallel.
const CHUNK: usize = 512;

/// A file's size and modification time, as its metadata gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub size: u64,
    pub seconds: u64,
    pub nanos: u32,
}

impl FileStamp {
    pub fn of(meta: &fs::Metadata) -> Option<FileStamp> {
        let since_epoch = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(FileStamp {
            size: meta.len(),
            seconds: since_epoch.as_secs(),
            nanos: since_epoch.subsec_nanos(),
        })
    }

    fn modified(&self) -> SystemTime {
        UNIX_EPOCH + Duration::new(self.seconds, self.nanos)
    }
}

/// What was read from one file, until a build takes it.
type Slot<T> = Mutex<Option<Box<T>>>;

/// The files one chunk of the cache file holds, and its bytes.
type Chunk = (Vec<(String, FileStamp)>, Vec<u8>);

/// What was read from each file, by its path relative to `content/`.
pub struct ParseCache<T> {
    file: PathBuf,
    program: u64,
    entries: HashMap<String, (FileStamp, Slot<T>)>,
    /// Each chunk of the file as read: the files it holds and its bytes,
    /// written again as they are when it holds the same files.
    chunks: Vec<Chunk>,
    /// Files modified after this are not recorded.
    settled_before: SystemTime,
}

/// The cache as a build found it, to be saved once the build succeeded.
#[must_use]
pub struct Pending {
    file: PathBuf,
    bytes: Vec<u8>,
}

impl<T: Serialize + DeserializeOwned + Send + Sync> ParseCache<T> {
    /// The cache in `file`, for the program `program` (a hash of what
    /// decides how files are read); empty when there is none, or it cannot
    /// be read, or another program wrote it.
    pub fn open(file: PathBuf, program: u64) -> ParseCache<T> {
        let settled_before = SystemTime::now()
            .checked_sub(SETTLING)
            .unwrap_or(UNIX_EPOCH);
        let bytes = fs::read(&file).unwrap_or_default();
        let raw_chunks = postcard::from_bytes::<(u32, u64, Vec<&[u8]>)>(&bytes)
            .ok()
            .filter(|(format, written_by, _)| *format == FORMAT && *written_by == program)
            .map(|(_, _, chunks)| chunks)
            .unwrap_or_default();
        // Boxed: what a file gives is large, and is moved into the map.
        let read = raw_chunks
            .par_iter()
            .map(|chunk| postcard::from_bytes::<Vec<(String, FileStamp, Box<T>)>>(chunk).ok())
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default();
        let chunks = read
            .iter()
            .zip(&raw_chunks)
            .map(|(entries, raw)| {
                let files = entries
                    .iter()
                    .map(|(key, stamp, _)| (key.clone(), *stamp))
                    .collect();
                (files, raw.to_vec())
            })
            .collect();
        let mut entries = HashMap::with_capacity(read.iter().map(Vec::len).sum());
        entries.extend(
            read.into_iter()
                .flatten()
                .map(|(key, stamp, value)| (key, (stamp, Mutex::new(Some(value))))),
        );
        ParseCache {
            file,
            program,
            entries,
            chunks,
            settled_before,
        }
    }

    /// What was read from the file `key` when it had the stamp `stamp`,
    /// taken out of the cache (it is given once).
    pub fn take(&self, key: &str, stamp: FileStamp) -> Option<Box<T>> {
        let (recorded, value) = self.entries.get(key)?;
        if *recorded != stamp {
            return None;
        }
        value.lock().ok()?.take()
    }

    /// The cache of `read` (every file read, its stamp and what was read
    /// from it), when it differs from this one.
    pub fn update<'r>(
        &self,
        read: impl IntoIterator<Item = (&'r str, FileStamp, &'r T)>,
    ) -> Option<Pending>
    where
        T: 'r,
    {
        let kept: Vec<(&str, FileStamp, &T)> = read
            .into_iter()
            .filter(|(_, stamp, _)| stamp.modified() < self.settled_before)
            .collect();
        let unchanged = kept.len() == self.entries.len()
            && kept.iter().all(|(key, stamp, _)| {
                self.entries
                    .get(*key)
                    .is_some_and(|(recorded, _)| recorded == stamp)
            });
        if unchanged {
            return None;
        }
        let chunks: Vec<Cow<[u8]>> =
            kept.par_chunks(CHUNK)
                .enumerate()
                .map(|(at, chunk)| match self.chunks.get(at) {
                    Some((files, raw))
                        if files.len() == chunk.len()
                            && files.iter().zip(chunk).all(
                                |((key, stamp), (now, stamped, _))| key == now && stamp == stamped,
                            ) =>
                    {
                        Ok(Cow::Borrowed(&raw[..]))
                    }
                    _ => postcard::to_stdvec(chunk).map(Cow::Owned),
                })
                .collect::<Result<_, _>>()
                .ok()?;
        let chunks: Vec<&serde_bytes::Bytes> = chunks
            .iter()
            .map(|chunk| serde_bytes::Bytes::new(chunk))
            .collect();
        let bytes = postcard::to_stdvec(&(FORMAT, self.program, chunks)).ok()?;
        Some(Pending {
            file: self.file.clone(),
            bytes,
        })
    }
}

impl Pending {
    /// Replaces the cache file in one step, so that a build killed while
    /// saving leaves the old one or the new one.
    pub fn save(self) -> io::Result<()> {
        let beside = new_file_of(&self.file, std::process::id());
        fs::write(&beside, &self.bytes)?;
        fs::rename(&beside, &self.file).inspect_err(|_| {
            let _ = fs::remove_file(&beside);
        })
    }
}

/// The file a process saving the cache `file` writes first.
pub fn new_file_of(file: &Path, process: u32) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(format!("-new-{process}"));
    file.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(size: u64, seconds: u64) -> FileStamp {
        FileStamp {
            size,
            seconds,
            nanos: 5,
        }
    }

    #[test]
    fn a_file_is_taken_from_the_cache_only_with_the_stamp_it_had() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let file = folder.path().join(".public.gongkai-cache");
        let empty: ParseCache<String> = ParseCache::open(file.clone(), 7);
        let text = "正文".to_string();
        empty
            .update([("notices/a/index.md", stamp(6, 1_000), &text)])
            .expect("a new entry is saved")
            .save()
            .expect("saved");
        let cache: ParseCache<String> = ParseCache::open(file.clone(), 7);
        assert_eq!(cache.take("notices/a/index.md", stamp(7, 1_000)), None);
        assert_eq!(cache.take("notices/a/index.md", stamp(6, 1_001)), None);
        assert_eq!(cache.take("notices/b/index.md", stamp(6, 1_000)), None);
        assert_eq!(
            cache.take("notices/a/index.md", stamp(6, 1_000)),
            Some(Box::new(text.clone()))
        );
        // Nothing to save when the same files were read.
        assert!(
            cache
                .update([("notices/a/index.md", stamp(6, 1_000), &text)])
                .is_none()
        );
        // Another program starts from nothing.
        let other: ParseCache<String> = ParseCache::open(file, 8);
        assert_eq!(other.take("notices/a/index.md", stamp(6, 1_000)), None);
    }

    #[test]
    fn a_file_modified_just_before_it_was_read_is_not_recorded() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let file = folder.path().join(".public.gongkai-cache");
        let cache: ParseCache<String> = ParseCache::open(file.clone(), 1);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("a clock after 1970")
            .as_secs();
        let text = "正文".to_string();
        cache
            .update([
                ("a.md", stamp(6, now), &text),
                ("b.md", stamp(6, 1_000), &text),
            ])
            .expect("saved")
            .save()
            .expect("saved");
        let reopened: ParseCache<String> = ParseCache::open(file, 1);
        assert_eq!(reopened.take("a.md", stamp(6, now)), None);
        assert_eq!(reopened.take("b.md", stamp(6, 1_000)), Some(Box::new(text)));
    }

    #[test]
    fn an_unreadable_cache_is_an_empty_one() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let file = folder.path().join(".public.gongkai-cache");
        fs::write(&file, b"\xff\x00 not a cache").expect("written");
        let cache: ParseCache<String> = ParseCache::open(file, 1);
        assert_eq!(cache.take("a.md", stamp(1, 1)), None);
    }
}
