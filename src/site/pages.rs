//! The page map: every page of the site, its path, its template and the
//! inputs it shows. The renderer renders it; the sitemap, the link lint and
//! `serve` read it, and `serve` re-renders a page when one of its inputs
//! changed (`site::changes` tells which did).

use crate::model::status::Status;

use super::{Counts, Issue, Notice, Site};

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Home,
    Notice(usize),
    Issue(usize, usize),
    /// A page of a listing; each page holds the issues of a block of
    /// [`NOTICES_PER_LISTING_PAGE`] notices, so that a change to one notice
    /// changes one page of each listing (and the first, which has the total).
    Listing(Listing, usize),
    /// A page of a list of notices: all of them, one body's, one year's.
    Shelf(Shelf, usize),
    /// Every issuing body and year, with counts.
    Organizations,
    Search,
    /// What the open data under `data/` holds, and the ledgers.
    Data,
    /// 网站地图: every section, issuing body, year and page.
    SiteMap,
    Page(usize),
    NotFound,
    /// A notice's ledger (整改台账), made by `export`, not by a template.
    Ledger(usize, LedgerFile),
    /// An aggregate portal's home: every unit's figures.
    Units,
    /// A page of the overdue issues of every unit.
    UnitsOverdue(usize),
    /// Issues by department across units.
    Departments,
}

/// The files of a notice's ledger, beside its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LedgerFile {
    Workbook,
    Csv,
}

impl LedgerFile {
    pub const ALL: [LedgerFile; 2] = [LedgerFile::Workbook, LedgerFile::Csv];

    /// Its file name in the notice's folder.
    pub fn name(self) -> &'static str {
        match self {
            LedgerFile::Workbook => "ledger.xlsx",
            LedgerFile::Csv => "ledger.csv",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            LedgerFile::Workbook => "xlsx",
            LedgerFile::Csv => "csv",
        }
    }
}

/// How many notices the home page shows; the rest are a click away.
pub const HOME_NOTICES: usize = 20;
/// How many notices a page of a notice list holds.
pub const NOTICES_PER_PAGE: usize = 50;

/// A list of notices, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shelf {
    All,
    Organization(usize),
    Year(usize),
}

impl Shelf {
    pub fn notices(self, site: &Site) -> Vec<usize> {
        match self {
            Shelf::All => (0..site.notices.len()).collect(),
            Shelf::Organization(o) => site.organizations[o].notices.clone(),
            Shelf::Year(y) => site.years[y].notices.clone(),
        }
    }

    pub fn title(self, site: &Site) -> String {
        match self {
            Shelf::All => "全部通报".to_owned(),
            Shelf::Organization(o) => site.organizations[o].name.clone(),
            Shelf::Year(y) => format!("{}年整改通报", site.years[y].name),
        }
    }

    pub fn counts(self, site: &Site) -> Counts {
        match self {
            Shelf::All => site.totals,
            Shelf::Organization(o) => site.organizations[o].counts,
            Shelf::Year(y) => site.years[y].counts,
        }
    }

    fn base(self, site: &Site) -> String {
        match self {
            Shelf::All => "notices/".to_owned(),
            Shelf::Organization(o) => site.organizations[o].path.clone(),
            Shelf::Year(y) => site.years[y].path.clone(),
        }
    }

    pub fn page_path(self, site: &Site, page: usize) -> String {
        let base = self.base(site);
        if page == 0 {
            base
        } else {
            format!("{base}page/{}/", page + 1)
        }
    }

    /// The Atom feed of the list, where there is one.
    pub fn feed_path(self, site: &Site) -> Option<String> {
        match self {
            Shelf::All => Some("feed.xml".to_owned()),
            Shelf::Organization(_) => Some(format!("{}feed.xml", self.base(site))),
            Shelf::Year(_) => None,
        }
    }

    /// How many pages the list has.
    pub fn pages(self, site: &Site) -> usize {
        self.notices(site).len().div_ceil(NOTICES_PER_PAGE).max(1)
    }
}

/// How many notices' issues one listing page holds.
pub const NOTICES_PER_LISTING_PAGE: usize = 20;

/// How many pages each listing has.
pub fn listing_pages(site: &Site) -> usize {
    site.notices.len().div_ceil(NOTICES_PER_LISTING_PAGE).max(1)
}

/// The notices whose issues the listing page `page` holds.
pub fn listing_block(site: &Site, page: usize) -> impl Iterator<Item = &Notice> {
    site.notices
        .iter()
        .skip(page * NOTICES_PER_LISTING_PAGE)
        .take(NOTICES_PER_LISTING_PAGE)
}

/// A part of the model that pages show, at the grain `serve` re-renders by.
/// Notices and pages are named by slug, issues by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input<'s> {
    /// The standalone pages' titles and paths, in the navigation of every page.
    Nav,
    /// Which notices there are and in what order: the blocks of the
    /// listings, the pages of the notice lists, their page counts.
    Order,
    /// The counts of all issues and the number of notices.
    Totals,
    /// The home text (`content/_index.md`).
    Home,
    /// Which issuing bodies and years there are.
    GroupList,
    /// An issuing body's or a year's name, notices and counts, by path.
    Group(&'s str),
    /// What pages that refer to a notice show of it: its front matter,
    /// contact, counts and paths.
    NoticeHead(&'s str),
    /// What the listings show of a notice: its head and its issues without their bodies.
    Listed(&'s str),
    /// Everything of a notice: its own page.
    Notice(&'s str),
    /// Which issues a notice has, in what order: who neighbours whom.
    IssueList(&'s str),
    /// Everything of an issue, by its path: its page and its neighbours'.
    Issue(&'s str),
    /// A standalone page, by slug.
    Page(&'s str),
    /// An aggregate portal's units.
    Units,
}

/// A list of issues across the portal: those of one status, or the overdue ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Listing {
    Status(Status),
    Overdue,
    /// Not completed and not updated for `stale_after_days`.
    Stale,
    LongTerm,
}

impl Listing {
    /// Whether page `page` of this listing opens with the issues that are
    /// the longest overdue or not updated across the portal: its first page,
    /// when the listing has more than one (a page lists the issues of a
    /// block of notices, so that an edit re-renders one page).
    pub fn leads_with_longest(self, site: &Site, page: usize) -> bool {
        matches!(self, Listing::Overdue | Listing::Stale) && page == 0 && listing_pages(site) > 1
    }

    pub const ALL: [Listing; 6] = [
        Listing::Status(Status::Completed),
        Listing::Status(Status::Partial),
        Listing::Status(Status::InProgress),
        Listing::Overdue,
        Listing::Stale,
        Listing::LongTerm,
    ];

    pub fn includes(self, issue: &Issue) -> bool {
        match self {
            Listing::Status(status) => issue.front.status == status,
            Listing::Overdue => issue.overdue,
            Listing::Stale => issue.stale_days.is_some(),
            Listing::LongTerm => issue.front.long_term,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Listing::Status(status) => status.key(),
            Listing::Overdue => "overdue",
            Listing::Stale => "stale",
            Listing::LongTerm => "long-term",
        }
    }

    pub fn title(self) -> String {
        match self {
            Listing::Status(status) => format!("{}的问题", status.label()),
            Listing::Overdue => "逾期未完成的问题".to_owned(),
            Listing::Stale => "长时间未更新进展的问题".to_owned(),
            Listing::LongTerm => "需长期坚持的问题".to_owned(),
        }
    }

    pub fn total(self, site: &Site) -> usize {
        match self {
            Listing::Status(status) => site.totals.count(status),
            Listing::Overdue => site.totals.overdue,
            Listing::Stale => site.totals.stale,
            Listing::LongTerm => site.totals.long_term,
        }
    }

    /// `status/completed/` for the first page, `status/completed/page/2/` after.
    pub fn page_path(self, page: usize) -> String {
        let base = match self {
            Listing::Status(status) => format!("status/{}/", status.key()),
            Listing::Overdue | Listing::Stale | Listing::LongTerm => format!("{}/", self.key()),
        };
        if page == 0 {
            base
        } else {
            format!("{base}page/{}/", page + 1)
        }
    }
}

impl Job {
    /// Every page of `site`.
    pub fn all(site: &Site) -> Vec<Job> {
        if let Some(aggregate) = &site.aggregate {
            let mut jobs = vec![
                Job::Units,
                Job::NotFound,
                Job::Departments,
                Job::Data,
                Job::SiteMap,
            ];
            jobs.extend((0..aggregate.overdue_pages()).map(Job::UnitsOverdue));
            jobs.extend((0..site.pages.len()).map(Job::Page));
            return jobs;
        }
        let mut jobs = vec![
            Job::Home,
            Job::NotFound,
            Job::Organizations,
            Job::Search,
            Job::Data,
            Job::SiteMap,
        ];
        let shelves = std::iter::once(Shelf::All)
            .chain((0..site.organizations.len()).map(Shelf::Organization))
            .chain((0..site.years.len()).map(Shelf::Year));
        for shelf in shelves {
            jobs.extend((0..shelf.pages(site)).map(|page| Job::Shelf(shelf, page)));
        }
        for listing in Listing::ALL {
            jobs.extend((0..listing_pages(site)).map(|page| Job::Listing(listing, page)));
        }
        jobs.extend((0..site.pages.len()).map(Job::Page));
        for (n, notice) in site.notices.iter().enumerate() {
            jobs.push(Job::Notice(n));
            jobs.extend((0..notice.issues.len()).map(|i| Job::Issue(n, i)));
            jobs.extend(LedgerFile::ALL.map(|file| Job::Ledger(n, file)));
        }
        jobs
    }

    /// The template that renders this page; `None` for a file `export` makes.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            Job::Home => "index.html",
            Job::Notice(_) => "notice.html",
            Job::Issue(..) => "issue.html",
            Job::Listing(..) => "listing.html",
            Job::Shelf(..) => "notices.html",
            Job::Organizations => "organizations.html",
            Job::Search => "search.html",
            Job::Data => "data.html",
            Job::SiteMap => "sitemap.html",
            Job::Page(_) => "page.html",
            Job::NotFound => "404.html",
            Job::Ledger(..) => return None,
            Job::Units => "units.html",
            Job::UnitsOverdue(_) => "units_overdue.html",
            Job::Departments => "departments.html",
        })
    }

    /// Whether it is an HTML page (the ledgers are not).
    pub fn is_html(&self) -> bool {
        self.template().is_some()
    }

    /// What the page shows besides its template and the site's settings:
    /// the parts of the model whose change re-renders it. Everything its
    /// template variables hold is covered, so that a page not re-rendered
    /// is the page a fresh build would make. The portal-wide totals every
    /// template can read as `site.totals` are not listed here: a page
    /// depends on them when its template prints them (`serve` asks the
    /// renderer), and through [`Input::Totals`] when its own variables do.
    pub fn inputs<'s>(&self, site: &'s Site) -> Vec<Input<'s>> {
        let mut inputs = vec![Input::Nav];
        match *self {
            Job::Home => {
                inputs.extend([Input::Home, Input::Order, Input::GroupList]);
                inputs.extend(
                    site.notices
                        .iter()
                        .take(HOME_NOTICES)
                        .map(|notice| Input::NoticeHead(&notice.slug)),
                );
                inputs.extend(site.years.iter().map(|year| Input::Group(&year.path)));
            }
            Job::Shelf(shelf, page) => {
                inputs.push(Input::Order);
                inputs.push(match shelf {
                    Shelf::All => Input::Totals,
                    Shelf::Organization(o) => Input::Group(&site.organizations[o].path),
                    Shelf::Year(y) => Input::Group(&site.years[y].path),
                });
                inputs.extend(
                    shelf
                        .notices(site)
                        .into_iter()
                        .skip(page * NOTICES_PER_PAGE)
                        .take(NOTICES_PER_PAGE)
                        .map(|n| Input::NoticeHead(&site.notices[n].slug)),
                );
            }
            Job::Organizations | Job::SiteMap => {
                inputs.push(Input::GroupList);
                inputs.extend(
                    site.organizations
                        .iter()
                        .chain(&site.years)
                        .map(|group| Input::Group(&group.path)),
                );
            }
            Job::Listing(listing, page) => {
                inputs.push(Input::Order);
                if page == 0 {
                    inputs.push(Input::Totals);
                }
                if listing.leads_with_longest(site, page) {
                    // Its lead table ranks the issues of every notice.
                    inputs.extend(
                        site.notices
                            .iter()
                            .map(|notice| Input::Listed(&notice.slug)),
                    );
                } else {
                    inputs.extend(
                        listing_block(site, page).map(|notice| Input::Listed(&notice.slug)),
                    );
                }
            }
            Job::Notice(n) => inputs.push(Input::Notice(&site.notices[n].slug)),
            Job::Issue(n, i) => {
                let notice = &site.notices[n];
                inputs.extend([
                    Input::NoticeHead(&notice.slug),
                    Input::IssueList(&notice.slug),
                ]);
                inputs.extend(
                    notice.issues[i.saturating_sub(1)..notice.issues.len().min(i + 2)]
                        .iter()
                        .map(|issue| Input::Issue(&issue.path)),
                );
            }
            Job::Page(p) => inputs.push(Input::Page(&site.pages[p].slug)),
            Job::Search | Job::NotFound | Job::Data => {}
            Job::Units | Job::UnitsOverdue(_) | Job::Departments => {
                inputs.extend([Input::Home, Input::Units]);
            }
            // A ledger shows its notice and nothing of the site's frame.
            Job::Ledger(n, _) => return vec![Input::Notice(&site.notices[n].slug)],
        }
        inputs
    }

    /// The path of the page's file from the root (`notices/a/index.html`).
    pub fn file(&self, site: &Site) -> String {
        file_of(&self.path(site))
    }

    /// The page's path from the root: a folder (`notices/a/`) or, for the 404 page, a file.
    pub fn path(&self, site: &Site) -> String {
        match self {
            Job::Home => String::new(),
            Job::Notice(n) => site.notices[*n].path.clone(),
            Job::Issue(n, i) => site.notices[*n].issues[*i].path.clone(),
            Job::Listing(listing, page) => listing.page_path(*page),
            Job::Shelf(shelf, page) => shelf.page_path(site, *page),
            Job::Organizations => "organizations/".to_owned(),
            Job::Search => "search/".to_owned(),
            Job::Data => "data/".to_owned(),
            Job::SiteMap => "sitemap/".to_owned(),
            Job::Page(p) => site.pages[*p].path.clone(),
            Job::NotFound => "404.html".to_owned(),
            Job::Ledger(n, file) => format!("{}{}", site.notices[*n].path, file.name()),
            Job::Units => String::new(),
            Job::UnitsOverdue(0) => "units/overdue/".to_owned(),
            Job::UnitsOverdue(page) => format!("units/overdue/page/{}/", page + 1),
            Job::Departments => "units/departments/".to_owned(),
        }
    }
}

/// The file of a page at `path`: `index.html` in a folder (`notices/a/`,
/// or the root), or the file itself (the 404 page, a ledger).
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}
