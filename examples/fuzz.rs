//! A mutation fuzzer for gongkai's inputs: front matter, Markdown, site.yaml
//! and whole sites, checked in process for panics.
//!
//! ```sh
//! cargo run --release --example fuzz -- --seconds 600
//! ```
//!
//! Seeds are the files of the example portal and, when they are beside the
//! repository, the plain-text samples (for `import`). Each round mutates one of
//! them (byte and line edits, CJK punctuation, fences, nesting, tabs, BOM,
//! CRLF, huge repeats), feeds it to the Markdown renderer and the YAML
//! readers directly, and every tenth round builds a whole site with it in
//! memory. A panic stops the run and saves the input under `target/fuzz/`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Parser;
use gongkai::markdown::{self, Settings};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

const SNIPPETS: &[&str] = &[
    "---\n",
    "：",
    ":",
    " ",
    "\t",
    "\r\n",
    "\u{feff}",
    "**",
    "*",
    "`",
    "```\n",
    "[",
    "]",
    "(",
    ")",
    "![",
    "{",
    "}",
    "\"",
    "'",
    "- ",
    "> ",
    "#",
    "|",
    "<!-- issues -->",
    "<b>",
    "</b>",
    "&",
    "\\",
    "2025-02-30",
    "2025年13月1日",
    "整改种",
    "已完成",
    "11010519491231002X",
    "13812341234",
    "6222021234567890128",
    "一是",
    "（一）",
    "\u{0}",
    "\u{202e}",
    "🙂",
    "../",
    "/",
    "%2e%2e",
    "title: ",
    "status: ",
    "aspect: ",
];

fn mutate(seed: &[u8], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..rng.random_range(1..=8) {
        let at = if data.is_empty() {
            0
        } else {
            rng.random_range(0..=data.len())
        };
        match rng.random_range(0..8) {
            0 => {
                let snippet = SNIPPETS.choose(rng).copied().unwrap_or("");
                data.splice(at..at, snippet.bytes());
            }
            1 if !data.is_empty() => {
                let end = (at + rng.random_range(1..64)).min(data.len());
                data.drain(at.min(data.len())..end);
            }
            2 if !data.is_empty() => {
                let index = rng.random_range(0..data.len());
                data[index] = rng.random();
            }
            3 if !data.is_empty() => {
                // Repeat a piece many times: huge files and deep nesting.
                let start = at.min(data.len().saturating_sub(1));
                let end = (start + rng.random_range(1..8)).min(data.len());
                let piece = data[start..end].to_vec();
                let times = rng.random_range(2..2_000);
                let repeated: Vec<u8> = piece
                    .iter()
                    .copied()
                    .cycle()
                    .take(piece.len() * times)
                    .collect();
                data.splice(start..start, repeated);
            }
            4 => {
                let text = String::from_utf8_lossy(&data).replace('\n', "\r\n");
                data = text.into_bytes();
            }
            5 => {
                let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
                if let Some(line) = lines.choose(rng) {
                    let line = line.to_vec();
                    data.splice(at..at, line.into_iter().chain([b'\n']));
                }
            }
            6 => {
                let text = String::from_utf8_lossy(&data).into_owned();
                data = encoding_rs::GBK.encode(&text).0.into_owned();
            }
            _ => data.truncate(at),
        }
    }
    data
}

fn seeds(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let samples = root.join("../shared/samples");
    let mut seeds = site_files(root);
    for entry in std::fs::read_dir(samples).into_iter().flatten().flatten() {
        if let Ok(bytes) = std::fs::read(entry.path()) {
            // Written as an issue file in whole-site rounds, and imported in every round.
            seeds.push((
                PathBuf::from(
                    "content/notices/2025-yunxi-dier-yiyuan/issues/01-dangwei-lingdao.md",
                ),
                bytes,
            ));
        }
    }
    seeds
}

fn site_files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .chain([root.join("site.yaml")])
        .filter_map(|path| {
            let relative = path.strip_prefix(root).ok()?.to_path_buf();
            Some((relative, std::fs::read(&path).ok()?))
        })
        .collect()
}

fn copy_site(from: &Path, to: &Path) {
    for (relative, bytes) in site_files(from) {
        let target = to.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(target, bytes).expect("write");
    }
}

fn main() {
    let args = Args::parse();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = seeds(repo);
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let scratch = std::env::temp_dir().join(format!("gongkai-fuzz-{}", std::process::id()));
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    std::panic::set_hook(Box::new(|_| {}));
    let (mut executions, mut sites) = (0u64, 0u64);
    while Instant::now() < deadline {
        let (path, seed) = seeds.choose(&mut rng).expect("seeds");
        let input = mutate(seed, &mut rng);
        let text = String::from_utf8_lossy(&input).into_owned();
        let whole_site = executions % 10 == 0;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let _ = markdown::render(
                &text,
                Settings {
                    sanitize: true,
                    root: "../",
                },
            );
            let _ = gongkai::load::config::Config::parse(Path::new("site.yaml"), &text);
            let imported = gongkai::import::parse(&text, "x");
            let _ = gongkai::import::files(&imported);
            if whole_site {
                let _ = std::fs::remove_dir_all(&scratch);
                copy_site(repo, &scratch);
                std::fs::write(scratch.join(path), &input).expect("write");
                let options = gongkai::Options {
                    root: scratch.clone(),
                    ..Default::default()
                };
                let _ = gongkai::check(&options);
            }
        }));
        executions += 1;
        sites += u64::from(whole_site);
        if outcome.is_err() {
            let crashes = repo.join("target/fuzz");
            std::fs::create_dir_all(&crashes).expect("mkdir");
            let saved = crashes.join(format!(
                "crash-{executions}-{}",
                path.display().to_string().replace('/', "_")
            ));
            std::fs::write(&saved, &input).expect("save");
            eprintln!(
                "panic on input {} (from {})",
                saved.display(),
                path.display()
            );
            std::process::exit(1);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "{executions} executions ({sites} whole sites) in {} s, no panic",
        args.seconds
    );
}
