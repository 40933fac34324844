//! What the twin needs of the file system, each with a fallback where a
//! system lacks it: an exclusive lock, an exchange of two folders in one
//! step, the file system's own clock and folder times, inode numbers and
//! link counts.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::tree::path_of;
use super::{OutputError, OutputErrorKind, io_error};
use crate::diagnostic::{Located, Location};

/// An exclusive hold on building into one output, released when dropped
/// (also when the process is killed).
pub(super) struct Lock {
    #[cfg(unix)]
    _folder: fs::File,
}

impl Lock {
    pub fn take(parent: &Path, output: &Path) -> Result<Lock, OutputError> {
        #[cfg(unix)]
        {
            use rustix::fs::{FlockOperation, flock};
            let folder = fs::File::open(parent).map_err(|error| io_error(parent, error))?;
            match flock(&folder, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => Ok(Lock { _folder: folder }),
                Err(rustix::io::Errno::WOULDBLOCK) => Err(Located::new(
                    Location::file_start(output),
                    OutputErrorKind::Busy,
                )),
                // A file system without locks: builds are not serialised.
                Err(_) => Ok(Lock { _folder: folder }),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = (parent, output);
            Ok(Lock {})
        }
    }
}

/// The time by the file system's own clock (which may be coarser than the
/// system's, or a server's), read off a file made and removed at `probe`.
pub(super) fn file_system_time(probe: &Path) -> SystemTime {
    let made = fs::write(probe, "").and_then(|()| fs::symlink_metadata(probe)?.modified());
    let _ = fs::remove_file(probe);
    made.unwrap_or_else(|_| SystemTime::now() - std::time::Duration::from_secs(2))
}

/// Entries under one root, looked up relative to it (a third faster than by
/// whole paths, for 30,000 folders or files). The root is the folder it was
/// opened on, wherever that folder is renamed to later.
pub(super) struct Rooted {
    #[cfg(unix)]
    root: Option<std::os::fd::OwnedFd>,
    #[cfg(not(unix))]
    root: PathBuf,
}

impl Rooted {
    pub fn open(root: &Path) -> Rooted {
        #[cfg(unix)]
        {
            use rustix::fs::{CWD, Mode, OFlags, openat};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            Rooted {
                root: openat(CWD, root, flags, Mode::empty()).ok(),
            }
        }
        #[cfg(not(unix))]
        Rooted {
            root: root.to_path_buf(),
        }
    }

    /// The modification time of the folder `folder` (`b""` for the root).
    pub fn modified(&self, folder: &[u8]) -> Option<SystemTime> {
        #[cfg(unix)]
        {
            let stat = self.stat(folder)?;
            let since_epoch = std::time::Duration::new(
                u64::try_from(stat.st_mtime).ok()?,
                u32::try_from(stat.st_mtime_nsec).ok()?,
            );
            Some(SystemTime::UNIX_EPOCH + since_epoch)
        }
        #[cfg(not(unix))]
        {
            fs::symlink_metadata(self.root.join(path_of(folder)))
                .and_then(|meta| meta.modified())
                .ok()
        }
    }

    /// Whether the entry `key` is a regular file of `size` bytes.
    pub fn has_size(&self, key: &[u8], size: u64) -> bool {
        #[cfg(unix)]
        {
            use rustix::fs::FileType;
            self.stat(key).is_some_and(|stat| {
                FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile
                    && u64::try_from(stat.st_size) == Ok(size)
            })
        }
        #[cfg(not(unix))]
        has_size(&self.root.join(path_of(key)), size)
    }

    #[cfg(unix)]
    fn stat(&self, key: &[u8]) -> Option<rustix::fs::Stat> {
        use rustix::fs::{AtFlags, statat};
        let at = if key.is_empty() { b"." } else { key };
        statat(self.root.as_ref()?, path_of(at), AtFlags::SYMLINK_NOFOLLOW).ok()
    }
}

/// What the twin has where a file is to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum InTwin {
    Nothing,
    /// A file of its own, which may be overwritten in place.
    OwnCopy,
    /// A file shared with the output, or something else: replaced.
    Other,
}

/// Opens the twin's file at `target` for writing anew. The twin's own copy
/// is overwritten in place when no other name shares it; a file shared
/// with the output is replaced, never written through.
pub(super) fn open_own(target: &Path, there: InTwin) -> io::Result<fs::File> {
    if there == InTwin::OwnCopy
        && let Ok(file) = fs::File::options().write(true).open(target)
        && links(&file)? == 1
    {
        file.set_len(0)?;
        return Ok(file);
    }
    if there != InTwin::Nothing {
        match fs::remove_file(target) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    fs::File::create(target)
}

#[cfg(unix)]
fn links(file: &fs::File) -> io::Result<u64> {
    Ok(std::os::unix::fs::MetadataExt::nlink(&file.metadata()?))
}

#[cfg(not(unix))]
fn links(_: &fs::File) -> io::Result<u64> {
    Ok(2)
}

pub(super) fn has_size(path: &Path, size: u64) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file() && meta.len() == size)
}

/// Refuses an output that is a mount point: it can be neither exchanged
/// nor linked from beside it.
pub(super) fn refuse_mount_point(output: &Path, parent: &Path) -> Result<(), OutputError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(out), Ok(beside)) = (fs::symlink_metadata(output), fs::metadata(parent))
            && out.is_dir()
            && out.dev() != beside.dev()
        {
            return Err(Located::new(
                Location::file_start(output),
                OutputErrorKind::MountPoint,
            ));
        }
    }
    let _ = (output, parent);
    Ok(())
}

/// Exchanges the twin and the output in one step where the system can
/// (Linux `renameat2(RENAME_EXCHANGE)`); elsewhere with three renames,
/// between the first two of which the output path is briefly missing.
pub(super) fn exchange(twin: &Path, output: &Path) -> io::Result<()> {
    if fs::symlink_metadata(output).is_err() {
        return fs::rename(twin, output);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, twin, CWD, output, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(error) => return Err(error.into()),
        }
    }
    let mut aside = twin.as_os_str().to_owned();
    aside.push(".swap");
    let aside = PathBuf::from(aside);
    fs::rename(output, &aside)?;
    if let Err(error) = fs::rename(twin, output) {
        let _ = fs::rename(&aside, output);
        return Err(error);
    }
    fs::rename(&aside, twin)
}

#[cfg(unix)]
pub(super) fn symlink(target: &Path, at: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

#[cfg(not(unix))]
pub(super) fn symlink(_: &Path, _: &Path) -> io::Result<()> {
    Ok(())
}

/// Gives the folder `to` the permissions and owner of the folder `from`:
/// a folder of the web team's (`uploads/` that the web server writes into)
/// must stay theirs when the twin made in its place becomes the output.
/// Fails when the owner cannot be given (another user's, and not root).
pub(super) fn take_on_owner_and_mode(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (theirs, ours) = (fs::symlink_metadata(from)?, fs::symlink_metadata(to)?);
        if theirs.uid() != ours.uid() || theirs.gid() != ours.gid() {
            std::os::unix::fs::lchown(to, Some(theirs.uid()), Some(theirs.gid()))?;
        }
        if theirs.mode() & 0o7777 != ours.mode() & 0o7777 {
            fs::set_permissions(to, theirs.permissions())?;
        }
    }
    let _ = (from, to);
    Ok(())
}
