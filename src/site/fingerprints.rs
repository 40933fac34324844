//! Fingerprints of the page map's inputs: a hash of what each input holds,
//! so that a page's fingerprint (its inputs', its template's and the
//! site's settings') changes whenever something it shows may have. A build
//! can compare them with the ones the last build recorded, where `serve`
//! compares the model itself (`site::changes`).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::pages::{Input, Job};
use super::{Issue, Notice, Site};

/// The hash of every input of a site's pages, by the input's own hash.
#[derive(Debug, Default)]
pub struct Fingerprints {
    inputs: HashMap<u64, u64>,
}

/// Gathers the bytes a value feeds its `Hash` and hashes them in one pass
/// at the end: records are hundreds of small fields, and xxh3's streaming
/// state pays a call and a copy into its buffer for each of them.
#[derive(Default)]
pub struct OneShotHasher(Vec<u8>);

impl Hasher for OneShotHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(&self.0)
    }
}

/// The stable 64-bit hash of `value` (the same in every run of the same
/// program, unlike a `HashMap`'s).
pub fn hash_of(value: &(impl Hash + ?Sized)) -> u64 {
    let mut hasher = OneShotHasher(Vec::with_capacity(256));
    value.hash(&mut hasher);
    hasher.finish()
}

fn key(input: &Input<'_>) -> u64 {
    hash_of(input)
}

impl Fingerprints {
    /// Hashes every input of `site` (its notices in parallel).
    pub fn of(site: &Site) -> Fingerprints {
        let mut inputs: HashMap<u64, u64> = site
            .notices
            .par_iter()
            .map(notice_inputs)
            .flatten()
            .collect();
        let mut add = |input: Input<'_>, value: u64| {
            inputs.insert(key(&input), value);
        };
        let nav: Vec<(&str, &str)> = site
            .pages
            .iter()
            .map(|page| (page.title.as_str(), page.path.as_str()))
            .collect();
        add(Input::Nav, hash_of(&nav));
        let order: Vec<&str> = site.notices.iter().map(|n| n.slug.as_str()).collect();
        add(Input::Order, hash_of(&order));
        add(
            Input::Totals,
            hash_of(&(site.totals, &site.completion, site.notices.len())),
        );
        add(Input::Home, hash_of(&site.home));
        add(Input::Units, hash_of(&site.aggregate));
        let groups = site.organizations.iter().chain(&site.years);
        let paths: Vec<&str> = groups.clone().map(|g| g.path.as_str()).collect();
        add(Input::GroupList, hash_of(&paths));
        for group in groups {
            add(Input::Group(&group.path), hash_of(group));
        }
        for page in &site.pages {
            add(Input::Page(&page.slug), hash_of(page));
        }
        Fingerprints { inputs }
    }

    /// The fingerprint of the page `job`: its path, its inputs' hashes, and
    /// `setting`, the hash of what every page of its template depends on
    /// besides its inputs (the template and those it uses, the site's
    /// settings, the program's version, the totals where it prints them).
    pub fn page(&self, job: &Job, site: &Site, setting: u64) -> u64 {
        let mut hasher = OneShotHasher::default();
        setting.hash(&mut hasher);
        job.path(site).hash(&mut hasher);
        for input in job.inputs(site) {
            // An input without a fingerprint cannot be told unchanged.
            let value = self.inputs.get(&key(&input)).copied();
            (key(&input), value).hash(&mut hasher);
        }
        hasher.finish()
    }
}

/// The inputs a notice holds, with their hashes.
fn notice_inputs(notice: &Notice) -> Vec<(u64, u64)> {
    let slug = notice.slug.as_str();
    let head = hash_of(&notice.head());
    let issues: Vec<u64> = notice.issues.iter().map(hash_of).collect();
    let listed = hash_of(&(
        head,
        notice.issues.iter().map(Issue::listed).collect::<Vec<_>>(),
    ));
    let paths: Vec<&str> = notice.issues.iter().map(|i| i.path.as_str()).collect();
    let mut inputs = vec![
        (key(&Input::NoticeHead(slug)), head),
        (key(&Input::Listed(slug)), listed),
        (key(&Input::Notice(slug)), hash_of(notice)),
        (key(&Input::IssueList(slug)), hash_of(&paths)),
    ];
    inputs.extend(
        notice
            .issues
            .iter()
            .zip(issues)
            .map(|(issue, hash)| (key(&Input::Issue(&issue.path)), hash)),
    );
    inputs
}
