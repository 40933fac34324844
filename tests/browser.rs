//! `gongkai serve` in a real headless Chromium: an edit shows up without a
//! manual reload, a broken edit shows the error overlay, a fix clears it.
//!
//! Needs Debian's chromium (`apt-get install chromium`; `.ci/run` installs it).
//! Outside CI the test is skipped, with a note, when chromium is missing.

mod common;

use common::Site;
use common::browser::wait_until;
use common::server::Server;

const ISSUE: &str = "content/notices/2025-ceshi/issues/03-caiwu.md";

fn edit(site: &Site, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(ISSUE)).expect("read");
    assert!(text.contains(from), "{from} not in the issue");
    site.write(ISSUE, text.replacen(from, to, 1));
}

#[test]
fn the_open_page_follows_edits_and_shows_errors() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let site = Site::new();
    let server = Server::start(&site);
    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    let url = format!(
        "http://127.0.0.1:{}/notices/2025-ceshi/issues/03-caiwu/",
        server.port
    );
    tab.navigate_to(&url)
        .and_then(|tab| tab.wait_until_navigated())
        .expect("open the issue page");
    wait_until(&tab, "document.body.innerText.includes('一是自查凭证')");
    // A mark on this document: it goes when the live reload replaces the
    // document (the test itself never reloads).
    wait_until(&tab, "(window.__opened = true)");

    edit(&site, "一是自查凭证。", "一是逐张核对报销凭证。");
    wait_until(
        &tab,
        "document.body.innerText.includes('一是逐张核对报销凭证')",
    );
    wait_until(&tab, "window.__opened === undefined");

    edit(&site, "status: 整改中", "status: 整改种");
    wait_until(
        &tab,
        "!!document.getElementById('gongkai-errors') && document.getElementById('gongkai-errors').innerText.includes('整改种')",
    );
    wait_until(
        &tab,
        "document.getElementById('gongkai-errors').innerText.includes('03-caiwu.md:5:9')",
    );
    // The last good page is still what is served underneath.
    wait_until(
        &tab,
        "document.body.innerText.includes('一是逐张核对报销凭证')",
    );

    edit(&site, "status: 整改种", "status: 基本完成");
    wait_until(&tab, "!document.getElementById('gongkai-errors')");
    wait_until(
        &tab,
        "document.querySelector('.issue-table').innerText.includes('基本完成')",
    );
}
