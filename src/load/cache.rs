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

/// The files one chunk of the cache file holds, and where its bytes are.
type Chunk = (Vec<(String, FileStamp)>, std::ops::Range<usize>);

/// What was read from each file, by its path relative to `content/`.
pub struct ParseCache<T> {
    file: PathBuf,
    program: u64,
    entries: HashMap<String, (FileStamp, Slot<T>)>,
    /// The file as read, and each of its chunks: the files it holds and
    /// where its bytes are, written again as they are when it holds the
    /// same files.
    bytes: Vec<u8>,
    chunks: Vec<Chunk>,
    /// Whether [`ParseCache::save`] writes (a build) or not (`check`).
    saves: bool,
    /// Files modified after this are not recorded.
    settled_before: SystemTime,
}

impl<T: Serialize + DeserializeOwned + Send + Sync> ParseCache<T> {
    /// The cache in `file`, for the program `program` (a hash of what
    /// decides how files are read), to be read and saved again; empty when
    /// there is none, or it cannot be read, or another program wrote it.
    pub fn open(file: PathBuf, program: u64) -> ParseCache<T> {
        let mut cache = ParseCache::open_to_read(file, program);
        cache.saves = true;
        cache
    }

    /// [`ParseCache::open`], for reading only: [`ParseCache::save`] writes nothing.
    pub fn open_to_read(file: PathBuf, program: u64) -> ParseCache<T> {
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
                let start = raw.as_ptr() as usize - bytes.as_ptr() as usize;
                (files, start..start + raw.len())
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
            bytes,
            chunks,
            saves: false,
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

    /// Saves the cache of `read` (every file read, its stamp and what was
    /// read from it), when it differs from this one, replacing the file in
    /// one step so that a build killed while saving leaves the old cache or
    /// the new one. Only an aid: a cache that cannot be saved is not missed.
    pub fn save<'r>(&self, read: impl IntoIterator<Item = (&'r str, FileStamp, &'r T)>)
    where
        T: 'r,
    {
        if !self.saves {
            return;
        }
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
            return;
        }
        let Ok(chunks) =
            kept.par_chunks(CHUNK)
                .enumerate()
                .map(|(at, chunk)| match self.chunks.get(at) {
                    Some((files, raw))
                        if files.len() == chunk.len()
                            && files.iter().zip(chunk).all(
                                |((key, stamp), (now, stamped, _))| key == now && stamp == stamped,
                            ) =>
                    {
                        Ok(Cow::Borrowed(&self.bytes[raw.clone()]))
                    }
                    _ => postcard::to_stdvec(chunk).map(Cow::Owned),
                })
                .collect::<Result<Vec<Cow<[u8]>>, _>>()
        else {
            return;
        };
        let chunks: Vec<&serde_bytes::Bytes> = chunks
            .iter()
            .map(|chunk| serde_bytes::Bytes::new(chunk))
            .collect();
        let _ = replace_file(&self.file, &(FORMAT, self.program, chunks));
    }
}

/// Writes `value` to `file` with postcard, replacing the file in one step:
/// written beside it first ([`new_file_of`]), then renamed over it, so that
/// a process killed meanwhile leaves the old file or the new one; what was
/// written beside is removed when that fails.
pub fn replace_file(file: &Path, value: &impl Serialize) -> io::Result<()> {
    let beside = new_file_of(file, std::process::id());
    let written = fs::File::create(&beside).and_then(|created| {
        let mut out = io::BufWriter::new(created);
        postcard::to_io(value, &mut out).map_err(io::Error::other)?;
        io::Write::flush(&mut out)
    });
    written
        .and_then(|()| fs::rename(&beside, file))
        .inspect_err(|_| {
            let _ = fs::remove_file(&beside);
        })
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
        let text = "正文".to_string();
        // `check` reads the cache and never writes it.
        let reading: ParseCache<String> = ParseCache::open_to_read(file.clone(), 7);
        reading.save([("notices/a/index.md", stamp(6, 1_000), &text)]);
        assert!(!file.exists());
        let empty: ParseCache<String> = ParseCache::open(file.clone(), 7);
        empty.save([("notices/a/index.md", stamp(6, 1_000), &text)]);
        let cache: ParseCache<String> = ParseCache::open(file.clone(), 7);
        assert_eq!(cache.take("notices/a/index.md", stamp(7, 1_000)), None);
        assert_eq!(cache.take("notices/a/index.md", stamp(6, 1_001)), None);
        assert_eq!(cache.take("notices/b/index.md", stamp(6, 1_000)), None);
        assert_eq!(
            cache.take("notices/a/index.md", stamp(6, 1_000)),
            Some(Box::new(text.clone()))
        );
        // Nothing is saved when the same files were read.
        fs::remove_file(&file).expect("removed");
        cache.save([("notices/a/index.md", stamp(6, 1_000), &text)]);
        assert!(!file.exists());
        cache.save([("notices/a/index.md", stamp(6, 1_001), &text)]);
        assert!(file.exists());
        // Another program starts from nothing.
        let other: ParseCache<String> = ParseCache::open(file, 8);
        assert_eq!(other.take("notices/a/index.md", stamp(6, 1_001)), None);
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
        cache.save([
            ("a.md", stamp(6, now), &text),
            ("b.md", stamp(6, 1_000), &text),
        ]);
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
