//! `gongkai build` killed at random instants on the 1,000 × 30 synthetic
//! site, with the release binary: after every kill the output must be the
//! whole old site or the whole new one, the web team's files untouched, and
//! the next build must make it the new site exactly.
//!
//! ```sh
//! cargo run --release --example kills -- --kills 30 --work /dev/shm/kills
//! ```

#[path = "../tests/common/kills.rs"]
mod kills;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 1000)]
    notices: usize,
    #[arg(long, default_value_t = 30)]
    issues: usize,
    #[arg(long, default_value_t = 30)]
    kills: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A scratch folder (emptied first).
    #[arg(long, default_value = "/dev/shm/gongkai-kills")]
    work: PathBuf,
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|error| error.to_string())?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{command:?} failed"))
}

/// The new site: another title (every page changes), one notice removed,
/// one notice moved to a new name.
fn make_new_site(old: &Path, new: &Path) -> Result<(), String> {
    run(Command::new("cp").arg("-r").arg(old).arg(new))?;
    let yaml_path = new.join("site.yaml");
    let yaml = fs::read_to_string(&yaml_path).map_err(|error| error.to_string())?;
    let retitled: Vec<String> = yaml
        .lines()
        .map(|line| match line.starts_with("title:") {
            true => "title: 改过标题的合成站点 巡察整改公开".to_owned(),
            false => line.to_owned(),
        })
        .collect();
    fs::write(&yaml_path, retitled.join("\n")).map_err(|error| error.to_string())?;
    let notices = new.join("content/notices");
    let mut names: Vec<PathBuf> = fs::read_dir(&notices)
        .map_err(|error| error.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    names.sort();
    let [first, second, ..] = names.as_slice() else {
        return Err("the synthetic site has fewer than two notices".into());
    };
    fs::remove_dir_all(first).map_err(|error| error.to_string())?;
    fs::rename(second, notices.join("zz-moved")).map_err(|error| error.to_string())
}

fn main() -> Result<(), String> {
    let args = Args::parse();
    run(Command::new("cargo").args([
        "build",
        "--release",
        "--quiet",
        "--bin",
        "gongkai",
        "--example",
        "synth",
    ]))?;
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release");
    if args.work.exists() {
        fs::remove_dir_all(&args.work).map_err(|error| error.to_string())?;
    }
    fs::create_dir_all(&args.work).map_err(|error| error.to_string())?;
    let old = args.work.join("old");
    let new = args.work.join("new");
    run(Command::new(target.join("examples/synth"))
        .args(["--notices", &args.notices.to_string()])
        .args(["--issues", &args.issues.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .arg("--out")
        .arg(&old))?;
    make_new_site(&old, &new)?;
    let outcome = kills::Trial {
        gongkai: &target.join("gongkai"),
        old_site: &old,
        new_site: &new,
        work: &args.work,
        kills: args.kills,
        seed: args.seed,
    }
    .run()?;
    let mut delays: Vec<u128> = outcome.delays.iter().map(|d| d.as_millis()).collect();
    delays.sort_unstable();
    println!(
        "{} kills at {}×{}: the output was the old site after {}, the new site after {}; \
         every next build made the new site exactly, nothing left beside the output but its twin, parse cache, index and search lists",
        args.kills, args.notices, args.issues, outcome.left_old, outcome.left_new
    );
    println!(
        "a whole rebuild took {} ms; kills fell at (ms) {delays:?}",
        outcome.build_time.as_millis()
    );
    Ok(())
}
