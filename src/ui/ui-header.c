/* The header line: profile, app, API version, refresh age, API usage and the RO/SANDBOX badges. */
#include "ui-feed.h"
#include "ui-internal.h"

#include <math.h> /* INFINITY */
#include <stdio.h>
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
} badge;

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
    if (ui_feed_badge(u, cols, right[nright].text, sizeof right[nright].text, &onboard_warn))
        right[nright++].role = onboard_warn ? THEME_WARNING : THEME_HEADER;
    ui_header_clock(u, ui_now(), u->clock_text, sizeof u->clock_text);
    if (u->clock_text[0]) {
        snprintf(right[nright].text, sizeof right[nright].text, "%s", u->clock_text);
        right[nright++].role = THEME_HEADER;
    }
    if (u->usage.max_percent >= 0) {
        bool paused = u->refresh_interval > 0 && ui_refresh_interval_effective(u) <= 0;
        snprintf(right[nright].text, sizeof right[nright].text, "API %d%%%s", u->usage.max_percent,
                 paused ? " (auto-refresh paused)" : "");
        right[nright++].role = u->usage.max_percent >= 75 ? THEME_WARNING : THEME_HEADER;
    }
    if (u->readonly) {
        snprintf(right[nright].text, sizeof right[nright].text, "[RO]");
        right[nright++].role = THEME_READONLY_BADGE;
    }
    if (u->on_sandbox) {
        snprintf(right[nright].text, sizeof right[nright].text, "SANDBOX");
        right[nright++].role = THEME_SANDBOX_BADGE;
    }
    int right_w = 0;
    for (int i = 0; i < nright; i++)
        right_w += text_width(right[i].text) + 2;

    char left[512];
    const char *app_name = u->app_name ? u->app_name : NULL;
    const char *app_id = u->profile.app_id ? u->profile.app_id : "?";
    if (app_name)
        snprintf(left, sizeof left, "%s %s app %s (%s) %s %s",
                 u->profile.name ? u->profile.name : "", ui_glyph_dot(u), app_name, app_id,
                 ui_glyph_dot(u), u->profile.api_version ? u->profile.api_version : "");
    else
        snprintf(left, sizeof left, "%s %s app %s %s %s", u->profile.name ? u->profile.name : "",
                 ui_glyph_dot(u), app_id, ui_glyph_dot(u),
                 u->profile.api_version ? u->profile.api_version : "");

    wmove(w, 0, 0);
    int x = ui_add(w, " mpsdash  ", cols, base | A_BOLD);
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
