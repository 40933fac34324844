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
