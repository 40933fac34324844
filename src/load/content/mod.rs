//! Walking `content/` into notices, issues and pages, with their front matter read.
//!
//! Everything here is about files: where they are, what they are called, and
//! what their front matter says. Ordering, grouping, counting and rendering
//! happen later, in `site`.

mod frontmatter;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Hint, Located, Location};
use crate::load::cache::{FileStamp, ParseCache};
use crate::load::sources::Sources;
use crate::model::date::Date;
use crate::model::status::Status;
use crate::model::supervision::Supervision;
use crate::yaml::{Document, Positions, Record, YamlError, record};

pub use crate::model::slug::{initials, is_valid_slug, leading_number, suggest_slug};

pub const CONTENT_DIR: &str = "content";
pub const NOTICES_DIR: &str = "notices";
pub const PAGES_DIR: &str = "pages";
pub const ISSUES_DIR: &str = "issues";
pub const HOME_FILE: &str = "_index.md";
pub const NOTICE_FILE: &str = "index.md";

pub type ContentError = Located<ContentErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentErrorKind {
    #[error("文件开头缺少 front matter（以 --- 开始、以 --- 结束的字段区）")]
    NoFrontMatter,
    #[error("front matter 没有结束：找不到第二个 --- 行")]
    UnclosedFrontMatter,
    #[error("名称“{name}”不能用作网址：只能使用小写英文字母、数字和“-”")]
    BadName { name: String, suggestion: String },
    #[error("名称“{0}”保留给分页网址使用，不能用作通报名称")]
    ReservedName(String),
    #[error("通报文件夹“{folder}”里没有 index.md")]
    NoticeWithoutIndex { folder: String },
    #[error("通报不能直接放在 notices/ 下")]
    MisplacedNotice,
    #[error("问题编号 {number} 与 {} 重复", other.file_name().unwrap_or_default().to_string_lossy())]
    DuplicateNumber { number: u32, other: PathBuf },
    #[error("此文件不会发布：{reason}")]
    NotPublished { reason: &'static str },
    #[error("附件“{name}”是网页或含脚本的文件，访问者打开它时会在本网站上运行脚本")]
    ActiveAttachment { name: String },
}

impl Hint for ContentErrorKind {
    fn code(&self) -> &'static str {
        match self {
            ContentErrorKind::NoFrontMatter => "GK0501",
            ContentErrorKind::UnclosedFrontMatter => "GK0502",
            ContentErrorKind::BadName { .. } => "GK0503",
            ContentErrorKind::ReservedName(..) => "GK0504",
            ContentErrorKind::NoticeWithoutIndex { .. } => "GK0505",
            ContentErrorKind::MisplacedNotice => "GK0506",
            ContentErrorKind::DuplicateNumber { .. } => "GK0507",
            ContentErrorKind::NotPublished { .. } => "GK0508",
            ContentErrorKind::ActiveAttachment { .. } => "GK0509",
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            ContentErrorKind::NoFrontMatter => Some(
                "在文件第一行写 ---，接着写“title: 标题”等字段，再写一行 --- 结束".into(),
            ),
            ContentErrorKind::UnclosedFrontMatter => {
                Some("在字段之后、正文之前加一行 ---".into())
            }
            ContentErrorKind::BadName { suggestion, .. } => {
                Some(format!("可改名为“{suggestion}”（拼音）"))
            }
            ContentErrorKind::ReservedName(name) => Some(format!("可改名为“{name}-1”或其他名称")),
            ContentErrorKind::NoticeWithoutIndex { .. } => Some(
                "每个通报是一个文件夹，正文写在其中的 index.md；可用 gongkai new notice <名称> 生成".into(),
            ),
            ContentErrorKind::MisplacedNotice => Some(
                "请建一个文件夹 notices/<名称>/，把这个文件移进去并改名为 index.md".into(),
            ),
            ContentErrorKind::DuplicateNumber { .. } => {
                Some("文件名开头的数字决定问题顺序，请改成不重复的编号".into())
            }
            ContentErrorKind::NotPublished { .. } => None,
            ContentErrorKind::ActiveAttachment { .. } => Some(
                "附件请用 PDF、Word、Excel 或图片；网页内容请写进通报正文。SVG 图片中不能有脚本".into(),
            ),
        }
    }
}

record! {
    /// Facts about the inspection round a notice reports on.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct Inspection at InspectionAt {
        body: Option<String> = optional("巡察组"),
        start: Option<Date> = optional("巡察开始日期"),
        end: Option<Date> = optional("巡察结束日期"),
        feedback: Option<Date> = optional("反馈日期"),
    }
}

record! {
    /// Counts the notice's own text claims, checked against the issue files.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct Declared at DeclaredAt {
        aspects: Option<u32> = optional("方面数"),
        items: Option<u32> = optional("大项数"),
        problems: Option<u32> = optional("问题数"),
    }
}

record! {
    /// The front matter of a notice (`notices/<slug>/index.md`).
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct NoticeFront at NoticeFrontAt {
        title: String = required("标题"),
        organization: String = required("发布机构"),
        published: Date = required("发布日期"),
        written: Option<Date> = optional("成文日期"),
        index_no: Option<String> = optional("索引号"),
        doc_no: Option<String> = optional("文号"),
        category: Option<String> = optional("主题分类"),
        validity: Option<String> = optional("效力状态"),
        inspection: Inspection = section("巡察情况"),
        declared: Declared = section("通报所述问题数"),
        supervision: Supervision = section("监督联系方式"),
        as_of: Option<Date> = optional("截至日期"),
        draft: bool = default("草稿"),
    }
}

record! {
    /// One dated step of an issue's rectification, an item of `progress:`.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct Progress at ProgressAt {
        date: Date = required("日期"),
        status: Option<Status> = optional("状态"),
        note: Option<String> = optional("说明"),
    }
}

record! {
    /// The front matter of an issue (`notices/<slug>/issues/<nn>-<name>.md`).
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct IssueFront at IssueFrontAt {
        title: String = required("问题标题"),
        aspect: Option<String> = optional("所属方面"),
        item: Option<String> = optional("所属大项"),
        status: Status = required("整改状态"),
        long_term: bool = default("长期坚持"),
        deadline: Option<Date> = optional("完成时限"),
        department: Option<String> = optional("责任科室"),
        lead: Option<String> = optional("牵头领导"),
        order: Option<u32> = optional("排序"),
        updated: Option<Date> = optional("更新日期"),
        completed: Option<Date> = optional("完成日期"),
        progress: Vec<Progress> = list("进展"),
    }
}

impl IssueFront {
    /// An issue of `title` in `status`, with nothing else said of it.
    pub fn new(title: String, status: Status) -> IssueFront {
        IssueFront {
            title,
            aspect: None,
            item: None,
            status,
            long_term: false,
            deadline: None,
            department: None,
            lead: None,
            order: None,
            updated: None,
            completed: None,
            progress: Vec::new(),
        }
    }

    /// The front matter of the issue file `file` holding `text`, as a build
    /// reads it; `None` when it does not read.
    pub fn read(file: &Path, text: &str) -> Option<IssueFront> {
        parse_file::<IssueFront>(file, text)
            .ok()
            .map(|(front, _, _)| front)
    }

    /// The front matter that reads back as this issue (between `---`
    /// lines), fields in the order they are declared; what `import` writes.
    pub fn front_matter(&self) -> String {
        front_matter(self)
    }

    /// The date the issue was completed: `completed:`, or else the last
    /// progress step that says completed. `None` for an issue that is not
    /// completed.
    pub fn completion_date(&self) -> Option<Date> {
        if self.status != Status::Completed {
            return None;
        }
        self.completed.or_else(|| {
            self.progress
                .iter()
                .rev()
                .find(|step| step.status == Some(Status::Completed))
                .map(|step| step.date)
        })
    }

    /// Whether it is overdue at `as_of` (`model::counts::is_overdue`).
    pub fn is_overdue(&self, as_of: Date) -> bool {
        crate::model::counts::is_overdue(self.status, self.deadline, as_of)
    }
}

impl NoticeFront {
    /// The front matter that reads back as this notice, between `---` lines.
    pub fn front_matter(&self) -> String {
        front_matter(self)
    }
}

/// `record` written between `---` lines.
fn front_matter(record: &impl Record) -> String {
    let mut text = String::from("---\n");
    record.write(&mut text, 0);
    text.push_str("---\n");
    text
}

record! {
    /// The front matter of a standalone page (`pages/<slug>.md`).
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct PageFront at PageFrontAt {
        title: String = required("标题"),
        order: Option<u32> = optional("排序"),
    }
}

record! {
    /// The front matter of the home text (`_index.md`), which may have none.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
    pub struct HomeFront at HomeFrontAt {
        title: String = default("标题"),
    }
}

/// Markdown text and the line of its file it starts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// The whole file, front matter included, for showing lines in messages.
    pub text: String,
    /// Byte offset of the body in `text`.
    pub start: usize,
    /// 1-based line of the file where the body starts.
    pub first_line: usize,
}

impl Body {
    pub fn markdown(&self) -> &str {
        &self.text[self.start..]
    }

    /// The location of byte `offset` of the body.
    pub fn location(&self, file: &Path, offset: usize) -> Location {
        Location::at_offset(file, &self.text, self.start + offset)
    }
}

#[derive(Debug, Clone)]
pub struct NoticeSource {
    pub slug: String,
    pub file: PathBuf,
    pub front: NoticeFront,
    pub body: Body,
    pub at: NoticeFrontAt,
    pub issues: Vec<IssueSource>,
    /// Other files of the bundle, copied beside the page.
    pub attachments: Vec<Attachment>,
}

/// A file of a notice's bundle that is not Markdown, published as it is
/// beside the notice's page and listed on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attachment {
    /// Relative to the notice's folder (`files/fangan.pdf`).
    pub path: PathBuf,
    pub size: u64,
}

#[derive(Debug, Clone)]
pub struct IssueSource {
    pub slug: String,
    pub file: PathBuf,
    /// The number the file name starts with.
    pub number: Option<u32>,
    pub front: IssueFront,
    pub body: Body,
    pub at: IssueFrontAt,
}

#[derive(Debug, Clone)]
pub struct PageSource {
    pub slug: String,
    pub file: PathBuf,
    pub front: PageFront,
    pub body: Body,
    pub at: PageFrontAt,
}

/// Everything under `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub home: Option<PageSource>,
    pub notices: Vec<NoticeSource>,
    pub pages: Vec<PageSource>,
    /// Notices marked `draft: true` and left out of the site (none when
    /// drafts are included): `check` lists them until they are finished.
    pub drafts: Vec<NoticeSource>,
}

/// What a file under `content/` is, judged by where it is.
enum Entry {
    Home(PathBuf),
    Notice {
        slug: String,
        file: PathBuf,
    },
    Issue {
        notice: String,
        slug: String,
        file: PathBuf,
    },
    Page {
        slug: String,
        file: PathBuf,
    },
}

enum Classified {
    Markdown(Entry),
    Attachment { notice: String, relative: PathBuf },
}

enum Parsed {
    Home(PageSource),
    Notice(Box<NoticeSource>),
    Issue(String, Box<IssueSource>),
    Page(PageSource),
}

/// Loads `content/` under `root`. Errors and warnings come back together;
/// the content is only usable when none of them is an error.
pub fn load(sources: &Sources, include_drafts: bool) -> (Content, Vec<Diagnostic>) {
    load_part(sources, include_drafts, Part::All)
}

/// [`load`], taking from the cache `open_cache` opens (while `content/` is
/// walked) what it has of files that did not change since, and saving the
/// cache of this load when it differs.
pub fn load_cached(
    sources: &Sources,
    include_drafts: bool,
    open_cache: &OpenCache<'_>,
) -> (Content, Vec<Diagnostic>) {
    load_from(sources, include_drafts, Part::All, Some(open_cache))
}

/// Opens the parse cache of a load.
pub type OpenCache<'a> = dyn Fn() -> ParseCache<Parse> + Sync + 'a;

/// A part of `content/` that can be loaded on its own, for rebuilding only
/// what changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    All,
    /// `notices/<slug>/`: the notice and its issues and attachments.
    Notice(String),
    /// `pages/`
    Pages,
    /// `_index.md`
    Home,
}

/// Loads one part of `content/`; the returned content holds only that part.
pub fn load_part(
    sources: &Sources,
    include_drafts: bool,
    part: Part,
) -> (Content, Vec<Diagnostic>) {
    load_from(sources, include_drafts, part, None)
}

fn load_from(
    sources: &Sources,
    include_drafts: bool,
    part: Part,
    open_cache: Option<&OpenCache<'_>>,
) -> (Content, Vec<Diagnostic>) {
    let content_dir = sources.root().join(CONTENT_DIR);
    let start = match &part {
        Part::All => content_dir.clone(),
        Part::Notice(slug) => content_dir.join(NOTICES_DIR).join(slug),
        Part::Pages => content_dir.join(PAGES_DIR),
        Part::Home => content_dir.join(HOME_FILE),
    };
    if part != Part::All && fs::symlink_metadata(&start).is_err() {
        return (Content::default(), Vec::new());
    }
    let mut diagnostics = Vec::new();
    if !content_dir.is_dir() {
        let missing = Diagnostic::error(
            Some(Location::file_start(&content_dir)),
            "找不到 content/ 文件夹",
        )
        .with_hint(Some(
            "通报放在 content/notices/<名称>/index.md；新建站点可用 gongkai init <目录>".into(),
        ));
        return (Content::default(), vec![missing]);
    }
    let mut entries = Vec::new();
    let mut attachments: BTreeMap<String, Vec<Attachment>> = BTreeMap::new();
    let mut notice_folders = BTreeMap::new();

    let (cache, walked) = rayon::join(
        || open_cache.map(|open| open()),
        || sources.walk(&start, &is_ignored),
    );
    let cache = cache.as_ref();
    for walked in walked {
        let walked = match walked {
            Ok(walked) => walked,
            Err(error) => {
                diagnostics.push(error.into());
                continue;
            }
        };
        let path = walked.path.as_path();
        let Ok(relative) = path.strip_prefix(&content_dir) else {
            continue;
        };
        let Some(parts) = relative
            .iter()
            .map(|part| part.to_str())
            .collect::<Option<Vec<&str>>>()
        else {
            diagnostics.push(
                Diagnostic::error(
                    Some(Location::file_start(path)),
                    "文件名不是 UTF-8 编码，无法识别",
                )
                .with_hint(Some(
                    "常见于从 Windows 压缩包解出的中文文件名：请重新命名该文件或文件夹".into(),
                )),
            );
            continue;
        };
        if walked.is_dir {
            if let [NOTICES_DIR, folder] = parts.as_slice() {
                notice_folders.insert(folder.to_string(), path.to_path_buf());
            }
            continue;
        }
        match classify(&parts, path) {
            Ok(Some(Classified::Attachment { notice, relative })) => {
                match sources.check_file(path) {
                    Ok(_) if runs_script(path) => diagnostics.push(
                        Located::new(
                            Location::file_start(path),
                            ContentErrorKind::ActiveAttachment {
                                name: relative.display().to_string(),
                            },
                        )
                        .into(),
                    ),
                    Ok(size) => attachments.entry(notice).or_default().push(Attachment {
                        path: relative,
                        size,
                    }),
                    Err(error) => diagnostics.push(error.into()),
                }
            }
            Ok(Some(Classified::Markdown(entry))) => entries.push(entry),
            Ok(None) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }

    let indexed: std::collections::HashSet<&str> = entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::Notice { slug, .. } => Some(slug.as_str()),
            _ => None,
        })
        .collect();
    // A folder whose name was refused has been reported already.
    for (folder, path) in notice_folders.iter().filter(|(f, _)| is_valid_slug(f)) {
        if !indexed.contains(folder.as_str()) {
            diagnostics.push(
                Located::new(
                    Location::file_start(path),
                    ContentErrorKind::NoticeWithoutIndex {
                        folder: folder.clone(),
                    },
                )
                .into(),
            );
        }
    }

    let read = read_all(sources, &content_dir, entries, cache);
    if let Some(cache) = cache {
        cache.save(read.iter().filter_map(|read| {
            let (key, stamp) = read.stamped.as_ref()?;
            Some((key.as_str(), *stamp, read.parse.as_ref().ok()?))
        }));
    }
    let parsed = read.into_iter().map(|Read { entry, parse, .. }| {
        let parse = parse?;
        let file = entry.file().to_path_buf();
        entry.with(parse).ok_or_else(|| {
            vec![Diagnostic::error(
                Some(Location::file_start(&file)),
                "内部错误：缓存中的文件类型与文件位置不符",
            )]
        })
    });

    let mut content = Content::default();
    let mut issues: BTreeMap<String, Vec<IssueSource>> = BTreeMap::new();
    for result in parsed {
        match result {
            Ok(Parsed::Home(page)) => content.home = Some(page),
            Ok(Parsed::Notice(notice)) => content.notices.push(*notice),
            Ok(Parsed::Issue(notice, issue)) => issues.entry(notice).or_default().push(*issue),
            Ok(Parsed::Page(page)) => content.pages.push(page),
            Err(errors) => diagnostics.extend(errors),
        }
    }

    for notice in &mut content.notices {
        notice.issues = issues.remove(&notice.slug).unwrap_or_default();
        notice.attachments = attachments.remove(&notice.slug).unwrap_or_default();
        diagnostics.extend(duplicate_numbers(&notice.issues));
    }
    if !include_drafts {
        let (drafts, notices) = std::mem::take(&mut content.notices)
            .into_iter()
            .partition(|notice| notice.front.draft);
        content.notices = notices;
        content.drafts = drafts;
    }
    (content, diagnostics)
}

/// A file of `content/` and what was read from it.
struct Read {
    entry: Entry,
    parse: Result<Parse, Vec<Diagnostic>>,
    /// Its path relative to `content/` and its stamp, when a cache is used.
    stamped: Option<(String, FileStamp)>,
}

/// Reads and parses `entries` in parallel, taking from `cache` the files
/// it has as they are now.
fn read_all(
    sources: &Sources,
    content_dir: &Path,
    entries: Vec<Entry>,
    cache: Option<&ParseCache<Parse>>,
) -> Vec<Read> {
    let stamped = |file: &Path| {
        let key = file.strip_prefix(content_dir).ok()?.to_string_lossy();
        Some((key.into_owned(), sources.stamp(file)?))
    };
    entries
        .into_par_iter()
        .map(|entry| {
            let stamped = cache.and_then(|_| stamped(entry.file()));
            let cached = cache
                .zip(stamped.as_ref())
                .and_then(|(cache, (key, stamp))| cache.take(key, *stamp))
                .filter(|parse| entry.reads_as(parse));
            let parse = match cached {
                Some(parse) => Ok(*parse),
                None => entry.parse(sources),
            };
            Read {
                entry,
                parse,
                stamped,
            }
        })
        .collect()
}

/// Whether an attachment would run script on the site's own origin when a
/// visitor opens it: a web page, a script, or an SVG image with script in it.
/// (An attachment is published as it is, beside the notice page.)
fn runs_script(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    const ACTIVE: &[&str] = &[
        "html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml", "js", "mjs", "xml", "xsl", "xslt",
        "swf", "hta",
    ];
    if ACTIVE.contains(&extension.as_str()) {
        return true;
    }
    if extension != "svg" && extension != "svgz" {
        return false;
    }
    // Read as bytes: an SVG is small; a compressed one cannot be looked into.
    let Ok(bytes) = fs::read(path) else {
        return true;
    };
    let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    let handler = text
        .match_indices(" on")
        .chain(text.match_indices("\ton"))
        .chain(text.match_indices("\non"))
        .any(|(at, _)| {
            let rest = &text[at + 3..];
            let name_end = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            name_end > 0 && rest[name_end..].trim_start().starts_with('=')
        });
    extension == "svgz"
        || handler
        || [
            "<script",
            "javascript:",
            "<foreignobject",
            "xlink:href=\"data:",
            "href=\"data:",
        ]
        .iter()
        .any(|marker| text.contains(marker))
}

/// Editor backups, swap files and hidden files are never content.
pub fn is_ignored(name: &str) -> bool {
    // Vim writes and deletes a file named 4913 to test a folder before saving.
    name == "4913"
        || name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with('~')
        || name.ends_with('~')
        || [".swp", ".swx", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

fn bad_name(path: &Path, name: &str) -> Diagnostic {
    Located::new(
        Location::file_start(path),
        ContentErrorKind::BadName {
            name: name.to_owned(),
            suggestion: suggest_slug(name),
        },
    )
    .into()
}

fn classify(parts: &[&str], path: &Path) -> Result<Option<Classified>, Diagnostic> {
    let file = path.to_path_buf();
    let stem = |name: &str| name.strip_suffix(".md").map(str::to_owned);
    let checked = |name: String, named: &Path| {
        if is_valid_slug(&name) {
            Ok(name)
        } else {
            Err(bad_name(named, &name))
        }
    };
    // A Markdown file in the wrong place is content that would be lost: an
    // error. Any other file is only worth a warning.
    let not_published = |reason| {
        let diagnostic: Diagnostic = Located::new(
            Location::file_start(path),
            ContentErrorKind::NotPublished { reason },
        )
        .into();
        let is_markdown = path.extension().is_some_and(|e| e == "md");
        Err(if is_markdown {
            diagnostic
        } else {
            Diagnostic {
                severity: crate::diagnostic::Severity::Warning,
                ..diagnostic
            }
        })
    };
    match parts {
        [HOME_FILE] => Ok(Some(Classified::Markdown(Entry::Home(file)))),
        [NOTICES_DIR, name] if name.ends_with(".md") => Err(Located::new(
            Location::file_start(path),
            ContentErrorKind::MisplacedNotice,
        )
        .into()),
        // `notices/page/2/` is the second page of the list of all notices.
        [NOTICES_DIR, "page", NOTICE_FILE] => Err(Located::new(
            Location::file_start(path.parent().unwrap_or(path)),
            ContentErrorKind::ReservedName("page".into()),
        )
        .into()),
        [NOTICES_DIR, "page", ..] => Ok(None),
        [NOTICES_DIR, folder, NOTICE_FILE] => {
            let folder_path = path.parent().unwrap_or(path);
            let slug = checked(folder.to_string(), folder_path)?;
            Ok(Some(Classified::Markdown(Entry::Notice { slug, file })))
        }
        [NOTICES_DIR, folder, ISSUES_DIR, name] => match stem(name) {
            Some(issue_stem) => {
                let slug = checked(issue_stem, path)?;
                Ok(Some(Classified::Markdown(Entry::Issue {
                    notice: folder.to_string(),
                    slug,
                    file,
                })))
            }
            None => not_published("issues/ 文件夹里只能放问题的 .md 文件"),
        },
        [NOTICES_DIR, folder, rest @ ..] if !rest.is_empty() => {
            if rest.last().is_some_and(|name| name.ends_with(".md")) {
                return not_published(
                    "通报文件夹里的其他 .md 文件不会生成页面；问题请放在 issues/ 中",
                );
            }
            Ok(Some(Classified::Attachment {
                notice: folder.to_string(),
                relative: rest.iter().collect(),
            }))
        }
        [PAGES_DIR, name] => match stem(name) {
            Some(page_stem) => {
                let slug = checked(page_stem, path)?;
                Ok(Some(Classified::Markdown(Entry::Page { slug, file })))
            }
            None => not_published("pages/ 里只能放 .md 页面"),
        },
        _ => not_published("不在 notices/ 或 pages/ 中，也不是 _index.md"),
    }
}

/// The front matter and body of one file, whichever kind of file it is:
/// what the parse cache keeps of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[allow(
    clippy::large_enum_variant,
    reason = "most files are issues: theirs is the size to have"
)]
pub enum Parse {
    // Boxed: a notice's front matter is twice an issue's, and there are
    // thirty issues to a notice.
    Notice(Box<NoticeFront>, Body, Box<NoticeFrontAt>),
    Issue(IssueFront, Body, IssueFrontAt),
    Page(PageFront, Body, PageFrontAt),
}

impl Entry {
    fn file(&self) -> &Path {
        match self {
            Entry::Home(file)
            | Entry::Notice { file, .. }
            | Entry::Issue { file, .. }
            | Entry::Page { file, .. } => file,
        }
    }

    /// Whether `parse` is of this kind of file.
    fn reads_as(&self, parse: &Parse) -> bool {
        matches!(
            (self, parse),
            (Entry::Home(_) | Entry::Page { .. }, Parse::Page(..))
                | (Entry::Notice { .. }, Parse::Notice(..))
                | (Entry::Issue { .. }, Parse::Issue(..))
        )
    }

    /// Reads and parses the file.
    fn parse(&self, sources: &Sources) -> Result<Parse, Vec<Diagnostic>> {
        let file = self.file();
        let text = sources.read_text(file).map_err(|e| vec![e])?;
        Ok(match self {
            // The home page text may come without front matter.
            Entry::Home(_) if frontmatter::split(&text).is_err() => {
                let body = Body {
                    text,
                    start: 0,
                    first_line: 1,
                };
                Parse::Page(
                    PageFront {
                        title: String::new(),
                        order: None,
                    },
                    body,
                    PageFrontAt::default(),
                )
            }
            Entry::Home(_) => {
                let (front, body, at) = parse_file::<HomeFront>(file, &text)?;
                let front = PageFront {
                    title: front.title,
                    order: None,
                };
                let at = PageFrontAt {
                    title: at.title,
                    order: None,
                };
                Parse::Page(front, body, at)
            }
            Entry::Notice { .. } => {
                let (front, body, at) = parse_file(file, &text)?;
                Parse::Notice(Box::new(front), body, Box::new(at))
            }
            Entry::Issue { .. } => {
                let (front, body, at) = parse_file(file, &text)?;
                Parse::Issue(front, body, at)
            }
            Entry::Page { .. } => {
                let (front, body, at) = parse_file(file, &text)?;
                Parse::Page(front, body, at)
            }
        })
    }

    /// The notice, issue or page this file is, read as `parse`; `None` when
    /// `parse` is of another kind of file.
    fn with(self, parse: Parse) -> Option<Parsed> {
        Some(match (self, parse) {
            (Entry::Home(file), Parse::Page(front, body, at)) => Parsed::Home(PageSource {
                slug: String::new(),
                file,
                front,
                body,
                at,
            }),
            (Entry::Notice { slug, file }, Parse::Notice(front, body, at)) => {
                Parsed::Notice(Box::new(NoticeSource {
                    slug,
                    file,
                    front: *front,
                    body,
                    at: *at,
                    issues: Vec::new(),
                    attachments: Vec::new(),
                }))
            }
            (Entry::Issue { notice, slug, file }, Parse::Issue(front, body, at)) => {
                let issue = IssueSource {
                    number: leading_number(&slug),
                    slug,
                    file,
                    front,
                    body,
                    at,
                };
                Parsed::Issue(notice, Box::new(issue))
            }
            (Entry::Page { slug, file }, Parse::Page(front, body, at)) => {
                Parsed::Page(PageSource {
                    slug,
                    file,
                    front,
                    body,
                    at,
                })
            }
            _ => return None,
        })
    }
}

/// Splits one file and reads its front matter as an `R`; every error met
/// is returned.
fn parse_file<R: Record>(file: &Path, text: &str) -> Result<(R, Body, R::At), Vec<Diagnostic>> {
    let split = frontmatter::split(text).map_err(|error| {
        let kind = match error {
            frontmatter::SplitError::Missing => ContentErrorKind::NoFrontMatter,
            frontmatter::SplitError::Unclosed => ContentErrorKind::UnclosedFrontMatter,
        };
        vec![Located::new(Location::in_text(file, text, 1, 1), kind).into()]
    })?;
    let document = Document::parse(file, text, split.yaml, split.yaml_line)
        .map_err(|error| vec![Diagnostic::from(*error)])?;
    let mut errors: Vec<YamlError> = Vec::new();
    let mut fields = document.fields(R::FIELDS, &mut errors);
    let front = R::read(&mut fields);
    fields.finish();
    match front {
        Some(front) if errors.is_empty() => Ok((
            front,
            Body {
                start: text.len() - split.body.len(),
                text: text.to_owned(),
                first_line: split.body_line,
            },
            R::at(&Positions::of(&document)),
        )),
        _ => Err(errors.into_iter().map(Diagnostic::from).collect()),
    }
}

fn duplicate_numbers(issues: &[IssueSource]) -> Vec<Diagnostic> {
    let mut first_with: BTreeMap<u32, &Path> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for issue in issues {
        let Some(number) = issue.number else { continue };
        match first_with.get(&number) {
            Some(other) => diagnostics.push(
                Located::new(
                    Location::file_start(&issue.file),
                    ContentErrorKind::DuplicateNumber {
                        number,
                        other: other.to_path_buf(),
                    },
                )
                .into(),
            ),
            None => {
                first_with.insert(number, &issue.file);
            }
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issues_front_matter_reads_back_as_the_same_issue()
    -> Result<(), Box<dyn std::error::Error>> {
        let tricky = [
            "财务报销不规范",
            "关于“三重一大”: 决策程序",
            "- 以短横线开头",
            "# 井号",
            "true",
            "2025-06-30",
            "含'单引号'与\"双引号\"",
            "多行\n标题",
        ];
        for (n, text) in tricky.iter().enumerate() {
            let front = IssueFront {
                title: (*text).to_owned(),
                aspect: Some(format!("{text}方面")),
                item: (n % 2 == 0).then(|| (*text).to_owned()),
                status: Status::ALL[n % 3],
                long_term: n % 2 == 1,
                deadline: Date::parse("2025-12-31").ok().filter(|_| n % 3 != 0),
                department: Some((*text).to_owned()),
                lead: None,
                order: (n % 4 == 0).then_some(n as u32),
                updated: None,
                completed: None,
                progress: Vec::new(),
            };
            let file = format!("{}\n一是整改。\n", front.front_matter());
            let (read, _, _) = parse_file::<IssueFront>(Path::new("x.md"), &file)
                .map_err(|errors| format!("{text}: {errors:?}"))?;
            assert_eq!(read, front, "{text}");
        }
        Ok(())
    }

    #[test]
    fn a_notices_front_matter_reads_back_as_the_same_notice_with_its_positions()
    -> Result<(), Box<dyn std::error::Error>> {
        let date = |text: &str| Date::parse(text).ok();
        let front = NoticeFront {
            title: "中共某某医院委员会关于巡察整改进展情况的通报".to_owned(),
            organization: "中共某某医院委员会".to_owned(),
            published: Date::new(2025, 4, 1).ok_or("date")?,
            written: date("2025-03-28"),
            index_no: Some("000000/2025-00001".to_owned()),
            doc_no: Some("某委〔2025〕3号".to_owned()),
            category: None,
            validity: Some("有效".to_owned()),
            inspection: Inspection {
                body: Some("市委第一巡察组".to_owned()),
                start: date("2024-09-01"),
                end: None,
                feedback: date("2024-12-20"),
            },
            declared: Declared {
                aspects: Some(3),
                items: None,
                problems: Some(12),
            },
            supervision: Supervision {
                phone: Some("0000-1234567".to_owned()),
                ..Supervision::default()
            },
            draft: true,
            as_of: None,
        };
        let file = format!("{}\n正文。\n", front.front_matter());
        let (read, _, at) = parse_file::<NoticeFront>(Path::new("index.md"), &file)
            .map_err(|errors| format!("{errors:?}"))?;
        assert_eq!(read, front);
        // Each position is where its value is written in the file.
        let line_of = |key: &str| file.lines().position(|l| l.trim_start().starts_with(key));
        let line = |position: Option<crate::yaml::Position>| position.map(|p| p.line - 1);
        assert_eq!(line(at.declared.problems), line_of("problems:"));
        assert_eq!(line(at.inspection.feedback), line_of("feedback:"));
        assert_eq!(line(at.supervision.phone), line_of("phone:"));
        assert_eq!((at.declared.items, at.category), (None, None));
        Ok(())
    }

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Content, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(CONTENT_DIR).join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let (content, diagnostics) = load(&Sources::new(dir.path(), 200), false);
        (dir, content, diagnostics)
    }

    const NOTICE: &str = "---\ntitle: 通报\norganization: 某单位\npublished: 2025-01-01\n---\n";
    const ISSUE: &str = "---\ntitle: 问题\nstatus: completed\n---\n";

    #[test]
    fn files_are_sorted_into_notices_issues_attachments_and_pages() {
        let (_dir, content, diagnostics) = site(&[
            ("_index.md", "首页文字，没有 front matter"),
            ("notices/a/index.md", NOTICE),
            ("notices/a/issues/02-y.md", ISSUE),
            ("notices/a/issues/01-x.md", ISSUE),
            ("notices/a/files/fangan.pdf", "%PDF"),
            ("notices/a/issues/.01-x.md.swp", "swap"),
            ("notices/a/issues/01-x.md~", "backup"),
            ("pages/lianxi.md", "---\ntitle: 联系我们\n---\n"),
        ]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            content.home.map(|h| h.body.markdown().to_owned()),
            Some("首页文字，没有 front matter".into())
        );
        let notice = &content.notices[0];
        let mut issues: Vec<&str> = notice.issues.iter().map(|i| i.slug.as_str()).collect();
        issues.sort_unstable();
        assert_eq!(issues, ["01-x", "02-y"]);
        let paths: Vec<&Path> = notice
            .attachments
            .iter()
            .map(|a| a.path.as_path())
            .collect();
        assert_eq!(paths, [Path::new("files/fangan.pdf")]);
        assert_eq!(content.pages[0].slug, "lianxi");
    }

    #[test]
    fn misplaced_markdown_is_an_error_and_other_files_a_warning() {
        let (_dir, _, diagnostics) = site(&[
            ("notices/a/index.md", NOTICE),
            ("notices/a/extra.md", ISSUE),
            ("notices/b.md", NOTICE),
            ("readme.txt", "说明"),
        ]);
        let mut found: Vec<(bool, String)> = diagnostics
            .iter()
            .map(|d| {
                (
                    d.is_error(),
                    d.location
                        .as_ref()
                        .map(|l| l.file.display().to_string())
                        .unwrap_or_default(),
                )
            })
            .collect();
        found.sort();
        assert_eq!(found.len(), 3, "{diagnostics:?}");
        assert!(!found[0].0 && found[0].1.ends_with("readme.txt"));
        assert!(found[1].0 && found[2].0);
    }

    #[test]
    fn a_notice_cannot_take_the_name_of_list_pages() {
        let (_dir, content, diagnostics) = site(&[("notices/page/index.md", NOTICE)]);
        assert!(content.notices.is_empty());
        assert!(
            diagnostics.iter().any(|d| d.message.contains("保留给分页")),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn duplicate_issue_numbers_and_missing_index_are_errors() {
        let (_dir, _, diagnostics) = site(&[
            ("notices/a/index.md", NOTICE),
            ("notices/a/issues/01-x.md", ISSUE),
            ("notices/a/issues/1-y.md", ISSUE),
            ("notices/b/issues/01-z.md", ISSUE),
        ]);
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("问题编号 1 与")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("“b”里没有 index.md")),
            "{messages:?}"
        );
    }

    #[test]
    fn drafts_are_dropped_unless_included() {
        let draft = NOTICE.replace("---\n正文", "").replace(
            "published: 2025-01-01\n",
            "published: 2025-01-01\ndraft: true\n",
        );
        let (dir, content, _) = site(&[("notices/a/index.md", &draft)]);
        assert!(content.notices.is_empty());
        let (with_drafts, _) = load(&Sources::new(dir.path(), 200), true);
        assert_eq!(with_drafts.notices.len(), 1);
    }
}
