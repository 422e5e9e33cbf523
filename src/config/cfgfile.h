/* Shared by config.c and theme.c: reading a libconfig file safely (no @include, size cap,
 * errors as "FILE:LINE: problem"). Private to src/config. */
#ifndef MPSDASH_CFGFILE_H
#define MPSDASH_CFGFILE_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#define CFGFILE_MAX (1024 * 1024)

/* Reads a whole file (regular, at most CFGFILE_MAX, no NUL bytes). With `guarded`, the file
 * must belong to the user or root and not be writable by group or others.
 * Returns 0, 1 when the file does not exist (err filled too), or -1. */
int cfgfile_read(const char *path, bool guarded, char **text, size_t *len, char *err,
                 size_t err_size);
/* Refuses @include and NUL bytes, then parses with libconfig into an initialised cf. */
int cfgfile_parse(config_t *cf, const char *text, size_t len, const char *name, char *err,
                  size_t err_size);
/* "NAME:LINE: message" for a setting (LINE left out when unknown). Always returns -1. */
int cfgfile_error(char *err, size_t err_size, const char *name, const config_setting_t *s,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Edit distance between two short words (capped at 9), for "did you mean" hints. */
int cfgfile_distance(const char *a, const char *b);
/* "string", "integer", "group", ... for messages. */
const char *cfgfile_type_name(const config_setting_t *s);

#endif
