/* The dashboard's event loop: ppoll(stdin, the worker's fd, timers) -> dispatch -> one frame
 * (wnoutrefresh per window, one doupdate). Also ui_run's set-up and tear-down. */
#include "ui-actions.h"
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-feed.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-panel.h"
#include "ui-term.h"
#include "ui-views.h"

#include <errno.h>
#include <langinfo.h>
#include <math.h> /* INFINITY */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mpsdash/alloc.h"
#include "mpsdash/cli.h"
#include "mpsdash/paths.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define SPINNER_STEP_S 0.12
#define ESC_DELAY_MS 25

/* Seconds the dashboard has to leave after SIGTERM/SIGINT before SIGALRM (default action: end
 * the process) ends it anyway: a long draw or a stuck teardown must not outlive the signal. */
#define QUIT_GRACE_S 10

static volatile sig_atomic_t quit_signal;

static void on_quit_signal(int sig)
{
    (void)sig;
    if (!quit_signal)
        alarm(QUIT_GRACE_S); /* async-signal-safe */
    quit_signal = 1;
}

double ui_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ui_dirty(ui *u, unsigned flags)
{
    u->dirty |= flags;
}

void ui_copy(ui *u, const char *text, const char *what)
{
    secret_free(u->clipboard); /* it may hold a business token */
    u->clipboard = mps_xstrdup(text);
    ui_message(u, UI_MSG_INFO, "copied the %s to the clipboard (OSC 52)", what);
}

/* ---- global requests --------------------------------------------------------------------- */

static void req_quit(ui *u)
{
    ui_quit_request(u);
}

static void req_redraw(ui *u)
{
    /* The one full repaint: Ctrl-L is for a screen something else scribbled on. */
    clearok(curscr, TRUE);
    ui_dirty(u, UI_DIRTY_ALL | UI_DIRTY_LAYOUT);
}

static void req_refresh(ui *u)
{
    /* The status area says "loading the solutions" for as long as the load runs. */
    ui_refresh(u);
}

static void req_back(ui *u)
{
    if (u->top_view != &u->base) {
        ui_view_pop(u);
    } else if (ui_detail_focus_leave(u)) {
        /* the list has the keys again */
    } else if (u->message[0] && (u->message_level >= UI_MSG_WARNING || !store_narrow(u->st)[0])) {
        /* a warning first; a passing notice only after the narrowing (below) */
        ui_message_clear(u);
    } else if (store_narrow(u->st)[0]) {
        /* before a passing notice: it goes by itself, the narrowing would need a second Esc;
         * a partner's solutions go back to the partners they came from */
        if (!ui_partner_return(u))
            ui_set_narrow(u, NULL);
    } else if (ui_panel_of(u)->list.search[0]) {
        ui_panel_of(u)->list.search[0] = '\0';
        ui_dirty(u, UI_DIRTY_STATUS | UI_DIRTY_TABS);
    }
}

static const struct {
    ui_request req;
    void (*run)(ui *u);
} global_requests[] = {
    {REQ_QUIT, req_quit},       {REQ_HELP, ui_help_open}, {REQ_COMMAND, ui_prompt_open_command},
    {REQ_REFRESH, req_refresh}, {REQ_REDRAW, req_redraw}, {REQ_BACK, req_back},
};

static void handle_mouse(ui *u)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || u->too_small || u->top_view != &u->base)
        return;
    if (ev.bstate & BUTTON4_PRESSED) {
        ui_select_index(u, ui_panel_of(u)->list.sel - 3);
    } else if (ev.bstate & BUTTON5_PRESSED) {
        ui_select_index(u, ui_panel_of(u)->list.sel + 3);
    } else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)) {
        if (u->w_tabs && ev.y == getbegy(u->w_tabs)) {
            int tab = ui_tabs_hit(u, ev.x);
            if (tab >= 0)
                ui_set_filter(u, tab == 0, tab == 0 ? STATE_PENDING : (mps_state)(tab - 1));
            return;
        }
        if (u->w_list && ev.x < getbegx(u->w_list) + getmaxx(u->w_list)) {
            long idx = ui_list_hit(u, ev.y);
            if (idx >= 0)
                ui_select_index(u, idx);
        }
    }
}

void ui_handle_key(ui *u, int key)
{
    if (key == UI_KEY_FN + KEY_RESIZE) {
        ui_dirty(u, UI_DIRTY_ALL | UI_DIRTY_LAYOUT);
        return;
    }
    if (key == UI_KEY_FN + KEY_MOUSE) {
        handle_mouse(u);
        return;
    }
    ui_request req = ui_keymap_lookup(&u->keys, key);
    /* An error stays until read: the first key after it was on screen puts it away (and
     * still does what it does). */
    if (u->message_level == UI_MSG_ERROR && u->message_drawn)
        ui_message_clear(u);
    if (u->too_small) {
        /* Nothing to act on but leaving and repainting. */
        if (req == REQ_QUIT)
            u->quit = true; /* no room to ask: stderr reports what was in flight */
        else if (req == REQ_REDRAW)
            req_redraw(u);
        return;
    }
    ui_view *top = u->top_view;
    if (top->ops->key && top->ops->key(u, top, key, req) == UI_HANDLED)
        return;
    for (size_t i = 0; i < COUNT_OF(global_requests); i++) {
        if (global_requests[i].req == req) {
            global_requests[i].run(u);
            return;
        }
    }
    /* The views beyond the panel: the registry says which request opens which. */
    const ui_view_kind *kind = ui_view_kind_of_request(req);
    if (kind && kind->open)
        kind->open(u);
}

/* ---- drawing ----------------------------------------------------------------------------- */

static void draw_too_small(ui *u)
{
    werase(stdscr);
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    /* One line when it fits; on a very narrow terminal the words wrap over the rows there are. */
    ui_lines l = {0};
    ui_lines_wrap(&l, UI_TOO_SMALL_TEXT, cols, 0, A_BOLD);
    for (int y = 0; y < rows && (size_t)y < l.n; y++)
        ui_put(stdscr, y, 0, l.items[y].text, cols, A_BOLD);
    ui_lines_clear(&l);
    wnoutrefresh(stdscr);
}

static void relayout(ui *u)
{
    ui_layout(u);
    for (ui_view *v = u->top_view; v; v = v->below) {
        if (v->ops->resize && !u->too_small)
            v->ops->resize(u, v);
        else if (v->win && u->too_small) {
            delwin(v->win);
            v->win = NULL;
        }
        v->dirty = true;
    }
    ui_dirty(u, UI_DIRTY_ALL);
}

static void render(ui *u)
{
    if (u->dirty & UI_DIRTY_LAYOUT) {
        relayout(u);
        u->dirty &= ~UI_DIRTY_LAYOUT;
    }
    if (u->too_small) {
        draw_too_small(u);
        curs_set(0);
        doupdate();
        ui_draw_after_update();
        u->dirty = 0;
        for (ui_view *v = u->top_view; v; v = v->below)
            v->dirty = false;
        return;
    }
    /* Overlays sit on top of the nearest view that covers the body. */
    ui_view *body = u->top_view;
    while (body && !body->ops->covers_body)
        body = body->below;
    if (!body)
        body = &u->base;

    bool below_changed = (u->dirty & ~UI_DIRTY_LAYOUT) != 0;
    if (u->dirty & UI_DIRTY_HEADER) {
        ui_header_draw(u);
        wnoutrefresh(u->w_header);
    }
    if (u->dirty & UI_DIRTY_STATUS) {
        ui_status_draw(u);
        wnoutrefresh(u->w_status);
    }
    if (body->ops->draw)
        body->ops->draw(u, body);
    body->dirty = false;

    /* Bottom-up, so each overlay lands on what is under it. */
    ui_view *stack[32];
    int n = 0;
    for (ui_view *v = u->top_view; v != body && v && n < 32; v = v->below)
        stack[n++] = v;
    for (int i = n - 1; i >= 0; i--) {
        ui_view *v = stack[i];
        if (!v->win) { /* no room for it at this size */
            v->dirty = false;
            continue;
        }
        if (v->dirty && v->ops->draw)
            v->ops->draw(u, v);
        if (v->dirty || below_changed) {
            touchwin(v->win);
            wnoutrefresh(v->win);
            below_changed = true;
        }
        v->dirty = false;
    }
    ui_view *top = u->top_view;
    if (top && top != body && top->win && top->cursor_visible) {
        leaveok(top->win, FALSE);
        wmove(top->win, top->cursor_y, top->cursor_x);
        wnoutrefresh(top->win);
        curs_set(1);
    } else {
        curs_set(0);
    }
    doupdate();
    ui_draw_after_update();
    u->dirty = 0;
    if (u->clipboard) {
        /* After doupdate: curses has flushed, so the sequence cannot split one of its writes. */
        if (!ui_osc52_copy(STDOUT_FILENO, u->clipboard, getenv("TMUX") != NULL))
            ui_message(u, UI_MSG_ERROR, "could not write to the terminal for OSC 52");
        /* It may have been a business token. */
        explicit_bzero(u->clipboard, strlen(u->clipboard));
        free(u->clipboard);
        u->clipboard = NULL;
    }
    ui_notify_flush(u);
}

/* ---- timers ------------------------------------------------------------------------------ */

static void run_timers(ui *u, double now)
{
    if (u->message_until > 0 && now >= u->message_until)
        ui_message_clear(u);
    /* An operation's progress line comes and goes with the operation. */
    if (u->screen_started && !u->too_small && ui_status_height(u) != u->status_h)
        ui_dirty(u, UI_DIRTY_LAYOUT);
    if (ui_busy(u)) {
        if (now >= u->spinner_next) {
            u->spinner++;
            u->spinner_next = now + SPINNER_STEP_S;
            ui_dirty(u, UI_DIRTY_STATUS);
        }
    } else {
        u->spinner_next = 0;
    }
    ui_feed_tick(u, now);
    char clock[sizeof u->clock_text];
    ui_header_clock(u, now, clock, sizeof clock);
    if (strcmp(clock, u->clock_text) != 0)
        ui_dirty(u, UI_DIRTY_HEADER);
    if (u->next_refresh > 0 && now >= u->next_refresh && !u->list_loading)
        ui_refresh(u);
}

static double min_d(double a, double b)
{
    return a < b ? a : b;
}

/* Milliseconds until the next timer; -1 when only input or a result can change anything. */
static int next_timeout(const ui *u, double now)
{
    double wait = INFINITY;
    if (ui_busy(u))
        wait = min_d(wait, u->spinner_next - now);
    if (u->message_until > 0)
        wait = min_d(wait, u->message_until - now);
    if (u->next_refresh > 0)
        wait = min_d(wait, u->next_refresh - now);
    wait = min_d(wait, ui_header_clock_next(u, now));
    wait = min_d(wait, ui_feed_next(u, now));
    if (wait > 86400.0)
        return -1;
    if (wait < 0)
        wait = 0;
    return (int)(wait * 1000.0) + 1; /* rounded up: waking early would only spin */
}

/* ---- set-up ------------------------------------------------------------------------------ */

static bool locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void read_keys(ui *u, WINDOW *input)
{
    for (;;) {
        wint_t wch;
        int rc = wget_wch(input, &wch);
        if (rc == ERR)
            break;
        ui_handle_key(u, ui_key_from_wch(rc, wch));
        if (u->quit)
            break;
    }
}

/* A family (man, woman, girl: two columns where the terminal joins it, six where it does not),
 * and how long a terminal may take to say where it left the cursor (an ssh round trip). */
#define JOINER_PROBE "\U0001F468\u200D\U0001F469\u200D\U0001F467"
#define JOINER_PROBE_MS 500

/* How the terminal draws emoji joined with U+200D, so that the columns counted are the ones it
 * draws: the configuration says, or the terminal is asked (the probe written at the top left:
 * where did the cursor land?). A terminal that does not answer gets the parts drawn apart. */
static void set_joiners(ui *u)
{
    config_joiners mode = u->config ? u->config->emoji_joiners : CONFIG_JOINERS_AUTO;
    bool joins = mode == CONFIG_JOINERS_JOINED;
    if (mode == CONFIG_JOINERS_AUTO && u->utf8) {
        doupdate(); /* the alternate screen entered and cleared before writing to it */
        ui_typeahead typed = {.len = 0};
        int cols =
            ui_terminal_measure(STDIN_FILENO, STDOUT_FILENO, JOINER_PROBE, JOINER_PROBE_MS, &typed);
        joins = cols == 2;
        for (size_t i = typed.len; i-- > 0;) /* keys typed meanwhile: read next, in order */
            ungetch((unsigned char)typed.bytes[i]);
        clearok(curscr, TRUE); /* the probe went past curses: the first frame repaints all */
    }
    text_set_zwj_joins(joins && u->utf8);
}

static int setup_settings(ui *u, const ui_options *opts)
{
    const cli_globals *g = opts->globals;
    const mps_config *cfg = opts->config;
    u->opts = opts;
    u->config = cfg;
    u->demo = opts->demo;
    u->readonly = g && g->readonly;
    u->mouse = cfg && cfg->mouse;
    u->confirm = cfg ? cfg->confirm : CONFIG_CONFIRM_YES;
    u->utf8 = locale_is_utf8();
    u->usage.max_percent = -1;
    ui_panel_init(u);

    const char *theme_name = g && g->theme ? g->theme : cfg && cfg->theme ? cfg->theme : NULL;
    const char *nc = getenv("NO_COLOR");
    bool mono = theme_name && strcmp(theme_name, "mono") == 0;
    mps_errtext err;
    if (ui_theme_load(&u->theme, theme_name, (nc && *nc) || mono, err, sizeof err) != 0) {
        if (!mono) {
            fprintf(stderr, "mpsdash: %s\n", err);
            return EXIT_CONFIG;
        }
        theme_builtin(&u->theme.data); /* mono needs no file: it is "no colours" */
        theme_strip_colors(&u->theme.data);
    }

    ui_keymap_defaults(&u->keys);
    if (cfg)
        ui_keymap_apply(&u->keys, cfg->keys, cfg->key_count, &u->key_problems);
    if (opts->demo) {
        /* The demo acts on a simulated API: keep its lines out of the real audit trail, the
         * system log's too. */
        audit_syslog(NULL);
        char *dir = paths_state_dir();
        if (dir)
            u->audit_path = mps_xasprintf("%s/demo-audit.log", dir);
        free(dir);
    } else {
        u->audit_path = cfg ? config_audit_log_path(cfg) : paths_audit_log();
    }
    return EXIT_OK;
}

/* Checks --filter (before anything is started, so a typo costs nothing) and, with apply,
 * sets it on the store of the connected profile. */
static int initial_filter(ui *u, bool apply)
{
    const cli_globals *g = u->opts->globals;
    if (!g || !g->filter)
        return EXIT_OK;
    mps_state st;
    bool all = false;
    if (!state_parse(g->filter, &st, &all)) {
        fprintf(stderr,
                "mpsdash: --filter %s: not a state (all, pending, active, pending-deactivation, "
                "draft, inactive, deactivated, other)\n",
                g->filter);
        return EXIT_USAGE;
    }
    if (apply)
        store_set_state_filter(u->st, all, st);
    return EXIT_OK;
}

static void teardown(ui *u)
{
    while (u->top_view && u->top_view != &u->base)
        ui_view_pop(u);
    ui_layout_free(u);
    ui_data_disconnect(u);
    ui_data_stop_demo(u);
    ui_keymap_clear(&u->keys);
    strlist_clear(&u->key_problems);
    free(u->audit_path);
    free(u->notify_first);
    strlist_clear(&u->exit_report);
    secret_free(u->clipboard);
    ui_panel_free(u);
}

/* Overlays mark only themselves when a key changes them (a prompt's text, a dialog's focus). */
static bool views_dirty(const ui *u)
{
    for (const ui_view *v = u->top_view; v; v = v->below)
        if (v->dirty)
            return true;
    return false;
}

static void loop(ui *u, WINDOW *input, const sigset_t *poll_mask)
{
    while (!u->quit && !quit_signal) {
        double now = ui_now();
        run_timers(u, now);
        if (u->dirty || views_dirty(u))
            render(u);
        struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                                {.fd = u->w ? worker_fd(u->w) : -1, .events = POLLIN}};
        int ms = next_timeout(u, ui_now());
        struct timespec ts, *tsp = NULL;
        if (ms >= 0) {
            ts.tv_sec = ms / 1000;
            ts.tv_nsec = (long)(ms % 1000) * 1000000L;
            tsp = &ts;
        }
        /* SIGWINCH is blocked except inside ppoll: a resize can never slip in between. */
        int rc = ppoll(fds, 2, tsp, poll_mask);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc < 0 || (fds[0].revents & POLLIN))
            read_keys(u, input);
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
            break; /* the terminal went away */
        if (rc > 0 && (fds[1].revents & POLLIN))
            ui_data_poll(u);
    }
}

int ui_run(const ui_options *opts)
{
    ui *u = mps_xcalloc(1, sizeof *u);
    int rc = setup_settings(u, opts);
    if (rc == EXIT_OK)
        rc = initial_filter(u, false);
    if (rc != EXIT_OK) {
        teardown(u);
        free(u);
        return rc;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "mpsdash: the dashboard needs a terminal (try mpsdash list)\n");
        teardown(u);
        free(u);
        return EXIT_USAGE;
    }
    mps_errtext term_err;
    if (!ui_terminal_can_draw(term_err, sizeof term_err)) {
        fprintf(stderr, "mpsdash: %s\n", term_err);
        teardown(u);
        free(u);
        return EXIT_USAGE;
    }

    /* Every thread started from here (worker, sandbox) inherits SIGWINCH blocked, so only the
     * loop's ppoll receives it. */
    sigset_t winch, old_mask;
    sigemptyset(&winch);
    sigaddset(&winch, SIGWINCH);
    pthread_sigmask(SIG_BLOCK, &winch, &old_mask);
    sigset_t poll_mask = old_mask;
    sigdelset(&poll_mask, SIGWINCH);

    mps_errtext err;
    const cli_globals *g = opts->globals;
    profile_overrides ov = {0};
    if (g) {
        ov.graph_url = g->graph_url;
        ov.api_version = g->api_version;
        ov.app_id = g->app_id;
        ov.token_env = g->token_env;
    }
    bool ok = opts->demo ? ui_data_start_demo(u, err, sizeof err)
                         : ui_data_connect(u, g ? g->profile : NULL, &ov, err, sizeof err);
    if (!ok) {
        fprintf(stderr, "mpsdash: %s\n", err);
        teardown(u);
        free(u);
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
        return EXIT_CONFIG;
    }
    rc = initial_filter(u, true);
    if (rc != EXIT_OK) {
        teardown(u);
        free(u);
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
        return rc;
    }

    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        fprintf(stderr, "mpsdash: cannot use terminal type '%s'\n",
                getenv("TERM") ? getenv("TERM") : "(unset)");
        teardown(u);
        free(u);
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
        return EXIT_USAGE;
    }
    set_term(scr);
    cbreak();
    noecho();
    nonl();
    set_escdelay(ESC_DELAY_MS);
    curs_set(0);
    ui_theme_init(&u->theme);
    /* Keys are read from a 1x1 window that is never drawn: wget_wch on a touched stdscr would
     * repaint it over everything. */
    WINDOW *input = newwin(1, 1, 0, 0);
    keypad(input, TRUE);
    nodelay(input, TRUE);
    untouchwin(input); /* a new window counts as changed: wget_wch would paint its blank */
    if (u->mouse)
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    u->screen_started = true;
    set_joiners(u);

    struct sigaction sa, old_int, old_term, old_hup, old_alrm;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    /* a dropped ssh session: quit the same way, so a request in flight is audited */
    sigaction(SIGHUP, &sa, &old_hup);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGALRM, &dfl, &old_alrm);
    quit_signal = 0;

    if (opts->notice)
        ui_message(u, UI_MSG_WARNING, "%s", opts->notice);
    else if (u->key_problems.count)
        ui_message(u, UI_MSG_WARNING, "%s%s", u->key_problems.items[0],
                   u->key_problems.count > 1 ? " (more in ? help)" : "");
    ui_dirty(u, UI_DIRTY_ALL | UI_DIRTY_LAYOUT);
    loop(u, input, &poll_mask);

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    while (u->top_view != &u->base)
        ui_view_pop(u);
    ui_layout_free(u);
    delwin(input);
    endwin();
    ui_draw_forget();
    text_set_zwj_joins(false); /* what is printed after is not the dashboard's */
    delscreen(scr);
    ui_quit_report(u, stderr); /* before teardown abandons (audits) what is still in flight */
    teardown(u);
    free(u);
    alarm(0); /* left in time: the quit watchdog is not needed */
    sigaction(SIGALRM, &old_alrm, NULL);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    return EXIT_OK;
}
