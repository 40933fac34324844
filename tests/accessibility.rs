//! Every page type of the example portal has no axe-core violations of the
//! WCAG 2.1 A and AA rules, in headless Chromium; search finds Chinese
//! phrases exactly where the text has them.
//!
//! Needs chromium and axe-core (`npm install --prefix target/npm axe-core@4`;
//! `.ci/run` installs both). Outside CI, missing tools skip with a note.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use headless_chrome::Tab;

fn axe_source() -> Option<String> {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "axe-core is required in CI: {}",
                path.display()
            );
            eprintln!("axe-core not installed: accessibility test skipped");
            None
        }
    }
}

/// The example portal built into a temporary folder.
fn built_example() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = out.path().join("public");
    common::run_in(repo, &["build", "-o", output.to_str().expect("utf-8")]).assert_ok();
    out
}

fn open(tab: &Tab, file: &Path) {
    tab.navigate_to(&format!("file://{}", file.display()))
        .and_then(|tab| tab.wait_until_navigated())
        .unwrap_or_else(|e| panic!("open {}: {e}", file.display()));
}

fn evaluate_string(tab: &Tab, expression: &str, await_promise: bool) -> String {
    tab.evaluate(expression, await_promise)
        .ok()
        .and_then(|result| result.value)
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Runs axe-core's WCAG 2.1 A and AA rules on the open page; `[]` when clean.
fn axe_violations(tab: &Tab, axe: &str) -> String {
    tab.evaluate(axe, false).expect("load axe-core");
    evaluate_string(
        tab,
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })\
         .then(r => JSON.stringify(r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))",
        true,
    )
}

#[test]
fn every_page_type_passes_axe_wcag_2_1_aa() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let Some(axe) = axe_source() else { return };
    let out = built_example();
    let public = out.path().join("public");
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    let pages = [
        "index.html",
        "notices/2025-qinghe-shequ/index.html",
        "notices/2025-qinghe-shequ/issues/09-guding-zichan/index.html",
        "notices/2025-yunxi-dier-yiyuan/index.html",
        "notices/2025-shi-weijianwei-dangzu/issues/04-jikong-gaige/index.html",
        "status/completed/index.html",
        "status/in_progress/index.html",
        "overdue/index.html",
        "notices/index.html",
        "organizations/index.html",
        "years/2025/index.html",
        "search/index.html?q=三重一大",
        "lianxi/index.html",
        "404.html",
    ];
    let failures = axe_failures(&tab, &axe, &public, &pages);
    assert!(
        failures.is_empty(),
        "axe violations:\n{}",
        failures.join("\n")
    );
}

/// Each of `pages` (under `public`, with an optional `?query`) opened in
/// `tab`, with the axe violations of those that have any.
fn axe_failures(tab: &Tab, axe: &str, public: &Path, pages: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    for page in pages {
        let (file, query) = page.split_once('?').unwrap_or((page, ""));
        let url = public.join(file);
        assert!(url.is_file(), "{page} was not built");
        let target = if query.is_empty() {
            url
        } else {
            PathBuf::from(format!("{}?{query}", url.display()))
        };
        open(tab, &target);
        let violations = axe_violations(tab, axe);
        if violations != "[]" {
            failures.push(format!("{page}: {violations}"));
        }
    }
    failures
}

#[test]
fn listings_become_cards_on_a_phone_and_still_pass_axe() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let Some(axe) = axe_source() else { return };
    let out = built_example();
    let public = out.path().join("public");
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    tab.set_bounds(headless_chrome::types::Bounds::Normal {
        left: None,
        top: None,
        width: Some(390.0),
        height: Some(844.0),
    })
    .expect("phone-sized window");
    let pages = [
        "status/in_progress/index.html",
        "overdue/index.html",
        "notices/2025-qinghe-shequ/index.html",
    ];
    let failures = axe_failures(&tab, &axe, &public, &pages);
    assert!(
        failures.is_empty(),
        "axe violations at 390 px:\n{}",
        failures.join("\n")
    );
    // Each row is a card as wide as the table: the problem's title is not
    // squeezed into a column.
    open(&tab, &public.join("status/in_progress/index.html"));
    assert_eq!(
        evaluate_string(&tab, "String(window.innerWidth)", false),
        "390"
    );
    let layout = evaluate_string(
        &tab,
        "(() => { const row = document.querySelector('.listing tbody tr'); \
           const title = row.querySelector('td'); \
           return getComputedStyle(row).display + ' ' + \
             (title.getBoundingClientRect().width >= 0.9 * row.getBoundingClientRect().width); })()",
        false,
    );
    assert_eq!(layout, "block true");
}

/// Issue and notice titles the search page lists for `query`, once its
/// results appear, every page of them.
fn search(tab: &Tab, page: &Path, query: &str) -> Vec<String> {
    let url = format!("file://{}?q={query}", page.display());
    tab.navigate_to(&url)
        .and_then(|tab| tab.wait_until_navigated())
        .expect("open search");
    all_results(tab, query);
    let json = evaluate_string(
        tab,
        "JSON.stringify([...document.querySelectorAll('.result-title')].map(a => a.textContent))",
        false,
    );
    let mut titles: Vec<String> = serde_json::from_str(&json).expect("titles");
    titles.sort();
    titles
}

/// Waits for the results, asking for more until all are shown.
fn all_results(tab: &Tab, query: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = evaluate_string(
            tab,
            "document.getElementById('search-summary').dataset.state + ' ' + document.getElementById('search-more').hidden",
            false,
        );
        match state.as_str() {
            "done true" => return,
            "done false" => {
                evaluate_string(
                    tab,
                    "document.getElementById('search-more').click(), ''",
                    false,
                );
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
        assert!(
            Instant::now() < deadline,
            "no search results for {query}: {state}"
        );
    }
}

/// The titles of notices and issues whose files contain `query`, read
/// straight from content/ (titles, groups, departments and bodies).
fn containing(query: &str) -> Vec<String> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/notices");
    let mut titles = Vec::new();
    for entry in walkdir::WalkDir::new(content) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read");
        let (front, body) = text[4..].split_once("\n---\n").expect("front matter");
        let field = |name: &str| {
            front
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let is_issue = entry.path().parent().is_some_and(|p| p.ends_with("issues"));
        let searchable = if is_issue {
            [
                field("title:"),
                field("aspect:"),
                field("item:"),
                field("department:"),
                body.replace("**", ""),
            ]
            .join(" ")
        } else {
            [
                field("title:"),
                field("organization:"),
                body.replace("**", ""),
            ]
            .join(" ")
        };
        if searchable.contains(query) {
            titles.push(field("title:"));
        }
    }
    titles.sort();
    titles
}

#[test]
fn chinese_queries_find_exactly_the_texts_that_contain_them() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let out = built_example();
    let page = out.path().join("public/search/index.html");
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    for query in ["号贩子", "双带头人", "三重一大", "医德医风", "固定资产"] {
        let expected = containing(query);
        assert!(!expected.is_empty(), "the example should contain {query}");
        assert_eq!(search(&tab, &page, query), expected, "query {query}");
    }
    // Filters narrow the results: 三重一大 among completed issues of one body only.
    let filtered = search(&tab, &page, "三重一大&status=completed&organization=0");
    assert!(
        filtered.len() < containing("三重一大").len(),
        "{filtered:?}"
    );
}

/// The titles of the issues whose front matter has `line` (`lead: 分管副院长`).
fn issues_with(line: &str) -> Vec<String> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/notices");
    let mut titles = Vec::new();
    for entry in walkdir::WalkDir::new(content) {
        let entry = entry.expect("walk");
        let is_issue = entry.path().parent().is_some_and(|p| p.ends_with("issues"));
        if !is_issue || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read");
        if text.lines().any(|l| l.trim() == line)
            && let Some(title) = text.lines().find_map(|l| l.strip_prefix("title:"))
        {
            titles.push(title.trim().to_owned());
        }
    }
    titles.sort();
    titles
}

/// Every field an issue's page shows finds it: its lead, its deadline in
/// both forms, typed in full-width digits too, and its notice's issuing
/// body; titles that hold the query come first.
#[test]
fn search_finds_every_field_a_page_shows_and_ranks_titles_first() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let out = built_example();
    let page = out.path().join("public/search/index.html");
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    let includes = |found: &[String], wanted: &[String], query: &str| {
        assert!(!wanted.is_empty(), "the example should have {query}");
        for title in wanted {
            assert!(found.contains(title), "{query} misses {title}: {found:?}");
        }
    };
    let lead = search(&tab, &page, "分管副院长");
    includes(&lead, &issues_with("lead: 分管副院长"), "分管副院长");
    let deadline = issues_with("deadline: 2025-09-30");
    for query in ["2025年9月30日", "2025-09-30", "２０２５年９月３０日"] {
        includes(&search(&tab, &page, query), &deadline, query);
    }
    assert_eq!(
        search(&tab, &page, "２０２５年９月３０日"),
        search(&tab, &page, "2025年9月30日")
    );
    // The hospital's name finds its notices and every one of their issues.
    let hospital = search(&tab, &page, "中共云溪市第二人民医院委员会");
    let issues =
        walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/notices"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                e.path().to_string_lossy().contains("yunxi-dier-yiyuan")
                    && e.path().parent().is_some_and(|p| p.ends_with("issues"))
            })
            .count();
    assert!(
        hospital.len() >= issues + 2,
        "{} < {issues} + 2",
        hospital.len()
    );
    // Ranked: the results whose title holds the query come first.
    search(&tab, &page, "固定资产");
    let json = evaluate_string(
        &tab,
        "JSON.stringify([...document.querySelectorAll('.result-title')].map(a => a.textContent.includes('固定资产')))",
        false,
    );
    let in_title: Vec<bool> = serde_json::from_str(&json).expect("flags");
    assert!(
        in_title.iter().any(|&t| t) && in_title.iter().any(|&t| !t),
        "{in_title:?}"
    );
    let first_other = in_title.iter().position(|&t| !t).unwrap_or(in_title.len());
    assert!(
        in_title[first_other..].iter().all(|&t| !t),
        "titles with the query come first: {in_title:?}"
    );
    // The snippet starts at the field that matched, with its label.
    search(&tab, &page, "分管副院长");
    let json = evaluate_string(
        &tab,
        "JSON.stringify([...document.querySelectorAll('.result-snippet')].map(p => p.textContent))",
        false,
    );
    let snippets: Vec<String> = serde_json::from_str(&json).expect("snippets");
    assert!(
        snippets.iter().any(|s| s
            .trim_start_matches('…')
            .starts_with("牵头领导：分管副院长")),
        "{snippets:?}"
    );
}

/// A listing's rows sort by deadline and filter by department in the
/// browser; without the script the table is as the build wrote it.
#[test]
fn listings_sort_by_deadline_and_filter_by_department() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let out = built_example();
    let page = out.path().join("public/status/in_progress/index.html");
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    open(&tab, &page);
    let shown = |tab: &Tab, column: usize| -> Vec<String> {
        let json = evaluate_string(
            tab,
            &format!(
                "JSON.stringify([...document.querySelectorAll('table.listing tbody tr')]\
                 .filter(r => !r.hidden).map(r => r.cells[{column}].textContent.trim()))"
            ),
            false,
        );
        serde_json::from_str(&json).expect("cells")
    };
    let before = shown(&tab, 3).len();
    assert!(before > 3, "{before} rows");
    let choose = |tab: &Tab, name: &str, value: &str| {
        tab.evaluate(
            &format!(
                "(() => {{ const s = document.getElementById('listing-rows-{name}'); \
                 s.value = {value:?}; s.dispatchEvent(new Event('change')); }})()"
            ),
            false,
        )
        .expect("choose");
    };
    choose(&tab, "sort", "deadline");
    let deadlines: Vec<String> = shown(&tab, 3)
        .into_iter()
        .filter(|d| d != "—")
        .map(|d| {
            // 2025年9月30日 → 2025-09-30, to compare.
            let digits: Vec<u32> = d
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            format!("{:04}-{:02}-{:02}", digits[0], digits[1], digits[2])
        })
        .collect();
    let mut sorted = deadlines.clone();
    sorted.sort();
    assert_eq!(deadlines, sorted);
    choose(&tab, "department", "财务科");
    let departments = shown(&tab, 4);
    assert!(!departments.is_empty() && departments.len() < before);
    assert!(departments.iter().all(|d| d == "财务科"), "{departments:?}");
    let status = evaluate_string(
        &tab,
        "document.querySelector('.listing-tools-status').textContent",
        false,
    );
    assert!(status.contains(&format!("共 {before} 条")), "{status}");
}

/// 大字号 and 高对比度: body text is at least 16 px, at least 18 px in the
/// large mode, the choice survives going to another page, and the
/// high-contrast pages pass axe too.
#[test]
fn the_elderly_friendly_switch_persists_across_pages() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let Some(axe) = axe_source() else { return };
    let out = built_example();
    let public = out.path().join("public");
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    let font_size = |tab: &Tab| {
        evaluate_string(
            tab,
            "getComputedStyle(document.querySelector('.article-body p') || document.body).fontSize",
            false,
        )
        .trim_end_matches("px")
        .parse::<f64>()
        .expect("font size")
    };
    open(&tab, &public.join("notices/2025-qinghe-shequ/index.html"));
    assert!(font_size(&tab) >= 16.0);
    tab.evaluate("document.querySelector('[data-view=large]').click(); document.querySelector('[data-view=contrast]').click()", false)
        .expect("click");
    open(
        &tab,
        &public.join("notices/2025-yunxi-dier-yiyuan/index.html"),
    );
    let classes = evaluate_string(&tab, "document.documentElement.className", false);
    assert!(
        classes.contains("large") && classes.contains("contrast"),
        "{classes}"
    );
    assert!(font_size(&tab) >= 18.0, "large mode");
    let pressed = evaluate_string(
        &tab,
        "document.querySelector('[data-view=large]').getAttribute('aria-pressed')",
        false,
    );
    assert_eq!(pressed, "true");
    assert_eq!(
        axe_violations(&tab, &axe),
        "[]",
        "high contrast, large text"
    );
}
