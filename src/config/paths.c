/* XDG base directories, home expansion and mkdir -p for mpsdash's files. */
#include "mpsdash/paths.h"
#include "mpsdash/alloc.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* $HOME, or the password database when HOME is unset or relative. */
static const char *home_dir(void)
{
    const char *home = getenv("HOME");
    if (home && home[0] == '/')
        return home;
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_dir && pw->pw_dir[0] == '/')
        return pw->pw_dir;
    return NULL;
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a);
    while (la > 1 && a[la - 1] == '/')
        la--;
    size_t n = la + 1 + strlen(b) + 1;
    char *s = mps_xmalloc(n);
    snprintf(s, n, "%.*s/%s", (int)la, a, b);
    return s;
}

/* The XDG spec: an unset, empty or relative value means the default under $HOME. */
static char *xdg_dir(const char *var, const char *fallback_under_home)
{
    const char *v = getenv(var);
    char *base;
    if (v && v[0] == '/') {
        base = mps_xstrdup(v);
    } else {
        const char *home = home_dir();
        if (!home)
            return NULL;
        base = join(home, fallback_under_home);
    }
    char *dir = join(base, "mpsdash");
    free(base);
    return dir;
}

char *paths_config_dir(void)
{
    return xdg_dir("XDG_CONFIG_HOME", ".config");
}

char *paths_state_dir(void)
{
    return xdg_dir("XDG_STATE_HOME", ".local/state");
}

static char *in_dir(char *dir, const char *leaf)
{
    if (!dir)
        return NULL;
    char *s = join(dir, leaf);
    free(dir);
    return s;
}

char *paths_config_file(void)
{
    return in_dir(paths_config_dir(), "config");
}

char *paths_themes_dir(void)
{
    return in_dir(paths_config_dir(), "themes");
}

char *paths_audit_log(void)
{
    return in_dir(paths_state_dir(), "audit.log");
}

char *paths_expand_home(const char *path)
{
    if (!path)
        return NULL;
    if (path[0] == '~' && (path[1] == '/' || path[1] == '\0')) {
        const char *home = home_dir();
        if (home)
            return path[1] ? join(home, path + 2) : mps_xstrdup(home);
    }
    return mps_xstrdup(path);
}

int paths_mkdir_p(const char *dir, mode_t mode, char *err, size_t err_size)
{
    if (!dir || !*dir) {
        snprintf(err, err_size, "empty directory name");
        return -1;
    }
    char *buf = mps_xstrdup(dir);
    /* Walk each prefix ending at a '/', then the whole path. */
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(buf, mode) != 0 && errno != EEXIST) {
            snprintf(err, err_size, "cannot create directory %s: %s", buf, strerror(errno));
            free(buf);
            return -1;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, err_size, "%s is not a directory", dir);
        free(buf);
        return -1;
    }
    free(buf);
    return 0;
}
