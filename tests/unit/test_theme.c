/* Unit tests for themes: the shipped files, lookup order, parse errors with file and line,
 * and fitting colours to 16- and 8-colour terminals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mpsdash/paths.h"
#include "mpsdash/theme.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_tmpdir.h"

static char tmpdir[256];
static char shipped[1024]; /* the source tree's themes/ */
static char err[2048];

static int setup(void **state)
{
    if (test_tmpdir_make(tmpdir, sizeof tmpdir, "theme") != 0)
        return -1;
    char buf[512];
    snprintf(buf, sizeof buf, "%s/xdg", tmpdir);
    setenv("XDG_CONFIG_HOME", buf, 1);
    /* ctest passes the seeds directory: the themes are three levels up from it. */
    const char *seeds = getenv("MPSDASH_SEEDS");
    if (!seeds)
        return -1;
    snprintf(shipped, sizeof shipped, "%s/../../../themes", seeds);
    setenv("MPSDASH_THEMES_DIR", shipped, 1);
    err[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    test_tmpdir_remove(tmpdir);
    unsetenv("MPSDASH_THEMES_DIR");
    return 0;
}

static void parse_fails_with(const char *text, ...)
{
    theme t;
    assert_int_equal(theme_parse_string(text, strlen(text), "x.theme", &t, err, sizeof err), -1);
    va_list ap;
    va_start(ap, text);
    for (const char *frag; (frag = va_arg(ap, const char *));)
        if (!strstr(err, frag))
            fail_msg("error \"%s\" lacks \"%s\"", err, frag);
    va_end(ap);
}

static void builtin_theme_matches_default_theme_file(void **state)
{
    theme file, builtin;
    char path[1200];
    snprintf(path, sizeof path, "%s/default.theme", shipped);
    if (theme_load(path, &file, err, sizeof err) != 0)
        fail_msg("%s", err);
    theme_builtin(&builtin);
    for (int r = 0; r < THEME_ROLE_COUNT; r++) {
        const theme_style *a = &file.styles[r], *b = &builtin.styles[r];
        if (a->fg != b->fg || a->bg != b->bg || a->fg8 != b->fg8 || a->bg8 != b->bg8 ||
            a->attrs != b->attrs)
            fail_msg("role %s differs between default.theme and the built-in theme",
                     theme_role_name((theme_role)r));
    }
}

static void every_shipped_theme_loads_by_name(void **state)
{
    static const char *const names[] = {"default", "light", "mono", "high-contrast"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        theme t;
        if (theme_load(names[i], &t, err, sizeof err) != 0)
            fail_msg("%s: %s", names[i], err);
        assert_string_equal(t.name, names[i]);
        assert_non_null(strstr(t.path, names[i]));
        for (int r = 0; r < THEME_ROLE_COUNT; r++) {
            assert_true(t.styles[r].fg8 < 8 && t.styles[r].bg8 < 8);
            assert_true(t.styles[r].fg < 256 && t.styles[r].bg < 256);
        }
    }
}

static void mono_uses_attributes_only(void **state)
{
    theme t;
    assert_int_equal(theme_load("mono", &t, err, sizeof err), 0);
    assert_false(theme_uses_color(&t));
    assert_true(t.styles[THEME_SELECTED].attrs & THEME_ATTR_REVERSE);
    assert_true(t.styles[THEME_STATE_PENDING].attrs != t.styles[THEME_STATE_ACTIVE].attrs);
}

static void default_keeps_terminal_background_for_text(void **state)
{
    theme t;
    assert_int_equal(theme_load("default", &t, err, sizeof err), 0);
    static const theme_role text_roles[] = {
        THEME_LIST,          THEME_TABS,         THEME_SELECTED,    THEME_STATUS,
        THEME_STATE_PENDING, THEME_STATE_ACTIVE, THEME_STATE_DRAFT, THEME_DETAIL_TITLE,
        THEME_PERM_YES,      THEME_PERM_NO,      THEME_WARNING,     THEME_DIM,
    };
    for (size_t i = 0; i < sizeof text_roles / sizeof text_roles[0]; i++)
        assert_int_equal(t.styles[text_roles[i]].bg, THEME_COLOR_DEFAULT);
    assert_true(theme_uses_color(&t));
}

/* ------------------------------------------------------------ readability (WCAG 2 contrast) */

static double channel_linear(int v)
{
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(int color)
{
    int rgb[3];
    theme_color_rgb(color, rgb);
    return 0.2126 * channel_linear(rgb[0]) + 0.7152 * channel_linear(rgb[1]) +
           0.0722 * channel_linear(rgb[2]);
}

static double contrast(int a, int b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The palette entries a role's text is drawn in, on a 256-colour terminal whose own colours
 * are term_fg on term_bg. */
static void drawn_colors(const theme_style *st, int term_fg, int term_bg, int *fg, int *bg)
{
    *fg = st->fg == THEME_COLOR_DEFAULT ? term_fg : st->fg;
    *bg = st->bg == THEME_COLOR_DEFAULT ? term_bg : st->bg;
    if (st->attrs & (THEME_ATTR_REVERSE | THEME_ATTR_STANDOUT)) {
        int t = *fg;
        *fg = *bg;
        *bg = t;
    }
}

/* Every role reaches `text` contrast (borders, not text, reach `marks`) on that terminal. */
static void theme_reads_on(const char *name, int term_fg, int term_bg, double text, double marks)
{
    theme t;
    assert_int_equal(theme_load(name, &t, err, sizeof err), 0);
    int too_faint = 0;
    for (int r = 0; r < THEME_ROLE_COUNT; r++) {
        int fg, bg;
        drawn_colors(&t.styles[r], term_fg, term_bg, &fg, &bg);
        double need = r == THEME_BORDER ? marks : text;
        double got = contrast(fg, bg);
        if (got < need) {
            print_error("%s: %s is %d on %d (terminal %d on %d): %.2f:1, needs %.1f:1\n", name,
                        theme_role_name((theme_role)r), fg, bg, term_fg, term_bg, got, need);
            too_faint++;
        }
    }
    assert_int_equal(too_faint, 0);
}

static void light_theme_text_reaches_4_5_to_1(void **state)
{
    theme_reads_on("light", 0, 15, 4.5, 3.0);
    /* Dim halves what the numbers promise on most terminals: none on the light theme's text. */
    theme t;
    assert_int_equal(theme_load("light", &t, err, sizeof err), 0);
    for (int r = 0; r < THEME_ROLE_COUNT; r++)
        if (t.styles[r].attrs & THEME_ATTR_DIM)
            fail_msg("light: %s is dim", theme_role_name((theme_role)r));
}

/* The default theme keeps the terminal's background, so it must read on dark and light ones:
 * 3:1 at least (WCAG's floor for bold and large text) against black and against white. */
static void default_theme_reads_on_dark_and_light_terminals(void **state)
{
    theme_reads_on("default", 7, 0, 3.0, 1.5);
    theme_reads_on("default", 0, 15, 3.0, 1.5);
}

/* high-contrast is documented as a theme for dark backgrounds (mpsdash.conf(5)). */
static void high_contrast_reaches_4_5_to_1_on_dark(void **state)
{
    theme_reads_on("high-contrast", 15, 0, 4.5, 3.0);
}

/* Pending is what an operator scans for: on 8-colour terminals it differs from Inactive (and
 * from Active) by colour, not only by attribute, in every shipped theme that has colours. */
static void pending_differs_by_colour_in_eight_colours(void **state)
{
    static const char *const names[] = {"default", "light", "high-contrast"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        theme t;
        assert_int_equal(theme_load(names[i], &t, err, sizeof err), 0);
        short pend_fg, pend_bg, other_fg, other_bg;
        theme_style_colors(&t.styles[THEME_STATE_PENDING], 8, &pend_fg, &pend_bg);
        static const theme_role others[] = {THEME_STATE_INACTIVE, THEME_STATE_ACTIVE};
        for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
            theme_style_colors(&t.styles[others[k]], 8, &other_fg, &other_bg);
            if (pend_fg == other_fg && pend_bg == other_bg)
                fail_msg("%s: pending and %s share colours %d/%d in 8 colours", names[i],
                         theme_role_name(others[k]), pend_fg, pend_bg);
        }
    }
}

static void user_theme_directory_comes_first(void **state)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/xdg/mpsdash/themes", tmpdir);
    assert_int_equal(paths_mkdir_p(dir, 0700, err, sizeof err), 0);
    char path[600];
    snprintf(path, sizeof path, "%s/light.theme", dir);
    FILE *f = fopen(path, "w");
    fputs("colors = { header = { fg = \"red\"; bg = 16; }; };\n", f);
    fclose(f);
    theme t;
    assert_int_equal(theme_load("light", &t, err, sizeof err), 0);
    assert_string_equal(t.path, path);
    assert_int_equal(t.styles[THEME_HEADER].fg, 1);
    assert_int_equal(t.styles[THEME_HEADER].bg, 16);
    assert_int_equal(t.styles[THEME_HEADER].bg8, 0); /* 16 is black in the cube */
    /* Roles the file leaves out come from the built-in theme. */
    theme b;
    theme_builtin(&b);
    assert_int_equal(t.styles[THEME_ERROR].bg, b.styles[THEME_ERROR].bg);
}

static void missing_theme_names_every_place_looked(void **state)
{
    theme t;
    assert_int_equal(theme_load("solarized", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "theme 'solarized' not found"));
    assert_non_null(strstr(err, "/xdg/mpsdash/themes"));
    assert_non_null(strstr(err, shipped));
    /* The result is still a usable theme. */
    assert_string_equal(t.name, "default");
}

static void theme_path_is_loaded_directly(void **state)
{
    char path[600];
    snprintf(path, sizeof path, "%s/mine.theme", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("description = \"mine\";\ncolors = {\n  list = { fg = 250; attrs = \"bold\"; };\n};\n",
          f);
    fclose(f);
    theme t;
    assert_int_equal(theme_load(path, &t, err, sizeof err), 0);
    assert_string_equal(t.name, "mine");
    assert_int_equal(t.styles[THEME_LIST].fg, 250);
    assert_int_equal(t.styles[THEME_LIST].fg8, 7);
    assert_int_equal(t.styles[THEME_LIST].attrs, THEME_ATTR_BOLD);
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.theme", tmpdir);
    assert_int_equal(theme_load(missing, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, missing));
}

static void theme_name_cannot_leave_the_directories(void **state)
{
    theme t;
    assert_int_equal(theme_load("..hidden", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "theme name"));
    assert_int_equal(theme_load("a b", &t, err, sizeof err), -1);
}

static void parse_errors_name_file_line_and_problem(void **state)
{
    parse_fails_with("colors = {\n  heder = { fg = \"red\"; };\n};\n",
                     "x.theme:2:", "unknown role 'heder'", "did you mean 'header'", NULL);
    parse_fails_with("colors = {\n list = {\n  fg = \"purple\";\n };\n};\n",
                     "x.theme:3:", "unknown colour \"purple\"", NULL);
    parse_fails_with("colors = { list = { fg = 256; }; };\n", "x.theme:1:", "0-255", NULL);
    parse_fails_with("colors = { list = { fg8 = \"bright-red\"; }; };\n", "8-colour", NULL);
    parse_fails_with("colors = { list = { fg8 = 9; }; };\n", "0-7", NULL);
    parse_fails_with("colors = { list = { attrs = [ \"blod\" ]; }; };\n",
                     "unknown attribute \"blod\"", NULL);
    parse_fails_with("colors = { list = { gf = 1; }; };\n", "unknown setting 'gf' in list", NULL);
    parse_fails_with("colours = { };\n", "x.theme:1:", "did you mean 'colors'", NULL);
    parse_fails_with("colors = { list = 3; };\n", "'list' must be a group", NULL);
    parse_fails_with("colors = { list = { fg = 1.5; }; };\n", "not a number", NULL);
    parse_fails_with("\n@include \"/etc/passwd\"\n", "x.theme:2:", "@include is not allowed", NULL);
    parse_fails_with("colors = { list = { fg = \"red\"; };\n\nlist2 = ;\n",
                     "x.theme:3:", "syntax error", NULL);
}

static void colours_fit_smaller_palettes(void **state)
{
    assert_int_equal(theme_color_nearest(214, 8), 3); /* orange -> yellow */
    assert_int_equal(theme_color_nearest(196, 8), 1); /* red */
    assert_int_equal(theme_color_nearest(21, 8), 4);  /* blue */
    assert_int_equal(theme_color_nearest(232, 8), 0); /* darkest grey -> black */
    assert_int_equal(theme_color_nearest(255, 8), 7); /* lightest grey -> white */
    assert_int_equal(theme_color_nearest(9, 8), 1);   /* bright red -> red */
    assert_int_equal(theme_color_nearest(9, 16), 9);
    assert_int_equal(theme_color_nearest(196, 16), 9);
    assert_int_equal(theme_color_nearest(THEME_COLOR_DEFAULT, 8), THEME_COLOR_DEFAULT);
    assert_int_equal(theme_color_nearest(5, 256), 5);
}

static void style_colours_follow_the_terminal(void **state)
{
    theme_style st = {214, 25, 1, THEME_COLOR_DEFAULT, THEME_ATTR_BOLD};
    short fg, bg;
    theme_style_colors(&st, 256, &fg, &bg);
    assert_int_equal(fg, 214);
    assert_int_equal(bg, 25);
    theme_style_colors(&st, 16, &fg, &bg);
    assert_true(fg < 16 && bg < 16);
    theme_style_colors(&st, 8, &fg, &bg); /* explicit fg8/bg8 win */
    assert_int_equal(fg, 1);
    assert_int_equal(bg, THEME_COLOR_DEFAULT);
    theme_style_colors(&st, 0, &fg, &bg);
    assert_int_equal(fg, THEME_COLOR_DEFAULT);
    assert_int_equal(bg, THEME_COLOR_DEFAULT);
}

static void strip_colors_keeps_attributes(void **state)
{
    theme t;
    theme_builtin(&t);
    unsigned attrs = t.styles[THEME_HEADER].attrs;
    theme_strip_colors(&t);
    assert_false(theme_uses_color(&t));
    assert_int_equal(t.styles[THEME_HEADER].attrs, attrs);
}

static void role_names_round_trip(void **state)
{
    for (int r = 0; r < THEME_ROLE_COUNT; r++) {
        const char *name = theme_role_name((theme_role)r);
        assert_non_null(name);
        assert_int_equal(theme_role_from_name(name), r);
    }
    assert_null(theme_role_name(THEME_ROLE_COUNT));
    assert_int_equal(theme_role_from_name("nope"), -1);
    assert_int_equal(theme_role_from_name("sandbox_badge"), THEME_SANDBOX_BADGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(builtin_theme_matches_default_theme_file, setup, teardown),
        cmocka_unit_test_setup_teardown(every_shipped_theme_loads_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(mono_uses_attributes_only, setup, teardown),
        cmocka_unit_test_setup_teardown(default_keeps_terminal_background_for_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(light_theme_text_reaches_4_5_to_1, setup, teardown),
        cmocka_unit_test_setup_teardown(default_theme_reads_on_dark_and_light_terminals, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(high_contrast_reaches_4_5_to_1_on_dark, setup, teardown),
        cmocka_unit_test_setup_teardown(pending_differs_by_colour_in_eight_colours, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(user_theme_directory_comes_first, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_theme_names_every_place_looked, setup, teardown),
        cmocka_unit_test_setup_teardown(theme_path_is_loaded_directly, setup, teardown),
        cmocka_unit_test_setup_teardown(theme_name_cannot_leave_the_directories, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_errors_name_file_line_and_problem, setup, teardown),
        cmocka_unit_test_setup_teardown(colours_fit_smaller_palettes, setup, teardown),
        cmocka_unit_test_setup_teardown(style_colours_follow_the_terminal, setup, teardown),
        cmocka_unit_test_setup_teardown(strip_colors_keeps_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(role_names_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
