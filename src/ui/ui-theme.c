/* Theme data (config.h) -> curses colour pairs and attributes, with attribute-only fallbacks. */
#include "ui-draw.h"

#include <stdio.h>
#include <string.h>

#include "mpsdash/util.h"

/* Without colour a role must still stand out where colour was its only mark. */
static const attr_t mono_attrs[THEME_ROLE_COUNT] = {
    [THEME_HEADER] = A_BOLD,
    [THEME_TAB_ACTIVE] = A_REVERSE | A_BOLD,
    [THEME_SELECTED] = A_REVERSE,
    [THEME_STATE_PENDING] = A_BOLD,
    [THEME_STATE_PENDING_DEACTIVATION] = A_BOLD,
    [THEME_DETAIL_TITLE] = A_BOLD,
    [THEME_PERM_YES] = A_BOLD,
    [THEME_PERM_NO] = A_DIM,
    [THEME_ERROR] = A_BOLD | A_REVERSE,
    [THEME_WARNING] = A_BOLD,
    [THEME_DIALOG_DANGER] = A_BOLD,
    [THEME_DIM] = A_DIM,
    [THEME_SANDBOX_BADGE] = A_REVERSE | A_BOLD,
    [THEME_READONLY_BADGE] = A_REVERSE | A_BOLD,
};

static const struct {
    unsigned bit;
    attr_t attr;
} attr_map[] = {
    {THEME_ATTR_BOLD, A_BOLD},           {THEME_ATTR_DIM, A_DIM},
    {THEME_ATTR_UNDERLINE, A_UNDERLINE}, {THEME_ATTR_REVERSE, A_REVERSE},
    {THEME_ATTR_STANDOUT, A_STANDOUT},   {THEME_ATTR_BLINK, A_BLINK},
    {THEME_ATTR_ITALIC, A_ITALIC},
};

static const theme_role state_roles[STATE_COUNT] = {
    [STATE_PENDING] = THEME_STATE_PENDING,
    [STATE_ACTIVE] = THEME_STATE_ACTIVE,
    [STATE_PENDING_DEACTIVATION] = THEME_STATE_PENDING_DEACTIVATION,
    [STATE_DRAFT] = THEME_STATE_DRAFT,
    [STATE_INACTIVE] = THEME_STATE_INACTIVE,
    [STATE_DEACTIVATED] = THEME_STATE_DEACTIVATED,
    [STATE_OTHER] = THEME_STATE_OTHER,
};

theme_role ui_theme_state_role(mps_state st)
{
    return st < STATE_COUNT ? state_roles[st] : THEME_STATE_OTHER;
}

int ui_theme_load(ui_theme *t, const char *name, bool no_color, char *err, size_t err_size)
{
    memset(t, 0, sizeof *t);
    if (!name || !*name || strcmp(name, "default") == 0) {
        /* The default theme file may be absent (not installed): the built-in one is the same. */
        if (theme_load("default", &t->data, err, err_size) != 0)
            theme_builtin(&t->data);
    } else if (theme_load(name, &t->data, err, err_size) != 0) {
        return -1;
    }
    if (no_color)
        theme_strip_colors(&t->data);
    return 0;
}

static attr_t attrs_of(unsigned bits)
{
    attr_t a = A_NORMAL;
    for (size_t i = 0; i < COUNT_OF(attr_map); i++)
        if (bits & attr_map[i].bit)
            a |= attr_map[i].attr;
    return a;
}

void ui_theme_init(ui_theme *t)
{
    t->color = false;
    if (has_colors() && theme_uses_color(&t->data) && start_color() == OK) {
        use_default_colors();
        t->color = COLOR_PAIRS > THEME_ROLE_COUNT;
    }
    for (int r = 0; r < THEME_ROLE_COUNT; r++) {
        const theme_style *st = &t->data.styles[r];
        attr_t a = attrs_of(st->attrs);
        if (t->color) {
            short fg, bg;
            theme_style_colors(st, COLORS, &fg, &bg);
            if (fg >= COLORS)
                fg = -1;
            if (bg >= COLORS)
                bg = -1;
            init_pair((short)(r + 1), fg, bg);
            a |= COLOR_PAIR(r + 1);
            /* A selection drawn with colour alone vanishes on a terminal whose pair is the
             * default: keep it visible. */
            if (fg < 0 && bg < 0)
                a |= mono_attrs[r];
        } else {
            a |= mono_attrs[r];
        }
        t->attr[r] = a;
    }
}

attr_t ui_theme_attr(const ui_theme *t, theme_role role)
{
    return role < THEME_ROLE_COUNT ? t->attr[role] : A_NORMAL;
}
