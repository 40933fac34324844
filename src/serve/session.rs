//! What `serve` keeps between rebuilds, and how a change is rebuilt.
//!
//! A change is rebuilt as narrowly as it can be: the reloaded parts of the
//! content are compared with what they were (`site::changes`) and the pages
//! of the page map that show a changed input are rendered again, with those
//! whose template changed or uses one that did; pages the map no longer has
//! are no longer served; site.yaml or a theme folder rebuilds all.
//! Nothing is applied unless the whole change succeeded: while content is
//! broken, the last good pages stay served and the change stays pending.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::config::CONFIG_FILE;
use crate::load::content::{
    self, CONTENT_DIR, Content, HOME_FILE, NOTICES_DIR, PAGES_DIR, Part, is_ignored,
};
use crate::render::{Renderer, ThemeFiles};
use crate::site::Site;
use crate::site::changes::{Changes, Outline};
use crate::site::pages::{Job, LedgerFile};
use crate::{Options, relative, render_site};

use super::files::Files;

/// What one change amounts to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    Everything,
    Template(String),
    Statics,
    Content(Part),
}

#[derive(Debug, Default)]
struct Pending {
    everything: bool,
    templates: BTreeSet<String>,
    statics: bool,
    parts: BTreeSet<Part>,
}

impl Pending {
    fn add(&mut self, change: Change) {
        match change {
            Change::Everything => self.everything = true,
            Change::Template(name) => {
                self.templates.insert(name);
            }
            Change::Statics => self.statics = true,
            Change::Content(part) => {
                self.parts.insert(part);
            }
        }
    }

    fn is_empty(&self) -> bool {
        !self.everything && self.templates.is_empty() && !self.statics && self.parts.is_empty()
    }
}

/// The result of applying changes.
#[derive(Debug)]
pub enum Outcome {
    /// The changed files do not affect the site.
    Unchanged,
    Rebuilt {
        pages: usize,
        summary: String,
        elapsed: Duration,
        warnings: Vec<Diagnostic>,
    },
    Failed {
        errors: Vec<Diagnostic>,
        elapsed: Duration,
    },
}

struct State {
    site: Site,
    theme: ThemeFiles,
    renderer: Renderer,
}

pub struct Session {
    options: Options,
    state: Option<State>,
    pending: Pending,
    /// Feeds, sitemap and search index lag behind the pages until refreshed.
    generated_stale: bool,
    /// The search index's lists, which the next index takes from.
    search_lists: crate::output::SearchLists,
}

impl Session {
    pub fn new(options: Options) -> Session {
        Session {
            options,
            state: None,
            pending: Pending {
                everything: true,
                ..Pending::default()
            },
            generated_stale: false,
            search_lists: crate::output::SearchLists::default(),
        }
    }

    /// Whether feeds, sitemap and search index lag behind the pages.
    pub fn generated_stale(&self) -> bool {
        self.generated_stale
    }

    /// Brings feeds, sitemap and search index up to date with the pages.
    /// `serve` does this once the clerk has stopped typing: these files are
    /// not what the clerk is looking at, and the search index of a large
    /// portal takes longer to write than the pages of an edit.
    pub fn refresh_generated(&mut self, files: &RwLock<Files>) {
        if !std::mem::take(&mut self.generated_stale) {
            return;
        }
        if let Some(state) = &self.state {
            let (generated, lists) = crate::output::generated(&state.site, &self.search_lists);
            self.search_lists = lists;
            if let Ok(mut served) = files.write() {
                served.set_generated(&generated);
            }
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Builds everything (the first time, or after a failure that left the
    /// site model out of step with the served pages).
    pub fn rebuild_all(&mut self, files: &RwLock<Files>) -> Outcome {
        self.pending.everything = true;
        self.apply(&[], files)
    }

    /// Applies the files that changed on disk to `files`.
    pub fn apply(&mut self, changed: &[PathBuf], files: &RwLock<Files>) -> Outcome {
        let started = Instant::now();
        for path in changed {
            if let Some(change) = self.classify(path) {
                self.pending.add(change);
            }
        }
        if self.pending.is_empty() {
            return Outcome::Unchanged;
        }
        let result = if self.state.is_none() || self.pending.everything {
            self.full(files)
        } else {
            self.incremental(files)
        };
        let elapsed = started.elapsed();
        match result {
            Ok((pages, summary, warnings)) => {
                self.pending = Pending::default();
                // Notes (overdue issues) are for `check`, not for every save.
                let warnings = warnings
                    .into_iter()
                    .filter(|w| w.severity == Severity::Warning)
                    .collect();
                Outcome::Rebuilt {
                    pages,
                    summary,
                    elapsed,
                    warnings: relative(warnings, &self.options.root),
                }
            }
            Err(errors) => Outcome::Failed {
                errors: relative(errors, &self.options.root),
                elapsed,
            },
        }
    }

    fn full(
        &mut self,
        files: &RwLock<Files>,
    ) -> Result<(usize, String, Vec<Diagnostic>), Vec<Diagnostic>> {
        let rendered = render_site(&self.options)?;
        let pages = rendered.pages.len();
        let new_files = Files::from_rendered(&rendered);
        if let Ok(mut served) = files.write() {
            *served = new_files;
        }
        let warnings = rendered.warnings.clone();
        self.search_lists = rendered.search_lists;
        self.state = Some(State {
            site: rendered.site,
            theme: rendered.theme,
            renderer: rendered.renderer,
        });
        Ok((pages, "全部页面".to_owned(), warnings))
    }

    fn incremental(
        &mut self,
        files: &RwLock<Files>,
    ) -> Result<(usize, String, Vec<Diagnostic>), Vec<Diagnostic>> {
        let root = self.options.root.clone();
        let drafts = self.options.drafts;
        let Some(state) = self.state.as_mut() else {
            return Err(Vec::new());
        };

        // First everything that can fail to load, so a failure changes nothing.
        let theme_changed = !self.pending.templates.is_empty() || self.pending.statics;
        let theme = if theme_changed {
            Some(ThemeFiles::load(&root, &state.site.config)?)
        } else {
            None
        };
        let renderer = match (&theme, self.pending.templates.is_empty()) {
            (Some(theme), false) => Some(Renderer::new(theme)?),
            _ => None,
        };
        let mut loaded: Vec<(Part, Content)> = Vec::new();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let sources = crate::load::sources::Sources::new(&root, state.site.config.max_file_mb);
        for part in &self.pending.parts {
            let (content, problems) = content::load_part(&sources, drafts, part.clone());
            let (part_warnings, part_errors) = crate::split_errors(problems);
            errors.extend(part_errors);
            warnings.extend(part_warnings);
            loaded.push((part.clone(), content));
        }
        // The content lints too, except links, which need the whole output.
        for (_, content) in &loaded {
            let lints = crate::check::lint_content(
                &state.site.config,
                content,
                state.site.as_of,
                &state.site.history,
            );
            for diagnostic in lints.diagnostics {
                match diagnostic.severity {
                    Severity::Error => errors.push(diagnostic),
                    Severity::Warning => warnings.push(diagnostic),
                    Severity::Note => {}
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        // Then the model, and which of the page map's inputs changed.
        let outline = Outline::of(&state.site);
        let mut changes = Changes::default();
        for (part, content) in loaded {
            apply(&mut state.site, part, content, &mut changes);
        }
        changes.outline(&outline, &Outline::of(&state.site));
        if let Some(theme) = theme {
            state.theme = theme;
        }
        if let Some(renderer) = renderer {
            state.renderer = renderer;
        }

        // The pages whose template changed or prints totals that did, and
        // those that show an input that changed.
        let all = Job::all(&state.site);
        let templates: BTreeSet<&'static str> = all
            .iter()
            .filter_map(Job::template)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|&template| {
                self.pending
                    .templates
                    .iter()
                    .any(|changed| state.renderer.uses(template, changed))
                    || (changes.totals() && state.renderer.reads_site_counts(template))
            })
            .collect();
        let jobs = changes.affected(&state.site, &all, &templates);
        let pages = state
            .renderer
            .render_jobs(&state.site, &jobs)
            .inspect_err(|_| {
                // The model has moved on but the pages have not: start over next time.
                self.pending.everything = true;
            })?;
        if let Ok(mut served) = files.write() {
            if theme_changed {
                served.set_statics(&state.theme);
            }
            if !self.pending.parts.is_empty() {
                served.set_attachments(&state.site);
            }
            served.set_pages(&pages);
            if changes.reshaped() {
                let map: HashSet<String> = all.iter().map(|job| job.file(&state.site)).collect();
                served.retain_pages(&map);
            }
        }
        self.generated_stale = !self.pending.parts.is_empty();
        Ok((pages.len(), describe(&jobs, theme_changed), warnings))
    }

    /// What a changed path means for the site; `None` when it does not matter.
    fn classify(&self, path: &Path) -> Option<Change> {
        let relative = path.strip_prefix(&self.options.root).ok()?;
        let parts: Vec<&str> = relative.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
        if parts.iter().any(|part| is_ignored(part)) {
            return None;
        }
        let theme = self
            .state
            .as_ref()
            .map(|state| state.site.config.theme.as_str());
        Some(match parts.as_slice() {
            [CONFIG_FILE] => Change::Everything,
            [CONTENT_DIR, NOTICES_DIR, slug, ..] if parts.len() > 3 || !slug.ends_with(".md") => {
                Change::Content(Part::Notice((*slug).to_owned()))
            }
            [CONTENT_DIR, PAGES_DIR, ..] => Change::Content(Part::Pages),
            [CONTENT_DIR, HOME_FILE] => Change::Content(Part::Home),
            [CONTENT_DIR, ..] => Change::Content(Part::All),
            // A folder appearing: whatever is in it already was missed by the watcher.
            ["templates"] => Change::Everything,
            ["templates", ..] if path.is_dir() => Change::Everything,
            ["templates", rest @ ..] => Change::Template(rest.join("/")),
            ["static", ..] => Change::Statics,
            ["themes", _, "templates", ..] if path.is_dir() => Change::Everything,
            ["themes", name, "templates", rest @ ..]
                if theme == Some(*name) && !rest.is_empty() =>
            {
                Change::Template(rest.join("/"))
            }
            ["themes", name, "static", ..] if theme == Some(*name) => Change::Statics,
            ["themes", name, ..] if theme.is_none() || theme == Some(*name) => Change::Everything,
            _ => return None,
        })
    }
}

/// Puts a reloaded part of the content into `site`, noting what changed.
fn apply(site: &mut Site, part: Part, content: Content, changes: &mut Changes) {
    match part {
        Part::All => {
            let history = std::mem::take(&mut site.history);
            // The units an aggregate read are site.yaml's, not the content's.
            let aggregate = site.aggregate.take();
            *site = Site::assemble(site.config.clone(), content, site.as_of, history);
            site.aggregate = aggregate;
            *changes = Changes::everything();
        }
        Part::Notice(slug) => {
            let source = content.notices.into_iter().find(|n| n.slug == slug);
            let old = site.replace_notice(&slug, source);
            let new = site.position(&slug).map(|n| &site.notices[n]);
            changes.notice(old.as_ref(), new);
        }
        Part::Pages => {
            let old = std::mem::take(&mut site.pages);
            site.replace_pages(content.pages);
            changes.pages(&old, &site.pages);
        }
        Part::Home => {
            let old = site.home.take();
            site.replace_home(content.home);
            changes.home(old.as_ref(), site.home.as_ref());
        }
    }
}

/// `问题 1 页、通报 1 页、列表 4 页、首页` for the terminal.
fn describe(jobs: &[Job], theme_changed: bool) -> String {
    let count = |keep: fn(&Job) -> bool| jobs.iter().filter(|job| keep(job)).count();
    let mut parts = Vec::new();
    for (label, number, unit) in [
        ("问题", count(|j| matches!(j, Job::Issue(..))), "页"),
        ("通报", count(|j| matches!(j, Job::Notice(_))), "页"),
        ("列表", count(|j| matches!(j, Job::Listing(..))), "页"),
        ("页面", count(|j| matches!(j, Job::Page(_))), "页"),
        // A notice's ledger is one, in two files.
        (
            "整改台账",
            count(|j| matches!(j, Job::Ledger(_, LedgerFile::Workbook))),
            "份",
        ),
    ] {
        if number > 0 {
            parts.push(format!("{label} {number} {unit}"));
        }
    }
    if jobs.contains(&Job::Home) {
        parts.push("首页".to_owned());
    }
    if theme_changed && jobs.is_empty() {
        parts.push("主题文件".to_owned());
    }
    parts.join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE_YAML: &str = "title: 测试 巡察整改公开\nbase_url: /\nas_of: 2025-10-01\nowner: { name: 测试委员会 }\nsupervision: { phone: 0000-00000000, email: a@example.gov.cn, address: 某路1号, postcode: \"000000\" }\n";

    fn issue(title: &str, status: &str) -> String {
        format!(
            "---\ntitle: {title}\naspect: 某方面\nstatus: {status}\ndeadline: 2025-12-31\n---\n\n一是整改。\n"
        )
    }

    /// A site of two notices, three issues each, served from memory.
    fn served_site()
    -> Result<(tempfile::TempDir, Session, RwLock<Files>), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let write = |path: &str, text: &str| -> std::io::Result<()> {
            let at = dir.path().join(path);
            std::fs::create_dir_all(at.parent().unwrap_or(dir.path()))?;
            std::fs::write(at, text)
        };
        write("site.yaml", SITE_YAML)?;
        for (slug, date) in [("2025-a", "2025-03-01"), ("2025-b", "2025-04-01")] {
            write(
                &format!("content/notices/{slug}/index.md"),
                &format!(
                    "---\ntitle: 关于{slug}整改进展情况的通报\norganization: 测试委员会\npublished: {date}\n---\n\n正文。\n"
                ),
            )?;
            for n in 1..=3 {
                write(
                    &format!("content/notices/{slug}/issues/0{n}-w.md"),
                    &issue(&format!("问题{slug}{n}"), "in_progress"),
                )?;
            }
        }
        let mut session = Session::new(Options {
            root: dir.path().to_path_buf(),
            ..Options::default()
        });
        let files = RwLock::new(Files::default());
        match session.rebuild_all(&files) {
            Outcome::Rebuilt { .. } => Ok((dir, session, files)),
            other => Err(format!("the site did not build: {other:?}").into()),
        }
    }

    /// What re-rendering `path` after writing `text` to it touched.
    fn rebuilt(
        dir: &tempfile::TempDir,
        session: &mut Session,
        files: &RwLock<Files>,
        path: &str,
        text: &str,
    ) -> Result<(usize, String), Box<dyn std::error::Error>> {
        let at = dir.path().join(path);
        std::fs::write(&at, text)?;
        match session.apply(&[at], files) {
            Outcome::Rebuilt { pages, summary, .. } => Ok((pages, summary)),
            other => Err(format!("not rebuilt: {other:?}").into()),
        }
    }

    #[test]
    fn an_issues_text_renders_its_page_its_neighbours_and_its_notice_only()
    -> Result<(), Box<dyn std::error::Error>> {
        let (dir, mut session, files) = served_site()?;
        let text = issue("问题2025-a1", "in_progress").replace("一是整改。", "一是全面整改。");
        let (pages, summary) = rebuilt(
            &dir,
            &mut session,
            &files,
            "content/notices/2025-a/issues/01-w.md",
            &text,
        )?;
        // The next issue's page shows it as `previous`; no listing shows a body.
        assert_eq!(
            (pages, summary.as_str()),
            (5, "问题 2 页、通报 1 页、整改台账 1 份")
        );
        Ok(())
    }

    #[test]
    fn an_issues_status_renders_its_notice_the_listings_and_the_home_page()
    -> Result<(), Box<dyn std::error::Error>> {
        let (dir, mut session, files) = served_site()?;
        let text = issue("问题2025-a1", "completed");
        let (_, summary) = rebuilt(
            &dir,
            &mut session,
            &files,
            "content/notices/2025-a/issues/01-w.md",
            &text,
        )?;
        // The notice's three issues (their neighbours show the status), the
        // notice, one page of each of the six listings, the home page.
        assert!(
            summary.starts_with("问题 3 页、通报 1 页、列表 6 页"),
            "{summary}"
        );
        assert!(summary.contains("首页"), "{summary}");
        Ok(())
    }

    #[test]
    fn a_page_template_renders_its_pages_only() -> Result<(), Box<dyn std::error::Error>> {
        let (dir, mut session, files) = served_site()?;
        std::fs::create_dir_all(dir.path().join("templates"))?;
        let theme =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/issue.html");
        let text = std::fs::read_to_string(theme)?.replacen(
            "{% endblock content %}",
            "<p>改</p>{% endblock content %}",
            1,
        );
        let (pages, summary) = rebuilt(&dir, &mut session, &files, "templates/issue.html", &text)?;
        assert_eq!((pages, summary.as_str()), (6, "问题 6 页"));
        Ok(())
    }
}
