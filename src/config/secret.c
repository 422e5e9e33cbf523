/* Loading secrets (the access token, the app secret) from an environment variable, a private
 * file or a command, without ever echoing them. */
#include "mpsdash/secret.h"
#include "mpsdash/alloc.h"
#include "mpsdash/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define SECRET_MAX 65536 /* bytes read from a file or a command */
#define STDERR_KEEP 512  /* bytes of a failing command's stderr kept for the message */

static int command_timeout_ms = SECRET_COMMAND_TIMEOUT_MS;
/* A run of token characters this long in a helper's stderr is masked: Meta tokens are far
 * longer, file names and messages rarely reach it without a space or slash. */
#define SECRET_LOOKALIKE_MIN 32

void secret_set_command_timeout(int ms)
{
    command_timeout_ms = ms > 0 ? ms : SECRET_COMMAND_TIMEOUT_MS;
}

void secret_free(char *secret)
{
    if (!secret)
        return;
    explicit_bzero(secret, strlen(secret));
    free(secret);
}

void secret_source_clear(secret_source *src)
{
    if (!src)
        return;
    free(src->value);
    src->value = NULL;
    src->kind = SECRET_NONE;
}

/* A variable name: letters, digits and _, not starting with a digit, and not what a pasted token
 * looks like (long, or starting with "EAA"). Whatever fails this is never echoed. */
static bool env_name_plausible(const char *v)
{
    if (!v || !*v)
        return false;
    size_t n = strlen(v);
    if (n > 64 || (n > 20 && strncmp(v, "EAA", 3) == 0))
        return false;
    if (!((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') || *v == '_'))
        return false;
    for (; *v; v++)
        if (!((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') ||
              *v == '_'))
            return false;
    return true;
}

void secret_source_describe(const secret_source *src, const char *what, char *out, size_t size)
{
    if (!what)
        what = "secret";
    switch (src ? src->kind : SECRET_NONE) {
    case SECRET_ENV:
        if (env_name_plausible(src->value))
            snprintf(out, size, "environment variable %s", src->value);
        else /* most likely the token pasted in place of the name: not shown */
            snprintf(out, size, "an environment variable");
        break;
    case SECRET_FILE:
        snprintf(out, size, "%s file %s", what, src->value);
        break;
    case SECRET_COMMAND:
        /* The command line itself may embed a secret (a passphrase, a URL): not shown. */
        snprintf(out, size, "%s command", what);
        break;
    default:
        snprintf(out, size, "no %s source", what);
        break;
    }
}

/* ------------------------------------------------------------------ environment */

/* Values taken from the environment, kept so that a profile can be resolved again after the
 * variable was removed (:profile switching back). */
typedef struct env_kept {
    char *name;
    char *value;
} env_kept;

static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;
static env_kept *env_table;
static size_t env_count;

static const env_kept *env_find(const char *name)
{
    for (size_t i = 0; i < env_count; i++)
        if (strcmp(env_table[i].name, name) == 0)
            return &env_table[i];
    return NULL;
}

bool secret_env_present(const char *name)
{
    if (!name || !*name)
        return false;
    pthread_mutex_lock(&env_lock);
    bool kept = env_find(name) != NULL;
    pthread_mutex_unlock(&env_lock);
    return kept || getenv(name) != NULL;
}

void secret_env_forget(void)
{
    pthread_mutex_lock(&env_lock);
    for (size_t i = 0; i < env_count; i++) {
        free(env_table[i].name);
        secret_free(env_table[i].value);
    }
    free(env_table);
    env_table = NULL;
    env_count = 0;
    pthread_mutex_unlock(&env_lock);
}

/* The raw value of the variable; kept, then wiped from the environment block (which is also what
 * /proc/PID/environ shows) and removed so that child processes do not inherit it. */
static int env_take(const char *name, char **raw, char *err, size_t err_size)
{
    *raw = NULL;
    if (!env_name_plausible(name)) {
        snprintf(err, err_size,
                 "an environment variable name (letters, digits, _) is wanted "
                 "there, never the token itself");
        return -1;
    }
    pthread_mutex_lock(&env_lock);
    const env_kept *k = env_find(name);
    if (k) {
        *raw = mps_xstrdup(k->value);
        pthread_mutex_unlock(&env_lock);
        return 0;
    }
    char *v = getenv(name);
    if (!v) {
        pthread_mutex_unlock(&env_lock);
        snprintf(err, err_size, "environment variable %s is not set", name);
        return -1;
    }
    env_table = mps_xreallocarray(env_table, env_count + 1, sizeof *env_table);
    char *copy = mps_xstrdup(v);
    env_table[env_count].name = mps_xstrdup(name);
    env_table[env_count].value = copy;
    env_count++;
    explicit_bzero(v, strlen(v));
    unsetenv(name);
    *raw = mps_xstrdup(copy);
    pthread_mutex_unlock(&env_lock);
    return 0;
}

void secret_env_capture(const char *name)
{
    if (!env_name_plausible(name) || !getenv(name))
        return;
    char *raw = NULL;
    mps_errtext err;
    if (env_take(name, &raw, err, sizeof err) == 0)
        secret_free(raw);
}

/* ------------------------------------------------------------------ files */

/* Opens a secret file and applies the OpenSSH rules to what was opened (no race between the
 * check and the read). Returns the fd or -1. */
static int secret_open_checked(const char *path, char *err, size_t err_size)
{
    /* O_NONBLOCK: a FIFO must not hang us before fstat rejects it. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, err_size, "cannot stat %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "%s is not a regular file", path);
        close(fd);
        return -1;
    }
    if (st.st_uid != getuid()) {
        snprintf(err, err_size, "%s belongs to uid %u, not to you (uid %u)", path,
                 (unsigned)st.st_uid, (unsigned)getuid());
        close(fd);
        return -1;
    }
    if (st.st_mode & 077) {
        snprintf(err, err_size, "permissions %04o for %s are too open; run chmod 600 %s",
                 (unsigned)(st.st_mode & 07777), path, path);
        close(fd);
        return -1;
    }
    return fd;
}

int secret_check_file(const char *path, char *err, size_t err_size)
{
    int fd = secret_open_checked(path, err, err_size);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* Reads up to SECRET_MAX bytes; buf must hold SECRET_MAX + 1. */
static int read_file_secret(const char *path, char *buf, size_t *len, char *err, size_t err_size)
{
    int fd = secret_open_checked(path, err, err_size);
    if (fd < 0)
        return -1;
    size_t n = 0;
    while (n < SECRET_MAX) {
        ssize_t r = read(fd, buf + n, SECRET_MAX - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return 0;
}

/* ------------------------------------------------------------------ commands */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Appends what can be read now from fd; returns false at EOF or error. Bytes beyond cap are
 * read and dropped so that the writer is never blocked. */
static bool drain(int fd, char *buf, size_t *len, size_t cap)
{
    char tmp[4096];
    for (;;) {
        ssize_t r = read(fd, tmp, sizeof tmp);
        if (r > 0) {
            size_t room = cap - *len;
            size_t take = (size_t)r < room ? (size_t)r : room;
            memcpy(buf + *len, tmp, take);
            *len += take;
            continue;
        }
        explicit_bzero(tmp, sizeof tmp);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            return true;
        return false;
    }
}

/* The last non-empty line of a command's stderr, printable ASCII only, for the error message. */
static void last_line(const char *s, size_t len, char *out, size_t size)
{
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
        len--;
    size_t start = len;
    while (start > 0 && s[start - 1] != '\n')
        start--;
    size_t o = 0;
    for (size_t i = start; i < len && o + 1 < size; i++)
        out[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    out[o] = '\0';
}

static bool token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '+' || c == '/' || c == '=';
}

/* Masks in place every occurrence of what the command printed on stdout (a token, or part of
 * one) and every run of token characters long enough to be a token: a failing helper's
 * stderr may well repeat the secret it could not finish handing over. */
static void scrub_tail(char *tail, const char *out)
{
    for (const char *line = out; *line;) {
        size_t n = strcspn(line, "\n");
        while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        char *hit;
        while (n >= 6 && (hit = memmem(tail, strlen(tail), line, n))) {
            memset(hit, '*', 3);
            memmove(hit + 3, hit + n, strlen(hit + n) + 1);
        }
        line += strcspn(line, "\n");
        if (*line)
            line++;
    }
    char *w = tail;
    for (char *r = tail; *r;) {
        size_t run = 0;
        while (token_char(r[run]))
            run++;
        if (run >= SECRET_LOOKALIKE_MIN) {
            memcpy(w, "***", 3);
            w += 3;
            r += run;
        } else if (run > 0) {
            memmove(w, r, run);
            w += run;
            r += run;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

static int run_command(const char *command, const char *what, char *buf, size_t *len, char *err,
                       size_t err_size)
{
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "%s command: pipe: %s", what, strerror(errno));
        return -1;
    }
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "%s command: pipe: %s", what, strerror(errno));
        close(out_pipe[0]);
        close(out_pipe[1]);
        return -1;
    }
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    /* Everything the child needs is prepared before fork: after it, in a threaded process,
     * only async-signal-safe calls are allowed. */
    char *const argv[] = {"sh", "-c", (char *)command, NULL};
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_size, "%s command: fork: %s", what, strerror(errno));
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        if (devnull >= 0)
            close(devnull);
        return -1;
    }
    if (pid == 0) {
        /* stdin is /dev/null: a prompt on stdin would otherwise steal the dashboard's keys;
         * pinentry and friends open the terminal themselves. */
        if (devnull >= 0)
            dup2(devnull, 0);
        /* Its own process group: a time-out ends whatever it started, not just sh. */
        setpgid(0, 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigaction(SIGPIPE, &sa, NULL);
        execve("/bin/sh", argv, environ);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: whichever runs first, the group exists before a kill */
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (devnull >= 0)
        close(devnull);
    fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);

    char errbuf[STDERR_KEEP];
    size_t errlen = 0;
    bool out_open = true, err_open = true, reaped = false, timed_out = false;
    int status = 0;
    long long deadline = now_ms() + command_timeout_ms;
    *len = 0;
    while (out_open || err_open) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                                {err_open ? err_pipe[0] : -1, POLLIN, 0}};
        /* Short slices: a background grandchild may hold the pipes open after sh exits. */
        int r = poll(pfd, 2, left < 100 ? (int)left : 100);
        if (r < 0 && errno != EINTR)
            break;
        if (out_open && (pfd[0].revents || reaped))
            out_open = drain(out_pipe[0], buf, len, SECRET_MAX);
        if (err_open && (pfd[1].revents || reaped))
            err_open = drain(err_pipe[0], errbuf, &errlen, sizeof errbuf);
        if (reaped)
            break; /* drained once after exit: whatever is still open belongs to others */
        if (waitpid(pid, &status, WNOHANG) == pid)
            reaped = true;
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (timed_out)
        kill(-pid, SIGKILL); /* the whole group: sh and every child it left running */
    if (!reaped) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    buf[*len] = '\0';

    char tail[200];
    last_line(errbuf, errlen, tail, sizeof tail);
    scrub_tail(tail, buf);
    if (timed_out) {
        snprintf(err, err_size, "%s command did not finish within %d s and was killed", what,
                 (command_timeout_ms + 999) / 1000);
        return -1;
    }
    if (WIFSIGNALED(status)) {
        snprintf(err, err_size, "%s command was killed by signal %d%s%s", what, WTERMSIG(status),
                 tail[0] ? ": " : "", tail);
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        snprintf(err, err_size, "%s command failed with exit status %d%s%s", what,
                 WEXITSTATUS(status), tail[0] ? ": " : "", tail);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ loading */

/* The first line of raw, without surrounding white space; refuses what cannot be a token in an
 * HTTP header (spaces, control characters, non-ASCII). */
static int secret_take_line(const char *raw, const char *source, char **out, char *err,
                            size_t err_size)
{
    const char *s = raw;
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n == 0) {
        snprintf(err, err_size, "%s is empty", source);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f) {
            snprintf(err, err_size,
                     "%s holds a character that cannot be in a secret "
                     "(space, control or non-ASCII) at position %zu",
                     source, i + 1);
            return -1;
        }
    }
    *out = mps_xstrndup(s, n);
    return 0;
}

int secret_load(const secret_source *src, const char *what, char **out, char *err, size_t err_size)
{
    *out = NULL;
    if (!what)
        what = "secret";
    char desc[1200];
    secret_source_describe(src, what, desc, sizeof desc);
    if (!src || src->kind == SECRET_NONE || !src->value || !src->value[0]) {
        snprintf(err, err_size, "no %s source configured", what);
        return -1;
    }
    int rc = -1;
    char *buf = NULL;
    switch (src->kind) {
    case SECRET_ENV: {
        if (env_take(src->value, &buf, err, err_size) != 0)
            return -1;
        rc = secret_take_line(buf, desc, out, err, err_size);
        break;
    }
    case SECRET_FILE: {
        size_t len;
        buf = mps_xmalloc(SECRET_MAX + 1);
        if (read_file_secret(src->value, buf, &len, err, err_size) == 0)
            rc = secret_take_line(buf, desc, out, err, err_size);
        explicit_bzero(buf, SECRET_MAX + 1);
        free(buf);
        return rc;
    }
    case SECRET_COMMAND: {
        size_t len;
        buf = mps_xmalloc(SECRET_MAX + 1);
        if (run_command(src->value, what, buf, &len, err, err_size) == 0) {
            char label[64];
            snprintf(label, sizeof label, "the output of the %s command", what);
            rc = secret_take_line(buf, label, out, err, err_size);
        }
        explicit_bzero(buf, SECRET_MAX + 1);
        free(buf);
        return rc;
    }
    default:
        snprintf(err, err_size, "no %s source configured", what);
        return -1;
    }
    secret_free(buf);
    return rc;
}

void secret_harden_process(void)
{
    /* Keeps the token out of core dumps and away from ptrace by other processes of the user. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
}
