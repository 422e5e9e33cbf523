/* Colour themes: finding and parsing .theme files into plain role -> colours/attributes data,
 * and fitting 256-colour values to 16- and 8-colour terminals. */
#include "mpsdash/theme.h"
#include "mpsdash/paths.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#include "cfgfile.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Same order as enum theme_role. */
static const char *const role_names[THEME_ROLE_COUNT] = {
    "header",
    "tabs",
    "tab_active",
    "selected",
    "list",
    "state_pending",
    "state_active",
    "state_pending_deactivation",
    "state_draft",
    "state_inactive",
    "state_deactivated",
    "state_other",
    "detail_title",
    "perm_yes",
    "perm_no",
    "error",
    "warning",
    "status",
    "dialog",
    "dialog_danger",
    "border",
    "dim",
    "sandbox_badge",
    "readonly_badge",
};

static const struct {
    const char *name;
    short value;
} color_names[] = {
    {"default", THEME_COLOR_DEFAULT},
    {"black", 0},
    {"red", 1},
    {"green", 2},
    {"yellow", 3},
    {"blue", 4},
    {"magenta", 5},
    {"cyan", 6},
    {"white", 7},
    {"bright-black", 8},
    {"bright-red", 9},
    {"bright-green", 10},
    {"bright-yellow", 11},
    {"bright-blue", 12},
    {"bright-magenta", 13},
    {"bright-cyan", 14},
    {"bright-white", 15},
    {"grey", 8},
    {"gray", 8},
};

static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = {
    {"bold", THEME_ATTR_BOLD},           {"dim", THEME_ATTR_DIM},
    {"underline", THEME_ATTR_UNDERLINE}, {"reverse", THEME_ATTR_REVERSE},
    {"standout", THEME_ATTR_STANDOUT},   {"blink", THEME_ATTR_BLINK},
    {"italic", THEME_ATTR_ITALIC},
};

const char *theme_role_name(theme_role role)
{
    return (int)role >= 0 && role < THEME_ROLE_COUNT ? role_names[role] : NULL;
}

int theme_role_from_name(const char *name)
{
    for (int i = 0; name && i < THEME_ROLE_COUNT; i++)
        if (strcmp(role_names[i], name) == 0)
            return i;
    return -1;
}

/* ---------------------------------------------------------------- colour fitting */

/* RGB of the xterm palette entry c (0-255). */
void theme_color_rgb(int c, int rgb[3])
{
    static const unsigned char base[16][3] = {
        {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
        {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
        {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
    };
    if (c < 16) {
        for (int i = 0; i < 3; i++)
            rgb[i] = base[c][i];
    } else if (c < 232) {
        static const int level[6] = {0, 95, 135, 175, 215, 255};
        c -= 16;
        rgb[0] = level[c / 36];
        rgb[1] = level[(c / 6) % 6];
        rgb[2] = level[c % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + (c - 232) * 10;
    }
}

short theme_color_nearest(short color, int n)
{
    if (color < 0 || color >= 256)
        return THEME_COLOR_DEFAULT;
    if (n <= 0)
        return THEME_COLOR_DEFAULT;
    if (color < n)
        return color;
    if (n <= 8 && color < 16)
        return (short)(color - 8); /* bright-x -> x */
    int rgb[3];
    theme_color_rgb(color, rgb);
    int limit = n < 16 ? n : 16;
    short best = 0;
    long best_d = -1;
    for (int i = 0; i < limit; i++) {
        int p[3];
        theme_color_rgb(i, p);
        long d = 0;
        for (int k = 0; k < 3; k++)
            d += (long)(rgb[k] - p[k]) * (rgb[k] - p[k]);
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = (short)i;
        }
    }
    return best;
}

void theme_style_colors(const theme_style *st, int ncolors, short *fg, short *bg)
{
    if (ncolors < 8) {
        *fg = *bg = THEME_COLOR_DEFAULT;
    } else if (ncolors < 16) {
        *fg = st->fg8;
        *bg = st->bg8;
    } else if (ncolors < 256) {
        *fg = theme_color_nearest(st->fg, 16);
        *bg = theme_color_nearest(st->bg, 16);
    } else {
        *fg = st->fg;
        *bg = st->bg;
    }
}

void theme_strip_colors(theme *t)
{
    for (int i = 0; i < THEME_ROLE_COUNT; i++) {
        theme_style *s = &t->styles[i];
        s->fg = s->bg = s->fg8 = s->bg8 = THEME_COLOR_DEFAULT;
    }
}

bool theme_uses_color(const theme *t)
{
    for (int i = 0; i < THEME_ROLE_COUNT; i++) {
        const theme_style *s = &t->styles[i];
        if (s->fg != THEME_COLOR_DEFAULT || s->bg != THEME_COLOR_DEFAULT)
            return true;
    }
    return false;
}

/* ---------------------------------------------------------------- the built-in theme */

#define D THEME_COLOR_DEFAULT
#define B THEME_ATTR_BOLD
/* Keep in step with themes/default.theme (a unit test compares them). The terminal's own
 * background is kept everywhere but in bars and badges, so text on it uses only red, magenta
 * and attributes: the colours that read on dark and light terminals alike. */
static const theme_style builtin_styles[THEME_ROLE_COUNT] = {
    [THEME_HEADER] = {7, 4, 7, 4, B},
    [THEME_TABS] = {D, D, D, D, 0},
    [THEME_TAB_ACTIVE] = {0, 6, 0, 6, B},
    [THEME_SELECTED] = {D, D, D, D, THEME_ATTR_REVERSE | B},
    [THEME_LIST] = {D, D, D, D, 0},
    [THEME_STATE_PENDING] = {5, D, 5, D, B},
    [THEME_STATE_ACTIVE] = {D, D, D, D, 0},
    [THEME_STATE_PENDING_DEACTIVATION] = {5, D, 5, D, B | THEME_ATTR_UNDERLINE},
    [THEME_STATE_DRAFT] = {D, D, D, D, THEME_ATTR_ITALIC},
    [THEME_STATE_INACTIVE] = {1, D, 1, D, 0},
    [THEME_STATE_DEACTIVATED] = {D, D, D, D, THEME_ATTR_DIM},
    [THEME_STATE_OTHER] = {D, D, D, D, THEME_ATTR_UNDERLINE},
    [THEME_DETAIL_TITLE] = {D, D, D, D, B | THEME_ATTR_UNDERLINE},
    [THEME_PERM_YES] = {D, D, D, D, B},
    [THEME_PERM_NO] = {D, D, D, D, THEME_ATTR_DIM},
    [THEME_ERROR] = {7, 1, 7, 1, B},
    [THEME_WARNING] = {1, D, 1, D, B},
    [THEME_STATUS] = {D, D, D, D, 0},
    [THEME_DIALOG] = {7, 4, 7, 4, 0},
    [THEME_DIALOG_DANGER] = {7, 1, 7, 1, B},
    [THEME_BORDER] = {4, D, 4, D, 0},
    [THEME_DIM] = {D, D, D, D, THEME_ATTR_DIM},
    [THEME_SANDBOX_BADGE] = {0, 3, 0, 3, B},
    [THEME_READONLY_BADGE] = {7, 5, 7, 5, B},
};
#undef D
#undef B

void theme_builtin(theme *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "default");
    memcpy(out->styles, builtin_styles, sizeof builtin_styles);
}

/* ---------------------------------------------------------------- parsing */

typedef struct theme_ctx {
    const char *name;
    char *err;
    size_t err_size;
    const char *role;
} theme_ctx;

static int color_value(theme_ctx *cx, const config_setting_t *s, bool eight, short *out)
{
    const char *key = config_setting_name(s);
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_INT) {
        int v = config_setting_get_int(s);
        int max = eight ? 7 : 255;
        if (v < 0 || v > max)
            return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                                 "%s.%s must be a colour name or a number 0-%d, not %d", cx->role,
                                 key, max, v);
        *out = (short)v;
        return 0;
    }
    if (t != CONFIG_TYPE_STRING)
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "%s.%s must be a colour name or a number, not %s", cx->role, key,
                             cfgfile_type_name(s));
    const char *v = config_setting_get_string(s);
    for (size_t i = 0; i < COUNT_OF(color_names); i++)
        if (strcasecmp(v, color_names[i].name) == 0) {
            if (eight && color_names[i].value >= 8)
                return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                                     "%s.%s is for 8-colour terminals: use one of default, "
                                     "black, red, green, yellow, blue, magenta, cyan, white",
                                     cx->role, key);
            *out = color_names[i].value;
            return 0;
        }
    return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                         "%s.%s: unknown colour \"%.40s\" (use default, black, red, green, "
                         "yellow, blue, magenta, cyan, white, bright-*, or 0-255)",
                         cx->role, key, v);
}

static int attr_word(theme_ctx *cx, const config_setting_t *s, unsigned *attrs)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "%s.attrs must be a list of strings like [ \"bold\" ]", cx->role);
    const char *v = config_setting_get_string(s);
    for (size_t i = 0; i < COUNT_OF(attr_names); i++)
        if (strcasecmp(v, attr_names[i].name) == 0) {
            *attrs |= attr_names[i].bit;
            return 0;
        }
    return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                         "%s.attrs: unknown attribute \"%.40s\" (use bold, dim, underline, "
                         "reverse, standout, blink, italic)",
                         cx->role, v);
}

static int parse_style(theme_ctx *cx, const config_setting_t *g, theme_style *st)
{
    static const char *const keys[] = {"fg", "bg", "fg8", "bg8", "attrs"};
    bool have8[2] = {false, false};
    *st = (theme_style){THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT,
                        THEME_COLOR_DEFAULT, 0};
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *key = config_setting_name(s);
        int rc;
        if (strcmp(key, "fg") == 0)
            rc = color_value(cx, s, false, &st->fg);
        else if (strcmp(key, "bg") == 0)
            rc = color_value(cx, s, false, &st->bg);
        else if (strcmp(key, "fg8") == 0)
            rc = color_value(cx, s, true, &st->fg8), have8[0] = true;
        else if (strcmp(key, "bg8") == 0)
            rc = color_value(cx, s, true, &st->bg8), have8[1] = true;
        else if (strcmp(key, "attrs") == 0) {
            int t = config_setting_type(s);
            rc = 0;
            if (t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST) {
                for (int j = 0; rc == 0 && j < config_setting_length(s); j++)
                    rc = attr_word(cx, config_setting_get_elem(s, (unsigned)j), &st->attrs);
            } else {
                rc = attr_word(cx, s, &st->attrs);
            }
        } else {
            const char *hint = NULL;
            for (size_t k = 0; k < COUNT_OF(keys); k++)
                if (cfgfile_distance(key, keys[k]) <= 1)
                    hint = keys[k];
            rc = hint ? cfgfile_error(cx->err, cx->err_size, cx->name, s,
                                      "unknown setting '%s' in %s (did you mean '%s'?)", key,
                                      cx->role, hint)
                      : cfgfile_error(cx->err, cx->err_size, cx->name, s,
                                      "unknown setting '%s' in %s (use fg, bg, fg8, bg8, attrs)",
                                      key, cx->role);
        }
        if (rc != 0)
            return -1;
    }
    if (!have8[0])
        st->fg8 = theme_color_nearest(st->fg, 8);
    if (!have8[1])
        st->bg8 = theme_color_nearest(st->bg, 8);
    return 0;
}

static int parse_colors(theme_ctx *cx, const config_setting_t *colors, theme *out)
{
    if (config_setting_type(colors) != CONFIG_TYPE_GROUP)
        return cfgfile_error(cx->err, cx->err_size, cx->name, colors,
                             "'colors' must be a group: colors = { header = { ... }; }");
    int n = config_setting_length(colors);
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(colors, (unsigned)i);
        const char *role = config_setting_name(g);
        int r = theme_role_from_name(role);
        if (r < 0) {
            const char *hint = NULL;
            int best = 3;
            for (int k = 0; k < THEME_ROLE_COUNT; k++) {
                int d = cfgfile_distance(role, role_names[k]);
                if (d < best)
                    best = d, hint = role_names[k];
            }
            if (hint)
                return cfgfile_error(cx->err, cx->err_size, cx->name, g,
                                     "unknown role '%s' (did you mean '%s'?)", role, hint);
            return cfgfile_error(cx->err, cx->err_size, cx->name, g, "unknown role '%s'", role);
        }
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return cfgfile_error(cx->err, cx->err_size, cx->name, g,
                                 "'%s' must be a group { fg = ...; bg = ...; attrs = [...]; }",
                                 role);
        cx->role = role;
        if (parse_style(cx, g, &out->styles[r]) != 0)
            return -1;
    }
    return 0;
}

/* "dir/x.theme" -> "x" */
static void base_name(const char *path, char *out, size_t size)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 6 && strcmp(b + n - 6, ".theme") == 0)
        n -= 6;
    snprintf(out, size, "%.*s", (int)n, b);
}

int theme_parse_string(const char *text, size_t len, const char *name, theme *out, char *err,
                       size_t err_size)
{
    if (!name)
        name = "theme";
    theme_builtin(out);
    base_name(name, out->name, sizeof out->name);
    config_t cf;
    config_init(&cf);
    if (cfgfile_parse(&cf, text, len, name, err, err_size) != 0) {
        config_destroy(&cf);
        return -1;
    }
    theme_ctx cx = {name, err, err_size, ""};
    const config_setting_t *root = config_root_setting(&cf);
    int rc = 0;
    for (int i = 0; rc == 0 && i < config_setting_length(root); i++) {
        const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *key = config_setting_name(s);
        if (strcmp(key, "colors") == 0)
            rc = parse_colors(&cx, s, out);
        else if (strcmp(key, "description") == 0) {
            if (config_setting_type(s) != CONFIG_TYPE_STRING)
                rc = cfgfile_error(err, err_size, name, s, "'description' must be a string");
        } else if (cfgfile_distance(key, "colors") <= 2)
            rc = cfgfile_error(err, err_size, name, s,
                               "unknown setting '%s' (did you mean 'colors'?)", key);
        else
            rc = cfgfile_error(err, err_size, name, s,
                               "unknown setting '%s' (a theme holds 'colors' and 'description')",
                               key);
    }
    config_destroy(&cf);
    if (rc != 0) {
        theme_builtin(out);
        return -1;
    }
    return 0;
}

static int theme_load_file(const char *path, theme *out, char *err, size_t err_size)
{
    char *text;
    size_t len;
    if (cfgfile_read(path, false, &text, &len, err, err_size) != 0)
        return -1;
    int rc = theme_parse_string(text, len, path, out, err, err_size);
    free(text);
    if (rc == 0)
        text_format(out->path, sizeof out->path, "%s", path);
    return rc;
}

/* A theme name is a file name in the theme directories, never a way out of them. */
static bool theme_name_ok(const char *name)
{
    if (!*name || name[0] == '.' || strlen(name) > 48)
        return false;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

/* Where named themes are looked for, first match wins: the user's, $MPSDASH_THEMES_DIR (also
 * how a build tree's tests find themes/: no build path is compiled in), the installed ones.
 * An entry may be NULL; *user is to be freed. */
#define THEME_DIRS 3
static void theme_dirs(const char *dirs[THEME_DIRS], char **user)
{
    *user = paths_themes_dir();
    const char *env = getenv("MPSDASH_THEMES_DIR");
    dirs[0] = *user;
    dirs[1] = env && *env ? env : NULL;
    dirs[2] = MPSDASH_DATADIR "/themes";
}

void theme_list_names(strlist *out)
{
    char *user;
    const char *dirs[THEME_DIRS];
    theme_dirs(dirs, &user);
    if (!strlist_contains(out, "default"))
        strlist_push(out, "default"); /* compiled in: there even when none is installed */
    for (size_t i = 0; i < THEME_DIRS; i++) {
        DIR *d = dirs[i] ? opendir(dirs[i]) : NULL;
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n <= 6 || strcmp(e->d_name + n - 6, ".theme") != 0)
                continue;
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(n - 6), e->d_name);
            if (theme_name_ok(name) && !strlist_contains(out, name))
                strlist_push(out, name);
        }
        if (d)
            closedir(d);
    }
    free(user);
}

int theme_load(const char *name_or_path, theme *out, char *err, size_t err_size)
{
    theme_builtin(out);
    if (!name_or_path || !*name_or_path)
        name_or_path = "default";
    size_t n = strlen(name_or_path);
    if (strchr(name_or_path, '/') || (n > 6 && strcmp(name_or_path + n - 6, ".theme") == 0)) {
        char *path = paths_expand_home(name_or_path);
        if (!path) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
        int rc = theme_load_file(path, out, err, err_size);
        free(path);
        return rc;
    }
    if (!theme_name_ok(name_or_path)) {
        snprintf(err, err_size,
                 "theme name \"%.60s\" holds characters other than letters, "
                 "digits, '-', '_' and '.'",
                 name_or_path);
        return -1;
    }

    char *user;
    const char *dirs[THEME_DIRS];
    theme_dirs(dirs, &user);
    size_t ndirs = THEME_DIRS;
    char looked[1024] = "";
    int rc = 1;
    for (size_t i = 0; rc == 1 && i < ndirs; i++) {
        if (!dirs[i])
            continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name_or_path);
        struct stat st;
        if (stat(path, &st) == 0) {
            rc = theme_load_file(path, out, err, err_size);
            break;
        }
        size_t used = strlen(looked);
        snprintf(looked + used, sizeof looked - used, "%s%s", used ? ", " : "", dirs[i]);
    }
    free(user);
    if (rc == 1) {
        if (strcmp(name_or_path, "default") == 0)
            return 0; /* not installed: the compiled-in copy is the same theme */
        snprintf(err, err_size, "theme '%s' not found (looked in %s)", name_or_path, looked);
        return -1;
    }
    return rc;
}
