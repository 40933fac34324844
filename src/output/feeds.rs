//! Atom feeds: one for the portal, one per issuing body.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{FixedOffset, NaiveTime};

use crate::model::date::Date;
use crate::model::status::Status;
use crate::site::{Issue, Notice, Site};

/// How many status changes a feed carries, the newest: a reader wants what
/// is new, and every completion of a large portal would be megabytes.
const MAX_CHANGES: usize = 100;

/// Midnight in China (UTC+8) on `date`: notices carry a date, feeds want a time.
fn moment(date: Date) -> FixedDateTime {
    let china =
        FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"));
    date.naive()
        .and_time(NaiveTime::MIN)
        .and_local_timezone(china)
        .single()
        .unwrap_or_default()
}

fn link(href: String, rel: &str) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        ..Link::default()
    }
}

fn entry(site: &Site, notice: &Notice) -> Entry {
    let url = format!("{}{}", site.config.base_url, notice.path);
    let counts = &notice.counts;
    let summary = format!(
        "{}。共{}条问题：已完成{}条，基本完成{}条，整改中{}条；长期坚持{}条，逾期{}条。",
        notice.front.organization,
        counts.total,
        counts.completed,
        counts.partial,
        counts.in_progress,
        counts.long_term,
        counts.overdue
    );
    Entry {
        id: url.clone(),
        title: Text::plain(notice.front.title.clone()),
        updated: moment(notice.front.published),
        published: Some(moment(notice.front.published)),
        authors: vec![Person {
            name: notice.front.organization.clone(),
            ..Person::default()
        }],
        links: vec![link(url, "alternate")],
        summary: Some(Text::plain(summary)),
        ..Entry::default()
    }
}

/// A change of an issue's status: a progress step that gives one, or its
/// completion date.
struct Change<'s> {
    date: Date,
    status: Status,
    note: Option<&'s str>,
    /// Which of the issue's changes it is, for the entry's id.
    anchor: String,
    notice: &'s Notice,
    issue: &'s Issue,
}

/// The [`MAX_CHANGES`] newest status changes of the issues of `notices`,
/// newest first.
fn changes<'s>(notices: &[&'s Notice]) -> Vec<Change<'s>> {
    let mut changes = Vec::new();
    for &notice in notices {
        for issue in &notice.issues {
            for (index, step) in issue.steps.iter().enumerate() {
                if let Some(status) = step.status {
                    changes.push(Change {
                        date: step.date,
                        status,
                        note: step.note_text.as_deref(),
                        anchor: format!("progress-{}", index + 1),
                        notice,
                        issue,
                    });
                }
            }
            let told = |date: Date| {
                issue
                    .steps
                    .iter()
                    .any(|step| step.date == date && step.status == Some(Status::Completed))
            };
            if let Some(completed) = issue.front.completed.filter(|&date| !told(date)) {
                changes.push(Change {
                    date: completed,
                    status: Status::Completed,
                    note: None,
                    anchor: "completed".to_owned(),
                    notice,
                    issue,
                });
            }
        }
    }
    changes.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.issue.path.cmp(&b.issue.path))
            .then_with(|| a.anchor.cmp(&b.anchor))
    });
    changes.truncate(MAX_CHANGES);
    changes
}

fn change_entry(site: &Site, change: &Change) -> Entry {
    let url = format!("{}{}", site.config.base_url, change.issue.path);
    let mut summary = format!(
        "{}：{}{}。",
        change.notice.front.title,
        change.date.chinese(),
        change.status.label()
    );
    if let Some(note) = change.note {
        summary.push_str(note);
    }
    Entry {
        id: format!("{url}#{}", change.anchor),
        title: Text::plain(format!(
            "{}：{}",
            change.issue.front.title,
            change.status.label()
        )),
        updated: moment(change.date),
        authors: vec![Person {
            name: change.notice.front.organization.clone(),
            ..Person::default()
        }],
        links: vec![link(url, "alternate")],
        summary: Some(Text::plain(summary)),
        ..Entry::default()
    }
}

/// The feed of `notices` (newest first) and the newest changes of their
/// issues' statuses, published at `path` under the base URL.
fn feed(site: &Site, title: String, path: &str, page: &str, notices: &[&Notice]) -> String {
    let base = &site.config.base_url;
    let changes = changes(notices);
    let newest = notices
        .iter()
        .map(|notice| notice.front.published)
        .chain(changes.first().map(|change| change.date))
        .max();
    let updated = moment(newest.unwrap_or(site.as_of));
    let mut entries: Vec<Entry> = notices.iter().map(|notice| entry(site, notice)).collect();
    entries.extend(changes.iter().map(|change| change_entry(site, change)));
    // Newest first; entries of one day keep notices before changes.
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.updated));
    let feed = Feed {
        id: format!("{base}{path}"),
        title: Text::plain(title),
        updated,
        links: vec![
            link(format!("{base}{path}"), "self"),
            link(format!("{base}{page}"), "alternate"),
        ],
        authors: site
            .config
            .owner
            .name
            .iter()
            .map(|name| Person {
                name: name.clone(),
                ..Person::default()
            })
            .collect(),
        entries,
        ..Feed::default()
    };
    // Front matter cannot hold characters XML forbids; this keeps the feed
    // well-formed should any other text ever bring one.
    crate::escape::xml_text(feed.to_string())
}

/// `feed.xml` and `organizations/<slug>/feed.xml`, with their contents.
pub fn feeds(site: &Site) -> Vec<(String, String)> {
    let all: Vec<&Notice> = site.notices.iter().collect();
    let mut feeds = vec![(
        "feed.xml".to_owned(),
        feed(site, site.config.title.clone(), "feed.xml", "", &all),
    )];
    for organization in &site.organizations {
        let notices: Vec<&Notice> = organization
            .notices
            .iter()
            .map(|&n| &site.notices[n])
            .collect();
        let path = format!("{}feed.xml", organization.path);
        let title = format!("{} - {}", organization.name, site.config.title);
        let text = feed(site, title, &path, &organization.path, &notices);
        feeds.push((path, text));
    }
    feeds
}
