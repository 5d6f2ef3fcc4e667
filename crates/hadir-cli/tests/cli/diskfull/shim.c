/* A disk that fills up, simulated (crates/hadir-cli/tests/cli/disk_full.rs).
 *
 * Loaded with LD_PRELOAD into `hadir`. Writes to files under $HADIR_DISKFULL_WATCH (a folder,
 * at any depth) draw on the room written in the file $HADIR_DISKFULL_ROOM, a number of bytes:
 * a write that fits takes its bytes from it, one that does not writes what still fits (a short
 * write, as a real disk gives) and the next gets ENOSPC. No room file: room without end, so
 * the test frees space by removing it and fills the disk by writing "0" into it, while the
 * program runs. write, pwrite, pwrite64, writev and the fallocate calls are covered; fsync and
 * fdatasync are not (a local file system reserves the blocks at write: a full disk answers the
 * write, not the flush). Files outside the folder (standard output, pipes) are never touched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static pthread_mutex_t room_lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t (*real_write_fn(void))(int, const void *, size_t) {
    static ssize_t (*real)(int, const void *, size_t);
    if (!real) real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    return real;
}

/* Whether `fd` is a file under the watched folder. */
static int watched(int fd) {
    const char *watch = getenv("HADIR_DISKFULL_WATCH");
    if (!watch || !getenv("HADIR_DISKFULL_ROOM")) return 0;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, path, sizeof path - 1);
    if (len <= 0) return 0;
    path[len] = 0;
    size_t watch_len = strlen(watch);
    return strncmp(path, watch, watch_len) == 0 && path[watch_len] == '/';
}

/* How many of `wanted` bytes may be written now (-1: no room file, all of them), taken from
 * the room file. Called with room_lock held. */
static long long take_room(long long wanted) {
    const char *file = getenv("HADIR_DISKFULL_ROOM");
    int in = open(file, O_RDONLY | O_CLOEXEC);
    if (in < 0) return -1;
    char text[32] = {0};
    ssize_t got = read(in, text, sizeof text - 1);
    close(in);
    if (got < 0) return -1;
    long long room = strtoll(text, NULL, 10);
    if (room < 0) room = 0;
    long long granted = wanted < room ? wanted : room;
    int out = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (out >= 0) {
        int n = snprintf(text, sizeof text, "%lld", room - granted);
        if (real_write_fn()(out, text, (size_t)n) != n) abort();
        close(out);
    }
    return granted;
}

/* The bytes a write to `fd` of `count` bytes may make: `count` when the disk has room, fewer
 * for a short write, 0 when full (errno set to ENOSPC). */
static size_t allowed(int fd, size_t count) {
    if (count == 0 || !watched(fd)) return count;
    pthread_mutex_lock(&room_lock);
    long long granted = take_room((long long)count);
    pthread_mutex_unlock(&room_lock);
    if (granted < 0) return count;
    if (granted == 0) errno = ENOSPC;
    return (size_t)granted;
}

ssize_t write(int fd, const void *buf, size_t count) {
    size_t n = allowed(fd, count);
    if (n == 0 && count > 0) return -1;
    return real_write_fn()(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real) real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    size_t n = allowed(fd, count);
    if (n == 0 && count > 0) return -1;
    return real(fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
    static ssize_t (*real)(int, const void *, size_t, off64_t);
    if (!real) real = (ssize_t (*)(int, const void *, size_t, off64_t))dlsym(RTLD_NEXT, "pwrite64");
    size_t n = allowed(fd, count);
    if (n == 0 && count > 0) return -1;
    return real(fd, buf, n, offset);
}

/* Vectored writes: all of it, or ENOSPC (no short write across buffers). */
ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
    static ssize_t (*real)(int, const struct iovec *, int);
    if (!real) real = (ssize_t (*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
    size_t total = 0;
    for (int i = 0; i < iovcnt; i++) total += iov[i].iov_len;
    if (allowed(fd, total) < total) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, iov, iovcnt);
}

int fallocate(int fd, int mode, off_t offset, off_t len) {
    static int (*real)(int, int, off_t, off_t);
    if (!real) real = (int (*)(int, int, off_t, off_t))dlsym(RTLD_NEXT, "fallocate");
    if (len > 0 && allowed(fd, (size_t)len) < (size_t)len) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, mode, offset, len);
}

int posix_fallocate(int fd, off_t offset, off_t len) {
    static int (*real)(int, off_t, off_t);
    if (!real) real = (int (*)(int, off_t, off_t))dlsym(RTLD_NEXT, "posix_fallocate");
    if (len > 0 && allowed(fd, (size_t)len) < (size_t)len) return ENOSPC;
    return real(fd, offset, len);
}
