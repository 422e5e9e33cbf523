/* A private temporary directory per test, removed with everything in it: shared by the unit
 * tests that write files (config, secrets, audit log, themes). Header-only: each test is its
 * own program. */
#ifndef MPSDASH_TEST_TMPDIR_H
#define MPSDASH_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Makes /tmp/mpsdash-test-NAME-XXXXXX into dir. 0, or -1. */
static inline int test_tmpdir_make(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/mpsdash-test-%s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

static inline int test_tmpdir_remove_entry(const char *path, const struct stat *st, int flag,
                                           struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes dir and everything below it (links are removed, never followed). */
static inline void test_tmpdir_remove(const char *dir)
{
    nftw(dir, test_tmpdir_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
