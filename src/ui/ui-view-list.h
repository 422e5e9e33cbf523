/* Every view beyond the panel, declared once (in the manner of tig's VIEW_INFO): adding a view
 * is a line here and its file, view-NAME.c (plus its key in man/mpsdash.1, which test_docs
 * checks). Each line is
 *   _(TAG, name, REQUEST, "request-name", "default key", "help")
 * and from it come the view's result tag (UI_TAG_TAG, ui-data.h), its entry in the registry
 * (ui_view_name, ui-view.c), the request that opens it (REQ_REQUEST, ui-keys.h) and that
 * request's row in the key table (ui-keys.c: the help, the remapping and the config's names).
 * No includes: ui-keys.h and ui-views.h both read it. */
#ifndef MPSDASH_UI_VIEW_LIST_H
#define MPSDASH_UI_VIEW_LIST_H

#define UI_VIEW_INFO(_)                                                                            \
    _(PARTNERS, partners, PARTNERS, "partners", "p", "partners of the solution")                   \
    _(CUSTOMERS, customers, CUSTOMERS, "customers", "C", "onboarded customers (client WABAs)")     \
    _(EVENTS, events, EVENTS, "events", "E", "webhook events from the events file")                \
    _(CREATE, create, CREATE, "create", "c", "create a solution (form, review, send)")             \
    _(TOKEN, token, BUSINESS_TOKEN, "business-token", "b",                                         \
      "a customer's business token through the solution")                                          \
    _(PROFILES, profiles, PROFILES, "profiles", "P", "pick a profile")                             \
    _(INBOX, inbox, INBOX, "inbox", "I", "every profile's pending requests in one list")

#endif
