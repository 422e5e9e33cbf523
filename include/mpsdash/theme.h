/* Colour themes: the roles a theme styles, loading a .theme file, and mapping colours to what
 * the terminal has. No curses here: the UI maps attributes and colours. Part of mps_config.
 *
 * ---------------------------------------------------------------------------------------------
 * THEMES
 * A theme is a libconfig file (no @include either):
 *   colors = {
 *     header = { fg = "white"; bg = "blue"; attrs = [ "bold" ]; };
 *     state_pending = { fg = 214; fg8 = "yellow"; };
 *     ...
 *   };
 * Roles: see theme_role below (header, tabs, tab_active, selected, list, state_*, ...). A role
 * the file leaves out takes the built-in default theme's style. Colours: "default" (the
 * terminal's own), black, red, green, yellow, blue, magenta, cyan, white, bright-black ...
 * bright-white, or a number 0-255. fg8/bg8 give the colour for 8-colour terminals; without
 * them a 256-colour value is mapped to the nearest of the 8. attrs: bold, dim, underline,
 * reverse, standout, blink, italic.
 * `theme = NAME` looks for NAME.theme in $XDG_CONFIG_HOME/mpsdash/themes/, then in
 * $MPSDASH_THEMES_DIR, then MPSDASH_DATADIR/themes (the installed ones), then the source tree.
 * A value holding a '/' or ending in ".theme" is a path. Shipped: default, light, mono,
 * high-contrast.
 * ------------------------------------------------------------------------------------------- */
#ifndef MPSDASH_THEME_H
#define MPSDASH_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/model.h" /* strlist */

/* Screen elements a theme styles. Keep theme.c's name table in the same order. */
typedef enum theme_role {
    THEME_HEADER = 0,
    THEME_TABS,
    THEME_TAB_ACTIVE,
    THEME_SELECTED,
    THEME_LIST,
    THEME_STATE_PENDING,
    THEME_STATE_ACTIVE,
    THEME_STATE_PENDING_DEACTIVATION,
    THEME_STATE_DRAFT,
    THEME_STATE_INACTIVE,
    THEME_STATE_DEACTIVATED,
    THEME_STATE_OTHER,
    THEME_DETAIL_TITLE,
    THEME_PERM_YES,
    THEME_PERM_NO,
    THEME_ERROR,
    THEME_WARNING,
    THEME_STATUS,
    THEME_DIALOG,
    THEME_DIALOG_DANGER,
    THEME_BORDER,
    THEME_DIM,
    THEME_SANDBOX_BADGE,
    THEME_READONLY_BADGE,
    THEME_ROLE_COUNT
} theme_role;

/* Attribute bits (not curses constants: the UI maps them). */
enum {
    THEME_ATTR_BOLD = 1u << 0,
    THEME_ATTR_DIM = 1u << 1,
    THEME_ATTR_UNDERLINE = 1u << 2,
    THEME_ATTR_REVERSE = 1u << 3,
    THEME_ATTR_STANDOUT = 1u << 4,
    THEME_ATTR_BLINK = 1u << 5,
    THEME_ATTR_ITALIC = 1u << 6,
};

#define THEME_COLOR_DEFAULT (-1) /* the terminal's own colour (use_default_colors) */

typedef struct theme_style {
    short fg, bg;   /* THEME_COLOR_DEFAULT or 0-255 (0-7 normal, 8-15 bright) */
    short fg8, bg8; /* for 8-colour terminals: THEME_COLOR_DEFAULT or 0-7 */
    unsigned attrs; /* THEME_ATTR_* */
} theme_style;

typedef struct theme {
    char name[64];   /* "default", or the file's base name without .theme */
    char path[1024]; /* the file it came from; "" for the built-in theme */
    theme_style styles[THEME_ROLE_COUNT];
} theme;

/* Finds and loads a theme (see THEMES above). Returns 0, or -1 with err
 * ("theme 'x' not found (looked in A, B, C)" or "FILE:LINE: problem"). */
int theme_load(const char *name_or_path, theme *out, char *err, size_t err_size);
/* The names of the themes --theme NAME would find (for completion), added to out. */
void theme_list_names(strlist *out);
/* Parses theme text in memory; name stands for the file in messages. */
int theme_parse_string(const char *text, size_t len, const char *name, theme *out, char *err,
                       size_t err_size);
/* The compiled-in default theme (same as themes/default.theme): used when no file is found. */
void theme_builtin(theme *out);
/* Drops every colour, keeps attributes (NO_COLOR). */
void theme_strip_colors(theme *t);
/* Whether any role sets a colour other than the terminal's default. */
bool theme_uses_color(const theme *t);
/* "header", "state_pending", ...; NULL when out of range. */
const char *theme_role_name(theme_role role);
/* The role of a name, or -1. */
int theme_role_from_name(const char *name);
/* The colours to use on a terminal with `ncolors` colours (8, 16, 256, ...): 256-colour values
 * are mapped to the nearest of 16 or 8, and fg8/bg8 are used on 8-colour terminals. */
void theme_style_colors(const theme_style *st, int ncolors, short *fg, short *bg);
/* Nearest colour among the first `n` (8 or 16) of the xterm palette; default stays default. */
short theme_color_nearest(short color, int n);
/* RGB (0-255 each) of palette entry c (0-255) in xterm's default palette: what contrast checks
 * measure against. */
void theme_color_rgb(int c, int rgb[3]);

#endif
