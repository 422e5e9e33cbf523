/* Dashboard figures (printed, not asserted): bytes written to a 200x50 terminal for the first
 * frame, a full repaint, one j, the / prompt and one search keystroke, a no-change refresh; idle
 * CPU and bytes over 10 s; RSS and keystroke-to-frame time with 10,000 solutions.
 *
 * Runs the real binary on a pty it owns, against the sandbox started in this process.
 * Usage: bench_ui [path/to/mpsdash]   (default: ../mpsdash next to this program) */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "mpsdash/sandbox.h"

#define COLS 200
#define ROWS 50
#define QUIET_MS 400

typedef struct run {
    pid_t pid;
    int fd;
    size_t total;
    double last_byte; /* monotonic time of the last byte read */
} run;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads until the terminal has been quiet for quiet_ms; returns the bytes read. */
static size_t drain(run *r, int quiet_ms, double max_s)
{
    size_t got = 0;
    double end = now_s() + max_s;
    char buf[65536];
    for (;;) {
        struct pollfd p = {.fd = r->fd, .events = POLLIN};
        int rc = poll(&p, 1, quiet_ms);
        if (rc <= 0 || now_s() > end)
            break;
        ssize_t n = read(r->fd, buf, sizeof buf);
        if (n <= 0)
            break;
        got += (size_t)n;
        r->last_byte = now_s();
    }
    r->total += got;
    return got;
}

/* Waits for the first byte, then until the terminal has been quiet for quiet_ms. */
static size_t settle(run *r, int quiet_ms, double max_s)
{
    struct pollfd p = {.fd = r->fd, .events = POLLIN};
    if (poll(&p, 1, (int)(max_s * 1000)) <= 0)
        return 0;
    return drain(r, quiet_ms, max_s);
}

static void send_keys(run *r, const char *keys)
{
    ssize_t w = write(r->fd, keys, strlen(keys));
    (void)w;
}

/* Bytes the frame after `keys` takes. The time is from the keys to the last byte of the first
 * burst of output (a 40 ms gap ends it), so a clock tick later does not count. */
static size_t frame_after(run *r, const char *keys, double *ms)
{
    double start = now_s();
    r->last_byte = start;
    send_keys(r, keys);
    size_t n = drain(r, 40, 10);
    if (ms)
        *ms = (r->last_byte - start) * 1000.0;
    return n + drain(r, QUIET_MS, 10);
}

static double cpu_seconds(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    if (!p)
        return -1;
    unsigned long utime = 0, stime = 0;
    /* fields after ")": state(3) ... utime(14) stime(15) */
    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* Resident size in MB (from VmRSS, in kB), or a negative number when unknown. */
static double rss_mb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    double kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %lf kB", &kb) == 1)
            break;
    fclose(f);
    return kb / 1024.0;
}

static bool start(run *r, const char *bin, const char *url, const char *home)
{
    struct winsize ws = {.ws_row = ROWS, .ws_col = COLS};
    memset(r, 0, sizeof *r);
    r->pid = forkpty(&r->fd, NULL, NULL, &ws);
    if (r->pid < 0)
        return false;
    if (r->pid == 0) {
        char cfg[PATH_MAX], state[PATH_MAX];
        snprintf(cfg, sizeof cfg, "%s/config", home);
        snprintf(state, sizeof state, "%s/state", home);
        setenv("XDG_CONFIG_HOME", cfg, 1);
        setenv("XDG_STATE_HOME", state, 1);
        setenv("TERM", "xterm-256color", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        setenv("BENCH_TOKEN", SANDBOX_TOKEN_A, 1);
        unsetenv("TMUX");
        unsetenv("NO_COLOR");
        execl(bin, bin, "--graph-url", url, "--app-id", SANDBOX_APP_A_ID, "--token-env",
              "BENCH_TOKEN", (char *)NULL);
        _exit(127);
    }
    return true;
}

static void stop(run *r)
{
    send_keys(r, "q");
    drain(r, 200, 5);
    int status;
    if (waitpid(r->pid, &status, WNOHANG) == 0) {
        kill(r->pid, SIGTERM);
        waitpid(r->pid, &status, 0);
    }
    close(r->fd);
}

static sandbox *sandbox_with(int extra)
{
    sandbox_options so = {0};
    so.extra_solutions = extra;
    char err[512];
    sandbox *sb = sandbox_start(&so, err, sizeof err);
    if (!sb)
        fprintf(stderr, "bench_ui: sandbox: %s\n", err);
    return sb;
}

static void small_dataset(const char *bin, const char *home)
{
    sandbox *sb = sandbox_with(0);
    if (!sb)
        return;
    run r;
    if (!start(&r, bin, sandbox_base_url(sb), home)) {
        sandbox_stop(sb);
        return;
    }
    size_t first = settle(&r, 1000, 20);
    printf("terminal %dx%d, built-in dataset (42 solutions)\n", COLS, ROWS);
    printf("  first frame (start to list shown)  %7zu bytes\n", first);
    size_t full = frame_after(&r, "\x0c", NULL); /* Ctrl-L: a full repaint */
    printf("  full repaint (Ctrl-L)              %7zu bytes\n", full);
    size_t j = frame_after(&r, "j", NULL);
    printf("  one j                              %7zu bytes  (%.1f%% of a full repaint; goal < "
           "20%%)\n",
           j, full ? 100.0 * (double)j / (double)full : 0);
    size_t slash = frame_after(&r, "/", NULL);
    printf("  / (opens the search prompt)        %7zu bytes\n", slash);
    size_t key = frame_after(&r, "S", NULL);
    printf("  one search keystroke (jumps)       %7zu bytes\n", key);
    frame_after(&r, "\x1b", NULL);
    drain(&r, 1000, 3);
    size_t refresh = frame_after(&r, "R", NULL); /* spinner, then the clock says just now */
    printf("  no-change refresh (R)              %7zu bytes  (goal < 100)\n", refresh);

    /* Idle: 10 s with nothing to do. */
    drain(&r, 1500, 5);
    double cpu0 = cpu_seconds(r.pid);
    size_t before = r.total;
    double t0 = now_s();
    while (now_s() - t0 < 10.0)
        drain(&r, 200, 10.0 - (now_s() - t0));
    double cpu1 = cpu_seconds(r.pid);
    double wall = now_s() - t0;
    printf("  idle 10 s: CPU %.2f%% (goal < 1%%), %zu bytes written (the clock only)\n",
           100.0 * (cpu1 - cpu0) / wall, r.total - before);
    stop(&r);
    sandbox_stop(sb);
}

static void large_dataset(const char *bin, const char *home)
{
    sandbox *sb = sandbox_with(10000 - 42);
    if (!sb)
        return;
    run r;
    if (!start(&r, bin, sandbox_base_url(sb), home)) {
        sandbox_stop(sb);
        return;
    }
    double t0 = now_s();
    /* The spinner turns while pages arrive: a second of silence means the load is over. */
    settle(&r, 1000, 120);
    printf("10,000 solutions\n");
    printf("  full list loaded in                %7.2f s (%lu requests)\n", now_s() - t0 - 1.0,
           sandbox_request_count(sb));
    printf("  RSS                                %7.1f MB  (goal < 50 MB)\n", rss_mb(r.pid));
    double ms;
    frame_after(&r, "2", &ms);
    printf("  filter keystroke (2: Pending)      %7.1f ms to the last byte (goal < 16 ms)\n", ms);
    frame_after(&r, "1", &ms);
    printf("  filter keystroke (1: All)          %7.1f ms\n", ms);
    frame_after(&r, "G", &ms);
    frame_after(&r, "/", NULL);
    frame_after(&r, "L", &ms);
    printf("  search keystroke (from the end)    %7.1f ms\n", ms);
    frame_after(&r, "u", &ms);
    printf("  search keystroke (second letter)   %7.1f ms\n", ms);
    frame_after(&r, "\x1b", NULL);
    frame_after(&r, "s", &ms);
    printf("  sort keystroke (s)                 %7.1f ms\n", ms);
    printf("  RSS after filtering and sorting    %7.1f MB\n", rss_mb(r.pid));
    stop(&r);
    sandbox_stop(sb);
}

int main(int argc, char **argv)
{
    char bin[PATH_MAX];
    if (argc > 1) {
        snprintf(bin, sizeof bin, "%s", argv[1]);
    } else if (getenv("MPSDASH")) {
        snprintf(bin, sizeof bin, "%s", getenv("MPSDASH"));
    } else {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0)
            return 2;
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash)
            *slash = '\0';
        if (snprintf(bin, sizeof bin, "%s/../mpsdash", self) >= (int)sizeof bin)
            return 2;
    }
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "bench_ui: no mpsdash binary at %s (pass its path)\n", bin);
        return 2;
    }
    char home[] = "/tmp/mpsdash-bench-XXXXXX";
    if (!mkdtemp(home))
        return 2;
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    small_dataset(bin, home);
    large_dataset(bin, home);
    curl_global_cleanup();
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
    int rc = system(cmd);
    (void)rc;
    return 0;
}
