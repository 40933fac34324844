//! Time to make the search index of a site, apart from the rest of a build.
//!
//! ```sh
//! cargo bench --bench search_index -- SITE [ROUNDS]
//! ```
//!
//! Loads the site once (as `build` would, without writing anything), then
//! makes its search index `ROUNDS` times (default 15) from nothing, as a
//! first build does, and `ROUNDS` times with the lists of the last index
//! remembered, as a rebuild of unchanged documents does. Prints for each
//! the median and the fastest time, the CPU time a round took, the number
//! of files and bytes and a hash of them all (the same index gives the
//! same hash, whichever way it was made).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gongkai::output::{SearchLists, search_index};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let root = PathBuf::from(args.next().unwrap_or_else(|| "example".to_owned()));
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(15);
    let options = gongkai::Options {
        root,
        ..gongkai::Options::default()
    };
    let prepared = match gongkai::prepare(&options) {
        Ok(prepared) => prepared,
        Err(problems) => {
            eprintln!("the site does not build: {} problems", problems.len());
            std::process::exit(1);
        }
    };
    let site = &prepared.site;
    let nothing = SearchLists::default();
    let (_, remembered) = search_index(site, &nothing);
    for (how, from) in [("from nothing", &nothing), ("remembered", &remembered)] {
        let cpu_before = cpu_time();
        let mut times: Vec<Duration> = Vec::with_capacity(rounds);
        let mut made = (0, 0, 0);
        for _ in 0..rounds {
            let started = Instant::now();
            let (files, _) = search_index(site, from);
            times.push(started.elapsed());
            made = summary(&files);
        }
        let cpu = cpu_time()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        times.sort();
        println!(
            "search index of {} ({how}): {} files, {} KB (hash {:016x}); median {:.1} ms, fastest {:.1} ms, CPU {} ms a round ({rounds} rounds)",
            options.root.display(),
            made.0,
            made.1 / 1024,
            made.2,
            times[rounds / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            cpu.map_or("?".to_owned(), |cpu| (cpu * 10 / rounds as u64).to_string()),
        );
    }
}

/// How many files, how many bytes, and a hash of their paths and texts.
fn summary(files: &[(String, String)]) -> (usize, usize, u64) {
    let mut whole = xxhash_rust::xxh3::Xxh3::new();
    for (path, text) in files {
        whole.update(path.as_bytes());
        whole.update(text.as_bytes());
    }
    let bytes = files.iter().map(|(_, text)| text.len()).sum();
    (files.len(), bytes, whole.digest())
}

/// User and system time of this process so far, in clock ticks of 10 ms
/// (Linux), so that a round's CPU time shows beside its wall time: on two
/// cores the index's threads compete with each other.
fn cpu_time() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}
