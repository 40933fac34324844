//! The page map: every page of the site, its path and its template. The
//! renderer renders it; the sitemap, the link lint and `serve` read it.

use crate::status::Status;

use super::{Counts, Issue, Site};

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
    Page(usize),
    NotFound,
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
            Shelf::All => "全部整改通报".to_owned(),
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

/// The listing page that shows the issues of the notice at `position`.
pub fn listing_page_of(position: usize) -> usize {
    position / NOTICES_PER_LISTING_PAGE
}

/// A list of issues across the portal: those of one status, or the overdue ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Listing {
    Status(Status),
    Overdue,
}

impl Listing {
    pub const ALL: [Listing; 4] = [
        Listing::Status(Status::Completed),
        Listing::Status(Status::Partial),
        Listing::Status(Status::InProgress),
        Listing::Overdue,
    ];

    pub fn includes(self, issue: &Issue) -> bool {
        match self {
            Listing::Status(status) => issue.front.status == status,
            Listing::Overdue => issue.overdue,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Listing::Status(status) => status.key(),
            Listing::Overdue => "overdue",
        }
    }

    pub fn title(self) -> String {
        match self {
            Listing::Status(status) => format!("{}的问题", status.label()),
            Listing::Overdue => "逾期未完成的问题".to_owned(),
        }
    }

    pub fn total(self, site: &Site) -> usize {
        match self {
            Listing::Status(status) => site.totals.count(status),
            Listing::Overdue => site.totals.overdue,
        }
    }

    /// `status/completed/` for the first page, `status/completed/page/2/` after.
    pub fn page_path(self, page: usize) -> String {
        let base = match self {
            Listing::Status(status) => format!("status/{}/", status.key()),
            Listing::Overdue => "overdue/".to_owned(),
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
        let mut jobs = vec![Job::Home, Job::NotFound, Job::Organizations, Job::Search];
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
        }
        jobs
    }

    /// The template that renders this page.
    pub fn template(&self) -> &'static str {
        match self {
            Job::Home => "index.html",
            Job::Notice(_) => "notice.html",
            Job::Issue(..) => "issue.html",
            Job::Listing(..) => "listing.html",
            Job::Shelf(..) => "notices.html",
            Job::Organizations => "organizations.html",
            Job::Search => "search.html",
            Job::Page(_) => "page.html",
            Job::NotFound => "404.html",
        }
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
            Job::Page(p) => site.pages[*p].path.clone(),
            Job::NotFound => "404.html".to_owned(),
        }
    }
}

/// The file of a page at `path`: `index.html` in a folder, or the file
/// itself (the 404 page).
pub fn file_of(path: &str) -> String {
    if path.ends_with(".html") {
        path.to_owned()
    } else {
        format!("{path}index.html")
    }
}
