/* A disk that is slow on demand, preloaded into the dashboard by tui/test_feed_backlog: every
 * pread of the file named by MPSDASH_HOLD_FILE waits until the file MPSDASH_HOLD_RELEASE exists,
 * after creating MPSDASH_HOLD_REACHED. The test then sees what the dashboard draws while that
 * file is being read, with nothing timed. Other files and other calls pass straight through. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bool is_held_file(int fd)
{
    const char *path = getenv("MPSDASH_HOLD_FILE");
    struct stat by_fd, by_path;
    return path && fstat(fd, &by_fd) == 0 && stat(path, &by_path) == 0 &&
           by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino;
}

static void hold(int fd)
{
    const char *release = getenv("MPSDASH_HOLD_RELEASE");
    if (!release || !is_held_file(fd))
        return;
    const char *reached = getenv("MPSDASH_HOLD_REACHED");
    if (reached) {
        int r = open(reached, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (r >= 0)
            close(r);
    }
    while (access(release, F_OK) != 0) {
        struct timespec step = {.tv_sec = 0, .tv_nsec = 20 * 1000 * 1000};
        nanosleep(&step, NULL);
    }
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
    ssize_t (*real)(int, void *, size_t, off_t) =
        (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread");
    hold(fd);
    return real(fd, buf, count, offset);
}

ssize_t pread64(int fd, void *buf, size_t count, off64_t offset)
{
    ssize_t (*real)(int, void *, size_t, off64_t) =
        (ssize_t(*)(int, void *, size_t, off64_t))dlsym(RTLD_NEXT, "pread64");
    hold(fd);
    return real(fd, buf, count, offset);
}
