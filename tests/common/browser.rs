//! Headless Chromium for the browser tests (Debian's chromium; `.ci/run` installs it).

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

use headless_chrome::{Browser, LaunchOptions, Tab};

/// Debian's chromium; outside CI a missing browser skips the test with a note.
pub fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is required in CI (.ci/run installs it)"
        );
        eprintln!("chromium not installed: browser test skipped (apt-get install chromium)");
    }
    found
}

/// A headless browser and the profile folder it uses (deleted when dropped).
pub fn launch(chromium: &std::path::Path) -> (Browser, tempfile::TempDir) {
    let profile = tempfile::tempdir().expect("profile");
    let flags = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
    ];
    let browser = Browser::new(LaunchOptions {
        path: Some(chromium.to_path_buf()),
        headless: true,
        sandbox: false,
        user_data_dir: Some(profile.path().to_path_buf()),
        args: flags.iter().map(OsStr::new).collect(),
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    })
    .expect("launch chromium");
    (browser, profile)
}

/// Evaluates `expression` in the page until it is true, for up to 10 s.
pub fn wait_until(tab: &Tab, expression: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let value = tab
            .evaluate(expression, false)
            .ok()
            .and_then(|result| result.value)
            .and_then(|value| value.as_bool());
        if value == Some(true) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("not true within 10 s: {expression}");
}
