//! Watching the site's sources with notify, and collecting bursts of events
//! into one batch of changed paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::config::CONFIG_FILE;
use crate::load::content::CONTENT_DIR;

/// The folders of a site whose changes matter.
const WATCHED: [&str; 4] = [CONTENT_DIR, "templates", "static", "themes"];

/// How long the folder must be quiet before a batch is rebuilt. Editors
/// write a file in several steps (temp file, rename, attributes); they all
/// land within a few milliseconds.
const QUIET: Duration = Duration::from_millis(8);
/// A batch is rebuilt after this long even if events keep coming.
const LONGEST: Duration = Duration::from_millis(250);

pub enum Batch {
    Changed(Vec<PathBuf>),
    /// Nothing happened within the time given.
    Quiet,
    Stopped,
}

pub struct SiteWatcher {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    root: PathBuf,
    watched: BTreeSet<PathBuf>,
}

impl SiteWatcher {
    pub fn new(root: &Path) -> notify::Result<SiteWatcher> {
        let (sender, events) = channel();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = sender.send(event);
        })?;
        let mut site_watcher = SiteWatcher {
            watcher,
            events,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        // The root itself, not recursively: site.yaml, and folders appearing.
        site_watcher
            .watcher
            .watch(root, RecursiveMode::NonRecursive)?;
        site_watcher.watch_folders();
        Ok(site_watcher)
    }

    /// Watches each source folder that exists and is not watched yet, so
    /// that a `templates/` created while serving is seen.
    fn watch_folders(&mut self) {
        for folder in WATCHED {
            let path = self.root.join(folder);
            if path.is_dir()
                && !self.watched.contains(&path)
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(path);
            }
        }
        self.watched.retain(|path| path.is_dir());
    }

    /// Waits for changes and returns them as one batch, or [`Batch::Quiet`]
    /// when `wait` (if given) passes without any.
    pub fn next_batch_within(&mut self, wait: Option<Duration>) -> Batch {
        let mut changed = BTreeSet::new();
        loop {
            let first = match wait {
                None => self
                    .events
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(wait) => self.events.recv_timeout(wait),
            };
            let first = match first {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => return Batch::Quiet,
                Err(RecvTimeoutError::Disconnected) => return Batch::Stopped,
            };
            self.collect(first, &mut changed);
            let started = Instant::now();
            loop {
                let left = LONGEST.saturating_sub(started.elapsed());
                match self.events.recv_timeout(QUIET.min(left)) {
                    Ok(event) => self.collect(event, &mut changed),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Batch::Stopped,
                }
                if left.is_zero() {
                    break;
                }
            }
            if !changed.is_empty() {
                self.watch_folders();
                return Batch::Changed(changed.into_iter().collect());
            }
        }
    }

    fn collect(&self, event: notify::Result<Event>, changed: &mut BTreeSet<PathBuf>) {
        let Ok(event) = event else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if self.matters(&path) {
                changed.insert(path);
            }
        }
    }

    fn matters(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return false;
        };
        let first = relative.iter().next().and_then(|part| part.to_str());
        match first {
            Some(CONFIG_FILE) => true,
            Some(folder) => WATCHED.contains(&folder),
            None => false,
        }
    }
}
