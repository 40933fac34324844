//! Writing bundles: the files of a new notice, issues added to an existing
//! one, and the note of the file each came from, so that a file is
//! imported once.

use std::path::{Path, PathBuf};

use super::{Imported, ImportedIssue};
use crate::load::content::{IssueFront, initials};
use crate::model::date::Date;
use crate::model::slug::leading_number;

/// The comment a bundle's front matter carries of the file it was
/// imported from: its name and a fingerprint of its bytes.
pub fn provenance(file_name: &str, bytes: &[u8]) -> String {
    format!(
        "导入自 {file_name}（内容指纹 {:016x}）",
        xxhash_rust::xxh3::xxh3_64(bytes)
    )
}

/// The fingerprint part of a provenance comment.
fn fingerprint_of(provenance: &str) -> Option<&str> {
    let start = provenance.rfind("内容指纹 ")? + "内容指纹 ".len();
    provenance[start..].strip_suffix('）')
}

/// The notices under `notices` by the fingerprint of the file each was
/// imported from, read once for a whole folder's import.
pub fn imported_notices(notices: &Path) -> std::collections::HashMap<String, PathBuf> {
    std::fs::read_dir(notices)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let text = std::fs::read_to_string(entry.path().join("index.md")).ok()?;
            let fingerprint = text
                .lines()
                .take(3)
                .filter_map(|line| line.strip_prefix("# "))
                .find_map(fingerprint_of)?
                .to_owned();
            Some((fingerprint, entry.path()))
        })
        .collect()
}

/// The notice imported before from a file with the bytes `provenance`
/// describes, if `imported` (from [`imported_notices`]) has one.
pub fn already_imported<'i>(
    imported: &'i std::collections::HashMap<String, PathBuf>,
    provenance: &str,
) -> Option<&'i PathBuf> {
    imported.get(fingerprint_of(provenance)?)
}

/// The notice bundle's name: year and the issuing body's initials.
pub fn default_slug(imported: &Imported) -> String {
    let m = &imported.metadata;
    let year = [
        m.published,
        m.written,
        m.inspection.feedback,
        m.inspection.end,
    ]
    .into_iter()
    .flatten()
    .next()
    .unwrap_or_else(Date::today)
    .year();
    let organization = m
        .organization
        .as_deref()
        .or(imported.title_body.as_deref())
        .unwrap_or("notice");
    let mut slug = format!("{year}-{}", initials(organization));
    slug.truncate(40);
    slug
}

/// index.md and the issue files, by path inside the bundle.
pub fn files(imported: &Imported) -> Vec<(PathBuf, String)> {
    let mut front = imported.metadata.front().front_matter();
    if let Some(provenance) = &imported.provenance {
        front = front.replacen("---\n", &format!("---\n# {provenance}\n"), 1);
    }
    let mut files = vec![(
        PathBuf::from("index.md"),
        format!("{front}\n{}", imported.body),
    )];
    files.extend(issue_files(imported, 0, |_| true));
    files
}

/// The issue files, numbered from `after + 1`, of the problems `keep` keeps.
fn issue_files(
    imported: &Imported,
    after: usize,
    keep: impl Fn(&ImportedIssue) -> bool,
) -> Vec<(PathBuf, String)> {
    imported
        .issues
        .iter()
        .filter(|issue| keep(issue))
        .enumerate()
        .map(|(index, issue)| {
            let text = format!("{}\n{}", issue.front.front_matter(), issue.body);
            let mut slug: String = initials(&issue.front.title).chars().take(12).collect();
            if slug == "org" {
                slug = "wenti".to_owned();
            }
            (
                PathBuf::from("issues").join(format!("{:02}-{slug}.md", after + index + 1)),
                text,
            )
        })
        .collect()
}

/// The titles of the issues of the notice in `folder`, read as a build
/// reads them.
fn existing_titles(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder.join("issues"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let text = std::fs::read_to_string(entry.path()).ok()?;
            IssueFront::read(&entry.path(), &text).map(|front| front.title)
        })
        .collect()
}

/// The highest number an issue file of the notice in `folder` starts with.
fn last_issue_number(folder: &Path) -> usize {
    std::fs::read_dir(folder.join("issues"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| leading_number(&entry.file_name().to_string_lossy()))
        .max()
        .map_or(0, |number| number as usize)
}

/// The issue files that adding `imported` to the existing notice in
/// `folder` writes, numbered after its last issue; a problem the notice
/// already has (by its title) is not added again.
pub fn files_to_add(folder: &Path, imported: &Imported) -> Vec<(PathBuf, String)> {
    let titles = existing_titles(folder);
    issue_files(imported, last_issue_number(folder), |issue| {
        !titles.contains(&issue.front.title)
    })
}

/// Adds the problems of `imported` to the existing notice in `folder`,
/// after its last issue; its index.md is not touched, no file replaced.
pub fn add_to(folder: &Path, imported: &Imported) -> std::io::Result<Vec<PathBuf>> {
    if !folder.join("index.md").is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} 不是一篇通报（其中没有 index.md）", folder.display()),
        ));
    }
    write_new(folder, files_to_add(folder, imported))
}

/// Writes `files` under `folder`, refusing any that exists.
fn write_new(folder: &Path, files: Vec<(PathBuf, String)>) -> std::io::Result<Vec<PathBuf>> {
    if let Some((path, _)) = files.iter().find(|(path, _)| folder.join(path).exists()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} 已存在", folder.join(path).display()),
        ));
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let target = folder.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, text)?;
        written.push(target);
    }
    Ok(written)
}

/// Writes the bundle to `folder`, which must not exist yet.
pub fn write(folder: &Path, imported: &Imported) -> std::io::Result<Vec<PathBuf>> {
    if folder.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} 已存在", folder.display()),
        ));
    }
    write_new(folder, files(imported))
}
