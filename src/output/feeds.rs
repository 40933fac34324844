//! Atom feeds: one for the portal, one per issuing body.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{FixedOffset, NaiveTime};

use crate::model::date::Date;
use crate::site::{Notice, Site};

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

/// The feed of `notices` (newest first), published at `path` under the base URL.
fn feed(site: &Site, title: String, path: &str, page: &str, notices: &[&Notice]) -> String {
    let base = &site.config.base_url;
    let updated = notices
        .first()
        .map_or_else(|| moment(site.as_of), |n| moment(n.front.published));
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
        entries: notices.iter().map(|notice| entry(site, notice)).collect(),
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
