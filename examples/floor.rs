//! The floor for a build: how long merely writing its output takes.
//!
//! ```sh
//! cargo run --release --example floor -- public /dev/shm/floor
//! ```
//!
//! Reads every file under the first folder into memory, then writes them all
//! under the second (which must not exist) on one thread, the folders
//! first, and prints the seconds the writing took.

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(from), Some(to)) = (args.next(), args.next()) else {
        return Err("usage: floor <built output> <new folder>".into());
    };
    if to.exists() {
        return Err(format!("{} exists", to.display()).into());
    }
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&from).sort_by_file_name() {
        let entry = entry?;
        let relative = entry.path().strip_prefix(&from)?.to_path_buf();
        if entry.file_type().is_dir() {
            folders.push(relative);
        } else {
            files.push((relative, fs::read(entry.path())?));
        }
    }
    let started = Instant::now();
    for folder in &folders {
        fs::create_dir_all(to.join(folder))?;
    }
    for (path, bytes) in &files {
        fs::write(to.join(path), bytes)?;
    }
    println!("{:.3}", started.elapsed().as_secs_f64());
    Ok(())
}
