//! The folder picker's rules on made-up machines: a Linux mount table as `/proc/self/mounts`
//! prints it, a Windows drive list as PowerShell prints it, and folder listings.

use std::collections::BTreeMap;

use super::*;

/// A desktop kiosk with two sticks in (one label with a space), a CD, snaps, a network share,
/// and the usual kernel and memory mounts, some below `/mnt` and `/run`.
const LINUX_TABLE: &str = "\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
udev /dev devtmpfs rw,nosuid,relatime,size=1988300k,nr_inodes=497075,mode=755 0 0
tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=401012k,mode=755 0 0
/dev/sda2 / ext4 rw,relatime,errors=remount-ro 0 0
/dev/sda1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
/dev/loop3 /snap/core22/1380 squashfs ro,nodev,relatime 0 0
/dev/loop4 /media/kiosk/disk-image ext4 ro,relatime 0 0
tmpfs /run/user/1000 tmpfs rw,nosuid,nodev,relatime,size=401008k,mode=700,uid=1000,gid=1000 0 0
gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw,nosuid,nodev,relatime,user_id=1000 0 0
tmpfs /mnt/sandboxing/tools/v1/python tmpfs ro,nosuid,nodev,relatime,size=4k,mode=755 0 0
//10.0.0.5/arsip /mnt/arsip cifs rw,relatime,vers=3.0 0 0
/dev/sr0 /media/kiosk/KANIM_CD iso9660 ro,nosuid,nodev,relatime 0 0
/dev/sdb1 /media/kiosk/KANIM\\040EXPORT vfat rw,nosuid,nodev,relatime,uid=1000,flush 0 0
/dev/sdc1 /run/media/kiosk/DATA exfat rw,nosuid,nodev,relatime,uid=1000 0 0
";

fn linux_roots() -> Vec<PathBuf> {
    ["/media", "/run/media", "/mnt"]
        .iter()
        .map(PathBuf::from)
        .collect()
}

/// A folder lister over a made-up tree: each folder and its subfolders.
fn listing(tree: &[(&str, &[&str])]) -> impl Fn(&Path) -> Vec<PathBuf> {
    let tree: BTreeMap<PathBuf, Vec<PathBuf>> = tree
        .iter()
        .map(|(dir, children)| {
            (
                PathBuf::from(dir),
                children.iter().map(|c| Path::new(dir).join(c)).collect(),
            )
        })
        .collect();
    move |dir: &Path| tree.get(dir).cloned().unwrap_or_default()
}

fn shown(places: &[ExportFolder]) -> Vec<(PlaceKind, &str, &Path)> {
    places
        .iter()
        .map(|p| (p.kind, p.name.as_str(), p.path.as_path()))
        .collect()
}

#[test]
fn the_linux_mount_table_tells_sticks_from_system_mounts() {
    let mounts = parse_linux_mount_table(LINUX_TABLE);
    let kind_of = |point: &str| {
        mounts
            .iter()
            .find(|m| m.mount_point == Path::new(point))
            .unwrap_or_else(|| panic!("{point} parsed"))
            .kind
    };
    for system in [
        "/sys",
        "/proc",
        "/dev",
        "/run",
        "/",
        "/boot/efi",
        "/tmp",
        "/snap/core22/1380",
        "/media/kiosk/disk-image",
        "/run/user/1000/gvfs",
        "/mnt/sandboxing/tools/v1/python",
        "/mnt/arsip",
        "/media/kiosk/KANIM_CD",
    ] {
        assert_eq!(kind_of(system), MountKind::System, "{system}");
    }
    assert_eq!(
        kind_of("/media/kiosk/KANIM EXPORT"),
        MountKind::Removable,
        "\\040 is a space in the label"
    );
    assert_eq!(kind_of("/run/media/kiosk/DATA"), MountKind::Removable);
    let label = &mounts
        .iter()
        .find(|m| m.kind == MountKind::Removable)
        .expect("a stick")
        .label;
    assert_eq!(label, "KANIM EXPORT");
}

#[test]
fn without_configured_folders_only_mounted_sticks_are_offered() {
    let roots = linux_roots();
    let mounts = parse_linux_mount_table(LINUX_TABLE);
    // What `ls` shows: per-user folders, an empty mount point, the sandbox's folders.
    let lister = listing(&[
        ("/media", &["kiosk", "cdrom0"]),
        ("/media/kiosk", &["KANIM EXPORT", "KANIM_CD", "disk-image"]),
        ("/media/kiosk/KANIM EXPORT", &["Laporan"]),
        ("/run/media", &["kiosk"]),
        ("/run/media/kiosk", &["DATA"]),
        ("/mnt", &["sandboxing", "arsip"]),
        ("/mnt/sandboxing", &["tools"]),
    ]);
    let own = PathBuf::from("/var/lib/hadir/exports");
    let places = offered_places(
        &Surroundings {
            roots: &roots,
            configured: false,
            mounts: Some(&mounts),
        },
        lister,
        own.clone(),
    );
    assert_eq!(
        shown(&places),
        [
            (PlaceKind::Stick, "DATA", Path::new("/run/media/kiosk/DATA")),
            (
                PlaceKind::Stick,
                "KANIM EXPORT",
                Path::new("/media/kiosk/KANIM EXPORT")
            ),
            (PlaceKind::Kiosk, "exports", own.as_path()),
        ],
        "no per-user folder, empty mount point, CD, image, share or sandbox"
    );
    assert!(places[0].can_be_removed());
    assert!(!places[2].can_be_removed(), "the kiosk's own folder stays");
}

#[test]
fn no_stick_in_offers_only_the_kiosks_own_folder() {
    let roots = linux_roots();
    let mounts = parse_linux_mount_table("/dev/sda2 / ext4 rw 0 0\ntmpfs /run tmpfs rw 0 0\n");
    let lister = listing(&[("/media", &["kiosk"]), ("/media/kiosk", &[])]);
    let places = offered_places(
        &Surroundings {
            roots: &roots,
            configured: false,
            mounts: Some(&mounts),
        },
        lister,
        PathBuf::from("/data/exports"),
    );
    assert_eq!(places.len(), 1, "{places:?}");
    assert_eq!(places[0].kind, PlaceKind::Kiosk);
}

#[test]
fn a_configured_folder_offers_its_mounted_stick_but_not_the_folders_on_it() {
    let roots = vec![PathBuf::from("/media/kiosk")];
    let mounts = parse_linux_mount_table(LINUX_TABLE);
    let lister = listing(&[
        ("/media/kiosk", &["KANIM EXPORT", "KANIM_CD"]),
        ("/media/kiosk/KANIM EXPORT", &["Laporan", "Foto"]),
        ("/media/kiosk/KANIM_CD", &["DOCS"]),
    ]);
    let places = offered_places(
        &Surroundings {
            roots: &roots,
            configured: true,
            mounts: Some(&mounts),
        },
        lister,
        PathBuf::from("/data/exports"),
    );
    let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["KANIM EXPORT", "exports"], "{places:?}");
}

#[test]
fn folders_below_a_configured_folder_are_its_sticks_where_nothing_is_mounted() {
    let roots = vec![PathBuf::from("/srv/usb")];
    let lister = listing(&[
        ("/srv/usb", &["kiosk", "FLASH"]),
        ("/srv/usb/kiosk", &["STICK"]),
    ]);
    // `/` and a tmpfs above the root say nothing about the folders below it.
    let mounts = parse_linux_mount_table("/dev/sda2 / ext4 rw 0 0\ntmpfs /srv tmpfs rw 0 0\n");
    let places = offered_places(
        &Surroundings {
            roots: &roots,
            configured: true,
            mounts: Some(&mounts),
        },
        lister,
        PathBuf::from("/data/exports"),
    );
    assert_eq!(
        shown(&places),
        [
            (PlaceKind::Stick, "FLASH", Path::new("/srv/usb/FLASH")),
            (PlaceKind::Stick, "STICK", Path::new("/srv/usb/kiosk/STICK")),
            (PlaceKind::Kiosk, "exports", Path::new("/data/exports")),
        ],
        "the per-user folder and the root itself are not places"
    );

    let empty = listing(&[("/srv/usb", &[])]);
    let places = offered_places(
        &Surroundings {
            roots: &roots,
            configured: true,
            mounts: None,
        },
        empty,
        PathBuf::from("/data/exports"),
    );
    assert_eq!(
        shown(&places)[0],
        (PlaceKind::Folder, "usb", Path::new("/srv/usb")),
        "a configured folder with nothing below is a folder"
    );
}

const WINDOWS_DRIVES: &str = "\u{feff}\"DeviceID\",\"DriveType\",\"VolumeName\"\r
\"C:\",\"3\",\"Windows\"\r
\"D:\",\"3\",\"DATA\"\r
\"E:\",\"2\",\"KANIM\"\r
\"F:\",\"2\",\"\"\r
\"G:\",\"5\",\"DVD\"\r
\"Z:\",\"4\",\"arsip\"\r
";

#[test]
fn windows_drives_are_named_by_letter_and_label() {
    let mounts = parse_windows_drives(WINDOWS_DRIVES, "C:");
    let found: Vec<(&str, MountKind)> = mounts.iter().map(|m| (m.label.as_str(), m.kind)).collect();
    assert_eq!(
        found,
        [
            ("C: Windows", MountKind::System),
            ("D: DATA", MountKind::Disk),
            ("E: KANIM", MountKind::Removable),
            ("F:", MountKind::Removable),
            ("G: DVD", MountKind::System),
            ("Z: arsip", MountKind::System),
        ]
    );
    assert_eq!(mounts[2].mount_point, PathBuf::from("E:\\"));
    let roots: Vec<PathBuf> = ["D:\\", "E:\\", "F:\\", "G:\\", "Z:\\"]
        .iter()
        .map(PathBuf::from)
        .collect();
    let places = offered_places(
        &Surroundings {
            roots: &roots,
            configured: false,
            mounts: Some(&mounts),
        },
        listing(&[("E:\\", &["Laporan"])]),
        PathBuf::from("/data/exports"),
    );
    let names: Vec<(PlaceKind, &str)> = places.iter().map(|p| (p.kind, p.name.as_str())).collect();
    assert_eq!(
        names,
        [
            (PlaceKind::Drive, "D: DATA"),
            (PlaceKind::Stick, "E: KANIM"),
            (PlaceKind::Stick, "F:"),
            (PlaceKind::Kiosk, "exports"),
        ]
    );
    assert!(parse_windows_drives("not,a,drive list\n1,2,3\n", "C:").is_empty());
}

#[test]
fn a_configured_drive_is_the_stick_and_its_folders_are_not_offered() {
    let mounts = parse_windows_drives(WINDOWS_DRIVES, "C:");
    let roots = vec![PathBuf::from("E:\\")];
    let places = offered_places(
        &Surroundings {
            roots: &roots,
            configured: true,
            mounts: Some(&mounts),
        },
        listing(&[("E:\\", &["Laporan", "Foto"])]),
        PathBuf::from("/data/exports"),
    );
    let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["E: KANIM", "exports"]);
}

#[test]
fn on_this_machine_sticks_below_a_configured_folder_and_the_own_folder_are_offered() {
    let usb = tempfile::tempdir().expect("temp");
    let data = tempfile::tempdir().expect("temp");
    std::fs::create_dir_all(usb.path().join("kiosk").join("STICK")).expect("mkdir");
    std::fs::create_dir_all(usb.path().join(".hidden")).expect("mkdir");
    let mut config = Config::default();
    config.upstream.import_dirs = vec![usb.path().to_owned()];
    config.kiosk.data_dir = Some(data.path().to_owned());
    let offered = export_folders(&config);
    let stick = usb.path().join("kiosk").join("STICK");
    assert_eq!(
        shown(&offered),
        [
            (PlaceKind::Stick, "STICK", stick.as_path()),
            (
                PlaceKind::Kiosk,
                "exports",
                data.path().join("exports").as_path()
            ),
        ]
    );
    let place = offered_export_folder(&config, &stick).expect("offered");
    assert_eq!(place.name, "STICK");
    assert!(offered_export_folder(&config, &data.path().join("exports")).is_some());
    assert!(
        offered_export_folder(&config, Path::new("/etc")).is_none(),
        "only offered folders"
    );
}
