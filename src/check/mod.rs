//! Lints: what a reviewer would catch before a notice goes public.
//!
//! They run on the loaded content (so every finding has its file, line and
//! column) before the site is assembled; links are collected then and
//! checked against the output once it is known. Errors stop a build;
//! warnings are printed by `build` and `check`; notes only by `check`.

mod personal;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Hint, Located, Location, Locator, Severity};
use crate::load::config::Config;
use crate::load::content::{Body, Content, IssueSource, NoticeSource};
use crate::load::history::History;
use crate::markdown::safety::{self, Review, Unsafe};
use crate::model::date::Date;
use crate::model::status::Status;
use crate::model::supervision::{Supervision, SupervisionAt};
use crate::yaml::Position;

pub use personal::{Finding, Kind as PersonalKind, find as find_personal_data};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LintKind {
    #[error("通报写明{what}{declared}个，问题文件实际有{actual}个")]
    DeclaredCount {
        what: &'static str,
        declared: u32,
        actual: usize,
    },
    #[error("正文说{what}{stated}项，问题文件中是{actual}项")]
    StatedCount {
        what: &'static str,
        stated: usize,
        actual: usize,
    },
    #[error("尚未完成的问题没有写完成时限")]
    NoDeadline,
    #[error("已逾期：完成时限{deadline}早于统计日期{as_of}，状态仍为{status}")]
    Overdue {
        deadline: String,
        as_of: String,
        status: &'static str,
    },
    #[error("完成时限{deadline}早于巡察反馈日期{feedback}")]
    DeadlineBeforeFeedback { deadline: String, feedback: String },
    #[error("{first}日期{a}晚于{second}日期{b}")]
    DatesOutOfOrder {
        first: &'static str,
        a: String,
        second: &'static str,
        b: String,
    },
    #[error("没有监督联系方式（电话、邮箱或通信地址）")]
    NoContact,
    #[error("进展日期{date}早于上一条进展的{previous}：进展要按时间先后排列")]
    ProgressOutOfOrder { date: String, previous: String },
    #[error("{what}{date}晚于统计日期{as_of}")]
    AfterAsOf {
        what: &'static str,
        date: String,
        as_of: String,
    },
    #[error("最后一条进展的状态是“{last}”，与整改状态“{status}”不一致")]
    ProgressStatusDiffers {
        last: &'static str,
        status: &'static str,
    },
    #[error("写了完成日期，但整改状态是“{status}”")]
    CompletedButNotCompleted { status: &'static str },
    #[error("完成日期{completed}早于巡察反馈日期{feedback}")]
    CompletedBeforeFeedback { completed: String, feedback: String },
    #[error("已完成的问题没有写完成日期")]
    NoCompletionDate,
    #[error(
        "{organization}已发布更新的通报《{newer}》，这条问题没有写更新日期或进展，看不出整改状态是否仍是当时的"
    )]
    NotUpdatedSinceNewer { organization: String, newer: String },
    #[error("草稿：《{title}》标为 draft: true，生成网站时不发布")]
    Draft {
        title: String,
        to_fill: Vec<&'static str>,
    },
    #[error("{what}还是待填写的“{value}”")]
    Placeholder { what: &'static str, value: String },
    #[error("{what}格式不对：“{value}”")]
    MalformedContact { what: &'static str, value: String },
    #[error("链接指向的{what}不存在：{target}")]
    BrokenLink { what: &'static str, target: String },
    #[error("图片没有替代文字")]
    ImageWithoutAlt,
    #[error("发现{}：{text}", kind.label())]
    PersonalData {
        kind: PersonalKind,
        text: String,
        masked: String,
    },
    #[error("问题正文是空的，没有写整改措施或进展")]
    EmptyIssue,
    #[error("本通报中有两条问题标题相同：“{title}”")]
    DuplicateTitle { title: String, other: PathBuf },
    #[error("地址“{url}”使用了不允许的协议，发布时会被去掉")]
    UnsafeAddress { url: String },
    #[error("标题后的“{{{written}}}”不会发布：标题只能带锚点 {{#名称}} 或样式类 {{.名称}}")]
    HeadingAttributes { written: String },
    #[error("正文中的 HTML 含有脚本或嵌入内容：{written}，发布时会被删除")]
    ScriptInHtml { written: String },
    #[error("正文中的 HTML {written} 发布时会被删除")]
    DroppedHtml { written: String },
    #[error("正文中的 HTML 嵌套超过 {} 层，将按纯文本显示", safety::MAX_HTML_DEPTH)]
    HtmlTooDeep,
    #[error(
        "正文中的引用（>）或列表嵌套超过 {} 层，全文将按纯文本显示",
        safety::MAX_MARKDOWN_DEPTH
    )]
    MarkdownTooDeep,
    #[error(
        "网站地址（base_url）“{url}”不是完整的网址：网站地图、robots.txt 和订阅中的地址将不完整，搜索引擎和订阅阅读器无法使用"
    )]
    RelativeBaseUrl { url: String },
    #[error(
        "网站在 {path} 下，而搜索引擎只读取主机根目录的 robots.txt：本网站的 {path}robots.txt 不会被读取"
    )]
    RobotsBelowRoot { path: String, sitemap: String },
}

impl LintKind {
    pub fn severity(&self) -> Severity {
        match self {
            LintKind::PersonalData { .. }
            | LintKind::BrokenLink { .. }
            | LintKind::UnsafeAddress { .. }
            | LintKind::HeadingAttributes { .. }
            | LintKind::ScriptInHtml { .. }
            | LintKind::HtmlTooDeep
            | LintKind::MarkdownTooDeep
            | LintKind::ProgressOutOfOrder { .. }
            | LintKind::AfterAsOf { .. }
            | LintKind::ProgressStatusDiffers { .. }
            | LintKind::CompletedButNotCompleted { .. }
            | LintKind::CompletedBeforeFeedback { .. } => Severity::Error,
            LintKind::Placeholder { .. } => Severity::Error,
            LintKind::RobotsBelowRoot { .. } => Severity::Note,
            LintKind::Overdue { .. } | LintKind::Draft { .. } => Severity::Note,
            _ => Severity::Warning,
        }
    }
}

impl Hint for LintKind {
    fn code(&self) -> &'static str {
        match self {
            LintKind::DeclaredCount { .. } => "GK0701",
            LintKind::StatedCount { .. } => "GK0702",
            LintKind::NoDeadline => "GK0703",
            LintKind::Overdue { .. } => "GK0704",
            LintKind::DeadlineBeforeFeedback { .. } => "GK0705",
            LintKind::DatesOutOfOrder { .. } => "GK0706",
            LintKind::NoContact => "GK0707",
            LintKind::MalformedContact { .. } => "GK0708",
            LintKind::BrokenLink { .. } => "GK0709",
            LintKind::ImageWithoutAlt => "GK0710",
            LintKind::PersonalData { .. } => "GK0711",
            LintKind::EmptyIssue => "GK0712",
            LintKind::DuplicateTitle { .. } => "GK0713",
            LintKind::UnsafeAddress { .. } => "GK0714",
            LintKind::HeadingAttributes { .. } => "GK0715",
            LintKind::ScriptInHtml { .. } => "GK0716",
            LintKind::DroppedHtml { .. } => "GK0717",
            LintKind::HtmlTooDeep => "GK0718",
            LintKind::MarkdownTooDeep => "GK0719",
            LintKind::ProgressOutOfOrder { .. } => "GK0720",
            LintKind::AfterAsOf { .. } => "GK0721",
            LintKind::ProgressStatusDiffers { .. } => "GK0722",
            LintKind::CompletedButNotCompleted { .. } => "GK0723",
            LintKind::CompletedBeforeFeedback { .. } => "GK0724",
            LintKind::NoCompletionDate => "GK0725",
            LintKind::NotUpdatedSinceNewer { .. } => "GK0726",
            LintKind::Draft { .. } => "GK0727",
            LintKind::Placeholder { .. } => "GK0728",
            LintKind::RelativeBaseUrl { .. } => "GK0729",
            LintKind::RobotsBelowRoot { .. } => "GK0730",
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            LintKind::DeclaredCount { .. } => {
                "核对 declared 中的数字与 issues/ 中的问题文件是否一致".into()
            }
            LintKind::StatedCount { .. } => "核对正文中的数字与各问题的 status 是否一致".into(),
            LintKind::NoDeadline => "请添加「deadline: 2025-12-31」这样的完成时限".into(),
            LintKind::Overdue { .. } => {
                "整改完成后把 status 改为 completed；延期的请更新 deadline".into()
            }
            LintKind::DeadlineBeforeFeedback { .. } | LintKind::DatesOutOfOrder { .. } => {
                "检查日期是否写错".into()
            }
            LintKind::ProgressOutOfOrder { .. } => {
                "progress 中每条进展按日期从早到晚排列，最新的一条放在最后".into()
            }
            LintKind::AfterAsOf { .. } => {
                "日期不能晚于统计日期（site.yaml 的 as_of，或 gongkai build --as-of）：检查是否写错".into()
            }
            LintKind::ProgressStatusDiffers { status, .. } => format!(
                "status 是问题当前的状态：最后一条进展写了 status 时应同为“{status}”，或把 status 改为最新的状态"
            ),
            LintKind::CompletedButNotCompleted { .. } => {
                "整改完成后把 status 改为 completed；尚未完成的请删去 completed".into()
            }
            LintKind::CompletedBeforeFeedback { .. } => "检查日期是否写错".into(),
            LintKind::NoCompletionDate => {
                "请添加「completed: 2025-06-30」这样的完成日期，页面上显示为完成日期".into()
            }
            LintKind::NotUpdatedSinceNewer { .. } => {
                "写上「updated: 2025-06-30」（确认状态的日期），或在 progress 中记下此后的进展".into()
            }
            LintKind::NoContact => {
                "在 site.yaml 或通报的 supervision 中写明 phone、email 或 address".into()
            }
            LintKind::Draft { to_fill, .. } if !to_fill.is_empty() => format!(
                "请先填写{}，核对发布日期（published），再删去 draft 一行",
                to_fill.join("、")
            ),
            LintKind::Draft { .. } => {
                "核对发布日期（published）等内容后删去 draft 一行，即可发布".into()
            }
            LintKind::Placeholder { .. } => {
                "导入时没有找到这一项：请按原文填写；未填好前可先写上 draft: true".into()
            }
            LintKind::RelativeBaseUrl { .. } => {
                "写明网站发布后的完整地址，例如 base_url: https://www.example.gov.cn/xcgz/（只在本机预览时可以不写）".into()
            }
            LintKind::RobotsBelowRoot { sitemap, .. } => format!(
                "请网站管理员在主机根目录的 robots.txt 中加上一行：Sitemap: {sitemap}"
            ),
            LintKind::MalformedContact { what, .. } => match *what {
                "电话" => "例如 0518-85570000，或 12345".into(),
                "电子邮箱" => "例如 office@example.gov.cn".into(),
                _ => "邮政编码是 6 位数字，例如 \"222001\"（请加引号）".into(),
            },
            LintKind::BrokenLink { .. } => {
                "站内链接以 / 开头表示网站根目录，附件放在通报文件夹中并用相对路径链接".into()
            }
            LintKind::ImageWithoutAlt => {
                "写成 ![图片说明](文件名.png)，说明文字供读屏软件朗读".into()
            }
            LintKind::PersonalData { masked, .. } => format!("公开时应隐去，写成 {masked}"),
            LintKind::EmptyIssue => "在 --- 之后写整改措施，例如“一是……二是……”".into(),
            LintKind::DuplicateTitle { other, .. } => format!(
                "另一条是 {}；如确为两条问题，请在标题中加以区分",
                other.file_name().unwrap_or_default().to_string_lossy()
            ),
            LintKind::UnsafeAddress { .. } => "只能链接 http://、https://、mailto:、tel: 或站内路径；图片请放进通报文件夹，写成 ![说明](文件名.png)".into(),
            LintKind::HeadingAttributes { .. } => "删去花括号中的其他内容，例如写成“## 标题 {#zuzhi}”".into(),
            LintKind::ScriptInHtml { .. } => "公开页面不能带脚本；链接请写成 [文字](https://…)".into(),
            LintKind::DroppedHtml { .. } => "只保留常用排版标签（p、table、strong 等）和 title、lang 等属性；style 只保留 text-align".into(),
            LintKind::HtmlTooDeep => "检查是否有大量未闭合的标签，或改用 Markdown 书写".into(),
            LintKind::MarkdownTooDeep => {
                "行首的“>”表示引用、缩进的“-”表示下一级列表：检查是否多写了".into()
            }
        })
    }
}

fn diagnostic(at: Location, kind: LintKind) -> Diagnostic {
    let severity = kind.severity();
    Diagnostic::from(Located::new(at, kind)).with_severity(severity)
}

/// A link or image in Markdown, to be checked against the output.
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub at: Location,
    /// The output path it points at (`notices/a/fangan.pdf`, `lianxi/index.html`).
    pub target: String,
    pub written: String,
    pub image: bool,
}

/// What the content lints found, and the links to check later.
#[derive(Debug, Default)]
pub struct Lints {
    pub diagnostics: Vec<Diagnostic>,
    pub links: Vec<LinkRef>,
}

/// Where a front-matter value is written, or the start of the file.
fn field_at(file: &Path, body: &Body, position: Option<Position>) -> Location {
    match position {
        Some(at) => Location::in_text(file, &body.text, at.line, at.column),
        None => Location::file_start(file),
    }
}

/// What `gongkai import` writes where it found nothing, for the clerk to fill.
pub const PLACEHOLDER: &str = "（请填写";

/// A notice's front-matter fields that still hold an import's placeholder.
fn placeholders(notice: &NoticeSource) -> Vec<(&'static str, &str, Option<Position>)> {
    let front = &notice.front;
    [
        ("标题", front.title.as_str(), notice.at.title),
        (
            "发布机构",
            front.organization.as_str(),
            notice.at.organization,
        ),
    ]
    .into_iter()
    .filter(|(_, value, _)| value.contains(PLACEHOLDER))
    .collect()
}

/// Drafts left out of the site, with what is still to be filled; and in
/// a notice being published, a placeholder left unfilled.
fn lint_unfinished(content: &Content, lints: &mut Lints) {
    // Drafts are left out of the site, or in it with --drafts.
    let (drafts, published): (Vec<&NoticeSource>, Vec<&NoticeSource>) = content
        .notices
        .iter()
        .partition(|notice| notice.front.draft);
    for draft in content.drafts.iter().chain(drafts) {
        let to_fill = placeholders(draft)
            .into_iter()
            .map(|(what, ..)| what)
            .collect();
        lints.diagnostics.push(diagnostic(
            field_at(&draft.file, &draft.body, draft.at.draft),
            LintKind::Draft {
                title: draft.front.title.clone(),
                to_fill,
            },
        ));
    }
    for notice in published {
        for (what, value, position) in placeholders(notice) {
            lints.diagnostics.push(diagnostic(
                field_at(&notice.file, &notice.body, position),
                LintKind::Placeholder {
                    what,
                    value: value.to_owned(),
                },
            ));
        }
    }
}

/// Lints everything under `content/`.
pub fn lint_content(config: &Config, content: &Content, as_of: Date, history: &History) -> Lints {
    // The newest notice of each organisation: the statuses of its older
    // ones stand at their own dates unless their issues say otherwise.
    let mut newest: BTreeMap<&str, &NoticeSource> = BTreeMap::new();
    for notice in &content.notices {
        let organization = notice.front.organization.as_str();
        let newer = newest.get(organization).is_none_or(|kept| {
            (notice.front.published, &notice.slug) > (kept.front.published, &kept.slug)
        });
        if newer {
            newest.insert(organization, notice);
        }
    }
    let per_notice: Vec<Lints> = content
        .notices
        .par_iter()
        .map(|notice| {
            let mut lints = Lints::default();
            lint_notice(config, notice, as_of, history, &mut lints);
            if let Some(newer) = newest
                .get(notice.front.organization.as_str())
                .filter(|newer| newer.front.published > notice.front.published)
            {
                lint_not_updated_since(notice, newer, history, &mut lints);
            }
            lints
        })
        .collect();
    let mut lints = Lints::default();
    lint_unfinished(content, &mut lints);
    for notice_lints in per_notice {
        lints.diagnostics.extend(notice_lints.diagnostics);
        lints.links.extend(notice_lints.links);
    }
    for page in &content.pages {
        let path = format!("{}/", page.slug);
        lint_body(
            &page.file,
            &page.body,
            &path,
            config.sanitize_html,
            &mut lints,
        );
    }
    if let Some(home) = &content.home {
        lint_body(&home.file, &home.body, "", config.sanitize_html, &mut lints);
    }
    lints
}

fn lint_notice(
    config: &Config,
    notice: &NoticeSource,
    as_of: Date,
    history: &History,
    lints: &mut Lints,
) {
    let file = &notice.file;
    let at = |position: Option<Position>| field_at(file, &notice.body, position);
    let positions = &notice.at;
    let front = &notice.front;
    let issues = &notice.issues;

    let aspects: HashSet<&str> = issues
        .iter()
        .filter_map(|i| i.front.aspect.as_deref())
        .collect();
    let items: HashSet<(Option<&str>, &str)> = issues
        .iter()
        .filter_map(|i| Some((i.front.aspect.as_deref(), i.front.item.as_deref()?)))
        .collect();
    for (position, what, declared, actual) in [
        (
            positions.declared.problems,
            "问题",
            front.declared.problems,
            issues.len(),
        ),
        (
            positions.declared.aspects,
            "方面",
            front.declared.aspects,
            aspects.len(),
        ),
        (
            positions.declared.items,
            "大项",
            front.declared.items,
            items.len(),
        ),
    ] {
        if let Some(declared) = declared
            && declared as usize != actual
        {
            lints.diagnostics.push(diagnostic(
                at(position),
                LintKind::DeclaredCount {
                    what,
                    declared,
                    actual,
                },
            ));
        }
    }
    lint_stated_counts(notice, lints);

    let inspection = &front.inspection;
    let order = [
        (
            inspection.start,
            "巡察开始",
            inspection.end,
            "巡察结束",
            positions.inspection.start,
        ),
        (
            inspection.end,
            "巡察结束",
            inspection.feedback,
            "反馈",
            positions.inspection.end,
        ),
    ];
    for (a, first, b, second, position) in order {
        if let (Some(a), Some(b)) = (a, b)
            && a > b
        {
            lints.diagnostics.push(diagnostic(
                at(position),
                LintKind::DatesOutOfOrder {
                    first,
                    a: a.chinese(),
                    second,
                    b: b.chinese(),
                },
            ));
        }
    }
    if let Some(written) = front.written
        && front.published < written
    {
        lints.diagnostics.push(diagnostic(
            at(positions.published),
            LintKind::DatesOutOfOrder {
                first: "成文",
                a: written.chinese(),
                second: "发布",
                b: front.published.chinese(),
            },
        ));
    }

    let contact = config.supervision.overridden_by(&front.supervision);
    if contact.phone.is_none() && contact.email.is_none() && contact.address.is_none() {
        lints
            .diagnostics
            .push(diagnostic(Location::file_start(file), LintKind::NoContact));
    }
    lint_contact(&front.supervision, &positions.supervision, &at, lints);

    let mut titles: BTreeMap<&str, &Path> = BTreeMap::new();
    for issue in issues {
        lint_issue(notice, issue, as_of, history, config.sanitize_html, lints);
        match titles.get(issue.front.title.as_str()) {
            Some(other) => lints.diagnostics.push(diagnostic(
                field_at(&issue.file, &issue.body, issue.at.title),
                LintKind::DuplicateTitle {
                    title: issue.front.title.clone(),
                    other: other.to_path_buf(),
                },
            )),
            None => {
                titles.insert(&issue.front.title, &issue.file);
            }
        }
    }
    let path = format!("notices/{}/", notice.slug);
    lint_body(file, &notice.body, &path, config.sanitize_html, lints);
    lint_front_text(
        file,
        &notice.body,
        &[(positions.title, &front.title)],
        lints,
    );
}

fn lint_issue(
    notice: &NoticeSource,
    issue: &IssueSource,
    as_of: Date,
    history: &History,
    cleans_html: bool,
    lints: &mut Lints,
) {
    let file = &issue.file;
    let at = |position: Option<Position>| field_at(file, &issue.body, position);
    let positions = &issue.at;
    let front = &issue.front;
    if front.status != Status::Completed && front.deadline.is_none() {
        lints
            .diagnostics
            .push(diagnostic(at(positions.status), LintKind::NoDeadline));
    }
    if let Some(deadline) = front.deadline.filter(|_| front.is_overdue(as_of)) {
        lints.diagnostics.push(diagnostic(
            at(positions.deadline),
            LintKind::Overdue {
                deadline: deadline.chinese(),
                as_of: as_of.chinese(),
                status: front.status.label(),
            },
        ));
    }
    if let (Some(deadline), Some(feedback)) = (front.deadline, notice.front.inspection.feedback)
        && deadline < feedback
    {
        lints.diagnostics.push(diagnostic(
            at(positions.deadline),
            LintKind::DeadlineBeforeFeedback {
                deadline: deadline.chinese(),
                feedback: feedback.chinese(),
            },
        ));
    }
    lint_progress(notice, issue, as_of, history, lints);
    if issue.body.markdown().trim().is_empty() {
        lints.diagnostics.push(diagnostic(
            Location::in_text(
                file,
                &issue.body.text,
                issue.body.first_line.saturating_sub(1).max(1),
                1,
            ),
            LintKind::EmptyIssue,
        ));
    }
    let path = format!("notices/{}/issues/{}/", notice.slug, issue.slug);
    lint_body(file, &issue.body, &path, cleans_html, lints);
    lint_progress_notes(issue, &path, cleans_html, lints);
    let texts: Vec<(Option<Position>, &str)> = [
        (positions.title, Some(front.title.as_str())),
        (positions.department, front.department.as_deref()),
        (positions.lead, front.lead.as_deref()),
        (positions.aspect, front.aspect.as_deref()),
        (positions.item, front.item.as_deref()),
    ]
    .into_iter()
    .filter_map(|(position, value)| Some((position, value?)))
    .collect();
    lint_front_text(file, &issue.body, &texts, lints);
}

/// The issues of `notice` that say nothing of their status since, now that
/// its organisation has published `newer` (a completion date says the last
/// word, and so does a commit when dates come from git).
fn lint_not_updated_since(
    notice: &NoticeSource,
    newer: &NoticeSource,
    history: &History,
    lints: &mut Lints,
) {
    for issue in &notice.issues {
        let front = &issue.front;
        let dated = front.updated.is_some() || front.completed.is_some();
        if dated || !front.progress.is_empty() || history.of(&issue.file).is_some() {
            continue;
        }
        let kind = LintKind::NotUpdatedSinceNewer {
            organization: notice.front.organization.clone(),
            newer: newer.front.title.clone(),
        };
        let at = field_at(&issue.file, &issue.body, issue.at.status);
        lints.diagnostics.push(diagnostic(at, kind));
    }
}

/// The dates and statuses of an issue's progress over time: in order, none
/// after `as_of`, the last status the current one, a completion date only
/// for a completed issue and not before the inspection's feedback.
fn lint_progress(
    notice: &NoticeSource,
    issue: &IssueSource,
    as_of: Date,
    history: &History,
    lints: &mut Lints,
) {
    let file = &issue.file;
    // A history may be long: every step's location is found by line index.
    let locator = Locator::new(file, &issue.body.text);
    let at = |position: Option<Position>| {
        position.map_or_else(
            || Location::file_start(file),
            |at| locator.at_line(at.line, at.column),
        )
    };
    let (front, positions) = (&issue.front, &issue.at);
    let mut push = |position: Option<Position>, kind: LintKind| {
        lints.diagnostics.push(diagnostic(at(position), kind));
    };
    let step_at = |index: usize| positions.progress.get(index);
    let mut previous: Option<Date> = None;
    for (index, step) in front.progress.iter().enumerate() {
        let date_at = step_at(index).and_then(|at| at.date);
        if let Some(before) = previous.filter(|before| step.date < *before) {
            let kind = LintKind::ProgressOutOfOrder {
                date: step.date.chinese(),
                previous: before.chinese(),
            };
            push(date_at, kind);
        }
        previous = Some(previous.map_or(step.date, |before| before.max(step.date)));
        if step.date > as_of {
            let kind = LintKind::AfterAsOf {
                what: "进展日期",
                date: step.date.chinese(),
                as_of: as_of.chinese(),
            };
            push(date_at, kind);
        }
    }
    let last_status = front
        .progress
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, step)| Some((step.status?, step_at(index).and_then(|at| at.status))));
    if let Some((last, last_at)) = last_status.filter(|(last, _)| *last != front.status) {
        let kind = LintKind::ProgressStatusDiffers {
            last: last.label(),
            status: front.status.label(),
        };
        push(last_at.or(positions.status), kind);
    }
    // `updated` may be later: `gongkai new issue` writes today's date into
    // a site whose `as_of` is fixed.
    if let Some(completed) = front.completed.filter(|date| *date > as_of) {
        let kind = LintKind::AfterAsOf {
            what: "完成日期",
            date: completed.chinese(),
            as_of: as_of.chinese(),
        };
        push(positions.completed, kind);
    }
    match front.completed {
        Some(_) if front.status != Status::Completed => {
            let kind = LintKind::CompletedButNotCompleted {
                status: front.status.label(),
            };
            push(positions.completed, kind);
        }
        None if front.status == Status::Completed => {
            // Git dates the commit that made it completed, unless the
            // clerk wrote a history of its own.
            let committed = history.of(file).is_some_and(|committed| {
                front.progress.is_empty() && committed.completion_date().is_some()
            });
            if front.completion_date().is_none() && !committed {
                push(positions.status, LintKind::NoCompletionDate);
            }
        }
        _ => {}
    }
    if let (Some(completed), Some(feedback)) = (front.completed, notice.front.inspection.feedback)
        && completed < feedback
    {
        let kind = LintKind::CompletedBeforeFeedback {
            completed: completed.chinese(),
            feedback: feedback.chinese(),
        };
        push(positions.completed, kind);
    }
}

/// Personal data in front-matter text fields.
fn lint_front_text(
    file: &Path,
    body: &Body,
    texts: &[(Option<Position>, &str)],
    lints: &mut Lints,
) {
    for (position, text) in texts {
        for finding in personal::find(text) {
            let at = field_at(file, body, *position);
            lints.diagnostics.push(personal_diagnostic(at, finding));
        }
    }
}

fn personal_diagnostic(at: Location, finding: Finding) -> Diagnostic {
    diagnostic(
        at,
        LintKind::PersonalData {
            kind: finding.kind,
            text: finding.text,
            masked: finding.masked,
        },
    )
}

/// The site's address as crawlers and feed readers need it: absolute (the
/// sitemap, robots.txt and feeds hold absolute addresses only then), and
/// at the host's root for its robots.txt to be read.
pub fn lint_base_url(config: &Config, lints: &mut Lints) {
    let at = config.location(config.at.base_url);
    let url = &config.base_url;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        let kind = LintKind::RelativeBaseUrl { url: url.clone() };
        lints.diagnostics.push(diagnostic(at, kind));
        return;
    }
    let path = config.base_path();
    if path != "/" {
        let kind = LintKind::RobotsBelowRoot {
            path: path.to_owned(),
            sitemap: format!("{url}sitemap.xml"),
        };
        lints.diagnostics.push(diagnostic(at, kind));
    }
}

/// Phone, e-mail and postcode of a supervision block, where it is written.
pub fn lint_contact(
    contact: &Supervision,
    written: &SupervisionAt,
    at: &dyn Fn(Option<Position>) -> Location,
    lints: &mut Lints,
) {
    type Check<'a> = (
        Option<Position>,
        &'static str,
        &'a Option<String>,
        fn(&str) -> bool,
    );
    let checks: [Check; 3] = [
        (written.phone, "电话", &contact.phone, valid_phones),
        (written.email, "电子邮箱", &contact.email, valid_email),
        (
            written.postcode,
            "邮政编码",
            &contact.postcode,
            valid_postcode,
        ),
    ];
    for (position, what, value, valid) in checks {
        if let Some(value) = value
            && !valid(value)
        {
            lints.diagnostics.push(diagnostic(
                at(position),
                LintKind::MalformedContact {
                    what,
                    value: value.clone(),
                },
            ));
        }
    }
}

/// One or more phone numbers: landlines (`0518-85574017`, `(0518)85574017`,
/// with `转` extensions), mobiles, 400/800 numbers and short hotlines (12345).
fn valid_phones(text: &str) -> bool {
    let parts: Vec<&str> = text
        .split(['、', '，', ',', '/', '；', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    !parts.is_empty() && parts.iter().all(|part| valid_phone(part))
}

/// Whether `part` is one telephone number as China writes them (a landline
/// with its area code, a mobile, a hotline, 400/800), with an extension
/// (`转 8001`) allowed after it.
pub fn valid_phone(part: &str) -> bool {
    // An extension (`转 8001`) is allowed after the number itself.
    let number = part.split('转').next().unwrap_or_default();
    if !number
        .chars()
        .all(|c| c.is_ascii_digit() || "-()（） ".contains(c))
    {
        return false;
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let length = digits.len();
    if digits.starts_with('0') {
        (10..=12).contains(&length)
    } else if digits.starts_with("400") || digits.starts_with("800") {
        length == 10
    } else if digits.starts_with('1') {
        length == 11 || (5..=6).contains(&length)
    } else {
        (7..=8).contains(&length)
    }
}

fn valid_email(text: &str) -> bool {
    let Some((local, domain)) = text.trim().split_once('@') else {
        return false;
    };
    let ok = |part: &str, extra: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
    };
    ok(local, "._%+-")
        && ok(domain, ".-")
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn valid_postcode(text: &str) -> bool {
    text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Counts a notice's own text states ("已完成整改28项"), against its issues.
fn lint_stated_counts(notice: &NoticeSource, lints: &mut Lints) {
    let issues = &notice.issues;
    let count = |keep: &dyn Fn(&IssueSource) -> bool| issues.iter().filter(|i| keep(i)).count();
    let actual = [
        ("已完成", count(&|i| i.front.status == Status::Completed)),
        ("基本完成", count(&|i| i.front.status == Status::Partial)),
        ("整改中", count(&|i| i.front.status == Status::InProgress)),
        ("长期坚持", count(&|i| i.front.long_term)),
    ];
    // The status phrases of status.rs, in the slots of `actual`.
    let keywords = [Status::Completed, Status::Partial, Status::InProgress]
        .into_iter()
        .enumerate()
        .flat_map(|(slot, status)| status.phrases().iter().map(move |phrase| (*phrase, slot)))
        .chain(Status::LONG_TERM_PHRASES.map(|phrase| (phrase, 3)));
    let text = notice.body.markdown();
    // "已整改完成28项" holds "整改完成28项": one number is stated once.
    let mut seen = std::collections::HashSet::new();
    for (keyword, slot) in keywords {
        for (at, _) in text.match_indices(keyword) {
            let rest = &text[at + keyword.len()..];
            let rest = rest.trim_start_matches(['的', ' ']);
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = &rest[digits.len()..];
            if digits.is_empty() || !(after.starts_with('项') || after.starts_with('条')) {
                continue;
            }
            let Ok(stated) = digits.parse::<usize>() else {
                continue;
            };
            let offset = at + keyword.len() + (text[at + keyword.len()..].len() - rest.len());
            if !seen.insert(offset) || about_an_earlier_notice(text, offset) {
                continue;
            }
            let (what, actual) = actual[slot];
            if stated != actual {
                lints.diagnostics.push(diagnostic(
                    notice.body.location(&notice.file, offset),
                    LintKind::StatedCount {
                        what,
                        stated,
                        actual,
                    },
                ));
            }
        }
    }
    if issues.is_empty() {
        return;
    }
    for (at, _) in text.match_indices("问题") {
        let before = &text[..at];
        let before = before.trim_end_matches(['条', '项', '个']);
        if before.len() == text[..at].len() {
            continue;
        }
        let Some(stated) = crate::load::text::number_before(before, before.len()) else {
            continue;
        };
        let stated = stated as usize;
        let number_start = before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if stated != issues.len() && !about_an_earlier_notice(text, number_start) {
            lints.diagnostics.push(diagnostic(
                notice.body.location(&notice.file, number_start),
                LintKind::StatedCount {
                    what: "问题共",
                    stated,
                    actual: issues.len(),
                },
            ));
        }
    }
}

/// Whether the sentence around `offset` speaks of an earlier notice
/// (`前次通报所列10个问题中已完成8个`): a follow-up notice (续报) recalls the
/// figures of the one before, which its own issue files do not hold.
fn about_an_earlier_notice(text: &str, offset: usize) -> bool {
    const EARLIER: &[&str] = &[
        "前次",
        "上次",
        "此前",
        "前期通报",
        "上期",
        "首次通报",
        "上一次",
    ];
    let ends = ['。', '；', '\n'];
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| ends.contains(c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let end = text[offset..]
        .find(ends)
        .map_or(text.len(), |at| offset + at);
    let sentence = &text[start..end];
    EARLIER.iter().any(|cue| sentence.contains(cue))
}

/// How many findings of one file are listed: a pasted page can hold
/// thousands of the same mistake, and the clerk needs the first few.
const MAX_FINDINGS_PER_FILE: usize = 100;

/// Personal data, links and images in a Markdown body; `page` is the path
/// of the page it is shown on.
fn lint_body(file: &Path, body: &Body, page: &str, cleans_html: bool, lints: &mut Lints) {
    let locator = Locator::new(file, &body.text);
    let at = |offset: usize| locator.at(body.start + offset);
    let findings = lint_markdown(body.markdown(), &at, page, cleans_html, lints);
    lints.diagnostics.extend(limited_per_file(findings));
}

/// The notes of an issue's progress steps, Markdown shown on its page like
/// its body. A note is a YAML string, whose text may be quoted or folded:
/// every finding points at the start of the note it is in.
fn lint_progress_notes(issue: &IssueSource, page: &str, cleans_html: bool, lints: &mut Lints) {
    // Most issues have no notes: the file's line index is built only for one that has.
    if issue.front.progress.iter().all(|step| step.note.is_none()) {
        return;
    }
    let file = &issue.file;
    let locator = Locator::new(file, &issue.body.text);
    let mut findings = Vec::new();
    for (index, step) in issue.front.progress.iter().enumerate() {
        let Some(note) = &step.note else { continue };
        let position = issue.at.progress.get(index).and_then(|at| at.note);
        let start = position.map_or_else(
            || Location::file_start(file),
            |at| locator.at_line(at.line, at.column),
        );
        let at = |_: usize| start.clone();
        findings.extend(lint_markdown(note, &at, page, cleans_html, lints));
    }
    lints.diagnostics.extend(limited_per_file(findings));
}

/// Personal data, links and images in Markdown shown on `page`, each
/// located by `at` from its offset; links go to `lints`, findings are
/// returned.
fn lint_markdown(
    markdown: &str,
    at: &dyn Fn(usize) -> Location,
    page: &str,
    cleans_html: bool,
    lints: &mut Lints,
) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for finding in personal::find(markdown) {
        findings.push(personal_diagnostic(at(finding.offset), finding));
    }
    let mut image: Option<(usize, usize)> = None; // (offset, text length so far)
    let mut alt_text = String::new();
    let mut review = Review::new(markdown, cleans_html);
    for (event, range) in Parser::new_ext(markdown, crate::markdown::OPTIONS).into_offset_iter() {
        review.event(&event, range.clone());
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(target) = resolve(page, &dest_url) {
                    lints.links.push(LinkRef {
                        at: at(range.start),
                        target,
                        written: dest_url.to_string(),
                        image: false,
                    });
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((range.start, 0));
                alt_text.clear();
                if let Some(target) = resolve(page, &dest_url) {
                    lints.links.push(LinkRef {
                        at: at(range.start),
                        target,
                        written: dest_url.to_string(),
                        image: true,
                    });
                }
            }
            Event::Text(text) if image.is_some() => alt_text.push_str(&text),
            Event::End(TagEnd::Image) => {
                if let Some((offset, _)) = image.take()
                    && alt_text.trim().is_empty()
                {
                    findings.push(diagnostic(at(offset), LintKind::ImageWithoutAlt));
                }
            }
            _ => {}
        }
    }
    for finding in review.findings {
        let kind = match finding.what {
            Unsafe::Scheme { url } => LintKind::UnsafeAddress { url },
            Unsafe::HeadingAttribute { written } => LintKind::HeadingAttributes { written },
            Unsafe::Script { written } => LintKind::ScriptInHtml { written },
            Unsafe::Dropped { written } => LintKind::DroppedHtml { written },
            Unsafe::TooDeep => LintKind::HtmlTooDeep,
            Unsafe::MarkdownTooDeep => LintKind::MarkdownTooDeep,
        };
        findings.push(diagnostic(at(finding.offset), kind));
    }
    findings
}

/// The output path a link on `page` points at; `None` for links that leave
/// the site (`https:`, `mailto:`) or stay on the page (`#…`).
fn resolve(page: &str, link: &str) -> Option<String> {
    let link = link.trim();
    let has_scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if link.is_empty() || link.starts_with('#') || link.starts_with("//") || has_scheme {
        return None;
    }
    let link = link.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(link)
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| link.to_owned());
    let (base, rest) = match decoded.strip_prefix('/') {
        Some(rest) => (String::new(), rest.to_owned()),
        None => (page.to_owned(), decoded.clone()),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let mut target = parts.join("/");
    if decoded.ends_with('/') || target.is_empty() {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some(target)
}

/// The links whose targets are not among the output files `known`.
pub fn lint_links(links: &[LinkRef], known: &HashSet<String>) -> Vec<Diagnostic> {
    let broken = links
        .iter()
        .filter(|link| {
            !known.contains(&link.target) && !known.contains(&format!("{}/index.html", link.target))
        })
        .map(|link| {
            diagnostic(
                link.at.clone(),
                LintKind::BrokenLink {
                    what: if link.image {
                        "图片"
                    } else if link.target.ends_with("index.html") {
                        "页面"
                    } else {
                        "文件"
                    },
                    target: link.written.clone(),
                },
            )
        })
        .collect();
    limited_per_file(broken)
}

/// The first [`MAX_FINDINGS_PER_FILE`] findings of each file, errors first
/// (what is left untold must not be what stops the build), and for each
/// file with more, one line that says how many more.
fn limited_per_file(findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for finding in findings {
        let file = finding
            .location
            .as_ref()
            .map(|at| at.file.clone())
            .unwrap_or_default();
        by_file.entry(file).or_default().push(finding);
    }
    let mut kept = Vec::new();
    for (file, mut findings) in by_file {
        if findings.len() > MAX_FINDINGS_PER_FILE {
            findings.sort_by_key(|d| {
                let at = d.location.as_ref().map(|l| (l.line, l.column));
                (!d.is_error(), at)
            });
        }
        let untold = findings.split_off(findings.len().min(MAX_FINDINGS_PER_FILE));
        kept.extend(findings);
        if let Some(first) = untold.first() {
            let summary = Diagnostic::warning(
                Some(Location::file_start(&file)),
                format!("这个文件还有 {} 处同类问题没有列出", untold.len()),
            )
            .with_hint(Some("先改正上面列出的问题，再运行 gongkai check".into()));
            kept.push(summary.with_severity(first.severity));
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_like_a_browser_would() {
        let page = "notices/a/issues/b/";
        assert_eq!(
            resolve(page, "../../fangan.pdf").as_deref(),
            Some("notices/a/fangan.pdf")
        );
        assert_eq!(
            resolve(page, "/lianxi/").as_deref(),
            Some("lianxi/index.html")
        );
        assert_eq!(
            resolve("", "notices/a/").as_deref(),
            Some("notices/a/index.html")
        );
        assert_eq!(resolve("", "/").as_deref(), Some("index.html"));
        assert_eq!(resolve(page, "https://x.cn/"), None);
        assert_eq!(resolve(page, "mailto:a@b.cn"), None);
        assert_eq!(resolve(page, "#top"), None);
        assert_eq!(
            resolve("notices/a/", "%E6%96%B9%E6%A1%88.pdf").as_deref(),
            Some("notices/a/方案.pdf")
        );
    }

    #[test]
    fn figures_of_an_earlier_notice_are_not_this_ones() {
        let text = "截至目前，4条问题中已完成2项。前次通报所列10个问题中已完成8项；此前公布的6条问题已整改完成5项。";
        let at = |needle: &str| text.find(needle).expect("in text");
        assert!(!about_an_earlier_notice(text, at("4条")));
        assert!(!about_an_earlier_notice(text, at("2项")));
        assert!(about_an_earlier_notice(text, at("10个")));
        assert!(about_an_earlier_notice(text, at("8项")));
        assert!(about_an_earlier_notice(text, at("5项")));
    }

    #[test]
    fn contact_formats() {
        for good in [
            "0518-85574017",
            "0632-8671585",
            "12345",
            "13812341234",
            "(0518)85574017",
            "0518-85574017、12345",
            "4008001234",
            "0518-85574017转8001",
            "85574017",
        ] {
            assert!(valid_phones(good), "{good}");
        }
        for bad in ["0518-855", "电话", "abc", ""] {
            assert!(!valid_phones(bad), "{bad}");
        }
        assert!(valid_email("lygszyydwb@163.com"));
        assert!(!valid_email("lygszyydwb163.com"));
        assert!(!valid_email("a@b"));
        assert!(valid_postcode("222001"));
        assert!(!valid_postcode("22200"));
    }
}
