//! Builds killed at random instants. The output folder holds files the web
//! team put there; after every kill it must be the whole old site or the
//! whole new one with those files untouched, and the next build must make
//! it the new site exactly, leaving nothing behind but the output's twin.
//!
//! Shared by `tests/kills.rs` (a small site, the debug binary) and
//! `examples/kills.rs` (the 1,000 × 30 synthetic site, the release binary).

use std::collections::{BTreeMap, hash_map::DefaultHasher};
use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What is at a path of a folder: enough to tell two trees apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    File { size: u64, hash: u64 },
    Link(PathBuf),
    Folder,
}

pub type Snapshot = BTreeMap<PathBuf, Item>;

/// Every entry under `dir` (links not followed), the marker left out: it
/// lists what gongkai wrote and is compared through the files themselves.
pub fn snapshot(dir: &Path) -> Snapshot {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name() != ".gongkai-output")
        .map(|entry| {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_path_buf();
            let item = if entry.file_type().is_symlink() {
                Item::Link(fs::read_link(entry.path()).expect("link"))
            } else if entry.file_type().is_dir() {
                Item::Folder
            } else {
                let bytes = fs::read(entry.path()).expect("read");
                let mut hasher = DefaultHasher::new();
                hasher.write(&bytes);
                Item::File {
                    size: bytes.len() as u64,
                    hash: hasher.finish(),
                }
            };
            (relative, item)
        })
        .collect()
}

/// The files the web team put into the output, written into `output`:
/// a config file, uploads with a name that is not UTF-8, an empty folder,
/// a link, and a file inside a folder of the site.
pub fn put_foreign_files(output: &Path) -> Snapshot {
    let write = |path: &str, bytes: &[u8]| {
        let at = output.join(path);
        fs::create_dir_all(at.parent().expect("parent")).expect("folder");
        fs::write(at, bytes).expect("write");
    };
    write("web.config", b"<configuration/>");
    write("google1234567890abcdef.html", b"google-site-verification");
    write("uploads/2025/report.pdf", b"%PDF-1.4 ...");
    write(
        "notices/readme-of-the-web-team.txt",
        "网站组的说明".as_bytes(),
    );
    fs::create_dir_all(output.join("empty-by-web-team")).expect("folder");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let gbk = std::ffi::OsStr::from_bytes(b"\xd5\xfb\xb8\xc4.docx");
        fs::write(output.join("uploads").join(gbk), b"docx").expect("write");
        std::os::unix::fs::symlink("uploads/2025", output.join("latest")).expect("link");
    }
    let all = snapshot(output);
    let foreign = [
        "web.config",
        "google1234567890abcdef.html",
        "uploads",
        "notices/readme-of-the-web-team.txt",
        "empty-by-web-team",
        "latest",
    ];
    all.into_iter()
        .filter(|(path, _)| foreign.iter().any(|f| path.starts_with(f)))
        .collect()
}

/// `site` with the web team's files added (their folders included).
fn with_foreign(site: &Snapshot, foreign: &Snapshot) -> Snapshot {
    let mut all = site.clone();
    all.extend(
        foreign
            .iter()
            .map(|(path, item)| (path.clone(), item.clone())),
    );
    for path in foreign.keys() {
        for folder in path.ancestors().skip(1) {
            if !folder.as_os_str().is_empty() {
                all.insert(folder.to_path_buf(), Item::Folder);
            }
        }
    }
    all
}

/// Where two snapshots differ, in a few lines.
fn difference(found: &Snapshot, expected: &Snapshot) -> String {
    let mut lines = Vec::new();
    for (path, item) in expected {
        match found.get(path) {
            None => lines.push(format!("missing {}", path.display())),
            Some(other) if other != item => lines.push(format!("differs {}", path.display())),
            Some(_) => {}
        }
    }
    for path in found.keys().filter(|path| !expected.contains_key(*path)) {
        lines.push(format!("extra {}", path.display()));
    }
    let count = lines.len();
    lines.truncate(8);
    format!("{count} differences: {}", lines.join("; "))
}

pub struct Trial<'a> {
    pub gongkai: &'a Path,
    pub old_site: &'a Path,
    pub new_site: &'a Path,
    /// A scratch folder for the reference builds and the output.
    pub work: &'a Path,
    pub kills: usize,
    pub seed: u64,
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Kills after which the output was the old site, and the new one.
    pub left_old: usize,
    pub left_new: usize,
    pub build_time: Duration,
    pub delays: Vec<Duration>,
}

fn build(gongkai: &Path, site: &Path, output: &Path) -> Result<(), String> {
    let run = Command::new(gongkai)
        .arg("--root")
        .arg(site)
        .arg("build")
        .arg("-o")
        .arg(output)
        .output()
        .map_err(|error| error.to_string())?;
    if run.status.success() {
        Ok(())
    } else {
        Err(format!(
            "build of {} failed: {}",
            site.display(),
            String::from_utf8_lossy(&run.stderr)
        ))
    }
}

impl Trial<'_> {
    pub fn run(&self) -> Result<Outcome, String> {
        let reference = |site: &Path, name: &str| -> Result<Snapshot, String> {
            let at = self.work.join(name);
            build(self.gongkai, site, &at)?;
            Ok(snapshot(&at))
        };
        let old = reference(self.old_site, "reference-old")?;
        let new = reference(self.new_site, "reference-new")?;
        if old == new {
            return Err("the two sites build the same output".into());
        }
        let parent = self.work.join("web");
        let output = parent.join("public");
        build(self.gongkai, self.old_site, &output)?;
        let foreign = put_foreign_files(&output);
        let (old, new) = (with_foreign(&old, &foreign), with_foreign(&new, &foreign));
        let twin = parent.join(".public.gongkai-previous");

        let mut outcome = Outcome::default();
        let started = Instant::now();
        build(self.gongkai, self.new_site, &output)?;
        outcome.build_time = started.elapsed();
        let mut random = ChaCha8Rng::seed_from_u64(self.seed);
        for kill in 0..self.kills {
            build(self.gongkai, self.old_site, &output)?;
            let delay = outcome.build_time.mul_f64(random.random_range(0.0..1.3));
            let mut child = Command::new(self.gongkai)
                .arg("--root")
                .arg(self.new_site)
                .arg("build")
                .arg("-o")
                .arg(&output)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|error| error.to_string())?;
            std::thread::sleep(delay);
            let _ = child.kill();
            let _ = child.wait();
            outcome.delays.push(delay);

            let left = snapshot(&output);
            if left == old {
                outcome.left_old += 1;
            } else if left == new {
                outcome.left_new += 1;
            } else {
                return Err(format!(
                    "kill {kill} after {delay:?} left a mixed output: against the old site {}; against the new {}",
                    difference(&left, &old),
                    difference(&left, &new)
                ));
            }

            // A machine busy with other tests builds slower than it did
            // at the start: the kills follow the slowest build seen.
            let started = Instant::now();
            build(self.gongkai, self.new_site, &output)?;
            outcome.build_time = outcome.build_time.max(started.elapsed());
            let rebuilt = snapshot(&output);
            if rebuilt != new {
                return Err(format!(
                    "the build after kill {kill} did not make the new site: {}",
                    difference(&rebuilt, &new)
                ));
            }
            let beside: Vec<String> = fs::read_dir(&parent)
                .map_err(|error| error.to_string())?
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| {
                    ![
                        "public",
                        ".public.gongkai-previous",
                        ".public.gongkai-cache",
                        ".public.gongkai-index",
                        ".public.gongkai-search",
                    ]
                    .contains(&name.as_str())
                })
                .collect();
            if !beside.is_empty() {
                return Err(format!(
                    "left beside the output after kill {kill}: {beside:?}"
                ));
            }
            let previous = snapshot(&twin);
            if previous != old && previous != new {
                return Err(format!(
                    "the twin after kill {kill} is neither site: {}",
                    difference(&previous, &old)
                ));
            }
        }
        Ok(outcome)
    }
}
