/* A power cut, simulated (crates/hadir-cli/tests/crash_storm.rs).
 *
 * Loaded with LD_PRELOAD into `hadir checkin --stdin`. Every fsync or fdatasync of a file
 * directly in $HADIR_POWERCUT_WATCH first copies that file, as it is at that moment, to
 * $HADIR_POWERCUT_DISK/<name> (through a temporary file and rename, so a kill during the copy
 * leaves the previous copy). After a SIGKILL the "disk" folder holds each file as it was at its
 * last sync: what a disk that keeps nothing unsynced would hold after the power went. Files
 * never synced do not exist there at all; SQLite's -shm (never synced) is rebuilt on open.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void copy_synced_file(int fd) {
    const char *watch = getenv("HADIR_POWERCUT_WATCH");
    const char *disk = getenv("HADIR_POWERCUT_DISK");
    if (!watch || !disk) return;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, path, sizeof path - 1);
    if (len <= 0) return;
    path[len] = 0;
    size_t watch_len = strlen(watch);
    if (strncmp(path, watch, watch_len) != 0 || path[watch_len] != '/') return;
    const char *name = path + watch_len + 1;
    struct stat st;
    if (strchr(name, '/') || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
    char tmp[PATH_MAX], dst[PATH_MAX];
    snprintf(dst, sizeof dst, "%s/%s", disk, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.partial", disk, name);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) abort();
    static char buf[1 << 16];
    off_t at = 0;
    for (;;) {
        ssize_t got = pread(fd, buf, sizeof buf, at);
        if (got < 0) abort();
        if (got == 0) break;
        if (write(out, buf, (size_t)got) != got) abort();
        at += got;
    }
    if (close(out) != 0 || rename(tmp, dst) != 0) abort();
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    copy_synced_file(fd);
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    copy_synced_file(fd);
    return real(fd);
}
