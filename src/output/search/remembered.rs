//! The key lists of the last index, chunk by chunk, so that a build works
//! out again only the chunks whose documents changed: a one-notice edit
//! folds about 2,000 documents instead of every one.
//!
//! Kept in memory by `serve`, and by `build` in a file beside the output
//! (`.public.gongkai-search`), like the parse cache: an aid, never a
//! source. A file that cannot be read, or that another build of gongkai
//! wrote, is no lists at all; a chunk is taken only when the hash of what
//! its documents hold is the one recorded with it.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::fold::Key;
use super::lists::Runs;

/// Changes whenever the layout of the file does.
const FORMAT: u32 = 1;

/// The lists of the keys of a chunk of documents, numbered from the
/// chunk's first: each key, the documents holding it and those whose title
/// holds it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ChunkLists(pub Vec<(Key, Runs, Runs)>);

/// The lists of chunks of documents, by the hash of what the documents of
/// each hold.
#[derive(Debug, Default)]
pub struct Remembered {
    pub(super) chunks: HashMap<u64, Arc<ChunkLists>>,
    /// Whether some chunk was worked out rather than taken: the lists are
    /// then worth saving.
    pub(super) changed: bool,
}

impl Remembered {
    /// The lists saved in `file` by this very program (`program`, a hash
    /// of its identity); none when there is no such file or it does not
    /// read.
    pub fn read(file: &Path, program: u64) -> Remembered {
        let bytes = fs::read(file).unwrap_or_default();
        let chunks = postcard::from_bytes::<(u32, u64, Vec<(u64, ChunkLists)>)>(&bytes)
            .ok()
            .filter(|(format, written_by, _)| *format == FORMAT && *written_by == program)
            .map(|(_, _, chunks)| chunks)
            .unwrap_or_default();
        Remembered {
            chunks: (chunks.into_iter())
                .map(|(print, lists)| (print, Arc::new(lists)))
                .collect(),
            changed: false,
        }
    }

    /// Saves the lists in `file` when some chunk was worked out, replacing
    /// the file in one step (a build killed meanwhile leaves the old file
    /// or the new one). Only an aid: lists that cannot be saved are not
    /// missed.
    pub fn save(&self, file: &Path, program: u64) {
        if !self.changed {
            return;
        }
        let chunks: Vec<(u64, &ChunkLists)> = (self.chunks.iter())
            .map(|(print, lists)| (*print, lists.as_ref()))
            .collect();
        let _ = crate::load::cache::replace_file(file, &(FORMAT, program, chunks));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(numbers: &[u32]) -> Runs {
        let mut runs = Runs::default();
        numbers.iter().for_each(|&n| runs.push(n));
        runs
    }

    fn remembered(changed: bool) -> Remembered {
        let lists = ChunkLists(vec![(7, runs(&[0, 1, 5]), runs(&[5]))]);
        Remembered {
            chunks: HashMap::from([(42, Arc::new(lists))]),
            changed,
        }
    }

    #[test]
    fn lists_are_read_back_only_by_the_program_that_saved_them() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let file = folder.path().join(".public.gongkai-search");
        remembered(false).save(&file, 1);
        assert!(!file.exists(), "nothing new: nothing saved");
        remembered(true).save(&file, 1);
        let read = Remembered::read(&file, 1);
        let lists = &read.chunks[&42].0;
        assert_eq!(lists.len(), 1);
        assert_eq!(lists[0].0, 7);
        assert_eq!(lists[0].1.clone().encode(), runs(&[0, 1, 5]).encode());
        assert!(!read.changed);
        assert!(Remembered::read(&file, 2).chunks.is_empty());
        fs::write(&file, b"\x01\x02 not lists").expect("written");
        assert!(Remembered::read(&file, 1).chunks.is_empty());
        assert!(
            Remembered::read(&folder.path().join("none"), 1)
                .chunks
                .is_empty()
        );
    }
}
