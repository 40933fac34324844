//! On a phone, a tablet and a narrow old phone (320, 390 and 768 px wide),
//! in the normal, 大字号 and 高对比度 views and in the dark scheme, no page of
//! any type scrolls sideways, and every section of the nav is on screen
//! without scrolling it.
//!
//! Needs chromium (`.ci/run` installs it); outside CI a missing browser
//! skips with a note.

mod common;

use std::path::Path;

use headless_chrome::Tab;
use headless_chrome::protocol::cdp::Emulation;

/// One page of every type of the example portal.
const PAGES: &[&str] = &[
    "index.html",
    "notices/index.html",
    "notices/2025-qinghe-shequ/index.html",
    "notices/2025-yunxi-dier-yiyuan/index.html",
    "notices/2025-qinghe-shequ/issues/09-guding-zichan/index.html",
    "notices/2025-shi-weijianwei-dangzu/issues/04-jikong-gaige/index.html",
    "status/in_progress/index.html",
    "overdue/index.html",
    "organizations/index.html",
    "years/2025/index.html",
    "search/index.html?q=制度",
    "lianxi/index.html",
    "data/index.html",
    "404.html",
];

fn emulate(tab: &Tab, width: u32, dark: bool) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height: 800,
        device_scale_factor: 1.0,
        mobile: true,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("device metrics");
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".into(),
            value: if dark { "dark" } else { "light" }.into(),
        }]),
    })
    .expect("colour scheme");
}

/// What is wrong with the open page at this width: how far it scrolls
/// sideways, and which nav items are off screen.
const PROBLEMS: &str = "(() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const wide = document.documentElement.scrollWidth;
  if (wide > width) {
    const culprits = [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'absolute')
      .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
    problems.push('scrolls sideways: ' + wide + ' > ' + width + ' (' + culprits.join(', ') + ')');
  }
  for (const a of document.querySelectorAll('.site-nav a')) {
    const box = a.getBoundingClientRect();
    if (box.width === 0 || box.left < 0 || box.right > width + 1) {
      problems.push('nav item off screen: ' + a.textContent.trim());
    }
  }
  return JSON.stringify(problems);
})()";

#[test]
fn no_page_scrolls_sideways_and_the_whole_nav_is_in_sight_on_phones() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let out = tempfile::tempdir().expect("temp");
    let public = out.path().join("public");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::run_in(repo, &["build", "-o", public.to_str().expect("utf-8")]).assert_ok();
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    let mut failures = Vec::new();
    for width in [320, 390, 768] {
        for page in PAGES {
            let (file, query) = page.split_once('?').unwrap_or((page, ""));
            assert!(public.join(file).is_file(), "{file} was not built");
            emulate(&tab, width, false);
            let url = format!("file://{}?{query}", public.join(file).display());
            tab.navigate_to(&url)
                .and_then(|tab| tab.wait_until_navigated())
                .unwrap_or_else(|e| panic!("open {page}: {e}"));
            // The views are classes on <html> and the scheme a media query:
            // both apply to the open page at once.
            for (view, dark) in [
                ("", false),
                ("large", false),
                ("contrast", false),
                ("", true),
            ] {
                emulate(&tab, width, dark);
                tab.evaluate(
                    &format!(
                        "document.documentElement.classList.remove('large', 'contrast');\
                         if ('{view}') document.documentElement.classList.add('{view}')"
                    ),
                    false,
                )
                .expect("view");
                let problems = tab
                    .evaluate(PROBLEMS, false)
                    .ok()
                    .and_then(|result| result.value)
                    .and_then(|value| value.as_str().map(str::to_owned))
                    .unwrap_or_default();
                if problems != "[]" {
                    let scheme = if dark { " dark" } else { "" };
                    failures.push(format!("{page} at {width} px {view}{scheme}: {problems}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
