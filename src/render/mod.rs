//! Tera: templates compiled once, one context per page, pages rendered in parallel.
//!
//! Every page gets `root`, the relative path back to the site root, so that
//! links (through the `url` filter) work at any base URL and from a folder.

mod chart;
mod context;
mod filters;
mod theme;

use std::cell::OnceCell;
use std::collections::HashMap;

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostic::{Diagnostic, Hint, Located, Location};
use crate::site::pages::{Job, file_of};
use crate::site::{Notice, Site};

use context::{NoticeHead, NoticeWithIssues, global_context};

pub use filters::{chinese_number, link, ordinal, percent_text};
pub use theme::{
    DEFAULT_THEME, StaticSource, TemplateError, TemplateErrorKind, TemplateSource, ThemeFiles,
    write_default_theme,
};

/// A rendered page: its file path under the output root, and its bytes
/// (HTML, or a ledger's workbook or CSV).
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Compiled templates, ready to render a site.
pub struct Renderer {
    tera: Tera,
    sources: Vec<TemplateSource>,
}

impl Renderer {
    /// Compiles every template; all syntax errors are reported, each at its
    /// file, line and column.
    pub fn new(files: &ThemeFiles) -> Result<Renderer, Vec<Diagnostic>> {
        let sources: Vec<TemplateSource> = files.templates.values().cloned().collect();
        let mut errors = Vec::new();
        // Each template alone first: syntax errors of every file, not just the first.
        for source in &sources {
            let mut alone = Tera::default();
            filters::register(&mut alone);
            if let Err(error) = alone.add_raw_template(&source.name, &source.text)
                && let tera::ErrorKind::SyntaxError(_) = error.kind()
            {
                errors.push(template_error(&error, &sources));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        filters::register(&mut tera);
        tera.add_raw_templates(sources.iter().map(|s| (s.name.as_str(), s.text.as_str())))
            .map_err(|error| vec![template_error(&error, &sources)])?;
        Ok(Renderer { tera, sources })
    }

    /// Renders the pages `jobs` of `site` into memory.
    pub fn render_jobs(
        &mut self,
        site: &Site,
        jobs: &[Job],
    ) -> Result<Vec<RenderedPage>, Vec<Diagnostic>> {
        let pages = std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
        self.render_each(site, jobs, |_, path, html| {
            let page = RenderedPage {
                path: path.to_owned(),
                bytes: html.to_vec(),
            };
            pages.lock().map_err(|_| poisoned())?.push(page);
            Ok(())
        })?;
        pages.into_inner().map_err(|_| vec![poisoned()])
    }

    /// Renders the pages `jobs` of `site` in parallel and hands each one,
    /// by its file path, to `sink` as soon as it is rendered, so that no more
    /// than a page per thread is held at once. Stops at the first error of
    /// `sink`; template errors are gathered over all pages.
    pub fn render_each<S>(
        &mut self,
        site: &Site,
        jobs: &[Job],
        sink: S,
    ) -> Result<(), Vec<Diagnostic>>
    where
        S: Fn(&Job, &str, &[u8]) -> Result<(), Diagnostic> + Sync,
    {
        *self.tera.global_context() = global_context(site);
        let this = &*self;
        let outcome: Result<Vec<Vec<(usize, tera::Error)>>, Diagnostic> = units(jobs)
            .par_iter()
            .map_init(Vec::new, |buffer, unit| {
                let values = NoticeValues::for_unit(site, jobs, unit);
                let mut failed = Vec::new();
                for &index in unit {
                    buffer.clear();
                    match this.render_job(site, &values, &jobs[index], buffer) {
                        Ok(path) => sink(&jobs[index], &path, buffer)?,
                        Err(error) => failed.push((index, error)),
                    }
                }
                Ok(failed)
            })
            .collect();
        let mut failed: Vec<(usize, tera::Error)> = outcome
            .map_err(|error| vec![error])?
            .into_iter()
            .flatten()
            .collect();
        if failed.is_empty() {
            return Ok(());
        }
        failed.sort_by_key(|(index, _)| *index);
        Err(self.template_failures(site, jobs, failed))
    }

    /// One broken template breaks many pages: each error is told once,
    /// with the first page it broke and how many others.
    fn template_failures(
        &self,
        site: &Site,
        jobs: &[Job],
        failed: Vec<(usize, tera::Error)>,
    ) -> Vec<Diagnostic> {
        let mut failures: Vec<(Diagnostic, String, usize)> = Vec::new();
        for (index, error) in failed {
            let diagnostic = template_error(&error, &self.sources);
            match failures
                .iter_mut()
                .find(|(known, _, _)| *known == diagnostic)
            {
                Some((_, _, others)) => *others += 1,
                None => {
                    let path = jobs[index].path(site);
                    let page = if path.is_empty() {
                        "首页".to_owned()
                    } else {
                        path
                    };
                    failures.push((diagnostic, page, 0));
                }
            }
        }
        failures
            .into_iter()
            .map(|(diagnostic, page, others)| {
                let pages = if others == 0 {
                    format!(" {page} ")
                } else {
                    format!(" {page} 等 {} 个页面", others + 1)
                };
                Diagnostic {
                    message: format!("生成{pages}时{}", diagnostic.message),
                    ..diagnostic
                }
            })
            .collect()
    }

    /// Whether the page template `page_template` is `template` or uses it,
    /// through `extends`, `include` or `import`, at any depth.
    pub fn uses(&self, page_template: &str, template: &str) -> bool {
        self.closure(page_template)
            .iter()
            .any(|source| source.name == template)
    }

    /// Whether the page template `page_template`, or a template it uses,
    /// reads the portal-wide figures every template is given (`site.totals`,
    /// `site.notice_count`, `site.completion`, or the whole `site`), so that
    /// a change of them
    /// re-renders its pages.
    pub fn reads_site_counts(&self, page_template: &str) -> bool {
        self.closure(page_template)
            .iter()
            .any(|source| reads_site_counts(&source.text))
    }

    /// A hash of what the pages of `page_template` depend on besides their
    /// inputs: the text of every template they use and, when those print
    /// them, the portal-wide totals of `site`.
    pub fn setting(&self, page_template: &str, site: &Site) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut templates: Vec<(&str, &str)> = self
            .closure(page_template)
            .iter()
            .map(|source| (source.name.as_str(), source.text.as_str()))
            .collect();
        templates.sort_unstable();
        let mut hasher = xxhash_rust::xxh3::Xxh3DefaultBuilder.build_hasher();
        templates.hash(&mut hasher);
        if self.reads_site_counts(page_template) {
            (site.totals, &site.completion, site.notices.len()).hash(&mut hasher);
        }
        hasher.finish()
    }

    /// `page_template` and every template it uses, at any depth.
    fn closure(&self, page_template: &str) -> Vec<&TemplateSource> {
        let mut seen: Vec<&TemplateSource> = Vec::new();
        let mut names = vec![page_template.to_owned()];
        while let Some(name) = names.pop() {
            if seen.iter().any(|source| source.name == name) {
                continue;
            }
            if let Some(source) = self.sources.iter().find(|s| s.name == name) {
                names.extend(referenced_templates(&source.text));
                seen.push(source);
            }
        }
        seen
    }

    /// Renders `job` into `out`; returns the page's file path.
    fn render_job(
        &self,
        site: &Site,
        values: &NoticeValues,
        job: &Job,
        out: &mut Vec<u8>,
    ) -> Result<String, tera::Error> {
        let path = job.path(site);
        if let Job::Ledger(n, file) = *job {
            let ledger = crate::export::ledger(site, &site.notices[n], file)
                .map_err(|error| tera::Error::message(format!("无法生成整改台账：{error}")))?;
            out.extend_from_slice(&ledger);
        } else {
            let context = context::of(site, values, job, &path)?;
            // Every job but a ledger has a template.
            self.tera
                .render_to(job.template().unwrap_or_default(), &context, out)?;
        }
        Ok(file_of(&path))
    }
}

/// The names in the `{% extends "…" %}`, `{% include "…" %}` and
/// `{% import "…" as … %}` (macros) tags of a template.
fn referenced_templates(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.trim_start_matches('-').trim_start();
        let Some(rest) = ["extends", "include", "import"]
            .iter()
            .find_map(|keyword| tag.strip_prefix(keyword))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote @ ('"' | '\'')) = rest.chars().next() else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            names.push(rest[1..=end].to_owned());
        }
    }
    names
}

/// Whether the tags of a template's `text` name the portal-wide counts or
/// the `site` variable as a whole (`{{ site }}`, `{% set s = site %}`), after
/// which any of its fields may be printed.
fn reads_site_counts(text: &str) -> bool {
    let tags = [("{{", "}}"), ("{%", "%}")]
        .into_iter()
        .flat_map(|(open, close)| {
            text.split(open)
                .skip(1)
                .map(move |tag| tag.split(close).next().unwrap_or_default())
        });
    for tag in tags {
        if [
            "totals",
            "notice_count",
            "site.completion",
            "__tera_context",
        ]
        .iter()
        .any(|name| tag.contains(name))
        {
            return true;
        }
        let whole_site = tag.match_indices("site").any(|(at, _)| {
            let before = tag[..at].chars().next_back();
            let after = tag[at + 4..].trim_start().chars().next();
            let word_start = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
            let word_end = !after.is_some_and(|c| c.is_alphanumeric() || c == '_');
            word_start && word_end && after != Some('.')
        });
        if whole_site {
            return true;
        }
    }
    false
}

fn poisoned() -> Diagnostic {
    Diagnostic::error(None, "生成页面的线程意外中止")
}

/// The pages rendered one after the other on one thread, by index into the
/// jobs: a notice's page with its issues' pages, so that they share the
/// issues made into template values once; any other page alone.
fn units(jobs: &[Job]) -> Vec<Vec<usize>> {
    let mut units: Vec<Vec<usize>> = Vec::new();
    let mut unit_of_notice = HashMap::new();
    for (index, job) in jobs.iter().enumerate() {
        match job {
            Job::Notice(n) | Job::Issue(n, _) => {
                let unit = *unit_of_notice.entry(*n).or_insert_with(|| {
                    units.push(Vec::new());
                    units.len() - 1
                });
                units[unit].push(index);
            }
            _ => units.push(vec![index]),
        }
    }
    units
}

/// One notice's template values, each made when first asked for and shared
/// by the pages of its unit: the notice page shows every issue, an issue
/// page its own, its neighbours and the notice's head.
struct NoticeValues<'s> {
    notice: Option<&'s Notice>,
    head: OnceCell<tera::Value>,
    issues: Vec<OnceCell<tera::Value>>,
}

impl<'s> NoticeValues<'s> {
    /// For the notice of the unit's pages, if they are a notice's.
    fn for_unit(site: &'s Site, jobs: &[Job], unit: &[usize]) -> NoticeValues<'s> {
        let notice = match unit.first().map(|&index| &jobs[index]) {
            Some(Job::Notice(n) | Job::Issue(n, _)) => Some(&site.notices[*n]),
            _ => None,
        };
        NoticeValues {
            notice,
            head: OnceCell::new(),
            issues: notice.map_or_else(Vec::new, |notice| {
                notice.issues.iter().map(|_| OnceCell::new()).collect()
            }),
        }
    }

    /// The notice without its body and issues.
    fn head(&self) -> Option<&tera::Value> {
        let notice = self.notice?;
        Some(
            self.head
                .get_or_init(|| tera::Value::from_serializable(&NoticeHead::of(notice))),
        )
    }

    fn issue(&self, i: usize) -> Option<&tera::Value> {
        let issue = self.notice?.issues.get(i)?;
        Some(self.issues[i].get_or_init(|| tera::Value::from_serializable(issue)))
    }

    /// The notice, for its own page, with every issue.
    fn notice(&self) -> Option<NoticeWithIssues<'_>> {
        Some(NoticeWithIssues {
            notice: self.notice?,
            issues: (0..self.issues.len())
                .filter_map(|i| self.issue(i))
                .collect(),
        })
    }
}

/// Turns a Tera error into a diagnostic at the template file and position.
fn template_error(error: &tera::Error, sources: &[TemplateSource]) -> Diagnostic {
    let (report, kind) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) => (
            Some(report),
            TemplateErrorKind::Syntax {
                message: report.message().to_owned(),
            },
        ),
        tera::ErrorKind::RenderingError(report) => (
            Some(report),
            TemplateErrorKind::Render {
                message: report.message().to_owned(),
            },
        ),
        tera::ErrorKind::CircularInclude {
            include_chain: chain,
            ..
        }
        | tera::ErrorKind::CircularExtend {
            inheritance_chain: chain,
            ..
        } => {
            let how = match error.kind() {
                tera::ErrorKind::CircularInclude { .. } => "包含（include）",
                _ => "继承（extends）",
            };
            let kind = TemplateErrorKind::Cycle {
                how,
                chain: chain.join(" → "),
            };
            // The template that closes the circle names the one it began with.
            let closing = chain
                .len()
                .checked_sub(2)
                .and_then(|at| Some((chain.get(at)?, chain.last()?)));
            let location = closing
                .and_then(|(from, to)| mention(sources.iter().filter(|s| &s.name == from), to));
            return match location {
                Some(location) => Located::new(location, kind).into(),
                None => Diagnostic::error(None, kind.to_string()).with_hint(kind.hint()),
            };
        }
        tera::ErrorKind::MissingParent { current, parent } => (
            None,
            TemplateErrorKind::Structure {
                message: format!("模板“{current}”继承的“{parent}”不存在"),
            },
        ),
        tera::ErrorKind::TemplateNotFound(name) => (
            None,
            TemplateErrorKind::Structure {
                message: format!("找不到模板“{name}”"),
            },
        ),
        _ => (
            None,
            TemplateErrorKind::Structure {
                message: error.to_string(),
            },
        ),
    };
    let located = match (report, error.kind()) {
        (Some(report), _) => sources
            .iter()
            .find(|s| s.name == report.filename())
            .map(|source| {
                Location::at_offset(&source.file, &source.text, report.span().range.start)
            }),
        // No span: find the template and the line that names the missing one.
        (None, tera::ErrorKind::MissingParent { current, parent }) => {
            mention(sources.iter().filter(|s| &s.name == current), parent)
        }
        (None, tera::ErrorKind::TemplateNotFound(name)) => mention(sources.iter(), name),
        (None, tera::ErrorKind::Msg(text)) => return reported_in_message(text, sources, kind),
        _ => None,
    };
    match located {
        Some(location) => Located::new(location, kind).into(),
        None => Diagnostic::error(None, kind.to_string()).with_hint(kind.hint()),
    }
}

/// Some checks (unknown includes, blocks, components) come as text already
/// formatted as `error: …` / ` --> name:line:col`; the first one is taken apart.
fn reported_in_message(
    text: &str,
    sources: &[TemplateSource],
    fallback: TemplateErrorKind,
) -> Diagnostic {
    let message = text
        .lines()
        .find_map(|line| line.strip_prefix("error: "))
        .map(str::to_owned);
    let location = text.lines().find_map(|line| {
        let place = line.trim_start().strip_prefix("--> ")?;
        let mut parts = place.rsplitn(3, ':');
        let column: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let source = sources.iter().find(|s| s.name == name)?;
        Some(Location::in_text(&source.file, &source.text, line, column))
    });
    match (message, location) {
        (Some(message), Some(location)) => {
            Located::new(location, TemplateErrorKind::Structure { message }).into()
        }
        _ => Diagnostic::error(None, fallback.to_string()).with_hint(fallback.hint()),
    }
}

/// The first place in `sources` where `name` is written in quotes.
fn mention<'a>(
    mut sources: impl Iterator<Item = &'a TemplateSource>,
    name: &str,
) -> Option<Location> {
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    sources.find_map(|source| {
        let offset = quoted.iter().find_map(|q| source.text.find(q.as_str()))?;
        Some(Location::at_offset(&source.file, &source.text, offset))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_reads_the_site_counts_when_its_tags_name_them_or_the_whole_site() {
        for reads in [
            "{{ site.totals.completed }}",
            "{% if site.notice_count > 1 %}x{% endif %}",
            "{% set s = site %}{{ s.totals }}",
            "{{ site | json_encode() }}",
            "{% for key, value in site %}{{ key }}{% endfor %}",
            "{{ site[\"tot\" ~ \"als\"] }}",
            "{{ __tera_context }}",
            "{% set completion = site.completion %}",
        ] {
            assert!(reads_site_counts(reads), "{reads}");
        }
        for reads_not in [
            "<header class=\"site-header\">{{ site.title }}</header>",
            "{% for status in site.statuses %}{{ status.label }}{% endfor %}",
            "{{ notice.counts.total }} totals in text outside tags",
            "{{ website }} {{ site_name }}",
            "{% set completion = notice.completion %}",
        ] {
            assert!(!reads_site_counts(reads_not), "{reads_not}");
        }
    }

    #[test]
    fn a_template_uses_what_it_extends_includes_and_imports_macros_from() {
        let text = r#"{% extends "base.html" %}{%- include 'part.html' %}
            {% import "macros.html" as m %}{% if x %}{{ m::badge() }}{% endif %}"#;
        assert_eq!(
            referenced_templates(text),
            ["base.html", "part.html", "macros.html"]
        );
    }
}
