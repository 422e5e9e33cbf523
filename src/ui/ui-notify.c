/* Calling attention to a new request that awaits this app: the terminal bell and desktop
 * notifications (OSC 9, OSC 777), as the `notify` setting says, and a mark on the state tab. */
#include "ui-data.h"
#include "ui-internal.h"
#include "ui-term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"

/* Notification text is server text: controls become U+FFFD, and ';' (the OSC field separator)
 * becomes ','. */
static char *notify_text(const char *s)
{
    char *t = text_sanitize(s, strlen(s), false);
    for (char *p = t; *p; p++)
        if (*p == ';')
            *p = ',';
    return t;
}

char *ui_notify_sequence(unsigned how, const char *title, const char *body, bool tmux_passthrough)
{
    char *t = notify_text(title), *b = notify_text(body);
    /* tmux passes a DCS "tmux;" payload through with every ESC doubled. */
    const char *esc = tmux_passthrough ? "\033\033" : "\033";
    const char *pre = tmux_passthrough ? "\033Ptmux;" : "";
    const char *post = tmux_passthrough ? "\033\\" : "";
    char *osc9 =
        how & CONFIG_NOTIFY_OSC9 ? mps_xasprintf("%s]9;%s: %s\a", esc, t, b) : mps_xstrdup("");
    char *osc777 = how & CONFIG_NOTIFY_OSC777 ? mps_xasprintf("%s]777;notify;%s;%s\a", esc, t, b)
                                              : mps_xstrdup("");
    char *seq =
        osc9[0] || osc777[0] ? mps_xasprintf("%s%s%s%s", pre, osc9, osc777, post) : mps_xstrdup("");
    free(osc9);
    free(osc777);
    free(t);
    free(b);
    return seq;
}

bool ui_solution_awaits_us(const ui *u, const mps_solution *s)
{
    mps_role role = solution_role(s, u->profile.app_id);
    mps_state st = solution_state(s);
    return action_offered(ACTION_ACCEPT, st, role, NULL) ||
           action_offered(ACTION_ACCEPT_DEACTIVATION, st, role, NULL);
}

static void notify_body(const ui *u, char *body, size_t size)
{
    if (u->notify_count == 1)
        snprintf(body, size, "a new request awaits you: %s", u->notify_first);
    else
        snprintf(body, size, "%zu new requests await you, the first: %s", u->notify_count,
                 u->notify_first);
}

void ui_notify_note(ui *u, const mps_solution *before, const mps_solution *now)
{
    /* The first load of a profile is not news: everything in it would be "new". */
    if (!u->list_loaded || !now || !ui_solution_awaits_us(u, now))
        return;
    if (before && ui_solution_awaits_us(u, before) && solution_state(before) == solution_state(now))
        return;
    if (u->notify_count++ == 0) {
        free(u->notify_first);
        u->notify_first = mps_xstrdup(now->name && now->name[0] ? now->name : now->id);
    }
    u->tab_unseen[solution_state(now)] = true;
    /* Said now, so the frame this result draws shows it; the bell waits for doupdate. */
    char body[400];
    notify_body(u, body, sizeof body);
    ui_message(u, UI_MSG_INFO, "%s", body);
}

void ui_notify_flush(ui *u)
{
    if (u->notify_count == 0)
        return;
    unsigned how = u->config ? u->config->notify : CONFIG_NOTIFY_BELL;
    char body[400];
    notify_body(u, body, sizeof body);
    if (how & CONFIG_NOTIFY_BELL)
        beep();
    if (how & (CONFIG_NOTIFY_OSC9 | CONFIG_NOTIFY_OSC777)) {
        /* Called after doupdate: curses has flushed, so the sequence cannot split its writes.
         * Inside tmux both forms go out, as for OSC 52 (passthrough may be off). */
        bool in_tmux = getenv("TMUX") != NULL;
        for (int wrapped = 0; wrapped <= (in_tmux ? 1 : 0); wrapped++) {
            char *seq = ui_notify_sequence(how, "mpsdash", body, wrapped);
            if (!ui_write_all(STDOUT_FILENO, seq))
                ui_message(u, UI_MSG_ERROR, "could not write the notification to the terminal");
            free(seq);
        }
    }
    u->notify_count = 0;
    free(u->notify_first);
    u->notify_first = NULL;
}
