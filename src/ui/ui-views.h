/* The view registry, in the manner of tig's VIEW_INFO: every view beyond the panel, declared
 * once. Adding a view is a line here and its file, view-NAME.c, which defines
 * `const ui_view_kind ui_view_NAME` (its ':' command, the request whose key opens it, how it
 * opens, where its jobs' answers go). From this list come the views' result tags
 * (UI_TAG_<TAG>: what a view submits its jobs as), the routing of those results, the requests
 * that open views and their ':' commands. A view's default key is its request's row in
 * ui-keys.c (which the help, the remapping and the man page's KEYS follow). */
#ifndef MPSDASH_UI_VIEWS_H
#define MPSDASH_UI_VIEWS_H

/* _(TAG, name) */
#define UI_VIEW_INFO(_)                                                                            \
    _(PARTNERS, partners)                                                                          \
    _(CUSTOMERS, customers)                                                                        \
    _(EVENTS, events)                                                                              \
    _(CREATE, create)                                                                              \
    _(TOKEN, token)                                                                                \
    _(PROFILES, profiles)                                                                          \
    _(INBOX, inbox)

#endif
