//! gongkai (公开): a static-site generator for public rectification
//! disclosures (巡察整改进展情况通报).
//!
//! Data flows one way: [`config`] → [`content`] → [`site`] → [`render`] →
//! [`output`]. Each step returns every problem it found as a
//! [`Diagnostic`], so one run reports all of them.

pub mod check;
pub mod config;
pub mod console;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod import;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod status;
pub mod text;
pub mod yaml;

use std::path::{Path, PathBuf};

use config::Config;
use date::Date;
pub use diagnostic::Diagnostic;
use output::{OutputFile, Source};
use render::{RenderedPage, Renderer, StaticSource, ThemeFiles};
use site::{Counts, Site};

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// The output folder; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// The date overdue is judged against, over site.yaml's `as_of`.
    pub as_of: Option<Date>,
}

impl Options {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build or check found.
#[derive(Debug, Clone)]
pub struct Report {
    pub pages: usize,
    pub notices: usize,
    pub totals: Counts,
    /// Size of the search index in bytes.
    pub search_index: usize,
    pub warnings: Vec<Diagnostic>,
}

/// The site loaded and its pages rendered, nothing written yet.
pub struct Rendered {
    pub site: Site,
    pub theme: ThemeFiles,
    /// Kept so that `serve` can render changed pages again.
    pub renderer: Renderer,
    pub pages: Vec<RenderedPage>,
    /// Feeds, sitemap, robots.txt, search index.
    pub generated: Vec<(String, String)>,
    pub warnings: Vec<Diagnostic>,
}

/// The diagnostics with file paths shown relative to the site root.
pub fn relative(diagnostics: Vec<Diagnostic>, root: &Path) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .map(|d| d.relative_to(root))
        .collect()
}

/// The value of a step, its problems moved to `problems`.
fn keep<T>(result: Result<T, Vec<Diagnostic>>, problems: &mut Vec<Diagnostic>) -> Option<T> {
    result.map_err(|errors| problems.extend(errors)).ok()
}

/// Loads, checks and renders the site under `options.root`; every error of
/// config, content and templates comes back together.
pub fn render_site(options: &Options) -> Result<Rendered, Vec<Diagnostic>> {
    let root = &options.root;
    let mut problems = Vec::new();
    let mut config = keep(Config::load(root), &mut problems);
    if let (Some(config), Some(url)) = (config.as_mut(), &options.base_url) {
        keep(
            config.override_base_url(url).map_err(|e| vec![e]),
            &mut problems,
        );
    }
    let (content, content_problems) = content::load(root, options.drafts);
    problems.extend(content_problems);
    let theme = config
        .as_ref()
        .and_then(|config| keep(ThemeFiles::load(root, config), &mut problems));
    let renderer = theme
        .as_ref()
        .and_then(|theme| keep(Renderer::new(theme), &mut problems));
    let (warnings, errors) = split_errors(problems);
    let (Some(config), Some(theme), Some(mut renderer), true) =
        (config, theme, renderer, errors.is_empty())
    else {
        return Err(relative([errors, warnings].concat(), root));
    };
    let as_of = options.as_of.or(config.as_of).unwrap_or_else(Date::today);
    let mut lints = check::lint_content(&config, &content, as_of);
    check::lint_contact(
        &config.supervision,
        "supervision",
        &|field| Config::field_location(root, field),
        &mut lints,
    );
    let (mut warnings, errors) = split_errors([warnings, lints.diagnostics].concat());
    if !errors.is_empty() {
        return Err(relative([errors, warnings].concat(), root));
    }
    let site = Site::assemble(config, content, as_of);
    let pages = renderer
        .render(&site)
        .map_err(|errors| relative(errors, root))?;
    let generated = output::generated(&site);
    let known = output_paths(&site, &theme, &pages, &generated);
    let (link_warnings, link_errors) = split_errors(check::lint_links(&lints.links, &known));
    warnings.extend(link_warnings);
    if !link_errors.is_empty() {
        return Err(relative([link_errors, warnings].concat(), root));
    }
    Ok(Rendered {
        site,
        theme,
        renderer,
        pages,
        generated,
        warnings: relative(warnings, root),
    })
}

/// Warnings and notes, then errors.
pub(crate) fn split_errors(diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    diagnostics.into_iter().partition(|d| !d.is_error())
}

/// Every file the output will have, by `/`-separated path.
fn output_paths(
    site: &Site,
    theme: &ThemeFiles,
    pages: &[RenderedPage],
    generated: &[(String, String)],
) -> std::collections::HashSet<String> {
    let mut known: std::collections::HashSet<String> =
        pages.iter().map(|page| page.path.clone()).collect();
    known.extend(generated.iter().map(|(path, _)| path.clone()));
    known.extend(theme.statics.keys().map(|path| output::path_key(path)));
    for notice in &site.notices {
        known.extend(
            notice
                .attachment_files()
                .map(|(path, _)| output::path_key(&path)),
        );
    }
    known
}

/// Validates everything and renders in memory, writing nothing.
pub fn check(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let rendered = render_site(options)?;
    Ok(report(&rendered))
}

/// Builds the site into the output folder, replacing it only on success.
pub fn build(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let rendered = render_site(options)?;
    let output = options.output_dir();
    let files = output_files(&rendered);
    output::write_atomically(&output, &options.root, &files)
        .map_err(|error| relative(vec![Diagnostic::from(error)], &options.root))?;
    Ok(report(&rendered))
}

fn report(rendered: &Rendered) -> Report {
    Report {
        pages: rendered.pages.len(),
        notices: rendered.site.notices.len(),
        totals: rendered.site.totals,
        search_index: rendered
            .generated
            .iter()
            .find(|(path, _)| path == output::SEARCH_INDEX_PATH)
            .map_or(0, |(_, text)| text.len()),
        warnings: rendered.warnings.clone(),
    }
}

fn output_files(rendered: &Rendered) -> Vec<OutputFile<'_>> {
    let mut files: Vec<OutputFile> = rendered
        .theme
        .statics
        .iter()
        .map(|(path, source)| OutputFile {
            path: path.clone(),
            source: match source {
                StaticSource::Disk(from) => Source::Copy(from.clone()),
                StaticSource::Embedded(bytes) => Source::Bytes(bytes),
            },
        })
        .collect();
    for notice in &rendered.site.notices {
        files.extend(notice.attachment_files().map(|(path, from)| OutputFile {
            path,
            source: Source::Copy(from),
        }));
    }
    files.extend(rendered.pages.iter().map(|page| OutputFile {
        path: PathBuf::from(&page.path),
        source: Source::Text(&page.html),
    }));
    files.extend(rendered.generated.iter().map(|(path, text)| OutputFile {
        path: PathBuf::from(path),
        source: Source::Text(text),
    }));
    files
}
