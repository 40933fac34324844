//! Writing the output folder atomically.
//!
//! The site is written into the output's twin beside it, then the two are
//! exchanged in one step (`staging`); a failed or killed build leaves the
//! output exactly as it was. A marker file tells an output folder gongkai
//! made from any other folder and lists the files gongkai wrote; every
//! other file in the output is kept.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Hint, Located, Location};

mod feeds;
mod marker;
mod search;
mod sitemap;
mod staging;
mod system;
mod tree;

pub use feeds::feeds;
pub use search::{
    Remembered as SearchLists, index as search_index, is_index_file as is_search_index_file,
};
pub use sitemap::{robots, sitemap};
pub use staging::{Committed, Staging, cache_of, foreign_files, search_lists_of, twin_of};

/// An output path as a `/`-separated key, as in URLs (`notices/a/方案.pdf`).
pub fn path_key(path: &Path) -> String {
    path.iter()
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The files of the output besides pages and static files: feeds, sitemap,
/// robots.txt, the search index and the open data, by path; and the search
/// index's lists to remember, which takes what it can from `remembered`. An
/// aggregate portal has no notices of its own to put in feeds or a search
/// index.
pub fn generated(
    site: &crate::site::Site,
    remembered: &SearchLists,
) -> (Vec<(String, String)>, SearchLists) {
    if site.aggregate.is_some() {
        let mut files = crate::export::data::files(site);
        files.push(("sitemap.xml".to_owned(), sitemap(site)));
        files.push(("robots.txt".to_owned(), robots(site)));
        return (files, SearchLists::default());
    }
    let ((mut files, sitemap), ((search, lists), data)) = rayon::join(
        || rayon::join(|| feeds(site), || sitemap(site)),
        || {
            rayon::join(
                || search_index(site, remembered),
                || crate::export::data::files(site),
            )
        },
    );
    files.push(("sitemap.xml".to_owned(), sitemap));
    files.push(("robots.txt".to_owned(), robots(site)));
    files.extend(search);
    files.extend(data);
    (files, lists)
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
    #[error(
        "输出目录的标记文件 {MARKER} 没有列出 gongkai 写过的文件，分不清哪些文件可以替换，为免误删，拒绝覆盖"
    )]
    UnlistedMarker,
    #[error("输出目录中的“{path}”不是 gongkai 生成的，而网站要在这个位置写入文件{}；为免覆盖别人的文件，拒绝生成", others_note(*others))]
    ForeignInTheWay { path: String, others: usize },
    #[error("无法原样保留输出目录中的“{path}”：它属于其他用户，系统不允许 gongkai 保留它的原样")]
    CannotKeep { path: String },
    #[error("另一个 gongkai 正在生成到这个输出目录")]
    Busy,
    #[error("输出目录是一个挂载点，无法整体替换")]
    MountPoint,
    #[error("输出目录旁的上一版目录不是文件夹")]
    TwinNotAFolder,
    #[error("网站中有两样东西要写到同一个位置“{path}”：{}，和{}", both[0], both[1])]
    SamePath {
        path: String,
        both: Box<[String; 2]>,
    },
    #[error("写入输出时出错：{0}")]
    Io(String),
}

fn others_note(others: usize) -> String {
    match others {
        0 => String::new(),
        n => format!("（另有 {n} 处同样的冲突）"),
    }
}

impl Hint for OutputErrorKind {
    fn code(&self) -> &'static str {
        match self {
            OutputErrorKind::NotOurs => "GK0801",
            OutputErrorKind::NotAFolder => "GK0802",
            OutputErrorKind::InsideContent => "GK0803",
            OutputErrorKind::ForgedMarker { .. } => "GK0804",
            OutputErrorKind::UnlistedMarker => "GK0805",
            OutputErrorKind::ForeignInTheWay { .. } => "GK0806",
            OutputErrorKind::CannotKeep { .. } => "GK0807",
            OutputErrorKind::Busy => "GK0808",
            OutputErrorKind::MountPoint => "GK0809",
            OutputErrorKind::TwinNotAFolder => "GK0810",
            OutputErrorKind::Io(..) => "GK0811",
            OutputErrorKind::SamePath { .. } => "GK0812",
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            OutputErrorKind::ForgedMarker { .. } => Some(format!(
                "这个标记不是 gongkai 写的：请检查 {MARKER} 的来历；确认输出目录中的文件可以替换后，删除 {MARKER} 并改用新的空目录"
            )),
            OutputErrorKind::UnlistedMarker => Some(
                "这可能是旧版 gongkai 留下的，或上次生成被中断：确认其中没有别人放的文件后删除这个目录再生成，或先把别人的文件移到别处".into(),
            ),
            OutputErrorKind::ForeignInTheWay { .. } => Some(
                "请把这个文件移走或改名，或修改网站中对应的名称；gongkai 只替换自己写过的文件".into(),
            ),
            OutputErrorKind::CannotKeep { .. } => Some(
                "gongkai 每次生成都把输出目录中别人的文件原样放进新的输出目录：请以这些文件的所有者（或 root）运行 gongkai，或把它们移出输出目录".into(),
            ),
            OutputErrorKind::Busy => Some(
                "请等它完成后再生成（同一个上级目录中的输出目录，一次只生成一个）".into(),
            ),
            OutputErrorKind::MountPoint => Some(
                "gongkai 要在输出目录旁边准备新版本再整体换入：请把输出目录设为挂载点里的一个子目录，并让网站服务器指向它".into(),
            ),
            OutputErrorKind::SamePath { .. } => Some(
                "请给页面或附件换一个名字：网站自带的栏目（notices、status、overdue、stale、long-term、organizations、years、search、data）和每篇通报的整改台账（ledger.xlsx、ledger.csv）已占用这些名字".into(),
            ),
            OutputErrorKind::TwinNotAFolder => Some(
                "gongkai 在这里保存上一版网站，以便下次只写改动的文件：请移走这个文件".into(),
            ),
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
pub(crate) fn resolved(path: &Path) -> PathBuf {
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
    // Two names tell empty, the marker alone, and more than the marker.
    let first_names: Vec<std::ffi::OsString> = fs::read_dir(output)
        .map_err(|error| io_error(output, error))?
        .flatten()
        .take(2)
        .map(|entry| entry.file_name())
        .collect();
    if first_names.is_empty() {
        return Ok(());
    }
    let marker = output.join(MARKER);
    if !fs::symlink_metadata(&marker).is_ok_and(|meta| meta.is_file()) {
        return refuse(OutputErrorKind::NotOurs);
    }
    let read = marker::audit(&marker);
    if let Some(entry) = read.forged {
        return refuse(OutputErrorKind::ForgedMarker { entry });
    }
    let holds_more_than_the_marker = first_names.iter().any(|name| name != MARKER);
    if holds_more_than_the_marker && !read.lists_files {
        return refuse(OutputErrorKind::UnlistedMarker);
    }
    Ok(())
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
        staging.commit().map(drop)
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

    fn names_in(dir: &Path) -> std::io::Result<Vec<String>> {
        let mut names: Vec<String> = fs::read_dir(dir)?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    #[test]
    fn replaces_its_own_output_and_keeps_only_the_twin_and_its_index_beside_it()
    -> Result<(), Box<dyn std::error::Error>> {
        let (dir, site, out) = site_and_output()?;
        write_atomically(
            &out,
            &site,
            &[file("a/index.html", "一"), file("b.html", "二")],
        )?;
        assert_eq!(names_in(dir.path())?, ["public", "site"]);
        write_atomically(&out, &site, &[file("a/index.html", "三")])?;
        assert_eq!(fs::read_to_string(out.join("a/index.html"))?, "三");
        assert!(!out.join("b.html").exists());
        assert_eq!(
            names_in(dir.path())?,
            [
                ".public.gongkai-index",
                ".public.gongkai-previous",
                "public",
                "site"
            ]
        );
        // The twin holds the previous site exactly.
        let twin = twin_of(&out);
        assert_eq!(fs::read_to_string(twin.join("a/index.html"))?, "一");
        assert_eq!(fs::read_to_string(twin.join("b.html"))?, "二");
        write_atomically(&out, &site, &[file("c.html", "四")])?;
        assert_eq!(names_in(&out)?, [MARKER, "c.html"]);
        assert_eq!(names_in(&twin)?, [MARKER, "a"]);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_file_keeps_its_inode_and_a_changed_one_never_writes_through_a_shared_inode()
    -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::MetadataExt;
        let (_dir, site, out) = site_and_output()?;
        let inode = |path: &Path| fs::metadata(path).map(|m| m.ino());
        write_atomically(
            &out,
            &site,
            &[file("same.html", "一"), file("page.html", "二")],
        )?;
        let same = inode(&out.join("same.html"))?;
        for round in ["三", "四", "五"] {
            write_atomically(
                &out,
                &site,
                &[file("same.html", "一"), file("page.html", round)],
            )?;
            assert_eq!(inode(&out.join("same.html"))?, same);
            assert_eq!(fs::read_to_string(out.join("page.html"))?, round);
        }
        // The twin's copy of the page is the previous one, not the current one.
        assert_eq!(fs::read_to_string(twin_of(&out).join("page.html"))?, "四");
        Ok(())
    }

    #[test]
    fn files_gongkai_did_not_write_are_kept_and_never_overwritten()
    -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, site, out) = site_and_output()?;
        write_atomically(&out, &site, &[file("index.html", "一")])?;
        fs::write(out.join("web.config"), "<configuration/>")?;
        fs::create_dir_all(out.join("uploads/2025"))?;
        fs::write(out.join("uploads/2025/a.pdf"), "pdf")?;
        fs::create_dir_all(out.join("empty"))?;
        for round in ["二", "三"] {
            write_atomically(
                &out,
                &site,
                &[file("index.html", round), file("x/y.html", round)],
            )?;
            assert_eq!(
                fs::read_to_string(out.join("web.config"))?,
                "<configuration/>"
            );
            assert_eq!(fs::read_to_string(out.join("uploads/2025/a.pdf"))?, "pdf");
            assert!(out.join("empty").is_dir());
        }
        assert_eq!(
            foreign_files(&out)?,
            [
                PathBuf::from("empty"),
                PathBuf::from("uploads/2025/a.pdf"),
                PathBuf::from("web.config")
            ]
        );
        // A file the web team removed stays removed.
        fs::remove_file(out.join("web.config"))?;
        write_atomically(&out, &site, &[file("index.html", "四")])?;
        write_atomically(&out, &site, &[file("index.html", "五")])?;
        assert!(!out.join("web.config").exists());
        // The site may not write where their file is.
        let error = write_atomically(&out, &site, &[file("uploads/2025/a.pdf", "站点")]);
        assert!(matches!(
            error.map_err(|e| e.kind),
            Err(OutputErrorKind::ForeignInTheWay { .. })
        ));
        let error = write_atomically(&out, &site, &[file("empty/index.html", "站点")]);
        assert!(error.is_ok(), "an empty folder of theirs may receive pages");
        assert_eq!(fs::read_to_string(out.join("uploads/2025/a.pdf"))?, "pdf");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn the_web_teams_folders_keep_their_permissions_and_owner()
    -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let (_dir, site, out) = site_and_output()?;
        write_atomically(&out, &site, &[file("index.html", "一")])?;
        fs::create_dir_all(out.join("uploads/2025"))?;
        fs::write(out.join("uploads/2025/a.pdf"), "pdf")?;
        fs::set_permissions(out.join("uploads"), fs::Permissions::from_mode(0o2775))?;
        fs::set_permissions(&out, fs::Permissions::from_mode(0o750))?;
        // Another owner, where this runs as root (as CI does).
        let another = 33;
        let as_root = fs::metadata(&out)?.uid() == 0
            && std::os::unix::fs::chown(out.join("uploads"), Some(another), Some(another)).is_ok();
        for round in ["二", "三"] {
            write_atomically(&out, &site, &[file("index.html", round)])?;
            let uploads = fs::metadata(out.join("uploads"))?;
            assert_eq!(uploads.mode() & 0o7777, 0o2775);
            assert_eq!(fs::metadata(&out)?.mode() & 0o7777, 0o750);
            if as_root {
                assert_eq!((uploads.uid(), uploads.gid()), (another, another));
            }
        }
        Ok(())
    }

    #[test]
    fn a_rebuild_that_fails_leaves_output_and_marker_as_they_were()
    -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, site, out) = site_and_output()?;
        write_atomically(&out, &site, &[file("a.html", "一"), file("b", "二")])?;
        write_atomically(&out, &site, &[file("a.html", "一"), file("b", "三")])?;
        let marker = fs::read_to_string(out.join(MARKER))?;
        let failing = [
            file("a.html", "四"),
            OutputFile {
                path: "c.pdf".to_owned(),
                source: Source::Copy(out.join("no-such-file.pdf")),
            },
        ];
        assert!(write_atomically(&out, &site, &failing).is_err());
        assert_eq!(fs::read_to_string(out.join("a.html"))?, "一");
        assert_eq!(fs::read_to_string(out.join("b"))?, "三");
        assert_eq!(fs::read_to_string(out.join(MARKER))?, marker);
        // The half-updated twin is brought up to date by the next build.
        write_atomically(&out, &site, &[file("a.html", "五"), file("b", "三")])?;
        assert_eq!(names_in(&out)?, [MARKER, "a.html", "b"]);
        assert_eq!(fs::read_to_string(out.join("a.html"))?, "五");
        Ok(())
    }

    #[test]
    fn a_twin_in_any_state_is_brought_up_to_date() -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, site, out) = site_and_output()?;
        write_atomically(&out, &site, &[file("a.html", "一"), file("d/b.html", "二")])?;
        write_atomically(&out, &site, &[file("a.html", "三"), file("d/b.html", "二")])?;
        let twin = twin_of(&out);
        // What a build killed at some point leaves: no marker, stray files,
        // a folder where a file goes, a file where a folder goes.
        fs::remove_file(twin.join(MARKER))?;
        fs::write(twin.join("stray.html"), "x")?;
        fs::remove_file(twin.join("a.html"))?;
        fs::create_dir_all(twin.join("a.html/inner"))?;
        fs::remove_dir_all(twin.join("d"))?;
        fs::write(twin.join("d"), "x")?;
        write_atomically(&out, &site, &[file("a.html", "四"), file("d/b.html", "五")])?;
        assert_eq!(names_in(&out)?, [MARKER, "a.html", "d"]);
        assert_eq!(fs::read_to_string(out.join("a.html"))?, "四");
        assert_eq!(fs::read_to_string(out.join("d/b.html"))?, "五");
        Ok(())
    }

    #[test]
    fn an_output_whose_marker_lists_no_files_is_refused_and_nothing_removed()
    -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, site, out) = site_and_output()?;
        write_atomically(&out, &site, &[file("a.html", "一")])?;
        // What gongkai before the twin left when killed while moving files:
        // the marker without its list, a file set aside.
        let marker = fs::read_to_string(out.join(MARKER))?;
        let note = marker.lines().next().unwrap_or_default();
        fs::write(out.join(MARKER), format!("{note}\n"))?;
        fs::rename(out.join("a.html"), out.join("a.html.gongkai-old"))?;
        fs::write(out.join("web.config"), "theirs")?;
        let error = write_atomically(&out, &site, &[file("a.html", "三")]);
        assert_eq!(
            error.map_err(|e| e.kind),
            Err(OutputErrorKind::UnlistedMarker)
        );
        assert_eq!(
            names_in(&out)?,
            [MARKER, "a.html.gongkai-old", "web.config"]
        );
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
        // A parse cache a killed build was saving, and one being saved.
        let cache_of = |pid: u64| dir.path().join(format!(".public.gongkai-cache-new-{pid}"));
        fs::write(cache_of(dead), "cache")?;
        fs::write(cache_of(init), "cache")?;
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
        assert!(!cache_of(dead).exists());
        assert!(cache_of(init).exists());
        assert!(
            dir.path()
                .join(format!(".other.gongkai-new-{dead}"))
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
        for forged in [
            "../victim",
            "/tmp/victim",
            "a/../../victim",
            "a//b",
            "./x",
            "..",
            "../",
            ".",
        ] {
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
        // The link is not gongkai's: it is kept, as a link.
        assert_eq!(fs::read_link(out.join("d"))?, outside);
        // A site writing through it is refused, and nothing outside changes.
        let error = write_atomically(&out, &site, &[file("d/page.html", "四")]);
        assert!(matches!(
            error.map_err(|e| e.kind),
            Err(OutputErrorKind::ForeignInTheWay { .. })
        ));
        assert_eq!(fs::read_to_string(outside.join("page.html"))?, "keep");
        Ok(())
    }
}
