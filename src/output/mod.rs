//! Writing the output folder atomically.
//!
//! The site is written into a fresh folder beside the output, then swapped in
//! with two renames; a failed build leaves the previous output exactly as it
//! was. A marker file tells an output folder gongkai made from any other
//! folder, and gongkai never empties a folder without it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Hint, Located, Location};

mod feeds;
mod search;
mod sitemap;
mod staging;

pub use feeds::feeds;
pub use search::{INDEX_PATH as SEARCH_INDEX_PATH, index as search_index};
pub use sitemap::{robots, sitemap};
pub use staging::Staging;

/// An output path as a `/`-separated key, as in URLs (`notices/a/方案.pdf`).
pub fn path_key(path: &Path) -> String {
    path.iter()
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The files of the output besides pages and static files: feeds, sitemap,
/// robots.txt and the search index, by path.
pub fn generated(site: &crate::site::Site) -> Vec<(String, String)> {
    let ((mut files, sitemap), search) = rayon::join(
        || rayon::join(|| feeds(site), || sitemap(site)),
        || search_index(site),
    );
    files.push(("sitemap.xml".to_owned(), sitemap));
    files.push(("robots.txt".to_owned(), robots(site)));
    files.push((SEARCH_INDEX_PATH.to_owned(), search));
    files
}

/// Present in every output folder gongkai writes.
pub const MARKER: &str = ".gongkai-output";

pub type OutputError = Located<OutputErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputErrorKind {
    #[error("输出目录已存在且不是 gongkai 生成的，为免误删其中的文件，拒绝覆盖")]
    NotOurs,
    #[error("输出位置已有一个同名文件")]
    NotAFolder,
    #[error("输出目录不能是站点目录本身，也不能在 content/、themes/ 等源文件夹里")]
    InsideContent,
    #[error("输出目录的标记文件 {MARKER} 中有 gongkai 不会写的路径：“{entry}”，为免误删，拒绝覆盖")]
    ForgedMarker { entry: String },
    #[error("写入输出时出错：{0}")]
    Io(String),
}

impl Hint for OutputErrorKind {
    fn hint(&self) -> Option<String> {
        match self {
            OutputErrorKind::ForgedMarker { .. } => Some(format!(
                "这个标记不是 gongkai 写的：请检查 {MARKER} 的来历；确认输出目录中的文件可以替换后，删除 {MARKER} 并改用新的空目录"
            )),
            OutputErrorKind::NotOurs
            | OutputErrorKind::NotAFolder
            | OutputErrorKind::InsideContent => {
                Some("请用 -o 指定一个新的或空的目录，或先手动移走原有内容".into())
            }
            OutputErrorKind::Io(_) => Some("原有的输出目录没有改动".into()),
        }
    }
}

/// Where the bytes of an output file come from.
pub enum Source<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
    Copy(PathBuf),
}

/// One file of the output, by its `/`-separated path under the output root.
pub struct OutputFile<'a> {
    pub path: String,
    pub source: Source<'a>,
}

fn io_error(at: &Path, error: io::Error) -> OutputError {
    Located::new(
        Location::file_start(at),
        OutputErrorKind::Io(crate::diagnostic::io_message(&error)),
    )
}

/// Where `path` really is, also when it does not exist yet: made absolute,
/// every link on the way resolved, `..` taken after that (as the system
/// takes it), so that `-o content/new` compares equal to what it names.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut real = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::ParentDir => {
                real.pop();
            }
            std::path::Component::CurDir => {}
            other => {
                real.push(other);
                if let Ok(canonical) = fs::canonicalize(&real) {
                    real = canonical;
                }
            }
        }
    }
    real
}

/// Refuses output folders that gongkai must not replace.
pub fn check_target(output: &Path, site_root: &Path) -> Result<(), OutputError> {
    let refuse = |kind| Err(Located::new(Location::file_start(output), kind));
    let output_abs = resolved(output);
    let root_abs = resolved(site_root);
    let protected = ["content", "themes", "templates", "static"];
    if output_abs == root_abs
        || root_abs.starts_with(&output_abs)
        || protected
            .iter()
            .any(|folder| output_abs.starts_with(root_abs.join(folder)))
    {
        return refuse(OutputErrorKind::InsideContent);
    }
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        return refuse(OutputErrorKind::NotAFolder);
    }
    let is_empty = fs::read_dir(output)
        .map_err(|error| io_error(output, error))?
        .next()
        .is_none();
    if is_empty {
        return Ok(());
    }
    let marker = output.join(MARKER);
    if !fs::symlink_metadata(&marker).is_ok_and(|meta| meta.is_file()) {
        return refuse(OutputErrorKind::NotOurs);
    }
    match staging::forged_entry(&marker) {
        Some(entry) => refuse(OutputErrorKind::ForgedMarker { entry }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` as the new content of `output`, all or nothing.
    pub fn write_atomically(
        output: &Path,
        site_root: &Path,
        files: &[OutputFile],
    ) -> Result<(), OutputError> {
        let staging = Staging::begin(output, site_root, files.iter().map(|f| f.path.as_str()))?;
        staging.write_files(files)?;
        staging.commit()
    }

    /// A scratch folder holding a site folder and, beside it, the path of
    /// its (not yet made) output.
    fn site_and_output() -> std::io::Result<(tempfile::TempDir, PathBuf, PathBuf)> {
        let dir = tempfile::tempdir()?;
        let site = dir.path().join("site");
        fs::create_dir_all(&site)?;
        let out = dir.path().join("public");
        Ok((dir, site, out))
    }

    fn file<'a>(path: &str, text: &'a str) -> OutputFile<'a> {
        OutputFile {
            path: path.to_owned(),
            source: Source::Text(text),
        }
    }

    #[test]
    fn replaces_its_own_output_and_leaves_no_staging_behind()
    -> Result<(), Box<dyn std::error::Error>> {
        let (dir, site, out) = site_and_output()?;
        write_atomically(
            &out,
            &site,
            &[file("a/index.html", "一"), file("b.html", "二")],
        )?;
        write_atomically(&out, &site, &[file("a/index.html", "三")])?;
        assert_eq!(fs::read_to_string(out.join("a/index.html"))?, "三");
        assert!(!out.join("b.html").exists());
        let names: Vec<String> = fs::read_dir(dir.path())?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        Ok(())
    }

    #[test]
    fn a_rebuild_that_fails_while_moving_files_in_leaves_output_and_marker_as_they_were()
    -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, site, out) = site_and_output()?;
        write_atomically(&out, &site, &[file("a.html", "一"), file("b", "二")])?;
        let marker = fs::read_to_string(out.join(MARKER))?;
        // `b/index.html` cannot be moved in under the file `b`, and `a.html`
        // is moved (in sorted order) before it fails.
        let failed = write_atomically(
            &out,
            &site,
            &[file("a.html", "三"), file("b/index.html", "四")],
        );
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(out.join("a.html"))?, "一");
        assert_eq!(fs::read_to_string(out.join("b"))?, "二");
        assert_eq!(fs::read_to_string(out.join(MARKER))?, marker);
        Ok(())
    }

    #[test]
    fn an_output_left_by_a_rebuild_killed_while_moving_files_is_rebuilt_whole()
    -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, site, out) = site_and_output()?;
        write_atomically(&out, &site, &[file("a.html", "一"), file("b.html", "二")])?;
        // What a rebuild killed between two moves leaves: one file moved in,
        // the file it replaced set aside, and the marker without its list.
        let marker = fs::read_to_string(out.join(MARKER))?;
        let note = marker.lines().next().unwrap_or_default();
        fs::write(out.join(MARKER), format!("{note}\n"))?;
        fs::rename(out.join("a.html"), out.join("a.html.gongkai-old"))?;
        fs::write(out.join("a.html"), "三")?;

        write_atomically(&out, &site, &[file("a.html", "三"), file("b.html", "二")])?;
        let mut names: Vec<String> = fs::read_dir(&out)?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [MARKER, "a.html", "b.html"]);
        assert_eq!(fs::read_to_string(out.join("a.html"))?, "三");
        assert!(fs::read_to_string(out.join(MARKER))?.lines().count() == 3);
        Ok(())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn staging_folders_of_killed_builds_are_removed_and_those_of_running_ones_kept()
    -> Result<(), Box<dyn std::error::Error>> {
        let (dir, site, out) = site_and_output()?;
        // A process id that is not running: one past the largest possible.
        let dead = fs::read_to_string("/proc/sys/kernel/pid_max")?
            .trim()
            .parse::<u64>()?
            + 1;
        let alive = std::process::id();
        let init = 1; // always running
        let leftovers = [
            format!(".public.gongkai-new-{dead}"),
            format!(".public.gongkai-old-{dead}"),
        ];
        let running = [
            format!(".public.gongkai-new-{init}"),
            ".public.gongkai-new-x".to_owned(),
        ];
        for name in leftovers.iter().chain(&running) {
            fs::create_dir_all(dir.path().join(name).join("notices"))?;
        }
        fs::write(
            dir.path().join(format!(".other.gongkai-new-{dead}")),
            "not ours",
        )?;
        write_atomically(&out, &site, &[file("a.html", "一")])?;
        for name in &leftovers {
            assert!(!dir.path().join(name).exists(), "{name}");
        }
        for name in &running {
            assert!(dir.path().join(name).exists(), "{name}");
        }
        assert!(
            dir.path()
                .join(format!(".other.gongkai-new-{dead}"))
                .exists()
        );
        assert!(
            !dir.path()
                .join(format!(".public.gongkai-new-{alive}"))
                .exists()
        );
        Ok(())
    }

    #[test]
    fn refuses_a_folder_it_did_not_create() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("docs");
        fs::create_dir_all(&out)?;
        fs::write(out.join("important.doc"), "x")?;
        let error = write_atomically(&out, &dir.path().join("site"), &[file("index.html", "x")]);
        assert_eq!(error.map_err(|e| e.kind), Err(OutputErrorKind::NotOurs));
        assert!(out.join("important.doc").exists());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn refuses_the_site_root_and_its_sources() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content/notices/a"))?;
        fs::create_dir_all(site.join("themes/default/static"))?;
        std::os::unix::fs::symlink(site.join("content"), dir.path().join("linked"))?;
        let here = std::env::current_dir()?;
        let relative = pathdiff(&site.join("content/newdir"), &here);
        for target in [
            site.clone(),
            dir.path().to_path_buf(),
            site.join("content/x"),
            site.join("content/notices/a/out"),
            site.join("themes/default/static/out"),
            site.join("public/../content/y"),
            dir.path().join("linked/z"),
            relative,
        ] {
            let error = check_target(&target, &site);
            assert_eq!(
                error.map_err(|e| e.kind),
                Err(OutputErrorKind::InsideContent),
                "{}",
                target.display()
            );
        }
        assert!(check_target(&site.join("public"), &site).is_ok());
        Ok(())
    }

    /// `to` as a path relative to `from` (both absolute), with `..` as needed.
    fn pathdiff(to: &Path, from: &Path) -> PathBuf {
        let common = to
            .components()
            .zip(from.components())
            .take_while(|(a, b)| a == b)
            .count();
        let mut relative: PathBuf = from.components().skip(common).map(|_| "..").collect();
        relative.extend(to.components().skip(common));
        relative
    }

    #[test]
    fn a_marker_naming_paths_gongkai_never_writes_is_refused_and_nothing_removed()
    -> Result<(), Box<dyn std::error::Error>> {
        for forged in ["../victim", "/tmp/victim", "a/../../victim", "a//b", "./x"] {
            let (dir, site, out) = site_and_output()?;
            fs::write(dir.path().join("victim"), "keep")?;
            write_atomically(&out, &site, &[file("a.html", "一")])?;
            let marker = fs::read_to_string(out.join(MARKER))?;
            fs::write(out.join(MARKER), format!("{marker}0 4 {forged}\n"))?;
            let error = write_atomically(&out, &site, &[file("b.html", "二")]);
            assert!(
                matches!(
                    error.map_err(|e| e.kind),
                    Err(OutputErrorKind::ForgedMarker { .. })
                ),
                "{forged}"
            );
            assert!(dir.path().join("victim").exists(), "{forged}");
            assert!(out.join("a.html").exists(), "{forged}");
        }
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_listed_file_behind_a_link_in_the_output_is_not_removed()
    -> Result<(), Box<dyn std::error::Error>> {
        let (dir, site, out) = site_and_output()?;
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside)?;
        fs::write(outside.join("page.html"), "keep")?;
        write_atomically(
            &out,
            &site,
            &[file("a.html", "一"), file("d/page.html", "二")],
        )?;
        // Someone swaps the folder for a link out of the output.
        fs::remove_dir_all(out.join("d"))?;
        std::os::unix::fs::symlink(&outside, out.join("d"))?;
        write_atomically(&out, &site, &[file("a.html", "三")])?;
        assert_eq!(fs::read_to_string(outside.join("page.html"))?, "keep");
        Ok(())
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let site = dir.path().join("site");
        let out = dir.path().join("public");
        write_atomically(&out, &site, &[file("index.html", "旧")])?;
        let missing = dir.path().join("no-such-file.pdf");
        let failing = [
            file("index.html", "新"),
            OutputFile {
                path: "a.pdf".to_owned(),
                source: Source::Copy(missing),
            },
        ];
        assert!(write_atomically(&out, &site, &failing).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html"))?, "旧");
        assert_eq!(
            fs::read_dir(dir.path())?.count(),
            1,
            "staging was cleaned up"
        );
        Ok(())
    }
}
