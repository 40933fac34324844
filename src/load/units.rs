//! An aggregate portal's units: other gongkai sites' open data (`data/`),
//! read from a folder or over HTTP, read as the data's format says, and
//! reduced at once to what the aggregate shows (figures, overdue issues,
//! departments), so that memory does not grow with the units' issues.
//!
//! Every source that reads is copied into `.gongkai-sources/` beside
//! site.yaml; a source that cannot be reached is read from that copy, with
//! a warning. Data that does not read is an error naming the source.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use rayon::prelude::*;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Hint, Located, Severity};
use crate::load::config::Config;
use crate::model::counts::{Counts, days_between, is_overdue, stale_days};
use crate::model::date::Date;
use crate::model::status::Status;

/// The folder beside site.yaml that keeps each source's last good copy.
pub const CACHE_DIR: &str = ".gongkai-sources";

/// The data format this program reads (`format` in the files).
const FORMAT_PREFIX: &str = "gongkai-data/";
const FORMAT_MAJOR: &str = "1";

/// One unit, reduced to what the aggregate shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Unit {
    /// Its position in `sources:`.
    pub order: usize,
    pub name: String,
    /// The address of its portal; empty unless absolute `http(s)` (see `link`).
    pub base_url: String,
    pub notices: usize,
    /// The title and address of each notice (empty as `base_url` may be),
    /// for its overdue issues' rows.
    pub notice_links: Vec<(String, String)>,
    /// Its issues by status and flag, as the aggregate judges them (its own
    /// `as_of` and `stale_after_days`, the same for every unit).
    pub counts: Counts,
    /// Its issues not completed whose deadline has passed, longest first.
    pub overdue: Vec<OverdueIssue>,
    /// Issues by the department responsible (each named one counted).
    pub departments: BTreeMap<String, Counts>,
    /// The date of its newest notice.
    pub latest: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct OverdueIssue {
    pub title: String,
    /// Empty unless absolute `http(s)` (see `link`).
    pub url: String,
    /// Its notice, in the unit's `notice_links`.
    pub notice: usize,
    pub department: Option<String>,
    pub deadline: Date,
    pub days: i64,
}

pub type UnitsError = Located<UnitsErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitsErrorKind {
    #[error("数据来源“{origin}”无法读取：{reason}；也没有以前读到的副本可用")]
    Unreachable { origin: String, reason: String },
    #[error("数据来源“{origin}”的数据格式不对：{file} 第 {line} 行第 {column} 列：{reason}")]
    Malformed {
        origin: String,
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("数据来源“{origin}”的数据格式是“{found}”，本程序只能读 {FORMAT_PREFIX}{FORMAT_MAJOR}")]
    UnknownFormat { origin: String, found: String },
    #[error(
        "数据来源“{origin}”的数字对不上：通报“{notice}”写明 {stated} 条问题，issues.json 中有 {found} 条"
    )]
    DoesNotAddUp {
        origin: String,
        notice: String,
        stated: usize,
        found: usize,
    },
    #[error(
        "数据来源“{origin}”的 issues.json 中有问题属于通报“{notice}”，而 notices.json 中没有这篇通报"
    )]
    UnknownNotice { origin: String, notice: String },
    #[error("数据来源“{origin}”暂时无法读取（{reason}），本次使用 {copied} 保存的副本")]
    FromCache {
        origin: String,
        reason: String,
        copied: String,
    },
}

impl Hint for UnitsErrorKind {
    fn code(&self) -> &'static str {
        match self {
            UnitsErrorKind::Unreachable { .. } => "GK1101",
            UnitsErrorKind::Malformed { .. } => "GK1102",
            UnitsErrorKind::UnknownFormat { .. } => "GK1103",
            UnitsErrorKind::DoesNotAddUp { .. } => "GK1104",
            UnitsErrorKind::FromCache { .. } => "GK1105",
            UnitsErrorKind::UnknownNotice { .. } => "GK1106",
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            UnitsErrorKind::Unreachable { .. } => "请检查 site.yaml 中的数据地址：应是该单位网站的 data/ 目录（如 https://xcgz.example.gov.cn/data/），或本机上一个已生成网站的 data/ 文件夹".into(),
            UnitsErrorKind::Malformed { .. }
            | UnitsErrorKind::DoesNotAddUp { .. }
            | UnitsErrorKind::UnknownNotice { .. } => {
                "这份数据不是 gongkai 生成的，或在传输中损坏：请该单位重新生成网站；数据的格式见其 data/schema.json".into()
            }
            UnitsErrorKind::UnknownFormat { .. } => {
                "该单位的 gongkai 比这里的新或旧：请把两边升级到同一版本".into()
            }
            UnitsErrorKind::FromCache { .. } => {
                "汇总中这个单位的数字停在那次读取时；来源恢复后，下次生成会自动更新".into()
            }
        })
    }
}

/// What `read` found: the units that read, and every warning and error.
pub struct Loaded {
    pub units: Vec<Unit>,
    pub problems: Vec<Diagnostic>,
}

/// How an aggregate judges every unit's issues.
#[derive(Debug, Clone, Copy)]
pub struct Judging {
    pub as_of: Date,
    pub stale_after_days: u32,
}

/// Reads every source of `config` (a site under `root`), in parallel.
pub fn read(config: &Config, root: &Path, judging: Judging) -> Loaded {
    let fetcher = Fetcher::new(config);
    let outcomes: Vec<Result<(Unit, Option<Diagnostic>), Diagnostic>> = config
        .sources
        .par_iter()
        .enumerate()
        .map(|(order, source)| {
            let at = config.location(config.at.sources.get(order).and_then(|at| at.data));
            let located = |kind: UnitsErrorKind| Diagnostic::from(Located::new(at.clone(), kind));
            let cache = root.join(CACHE_DIR).join(cache_name(&source.data));
            let (files, warning) = match fetcher.files(root, &source.data) {
                Ok(files) => (files, None),
                Err(reason) => match Files::read_cache(&cache) {
                    Some((files, copied)) => {
                        let kind = UnitsErrorKind::FromCache {
                            origin: source.data.clone(),
                            reason,
                            copied,
                        };
                        (files, Some(located(kind).with_severity(Severity::Warning)))
                    }
                    None => {
                        return Err(located(UnitsErrorKind::Unreachable {
                            origin: source.data.clone(),
                            reason,
                        }));
                    }
                },
            };
            let unit = reduce(order, source.name.as_deref(), &source.data, &files, judging)
                .map_err(located)?;
            if warning.is_none() {
                // The copy is an aid: a cache that cannot be written changes nothing.
                let _ = files.write_cache(&cache);
            }
            Ok((unit, warning))
        })
        .collect();
    let mut read = Loaded {
        units: Vec::new(),
        problems: Vec::new(),
    };
    for outcome in outcomes {
        match outcome {
            Ok((unit, warning)) => {
                read.units.push(unit);
                read.problems.extend(warning);
            }
            Err(error) => read.problems.push(error),
        }
    }
    read
}

/// The two data files of a source, as bytes.
struct Files {
    notices: Vec<u8>,
    issues: Vec<u8>,
}

impl Files {
    /// The last good copy in `folder`, and the date it was made.
    fn read_cache(folder: &Path) -> Option<(Files, String)> {
        let notices_file = folder.join("notices.json");
        let copied = std::fs::metadata(&notices_file).ok()?.modified().ok()?;
        let copied = chrono::DateTime::<chrono::Local>::from(copied)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let files = Files {
            notices: std::fs::read(notices_file).ok()?,
            issues: std::fs::read(folder.join("issues.json")).ok()?,
        };
        Some((files, copied))
    }

    /// Keeps the files as the last good copy, each replaced whole.
    fn write_cache(&self, folder: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(folder)?;
        for (name, bytes) in [
            ("issues.json", &self.issues),
            ("notices.json", &self.notices),
        ] {
            let path = folder.join(name);
            // The copy's hash beside it tells an unchanged copy without
            // reading it back (a unit's data can be hundreds of MB).
            let digest_path = folder.join(format!(".{name}.xxh3"));
            let digest = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
            if path.is_file()
                && std::fs::read_to_string(&digest_path).is_ok_and(|old| old == digest)
            {
                // Unchanged: keep its date, which says when it was first read.
                continue;
            }
            let part = folder.join(format!(".{name}.part"));
            std::fs::write(&part, bytes)?;
            std::fs::rename(&part, &path)?;
            std::fs::write(&digest_path, digest)?;
        }
        Ok(())
    }
}

/// The cache folder of a source: its address, made a file name.
fn cache_name(data: &str) -> String {
    let readable: String = data
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(60)
        .collect();
    let hash = xxhash_rust::xxh3::xxh3_64(data.as_bytes());
    format!("{readable}-{hash:016x}")
}

/// Reads sources: folders from disk, addresses over HTTP with a timeout,
/// retries and a size limit.
struct Fetcher {
    agent: ureq::Agent,
    retries: u32,
    limit: u64,
}

impl Fetcher {
    fn new(config: &Config) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(config.source_timeout.max(1))))
            .http_status_as_error(true)
            .build()
            .new_agent();
        Fetcher {
            agent,
            retries: config.source_retries,
            limit: config.source_max_mb.saturating_mul(1024 * 1024),
        }
    }

    fn files(&self, root: &Path, data: &str) -> Result<Files, String> {
        let base = if data.ends_with('/') {
            data.to_owned()
        } else {
            format!("{data}/")
        };
        Ok(Files {
            notices: self.file(root, &format!("{base}notices.json"))?,
            issues: self.file(root, &format!("{base}issues.json"))?,
        })
    }

    fn file(&self, root: &Path, address: &str) -> Result<Vec<u8>, String> {
        if address.starts_with("https://") || address.starts_with("http://") {
            self.download(address)
        } else {
            self.read_local(&root.join(address), address)
        }
    }

    /// The file at `path`, written `address` in site.yaml (and so in messages).
    fn read_local(&self, path: &Path, address: &str) -> Result<Vec<u8>, String> {
        let io =
            |error: std::io::Error| format!("{address}：{}", crate::diagnostic::io_message(&error));
        let file = std::fs::File::open(path).map_err(io)?;
        let mut bytes = Vec::new();
        file.take(self.limit + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > self.limit {
            return Err(format!("{address} 超过大小上限"));
        }
        Ok(bytes)
    }

    fn download(&self, address: &str) -> Result<Vec<u8>, String> {
        let mut last = String::new();
        for attempt in 0..=self.retries {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(300 * u64::from(attempt)));
            }
            match self.agent.get(address).call() {
                Ok(mut response) => {
                    return response
                        .body_mut()
                        .with_config()
                        .limit(self.limit)
                        .read_to_vec()
                        .map_err(|error| format!("{address}：{}", http_message(&error)));
                }
                Err(error) => {
                    last = format!("{address}：{}", http_message(&error));
                    // A page that is not there will not be there a moment later.
                    if matches!(error, ureq::Error::StatusCode(404 | 403 | 410)) {
                        break;
                    }
                }
            }
        }
        Err(last)
    }
}

/// An HTTP failure in Chinese.
fn http_message(error: &ureq::Error) -> String {
    match error {
        ureq::Error::StatusCode(404) => "找不到（HTTP 404）".to_owned(),
        ureq::Error::StatusCode(code) => format!("服务器返回 HTTP {code}"),
        ureq::Error::Timeout(_) => "超时".to_owned(),
        ureq::Error::BodyExceedsLimit(_) => "超过大小上限".to_owned(),
        ureq::Error::HostNotFound => "找不到这个网址的服务器".to_owned(),
        ureq::Error::ConnectionFailed => "连接失败".to_owned(),
        ureq::Error::Io(error) => crate::diagnostic::io_message(error),
        other => other.to_string(),
    }
}

#[derive(Deserialize)]
struct NoticesIn<'a> {
    #[serde(borrow)]
    format: Cow<'a, str>,
    #[serde(borrow)]
    site: SiteIn<'a>,
    #[serde(borrow)]
    notices: Vec<NoticeIn<'a>>,
}

#[derive(Deserialize)]
struct SiteIn<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    owner: Option<Cow<'a, str>>,
    #[serde(borrow)]
    base_url: Cow<'a, str>,
}

#[derive(Deserialize)]
struct NoticeIn<'a> {
    #[serde(borrow)]
    slug: Cow<'a, str>,
    #[serde(borrow)]
    url: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    published: Date,
    figures: FiguresIn,
}

#[derive(Deserialize)]
struct FiguresIn {
    total: usize,
}

#[derive(Deserialize)]
struct IssuesIn<'a> {
    #[serde(borrow)]
    format: Cow<'a, str>,
    #[serde(borrow)]
    issues: Vec<IssueIn<'a>>,
}

#[derive(Deserialize)]
struct IssueIn<'a> {
    #[serde(borrow)]
    notice: Cow<'a, str>,
    #[serde(borrow)]
    url: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    status: Status,
    long_term: bool,
    deadline: Option<Date>,
    #[serde(borrow)]
    department: Option<Cow<'a, str>>,
    status_as_of: Date,
}

/// A unit's data files, read and reduced to what the aggregate shows.
fn reduce(
    order: usize,
    name: Option<&str>,
    source: &str,
    files: &Files,
    judging: Judging,
) -> Result<Unit, UnitsErrorKind> {
    let parse_error = |file: &str, error: serde_json::Error| UnitsErrorKind::Malformed {
        origin: source.to_owned(),
        file: file.to_owned(),
        line: error.line(),
        column: error.column(),
        reason: json_reason(&error),
    };
    let notices: NoticesIn = serde_json::from_slice(&files.notices)
        .map_err(|error| parse_error("notices.json", error))?;
    let issues: IssuesIn =
        serde_json::from_slice(&files.issues).map_err(|error| parse_error("issues.json", error))?;
    for format in [&notices.format, &issues.format] {
        if format.strip_prefix(FORMAT_PREFIX) != Some(FORMAT_MAJOR) {
            return Err(UnitsErrorKind::UnknownFormat {
                origin: source.to_owned(),
                found: format.to_string(),
            });
        }
    }
    let position: std::collections::HashMap<&str, usize> = notices
        .notices
        .iter()
        .enumerate()
        .map(|(index, notice)| (notice.slug.as_ref(), index))
        .collect();
    let mut per_notice = vec![0_usize; notices.notices.len()];
    let mut counts = Counts::default();
    let mut overdue = Vec::new();
    let mut departments: BTreeMap<String, Counts> = BTreeMap::new();
    for issue in &issues.issues {
        let Some(&index) = position.get(issue.notice.as_ref()) else {
            return Err(UnitsErrorKind::UnknownNotice {
                origin: source.to_owned(),
                notice: issue.notice.to_string(),
            });
        };
        per_notice[index] += 1;
        let late = issue
            .deadline
            .filter(|_| is_overdue(issue.status, issue.deadline, judging.as_of));
        let stale = stale_days(
            issue.status,
            issue.status_as_of,
            judging.as_of,
            judging.stale_after_days,
        );
        let one = Counts::one(
            issue.status,
            issue.long_term,
            late.is_some(),
            stale.is_some(),
        );
        counts.add(&one);
        for department in issue
            .department
            .as_deref()
            .into_iter()
            .flat_map(|text| text.split(['、', '，', ',', '/', '；', ';']))
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            departments
                .entry(department.to_owned())
                .or_default()
                .add(&one);
        }
        if let Some(deadline) = late {
            overdue.push(OverdueIssue {
                title: issue.title.to_string(),
                url: link(&issue.url),
                notice: index,
                department: issue.department.as_deref().map(str::to_owned),
                deadline,
                days: days_between(deadline, judging.as_of),
            });
        }
    }
    for (notice, found) in notices.notices.iter().zip(per_notice) {
        if notice.figures.total != found {
            return Err(UnitsErrorKind::DoesNotAddUp {
                origin: source.to_owned(),
                notice: notice.title.to_string(),
                stated: notice.figures.total,
                found,
            });
        }
    }
    overdue.sort_by(|a, b| b.days.cmp(&a.days).then_with(|| a.url.cmp(&b.url)));
    let site = &notices.site;
    Ok(Unit {
        order,
        name: name
            .map(str::to_owned)
            .or_else(|| site.owner.as_deref().map(str::to_owned))
            .unwrap_or_else(|| site.title.to_string()),
        base_url: link(&site.base_url),
        notices: notices.notices.len(),
        notice_links: notices
            .notices
            .iter()
            .map(|notice| (notice.title.to_string(), link(&notice.url)))
            .collect(),
        counts,
        overdue,
        departments,
        latest: notices.notices.iter().map(|notice| notice.published).max(),
    })
}

/// An address from a unit's data as a link of the aggregate's pages: only
/// an absolute `http(s)` address. Another unit's data is not trusted: a
/// `javascript:` address would run on the aggregate portal when clicked,
/// and a relative one would point into the aggregate itself; both are
/// shown without a link.
fn link(address: &str) -> String {
    let lower = address.trim_start().to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !address.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        address.to_owned()
    } else {
        String::new()
    }
}

/// What serde_json says is wrong, in Chinese where it is one of the usual.
fn json_reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = text.split(" at line ").next().unwrap_or_default();
    match error.classify() {
        serde_json::error::Category::Eof => "文件不完整（在中途结束）".to_owned(),
        serde_json::error::Category::Syntax => format!("不是有效的 JSON（{text}）"),
        _ => format!("内容与格式说明不符（{text}）"),
    }
}
