//! The loaded site: notices newest first, issues in order and grouped
//! (aspect → item → problem), counts, overdue, paths and neighbours.
//!
//! Paths are relative to the site root and end in `/` (`notices/a/`); the
//! renderer turns them into links relative to each page.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::load::config::Config;
use crate::load::content::{
    Content, IssueFront, IssueSource, NoticeFront, NoticeSource, PageSource,
};
use crate::load::history::History;
use crate::markdown::{self, Settings};
pub use crate::model::counts::Counts;
use crate::model::counts::{days_between, is_overdue, stale_days};
use crate::model::date::Date;
use crate::model::source_file::SourceFile;
use crate::model::status::Status;
use crate::model::supervision::Supervision;
use completion::Completion;

pub mod aggregate;
pub mod changes;
pub mod completion;
pub mod fingerprints;
pub mod pages;

/// An issue's counts under its status and flags.
fn counts_of(issue: &Issue) -> Counts {
    Counts::one(
        issue.front.status,
        issue.front.long_term,
        issue.overdue,
        issue.stale_days.is_some(),
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Issue {
    pub slug: String,
    pub path: String,
    #[serde(flatten)]
    pub front: IssueFront,
    pub status_label: &'static str,
    /// 1-based, continuous across the notice, as in the published text.
    pub number: usize,
    /// 1-based positions of its aspect and item groups, when it has them.
    pub aspect_number: Option<usize>,
    pub item_number: Option<usize>,
    pub overdue: bool,
    /// Days since the deadline, when overdue.
    pub overdue_days: Option<i64>,
    /// Days from `status_as_of` to the site's `as_of`, when the issue is
    /// not completed and that is `stale_after_days` or more (N天未更新).
    pub stale_days: Option<i64>,
    /// The date the status shown stands at (截至): the latest of
    /// `updated`, the last progress step and `completed`; without them the
    /// notice's `as_of`, or its publication.
    pub status_as_of: Date,
    /// `progress`, oldest first, the notes rendered.
    pub steps: Vec<Step>,
    /// The latest date the page shows: its status's, or its notice's
    /// publication when that is later.
    pub last_changed: Date,
    pub body: String,
    /// The body as plain text, for the search index.
    #[serde(skip)]
    pub text: String,
    #[serde(skip)]
    pub source: SourceFile,
}

/// One dated step of an issue's progress, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Step {
    pub date: Date,
    pub status: Option<Status>,
    pub status_label: Option<&'static str>,
    /// The note as HTML.
    pub note: Option<String>,
    /// The note as plain text, for feeds.
    #[serde(skip)]
    pub note_text: Option<String>,
}

/// A level-2 group (大项) and the issues in it, by index into `Notice::issues`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Item {
    pub title: Option<String>,
    pub number: usize,
    pub issues: Vec<usize>,
}

/// A level-1 group (方面).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Aspect {
    pub title: Option<String>,
    pub number: usize,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Notice {
    pub slug: String,
    pub path: String,
    #[serde(flatten)]
    pub front: NoticeFront,
    /// The site's supervision contact with the notice's own fields over it.
    pub contact: Supervision,
    /// The listing of its issuing body.
    pub organization_path: String,
    pub body_before: String,
    pub body_after: Option<String>,
    /// The body as plain text, for the search index.
    #[serde(skip)]
    pub text: String,
    /// Not serialized with the notice: the renderer adds the issues as
    /// template values it has already made for the issue pages.
    #[serde(skip)]
    pub issues: Vec<Issue>,
    pub aspects: Vec<Aspect>,
    pub has_aspects: bool,
    pub has_items: bool,
    pub counts: Counts,
    /// Completed issues by month, for the chart.
    pub completion: Completion,
    /// The date the notice's figures stand at: its `as_of`, or the latest
    /// date any of its issues' statuses stands at if later.
    pub figures_as_of: Date,
    /// The latest date the page shows: its publication, or the latest of
    /// its issues' statuses.
    pub last_changed: Date,
    #[serde(skip)]
    pub source: SourceFile,
    /// The files published beside it, listed on its page.
    pub attachments: Vec<Attachment>,
}

/// A file published beside a notice's page, as its page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Attachment {
    /// Its file name.
    pub name: String,
    /// Its path from the site's root (`notices/a/files/fangan.pdf`).
    pub path: String,
    /// What kind of document it is, by its extension (PDF, Word, Excel…).
    pub format: String,
    /// Its size for a reader (`235 KB`).
    pub size: String,
    /// Relative to the notice's folder.
    #[serde(skip)]
    pub relative: PathBuf,
}

impl Attachment {
    fn of(notice_path: &str, source: crate::load::content::Attachment) -> Attachment {
        let relative = source.path;
        let name = relative
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let extension = relative
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let format = match extension.as_str() {
            "pdf" => "PDF".to_owned(),
            "doc" | "docx" | "wps" => "Word 文档".to_owned(),
            "xls" | "xlsx" | "et" => "Excel 表格".to_owned(),
            "ppt" | "pptx" | "dps" => "演示文稿".to_owned(),
            "ofd" => "OFD 版式文件".to_owned(),
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "bmp" | "tif" | "tiff" => "图片".to_owned(),
            "zip" | "rar" | "7z" => "压缩包".to_owned(),
            "txt" => "文本".to_owned(),
            "" => "文件".to_owned(),
            other => other.to_ascii_uppercase(),
        };
        let path = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Attachment {
            name,
            path: format!("{notice_path}{path}"),
            format,
            size: readable_size(source.size),
            relative,
        }
    }
}

/// `bytes` as a reader reads a file's size: `820 字节`, `235 KB`, `1.2 MB`.
fn readable_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let size = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} 字节")
    } else if size < KB * KB {
        format!("{:.0} KB", (size / KB).max(1.0))
    } else if size < KB * KB * KB {
        format!("{:.1} MB", size / KB / KB)
    } else {
        format!("{:.1} GB", size / KB / KB / KB)
    }
}

impl Issue {
    /// The issue as the listings show it: without its body.
    pub fn listed(&self) -> Issue {
        Issue {
            body: String::new(),
            text: String::new(),
            ..self.clone()
        }
    }
}

/// What pages that only refer to a notice show of it (its head: see
/// `render`'s `NoticeHead`), to tell whether they change with it.
pub type NoticeHeadFields<'a> = (
    &'a NoticeFront,
    &'a Supervision,
    Counts,
    &'a str,
    &'a str,
    bool,
    bool,
);

impl Notice {
    /// What pages that only refer to the notice show of it: an issue page
    /// shows its front matter, contact and counts, and numbers the issue by
    /// whether the notice has aspects and items.
    pub fn head(&self) -> NoticeHeadFields<'_> {
        (
            &self.front,
            &self.contact,
            self.counts,
            &self.path,
            &self.organization_path,
            self.has_aspects,
            self.has_items,
        )
    }

    /// Each attachment's path in the output and the file it is copied from.
    pub fn attachment_files(&self) -> impl Iterator<Item = (PathBuf, PathBuf)> + '_ {
        let folder = self.source.parent().unwrap_or(Path::new("."));
        self.attachments.iter().map(move |attachment| {
            (
                Path::new(&self.path).join(&attachment.relative),
                folder.join(&attachment.relative),
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Page {
    pub slug: String,
    pub path: String,
    pub title: String,
    pub order: Option<u32>,
    pub body: String,
    #[serde(skip)]
    pub source: SourceFile,
}

/// Notices grouped by issuing body or by year, with their counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Group {
    pub name: String,
    pub path: String,
    /// Positions in `Site::notices`, newest first.
    pub notices: Vec<usize>,
    pub counts: Counts,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub as_of: Date,
    pub home: Option<Page>,
    /// Newest first.
    pub notices: Vec<Notice>,
    pub pages: Vec<Page>,
    pub totals: Counts,
    /// What git says of the issue files' dates (empty unless
    /// `dates_from_git`), filling in what their front matter leaves out.
    pub history: History,
    /// Completed issues by month across the portal, for the home page's chart.
    pub completion: Completion,
    /// By issuing body (发布机构), ordered by URL name.
    pub organizations: Vec<Group>,
    /// By year of publication, newest first.
    pub years: Vec<Group>,
    /// For an aggregate portal (site.yaml lists `sources:`): its units.
    pub aggregate: Option<aggregate::Aggregate>,
}

/// How many `../` lead from a page at `path` back to the root.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

impl Site {
    /// Orders, groups, counts and renders the Markdown of loaded content.
    /// `as_of` is the date overdue is judged against.
    pub fn assemble(config: Config, content: Content, as_of: Date, history: History) -> Site {
        let mut site = Site {
            config,
            as_of,
            home: None,
            notices: Vec::new(),
            pages: Vec::new(),
            totals: Counts::default(),
            history,
            completion: Completion::merged([], as_of),
            organizations: Vec::new(),
            aggregate: None,
            years: Vec::new(),
        };
        let (config, history) = (&site.config, &site.history);
        site.notices = content
            .notices
            .into_par_iter()
            .map(|notice| assemble_notice(notice, config, as_of, history))
            .collect();
        site.order_and_count();
        site.replace_pages(content.pages);
        site.replace_home(content.home);
        site
    }

    /// Puts `source` in place of the notice `slug` (adding it if new, removing
    /// it if `None`); returns the notice that was there.
    pub fn replace_notice(&mut self, slug: &str, source: Option<NoticeSource>) -> Option<Notice> {
        let old = self.position(slug).map(|index| self.notices.remove(index));
        if let Some(source) = source {
            let notice = assemble_notice(source, &self.config, self.as_of, &self.history);
            self.notices.push(notice);
        }
        self.order_and_count();
        old
    }

    pub fn replace_pages(&mut self, pages: Vec<PageSource>) {
        let sanitize = self.config.sanitize_html;
        self.pages = pages
            .into_iter()
            .map(|page| {
                let path = format!("{}/", page.slug);
                assemble_page(page, path, sanitize)
            })
            .collect();
        self.pages.sort_by(|a, b| {
            a.order
                .unwrap_or(u32::MAX)
                .cmp(&b.order.unwrap_or(u32::MAX))
                .then_with(|| a.slug.cmp(&b.slug))
        });
    }

    pub fn replace_home(&mut self, home: Option<PageSource>) {
        let sanitize = self.config.sanitize_html;
        self.home = home.map(|page| assemble_page(page, String::new(), sanitize));
    }

    /// Where the notice `slug` is in the newest-first order.
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.notices.iter().position(|notice| notice.slug == slug)
    }

    fn order_and_count(&mut self) {
        self.notices.sort_by(|a, b| {
            b.front
                .published
                .cmp(&a.front.published)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        self.totals = Counts::default();
        for notice in &self.notices {
            self.totals.add(&notice.counts);
        }
        self.completion = Completion::merged(
            self.notices.iter().map(|notice| &notice.completion),
            self.as_of,
        );
        self.group();
    }

    fn group(&mut self) {
        let mut organizations: Vec<Group> = Vec::new();
        let mut years: Vec<Group> = Vec::new();
        // Two bodies with the same initials get `-2`, `-3` …, in order of first notice.
        let mut slug_uses: std::collections::HashMap<String, usize> = Default::default();
        for (position, notice) in self.notices.iter_mut().enumerate() {
            let name = &notice.front.organization;
            let organization = match organizations.iter().position(|g| &g.name == name) {
                Some(index) => index,
                None => {
                    let base = crate::load::content::initials(name);
                    let uses = slug_uses.entry(base.clone()).or_insert(0);
                    *uses += 1;
                    let slug = if *uses == 1 {
                        base
                    } else {
                        format!("{base}-{uses}")
                    };
                    organizations.push(Group {
                        name: name.clone(),
                        path: format!("organizations/{slug}/"),
                        notices: Vec::new(),
                        counts: Counts::default(),
                    });
                    organizations.len() - 1
                }
            };
            let year = notice.front.published.year().to_string();
            let year_index = match years.iter().position(|g| g.name == year) {
                Some(index) => index,
                None => {
                    years.push(Group {
                        path: format!("years/{year}/"),
                        name: year,
                        notices: Vec::new(),
                        counts: Counts::default(),
                    });
                    years.len() - 1
                }
            };
            for group in [&mut organizations[organization], &mut years[year_index]] {
                group.notices.push(position);
                group.counts.add(&notice.counts);
            }
            notice.organization_path = organizations[organization].path.clone();
        }
        organizations.sort_by(|a, b| a.path.cmp(&b.path));
        self.organizations = organizations;
        self.years = years;
    }

    /// Every issue of the site with its notice, in notice order.
    pub fn issues(&self) -> impl Iterator<Item = (&Notice, &Issue)> {
        self.notices
            .iter()
            .flat_map(|notice| notice.issues.iter().map(move |issue| (notice, issue)))
    }
}

fn assemble_page(page: PageSource, path: String, sanitize: bool) -> Page {
    let body = markdown::to_html(
        page.body.markdown(),
        Settings {
            sanitize,
            root: &root_of(&path),
        },
    );
    Page {
        slug: page.slug,
        path,
        title: page.front.title,
        order: page.front.order,
        body,
        source: SourceFile(page.file),
    }
}

fn assemble_notice(
    notice: NoticeSource,
    config: &Config,
    as_of: Date,
    history: &History,
) -> Notice {
    let sanitize = config.sanitize_html;
    let path = format!("notices/{}/", notice.slug);
    let root = root_of(&path);
    let settings = Settings {
        sanitize,
        root: &root,
    };
    let (before, after) = markdown::split_at_issues_marker(notice.body.markdown());
    let before = markdown::render(before, settings);
    let after = after.map(|after| markdown::render(after, settings));
    let text = match &after {
        Some(after) => format!("{} {}", before.text, after.text),
        None => before.text.clone(),
    };
    let body_before = before.html;
    let body_after = after.map(|after| after.html);

    let mut sources = notice.issues;
    sources.sort_by(|a, b| {
        let key = |issue: &IssueSource| issue.number.or(issue.front.order).unwrap_or(u32::MAX);
        key(a).cmp(&key(b)).then_with(|| a.slug.cmp(&b.slug))
    });
    let dates = Dates {
        as_of,
        published: notice.front.published,
        notice_stands_at: notice.front.as_of.unwrap_or(notice.front.published),
        stale_after_days: config.stale_after_days,
    };
    let mut issues: Vec<Issue> = sources
        .into_iter()
        .enumerate()
        .map(|(index, mut source)| {
            if let Some(committed) = history.of(&source.file) {
                committed.fill(&mut source.front);
            }
            assemble_issue(source, &path, index + 1, &dates, sanitize)
        })
        .collect();
    let aspects = group(&mut issues);
    let mut counts = Counts::default();
    for issue in &issues {
        counts.add(&counts_of(issue));
    }
    let last_changed = issues
        .iter()
        .map(|issue| issue.last_changed)
        .fold(notice.front.published, Date::max);
    // The notice's own `as_of` is the date it states its figures at; an
    // issue dated later moves them on.
    let figures_as_of = issues
        .iter()
        .map(|issue| issue.status_as_of)
        .chain(notice.front.as_of)
        .max()
        .unwrap_or(dates.notice_stands_at);
    let completion = Completion::of_issues(
        issues.iter().map(|issue| &issue.front),
        notice
            .front
            .inspection
            .feedback
            .unwrap_or(notice.front.published),
        figures_as_of,
    );
    let attachments = notice
        .attachments
        .into_iter()
        .map(|attachment| Attachment::of(&path, attachment))
        .collect();
    Notice {
        contact: config.supervision.overridden_by(&notice.front.supervision),
        organization_path: String::new(),
        has_aspects: issues.iter().any(|issue| issue.front.aspect.is_some()),
        has_items: issues.iter().any(|issue| issue.front.item.is_some()),
        slug: notice.slug,
        path,
        front: notice.front,
        body_before,
        body_after,
        text,
        issues,
        aspects,
        counts,
        completion,
        figures_as_of,
        last_changed,
        source: SourceFile(notice.file),
        attachments,
    }
}

/// What an issue's dates are judged against.
struct Dates {
    /// The site's `as_of`, for overdue and not updated.
    as_of: Date,
    published: Date,
    /// The date the notice's figures stand at, for an issue that gives no
    /// date of its own.
    notice_stands_at: Date,
    stale_after_days: u32,
}

fn assemble_issue(
    mut source: IssueSource,
    notice_path: &str,
    number: usize,
    dates: &Dates,
    sanitize: bool,
) -> Issue {
    let Dates {
        as_of,
        published,
        notice_stands_at,
        stale_after_days,
    } = *dates;
    let path = format!("{notice_path}issues/{}/", source.slug);
    let root = root_of(&path);
    let settings = Settings {
        sanitize,
        root: &root,
    };
    let body = markdown::render(source.body.markdown(), settings);
    source.front.completed = source.front.completion_date();
    let overdue = is_overdue(source.front.status, source.front.deadline, as_of);
    let front = &source.front;
    let status_as_of = [
        front.updated,
        front.completed,
        front.progress.iter().map(|step| step.date).max(),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(notice_stands_at);
    let overdue_days = front
        .deadline
        .filter(|_| overdue)
        .map(|deadline| days_between(deadline, as_of));
    let stale_days = stale_days(front.status, status_as_of, as_of, stale_after_days);
    let steps = front
        .progress
        .iter()
        .map(|step| {
            let note = step
                .note
                .as_deref()
                .map(|note| markdown::render(note, settings));
            Step {
                date: step.date,
                status: step.status,
                status_label: step.status.map(Status::label),
                note_text: note.as_ref().map(|note| note.text.clone()),
                note: note.map(|note| note.html),
            }
        })
        .collect();
    Issue {
        status_label: source.front.status.label(),
        slug: source.slug,
        path,
        front: source.front,
        number,
        aspect_number: None,
        item_number: None,
        overdue,
        overdue_days,
        stale_days,
        status_as_of,
        steps,
        last_changed: status_as_of.max(published),
        body: body.html,
        text: body.text,
        source: SourceFile(source.file),
    }
}

/// Groups issues by aspect then item, in the order each group first appears;
/// aspects are numbered across the notice, items within their aspect.
fn group(issues: &mut [Issue]) -> Vec<Aspect> {
    let mut aspects: Vec<Aspect> = Vec::new();
    for (index, issue) in issues.iter_mut().enumerate() {
        let aspect_position = match aspects
            .iter()
            .position(|aspect| aspect.title == issue.front.aspect)
        {
            Some(position) => position,
            None => {
                aspects.push(Aspect {
                    title: issue.front.aspect.clone(),
                    number: aspects.len() + 1,
                    items: Vec::new(),
                });
                aspects.len() - 1
            }
        };
        let aspect = &mut aspects[aspect_position];
        let item_position = match aspect
            .items
            .iter()
            .position(|item| item.title == issue.front.item)
        {
            Some(position) => position,
            None => {
                aspect.items.push(Item {
                    title: issue.front.item.clone(),
                    number: aspect.items.len() + 1,
                    issues: Vec::new(),
                });
                aspect.items.len() - 1
            }
        };
        let item = &mut aspect.items[item_position];
        item.issues.push(index);
        issue.aspect_number = issue.front.aspect.is_some().then_some(aspect.number);
        issue.item_number = issue.front.item.is_some().then_some(item.number);
    }
    aspects
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::content::{Body, Declared, Inspection};
    use PathBuf;

    pub(crate) fn issue(
        slug: &str,
        aspect: Option<&str>,
        item: Option<&str>,
        status: Status,
        deadline: Option<Date>,
    ) -> IssueSource {
        IssueSource {
            slug: slug.into(),
            file: PathBuf::from(format!("{slug}.md")),
            number: crate::load::content::leading_number(slug),
            front: IssueFront {
                title: format!("问题{slug}"),
                aspect: aspect.map(Into::into),
                item: item.map(Into::into),
                status,
                long_term: slug.ends_with('l'),
                deadline,
                department: None,
                lead: None,
                order: None,
                updated: None,
                completed: None,
                progress: Vec::new(),
            },
            body: Body {
                text: "一是……".into(),
                start: 0,
                first_line: 1,
            },
            at: Default::default(),
        }
    }

    pub(super) fn notice(issues: Vec<IssueSource>) -> NoticeSource {
        NoticeSource {
            slug: "a".into(),
            file: PathBuf::from("index.md"),
            front: NoticeFront {
                title: "通报".into(),
                organization: "中共某某医院委员会".into(),
                published: Date::new(2025, 3, 17).expect("date"),
                written: None,
                index_no: None,
                doc_no: None,
                category: None,
                validity: None,
                inspection: Inspection::default(),
                declared: Declared::default(),
                supervision: Supervision::default(),
                draft: false,
                as_of: None,
            },
            body: Body {
                text: "前\n<!-- issues -->\n后\n".into(),
                start: 0,
                first_line: 1,
            },
            at: Default::default(),
            issues,
            attachments: Vec::new(),
        }
    }

    #[test]
    fn issues_are_ordered_grouped_and_numbered_like_the_published_text() {
        let as_of = Date::new(2025, 10, 1).expect("date");
        let past = Date::new(2025, 6, 30);
        let issues = vec![
            issue("10-c", Some("二"), Some("甲"), Status::InProgress, past),
            issue("2-b", Some("一"), Some("乙"), Status::Completed, past),
            issue("1-al", Some("一"), Some("甲"), Status::Partial, None),
            issue("11-d", Some("二"), Some("乙"), Status::Partial, past),
        ];
        let notice = assemble_notice(notice(issues), &config(), as_of, &History::default());
        let slugs: Vec<&str> = notice.issues.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(slugs, ["1-al", "2-b", "10-c", "11-d"]);
        assert_eq!(notice.aspects.len(), 2);
        assert_eq!(
            notice.aspects[1].items[1].number, 2,
            "items restart in each aspect"
        );
        assert_eq!(
            notice.issues[3].number, 4,
            "problems continue across aspects"
        );
        assert_eq!(notice.issues[3].item_number, Some(2));
        assert_eq!(
            notice.counts,
            Counts {
                total: 4,
                completed: 1,
                partial: 2,
                in_progress: 1,
                long_term: 1,
                overdue: 2,
                stale: 3,
            }
        );
        assert!(notice.body_after.is_some());
    }

    #[test]
    fn a_deadline_on_the_as_of_day_is_not_overdue() {
        let as_of = Date::new(2025, 6, 30).expect("date");
        let notice = assemble_notice(
            notice(vec![issue(
                "1-a",
                None,
                None,
                Status::InProgress,
                Some(as_of),
            )]),
            &config(),
            as_of,
            &History::default(),
        );
        assert!(!notice.issues[0].overdue);
        assert!(!notice.has_aspects);
    }

    fn config() -> Config {
        Config::parse(std::path::Path::new("site.yaml"), "title: 测试\n").expect("site.yaml")
    }

    #[test]
    fn root_of_counts_levels() {
        assert_eq!(root_of(""), "");
        assert_eq!(root_of("notices/a/"), "../../");
        assert_eq!(root_of("notices/a/issues/b/"), "../../../../");
    }
}
