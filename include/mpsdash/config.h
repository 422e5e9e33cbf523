/* Configuration: the config file, its profiles and how a profile resolves (token, URL, app).
 * The rest of mps_config (everything mpsdash reads from or writes to the user's files, with no
 * network and no curses) has a header each: paths.h (XDG paths), secret.h (secret sources),
 * audit.h (the audit log), theme.h (colour themes).
 *
 * ---------------------------------------------------------------------------------------------
 * THE CONFIG FILE  (mpsdash.conf(5) is written from this comment)
 *
 * Location: the file given with -c/--config, else $XDG_CONFIG_HOME/mpsdash/config (XDG_CONFIG_HOME
 * defaults to ~/.config; a relative value is ignored, as the XDG spec says). A missing default
 * file is an empty configuration; a missing -c file is an error. The file must belong to the user
 * (or root) and must not be writable by group or others, because it can name a token_command.
 *
 * Syntax: libconfig (https://hyperrealm.github.io/libconfig/). `@include` is refused: a config
 * that pulls in other files cannot be reviewed as one file. Every error names the file, the line
 * and the problem ("/home/u/.config/mpsdash/config:12: unknown setting 'refesh_interval'").
 * Unknown settings and wrong types are errors, so a typo is never silently ignored.
 *
 *   default_profile  = "prod";      # profile used without -p; default: the only profile, if one
 *   theme            = "default";   # name (see THEMES) or a path to a .theme file
 *   confirm          = "yes";       # "yes": press y to confirm; "typed": type the last
 *                                   #   digits of the solution id
 *   refresh_interval = 60;          # auto-refresh in seconds, 0 = off (0..86400; default 60)
 *   mouse            = false;       # mouse support in the dashboard (default false)
 *   emoji_joiners    = "auto";      # joined emoji: "auto" asks the terminal, "joined", "split"
 *   notify           = "bell";      # new requests: "bell", "osc9", "osc777", "none", or a list
 *   audit_log        = "~/mpsdash-audit.log";  # default $XDG_STATE_HOME/mpsdash/audit.log
 *   keys = {                        # request name -> key spec, or a list of key specs;
 *     accept = "a";                 #   names and specs are validated by the dashboard
 *     reject = [ "x", "d" ];
 *   };
 *   profiles = {
 *     prod = {
 *       app_id      = "21202248997039";     # required; ids are digit strings, in quotes
 *       business_id = "506914307656634";    #   (libconfig would mangle a bare integer)
 *       graph_url   = "https://graph.facebook.com";  # default; https, or http to loopback only
 *       api_version = "v25.0";              # default v25.0; the form vN.N
 *       token_env   = "MPSDASH_TOKEN";      # token sources, tried in this order (below)
 *       token_file  = "~/.config/mpsdash/prod.token";
 *       token_command = "pass show meta/prod";
 *       app_secret_env = "MPSDASH_APP_SECRET";   # optional app secret (appsecret_proof), from
 *       app_secret_file = "~/.config/mpsdash/prod.secret";  # the same three kinds of source
 *       app_secret_command = "pass show meta/prod-secret";
 *       verify_token_env = "MPSDASH_VERIFY_TOKEN"; # the webhook's hub.verify_token (for
 *       verify_token_file = "~/.config/mpsdash/prod.verify";  # `webhook serve`), from the
 *       verify_token_command = "pass show meta/prod-verify";  # same three kinds of source
 *       ca_file     = "/etc/ssl/corp-ca.pem";  # extra CA bundle; TLS verification is always on
 *       events_file = "~/webhooks/prod.jsonl"; # JSON lines of webhook deliveries to tail
 *       refresh_interval = 30;                 # overrides the global value for this profile
 *       partner_businesses = (                 # partner app id -> its business portfolio id
 *         { app = "637576208107267"; business = "520744086200222"; }
 *       );
 *     };
 *     staging = { app_id = "..."; token_env = "MPSDASH_STAGING_TOKEN"; };
 *   };
 *
 * Paths in the file may start with "~/" (the home directory).
 *
 * Token sources. A token is never taken from the command line. The sources are tried in order:
 *   1. the environment variable named by --token-env or token_env. It is read once and then
 *      removed from the environment (so programs started later do not inherit it); the value
 *      is kept in memory for the life of the process, so switching back to the profile works;
 *   2. token_file: must be a regular file owned by the user with no group/other permission bits,
 *      like OpenSSH keys ("permissions 0644 for FILE are too open; run chmod 600 FILE");
 *   3. token_command: run with /bin/sh -c, stdin from /dev/null; the first line of its standard
 *      output is the token; a non-zero exit status, no output or more than 10 s is an error.
 * An environment variable that is not set falls through to the next source; every other failure
 * (unreadable or too-open file, failing command, empty value) is an error naming the source.
 * With --token-env on the command line only that variable is used. Leading and trailing white
 * space is trimmed; a token holding spaces or control characters is refused.
 *
 * With --graph-url, --app-id and --token-env no config file is needed: the command-line values
 * form an implicit profile named "cli". The same options override the chosen profile's values.
 *
 * THEMES: see theme.h.
 * ------------------------------------------------------------------------------------------- */
#ifndef MPSDASH_CONFIG_H
#define MPSDASH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "mpsdash/model.h"
#include "mpsdash/secret.h" /* a profile's secret_source */

#define CONFIG_DEFAULT_REFRESH 60
/* Seconds a command (a dashboard operation) may take in all, retries and pages included. */
#define CONFIG_DEFAULT_TIMEOUT 120
#define CONFIG_IMPLICIT_PROFILE "cli"

/* ------------------------------------------------------------------------------ config */

typedef enum config_confirm {
    CONFIG_CONFIRM_YES = 0, /* press y */
    CONFIG_CONFIRM_TYPED,   /* type the last digits of the solution id */
} config_confirm;

/* How the dashboard draws emoji joined with U+200D (text_set_zwj_joins). */
typedef enum config_joiners {
    CONFIG_JOINERS_AUTO = 0, /* ask the terminal how it draws one (a cursor position report) */
    CONFIG_JOINERS_JOINED,   /* one glyph, in the columns of its first part */
    CONFIG_JOINERS_SPLIT,    /* each part in its own columns, the joiners left out */
} config_joiners;

/* How the dashboard calls attention to a new request awaiting this app (bits). */
enum {
    CONFIG_NOTIFY_BELL = 1u << 0,   /* the terminal bell (BEL) */
    CONFIG_NOTIFY_OSC9 = 1u << 1,   /* a desktop notification, OSC 9 (iTerm2, kitty, WezTerm) */
    CONFIG_NOTIFY_OSC777 = 1u << 2, /* a desktop notification, OSC 777 (urxvt, foot, VTE) */
};

typedef struct config_partner_business {
    char *app_id;
    char *business_id;
} config_partner_business;

/* One key binding from `keys`: the UI validates request names and key specs. */
typedef struct config_key {
    char *request; /* "accept" */
    char *spec;    /* "a", "C-r", "F5", ... as written */
    int line;      /* line in the config file, for the UI's error message */
} config_key;

/* A profile as written in the file (no secret loaded). NULL = not given. */
typedef struct mps_profile {
    char *name;
    char *app_id;
    char *business_id;
    char *graph_url;
    char *api_version;
    char *token_env;
    char *token_file; /* "~/" expanded */
    char *token_command;
    char *app_secret_env;
    char *app_secret_file; /* "~/" expanded */
    char *app_secret_command;
    char *verify_token_env;  /* the webhook's verify token (hub.verify_token), from the */
    char *verify_token_file; /*   same three kinds of source; "~/" expanded */
    char *verify_token_command;
    char *ca_file;        /* "~/" expanded */
    char *events_file;    /* "~/" expanded */
    int refresh_interval; /* -1 = not given (the global value applies) */
    bool readonly;        /* refuse every change unless the command line says otherwise */
    config_partner_business *partners;
    size_t partner_count;
    int line;
} mps_profile;

/* A loaded configuration: plain data, read-only for its users. */
typedef struct mps_config {
    char *path;            /* the file read (the name given to config_parse_string); NULL
                            * when no file was read */
    char *default_profile; /* NULL = not given */
    char *theme;           /* NULL = not given ("default") */
    config_confirm confirm;
    int refresh_interval; /* seconds, 0 = off */
    int timeout;          /* seconds a command or dashboard operation may take; 0 = not given */
    bool mouse;
    config_joiners emoji_joiners;
    unsigned notify;    /* CONFIG_NOTIFY_* bits, 0 = none; default: the bell */
    char *audit_log;    /* "~/" expanded; NULL = not given (use config_audit_log_path) */
    char *audit_syslog; /* audit lines also to syslog with this facility; NULL: not */
    config_key *keys;
    size_t key_count;
    mps_profile *profiles; /* in file order */
    size_t profile_count;
} mps_config;

/* path NULL: the default file (missing = empty config). path given: must exist.
 * Returns 0, or -1 with err as "FILE:LINE: problem" (or "FILE: problem"). */
int config_load(const char *path, mps_config **out, char *err, size_t err_size);
/* Parses text held in memory; `name` stands for the file in messages. No permission checks. */
int config_parse_string(const char *text, size_t len, const char *name, mps_config **out, char *err,
                        size_t err_size);
/* An empty configuration (as for a missing default file). */
mps_config *config_new_empty(void);
void config_free(mps_config *cfg);

/* name NULL: default_profile, else the only profile if there is exactly one. NULL if none. */
const mps_profile *config_profile(const mps_config *cfg, const char *name);
/* The deadline in seconds: given (--timeout) when > 0, else the timeout setting, else
 * CONFIG_DEFAULT_TIMEOUT. cfg may be NULL. */
int config_timeout_s(const mps_config *cfg, int given);
/* The audit log path: audit_log or the XDG default. New string, NULL without a home. */
char *config_audit_log_path(const mps_config *cfg);

/* Command-line values that override (or, with no config, make up) a profile. NULL = not given. */
typedef struct profile_overrides {
    const char *graph_url;
    const char *api_version;
    const char *app_id;
    const char *token_env;
} profile_overrides;

/* A profile ready to use: every default applied, secrets loaded. Owned strings. */
typedef struct resolved_profile {
    char *name;
    bool implicit; /* made from command-line values alone */
    char *app_id;
    char *business_id; /* may be NULL */
    char *graph_url;
    char *api_version;
    char *ca_file;     /* may be NULL */
    char *events_file; /* may be NULL */
    int refresh_interval;
    bool readonly; /* the profile says readonly = true */
    config_partner_business *partners;
    size_t partner_count;
    secret_source token_source;        /* the source the token came from (or would come from) */
    secret_source app_secret_source;   /* SECRET_NONE when no app secret is configured */
    secret_source verify_token_source; /* PROFILE_RESOLVE_WEBHOOK only; SECRET_NONE: none */
    char *token;        /* NULL with PROFILE_RESOLVE_NO_SECRETS or PROFILE_RESOLVE_WEBHOOK */
    char *app_secret;   /* NULL when none is configured or with PROFILE_RESOLVE_NO_SECRETS */
    char *verify_token; /* PROFILE_RESOLVE_WEBHOOK only; NULL when none is configured */
} resolved_profile;

enum {
    /* Check settings and pick the token source, but read no secret (doctor does it step by
     * step with secret_load). token_source is the source that would be read: an unset
     * environment variable falls through as when loading, unless it is the last source. */
    PROFILE_RESOLVE_NO_SECRETS = 1u << 0,
    /* For the webhook receiver: no access token is wanted (none is read, none is required);
     * the verify token is picked (and read, unless NO_SECRETS) instead. */
    PROFILE_RESOLVE_WEBHOOK = 1u << 1,
};

/* Whether command-line overrides are well formed (https URL or http to loopback, vN.N version,
 * digit app id, a variable name for --token-env). 0, or -1 with err naming the option. The CLI
 * calls it before anything else so a malformed option is a usage error (exit 2). */
int profile_overrides_check(const profile_overrides *ov, char *err, size_t err_size);

/* cfg may be NULL (no config file). profile_name NULL = the default profile, or the implicit
 * "cli" profile when no profile is configured and overrides give at least an app id;
 * profile_name "cli" (when no profile has that name) = the implicit profile, if an app id is
 * given.
 * Returns 0, or -1 with err saying what is missing or which token source failed. On failure
 * *out is left cleared. */
int profile_resolve(const mps_config *cfg, const char *profile_name, const profile_overrides *ov,
                    unsigned flags, resolved_profile *out, char *err, size_t err_size);
/* Frees everything; the token and app secret are zeroed first. Safe on a cleared struct. */
void resolved_profile_clear(resolved_profile *rp);
/* The id of the business portfolio that owns partner app `app_id`, or NULL. */
const char *resolved_partner_business(const resolved_profile *rp, const char *app_id);

#endif
