//! The files of a site that may be read for output: regular files inside
//! the site folder, no larger than the limit.
//!
//! A symbolic link is followed when its target is inside the site folder;
//! a link out of it, a broken or looping link, a named pipe, a device or a
//! socket, and a file over the limit are errors naming the file, and
//! nothing of them is read. Every walk of `content/`, `templates/`,
//! `static/` and `themes/` goes through [`Sources::walk`], every read of a
//! text file through [`Sources::read_text`].

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Hint, Located, Location, is_link_loop};
use crate::load::text::decode_utf8;

/// How often one folder may be walked through links. Links inside linked
/// folders multiply: twenty folders each linking the next twice would be
/// walked a million times. Sharing one folder between a few notices stays
/// well below this.
pub const MAX_LINKED_VISITS: usize = 64;

/// The largest file read when site.yaml does not say (`max_file_mb`).
pub const DEFAULT_MAX_FILE_MB: u64 = 200;

pub type FileError = Located<FileErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileErrorKind {
    #[error("链接指向站点目录之外的“{target}”，不会读取")]
    Outside { target: String },
    #[error("链接指向的“{target}”不存在")]
    Broken { target: String },
    #[error("链接“{target}”绕回了自己所在的文件夹（链接循环）")]
    Loop { target: String },
    #[error("文件夹“{target}”经链接发布了超过 {MAX_LINKED_VISITS} 次")]
    LinkedTooOften { target: String },
    #[error("这不是普通文件（是{kind}），不会读取")]
    NotRegular { kind: &'static str },
    #[error("文件大小 {size_mb} MB，超过了上限 {limit_mb} MB")]
    TooLarge { size_mb: u64, limit_mb: u64 },
    #[error("无法读取：{0}")]
    Io(String),
}

impl Hint for FileErrorKind {
    fn code(&self) -> &'static str {
        match self {
            FileErrorKind::Outside { .. } => "GK0301",
            FileErrorKind::Broken { .. } => "GK0302",
            FileErrorKind::Loop { .. } => "GK0303",
            FileErrorKind::LinkedTooOften { .. } => "GK0304",
            FileErrorKind::NotRegular { .. } => "GK0305",
            FileErrorKind::TooLarge { .. } => "GK0306",
            FileErrorKind::Io(..) => "GK0307",
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            FileErrorKind::Outside { .. } => {
                "站点目录之外的文件不会发布：请把文件本身复制到站点目录中，再删除这个链接".into()
            }
            FileErrorKind::Broken { .. } => "删除这个链接，或把它指向站点目录中存在的文件".into(),
            FileErrorKind::Loop { .. } => "删除这个链接：它让文件夹无穷无尽地套下去".into(),
            FileErrorKind::LinkedTooOften { .. } => {
                "链接套着链接会让同一批文件发布成千上万次：请把共用的文件放在一处，用站内链接引用"
                    .into()
            }
            FileErrorKind::NotRegular { .. } => {
                "只有普通文件会发布：请删除它，或换成普通文件".into()
            }
            FileErrorKind::TooLarge { .. } => {
                "压缩或拆分这个文件；确需发布更大的文件时，在 site.yaml 中调高 max_file_mb".into()
            }
            FileErrorKind::Io(_) => "检查文件是否存在、是否有读取权限".into(),
        })
    }
}

/// One file or folder found by [`Sources::walk`], at the path it was found
/// under (a link's own path, not its target's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walked {
    pub path: PathBuf,
    pub is_dir: bool,
}

/// The site folder, for reading its files.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The site folder as given.
    root: PathBuf,
    /// The site folder with every link resolved.
    real_root: PathBuf,
    max_bytes: u64,
}

fn error(at: &Path, kind: FileErrorKind) -> FileError {
    Located::new(Location::file_start(at), kind)
}

fn io_error(at: &Path, error: &io::Error) -> FileError {
    self::error(at, FileErrorKind::Io(crate::diagnostic::io_message(error)))
}

/// What a walk remembers of the links it followed.
struct Trail {
    /// The real paths of the folders being walked through links, to tell a
    /// link that leads back into one of them (which would never end).
    folders: Vec<PathBuf>,
    /// How often each folder was walked through a link.
    visits: HashMap<PathBuf, usize>,
}

/// The target of the link at `path`, as it is written in the link.
fn written_target(path: &Path) -> String {
    fs::read_link(path)
        .map(|target| target.display().to_string())
        .unwrap_or_default()
}

/// What a file that is not a regular file or folder is, in a clerk's words.
fn kind_of(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "命名管道";
        }
        if file_type.is_socket() {
            return "套接字";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "设备文件";
        }
    }
    let _ = file_type;
    "特殊文件"
}

impl Sources {
    /// The site folder `root`; files over `max_mb` megabytes are refused.
    pub fn new(root: &Path, max_mb: u64) -> Sources {
        Sources {
            root: root.to_path_buf(),
            real_root: fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            max_bytes: max_mb.saturating_mul(1024 * 1024),
        }
    }

    /// The site folder, as it was given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn limit_mb(&self) -> u64 {
        self.max_bytes / (1024 * 1024)
    }

    /// Where the link at `path` leads, if it stays inside the site.
    fn follow(&self, path: &Path) -> Result<PathBuf, FileError> {
        let written = written_target(path);
        match fs::canonicalize(path) {
            Ok(target) if target.starts_with(&self.real_root) => Ok(target),
            Ok(target) => Err(error(
                path,
                FileErrorKind::Outside {
                    target: target.display().to_string(),
                },
            )),
            Err(failure) if failure.kind() == io::ErrorKind::NotFound => {
                Err(error(path, FileErrorKind::Broken { target: written }))
            }
            Err(failure) if is_link_loop(&failure) => {
                Err(error(path, FileErrorKind::Loop { target: written }))
            }
            Err(failure) => Err(io_error(path, &failure)),
        }
    }

    /// Checks the file at `path` (following a link) is one that may be read:
    /// inside the site, regular, within the limit. Returns its size.
    pub fn check_file(&self, path: &Path) -> Result<u64, FileError> {
        let own = fs::symlink_metadata(path).map_err(|e| io_error(path, &e))?;
        if own.file_type().is_symlink() {
            self.follow(path)?;
        }
        let meta = fs::metadata(path).map_err(|e| io_error(path, &e))?;
        self.regular_within_limit(path, &meta)
    }

    /// The size of the file at `path`, described by `meta`, if it is a
    /// regular file within the limit.
    fn regular_within_limit(&self, path: &Path, meta: &fs::Metadata) -> Result<u64, FileError> {
        if let Some(kind) = special(meta) {
            return Err(error(path, FileErrorKind::NotRegular { kind }));
        }
        if meta.len() > self.max_bytes {
            return Err(error(
                path,
                FileErrorKind::TooLarge {
                    size_mb: meta.len().div_ceil(1024 * 1024),
                    limit_mb: self.limit_mb(),
                },
            ));
        }
        Ok(meta.len())
    }

    /// The size and modification time of the file at `path` (following a
    /// link), if it is a regular file within the limit.
    pub fn stamp(&self, path: &Path) -> Option<crate::load::cache::FileStamp> {
        let meta = fs::metadata(path).ok()?;
        self.regular_within_limit(path, &meta).ok()?;
        crate::load::cache::FileStamp::of(&meta)
    }

    /// Reads a text file the walk found, or site.yaml (see [`crate::load::text`]).
    /// Only regular files within the limit are read.
    pub fn read_text(&self, path: &Path) -> Result<String, Diagnostic> {
        let (mut file, meta) = open_regular_with(path).map_err(|e| match e {
            Opened::Special(kind) => error(path, FileErrorKind::NotRegular { kind }),
            Opened::Failed(e) => io_error(path, &e),
        })?;
        let size = self.regular_within_limit(path, &meta)?;
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.read_to_end(&mut bytes)
            .map_err(|e| io_error(path, &e))?;
        decode_utf8(path, bytes).map_err(Diagnostic::from)
    }

    /// Every file and folder under `start` in name order, `start` itself
    /// included, following links that stay inside the site. Entries whose
    /// name `skip` returns true for are left out with everything under them.
    /// Files that may not be read come back as errors.
    pub fn walk(
        &self,
        start: &Path,
        skip: &dyn Fn(&str) -> bool,
    ) -> Vec<Result<Walked, FileError>> {
        let mut found = Vec::new();
        // `start` or a folder above it may be a link: where it really is
        // must be inside the site.
        let real_start = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
        if !real_start.starts_with(&self.real_root) {
            let target = real_start.display().to_string();
            return vec![Err(error(start, FileErrorKind::Outside { target }))];
        }
        let mut trail = Trail {
            folders: vec![real_start],
            visits: HashMap::new(),
        };
        self.walk_into(start, skip, &mut trail, &mut found, true);
        found
    }

    /// Walks `start`, remembering on `trail` the links it follows.
    fn walk_into(
        &self,
        start: &Path,
        skip: &dyn Fn(&str) -> bool,
        trail: &mut Trail,
        found: &mut Vec<Result<Walked, FileError>>,
        include_start: bool,
    ) {
        let entries = WalkDir::new(start)
            .follow_root_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || entry.file_name().to_str().is_none_or(|name| !skip(name))
            });
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(failure) => {
                    let at = failure.path().unwrap_or(start).to_path_buf();
                    let io = failure
                        .into_io_error()
                        .unwrap_or_else(|| io::Error::other("walk"));
                    found.push(Err(io_error(&at, &io)));
                    continue;
                }
            };
            let path = entry.path();
            if entry.depth() == 0 {
                if include_start {
                    found.push(Ok(Walked {
                        path: path.to_path_buf(),
                        is_dir: fs::metadata(path).is_ok_and(|m| m.is_dir()),
                    }));
                }
                continue;
            }
            if entry.path_is_symlink() {
                let target = match self.follow(path) {
                    Ok(target) => target,
                    Err(error) => {
                        found.push(Err(error));
                        continue;
                    }
                };
                let meta = match fs::metadata(&target) {
                    Ok(meta) => meta,
                    Err(failure) => {
                        found.push(Err(io_error(path, &failure)));
                        continue;
                    }
                };
                if meta.is_dir() {
                    let home = path
                        .parent()
                        .and_then(|parent| fs::canonicalize(parent).ok());
                    let leads_back = home
                        .iter()
                        .chain(trail.folders.iter())
                        .any(|folder| folder.starts_with(&target));
                    if leads_back {
                        found.push(Err(error(
                            path,
                            FileErrorKind::Loop {
                                target: written_target(path),
                            },
                        )));
                        continue;
                    }
                    let visits = trail.visits.entry(target.clone()).or_default();
                    *visits += 1;
                    if *visits > MAX_LINKED_VISITS {
                        // Told once: the build stops on it all the same.
                        if *visits == MAX_LINKED_VISITS + 1 {
                            let target = target.display().to_string();
                            found.push(Err(error(path, FileErrorKind::LinkedTooOften { target })));
                        }
                        continue;
                    }
                    found.push(Ok(Walked {
                        path: path.to_path_buf(),
                        is_dir: true,
                    }));
                    trail.folders.push(target);
                    self.walk_into(path, skip, trail, found, false);
                    trail.folders.pop();
                    continue;
                }
                found.push(self.regular_within_limit(path, &meta).map(|_| Walked {
                    path: path.to_path_buf(),
                    is_dir: false,
                }));
                continue;
            } else if entry.file_type().is_dir() {
                found.push(Ok(Walked {
                    path: path.to_path_buf(),
                    is_dir: true,
                }));
                continue;
            }
            // The type comes with the folder listing: no file is opened or
            // looked up again here. Sizes are checked where files are read.
            let file_type = entry.file_type();
            found.push(if file_type.is_file() {
                Ok(Walked {
                    path: path.to_path_buf(),
                    is_dir: false,
                })
            } else {
                Err(error(
                    path,
                    FileErrorKind::NotRegular {
                        kind: kind_of(file_type),
                    },
                ))
            });
        }
    }
}

/// Why [`open_regular`] gave no file.
#[derive(Debug)]
pub enum Opened {
    /// A pipe, socket or device, named as a clerk would.
    Special(&'static str),
    Failed(io::Error),
}

impl From<Opened> for io::Error {
    fn from(opened: Opened) -> io::Error {
        match opened {
            Opened::Special(kind) => io::Error::other(format!("不是普通文件（是{kind}）")),
            Opened::Failed(error) => error,
        }
    }
}

/// Opens a file to read, copy or serve it, and its size, if it is a
/// regular file. It is opened without waiting (a named pipe would wait for
/// a writer for ever) and checked on the open file, so nothing can be
/// swapped in between.
pub fn open_regular(path: &Path) -> Result<(fs::File, u64), Opened> {
    open_regular_with(path).map(|(file, meta)| (file, meta.len()))
}

fn open_regular_with(path: &Path) -> Result<(fs::File, fs::Metadata), Opened> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(Opened::Failed)?;
    let meta = file.metadata().map_err(Opened::Failed)?;
    match special(&meta) {
        None => Ok((file, meta)),
        Some(kind) => Err(Opened::Special(kind)),
    }
}

/// What a file is, in a clerk's words, when it is not a regular file.
fn special(meta: &fs::Metadata) -> Option<&'static str> {
    if meta.is_file() {
        None
    } else if meta.is_dir() {
        Some("文件夹")
    } else {
        Some(kind_of(meta.file_type()))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(sources: &Sources, start: &Path) -> (Vec<String>, Vec<FileErrorKind>) {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for found in sources.walk(start, &|name| name.starts_with('.')) {
            match found {
                Ok(walked) => files.push(
                    walked
                        .path
                        .strip_prefix(start)
                        .unwrap_or(&walked.path)
                        .display()
                        .to_string(),
                ),
                Err(error) => errors.push(error.kind),
            }
        }
        (files, errors)
    }

    #[test]
    fn links_inside_are_followed_and_links_out_refused() -> io::Result<()> {
        let outside = tempfile::tempdir()?;
        fs::write(outside.path().join("secret.txt"), "x")?;
        let site = tempfile::tempdir()?;
        let content = site.path().join("content");
        fs::create_dir_all(content.join("shared"))?;
        fs::write(content.join("shared/a.pdf"), "a")?;
        symlink(content.join("shared/a.pdf"), content.join("b.pdf"))?;
        symlink(content.join("shared"), content.join("linked"))?;
        symlink(outside.path().join("secret.txt"), content.join("pw.txt"))?;
        symlink(outside.path(), content.join("out"))?;
        symlink("/dev/zero", content.join("zero"))?;
        symlink(content.join("missing"), content.join("broken"))?;
        symlink(&content, content.join("shared/loop"))?;
        symlink("x1", content.join("x2"))?;
        symlink("x2", content.join("x1"))?;
        symlink("/nowhere", content.join(".#emacs-lock"))?;
        let sources = Sources::new(site.path(), 1);
        let (files, errors) = names(&sources, &content);
        assert_eq!(
            files,
            [
                "",
                "b.pdf",
                "linked",
                "linked/a.pdf",
                "shared",
                "shared/a.pdf"
            ]
        );
        let outside_count = errors
            .iter()
            .filter(|e| matches!(e, FileErrorKind::Outside { .. }))
            .count();
        assert_eq!(outside_count, 3, "{errors:?}");
        assert!(errors.contains(&FileErrorKind::Broken {
            target: content.join("missing").display().to_string()
        }));
        let loops = errors
            .iter()
            .filter(|e| matches!(e, FileErrorKind::Loop { .. }))
            .count();
        // shared/loop, linked/loop, and the two links that point at each other.
        assert_eq!(loops, 4, "{errors:?}");
        symlink("..", content.join("shared/up"))?;
        let (_, errors) = names(&sources, &content.join("shared"));
        assert!(
            matches!(errors[..], [FileErrorKind::Loop { .. }, ..]),
            "{errors:?}"
        );
        Ok(())
    }

    #[test]
    fn links_that_multiply_are_walked_a_bounded_number_of_times() -> io::Result<()> {
        let site = tempfile::tempdir()?;
        let shared = site.path().join("shared");
        // Each folder links the next twice: 2^22 paths to the last one.
        for level in 0..22 {
            let folder = shared.join(format!("d{level}"));
            fs::create_dir_all(&folder)?;
            let next = format!("../d{}", level + 1);
            symlink(&next, folder.join("a"))?;
            symlink(&next, folder.join("b"))?;
        }
        fs::create_dir_all(shared.join("d22"))?;
        fs::write(shared.join("d22/f.pdf"), "x")?;
        let content = site.path().join("content");
        fs::create_dir_all(&content)?;
        symlink(shared.join("d0"), content.join("files"))?;
        let (files, errors) = names(&Sources::new(site.path(), 1), &content);
        let copies = files.iter().filter(|f| f.ends_with("f.pdf")).count();
        assert!(copies <= MAX_LINKED_VISITS, "{copies}");
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, FileErrorKind::LinkedTooOften { .. })),
            "{errors:?}"
        );
        // A folder shared by a few notices is fine.
        let site = tempfile::tempdir()?;
        fs::create_dir_all(site.path().join("shared"))?;
        fs::write(site.path().join("shared/fangan.pdf"), "x")?;
        for notice in ["a", "b", "c"] {
            let folder = site.path().join("content").join(notice);
            fs::create_dir_all(&folder)?;
            symlink(site.path().join("shared"), folder.join("files"))?;
        }
        let (files, errors) = names(&Sources::new(site.path(), 1), &site.path().join("content"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            files.iter().filter(|f| f.ends_with("fangan.pdf")).count(),
            3
        );
        Ok(())
    }

    #[test]
    fn special_and_large_files_are_refused() -> io::Result<()> {
        let site = tempfile::tempdir()?;
        let fifo = site.path().join("pipe.pdf");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        assert!(made.success());
        fs::write(site.path().join("big.pdf"), vec![0u8; 1024 * 1024 + 1])?;
        fs::write(site.path().join("ok.pdf"), vec![0u8; 1024 * 1024])?;
        let sources = Sources::new(site.path(), 1);
        let (files, errors) = names(&sources, site.path());
        assert_eq!(files, ["", "big.pdf", "ok.pdf"]);
        assert_eq!(
            errors,
            [FileErrorKind::NotRegular {
                kind: "命名管道"
            }]
        );
        let too_large = FileErrorKind::TooLarge {
            size_mb: 2,
            limit_mb: 1,
        };
        let big = sources.check_file(&site.path().join("big.pdf"));
        assert_eq!(big.map_err(|e| e.kind), Err(too_large.clone()));
        let read = sources.read_text(&site.path().join("big.pdf")).err();
        assert!(read.is_some_and(|d| d.message == too_large.to_string()));
        assert!(matches!(
            open_regular(&fifo),
            Err(Opened::Special("命名管道"))
        ));
        let (_, size) = open_regular(&site.path().join("ok.pdf")).map_err(io::Error::from)?;
        assert_eq!(size, 1024 * 1024);
        Ok(())
    }
}
