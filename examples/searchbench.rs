//! What a reader's browser fetches and waits for when searching a built
//! portal, measured in headless Chromium through the DevTools protocol.
//!
//! ```sh
//! cargo run --release --example searchbench -- --url http://127.0.0.1:8000/search/index.html 整改 号源
//! ```
//!
//! For each query, on a fresh page with the cache off: the bytes the
//! network delivered (`Network.loadingFinished`'s `encodedDataLength`) to
//! open the search page, and then to type the query and see its first
//! results; then, with the parts of the index fetched, the time from the
//! keystroke's input event to the results in the page (`gongkai-search`
//! measures that search.js records), over `--repeats` retypings.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};

#[derive(Parser)]
struct Args {
    /// The search page, served over HTTP.
    #[arg(long)]
    url: String,
    /// Retypings per query once its parts are fetched.
    #[arg(long, default_value_t = 10)]
    repeats: usize,
    queries: Vec<String>,
}

/// Bytes delivered, by URL, since the last `take`.
#[derive(Default)]
struct Traffic {
    urls: HashMap<String, String>,
    delivered: Vec<(String, f64)>,
}

fn evaluate(tab: &Tab, expression: &str) -> serde_json::Value {
    tab.evaluate(expression, false)
        .ok()
        .and_then(|result| result.value)
        .unwrap_or_default()
}

fn wait_until(tab: &Tab, expression: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while evaluate(tab, expression) != serde_json::Value::Bool(true) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {expression}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn take(traffic: &Mutex<Traffic>) -> Vec<(String, f64)> {
    traffic
        .lock()
        .map(|mut t| std::mem::take(&mut t.delivered))
        .unwrap_or_default()
}

fn kilobytes(delivered: &[(String, f64)]) -> f64 {
    delivered.iter().map(|(_, bytes)| bytes).sum::<f64>() / 1024.0
}

/// Types `query` into the emptied search box, as an input method commits it.
fn type_query(tab: &Tab, query: &str) {
    evaluate(
        tab,
        "(() => { const s = document.getElementById('search-summary'); \
           s.dataset.state = 'typing'; performance.clearMeasures(); \
           const q = document.getElementById('search-q'); q.value = ''; q.focus(); return true; })()",
    );
    tab.call_method(headless_chrome::protocol::cdp::Input::InsertText {
        text: query.to_owned(),
    })
    .expect("type");
    wait_until(
        tab,
        "document.getElementById('search-summary').dataset.state === 'done'",
    );
}

fn main() {
    let args = Args::parse();
    let browser = Browser::new(LaunchOptions {
        path: Some("/usr/bin/chromium".into()),
        headless: true,
        sandbox: false,
        idle_browser_timeout: Duration::from_secs(600),
        args: vec![std::ffi::OsStr::new("--disable-gpu")],
        ..LaunchOptions::default()
    })
    .expect("launch chromium");
    let tab = browser.new_tab().expect("tab");
    let traffic = Arc::new(Mutex::new(Traffic::default()));
    let listening = Arc::clone(&traffic);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let Ok(mut traffic) = listening.lock() else {
            return;
        };
        match event {
            Event::NetworkRequestWillBeSent(sent) => {
                let url = sent.params.request.url.clone();
                traffic.urls.insert(sent.params.request_id.clone(), url);
            }
            Event::NetworkLoadingFinished(done) => {
                let url = traffic
                    .urls
                    .get(&done.params.request_id)
                    .cloned()
                    .unwrap_or_default();
                traffic
                    .delivered
                    .push((url, done.params.encoded_data_length));
            }
            _ => {}
        }
    }))
    .expect("listen");
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .expect("network events");
    tab.call_method(Network::SetCacheDisabled {
        cache_disabled: true,
    })
    .expect("no cache");

    println!("query\tpage KB\tquery KB\tfiles\tresults\tkeystroke→results ms (median, max)");
    // The most transferred for the first results of a two-character query,
    // and of any query; the slowest keystroke-to-results.
    let (mut worst_two, mut worst, mut slowest): (f64, f64, f64) = (0.0, 0.0, 0.0);
    for query in &args.queries {
        tab.navigate_to(&args.url)
            .and_then(|tab| tab.wait_until_navigated())
            .expect("open the search page");
        wait_until(&tab, "document.readyState === 'complete'");
        std::thread::sleep(Duration::from_millis(200));
        let page = take(&traffic);
        type_query(&tab, query);
        std::thread::sleep(Duration::from_millis(200));
        let fetched = take(&traffic);
        let summary = evaluate(
            &tab,
            "document.getElementById('search-summary').textContent",
        );
        let mut times = Vec::new();
        for _ in 0..args.repeats {
            type_query(&tab, query);
            let measured = evaluate(
                &tab,
                "(() => { const m = performance.getEntriesByName('gongkai-search'); \
                   return m.length ? m[m.length - 1].duration : -1; })()",
            );
            times.push(measured.as_f64().unwrap_or(-1.0));
        }
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(-1.0);
        let max = times.last().copied().unwrap_or(-1.0);
        let total = kilobytes(&page) + kilobytes(&fetched);
        worst = worst.max(total);
        if query.chars().count() == 2 {
            worst_two = worst_two.max(total);
        }
        slowest = slowest.max(max);
        println!(
            "{query}\t{:.1}\t{:.1}\t{}\t{}\t{median:.1}, {max:.1}",
            kilobytes(&page),
            kilobytes(&fetched),
            fetched.len(),
            summary.as_str().unwrap_or_default(),
        );
    }
    println!(
        "first results, page + query: at most {worst_two:.1} KB for two characters, \
         {worst:.1} KB for any query; slowest keystroke→results: {slowest:.1} ms"
    );
}
