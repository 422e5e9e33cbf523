/* The header line: profile, app, API version, refresh age, API usage and the RO/SANDBOX badges. */
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-feed.h"
#include "ui-internal.h"

#include <limits.h>
#include <math.h> /* INFINITY */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* Coarse steps keep an idle dashboard quiet: the text changes every 10 s, then every minute. */
static const struct {
    double below; /* age limit in seconds */
    double step;
    const char *fmt; /* %d gets age / unit */
    double unit;
} clock_steps[] = {
    {10, 10, "just now", 1},
    {60, 10, "%ds ago", 1},
    {3600, 60, "%dm ago", 60},
    {86400, 3600, "%dh ago", 3600},
    {INFINITY, 86400, "%dd ago", 86400},
};

void ui_header_clock(const ui *u, double now, char *buf, size_t size)
{
    if (u->last_refresh <= 0) {
        /* the first load says how long it may take (--timeout, the timeout setting) */
        if (u->list_loading)
            snprintf(buf, size, "loading, up to %d s", ui_deadline_s(u));
        else
            buf[0] = '\0';
        return;
    }
    double age = now - u->last_refresh;
    if (age < 0)
        age = 0;
    for (size_t i = 0; i < COUNT_OF(clock_steps); i++) {
        if (age < clock_steps[i].below) {
            char text[24];
            /* age >= 0, so truncation is floor (and no libm is needed). */
            long steps = (long)(age / clock_steps[i].step);
            int v = (int)((double)steps * clock_steps[i].step / clock_steps[i].unit);
            snprintf(text, sizeof text, clock_steps[i].fmt, v);
            snprintf(buf, size, "%s %s", ui_glyph_refresh(u), text);
            return;
        }
    }
}

double ui_header_clock_next(const ui *u, double now)
{
    if (u->last_refresh <= 0)
        return INFINITY;
    double age = now - u->last_refresh;
    if (age < 0)
        age = 0;
    for (size_t i = 0; i < COUNT_OF(clock_steps); i++) {
        if (age < clock_steps[i].below) {
            double step = clock_steps[i].step;
            return (double)((long)(age / step) + 1) * step - age;
        }
    }
    return INFINITY;
}

typedef struct badge {
    char text[64];
    theme_role role;
    int drop; /* 0: always shown; else the order it gives way in when the line is short */
} badge;

/* What gives way first when the line is too short for everything: the app's name and id come
 * before anything else, [RO] and SANDBOX are never dropped, a usage warning stays. */
enum {
    DROP_BRAND = 1,
    DROP_VERSION,
    DROP_ONBOARDING,
    DROP_PROFILE,
    DROP_CLOCK,
    DROP_USAGE,
    DROP_COUNT
};

static int badges_width(const badge *b, int n, int dropped)
{
    int w = 0;
    for (int i = 0; i < n; i++)
        if (!b[i].drop || b[i].drop > dropped)
            w += text_width(b[i].text) + 2;
    return w;
}

/* "prod · app Lucky Shrub (2120…) · v25.0" without the parts dropped so far; the name is cut
 * (never the id) when even the rest does not fit in room. */
static void header_left(ui *u, int dropped, int room, char *buf, size_t size)
{
    const char *dot = ui_glyph_dot(u);
    const char *app_id = u->profile.app_id ? u->profile.app_id : "?";
    char app[320];
    if (u->app_name) {
        snprintf(app, sizeof app, "app %s (%s)", u->app_name, app_id);
        int over = text_width(app) - room;
        if (over > 0) { /* keep "app " and " (id)": cut the name */
            int name_room = text_width(u->app_name) - over;
            char *cut = text_truncate(u->app_name, name_room > 1 ? name_room : 1);
            snprintf(app, sizeof app, "app %s (%s)", cut ? cut : "", app_id);
            free(cut);
        }
    } else {
        snprintf(app, sizeof app, "app %s", app_id);
    }
    size_t n = 0;
    if (dropped < DROP_PROFILE && u->profile.name)
        n += (size_t)snprintf(buf + n, size - n, "%s %s ", u->profile.name, dot);
    if (n < size)
        n += (size_t)snprintf(buf + n, size - n, "%s", app);
    if (dropped < DROP_VERSION && u->profile.api_version && n < size)
        snprintf(buf + n, size - n, " %s %s", dot, u->profile.api_version);
}

void ui_header_draw(ui *u)
{
    WINDOW *w = u->w_header;
    if (!w)
        return;
    attr_t base = ui_theme_attr(&u->theme, THEME_HEADER);
    int cols = getmaxx(w);

    badge right[6];
    int nright = 0;
    bool onboard_warn = false; /* view-events.c: the weekly onboarding count, when tailing */
    if (ui_feed_badge(u, cols, right[nright].text, sizeof right[nright].text, &onboard_warn)) {
        right[nright].role = onboard_warn ? THEME_WARNING : THEME_HEADER;
        right[nright++].drop = onboard_warn ? 0 : DROP_ONBOARDING;
    }
    ui_header_clock(u, ui_now(), u->clock_text, sizeof u->clock_text);
    if (u->clock_text[0]) {
        snprintf(right[nright].text, sizeof right[nright].text, "%s", u->clock_text);
        right[nright].role = THEME_HEADER;
        right[nright++].drop = DROP_CLOCK;
    }
    if (u->usage.max_percent >= 0) {
        bool paused = u->refresh_interval > 0 && ui_refresh_interval_effective(u) <= 0;
        bool warn = u->usage.max_percent >= 75;
        snprintf(right[nright].text, sizeof right[nright].text, "API %d%%%s", u->usage.max_percent,
                 paused ? " (auto-refresh paused)" : "");
        right[nright].role = warn ? THEME_WARNING : THEME_HEADER;
        right[nright++].drop = warn || paused ? 0 : DROP_USAGE;
    }
    if (u->readonly) {
        snprintf(right[nright].text, sizeof right[nright].text, "[RO]");
        right[nright].role = THEME_READONLY_BADGE;
        right[nright++].drop = 0;
    }
    if (u->on_sandbox) {
        snprintf(right[nright].text, sizeof right[nright].text, "SANDBOX");
        right[nright].role = THEME_SANDBOX_BADGE;
        right[nright++].drop = 0;
    }

    /* Drop parts in their order until the line fits. */
    static const char brand[] = " mpsdash  ";
    char left[512];
    int dropped = 0, brand_w = 0, right_w = 0;
    for (; dropped < DROP_COUNT; dropped++) {
        brand_w = dropped < DROP_BRAND ? text_width(brand) : 1;
        right_w = badges_width(right, nright, dropped);
        header_left(u, dropped, INT_MAX / 2, left, sizeof left); /* measured whole */
        if (brand_w + text_width(left) + right_w + 1 <= cols)
            break;
    }
    if (dropped == DROP_COUNT)
        dropped = DROP_COUNT - 1;
    header_left(u, dropped, cols - brand_w - right_w - 1, left, sizeof left);

    wmove(w, 0, 0);
    int x = ui_add(w, dropped < DROP_BRAND ? brand : " ", cols, base | A_BOLD);
    int room = cols - x - right_w - 1;
    if (room > 0)
        x += ui_add(w, left, room, base);
    /* Blank up to the right-hand part, then the badges. Positions are counted here, not read
     * back with getcurx: the cursor does not advance past a window's last cell. */
    int start = cols - right_w;
    if (start < x)
        start = x;
    ui_put(w, 0, x, "", start - x, base);
    x = start;
    for (int i = 0; i < nright && x < cols; i++) {
        if (right[i].drop && right[i].drop <= dropped)
            continue;
        int tw = text_width(right[i].text);
        if (tw > cols - x)
            tw = cols - x;
        attr_t a = right[i].role == THEME_HEADER ? base : ui_theme_attr(&u->theme, right[i].role);
        ui_put(w, 0, x, right[i].text, tw, a);
        x += tw;
        int gap = cols - x < 2 ? cols - x : 2;
        ui_put(w, 0, x, "", gap, base);
        x += gap;
    }
    ui_put(w, 0, x, "", cols - x, base);
}
