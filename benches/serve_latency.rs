//! Edit-to-reload latency of `gongkai serve`: the time from writing one
//! issue file to the reload message reaching an open WebSocket.
//!
//! ```sh
//! cargo bench --bench serve_latency -- [SITE ...]
//! ```
//!
//! Each site (default: the example portal of this repository) is copied to a
//! temporary folder, served, and one issue is edited `ROUNDS` times. Prints
//! the median, 90th percentile and worst edit-to-reload time, and the
//! rebuild time the server itself reports.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tungstenite::stream::MaybeTlsStream;

const ROUNDS: usize = 31;

/// What each round changes in the issue file.
#[derive(Clone, Copy)]
enum Edit {
    /// The measures text: only the issue and notice pages show it.
    Measures,
    /// The status: listings, counts and the home page change too.
    Status,
}

impl Edit {
    fn apply(self, original: &str, round: usize) -> String {
        match self {
            Edit::Measures => original.replacen("\n\n", &format!("\n\n第{round}次修改。"), 1),
            Edit::Status => {
                let status = ["completed", "in_progress"][round % 2];
                original
                    .lines()
                    // A completion date goes with the status it dates.
                    .filter(|line| !line.starts_with("completed:"))
                    .map(|line| {
                        if line.starts_with("status:") {
                            format!("status: {status}")
                        } else {
                            line.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    }

    fn label(self) -> &'static str {
        match self {
            Edit::Measures => "measures text",
            Edit::Status => "status",
        }
    }
}

fn main() {
    let sites: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let sites = if sites.is_empty() {
        vec![PathBuf::from(env!("CARGO_MANIFEST_DIR"))]
    } else {
        sites
    };
    println!(
        "| site | pages | edit | edit-to-reload median | p90 | worst | server rebuild median |"
    );
    println!("|---|---|---|---|---|---|---|");
    for site in sites {
        measure(&site, Edit::Measures);
        measure(&site, Edit::Status);
    }
}

fn copy_site(from: &Path, to: &Path) {
    for folder in ["content", "templates", "static", "themes"] {
        let source = from.join(folder);
        if source.is_dir() {
            let status = Command::new("cp")
                .arg("-r")
                .arg(&source)
                .arg(to)
                .status()
                .expect("cp");
            assert!(status.success(), "copy {}", source.display());
        }
    }
    std::fs::copy(from.join("site.yaml"), to.join("site.yaml")).expect("site.yaml");
}

/// The first issue file of the first notice, in name order.
fn an_issue(root: &Path) -> PathBuf {
    let mut notices: Vec<PathBuf> = std::fs::read_dir(root.join("content/notices"))
        .expect("notices")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    notices.sort();
    let mut issues: Vec<PathBuf> = std::fs::read_dir(notices[0].join("issues"))
        .expect("issues")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    issues.sort();
    // One without a history: a status flipped back and forth would
    // contradict the history's last step.
    issues
        .into_iter()
        .find(|issue| {
            std::fs::read_to_string(issue).is_ok_and(|text| !text.contains("\nprogress:"))
        })
        .expect("an issue without a history")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn measure(site: &Path, edit: Edit) {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_site(site, dir.path());
    let issue = an_issue(dir.path());
    let original = std::fs::read_to_string(&issue).expect("issue");

    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--root")
        .arg(dir.path())
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut pages = String::new();
    let port: u16 = loop {
        let line = lines.next().expect("address").expect("utf-8");
        if let Some(count) = line.split("共 ").nth(1) {
            pages = count.split(' ').next().unwrap_or_default().to_owned();
        }
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("port");
        }
    };
    // The server's own account of each rebuild: "…用时 N 毫秒".
    let (rebuilds, reported) = mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Some(ms) = line
                .split("用时 ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse::<u64>().ok())
            {
                let _ = rebuilds.send(Duration::from_millis(ms));
            }
        }
    });

    let (mut socket, _) =
        tungstenite::connect(format!("ws://127.0.0.1:{port}/__gongkai/livereload")).expect("ws");
    if let MaybeTlsStream::Plain(stream) = socket.get_mut() {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
    }
    let _hello = socket.read().expect("hello");

    let mut latencies = Vec::new();
    let mut server_times = Vec::new();
    for round in 0..ROUNDS {
        let edited = edit.apply(&original, round);
        let started = Instant::now();
        std::fs::write(&issue, edited).expect("edit");
        loop {
            match socket.read().expect("reload message") {
                tungstenite::Message::Text(text) if text.contains("reload") => break,
                _ => {}
            }
        }
        latencies.push(started.elapsed());
        if let Ok(time) = reported.recv_timeout(Duration::from_secs(1)) {
            server_times.push(time);
        }
        // Let the watcher settle so rounds do not merge into one batch.
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = TcpStream::connect(("127.0.0.1", port));

    latencies.sort();
    server_times.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| {} | {} | {} | {} | {} | {} | {} |",
        site.display(),
        pages,
        edit.label(),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.9)),
        ms(*latencies.last().expect("rounds")),
        server_times
            .get(server_times.len() / 2)
            .map_or("-".into(), |d| ms(*d)),
    );
}
