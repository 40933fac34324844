//! Fingerprints of the page map's inputs: a hash of what each input holds,
//! so that a page's fingerprint (its inputs', its template's and the
//! site's settings') changes whenever something it shows may have. A build
//! can compare them with the ones the last build recorded, where `serve`
//! compares the model itself (`site::changes`).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3Default, Xxh3DefaultBuilder};

use super::pages::{Input, Job};
use super::{Issue, Notice, Site};

/// The hash of every input of a site's pages, by the input's own hash.
#[derive(Debug, Default)]
pub struct Fingerprints {
    inputs: HashMap<u64, u64>,
}

fn hash_of(value: &impl Hash) -> u64 {
    Xxh3DefaultBuilder.hash_one(value)
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
        let mut hasher = Xxh3Default::new();
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
    let head = hash_of(&(
        &notice.front,
        &notice.contact,
        notice.counts,
        &notice.path,
        &notice.organization_path,
    ));
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
