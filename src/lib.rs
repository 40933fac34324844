//! gongkai (公开): a static-site generator for public rectification
//! disclosures (巡察整改进展情况通报).
//!
//! Data flows one way: [`config`] → [`content`] → [`site`] → [`render`] →
//! [`output`]. Each step returns every problem it found as a
//! [`Diagnostic`], so one run reports all of them.

pub mod check;
pub mod console;
pub mod diagnostic;
pub mod escape;
pub mod export;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod yaml;

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use diagnostic::Diagnostic;
use diagnostic::{Located, Location, Severity};
use load::config::Config;
use load::history::History;
use load::{content, sources};
use model::date::Date;
use output::{OutputFile, Source};
use render::{RenderedPage, Renderer, StaticSource, ThemeFiles};
use site::pages::Job;
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
    /// On an aggregate portal, how many units it read; its notices and
    /// totals are then theirs.
    pub units: Option<usize>,
    pub notices: usize,
    pub totals: Counts,
    /// The search index: how many files, how many bytes in all.
    pub search_index: (usize, usize),
    pub warnings: Vec<Diagnostic>,
    /// Files in the output folder gongkai did not write: kept by every build.
    pub kept: Vec<PathBuf>,
    /// Files put into the output while the build ran, carried into the new output.
    pub rescued: Vec<PathBuf>,
    /// Pages kept from the last build without rendering them: nothing they
    /// show changed.
    pub kept_pages: usize,
}

/// The site loaded and checked, its templates compiled: ready to render.
pub struct Prepared {
    pub site: Site,
    pub theme: ThemeFiles,
    pub renderer: Renderer,
    /// Every page of the site.
    pub jobs: Vec<Job>,
    /// Feeds, sitemap, robots.txt, search index.
    pub generated: Vec<(String, String)>,
    /// The search index's lists, for the next index to take from.
    pub search_lists: output::SearchLists,
    /// Every file the output will have, by `/`-separated path: what links
    /// are checked against and what folders the output needs.
    pub output_paths: HashSet<String>,
    pub warnings: Vec<Diagnostic>,
}

/// The site loaded and its pages rendered in memory, nothing written.
pub struct Rendered {
    pub site: Site,
    pub theme: ThemeFiles,
    /// Kept so that `serve` can render changed pages again.
    pub renderer: Renderer,
    pub pages: Vec<RenderedPage>,
    pub generated: Vec<(String, String)>,
    pub search_lists: output::SearchLists,
    pub warnings: Vec<Diagnostic>,
}

/// Told how far a build has got.
pub trait Progress: Sync {
    /// Rendering begins: `pages` pages to go.
    fn start(&self, pages: usize);
    /// One more page is written.
    fn advance(&self);
}

/// For builds nobody watches.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _pages: usize) {}
    fn advance(&self) {}
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

/// Loads and checks the site under `options.root` and compiles its
/// templates; every error of config, content and templates comes back together.
pub fn prepare(options: &Options) -> Result<Prepared, Vec<Diagnostic>> {
    prepare_with(options, None, &output::SearchLists::default())
}

/// [`prepare`], taking unchanged files from the parse cache `cache` opens
/// and the lists of unchanged documents from the search lists `remembered`.
fn prepare_with(
    options: &Options,
    cache: Option<&content::OpenCache<'_>>,
    remembered: &output::SearchLists,
) -> Result<Prepared, Vec<Diagnostic>> {
    let root = &options.root;
    let mut problems = Vec::new();
    let mut config = keep(Config::load(root), &mut problems);
    if let (Some(config), Some(url)) = (config.as_mut(), &options.base_url) {
        keep(
            config.override_base_url(url).map_err(|e| vec![e]),
            &mut problems,
        );
    }
    let sources = sources::Sources::new(
        root,
        config
            .as_ref()
            .map_or(sources::DEFAULT_MAX_FILE_MB, |config| config.max_file_mb),
    );
    // Git's history is read beside the content: walking commits is one
    // thread's work, reading files keeps the others busy.
    let load = || match cache {
        Some(cache) => content::load_cached(&sources, options.drafts, cache),
        None => content::load(&sources, options.drafts),
    };
    let ((content, content_problems), history) =
        if config.as_ref().is_some_and(|config| config.dates_from_git) {
            let (loaded, history) = rayon::join(load, || History::read(root));
            (loaded, Some(history))
        } else {
            (load(), None)
        };
    problems.extend(content_problems);
    let theme = config
        .as_ref()
        .and_then(|config| keep(ThemeFiles::load(root, config), &mut problems));
    let renderer = theme
        .as_ref()
        .and_then(|theme| keep(Renderer::new(theme), &mut problems));
    let (mut warnings, errors) = split_errors(problems);
    let (Some(config), Some(theme), Some(renderer), true) =
        (config, theme, renderer, errors.is_empty())
    else {
        return Err(relative([errors, warnings].concat(), root));
    };
    let as_of = options.as_of.or(config.as_of).unwrap_or_else(Date::today);
    let (history, history_problem) = history.unwrap_or_default();
    if let Some(problem) = history_problem {
        let at = config.location(config.at.dates_from_git);
        let warning = Diagnostic::from(Located::new(at, problem));
        warnings.push(warning.with_severity(Severity::Warning));
    }
    let mut lints = check::lint_content(&config, &content, as_of, &history);
    check::lint_base_url(&config, &mut lints);
    check::lint_contact(
        &config.supervision,
        &config.at.supervision,
        &|position| config.location(position),
        &mut lints,
    );
    let (mut warnings, errors) = split_errors([warnings, lints.diagnostics].concat());
    if !errors.is_empty() {
        return Err(relative([errors, warnings].concat(), root));
    }
    let units = (!config.sources.is_empty()).then(|| {
        let judging = load::units::Judging {
            as_of,
            stale_after_days: config.stale_after_days,
        };
        load::units::read(&config, root, judging)
    });
    let mut site = Site::assemble(config, content, as_of, history);
    if let Some(loaded) = units {
        let (unit_warnings, unit_errors) = split_errors(loaded.problems);
        warnings.extend(unit_warnings);
        if !unit_errors.is_empty() {
            return Err(relative([unit_errors, warnings].concat(), root));
        }
        site.aggregate = Some(site::aggregate::Aggregate::of(loaded.units));
    }
    let jobs = Job::all(&site);
    let (generated, search_lists) = output::generated(&site, remembered);
    let mut prepared = Prepared {
        generated,
        search_lists,
        site,
        theme,
        renderer,
        jobs,
        output_paths: HashSet::new(),
        warnings: Vec::new(),
    };
    prepared.output_paths = match prepared.output_paths(root) {
        Ok(paths) => paths,
        Err(clashes) => return Err(relative([clashes, warnings].concat(), root)),
    };
    let (link_warnings, link_errors) =
        split_errors(check::lint_links(&lints.links, &prepared.output_paths));
    warnings.extend(link_warnings);
    if !link_errors.is_empty() {
        return Err(relative([link_errors, warnings].concat(), root));
    }
    prepared.warnings = relative(warnings, root);
    Ok(prepared)
}

/// This program, as far as the pages it renders go: its version, and the
/// size and time of its executable, so that a rebuilt gongkai renders every
/// page again.
fn program_identity() -> (&'static str, Option<(u64, std::time::SystemTime)>) {
    let executable = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .and_then(|meta| Some((meta.len(), meta.modified().ok()?)));
    (env!("CARGO_PKG_VERSION"), executable)
}

/// [`program_identity`], hashed: what a parse cache is written for.
fn program_hash() -> u64 {
    xxhash_rust::xxh3::Xxh3DefaultBuilder.hash_one(program_identity())
}

/// Loads, checks and renders the whole site in memory.
pub fn render_site(options: &Options) -> Result<Rendered, Vec<Diagnostic>> {
    let Prepared {
        site,
        theme,
        mut renderer,
        jobs,
        generated,
        search_lists,
        warnings,
        ..
    } = prepare(options)?;
    let pages = renderer
        .render_jobs(&site, &jobs)
        .map_err(|errors| relative(errors, &options.root))?;
    Ok(Rendered {
        site,
        theme,
        renderer,
        pages,
        generated,
        search_lists,
        warnings,
    })
}

/// Warnings and notes, then errors.
pub(crate) fn split_errors(diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    diagnostics.into_iter().partition(|d| !d.is_error())
}

impl Prepared {
    /// The fingerprint of every page of `jobs`: of what it shows
    /// (`site::fingerprints`), its templates, the site's settings and this
    /// program, so that a page whose fingerprint the output's marker lists
    /// is the page a fresh build would make.
    fn page_fingerprints(&self) -> Vec<u64> {
        let site = &self.site;
        let inputs = site::fingerprints::Fingerprints::of(site);
        let settings = xxhash_rust::xxh3::Xxh3DefaultBuilder.hash_one((
            &site.config,
            site.as_of,
            program_identity(),
        ));
        let mut per_template: HashMap<Option<&str>, u64> = HashMap::new();
        for job in &self.jobs {
            per_template.entry(job.template()).or_insert_with(|| {
                let template = job
                    .template()
                    .map(|template| self.renderer.setting(template, site));
                xxhash_rust::xxh3::Xxh3DefaultBuilder.hash_one((settings, template))
            });
        }
        self.jobs
            .par_iter()
            .map(|job| inputs.page(job, site, per_template[&job.template()]))
            .collect()
    }

    /// Every path of the output: the pages and the other files. Two things
    /// of the site written to one path (a page named like a section of the
    /// site, an attachment named like a ledger) are an error at the clerk's
    /// file.
    fn output_paths(&self, root: &Path) -> Result<HashSet<String>, Vec<Diagnostic>> {
        let files = self.files();
        let mut paths = HashSet::with_capacity(self.jobs.len() + files.len());
        let mut twice = HashSet::new();
        for path in self
            .page_files()
            .chain(files.into_iter().map(|file| file.path))
        {
            if let Some(path) = paths.replace(path) {
                twice.insert(path);
            }
        }
        if twice.is_empty() {
            Ok(paths)
        } else {
            Err(self.clashes(root, &twice))
        }
    }

    /// What writes to each path of `twice`, told only when something does:
    /// describing every page on the way would cost every build.
    fn clashes(&self, root: &Path, twice: &HashSet<String>) -> Vec<Diagnostic> {
        let site = &self.site;
        let shown = |file: &Path| {
            file.strip_prefix(root)
                .unwrap_or(file)
                .display()
                .to_string()
        };
        let describe_page = |job: &Job| {
            let source = match *job {
                Job::Page(p) => Some(site.pages[p].source.to_path_buf()),
                Job::Notice(n) => Some(site.notices[n].source.to_path_buf()),
                Job::Issue(n, i) => Some(site.notices[n].issues[i].source.to_path_buf()),
                _ => None,
            };
            let what = match (&source, job) {
                (Some(file), _) => format!("由 {} 生成的页面", shown(file)),
                (None, Job::Ledger(..)) => "通报的整改台账".to_owned(),
                (None, _) => "网站自带的栏目页面".to_owned(),
            };
            (job.file(site), what, source)
        };
        let pages = self
            .jobs
            .iter()
            .filter(|job| twice.contains(&job.file(site)))
            .map(describe_page);
        let files = self
            .files()
            .into_iter()
            .filter(|file| twice.contains(&file.path));
        let files = files.map(|file| {
            let (what, source) = match file.source {
                Source::Copy(from) => (format!("文件 {}", shown(&from)), Some(from)),
                Source::Bytes(_) => ("默认主题的文件".to_owned(), None),
                Source::Text(_) => ("网站生成的数据文件".to_owned(), None),
            };
            (file.path, what, source)
        });
        let mut first: HashMap<String, (String, Option<PathBuf>)> = HashMap::new();
        let mut clashes = Vec::new();
        for (path, what, source) in pages.chain(files) {
            match first.get(&path) {
                None => {
                    first.insert(path, (what, source));
                }
                Some((earlier, earlier_source)) => {
                    let at = source
                        .as_deref()
                        .or(earlier_source.as_deref())
                        .unwrap_or(root);
                    let kind = output::OutputErrorKind::SamePath {
                        path,
                        both: Box::new([earlier.clone(), what]),
                    };
                    clashes.push(Located::new(Location::file_start(at), kind).into());
                }
            }
        }
        clashes
    }

    /// The file path of every page.
    fn page_files(&self) -> impl Iterator<Item = String> + '_ {
        self.jobs.iter().map(|job| job.file(&self.site))
    }

    /// Every file of the output besides the pages: static files,
    /// attachments, feeds, sitemap and search index.
    fn files(&self) -> Vec<OutputFile<'_>> {
        let mut files: Vec<OutputFile> = self
            .theme
            .statics
            .iter()
            .map(|(path, source)| OutputFile {
                path: output::path_key(path),
                source: match source {
                    StaticSource::Disk(from) => Source::Copy(from.clone()),
                    StaticSource::Embedded(bytes) => Source::Bytes(bytes),
                },
            })
            .collect();
        for notice in &self.site.notices {
            files.extend(notice.attachment_files().map(|(path, from)| OutputFile {
                path: output::path_key(&path),
                source: Source::Copy(from),
            }));
        }
        files.extend(self.generated.iter().map(|(path, text)| OutputFile {
            path: path.clone(),
            source: Source::Text(text),
        }));
        files
    }

    fn report(&self) -> Report {
        let aggregate = self.site.aggregate.as_ref();
        Report {
            pages: self.jobs.iter().filter(|job| job.is_html()).count(),
            units: aggregate.map(|aggregate| aggregate.units.len()),
            notices: aggregate.map_or(self.site.notices.len(), |aggregate| aggregate.notices),
            totals: aggregate.map_or(self.site.totals, |aggregate| aggregate.totals),
            search_index: self
                .generated
                .iter()
                .filter(|(path, _)| output::is_search_index_file(path))
                .fold((0, 0), |(files, bytes), (_, text)| {
                    (files + 1, bytes + text.len())
                }),
            warnings: self.warnings.clone(),
            kept: Vec::new(),
            rescued: Vec::new(),
            kept_pages: 0,
        }
    }
}

/// Validates everything and renders every page, writing nothing.
pub fn check(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let cache = || {
        let file = output::cache_of(&options.output_dir());
        load::cache::ParseCache::open_to_read(file, program_hash())
    };
    let lists_file = output::search_lists_of(&options.output_dir());
    let remembered = output::SearchLists::read(&lists_file, program_hash());
    let mut prepared = prepare_with(options, Some(&cache), &remembered)?;
    // The ledgers are made from what the lints checked; nothing to find there.
    prepared.jobs.retain(Job::is_html);
    prepared
        .renderer
        .render_each(&prepared.site, &prepared.jobs, |_, _, _| Ok(()))
        .map_err(|errors| relative(errors, &options.root))?;
    let mut report = prepared.report();
    let output = options.output_dir();
    if output.join(output::MARKER).is_file() {
        report.kept = output::foreign_files(&output).unwrap_or_default();
    }
    Ok(report)
}

/// Builds the site into the output folder, replacing it only on success.
pub fn build(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    build_with(options, &Quiet)
}

/// Builds the site, telling `progress` of each page written. Pages are
/// written as they are rendered, so memory does not grow with the output.
pub fn build_with(options: &Options, progress: &dyn Progress) -> Result<Report, Vec<Diagnostic>> {
    let root = &options.root;
    let lists_file = output::search_lists_of(&options.output_dir());
    // What the output holds is read while the site loads.
    let (staging, prepared) = rayon::join(
        || output::Staging::open(&options.output_dir(), root),
        || {
            let cache = || {
                let file = output::cache_of(&options.output_dir());
                load::cache::ParseCache::open(file, program_hash())
            };
            let remembered = output::SearchLists::read(&lists_file, program_hash());
            prepare_with(options, Some(&cache), &remembered)
        },
    );
    let mut prepared = prepared?;
    let failed = |error: output::OutputError| relative(vec![Diagnostic::from(error)], root);
    let mut staging = staging.map_err(failed)?;
    // The pages' fingerprints are worked out while the twin is cleared.
    let (made_room, prints) = rayon::join(
        || staging.make_room(prepared.output_paths.iter().map(String::as_str)),
        || prepared.page_fingerprints(),
    );
    made_room.map_err(failed)?;
    let files = prepared.files();
    staging.write_files(&files).map_err(failed)?;
    drop(files);
    let mut report = prepared.report();
    // Written and reported: the search index (238 MB at 10,000 notices)
    // need not stay in memory while the pages render, nor its lists: they
    // are saved now, an aid whose chunks are known by what their documents
    // hold, right whether this build goes on to succeed or not.
    prepared.generated = Vec::new();
    std::mem::take(&mut prepared.search_lists).save(&lists_file, program_hash());
    // A page whose inputs, templates and settings are those it was last
    // written from is kept as it is, without rendering it.
    let kept: Vec<bool> = prepared
        .jobs
        .par_iter()
        .zip(&prints)
        .map(|(job, &print)| staging.keep_page(&job.file(&prepared.site), print))
        .collect::<Result<_, _>>()
        .map_err(failed)?;
    let (to_render, prints): (Vec<Job>, HashMap<Job, u64>) = {
        let mut jobs = Vec::new();
        let mut of_job = HashMap::new();
        for ((job, print), kept) in prepared.jobs.iter().zip(prints).zip(kept) {
            if kept {
                report.kept_pages += usize::from(job.is_html());
            } else {
                jobs.push(*job);
                of_job.insert(*job, print);
            }
        }
        (jobs, of_job)
    };
    progress.start(to_render.len());
    prepared
        .renderer
        .render_each(&prepared.site, &to_render, |job, path, html| {
            let print = prints.get(job).copied().unwrap_or_default();
            staging
                .write_page(path, html, print)
                .map_err(Diagnostic::from)?;
            progress.advance();
            Ok(())
        })
        .map_err(|errors| relative(errors, root))?;
    let committed = staging.commit().map_err(failed)?;
    report.kept = committed.kept;
    report.rescued = committed.rescued;
    Ok(report)
}
