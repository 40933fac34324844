//! Reading the site: its files (`sources`, decoded by `text`), site.yaml
//! (`config`) and `content/` (`content`).

pub mod config;
pub mod content;
pub mod sources;
pub mod text;
