//! What an edit changed in the model, as the page map's inputs: `serve`
//! compares the old and new versions of what it reloaded and re-renders the
//! pages whose inputs ([`Job::inputs`]) are among the changes.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::BuildHasher;

use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use super::completion::Completion;
use super::pages::{Input, Job};
use super::{Counts, Group, Issue, Notice, Page, Site};

/// The changed inputs. They are kept as hashes so that a page's inputs,
/// which borrow from the model, are looked up without copying; two inputs
/// sharing a hash would only cost a page rendered for nothing.
#[derive(Debug, Default)]
pub struct Changes {
    everything: bool,
    reshaped: bool,
    inputs: HashSet<u64>,
}

/// What of a site decides which pages it has and what the lists count: the
/// order of the notices, the groups, the totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    order: Vec<String>,
    groups: BTreeMap<String, Group>,
    totals: Counts,
    completion: Completion,
}

impl Outline {
    pub fn of(site: &Site) -> Outline {
        Outline {
            order: site.notices.iter().map(|n| n.slug.clone()).collect(),
            groups: site
                .organizations
                .iter()
                .chain(&site.years)
                .map(|group| (group.path.clone(), group.clone()))
                .collect(),
            totals: site.totals,
            completion: site.completion.clone(),
        }
    }
}

impl Changes {
    /// Every input, every page.
    pub fn everything() -> Changes {
        Changes {
            everything: true,
            reshaped: true,
            ..Changes::default()
        }
    }

    pub fn is_everything(&self) -> bool {
        self.everything
    }

    /// Whether pages may have appeared or disappeared.
    pub fn reshaped(&self) -> bool {
        self.reshaped
    }

    /// Whether the portal-wide totals changed.
    pub fn totals(&self) -> bool {
        self.everything || self.contains(Input::Totals)
    }

    pub fn contains(&self, input: Input<'_>) -> bool {
        self.inputs.contains(&key(&input))
    }

    /// Whether the page `job` of `site` shows something that changed.
    pub fn affect(&self, job: &Job, site: &Site) -> bool {
        self.everything
            || job
                .inputs(site)
                .into_iter()
                .any(|input| self.contains(input))
    }

    /// The pages of `jobs` that show something that changed, or whose
    /// template is one of `templates`. The same as filtering with
    /// [`Changes::affect`], without asking each of a notice's pages for its
    /// inputs when nothing of the notice changed: whatever changed in a
    /// notice, [`Changes::notice`] names the notice.
    pub fn affected(&self, site: &Site, jobs: &[Job], templates: &BTreeSet<&str>) -> Vec<Job> {
        let mut notice_changed: Vec<Option<bool>> = vec![None; site.notices.len()];
        let nav = self.contains(Input::Nav);
        jobs.iter()
            .filter(|job| {
                job.template().is_some_and(|t| templates.contains(t))
                    || match job {
                        Job::Notice(n) | Job::Issue(n, _) if !self.everything && !nav => {
                            *notice_changed[*n].get_or_insert_with(|| {
                                self.contains(Input::Notice(&site.notices[*n].slug))
                            }) && self.affect(job, site)
                        }
                        _ => self.affect(job, site),
                    }
            })
            .copied()
            .collect()
    }

    fn add(&mut self, input: Input<'_>) {
        self.inputs.insert(key(&input));
    }

    /// The order, groups and totals of `after` against `before`.
    pub fn outline(&mut self, before: &Outline, after: &Outline) {
        if before.order != after.order {
            self.add(Input::Order);
            self.reshaped = true;
        }
        if before.totals != after.totals
            || before.completion != after.completion
            || before.order.len() != after.order.len()
        {
            self.add(Input::Totals);
        }
        if !before.groups.keys().eq(after.groups.keys()) {
            self.add(Input::GroupList);
            self.reshaped = true;
        }
        let paths: BTreeSet<&String> = before.groups.keys().chain(after.groups.keys()).collect();
        for path in paths {
            if before.groups.get(path) != after.groups.get(path) {
                self.add(Input::Group(path));
            }
        }
    }

    /// One notice, before and after (`None` where it does not exist).
    pub fn notice(&mut self, old: Option<&Notice>, new: Option<&Notice>) {
        let Some(slug) = new.or(old).map(|notice| notice.slug.as_str()) else {
            return;
        };
        if old == new {
            return;
        }
        self.add(Input::Notice(slug));
        let mut listed = match (old, new) {
            (Some(old), Some(new)) => !same_head(old, new),
            _ => true,
        };
        if listed {
            self.add(Input::NoticeHead(slug));
        }
        if !issue_paths(old).eq(issue_paths(new)) {
            self.add(Input::IssueList(slug));
            self.reshaped = true;
            listed = true;
        }
        let (before, after) = (issues_by_path(old), issues_by_path(new));
        for path in before.keys().chain(after.keys()) {
            let (was, is) = (before.get(path), after.get(path));
            if was != is {
                self.add(Input::Issue(path));
                listed |= was.map(|i| i.listed()) != is.map(|i| i.listed());
            }
        }
        if listed {
            self.add(Input::Listed(slug));
        }
    }

    /// The standalone pages, before and after.
    pub fn pages(&mut self, old: &[Page], new: &[Page]) {
        let nav = |pages: &[Page]| -> Vec<(String, String)> {
            pages
                .iter()
                .map(|page| (page.title.clone(), page.path.clone()))
                .collect()
        };
        if nav(old) != nav(new) {
            self.add(Input::Nav);
        }
        let slugs = |pages: &[Page]| {
            pages
                .iter()
                .map(|p| p.slug.clone())
                .collect::<BTreeSet<_>>()
        };
        if slugs(old) != slugs(new) {
            self.reshaped = true;
        }
        for page in old.iter().chain(new) {
            let find = |pages: &[Page]| pages.iter().find(|p| p.slug == page.slug).cloned();
            if find(old) != find(new) {
                self.add(Input::Page(&page.slug));
            }
        }
    }

    /// The home text, before and after.
    pub fn home(&mut self, old: Option<&Page>, new: Option<&Page>) {
        if old != new {
            self.add(Input::Home);
        }
    }
}

fn key(input: &Input<'_>) -> u64 {
    Xxh3DefaultBuilder.hash_one(input)
}

fn issue_paths(notice: Option<&Notice>) -> impl Iterator<Item = &String> {
    notice
        .into_iter()
        .flat_map(|notice| &notice.issues)
        .map(|issue| &issue.path)
}

fn issues_by_path(notice: Option<&Notice>) -> BTreeMap<&str, &Issue> {
    notice
        .into_iter()
        .flat_map(|notice| &notice.issues)
        .map(|issue| (issue.path.as_str(), issue))
        .collect()
}

/// Whether two versions of a notice show the same to pages that refer to
/// it (`Input::NoticeHead`).
fn same_head(old: &Notice, new: &Notice) -> bool {
    old.head() == new.head()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::config::Config;
    use crate::load::content::{Content, NoticeSource};
    use crate::model::date::Date;
    use crate::model::source_file::SourceFile;
    use crate::model::status::Status;
    use crate::site::fingerprints::Fingerprints;
    use crate::site::pages::{LedgerFile, Listing, Shelf};
    use crate::site::tests::{issue, notice};

    const SITE_YAML: &str = "title: 测试\nbase_url: /\nowner: { name: 测试委员会 }\nsupervision: { phone: 0000-00000000 }\n";

    fn as_of() -> Date {
        Date::new(2025, 10, 1).expect("date")
    }

    /// Three notices `a`, `b`, `c` (newest last), of two bodies, three issues each.
    fn sources() -> Vec<NoticeSource> {
        ["a", "b", "c"]
            .into_iter()
            .enumerate()
            .map(|(n, slug)| {
                let issues = ["1-x", "2-y", "3-z"]
                    .into_iter()
                    .map(|i| issue(i, Some("一"), None, Status::InProgress, None))
                    .collect();
                let mut source = notice(issues);
                source.slug = slug.to_owned();
                source.front.published = Date::new(2025, 3, n as u32 + 1).expect("date");
                if slug == "c" {
                    source.front.organization = "中共另一医院委员会".to_owned();
                }
                source
            })
            .collect()
    }

    fn site(notices: Vec<NoticeSource>) -> Site {
        let config = Config::parse(Path::new("site.yaml"), SITE_YAML).expect("site.yaml");
        let content = Content {
            notices,
            ..Content::default()
        };
        Site::assemble(config, content, as_of(), Default::default())
    }

    /// An edit of a notice's sources.
    type Edit = fn(&mut NoticeSource);

    /// What changing notice `slug` with `edit` (or removing it, with
    /// `None`) changes, and the pages that show it.
    fn change(slug: &str, edit: Option<Edit>) -> (Changes, Site, Vec<Job>) {
        let mut site = site(sources());
        let source = edit.map(|edit| {
            let mut source = sources()
                .into_iter()
                .find(|n| n.slug == slug)
                .expect("notice");
            edit(&mut source);
            source
        });
        let outline = Outline::of(&site);
        let old = site.replace_notice(slug, source);
        let mut changes = Changes::default();
        let new = site.position(slug).map(|n| &site.notices[n]);
        changes.notice(old.as_ref(), new);
        changes.outline(&outline, &Outline::of(&site));
        let jobs = Job::all(&site)
            .into_iter()
            .filter(|job| changes.affect(job, &site))
            .collect();
        (changes, site, jobs)
    }

    /// The pages whose fingerprint differs from the page at the same path
    /// before `edit`, and the pages [`Changes::affected`] names: the two
    /// ways of telling what an edit changed must agree.
    fn both_ways(slug: &str, edit: Option<Edit>) -> (Vec<Job>, Vec<Job>) {
        let before = site(sources());
        let fingerprints = Fingerprints::of(&before);
        let old: std::collections::HashMap<String, u64> = Job::all(&before)
            .iter()
            .map(|job| (job.path(&before), fingerprints.page(job, &before, 0)))
            .collect();
        let (changes, after, _) = change(slug, edit);
        let fingerprints = Fingerprints::of(&after);
        let all = Job::all(&after);
        let by_fingerprint = all
            .iter()
            .filter(|job| old.get(&job.path(&after)) != Some(&fingerprints.page(job, &after, 0)))
            .copied()
            .collect();
        (
            by_fingerprint,
            changes.affected(&after, &all, &BTreeSet::new()),
        )
    }

    #[test]
    fn fingerprints_change_for_the_pages_the_changes_name() {
        let edits: [(&str, Option<Edit>); 6] = [
            (
                "b",
                Some(|n| n.issues[1].body.text = "一是全面整改。".into()),
            ),
            ("b", Some(|n| n.issues[0].front.status = Status::Completed)),
            ("a", Some(|n| n.front.title = "新标题".into())),
            (
                "a",
                Some(|n| {
                    n.issues
                        .push(issue("4-w", Some("一"), None, Status::InProgress, None))
                }),
            ),
            ("c", None),
            ("a", Some(|_| {})),
        ];
        for (n, (slug, edit)) in edits.into_iter().enumerate() {
            let (by_fingerprint, by_changes) = both_ways(slug, edit);
            assert_eq!(by_fingerprint, by_changes, "edit {n} of {slug}");
            assert_eq!(by_changes.is_empty(), n == 5, "edit {n} of {slug}");
        }
    }

    fn issue_path(site: &Site, slug: &str, issue: usize) -> String {
        let n = site.position(slug).expect("notice");
        site.notices[n].issues[issue].path.clone()
    }

    #[test]
    fn an_issue_body_changes_its_page_its_neighbours_and_its_notice_only() {
        let (changes, site, jobs) = change(
            "b",
            Some(|n| n.issues[1].body.text = "一是全面整改。".into()),
        );
        let b = site.position("b").expect("b");
        assert!(changes.contains(Input::Issue(&issue_path(&site, "b", 1))));
        for kept in [
            Input::Listed("b"),
            Input::NoticeHead("b"),
            Input::IssueList("b"),
        ] {
            assert!(!changes.contains(kept), "{kept:?}");
        }
        assert!(!changes.totals() && !changes.reshaped());
        assert_eq!(
            jobs,
            [
                Job::Notice(b),
                Job::Issue(b, 0),
                Job::Issue(b, 1),
                Job::Issue(b, 2),
                Job::Ledger(b, LedgerFile::Workbook),
                Job::Ledger(b, LedgerFile::Csv),
            ]
        );
    }

    #[test]
    fn a_status_changes_the_counts_every_list_and_listing_shows() {
        let (changes, site, jobs) =
            change("b", Some(|n| n.issues[0].front.status = Status::Completed));
        assert!(changes.contains(Input::Listed("b")));
        assert!(changes.contains(Input::NoticeHead("b")), "its counts");
        assert!(changes.totals());
        assert!(!changes.reshaped());
        let body = site
            .organizations
            .iter()
            .position(|group| group.name == "中共某某医院委员会")
            .expect("b's body");
        assert!(changes.contains(Input::Group(&site.organizations[body].path)));
        for page in [
            Job::Home,
            Job::Organizations,
            Job::Shelf(Shelf::All, 0),
            Job::Shelf(Shelf::Organization(body), 0),
            Job::Listing(Listing::Status(Status::Completed), 0),
            Job::Listing(Listing::Overdue, 0),
        ] {
            assert!(jobs.contains(&page), "{page:?} is not rendered again");
        }
        assert!(!jobs.contains(&Job::Search) && !jobs.contains(&Job::NotFound));
        // The other body's notice and list show nothing that changed.
        let c = site.position("c").expect("c");
        assert!(!jobs.contains(&Job::Notice(c)));
        assert!(!jobs.contains(&Job::Shelf(Shelf::Organization(1 - body), 0)));
    }

    #[test]
    fn an_issue_added_changes_every_issue_page_of_its_notice_and_the_map() {
        let (changes, site, jobs) = change(
            "a",
            Some(|n| {
                n.issues
                    .push(issue("4-w", Some("一"), None, Status::InProgress, None))
            }),
        );
        let a = site.position("a").expect("a");
        assert!(changes.contains(Input::IssueList("a")));
        assert!(changes.reshaped());
        assert!((0..4).all(|i| jobs.contains(&Job::Issue(a, i))));
    }

    #[test]
    fn a_notice_removed_changes_the_order_and_a_body_that_goes_with_it() {
        let (changes, site, jobs) = change("c", None);
        assert!(changes.contains(Input::Order));
        assert!(
            changes.contains(Input::GroupList),
            "its body had no other notice"
        );
        assert!(changes.reshaped());
        assert_eq!(site.organizations.len(), 1);
        assert!(jobs.contains(&Job::Organizations));
    }

    #[test]
    fn the_same_notice_again_changes_nothing() {
        let (changes, _, jobs) = change("a", Some(|_| {}));
        assert!(jobs.is_empty(), "{jobs:?}");
        assert!(!changes.totals() && !changes.reshaped());
    }

    #[test]
    fn a_page_retitled_changes_the_navigation_of_every_page() {
        let site = site(sources());
        let page = |title: &str| Page {
            slug: "about".into(),
            path: "about/".into(),
            title: title.into(),
            order: None,
            body: String::new(),
            source: SourceFile("about.md".into()),
        };
        let mut changes = Changes::default();
        changes.pages(&[page("关于")], &[page("关于我们")]);
        assert!(changes.contains(Input::Nav));
        // Every page shows the navigation; a ledger shows none.
        assert!(
            Job::all(&site)
                .iter()
                .all(|job| changes.affect(job, &site) == job.is_html())
        );
        let mut changes = Changes::default();
        let mut body = page("关于");
        body.body = "<p>新</p>".into();
        changes.pages(&[page("关于")], &[body]);
        assert!(changes.contains(Input::Page("about")) && !changes.contains(Input::Nav));
    }
}
