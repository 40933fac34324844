//! Writing to the terminal. A terminal that went away (`gongkai import x.txt
//! | head`) is no reason to panic: output that can no longer be written is
//! dropped.

use std::fmt;
use std::io::Write;

pub fn out(args: fmt::Arguments) {
    let _ = std::io::stdout().write_fmt(args);
}

pub fn err(args: fmt::Arguments) {
    let _ = std::io::stderr().write_fmt(args);
}

/// Like `println!`, never panicking.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::console::out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Like `print!`, never panicking.
#[macro_export]
macro_rules! say_part {
    ($($arg:tt)*) => { $crate::console::out(format_args!($($arg)*)) };
}

/// Like `eprintln!`, never panicking.
#[macro_export]
macro_rules! warn_line {
    ($($arg:tt)*) => { $crate::console::err(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Like `eprint!`, never panicking.
#[macro_export]
macro_rules! warn_part {
    ($($arg:tt)*) => { $crate::console::err(format_args!($($arg)*)) };
}

/// How many pages a build must have before it shows a progress bar.
const PAGES_WORTH_A_BAR: usize = 2_000;

/// A progress bar on stderr for builds long enough to wait for, shown only
/// when stderr is a terminal (never in logs or CI).
#[derive(Default)]
pub struct BuildProgress {
    bar: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl BuildProgress {
    pub fn new() -> BuildProgress {
        BuildProgress::default()
    }

    /// Removes the bar, leaving the terminal as it was.
    pub fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

impl crate::Progress for BuildProgress {
    fn start(&self, pages: usize) {
        if pages < PAGES_WORTH_A_BAR || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return;
        }
        let bar = indicatif::ProgressBar::new(pages as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "生成页面 {bar:40.red/white} {pos}/{len} 已用 {elapsed} 约剩 {eta}",
        ) {
            bar.set_style(style);
        }
        let _ = self.bar.set(bar);
    }

    fn advance(&self) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
    }
}
