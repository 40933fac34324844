//! `gongkai serve`: the live preview.

use std::process::ExitCode;

use gongkai::diagnostic::{Diagnostic, Hint};
use gongkai::serve::ServeOptions;
use gongkai::warn_part;

use super::CONTENT_ERROR;

pub fn run(options: ServeOptions) -> ExitCode {
    match gongkai::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            warn_part!(
                "{}",
                Diagnostic::error(None, error.to_string()).with_hint(error.hint())
            );
            ExitCode::from(CONTENT_ERROR)
        }
    }
}
