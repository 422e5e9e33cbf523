/* Configuration, secrets, XDG paths, the audit log and colour themes: everything mpsdash reads
 * from or writes to the user's files, with no network and no curses.
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
#ifndef MPSDASH_CONFIG_H
#define MPSDASH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "mpsdash/model.h"

#define CONFIG_DEFAULT_REFRESH 60
/* Seconds a command (a dashboard operation) may take in all, retries and pages included. */
#define CONFIG_DEFAULT_TIMEOUT 120
#define CONFIG_IMPLICIT_PROFILE "cli"
#define SECRET_COMMAND_TIMEOUT_MS 10000

/* ------------------------------------------------------------------------------ paths */

/* Each returns a new string (free()), or NULL when no home directory can be found. */
char *paths_config_dir(void);  /* $XDG_CONFIG_HOME/mpsdash or ~/.config/mpsdash */
char *paths_state_dir(void);   /* $XDG_STATE_HOME/mpsdash or ~/.local/state/mpsdash */
char *paths_config_file(void); /* <config dir>/config */
char *paths_themes_dir(void);  /* <config dir>/themes */
char *paths_audit_log(void);   /* <state dir>/audit.log */
/* "~/x" -> "$HOME/x"; any other path is copied as it is. */
char *paths_expand_home(const char *path);
/* mkdir -p; directories it creates get `mode`. 0 on success, -1 with err filled. */
int paths_mkdir_p(const char *dir, mode_t mode, char *err, size_t err_size);

/* ------------------------------------------------------------------------------ secrets */

typedef enum secret_kind {
    SECRET_NONE = 0,
    SECRET_ENV,     /* value: variable name */
    SECRET_FILE,    /* value: path, "~/" already expanded */
    SECRET_COMMAND, /* value: shell command */
} secret_kind;

/* Where a secret comes from. Owned strings (secret_source_clear). */
typedef struct secret_source {
    secret_kind kind;
    char *value;
} secret_source;

void secret_source_clear(secret_source *src);
/* "environment variable MPSDASH_TOKEN", "token file /x", "token command" (never the value of a
 * secret; a command's text is not shown either, it may embed one). what: "token", "app secret". */
void secret_source_describe(const secret_source *src, const char *what, char *out, size_t size);

/* Reads the secret from one source. *out gets a new string (free with secret_free).
 * Returns 0, or -1 with err saying which source failed and why (never the secret). An
 * environment variable that is not set is an error here; see profile_resolve for fall-through. */
int secret_load(const secret_source *src, const char *what, char **out, char *err, size_t err_size);
/* The token_file rules alone (regular file, owned by the user, mode & 077 == 0). For doctor. */
int secret_check_file(const char *path, char *err, size_t err_size);
/* Whether an environment-variable secret can be read: the variable is set, or its value was
 * already taken and kept. */
bool secret_env_present(const char *name);
/* How long a token_command may run (default SECRET_COMMAND_TIMEOUT_MS). For tests. */
void secret_set_command_timeout(int ms);
/* explicit_bzero then free. NULL is fine. */
void secret_free(char *secret);
/* Forgets the values kept from environment variables (zeroed). For tests and exit. */
void secret_env_forget(void);
/* Takes variable name (when set) out of the environment into the kept table at once, so that no
 * child (a token_command, an editor) inherits a secret some profile will read later. */
void secret_env_capture(const char *name);
/* prctl(PR_SET_DUMPABLE, 0) and no core files: call early in main. */
void secret_harden_process(void);

/* ------------------------------------------------------------------------------ config */

typedef enum config_confirm {
    CONFIG_CONFIRM_YES = 0, /* press y */
    CONFIG_CONFIRM_TYPED,   /* type the last digits of the solution id */
} config_confirm;

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
    char *token_file;    /* "~/" expanded */
    char *token_command;
    char *app_secret_env;
    char *app_secret_file; /* "~/" expanded */
    char *app_secret_command;
    char *verify_token_env;     /* the webhook's verify token (hub.verify_token), from the */
    char *verify_token_file;    /*   same three kinds of source; "~/" expanded */
    char *verify_token_command;
    char *ca_file;         /* "~/" expanded */
    char *events_file;     /* "~/" expanded */
    int refresh_interval;  /* -1 = not given (the global value applies) */
    bool readonly;         /* refuse every change unless the command line says otherwise */
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
    int refresh_interval;  /* seconds, 0 = off */
    int timeout;           /* seconds a command or dashboard operation may take; 0 = not given */
    bool mouse;
    unsigned notify;       /* CONFIG_NOTIFY_* bits, 0 = none; default: the bell */
    char *audit_log;       /* "~/" expanded; NULL = not given (use config_audit_log_path) */
    char *audit_syslog;    /* audit lines also to syslog with this facility; NULL: not */
    config_key *keys;
    size_t key_count;
    mps_profile *profiles; /* in file order */
    size_t profile_count;
} mps_config;

/* path NULL: the default file (missing = empty config). path given: must exist.
 * Returns 0, or -1 with err as "FILE:LINE: problem" (or "FILE: problem"). */
int config_load(const char *path, mps_config **out, char *err, size_t err_size);
/* Parses text held in memory; `name` stands for the file in messages. No permission checks. */
int config_parse_string(const char *text, size_t len, const char *name, mps_config **out,
                        char *err, size_t err_size);
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
    secret_source token_source;      /* the source the token came from (or would come from) */
    secret_source app_secret_source; /* SECRET_NONE when no app secret is configured */
    secret_source verify_token_source; /* PROFILE_RESOLVE_WEBHOOK only; SECRET_NONE: none */
    char *token;      /* NULL with PROFILE_RESOLVE_NO_SECRETS or PROFILE_RESOLVE_WEBHOOK */
    char *app_secret; /* NULL when none is configured or with PROFILE_RESOLVE_NO_SECRETS */
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

/* ------------------------------------------------------------------------------ audit log */

/* One mutating request. NULL strings are written as null. There is deliberately no token field. */
/* Audit outcomes: one word each, the same from the dashboard and the command line. */
#define AUDIT_OK "ok"             /* the server carried it out */
#define AUDIT_REFUSED "refused"   /* the server answered success:false */
#define AUDIT_ERROR "error"       /* the server answered with an error */
#define AUDIT_UNKNOWN "unknown"   /* no answer to the POST: what the server holds was read back */
#define AUDIT_CHANGED "changed"   /* not sent: the re-check found the solution changed */
#define AUDIT_NOT_SENT "not-sent" /* not sent for another reason (e.g. the re-check failed) */
#define AUDIT_PENDING "pending"   /* write-ahead: about to be sent, the outcome follows */

/* Write-ahead phases: a mutation is written as an intent before anything is sent, then closed
 * by a line with the same "intent" id: its outcome, or, when a signal ended the program while
 * it waited, an "interrupted" line that the next start reconciles by reading the server. */
#define AUDIT_PHASE_INTENT "intent"
#define AUDIT_PHASE_OUTCOME "outcome"
#define AUDIT_PHASE_INTERRUPTED "interrupted"
#define AUDIT_PHASE_RECONCILED "reconciled"

typedef struct audit_entry {
    long long time;          /* unix seconds; 0 = now */
    const char *profile;
    const char *app_id;
    const char *solution_id;
    const char *action;      /* "accept", "reject", "request-deactivation", "create", ... */
    const char *outcome;     /* one of the AUDIT_* words below */
    const char *fbtrace_id;
    const char *detail;      /* free text: the Graph message, what changed, ... */
    const char *intent;      /* write-ahead id joining the lines of one mutation; NULL: none */
    const char *phase;       /* AUDIT_PHASE_*; NULL (and not written) for a one-line record */
    /* Who and where, so that a team's shared trail tells people and machines apart; written
     * (null where unknown) when `who` is set, as audit_entry_init does. */
    bool who;
    const char *user;      /* the login name of the process's real uid; NULL: none */
    long long uid;
    const char *host;      /* the host name */
    const char *graph_url; /* the Graph base URL the request went to */
} audit_entry;

/* Zeroes e, fills profile, app_id and graph_url from rp (borrowed: rp must outlive e) and who
 * and where from the process (user, uid, host; looked up once). */
void audit_entry_init(audit_entry *e, const resolved_profile *rp);

/* Every audit line written from now on also goes to syslog(3) with ident "mpsdash" and this
 * facility ("user", "authpriv", "daemon", "local0" ... "local7"), priority notice: journald
 * and rsyslog read it from /dev/log. NULL: the file only. Returns -1 for an unknown facility.
 * A line a signal handler writes (audit_log_write_line) goes to the file only: syslog(3) is
 * not async-signal-safe; the record that settles it at the next start goes to both. */
int audit_syslog(const char *facility);
/* The facility names audit_syslog knows, for messages: "user, authpriv, ...". */
const char *audit_syslog_facilities(void);
bool audit_syslog_facility_known(const char *facility);
/* Appends one JSON line {"time":"2026-11-23T10:00:00Z","profile":..,"app_id":..,
 * "solution_id":..,"action":..,"outcome":..,"fbtrace_id":..,"detail":..} (then "intent" and
 * "phase" when set) through audit_log_open/audit_log_write. Returns 0, or -1 with err. */
int audit_append(const char *path, const audit_entry *e, char *err, size_t err_size);

/* An audit log held open across one mutation, so that its outcome (or, from a signal handler,
 * its interruption) can still be written when the disk or the directory has changed. */
typedef struct audit_log audit_log;
/* Opens path O_APPEND|O_CREAT (mode 0600, the directory made 0700 if missing), refusing a
 * symbolic link or anything but a regular file. A last line left torn by an earlier crash is
 * ended, so that the next entry is never glued to it. NULL with err on failure. */
audit_log *audit_log_open(const char *path, char *err, size_t err_size);
/* Writes e as one whole line with a single write() under an exclusive lock; a short write
 * (full disk, file size limit) is cut back off, so the log never holds a torn line.
 * Returns 0, or -1 with err. */
int audit_log_write(audit_log *log, const audit_entry *e, char *err, size_t err_size);
/* The line e would be (with its newline), to write later with audit_log_write_line; NULL on
 * failure. Free with free(). */
char *audit_format(const audit_entry *e);
/* Writes a line made by audit_format whole or not at all. Async-signal-safe (no lock, no
 * allocation): for a signal handler. Returns 0 or -1. */
int audit_log_write_line(const audit_log *log, const char *line, size_t len);
void audit_log_close(audit_log *log);

/* A write-ahead intent that no outcome closed (the program was killed, or a signal ended it
 * while it waited for the answer). */
typedef struct audit_intent {
    char *id;
    char *time;
    char *profile;
    char *app_id;
    char *solution_id; /* NULL for a create */
    char *action;
    char *detail;      /* the intent's detail (a create's name) */
    bool interrupted;  /* an "interrupted" line says which signal ended it */
} audit_intent;
/* The intents in the log at path left without an outcome, oldest first. A missing log has
 * none. Returns 0 with *out (free with audit_intents_free) and *count, or -1 with err. */
int audit_open_intents(const char *path, audit_intent **out, size_t *count, char *err,
                       size_t err_size);
void audit_intents_free(audit_intent *v, size_t count);
/* A fresh id for an intent: 16 hex digits. */
void audit_new_intent_id(char out[17]);

/* ------------------------------------------------------------------------------ themes */

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
