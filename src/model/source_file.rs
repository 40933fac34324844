//! The file something was read from.

use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// The file a notice, issue, page or site.yaml was read from. Where a page
/// came from is not what it shows: it takes no part in hashes of the model
/// (`site::fingerprints`), so that a site built from another folder (a new
/// CI checkout) keeps the pages that did not change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFile(pub PathBuf);

impl Hash for SourceFile {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl Deref for SourceFile {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}
