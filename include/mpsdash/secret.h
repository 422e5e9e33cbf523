/* Secrets (tokens, app secrets, verify tokens): where one comes from, reading it from an
 * environment variable, a guarded file or a command, and forgetting it. The order the sources
 * are tried in is the config file's (config.h). Part of mps_config. */
#ifndef MPSDASH_SECRET_H
#define MPSDASH_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_COMMAND_TIMEOUT_MS 10000

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

#endif
