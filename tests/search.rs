//! Search on a portal large enough that its index is cut into many files:
//! in headless Chromium, from the folder on disk, every query lists exactly
//! the documents whose text holds every word (found here the slow way,
//! from the documents the index holds), in rank order, and reads only the
//! files its keys and its first results are in.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::Site;
use headless_chrome::Tab;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use unicode_normalization::UnicodeNormalization;

const WORDS: &[&str] = &[
    "号贩子",
    "三重一大",
    "整改",
    "完成",
    "医德医风",
    "责任",
    "科室",
    "落实",
    "情况",
    "巡察",
    "反馈",
    "问题",
    "党委",
    "制度",
    "ＡＢ",
    "Covid",
    "２０２５",
    "台账",
    "（一）",
    "：",
];
const STATUSES: &[&str] = &["completed", "partial", "in_progress"];
const DEPARTMENTS: &[&str] = &["医务科", "财务科", "党委办公室", "院办"];

/// 270 notices of three bodies with twenty-five issues each (enough for
/// the longest lists to be files of their own), their texts drawn from
/// `WORDS` and single characters.
fn portal() -> Site {
    let site = Site::new();
    fs::remove_dir_all(site.path("content/notices/2025-ceshi")).expect("remove the fixture");
    let mut random = ChaCha8Rng::seed_from_u64(7);
    for n in 0..270 {
        let body = ["中共甲医院委员会", "中共乙中心委员会", "丙卫生院"][n % 3];
        let notice = common::NOTICE
            .replace(
                "title: 中共测试医院委员会关于市委巡察整改进展情况的通报",
                &format!("title: {}", text(&mut random, 4)),
            )
            .replace(
                "organization: 中共测试医院委员会",
                &format!("organization: {body}"),
            )
            .replace("declared: { aspects: 2, items: 3, problems: 4 }\n", "")
            .replace("前言。", &text(&mut random, 12));
        site.write(&format!("content/notices/2025-n{n:03}/index.md"), notice);
        for i in 0..25 {
            let status = STATUSES.choose(&mut random).unwrap_or(&"completed");
            let deadline = if *status == "completed" {
                String::new()
            } else {
                format!("deadline: 2025-0{}-15\n", random.random_range(1..10))
            };
            let words = random.random_range(2..14);
            let issue = format!(
                "---\ntitle: {}\nstatus: {status}\n{deadline}department: {}\n---\n\n{}\n",
                text(&mut random, 3),
                DEPARTMENTS.choose(&mut random).unwrap_or(&"院办"),
                text(&mut random, words),
            );
            site.write(
                &format!("content/notices/2025-n{n:03}/issues/{i:02}.md"),
                issue,
            );
        }
    }
    site
}

/// `words` words of `WORDS` and single characters.
fn text(random: &mut ChaCha8Rng, words: usize) -> String {
    (0..words)
        .map(|_| {
            if random.random_bool(0.3) {
                char::from_u32(random.random_range(0x4E00..0x4E40))
                    .unwrap_or('一')
                    .to_string()
            } else {
                (*WORDS.choose(random).unwrap_or(&"")).to_owned()
            }
        })
        .collect()
}

/// As the build and the page fold: NFKC, lower case, a character at a time.
fn folded(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            std::iter::once(c)
                .nfkc()
                .flat_map(char::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct Document {
    t: String,
    u: String,
    s: Option<String>,
    #[serde(default)]
    d: bool,
    o: usize,
    x: String,
}

/// The call's data in a file of the index: `GONGKAI_SEARCH_PART("d/3",…);`.
fn data_of(script: &str) -> &str {
    let (_, rest) = script.split_once(',').expect("a call");
    rest.trim_end().trim_end_matches(';').trim_end_matches(')')
}

/// Every document of the index, in its order, and the issuing bodies.
fn documents(public: &Path) -> (Vec<Document>, Vec<String>) {
    let directory = fs::read_to_string(public.join("search/index.js")).expect("directory");
    let directory: serde_json::Value = serde_json::from_str(
        directory
            .trim_start_matches("window.GONGKAI_SEARCH=")
            .trim_end()
            .trim_end_matches(';'),
    )
    .expect("directory JSON");
    let count = |name: &str| directory[name].as_u64().expect("number") as usize;
    let mut documents = Vec::new();
    for file in 0..count("documents").div_ceil(count("shard")) {
        let script =
            fs::read_to_string(public.join(format!("search/d/{file}.js"))).expect("documents");
        let part: Vec<Document> = serde_json::from_str(data_of(&script)).expect("documents JSON");
        documents.extend(part);
    }
    assert_eq!(documents.len(), count("documents"));
    let organizations = serde_json::from_value(directory["organizations"].clone()).expect("names");
    (documents, organizations)
}

/// The paths a query should list, in rank order: every word in the title,
/// then some word in the title, then the rest.
fn expected(
    documents: &[Document],
    organizations: &[String],
    query: &str,
    keep: impl Fn(&Document) -> bool,
) -> Vec<String> {
    let words: Vec<String> = folded(query)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut ranked: [Vec<String>; 3] = Default::default();
    for document in documents.iter().filter(|d| keep(d)) {
        let title = folded(&document.t);
        let mut haystack = format!("{title} {}", folded(&document.x));
        if document.s.is_some() {
            haystack = format!("{haystack} {}", folded(&organizations[document.o]));
        }
        if !words.iter().all(|w| haystack.contains(w.as_str())) {
            continue;
        }
        let in_title = words.iter().filter(|w| title.contains(w.as_str())).count();
        let rank = if in_title == words.len() && !words.is_empty() {
            0
        } else if in_title > 0 {
            1
        } else {
            2
        };
        ranked[rank].push(document.u.clone());
    }
    ranked.concat()
}

fn evaluate(tab: &Tab, expression: &str) -> String {
    tab.evaluate(expression, false)
        .ok()
        .and_then(|result| result.value)
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Opens the search page with `query` (already URL-encoded) and returns the
/// paths of its results after the first answer, and after asking for more
/// until there is no more, with the summary.
fn results(tab: &Tab, page: &Path, query: &str) -> (Vec<String>, Vec<String>, String) {
    let url = format!("file://{}?{query}", page.display());
    tab.navigate_to(&url)
        .and_then(|tab| tab.wait_until_navigated())
        .expect("open search");
    let listed = |tab: &Tab| -> Vec<String> {
        let json = evaluate(
            tab,
            "JSON.stringify([...document.querySelectorAll('.result-title')].map(a => a.getAttribute('href')))",
        );
        let hrefs: Vec<String> = serde_json::from_str(&json).expect("hrefs");
        hrefs
            .into_iter()
            .map(|href| {
                href.trim_start_matches("../")
                    .trim_end_matches("index.html")
                    .to_owned()
            })
            .collect()
    };
    common::browser::wait_until(
        tab,
        "document.getElementById('search-summary').dataset.state === 'done'",
    );
    let first = listed(tab);
    // Asks for more until there is no more, in the page.
    let all_shown = tab
        .evaluate(
            "(async () => { const more = document.getElementById('search-more'); \
               const summary = document.getElementById('search-summary'); \
               for (;;) { \
                 while (summary.dataset.state !== 'done') await new Promise(r => setTimeout(r, 5)); \
                 if (more.hidden) return 'all shown'; \
                 more.click(); \
               } })()",
            true,
        )
        .ok()
        .and_then(|result| result.value);
    assert_eq!(all_shown, Some(serde_json::json!("all shown")), "{query}");
    let summary = evaluate(tab, "document.getElementById('search-summary').textContent");
    (first, listed(tab), summary)
}

/// Which documents a query's filters keep.
type Keep = dyn Fn(&Document) -> bool;

/// The same paths in the same order; else where they part.
fn assert_same(found: &[String], wanted: &[String], query: &str) {
    if found != wanted {
        let at = found.iter().zip(wanted).take_while(|(a, b)| a == b).count();
        panic!(
            "{query}: {} results, {} expected; from #{at}: {:?} instead of {:?}",
            found.len(),
            wanted.len(),
            &found[at..found.len().min(at + 3)],
            &wanted[at..wanted.len().min(at + 3)],
        );
    }
}

#[test]
fn every_query_lists_exactly_the_documents_that_hold_it_reading_only_what_it_needs() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let site = portal();
    site.build().assert_ok();
    let public = site.path("public");
    let page = public.join("search/index.html");
    let (documents, organizations) = documents(&public);
    assert_eq!(documents.len(), 270 * 26);
    let document_files = fs::read_dir(public.join("search/d")).expect("d").count();
    let key_files = fs::read_dir(public.join("search/k")).expect("k").count();
    let lists_apart = fs::read_dir(public.join("search/k"))
        .expect("k")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().contains('-'))
        .count();
    assert!(
        document_files > 100 && key_files > 8 && lists_apart > 0,
        "{document_files} {key_files} {lists_apart}"
    );

    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    let anything = |_: &Document| true;
    let queries: [(&str, &Keep); 15] = [
        ("q=号贩子", &anything),
        // In a quarter of the issues and in no title: a list of its own.
        ("q=医务", &anything),
        ("q=整改", &anything),
        ("q=丁", &anything),
        ("q=三重一大", &anything),
        ("q=医德医风%20号贩子", &anything),
        ("q=２０２５", &anything),
        ("q=2025", &anything),
        ("q=ab", &anything),
        ("q=COVID", &anything),
        ("q=（一）", &anything),
        ("q=科室:", &anything),
        ("q=乙中心", &anything),
        ("q=号贩子&status=in_progress", &|d: &Document| {
            d.s.as_deref() == Some("in_progress")
        }),
        ("status=overdue&organization=1", &|d: &Document| {
            d.d && d.o == 1
        }),
    ];
    for (query, keep) in queries {
        let text = query
            .split('&')
            .find_map(|p| p.strip_prefix("q="))
            .unwrap_or_default()
            .replace("%20", " ");
        let wanted = expected(&documents, &organizations, &text, keep);
        assert!(!wanted.is_empty(), "{query} should find something");
        let (first, all, summary) = results(&tab, &page, query);
        let one_key_each = folded(&text)
            .split_whitespace()
            .all(|w| w.chars().count() <= 2);
        if one_key_each {
            assert_same(&all, &wanted, query);
        } else {
            // Longer words are ranked by their pairs of characters, so only
            // the set is exact.
            let sorted = |list: &[String]| list.iter().cloned().collect::<BTreeSet<_>>();
            assert_same(
                &Vec::from_iter(sorted(&all)),
                &Vec::from_iter(sorted(&wanted)),
                query,
            );
        }
        assert_eq!(first.len(), wanted.len().min(10), "{query}");
        assert!(
            summary.contains(&format!("{} 条结果", wanted.len())),
            "{query}: {summary}"
        );
    }
    for query in ["q=不存在的词语", "q=乙中心%20甲医院"] {
        let (_, all, summary) = results(&tab, &page, query);
        assert!(all.is_empty(), "{query}: {all:?}");
        assert_eq!(summary, "没有找到相关内容。", "{query}");
    }

    // A fresh page: a two-character query reads one bucket and the lists
    // kept apart from it, and the files of its first ten results.
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    tab.navigate_to(&format!("file://{}", page.display()))
        .and_then(|tab| tab.wait_until_navigated())
        .expect("open");
    common::browser::wait_until(&tab, "document.readyState === 'complete'");
    evaluate(
        &tab,
        "window.read = []; \
         new MutationObserver(changes => changes.forEach(c => c.addedNodes.forEach(n => { \
           if (n.src) window.read.push(n.src.split('/search/')[1]); }))) \
           .observe(document.head, { childList: true }); \
         const input = document.getElementById('search-q'); \
         input.value = '落实'; input.dispatchEvent(new Event('input')); ''",
    );
    common::browser::wait_until(
        &tab,
        "document.getElementById('search-summary').dataset.state === 'done'",
    );
    let read: Vec<String> =
        serde_json::from_str(&evaluate(&tab, "JSON.stringify(window.read)")).expect("names");
    let documents_read = read.iter().filter(|n| n.starts_with("d/")).count();
    let buckets_read = read
        .iter()
        .filter(|n| n.starts_with("k/") && !n.contains('-'))
        .count();
    assert!((1..=10).contains(&documents_read), "{read:?}");
    assert_eq!(buckets_read, 1, "{read:?}");
    assert!(read.len() <= 1 + 2 + 10, "{read:?}");
    assert_eq!(
        evaluate(
            &tab,
            "String(document.querySelectorAll('.result-title').length)"
        ),
        "10"
    );
}
