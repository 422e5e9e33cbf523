/* Unit tests for the dashboard's text pieces that need no terminal: OSC 52 sequences (plain and
 * tmux passthrough), base64, the coarse "12s ago" clock, word wrapping and the id set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four above first. */
#include <cmocka.h>

#include <locale.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../../src/ui/ui-data.h"
#include "../../src/ui/ui-draw.h"
#include "../../src/ui/ui-internal.h"
#include "../../src/ui/ui-term.h"
#include "mpsdash/cli.h"
#include "mpsdash/text.h"

static void base64_matches_rfc4648_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } v[] = {{"", ""},
             {"f", "Zg=="},
             {"fo", "Zm8="},
             {"foo", "Zm9v"},
             {"foob", "Zm9vYg=="},
             {"fooba", "Zm9vYmE="},
             {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *b = ui_base64((const unsigned char *)v[i].in, strlen(v[i].in));
        assert_string_equal(b, v[i].out);
        free(b);
    }
}

static void osc52_sequence_sets_the_clipboard(void **state)
{
    (void)state;
    char *s = ui_osc52_sequence("795033096057724", false);
    assert_string_equal(s, "\033]52;c;Nzk1MDMzMDk2MDU3NzI0\a");
    free(s);
}

static void osc52_inside_tmux_is_wrapped_with_escapes_doubled(void **state)
{
    (void)state;
    char *s = ui_osc52_sequence("795033096057724", true);
    assert_string_equal(s, "\033Ptmux;\033\033]52;c;Nzk1MDMzMDk2MDU3NzI0\a\033\\");
    free(s);
}

/* Notifications carry server text (a solution name): it cannot end the sequence early or start
 * another (BEL, ESC), nor add OSC 777 fields (';'). */
static void notify_sequences_are_inert(void **state)
{
    (void)state;
    char *s = ui_notify_sequence(CONFIG_NOTIFY_OSC9 | CONFIG_NOTIFY_OSC777, "mpsdash",
                                 "new: a;b\a\033]52;c;eA==\a", false);
    assert_string_equal(
        s, "\033]9;mpsdash: new: a,b\xEF\xBF\xBD\xEF\xBF\xBD]52,c,eA==\xEF\xBF\xBD\a"
           "\033]777;notify;mpsdash;new: a,b\xEF\xBF\xBD\xEF\xBF\xBD]52,c,eA==\xEF\xBF\xBD\a");
    free(s);
    s = ui_notify_sequence(CONFIG_NOTIFY_OSC9, "t", "b", true);
    assert_string_equal(s, "\033Ptmux;\033\033]9;t: b\a\033\\");
    free(s);
    s = ui_notify_sequence(CONFIG_NOTIFY_BELL, "t", "b", false); /* the bell is beep()'s */
    assert_string_equal(s, "");
    free(s);
}

static void osc52_copy_writes_both_forms_in_tmux(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_true(ui_osc52_copy(fds[1], "id", true));
    close(fds[1]);
    char buf[256];
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_string_equal(buf, "\033]52;c;aWQ=\a\033Ptmux;\033\033]52;c;aWQ=\a\033\\");
}

static void clock_text_changes_only_at_coarse_steps(void **state)
{
    (void)state;
    ui u;
    memset(&u, 0, sizeof u);
    u.utf8 = false;
    char buf[32];
    ui_header_clock(&u, 100, buf, sizeof buf);
    assert_string_equal(buf, ""); /* never loaded */
    u.list_loading = true;
    ui_header_clock(&u, 100, buf, sizeof buf);
    assert_string_equal(buf, "loading, up to 120 s"); /* the default deadline */
    mps_config cfg = {.timeout = 30};
    cli_globals g = {0};
    ui_options o = {.config = &cfg, .globals = &g};
    u.opts = &o;
    ui_header_clock(&u, 100, buf, sizeof buf);
    assert_string_equal(buf, "loading, up to 30 s"); /* the timeout setting */
    g.timeout_s = 5;
    ui_header_clock(&u, 100, buf, sizeof buf);
    assert_string_equal(buf, "loading, up to 5 s"); /* --timeout wins */
    u.opts = NULL;

    u.last_refresh = 1000;
    static const struct {
        double at;
        const char *text;
        double next;
    } steps[] = {
        {1000, "@ just now", 10},        {1009.5, "@ just now", 0.5},
        {1012, "@ 10s ago", 8},          {1059, "@ 50s ago", 1},
        {1060, "@ 1m ago", 60},          {1000 + 48 * 60 + 5, "@ 48m ago", 55},
        {1000 + 7200, "@ 2h ago", 3600},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        ui_header_clock(&u, steps[i].at, buf, sizeof buf);
        assert_string_equal(buf, steps[i].text);
        double next = ui_header_clock_next(&u, steps[i].at);
        assert_true(next > steps[i].next - 0.001 && next < steps[i].next + 0.001);
    }
}

static void wrap_breaks_at_spaces_and_indents_continuations(void **state)
{
    (void)state;
    ui_lines l = {0};
    ui_lines_wrap(&l, "Customers onboarded with this solution will grant", 20, 2, A_NORMAL);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.items[0].text, "Customers onboarded");
    assert_string_equal(l.items[1].text, "  with this solution");
    assert_string_equal(l.items[2].text, "  will grant");
    for (size_t i = 0; i < l.n; i++)
        assert_true(text_width(l.items[i].text) <= 20);
    ui_lines_clear(&l);
}

static void wrap_keeps_paragraphs_and_wide_characters_whole(void **state)
{
    (void)state;
    ui_lines l = {0};
    ui_lines_wrap(&l, "樱花通讯樱花通讯\n\nline", 5, 0, A_NORMAL);
    /* 16 columns of CJK in 5-column lines: two characters (4 columns) per line, none split. */
    assert_int_equal(l.n, 6);
    assert_string_equal(l.items[0].text, "樱花");
    assert_string_equal(l.items[3].text, "通讯");
    assert_string_equal(l.items[4].text, "");
    assert_string_equal(l.items[5].text, "line");
    ui_lines_clear(&l);
}

static void idset_answers_membership_after_any_order_of_adds(void **state)
{
    (void)state;
    ui_idset s = {0};
    char id[32];
    for (int i = 999; i >= 0; i--) {
        snprintf(id, sizeof id, "%d", i * 7);
        ui_idset_add(&s, id);
    }
    assert_true(ui_idset_has(&s, "0"));
    assert_true(ui_idset_has(&s, "6993"));
    assert_false(ui_idset_has(&s, "6994"));
    ui_idset_add(&s, "6994");
    assert_true(ui_idset_has(&s, "6994"));
    ui_idset_clear(&s);
    assert_false(ui_idset_has(&s, "0"));
}

static void auto_refresh_slows_with_api_usage_and_pauses_above_90(void **state)
{
    (void)state;
    ui u;
    memset(&u, 0, sizeof u);
    u.refresh_interval = 60;
    static const struct {
        int percent;
        double every;
    } steps[] = {{-1, 60},  {0, 60},   {50, 60}, {51, 120}, {75, 120},
                 {76, 240}, {90, 240}, {91, 0},  {100, 0}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        u.usage.max_percent = steps[i].percent;
        assert_true(ui_refresh_interval_effective(&u) == steps[i].every);
    }
    u.refresh_interval = 0; /* off stays off */
    u.usage.max_percent = 10;
    assert_true(ui_refresh_interval_effective(&u) == 0);
}

/* The terminal's side of ui_terminal_measure: a pty whose master plays the terminal. */
static void measure_pty(int *master, int *slave)
{
    assert_int_equal(openpty(master, slave, NULL, NULL, NULL), 0);
    struct termios t;
    assert_int_equal(tcgetattr(*slave, &t), 0);
    cfmakeraw(&t); /* as curses leaves it: no echo, no line buffering */
    assert_int_equal(tcsetattr(*slave, TCSANOW, &t), 0);
}

static void measure_reads_the_cursor_report_past_typed_keys(void **state)
{
    (void)state;
    int master, slave;
    measure_pty(&master, &slave);
    /* Keys typed before the answer, then the answer: the cursor stopped at column 3. */
    const char *answer = "jk\033[1;3R";
    assert_int_equal(write(master, answer, strlen(answer)), (ssize_t)strlen(answer));
    ui_typeahead typed = {.len = 0};
    assert_int_equal(ui_terminal_measure(slave, slave, "AB", 2000, &typed), 2);
    assert_int_equal(typed.len, 2); /* handed back, not lost */
    assert_memory_equal(typed.bytes, "jk", 2);
    char sent[128] = {0};
    const char *want = "\033[HAB\033[6n\033[H\033[2K";
    for (size_t got = 0; got < strlen(want);) { /* each write may come on its own */
        ssize_t n = read(master, sent + got, sizeof sent - 1 - got);
        assert_true(n > 0);
        got += (size_t)n;
    }
    assert_string_equal(sent, want); /* asked, then the line cleared */
    close(master);
    close(slave);
}

static void measure_gives_up_on_a_silent_terminal(void **state)
{
    (void)state;
    int master, slave;
    measure_pty(&master, &slave);
    /* No answer, or one that is not a position report: not measured. */
    assert_int_equal(ui_terminal_measure(slave, slave, "AB", 50, NULL), -1);
    const char *not_report = "\033[12~\033[A";
    assert_int_equal(write(master, not_report, strlen(not_report)), (ssize_t)strlen(not_report));
    ui_typeahead typed = {.len = 0};
    assert_int_equal(ui_terminal_measure(slave, slave, "AB", 50, &typed), -1);
    assert_int_equal(typed.len, strlen(not_report)); /* keys (F2, Up), handed back whole */
    assert_memory_equal(typed.bytes, not_report, strlen(not_report));
    close(master);
    close(slave);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base64_matches_rfc4648_vectors),
        cmocka_unit_test(osc52_sequence_sets_the_clipboard),
        cmocka_unit_test(osc52_inside_tmux_is_wrapped_with_escapes_doubled),
        cmocka_unit_test(osc52_copy_writes_both_forms_in_tmux),
        cmocka_unit_test(notify_sequences_are_inert),
        cmocka_unit_test(clock_text_changes_only_at_coarse_steps),
        cmocka_unit_test(wrap_breaks_at_spaces_and_indents_continuations),
        cmocka_unit_test(wrap_keeps_paragraphs_and_wide_characters_whole),
        cmocka_unit_test(idset_answers_membership_after_any_order_of_adds),
        cmocka_unit_test(auto_refresh_slows_with_api_usage_and_pauses_above_90),
        cmocka_unit_test(measure_reads_the_cursor_report_past_typed_keys),
        cmocka_unit_test(measure_gives_up_on_a_silent_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
