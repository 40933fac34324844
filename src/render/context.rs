//! The variables each page template is given: one struct per kind of
//! page, and `site`, `root` and `path` for all. This is the contract with
//! theme authors: docs/themes.md lists every variable, and
//! tests/themes_doc.rs holds the list to what the templates really get.

use serde::Serialize;
use tera::Context;

use crate::load::config::Owner;
use crate::load::content::NoticeFront;
use crate::load::units::OverdueIssue;
use crate::model::date::Date;
use crate::model::status::Status;
use crate::model::supervision::Supervision;
use crate::site::aggregate::{Aggregate, Department, OVERDUE_PER_PAGE};
use crate::site::completion::Completion;
use crate::site::pages::{
    HOME_NOTICES, Job, LedgerFile, Listing, NOTICES_PER_PAGE, listing_block, listing_pages,
};
use crate::site::{Counts, Group, Notice, Page, Site, root_of};

use super::NoticeValues;

/// `index.html`.
#[derive(Serialize)]
struct HomeVariables<'a> {
    home: Option<&'a Page>,
    notices: Vec<NoticeHead<'a>>,
    years: &'a [Group],
}

/// `notices.html`: a list of notices, all of them or one body's or year's.
#[derive(Serialize)]
struct ShelfVariables<'a> {
    shelf_title: String,
    counts: Counts,
    notices: Vec<NoticeHead<'a>>,
    total: usize,
    page_number: usize,
    pagination: Pagination,
    feed: Option<String>,
}

/// `organizations.html`.
#[derive(Serialize)]
struct OrganizationsVariables<'a> {
    organizations: &'a [Group],
    years: &'a [Group],
}

/// `notice.html`.
#[derive(Serialize)]
struct NoticeVariables<'v> {
    notice: Option<NoticeWithIssues<'v>>,
    ledgers: Vec<LedgerLink>,
}

/// A notice's ledger file, as its page links to it.
#[derive(Serialize)]
struct LedgerLink {
    path: String,
    /// The file's format, as a reader knows it (Excel, CSV).
    format: &'static str,
    /// The name to save it as.
    download: String,
}

/// A notice with every issue, as the issue pages show them (template
/// values made once for all the notice's pages, see `NoticeValues`).
#[derive(Serialize)]
pub(super) struct NoticeWithIssues<'v> {
    #[serde(flatten)]
    pub notice: &'v Notice,
    pub issues: Vec<&'v tera::Value>,
}

/// `issue.html`.
#[derive(Serialize)]
struct IssueVariables<'v> {
    notice: Option<&'v tera::Value>,
    issue: Option<&'v tera::Value>,
    previous: Option<&'v tera::Value>,
    next: Option<&'v tera::Value>,
}

/// `listing.html`: the issues of one status, or the overdue ones.
#[derive(Serialize)]
struct ListingVariables<'a> {
    listing_title: String,
    status: &'static str,
    rows: Vec<ListingRow<'a>>,
    /// On the first page of the overdue and not-updated listings, when they
    /// have more pages: the longest across the portal, longest first.
    longest: Vec<ListingRow<'a>>,
    /// On the first page only: a change of status changes the total, and
    /// every later page would have to be rendered again.
    total: Option<usize>,
    page_number: usize,
    pagination: Pagination,
}

/// `page.html`.
/// `units.html`: an aggregate portal's home.
#[derive(Serialize)]
struct UnitsVariables<'a> {
    home: Option<&'a Page>,
    units: Vec<UnitRow<'a>>,
    totals: Counts,
    notice_count: usize,
    overdue_count: usize,
}

/// A unit as the aggregate's table shows it.
#[derive(Serialize)]
struct UnitRow<'a> {
    name: &'a str,
    base_url: &'a str,
    notices: usize,
    counts: Counts,
    latest: Option<crate::model::date::Date>,
}

/// `units_overdue.html`: a page of every unit's overdue issues.
#[derive(Serialize)]
struct UnitsOverdueVariables<'a> {
    rows: Vec<OverdueRow<'a>>,
    total: usize,
    page_number: usize,
    pagination: Pagination,
}

#[derive(Serialize)]
struct OverdueRow<'a> {
    unit: &'a str,
    unit_url: &'a str,
    notice_title: &'a str,
    notice_url: &'a str,
    #[serde(flatten)]
    issue: &'a OverdueIssue,
}

/// `departments.html`: issues by department across units.
#[derive(Serialize)]
struct DepartmentsVariables<'a> {
    departments: &'a [Department],
    left_out: usize,
}

#[derive(Serialize)]
struct DataVariables {
    files: &'static [crate::export::data::Listed],
    /// Only on an aggregate portal, which publishes its units.
    unit_fields: Vec<crate::export::data::Field>,
    notice_fields: Vec<crate::export::data::Field>,
    issue_fields: Vec<crate::export::data::Field>,
}

/// The fields of a record of the open data, when the site publishes it.
fn data_fields(published: bool, record: &str) -> Vec<crate::export::data::Field> {
    if published {
        crate::export::data::fields(record)
    } else {
        Vec::new()
    }
}

#[derive(Serialize)]
struct PageVariables<'a> {
    page: &'a Page,
}

/// What every page has besides `site`.
#[derive(Serialize)]
struct EveryPage<'a> {
    /// The way back to the site root (`../../`).
    root: String,
    /// The page's path from the root.
    path: &'a str,
}

/// The aggregate of a site whose page map has its pages.
fn aggregate_of(site: &Site) -> Result<&Aggregate, tera::Error> {
    site.aggregate
        .as_ref()
        .ok_or_else(|| tera::Error::message("这个网站没有数据来源（sources），不是汇总网站"))
}

/// The context `job` is rendered with.
pub(super) fn of(
    site: &Site,
    values: &NoticeValues,
    job: &Job,
    path: &str,
) -> Result<Context, tera::Error> {
    let mut context = match *job {
        Job::Home => Context::from_serialize(&HomeVariables {
            home: site.home.as_ref(),
            notices: site
                .notices
                .iter()
                .take(HOME_NOTICES)
                .map(NoticeHead::of)
                .collect(),
            years: &site.years,
        })?,
        Job::Shelf(shelf, page) => {
            let positions = shelf.notices(site);
            let pages = positions.len().div_ceil(NOTICES_PER_PAGE).max(1);
            Context::from_serialize(&ShelfVariables {
                shelf_title: shelf.title(site),
                counts: shelf.counts(site),
                notices: positions
                    .iter()
                    .skip(page * NOTICES_PER_PAGE)
                    .take(NOTICES_PER_PAGE)
                    .map(|&n| NoticeHead::of(&site.notices[n]))
                    .collect(),
                total: positions.len(),
                page_number: page + 1,
                pagination: Pagination::new(page, pages, |p| shelf.page_path(site, p)),
                feed: shelf.feed_path(site),
            })?
        }
        Job::Organizations | Job::SiteMap => Context::from_serialize(&OrganizationsVariables {
            organizations: &site.organizations,
            years: &site.years,
        })?,
        Job::Notice(n) => Context::from_serialize(&NoticeVariables {
            notice: values.notice(),
            ledgers: LedgerFile::ALL
                .into_iter()
                .map(|file| LedgerLink {
                    path: Job::Ledger(n, file).path(site),
                    format: match file {
                        LedgerFile::Workbook => "Excel",
                        LedgerFile::Csv => "CSV",
                    },
                    download: format!("{}-整改台账.{}", site.notices[n].slug, file.extension()),
                })
                .collect(),
        })?,
        Job::Issue(_, i) => Context::from_serialize(&IssueVariables {
            notice: values.head(),
            issue: values.issue(i),
            previous: i.checked_sub(1).and_then(|p| values.issue(p)),
            next: values.issue(i + 1),
        })?,
        Job::Listing(listing, page) => Context::from_serialize(&ListingVariables {
            listing_title: listing.title(),
            status: listing.key(),
            rows: listing_rows(listing, listing_block(site, page)),
            longest: if listing.leads_with_longest(site, page) {
                let mut rows = listing_rows(listing, site.notices.iter());
                rows.truncate(LONGEST_ROWS);
                rows
            } else {
                Vec::new()
            },
            total: (page == 0).then(|| listing.total(site)),
            page_number: page + 1,
            pagination: Pagination::new(page, listing_pages(site), |p| listing.page_path(p)),
        })?,
        Job::Page(p) => Context::from_serialize(&PageVariables {
            page: &site.pages[p],
        })?,
        Job::Data => Context::from_serialize(&DataVariables {
            files: crate::export::data::listed(site),
            unit_fields: data_fields(site.aggregate.is_some(), "unit"),
            notice_fields: data_fields(site.aggregate.is_none(), "notice"),
            issue_fields: data_fields(site.aggregate.is_none(), "issue"),
        })?,
        Job::Units => {
            let aggregate = aggregate_of(site)?;
            Context::from_serialize(&UnitsVariables {
                home: site.home.as_ref(),
                units: aggregate
                    .units
                    .iter()
                    .map(|unit| UnitRow {
                        name: &unit.name,
                        base_url: &unit.base_url,
                        notices: unit.notices,
                        counts: unit.counts,
                        latest: unit.latest,
                    })
                    .collect(),
                totals: aggregate.totals,
                notice_count: aggregate.notices,
                overdue_count: aggregate.overdue.len(),
            })?
        }
        Job::UnitsOverdue(page) => {
            let aggregate = aggregate_of(site)?;
            let first = page * OVERDUE_PER_PAGE;
            let last = (first + OVERDUE_PER_PAGE).min(aggregate.overdue.len());
            Context::from_serialize(&UnitsOverdueVariables {
                rows: (first..last)
                    .map(|index| {
                        let (unit, issue) = aggregate.overdue_issue(index);
                        let (notice_title, notice_url) = unit
                            .notice_links
                            .get(issue.notice)
                            .map_or(("", ""), |(title, url)| (title.as_str(), url.as_str()));
                        OverdueRow {
                            unit: &unit.name,
                            unit_url: &unit.base_url,
                            notice_title,
                            notice_url,
                            issue,
                        }
                    })
                    .collect(),
                total: aggregate.overdue.len(),
                page_number: page + 1,
                pagination: Pagination::new(page, aggregate.overdue_pages(), |p| {
                    Job::UnitsOverdue(p).path(site)
                }),
            })?
        }
        Job::Departments => {
            let aggregate = aggregate_of(site)?;
            Context::from_serialize(&DepartmentsVariables {
                departments: &aggregate.departments,
                left_out: aggregate.departments_left_out,
            })?
        }
        Job::Search | Job::NotFound | Job::Ledger(..) => Context::new(),
    };
    // The 404 page is served at any depth, so its links start from the base URL.
    let root = match job {
        Job::NotFound => site.config.base_path().to_owned(),
        _ => root_of(path),
    };
    context.extend(Context::from_serialize(&EveryPage { root, path })?);
    Ok(context)
}

/// The links between the pages of a list: the first and last page, two on
/// either side of this one, and gaps. Only these are made, so that a list of
/// many pages costs each page the same.
#[derive(Serialize)]
struct Pagination {
    /// 1-based.
    number: usize,
    count: usize,
    previous: Option<String>,
    next: Option<String>,
    links: Vec<PageLink>,
}

/// A numbered link, or a gap (`number` is none).
#[derive(Serialize)]
struct PageLink {
    number: Option<usize>,
    path: Option<String>,
    current: bool,
}

impl Pagination {
    /// For the page at 0-based `page` of `count`, with `path` giving the
    /// path of a 0-based page.
    fn new(page: usize, count: usize, path: impl Fn(usize) -> String) -> Pagination {
        let number = page + 1;
        let mut shown: Vec<usize> = vec![1, count];
        shown.extend(number.saturating_sub(3).max(1)..=(number + 3).min(count));
        shown.sort_unstable();
        shown.dedup();
        let links = shown
            .into_iter()
            .filter_map(|n| {
                let near = n == 1 || n == count || n.abs_diff(number) <= 2;
                if near {
                    Some(PageLink {
                        number: Some(n),
                        path: Some(path(n - 1)),
                        current: n == number,
                    })
                } else {
                    (n.abs_diff(number) == 3).then_some(PageLink {
                        number: None,
                        path: None,
                        current: false,
                    })
                }
            })
            .collect();
        Pagination {
            number,
            count,
            previous: page.checked_sub(1).map(&path),
            next: (number < count).then(|| path(number)),
            links,
        }
    }
}

/// What every page may use: the site, its owner, totals and navigation.
pub(super) fn global_context(site: &Site) -> Context {
    #[derive(Serialize)]
    struct StatusLink {
        key: &'static str,
        label: &'static str,
        path: String,
    }
    #[derive(Serialize)]
    struct PageLink<'a> {
        title: &'a str,
        path: &'a str,
    }
    #[derive(Serialize)]
    struct SiteView<'a> {
        title: &'a str,
        base_url: &'a str,
        domain: &'a str,
        language: &'a str,
        description: Option<&'a str>,
        owner: &'a Owner,
        supervision: &'a Supervision,
        as_of: Date,
        stale_after_days: u32,
        totals: Counts,
        completion: &'a Completion,
        notice_count: usize,
        statuses: Vec<StatusLink>,
        pages: Vec<PageLink<'a>>,
        /// An aggregate portal of other units' sites.
        aggregate: bool,
    }
    let config = &site.config;
    let view = SiteView {
        title: &config.title,
        base_url: &config.base_url,
        domain: config.domain(),
        language: &config.language,
        description: config.description.as_deref(),
        owner: &config.owner,
        supervision: &config.supervision,
        as_of: site.as_of,
        stale_after_days: config.stale_after_days,
        totals: site.totals,
        completion: &site.completion,
        notice_count: site.notices.len(),
        statuses: Status::ALL
            .into_iter()
            .map(|status| StatusLink {
                key: status.key(),
                label: status.label(),
                path: Listing::Status(status).page_path(0),
            })
            .collect(),
        pages: site
            .pages
            .iter()
            .map(|page| PageLink {
                title: &page.title,
                path: &page.path,
            })
            .collect(),
        aggregate: site.aggregate.is_some(),
    };
    let mut context = Context::new();
    context.insert("site", &view);
    context
}

/// A notice without its body and issues, for pages that only refer to it.
#[derive(Serialize)]
pub(super) struct NoticeHead<'a> {
    slug: &'a str,
    path: &'a str,
    #[serde(flatten)]
    front: &'a NoticeFront,
    contact: &'a Supervision,
    counts: Counts,
    inspection_body: Option<&'a str>,
    organization_path: &'a str,
    /// How its issues are numbered (see partials/issue_list.html).
    has_aspects: bool,
    has_items: bool,
}

impl<'a> NoticeHead<'a> {
    pub(super) fn of(notice: &'a Notice) -> Self {
        NoticeHead {
            slug: &notice.slug,
            path: &notice.path,
            front: &notice.front,
            contact: &notice.contact,
            counts: notice.counts,
            inspection_body: notice.front.inspection.body.as_deref(),
            organization_path: &notice.organization_path,
            has_aspects: notice.has_aspects,
            has_items: notice.has_items,
        }
    }
}

#[derive(Serialize)]
struct ListingRow<'a> {
    title: &'a str,
    path: &'a str,
    status: Status,
    status_label: &'static str,
    long_term: bool,
    overdue: bool,
    overdue_days: Option<i64>,
    stale_days: Option<i64>,
    deadline: Option<Date>,
    department: Option<&'a str>,
    notice_title: &'a str,
    notice_path: &'a str,
    /// Its notice's issuing body and date: what tells the notice apart in
    /// a row without repeating its whole title.
    organization: &'a str,
    published: Date,
}

/// How many of the longest overdue or not-updated issues lead their
/// listing's first page.
const LONGEST_ROWS: usize = 20;

/// The rows of a listing from `notices`: their matching issues, the overdue
/// and not-updated ones the longest first (a tie in notice order).
fn listing_rows<'a>(
    listing: Listing,
    notices: impl Iterator<Item = &'a Notice>,
) -> Vec<ListingRow<'a>> {
    let mut rows: Vec<ListingRow> = notices
        .flat_map(|notice| notice.issues.iter().map(move |issue| (notice, issue)))
        .filter(|(_, issue)| listing.includes(issue))
        .map(|(notice, issue)| ListingRow {
            title: &issue.front.title,
            path: &issue.path,
            status: issue.front.status,
            status_label: issue.status_label,
            long_term: issue.front.long_term,
            overdue: issue.overdue,
            overdue_days: issue.overdue_days,
            stale_days: issue.stale_days,
            deadline: issue.front.deadline,
            department: issue.front.department.as_deref(),
            notice_title: &notice.front.title,
            notice_path: &notice.path,
            organization: &notice.front.organization,
            published: notice.front.published,
        })
        .collect();
    match listing {
        Listing::Overdue => rows.sort_by_key(|row| std::cmp::Reverse(row.overdue_days)),
        Listing::Stale => rows.sort_by_key(|row| std::cmp::Reverse(row.stale_days)),
        _ => {}
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(page: usize, count: usize) -> Vec<String> {
        Pagination::new(page, count, |p| format!("p{p}"))
            .links
            .iter()
            .map(|link| match (link.number, link.current) {
                (None, _) => "…".to_owned(),
                (Some(n), true) => format!("[{n}]"),
                (Some(n), false) => n.to_string(),
            })
            .collect()
    }

    #[test]
    fn pagination_shows_the_ends_two_either_side_and_gaps() {
        assert_eq!(
            shown(24, 50),
            ["1", "…", "23", "24", "[25]", "26", "27", "…", "50"]
        );
        assert_eq!(shown(0, 50), ["[1]", "2", "3", "…", "50"]);
        assert_eq!(shown(49, 50), ["1", "…", "48", "49", "[50]"]);
        assert_eq!(shown(3, 7), ["1", "2", "3", "[4]", "5", "6", "7"]);
        assert_eq!(shown(0, 1), ["[1]"]);
        let middle = Pagination::new(24, 50, |p| format!("p{p}"));
        assert_eq!(middle.previous.as_deref(), Some("p23"));
        assert_eq!(middle.next.as_deref(), Some("p25"));
        let last = Pagination::new(49, 50, |p| format!("p{p}"));
        assert_eq!(last.next, None);
    }
}
