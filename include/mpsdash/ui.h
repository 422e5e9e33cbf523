/* The dashboard: the only module that calls curses. */
#ifndef MPSDASH_UI_H
#define MPSDASH_UI_H

#include <stdbool.h>

struct mps_config;
struct cli_globals;

/* How the dashboard was asked to start. The config is borrowed for the run; profiles are
 * resolved (token loaded) by the dashboard itself so that :profile can switch at run time. */
typedef struct ui_options {
    const struct mps_config *config;
    const struct cli_globals *globals; /* command-line overrides (profile, graph URL, ...) */
    bool demo;                         /* run the built-in sandbox in-process and point at it */
    int demo_dialect;                  /* its sandbox_dialect (0: the guides') */
    const char *notice;                /* shown on the status line at start; NULL: none */
} ui_options;

/* Runs until the user quits. Returns a process exit code (cli.h). */
int ui_run(const ui_options *opts);

#endif
