//! The value types of front matter and site.yaml: what the rest of the
//! program reads, checks and shows, with no knowledge of files.

pub mod counts;
pub mod date;
pub mod slug;
pub mod source_file;
pub mod status;
pub mod supervision;
