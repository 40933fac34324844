//! Dates from git (`dates_from_git: true` in site.yaml): for each issue
//! file, the date of the last commit that changed it, and the dates its
//! `status:` changed, read from the commits of the current branch.
//!
//! The branch is followed by first parents, as `git log --first-parent`
//! does: a change merged from elsewhere is dated by the merge that brought
//! it. Dates are the author's, in the author's time zone, so a rebase keeps
//! them. Only what is committed counts: an edit not yet committed has no
//! date of its own, and a shallow clone knows only its own commits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::bstr::ByteSlice;
use rayon::prelude::*;

use crate::diagnostic::Hint;
use crate::load::content::{IssueFront, Progress};
use crate::model::date::Date;
use crate::model::status::Status;
use crate::yaml::Record;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryProblem {
    #[error("已设置从 git 取日期（dates_from_git），但站点不在 git 仓库中：日期只取自文件")]
    NotARepository,
    #[error("已设置从 git 取日期（dates_from_git），但读取 git 仓库失败：{0}")]
    Unreadable(String),
    #[error("git 仓库是浅克隆，只有最近 {0} 个提交：更早的修改日期和状态变化取不到")]
    Shallow(usize),
}

impl Hint for HistoryProblem {
    fn code(&self) -> &'static str {
        match self {
            HistoryProblem::NotARepository => "GK0404",
            HistoryProblem::Unreadable(_) => "GK0405",
            HistoryProblem::Shallow(_) => "GK0406",
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            HistoryProblem::NotARepository => {
                "在站点目录运行 git init 并提交内容，或删去 dates_from_git".into()
            }
            HistoryProblem::Unreadable(_) => {
                "请用 git status 检查仓库；修好之前，日期只取自文件".into()
            }
            HistoryProblem::Shallow(_) => {
                "构建前取回完整历史（git fetch --unshallow；持续集成中设 fetch-depth: 0）".into()
            }
        })
    }
}

/// What git says about one issue file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileHistory {
    /// The date of the last commit that changed the file.
    pub last_changed: Date,
    /// The file's status in the commit that added it and in each commit
    /// that changed it, oldest first; empty when it never changed.
    pub statuses: Vec<(Date, Status)>,
}

impl FileHistory {
    /// The date of the commit that made the issue completed, if its last
    /// committed status is completed.
    pub fn completion_date(&self) -> Option<Date> {
        self.statuses
            .last()
            .filter(|(_, status)| *status == Status::Completed)
            .map(|&(date, _)| date)
    }

    /// Fills in what the front matter leaves out: `updated` from the last
    /// commit, and `progress` from the changes of status. What the clerk
    /// wrote always wins.
    pub fn fill(&self, front: &mut IssueFront) {
        if front.updated.is_none() {
            front.updated = Some(self.last_changed);
        }
        if front.progress.is_empty() {
            front.progress = self
                .statuses
                .iter()
                .map(|&(date, status)| Progress {
                    date,
                    status: Some(status),
                    note: None,
                })
                .collect();
        }
    }
}

/// The history of every issue file git knows, by its path as `content`
/// names it (the site root joined with the path inside the site).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    files: HashMap<PathBuf, FileHistory>,
}

impl History {
    pub fn of(&self, file: &Path) -> Option<&FileHistory> {
        self.files.get(file)
    }

    /// Reads the history of the repository the site at `root` is in. A
    /// problem (no repository, a shallow one) comes with what could be read.
    pub fn read(root: &Path) -> (History, Option<HistoryProblem>) {
        match read_repository(root) {
            Ok((history, shallow)) => (history, shallow.map(HistoryProblem::Shallow)),
            Err(problem) => (History::default(), Some(problem)),
        }
    }
}

/// The versions of each issue file, newest first, by its path in the repository.
type Versions = HashMap<Vec<u8>, Vec<Version>>;

/// One version of an issue file: when it was committed, and its blob.
struct Version {
    date: Date,
    blob: ObjectId,
}

fn read_repository(root: &Path) -> Result<(History, Option<usize>), HistoryProblem> {
    let (repo, site) = open(root)?;
    let content = Path::new(&site).join("content");
    let content = content.as_os_str().as_encoded_bytes();
    let (versions, shallow) = versions_of_issue_files(&repo, content)?;

    // Only a file with several versions can have changed its status.
    let mut blobs: Vec<ObjectId> = versions
        .values()
        .filter(|versions| versions.len() > 1)
        .flat_map(|versions| versions.iter().map(|version| version.blob))
        .collect();
    blobs.sort_unstable();
    blobs.dedup();
    let statuses = blob_statuses(repo, &blobs);

    let mut files = HashMap::with_capacity(versions.len());
    for (path, versions) in versions {
        let Some(newest) = versions.first() else {
            continue;
        };
        let mut changes: Vec<(Date, Status)> = Vec::new();
        for version in versions.iter().rev().filter(|_| versions.len() > 1) {
            let Some(&status) = statuses.get(&version.blob).and_then(Option::as_ref) else {
                continue;
            };
            if changes.last().is_none_or(|&(_, last)| last != status) {
                changes.push((version.date, status));
            }
        }
        if changes.len() == 1 {
            changes.clear();
        }
        let Ok(relative) = path.to_path() else {
            continue;
        };
        let in_site = relative.strip_prefix(&site).unwrap_or(relative);
        let history = FileHistory {
            last_changed: newest.date,
            statuses: changes,
        };
        files.insert(root.join(in_site), history);
    }
    Ok((History { files }, shallow))
}

/// The repository the site at `root` is in, and the site's folder in it.
fn open(root: &Path) -> Result<(gix::Repository, PathBuf), HistoryProblem> {
    let mut repo = match gix::discover(root) {
        Ok(repo) => repo,
        Err(e) => {
            let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
            let in_repository = absolute
                .ancestors()
                .any(|folder| folder.join(".git").exists());
            return Err(if in_repository {
                unreadable(e)
            } else {
                HistoryProblem::NotARepository
            });
        }
    };
    repo.object_cache_size_if_unset(32 * 1024 * 1024);
    let workdir = repo
        .workdir()
        .ok_or(HistoryProblem::NotARepository)?
        .canonicalize()
        .map_err(unreadable)?;
    let site = root
        .canonicalize()
        .map_err(unreadable)?
        .strip_prefix(workdir)
        .map(Path::to_path_buf)
        .map_err(unreadable)?;
    Ok((repo, site))
}

/// Every version of every issue file under `content`, newest first, by the
/// file's path in the repository, from the commits of the current branch
/// by first parents; and, for a shallow clone, how many commits it has.
fn versions_of_issue_files(
    repo: &gix::Repository,
    content: &[u8],
) -> Result<(Versions, Option<usize>), HistoryProblem> {
    let mut versions = Versions::new();
    let Some(mut commit_id) = repo.head_id().ok().map(gix::Id::detach) else {
        // A repository without a commit yet: nothing is dated.
        return Ok((versions, None));
    };
    let content: Vec<&[u8]> = content.split(|&byte| byte == b'/').collect();
    let walk = Walk { repo };
    let mut commits = 0;
    loop {
        let commit = repo.find_commit(commit_id).map_err(unreadable)?;
        commits += 1;
        let date = commit_date(&commit).map_err(unreadable)?;
        let tree = commit.tree_id().map_err(unreadable)?.detach();
        let parent = commit.parent_ids().next().map(gix::Id::detach);
        let parent_tree = match parent {
            Some(id) => match repo.find_commit(id) {
                Ok(parent) => Some(parent.tree_id().map_err(unreadable)?.detach()),
                // Past the edge of a shallow clone nothing is known: its last
                // commit holds every file, but did not change them all.
                Err(_) => return Ok((versions, Some(commits))),
            },
            None => None,
        };
        let new = walk.descend(Some(tree), &content)?;
        let old = walk.descend(parent_tree, &content)?;
        if new != old {
            let prefix = content.join(&b'/');
            walk.changed_issue_files(new, old, &prefix, &mut |path, blob| {
                versions
                    .entry(path)
                    .or_default()
                    .push(Version { date, blob });
            })?;
        }
        match parent {
            Some(id) => commit_id = id,
            None => return Ok((versions, None)),
        }
    }
}

/// The status each blob's front matter gives, read on every core.
fn blob_statuses(repo: gix::Repository, blobs: &[ObjectId]) -> HashMap<ObjectId, Option<Status>> {
    let shared = repo.into_sync();
    blobs
        .par_iter()
        .map_init(
            || shared.to_thread_local(),
            |repo, &blob| (blob, blob_status(repo, blob)),
        )
        .collect()
}

/// The date a commit was written, in its author's time zone.
fn commit_date(commit: &gix::Commit<'_>) -> Result<Date, Box<dyn std::error::Error>> {
    let time = commit.author()?.time()?;
    let local = chrono::DateTime::from_timestamp(time.seconds + i64::from(time.offset), 0)
        .ok_or("a commit time out of range")?
        .date_naive();
    use chrono::Datelike;
    Date::new(local.year(), local.month(), local.day()).ok_or_else(|| "a commit date".into())
}

/// The status an issue file's front matter gives, read from its lines
/// without parsing the whole file: most versions differ in one line.
fn blob_status(repo: &gix::Repository, blob: ObjectId) -> Option<Status> {
    let object = repo.find_object(blob).ok()?;
    let text = object.data.to_str().ok()?;
    status_in(text)
}

fn status_in(text: &str) -> Option<Status> {
    let field = IssueFront::FIELDS
        .iter()
        .find(|field| field.name == "status")?;
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    for line in lines {
        if line.trim_end() == "---" {
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim_end().trim_matches(['"', '\'']);
        if key == field.name || key == field.label {
            let value = value.split(" #").next().unwrap_or_default().trim();
            return Status::parse(value.trim_matches(['"', '\''])).ok();
        }
    }
    None
}

/// What `Walk::changed_entries` calls for each entry that changed: its
/// name, whether it is a folder, its id, and the id it had before.
type ChangedEntry<'c> =
    dyn FnMut(&[u8], bool, ObjectId, Option<ObjectId>) -> Result<(), HistoryProblem> + 'c;

/// Compares trees of two commits down to the issue files.
struct Walk<'r> {
    repo: &'r gix::Repository,
}

fn unreadable(e: impl std::fmt::Display) -> HistoryProblem {
    HistoryProblem::Unreadable(e.to_string())
}

impl Walk<'_> {
    fn tree(&self, id: ObjectId) -> Result<gix::Tree<'_>, HistoryProblem> {
        self.repo.find_tree(id).map_err(unreadable)
    }

    /// The tree at `path` inside `tree`, if there is one.
    fn descend(
        &self,
        mut tree: Option<ObjectId>,
        path: &[&[u8]],
    ) -> Result<Option<ObjectId>, HistoryProblem> {
        for name in path {
            let Some(id) = tree else { break };
            let found = self.tree(id)?;
            let decoded = found.decode().map_err(unreadable)?;
            tree = decoded
                .entries
                .iter()
                .find(|entry| entry.mode.is_tree() && entry.filename == *name)
                .map(|entry| entry.oid.to_owned());
        }
        Ok(tree)
    }

    /// Calls `changed` with the name, kind and id of every entry of `new`
    /// that `old` does not have with the same id, and the id it had there.
    /// Entries are paired by walking both trees in git's order (the order
    /// `EntryRef` compares in), so nothing is copied.
    fn changed_entries(
        &self,
        new: ObjectId,
        old: Option<ObjectId>,
        changed: &mut ChangedEntry<'_>,
    ) -> Result<(), HistoryProblem> {
        let new_tree = self.tree(new)?;
        let new_entries = new_tree.decode().map_err(unreadable)?;
        let old_tree = old.map(|id| self.tree(id)).transpose()?;
        let old_decoded = match &old_tree {
            Some(tree) => Some(tree.decode().map_err(unreadable)?),
            None => None,
        };
        let old_entries = old_decoded
            .as_ref()
            .map_or(&[][..], |tree| &tree.entries[..]);
        let mut next_old = 0;
        for entry in &new_entries.entries {
            while old_entries.get(next_old).is_some_and(|old| old < entry) {
                next_old += 1;
            }
            let old_id = old_entries
                .get(next_old)
                .filter(|old| (*old).cmp(entry).is_eq())
                .map(|old| old.oid.to_owned());
            if old_id.as_deref() != Some(entry.oid) {
                changed(
                    entry.filename,
                    entry.mode.is_tree(),
                    entry.oid.to_owned(),
                    old_id,
                )?;
            }
        }
        Ok(())
    }

    /// Calls `changed` with the path and blob of every issue file
    /// (`notices/<slug>/issues/<name>.md` under `content`) that `new` adds
    /// or changes against `old`; subtrees with the same id are skipped.
    fn changed_issue_files(
        &self,
        new: Option<ObjectId>,
        old: Option<ObjectId>,
        content: &[u8],
        changed: &mut dyn FnMut(Vec<u8>, ObjectId),
    ) -> Result<(), HistoryProblem> {
        let new = self.descend(new, &[b"notices"])?;
        let old = self.descend(old, &[b"notices"])?;
        let Some(new) = new.filter(|new| Some(*new) != old) else {
            return Ok(());
        };
        self.changed_entries(new, old, &mut |slug, is_tree, notice, old_notice| {
            if !is_tree {
                return Ok(());
            }
            let Some(issues) = self.descend(Some(notice), &[b"issues"])? else {
                return Ok(());
            };
            let old_issues = self.descend(old_notice, &[b"issues"])?;
            if Some(issues) == old_issues {
                return Ok(());
            }
            self.changed_entries(issues, old_issues, &mut |name, is_tree, blob, _| {
                if !is_tree && name.ends_with(b".md") {
                    let mut path = content.to_vec();
                    for part in [b"notices".as_slice(), slug, b"issues", name] {
                        path.push(b'/');
                        path.extend_from_slice(part);
                    }
                    changed(path, blob);
                }
                Ok(())
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_is_read_from_the_front_matter_lines() {
        assert_eq!(
            status_in("---\ntitle: 问题\nstatus: 整改中\n---\n正文 status: completed\n"),
            Some(Status::InProgress)
        );
        assert_eq!(
            status_in("\u{feff}---\n整改状态: \"已完成\"  # 6月底\n---\n"),
            Some(Status::Completed)
        );
        assert_eq!(
            status_in(
                "---\nprogress:\n  - {date: 2025-01-01, status: partial}\nstatus: partial\n---\n"
            ),
            Some(Status::Partial)
        );
        assert_eq!(status_in("no front matter\nstatus: completed\n"), None);
        assert_eq!(status_in("---\nstatus: 差不多\n---\n"), None);
    }
}
