//! Reading the site: its files (`sources`, decoded by `text`), site.yaml
//! (`config`) and `content/` (`content`, which takes unchanged files from
//! the last build's `cache`), and, when asked, the dates git knows of the
//! issue files (`history`).

pub mod cache;
pub mod config;
pub mod content;
pub mod history;
pub mod sources;
pub mod text;
pub mod units;
