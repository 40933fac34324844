//! sitemap.xml (every page, with lastmod where a page has a date) and robots.txt.

use std::fmt::Write;

use crate::model::date::Date;
use crate::site::Site;
use crate::site::pages::Job;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The date a page last changed: the latest date it shows (an issue's
/// status, a notice's publication or its issues' statuses), or the latest
/// of every notice's for pages that list them.
fn lastmod(site: &Site, job: &Job) -> Option<Date> {
    match job {
        Job::Notice(n) => Some(site.notices[*n].last_changed),
        Job::Issue(n, i) => Some(site.notices[*n].issues[*i].last_changed),
        Job::Page(_) | Job::NotFound | Job::Search | Job::Data | Job::Ledger(..) => None,
        _ => site.notices.iter().map(|notice| notice.last_changed).max(),
    }
}

pub fn sitemap(site: &Site) -> String {
    let jobs = Job::all(site);
    // About 120 bytes a page: sized once instead of grown.
    let mut xml = String::with_capacity(256 + jobs.len() * (120 + site.config.base_url.len()));
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for job in jobs {
        if !job.is_html() || matches!(job, Job::NotFound) {
            continue;
        }
        let url = format!("{}{}", site.config.base_url, job.path(site));
        let _ = write!(xml, "  <url><loc>{}</loc>", escape(&url));
        if let Some(date) = lastmod(site, &job) {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    crate::escape::xml_text(xml)
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    )
}
