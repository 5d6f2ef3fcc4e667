//! What the operating system has mounted, and which of it a supervisor could carry away: a USB
//! stick (or card) is offered by its label; the system's own mounts (the root file system,
//! `/boot`, `/proc`, memory file systems, snap loop images, CD-ROMs, network shares) never are.
//!
//! The parsers take the OS's own text (Linux `/proc/self/mounts`; on Windows the CSV PowerShell
//! prints for `Win32_LogicalDisk`), so the rules are tested on any machine with made-up tables.

use std::path::{Path, PathBuf};

/// What a mount is, as far as an export is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountKind {
    /// Removable media: a USB stick, a memory card, a USB disk mounted by the desktop.
    Removable,
    /// A fixed drive other than the system's (Windows `D:` as a second disk).
    Disk,
    /// Part of the system: never offered, and nothing below it is a stick.
    System,
}

/// One mounted file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub mount_point: PathBuf,
    pub kind: MountKind,
    /// What the supervisor recognises: the stick's label (Linux mounts a stick at
    /// `/media/<user>/<label>`), or the drive letter and its label on Windows (`E: DATA`).
    pub label: String,
}

/// File system types that are never a stick: kernel interfaces, memory, images, optical discs
/// (read-only) and network shares (an export is carried away on a stick, not sent elsewhere).
const SYSTEM_FS_TYPES: &[&str] = &[
    "autofs",
    "binfmt_misc",
    "bpf",
    "cgroup",
    "cgroup2",
    "cifs",
    "configfs",
    "debugfs",
    "devpts",
    "devtmpfs",
    "efivarfs",
    "fuse.gvfsd-fuse",
    "fuse.lxcfs",
    "fuse.portal",
    "fuse.snapfuse",
    "fusectl",
    "hugetlbfs",
    "iso9660",
    "mqueue",
    "nfs",
    "nfs4",
    "nfsd",
    "nsfs",
    "overlay",
    "proc",
    "pstore",
    "ramfs",
    "rpc_pipefs",
    "securityfs",
    "selinuxfs",
    "smb3",
    "squashfs",
    "sysfs",
    "tmpfs",
    "tracefs",
    "udf",
];

/// Trees of the system itself (a stick is never mounted there by the desktop).
const SYSTEM_TREES: &[&str] = &[
    "/boot", "/efi", "/proc", "/sys", "/dev", "/run", "/snap", "/usr", "/var/lib",
];

/// The mounts of a Linux mount table (`/proc/self/mounts`, the `fstab` format: source, mount
/// point, type, options, dump, pass; spaces in names written as `\040`).
pub fn parse_linux_mount_table(table: &str) -> Vec<Mount> {
    table
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let source = unescape(fields.next()?);
            let mount_point = PathBuf::from(unescape(fields.next()?));
            let fs_type = fields.next()?;
            let kind = linux_kind(&source, &mount_point, fs_type);
            Some(Mount {
                label: folder_name(&mount_point),
                mount_point,
                kind,
            })
        })
        .collect()
}

fn linux_kind(source: &str, mount_point: &Path, fs_type: &str) -> MountKind {
    let system_tree = mount_point == Path::new("/")
        || (SYSTEM_TREES
            .iter()
            .any(|tree| mount_point.starts_with(tree))
            && !mount_point.starts_with("/run/media"));
    // Snaps and disk images are mounted from loop devices, whatever their file system.
    if SYSTEM_FS_TYPES.contains(&fs_type) || source.starts_with("/dev/loop") || system_tree {
        MountKind::System
    } else {
        MountKind::Removable
    }
}

/// `\040` (space), `\011` (tab), `\012` (newline) and `\134` (backslash) back to characters.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|digits| bytes[i] == b'\\' && digits.iter().all(|d| (b'0'..=b'7').contains(d)));
        match octal {
            Some(digits) => {
                let value = digits
                    .iter()
                    .fold(0u32, |acc, d| acc * 8 + u32::from(d - b'0'));
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The drives PowerShell lists with
/// `Get-CimInstance Win32_LogicalDisk | Select-Object DeviceID,DriveType,VolumeName |
/// ConvertTo-Csv -NoTypeInformation`. DriveType 2 is removable, 3 fixed (the system drive,
/// `system_drive` such as `C:`, is the system's), 4 network, 5 optical, 6 RAM disk.
pub fn parse_windows_drives(csv_text: &str, system_drive: &str) -> Vec<Mount> {
    let text = csv_text.trim_start_matches('\u{feff}');
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let Ok(header) = reader.headers().cloned() else {
        return Vec::new();
    };
    let column = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(device), Some(drive_type)) = (column("DeviceID"), column("DriveType")) else {
        return Vec::new();
    };
    let volume = column("VolumeName");
    reader
        .records()
        .flatten()
        .filter_map(|record| {
            let letter = record.get(device)?.trim().to_uppercase();
            if letter.is_empty() {
                return None;
            }
            let kind = match record.get(drive_type)?.trim() {
                "2" => MountKind::Removable,
                "3" if !letter.eq_ignore_ascii_case(system_drive.trim()) => MountKind::Disk,
                _ => MountKind::System,
            };
            let name = volume
                .and_then(|v| record.get(v))
                .map(str::trim)
                .unwrap_or("");
            Some(Mount {
                mount_point: PathBuf::from(format!("{letter}\\")),
                kind,
                label: if name.is_empty() {
                    letter
                } else {
                    format!("{letter} {name}")
                },
            })
        })
        .collect()
}

/// The mounts of this machine; `None` where the platform has no table we read (the folder
/// listing alone decides there).
#[cfg(target_os = "linux")]
pub fn read() -> Option<Vec<Mount>> {
    std::fs::read_to_string("/proc/self/mounts")
        .ok()
        .map(|table| parse_linux_mount_table(&table))
}

/// Untested here (the project's machines run Linux): asks PowerShell for the drives and their
/// labels, without a console window flashing over the kiosk; if it cannot answer, the drive
/// letters `D:` to `Z:` that exist, unlabelled, as before.
#[cfg(windows)]
pub fn read() -> Option<Vec<Mount>> {
    use std::os::windows::process::CommandExt;
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    const QUERY: &str = "[Console]::OutputEncoding = [Text.Encoding]::UTF8; \
        Get-CimInstance Win32_LogicalDisk | Select-Object DeviceID,DriveType,VolumeName | \
        ConvertTo-Csv -NoTypeInformation";
    let system_drive = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".to_owned());
    let answer = std::process::Command::new("powershell")
        .args(["-NoProfile", "-NonInteractive", "-Command", QUERY])
        .creation_flags(CREATE_NO_WINDOW)
        .output();
    let mut mounts = match answer {
        Ok(output) if output.status.success() => {
            parse_windows_drives(&String::from_utf8_lossy(&output.stdout), &system_drive)
        }
        _ => Vec::new(),
    };
    if mounts.is_empty() {
        mounts = super::default_import_dirs()
            .into_iter()
            .map(|root| Mount {
                label: root.display().to_string().trim_end_matches('\\').to_owned(),
                mount_point: root,
                kind: MountKind::Removable,
            })
            .collect();
    }
    Some(mounts)
}

#[cfg(not(any(target_os = "linux", windows)))]
pub fn read() -> Option<Vec<Mount>> {
    None
}

/// A folder's own name (a stick's mount point is named after its label).
pub(super) fn folder_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
