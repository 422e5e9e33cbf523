/* The config file: safe libconfig loading, a strict schema (unknown keys and wrong types are
 * errors with their line), profiles, and resolving a profile into something ready to use. */
#include "mpsdash/config.h"
#include "mpsdash/alloc.h"
#include "mpsdash/audit.h"
#include "mpsdash/paths.h"

#include "cfgfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mpsdash/model.h"
#include "mpsdash/util.h"

/* ================================================================== safe libconfig reading */

int cfgfile_error(char *err, size_t err_size, const char *name, const config_setting_t *s,
                  const char *fmt, ...)
{
    mps_errtext msg;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = s ? (int)config_setting_source_line(s) : 0;
    if (line > 0)
        snprintf(err, err_size, "%s:%d: %s", name, line, msg);
    else
        snprintf(err, err_size, "%s: %s", name, msg);
    return -1;
}

int cfgfile_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 9;
    int row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            int best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] > 9 ? 9 : row[lb];
}

const char *cfgfile_type_name(const config_setting_t *s)
{
    static const char *const names[] = {
        [CONFIG_TYPE_NONE] = "nothing",   [CONFIG_TYPE_GROUP] = "a group",
        [CONFIG_TYPE_INT] = "an integer", [CONFIG_TYPE_INT64] = "an integer",
        [CONFIG_TYPE_FLOAT] = "a number", [CONFIG_TYPE_STRING] = "a string",
        [CONFIG_TYPE_BOOL] = "a boolean", [CONFIG_TYPE_ARRAY] = "an array",
        [CONFIG_TYPE_LIST] = "a list",
    };
    int t = config_setting_type(s);
    return (t >= 0 && (size_t)t < COUNT_OF(names) && names[t]) ? names[t] : "a value";
}

int cfgfile_read(const char *path, bool guarded, char **text, size_t *len, char *err,
                 size_t err_size)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        snprintf(err, err_size, "%s: %s", path, strerror(e));
        return e == ENOENT ? 1 : -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    /* The config can name a token_command: a file others can change would let them run code
     * as this user (the rule OpenSSH applies to ~/.ssh/config). */
    if (guarded && st.st_uid != getuid() && st.st_uid != 0) {
        snprintf(err, err_size, "%s: belongs to uid %u, not to you (uid %u)", path,
                 (unsigned)st.st_uid, (unsigned)getuid());
        close(fd);
        return -1;
    }
    if (guarded && (st.st_mode & 022)) {
        snprintf(err, err_size, "%s: writable by group or others (mode %04o); run chmod go-w %s",
                 path, (unsigned)(st.st_mode & 07777), path);
        close(fd);
        return -1;
    }
    if (st.st_size > (off_t)CFGFILE_MAX) {
        snprintf(err, err_size, "%s: larger than %d bytes", path, CFGFILE_MAX);
        close(fd);
        return -1;
    }
    char *buf = mps_xmalloc(CFGFILE_MAX + 1);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, CFGFILE_MAX + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, err_size, "%s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > (size_t)CFGFILE_MAX) {
            snprintf(err, err_size, "%s: larger than %d bytes", path, CFGFILE_MAX);
            free(buf);
            close(fd);
            return -1;
        }
    }
    close(fd);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

/* Finds an @include directive outside strings and comments, the way libconfig's scanner would
 * see it. libconfig 1.5 has no hook to refuse includes, so they are refused before parsing. */
static int find_include(const char *t, size_t len)
{
    enum { CODE, STRING, LINE_COMMENT, BLOCK_COMMENT } st = CODE;
    int line = 1;
    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (c == '\n') {
            line++;
            if (st == LINE_COMMENT)
                st = CODE;
            continue;
        }
        switch (st) {
        case CODE:
            if (c == '"')
                st = STRING;
            else if (c == '#' || (c == '/' && i + 1 < len && t[i + 1] == '/'))
                st = LINE_COMMENT;
            else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
                st = BLOCK_COMMENT;
                i++;
            } else if (c == '@' && len - i >= 8 && strncasecmp(t + i, "@include", 8) == 0)
                return line;
            break;
        case STRING:
            if (c == '\\' && i + 1 < len && t[i + 1] != '\n')
                i++;
            else if (c == '"')
                st = CODE;
            break;
        case BLOCK_COMMENT:
            if (c == '*' && i + 1 < len && t[i + 1] == '/') {
                st = CODE;
                i++;
            }
            break;
        case LINE_COMMENT:
            break;
        }
    }
    return 0;
}

int cfgfile_parse(config_t *cf, const char *text, size_t len, const char *name, char *err,
                  size_t err_size)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        int line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        snprintf(err, err_size, "%s:%d: NUL byte in the file", name, line);
        return -1;
    }
    int inc = find_include(text, len);
    if (inc) {
        snprintf(err, err_size,
                 "%s:%d: @include is not allowed: keep the whole configuration "
                 "in this one file",
                 name, inc);
        return -1;
    }
    /* The text must be NUL-terminated for libconfig; callers read it that way, but a copy
     * makes the fuzz harness and in-memory callers safe too. */
    char *copy = mps_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    config_set_include_dir(cf, "/nonexistent/mpsdash-includes-are-refused");
    int ok = config_read_string(cf, copy);
    free(copy);
    if (ok != CONFIG_TRUE) {
        const char *why = config_error_text(cf) ? config_error_text(cf) : "cannot parse";
        if (config_error_line(cf) > 0)
            snprintf(err, err_size, "%s:%d: %s", name, config_error_line(cf), why);
        else
            snprintf(err, err_size, "%s: %s", name, why);
        return -1;
    }
    return 0;
}

/* ================================================================== the schema */

typedef struct load_ctx {
    const char *name; /* file name for messages */
    char *err;
    size_t err_size;
    const char *where; /* " in profile 'prod'" or "" */
} load_ctx;

typedef int (*field_apply)(load_ctx *cx, const config_setting_t *s, void *slot);

typedef struct field {
    const char *name;
    field_apply apply;
    size_t offset;
} field;

static int want_type(load_ctx *cx, const config_setting_t *s, int type, const char *what)
{
    if (config_setting_type(s) == type)
        return 0;
    return cfgfile_error(cx->err, cx->err_size, cx->name, s, "'%s'%s must be %s, not %s",
                         config_setting_name(s), cx->where, what, cfgfile_type_name(s));
}

static int store_string(load_ctx *cx, const config_setting_t *s, char **slot, const char *value)
{
    free(*slot);
    *slot = mps_xstrdup(value);
    return 0;
}

/* Control characters in a value would end up on the screen or in a header. */
static int plain_string(load_ctx *cx, const config_setting_t *s, const char **out)
{
    if (want_type(cx, s, CONFIG_TYPE_STRING, "a string in quotes") != 0)
        return -1;
    const char *v = config_setting_get_string(s);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f) {
            cfgfile_error(cx->err, cx->err_size, cx->name, s, "'%s'%s holds a control character",
                          config_setting_name(s), cx->where);
            return -1; /* and *out untouched: the callers read it only on success */
        }
    *out = v;
    return 0;
}

static int apply_string(load_ctx *cx, const config_setting_t *s, void *slot)
{
    const char *v;
    if (plain_string(cx, s, &v) != 0)
        return -1;
    if (!*v)
        return cfgfile_error(cx->err, cx->err_size, cx->name, s, "'%s'%s is empty",
                             config_setting_name(s), cx->where);
    return store_string(cx, s, slot, v);
}

static int apply_path(load_ctx *cx, const config_setting_t *s, void *slot)
{
    if (apply_string(cx, s, slot) != 0)
        return -1;
    char **p = slot;
    char *expanded = paths_expand_home(*p);
    free(*p);
    *p = expanded;
    return 0;
}

static bool all_digits(const char *v)
{
    if (!*v || strlen(v) > 32)
        return false;
    for (; *v; v++)
        if (!isdigit((unsigned char)*v))
            return false;
    return true;
}

static int apply_id(load_ctx *cx, const config_setting_t *s, void *slot)
{
    int t = config_setting_type(s);
    /* libconfig 1.5 silently wraps integers beyond 32 bits, and Graph ids are longer. */
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "'%s'%s must be written in quotes (\"1234...\"): an unquoted number "
                             "this long is not read back exactly",
                             config_setting_name(s), cx->where);
    const char *v;
    if (plain_string(cx, s, &v) != 0)
        return -1;
    if (!all_digits(v))
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "'%s'%s must be a Graph id (digits only), not \"%s\"",
                             config_setting_name(s), cx->where, v);
    return store_string(cx, s, slot, v);
}

/* Why a Graph base URL is refused, or NULL: https, or plain http to loopback (the sandbox). */
static const char *url_problem(const char *url)
{
    const char *host;
    bool tls;
    if (strncmp(url, "https://", 8) == 0) {
        host = url + 8;
        tls = true;
    } else if (strncmp(url, "http://", 7) == 0) {
        host = url + 7;
        tls = false;
    } else {
        return "must start with https:// (or http:// for a loopback address)";
    }
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return "holds a space, control or non-ASCII character";
    if (strpbrk(url, "?#"))
        return "must not hold a query or fragment";
    const char *end;
    if (*host == '[') {
        end = strchr(host, ']');
        if (!end)
            return "has an unclosed [ in the host";
        end++;
    } else {
        end = host + strcspn(host, ":/");
    }
    size_t hlen = (size_t)(end - host);
    if (hlen == 0)
        return "has no host";
    if (memchr(host, '@', hlen) || strchr(host, '@'))
        return "must not hold user information (@)";
    if (!tls) {
        static const char *const loopback[] = {"127.0.0.1", "localhost", "[::1]"};
        bool ok = false;
        for (size_t i = 0; i < COUNT_OF(loopback); i++)
            if (strlen(loopback[i]) == hlen && strncmp(host, loopback[i], hlen) == 0)
                ok = true;
        if (!ok)
            return "uses plain http:// to a host that is not loopback: use https://";
    }
    return NULL;
}

static int apply_url(load_ctx *cx, const config_setting_t *s, void *slot)
{
    const char *v;
    if (plain_string(cx, s, &v) != 0)
        return -1;
    const char *why = url_problem(v);
    if (why)
        return cfgfile_error(cx->err, cx->err_size, cx->name, s, "'%s'%s %s",
                             config_setting_name(s), cx->where, why);
    return store_string(cx, s, slot, v);
}

static int apply_version(load_ctx *cx, const config_setting_t *s, void *slot)
{
    const char *v;
    if (plain_string(cx, s, &v) != 0)
        return -1;
    if (!api_version_ok(v))
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "'%s'%s must look like \"" MPS_DEFAULT_API_VERSION "\", not \"%s\"",
                             config_setting_name(s), cx->where, v);
    return store_string(cx, s, slot, v);
}

/* A Meta token is also letters and digits: a long value, or one starting like a token
 * ("EAA..."), was most likely pasted in place of the variable's name. */
static bool looks_like_token(const char *v)
{
    size_t n = strlen(v);
    return n > 64 || (n > 20 && strncmp(v, "EAA", 3) == 0);
}

static bool env_name_ok(const char *v)
{
    if (looks_like_token(v))
        return false;
    if (!(isalpha((unsigned char)*v) || *v == '_'))
        return false;
    for (; *v; v++)
        if (!(isalnum((unsigned char)*v) || *v == '_'))
            return false;
    return true;
}

static int apply_env_name(load_ctx *cx, const config_setting_t *s, void *slot)
{
    const char *v;
    if (plain_string(cx, s, &v) != 0)
        return -1;
    if (!env_name_ok(v))
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "'%s'%s must be the name of an environment variable "
                             "(letters, digits, _), not the secret itself",
                             config_setting_name(s), cx->where);
    return store_string(cx, s, slot, v);
}

static int apply_interval(load_ctx *cx, const config_setting_t *s, void *slot)
{
    if (want_type(cx, s, CONFIG_TYPE_INT, "a number of seconds") != 0)
        return -1;
    int v = config_setting_get_int(s);
    if (v < 0 || v > 86400)
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "'%s'%s must be between 0 (off) and 86400 seconds",
                             config_setting_name(s), cx->where);
    *(int *)slot = v;
    return 0;
}

static int apply_timeout(load_ctx *cx, const config_setting_t *s, void *slot)
{
    if (want_type(cx, s, CONFIG_TYPE_INT, "a number of seconds") != 0)
        return -1;
    int v = config_setting_get_int(s);
    if (v < 1 || v > 86400)
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "'%s'%s must be between 1 and 86400 seconds", config_setting_name(s),
                             cx->where);
    *(int *)slot = v;
    return 0;
}

static int apply_bool(load_ctx *cx, const config_setting_t *s, void *slot)
{
    if (want_type(cx, s, CONFIG_TYPE_BOOL, "true or false") != 0)
        return -1;
    *(bool *)slot = config_setting_get_bool(s) != 0;
    return 0;
}

/* true: facility user; false: off; or a facility's name. */
static int apply_syslog(load_ctx *cx, const config_setting_t *s, void *slot)
{
    char **p = slot;
    free(*p);
    *p = NULL;
    if (config_setting_type(s) == CONFIG_TYPE_BOOL) {
        if (config_setting_get_bool(s))
            *p = mps_xstrdup("user");
        return 0;
    }
    const char *v;
    if (config_setting_type(s) != CONFIG_TYPE_STRING || plain_string(cx, s, &v) != 0 ||
        !audit_syslog_facility_known(v))
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "'audit_syslog' takes true, false or a syslog facility (%s)",
                             audit_syslog_facilities());
    return store_string(cx, s, slot, v);
}

/* A setting that takes one of a few words: *index gets the word's place in words. The error
 * names them all ("'confirm' must be "yes" or "typed", not "always""). */
static int pick_word(load_ctx *cx, const config_setting_t *s, const char *const *words, size_t n,
                     size_t *index)
{
    const char *v;
    if (plain_string(cx, s, &v) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, words[i]) == 0) {
            *index = i;
            return 0;
        }
    char list[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"",
                                 i == 0       ? ""
                                 : i + 1 == n ? " or "
                                              : ", ",
                                 words[i]);
    return cfgfile_error(cx->err, cx->err_size, cx->name, s, "'%s' must be %s, not \"%s\"",
                         config_setting_name(s), list, v);
}

static int apply_confirm(load_ctx *cx, const config_setting_t *s, void *slot)
{
    static const char *const words[] = {"yes", "typed"}; /* config_confirm's order */
    size_t i = 0;
    if (pick_word(cx, s, words, COUNT_OF(words), &i) != 0)
        return -1;
    *(config_confirm *)slot = (config_confirm)i;
    return 0;
}

static int apply_joiners(load_ctx *cx, const config_setting_t *s, void *slot)
{
    static const char *const words[] = {"auto", "joined", "split"}; /* config_joiners' order */
    size_t i = 0;
    if (pick_word(cx, s, words, COUNT_OF(words), &i) != 0)
        return -1;
    *(config_joiners *)slot = (config_joiners)i;
    return 0;
}

/* notify = "bell" | "osc9" | "osc777" | "none", or a list of the first three. */
static int apply_notify(load_ctx *cx, const config_setting_t *s, void *slot)
{
    static const struct {
        const char *word;
        unsigned bit;
    } ways[] = {{"bell", CONFIG_NOTIFY_BELL},
                {"osc9", CONFIG_NOTIFY_OSC9},
                {"osc777", CONFIG_NOTIFY_OSC777},
                {"none", 0}};
    bool list =
        config_setting_type(s) == CONFIG_TYPE_LIST || config_setting_type(s) == CONFIG_TYPE_ARRAY;
    int n = list ? config_setting_length(s) : 1;
    unsigned bits = 0;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = list ? config_setting_get_elem(s, (unsigned)i) : s;
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return cfgfile_error(cx->err, cx->err_size, cx->name, e,
                                 "'notify' takes \"bell\", \"osc9\", \"osc777\" or \"none\" "
                                 "(or a list of them), not %s",
                                 cfgfile_type_name(e));
        const char *v = config_setting_get_string(e);
        size_t k = 0;
        while (k < COUNT_OF(ways) && strcmp(v, ways[k].word) != 0)
            k++;
        if (k == COUNT_OF(ways) || (ways[k].bit == 0 && n > 1))
            return cfgfile_error(cx->err, cx->err_size, cx->name, e,
                                 "'notify' takes \"bell\", \"osc9\", \"osc777\" or \"none\", "
                                 "not \"%s\"",
                                 v);
        bits |= ways[k].bit;
    }
    *(unsigned *)slot = bits;
    return 0;
}

/* Looks a setting up in a table; unknown names are errors with a "did you mean" hint. */
static const field *field_find(load_ctx *cx, const field *table, size_t n,
                               const config_setting_t *s)
{
    const char *name = config_setting_name(s);
    const char *best = NULL;
    int best_d = 3;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
        int d = cfgfile_distance(name, table[i].name);
        if (d < best_d) {
            best_d = d;
            best = table[i].name;
        }
    }
    if (best)
        cfgfile_error(cx->err, cx->err_size, cx->name, s,
                      "unknown setting '%s'%s (did you mean '%s'?)", name ? name : "?", cx->where,
                      best);
    else
        cfgfile_error(cx->err, cx->err_size, cx->name, s, "unknown setting '%s'%s",
                      name ? name : "?", cx->where);
    return NULL;
}

static int apply_table(load_ctx *cx, const field *table, size_t n, const config_setting_t *group,
                       void *obj)
{
    int count = config_setting_length(group);
    for (int i = 0; i < count; i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const field *f = field_find(cx, table, n, s);
        if (!f || f->apply(cx, s, (char *)obj + f->offset) != 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- partner_businesses */

typedef struct partner_pair {
    char *app;
    char *business;
} partner_pair;

static const field partner_fields[] = {
    {"app", apply_id, offsetof(partner_pair, app)},
    {"business", apply_id, offsetof(partner_pair, business)},
};

/* slot is the list field; its count sits beside it, so the handler takes the whole struct. */
static int apply_partners(load_ctx *cx, const config_setting_t *s, void *slot)
{
    mps_profile *p = (mps_profile *)((char *)slot - offsetof(mps_profile, partners));
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_LIST && !(t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0))
        return cfgfile_error(cx->err, cx->err_size, cx->name, s,
                             "'partner_businesses'%s must be a list: ( { app = \"...\"; "
                             "business = \"...\"; }, ... ), not %s",
                             cx->where, cfgfile_type_name(s));
    int n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            return cfgfile_error(cx->err, cx->err_size, cx->name, e,
                                 "each entry of 'partner_businesses'%s must be a group "
                                 "{ app = \"...\"; business = \"...\"; }",
                                 cx->where);
        partner_pair pair = {0};
        int rc = apply_table(cx, partner_fields, COUNT_OF(partner_fields), e, &pair);
        if (rc == 0 && (!pair.app || !pair.business))
            rc = cfgfile_error(cx->err, cx->err_size, cx->name, e,
                               "an entry of 'partner_businesses'%s needs both app and business",
                               cx->where);
        if (rc == 0) {
            p->partners = mps_xreallocarray(p->partners, p->partner_count + 1, sizeof *p->partners);
            p->partners[p->partner_count].app_id = pair.app;
            p->partners[p->partner_count].business_id = pair.business;
            p->partner_count++;
            continue;
        }
        free(pair.app);
        free(pair.business);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- profiles */

static const field profile_fields[] = {
    {"app_id", apply_id, offsetof(mps_profile, app_id)},
    {"business_id", apply_id, offsetof(mps_profile, business_id)},
    {"graph_url", apply_url, offsetof(mps_profile, graph_url)},
    {"api_version", apply_version, offsetof(mps_profile, api_version)},
    {"token_env", apply_env_name, offsetof(mps_profile, token_env)},
    {"token_file", apply_path, offsetof(mps_profile, token_file)},
    {"token_command", apply_string, offsetof(mps_profile, token_command)},
    {"app_secret_env", apply_env_name, offsetof(mps_profile, app_secret_env)},
    {"app_secret_file", apply_path, offsetof(mps_profile, app_secret_file)},
    {"app_secret_command", apply_string, offsetof(mps_profile, app_secret_command)},
    {"verify_token_env", apply_env_name, offsetof(mps_profile, verify_token_env)},
    {"verify_token_file", apply_path, offsetof(mps_profile, verify_token_file)},
    {"verify_token_command", apply_string, offsetof(mps_profile, verify_token_command)},
    {"ca_file", apply_path, offsetof(mps_profile, ca_file)},
    {"events_file", apply_path, offsetof(mps_profile, events_file)},
    {"refresh_interval", apply_interval, offsetof(mps_profile, refresh_interval)},
    {"readonly", apply_bool, offsetof(mps_profile, readonly)},
    {"partner_businesses", apply_partners, offsetof(mps_profile, partners)},
};

static void profile_clear(mps_profile *p)
{
    char **strings[] = {
        &p->name,           &p->app_id,           &p->business_id,        &p->graph_url,
        &p->api_version,    &p->token_env,        &p->token_file,         &p->token_command,
        &p->app_secret_env, &p->app_secret_file,  &p->app_secret_command, &p->ca_file,
        &p->events_file,    &p->verify_token_env, &p->verify_token_file,  &p->verify_token_command};
    for (size_t i = 0; i < COUNT_OF(strings); i++) {
        free(*strings[i]);
        *strings[i] = NULL;
    }
    for (size_t i = 0; i < p->partner_count; i++) {
        free(p->partners[i].app_id);
        free(p->partners[i].business_id);
    }
    free(p->partners);
    p->partners = NULL;
    p->partner_count = 0;
}

/* slot is the list field; its count sits beside it, so the handler takes the whole struct. */
static int apply_profiles(load_ctx *cx, const config_setting_t *s, void *slot)
{
    mps_config *cfg = (mps_config *)((char *)slot - offsetof(mps_config, profiles));
    if (want_type(cx, s, CONFIG_TYPE_GROUP, "a group: profiles = { prod = { ... }; }") != 0)
        return -1;
    int n = config_setting_length(s);
    if (n > 0) {
        cfg->profiles = mps_xcalloc((size_t)n, sizeof *cfg->profiles);
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *ps = config_setting_get_elem(s, (unsigned)i);
        const char *pname = config_setting_name(ps);
        if (config_setting_type(ps) != CONFIG_TYPE_GROUP)
            return cfgfile_error(cx->err, cx->err_size, cx->name, ps,
                                 "profile '%s' must be a group { app_id = \"...\"; ... }, not %s",
                                 pname, cfgfile_type_name(ps));
        mps_profile *p = &cfg->profiles[cfg->profile_count++];
        p->refresh_interval = -1;
        p->line = (int)config_setting_source_line(ps);
        p->name = mps_xstrdup(pname);
        char where[160];
        snprintf(where, sizeof where, " in profile '%s'", pname);
        const char *saved = cx->where;
        cx->where = where;
        int rc = apply_table(cx, profile_fields, COUNT_OF(profile_fields), ps, p);
        cx->where = saved;
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- keys */

static int key_add(load_ctx *cx, mps_config *cfg, const config_setting_t *s, const char *request)
{
    const char *spec;
    if (plain_string(cx, s, &spec) != 0)
        return -1;
    if (!*spec)
        return cfgfile_error(cx->err, cx->err_size, cx->name, s, "empty key for '%s'", request);
    cfg->keys = mps_xreallocarray(cfg->keys, cfg->key_count + 1, sizeof *cfg->keys);
    config_key *k = &cfg->keys[cfg->key_count];
    k->request = mps_xstrdup(request);
    k->spec = mps_xstrdup(spec);
    k->line = (int)config_setting_source_line(s);
    cfg->key_count++;
    return 0;
}

/* slot is the list field; its count sits beside it, so the handler takes the whole struct. */
static int apply_keys(load_ctx *cx, const config_setting_t *s, void *slot)
{
    mps_config *cfg = (mps_config *)((char *)slot - offsetof(mps_config, keys));
    if (want_type(cx, s, CONFIG_TYPE_GROUP, "a group: keys = { accept = \"a\"; }") != 0)
        return -1;
    int n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *ks = config_setting_get_elem(s, (unsigned)i);
        const char *request = config_setting_name(ks);
        if (config_setting_type(ks) == CONFIG_TYPE_ARRAY ||
            config_setting_type(ks) == CONFIG_TYPE_LIST) {
            int m = config_setting_length(ks);
            if (m == 0)
                return cfgfile_error(cx->err, cx->err_size, cx->name, ks, "no key given for '%s'",
                                     request);
            for (int j = 0; j < m; j++) {
                const config_setting_t *e = config_setting_get_elem(ks, (unsigned)j);
                if (config_setting_type(e) != CONFIG_TYPE_STRING)
                    return cfgfile_error(cx->err, cx->err_size, cx->name, ks,
                                         "the keys for '%s' must be strings", request);
                if (key_add(cx, cfg, e, request) != 0)
                    return -1;
            }
        } else if (config_setting_type(ks) == CONFIG_TYPE_STRING) {
            if (key_add(cx, cfg, ks, request) != 0)
                return -1;
        } else {
            return cfgfile_error(cx->err, cx->err_size, cx->name, ks,
                                 "the key for '%s' must be a string or a list of strings, not %s",
                                 request, cfgfile_type_name(ks));
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- top level */

static const field top_fields[] = {
    {"default_profile", apply_string, offsetof(mps_config, default_profile)},
    {"theme", apply_string, offsetof(mps_config, theme)},
    {"confirm", apply_confirm, offsetof(mps_config, confirm)},
    {"refresh_interval", apply_interval, offsetof(mps_config, refresh_interval)},
    {"timeout", apply_timeout, offsetof(mps_config, timeout)},
    {"mouse", apply_bool, offsetof(mps_config, mouse)},
    {"emoji_joiners", apply_joiners, offsetof(mps_config, emoji_joiners)},
    {"notify", apply_notify, offsetof(mps_config, notify)},
    {"audit_log", apply_path, offsetof(mps_config, audit_log)},
    {"audit_syslog", apply_syslog, offsetof(mps_config, audit_syslog)},
    {"keys", apply_keys, offsetof(mps_config, keys)},
    {"profiles", apply_profiles, offsetof(mps_config, profiles)},
};

mps_config *config_new_empty(void)
{
    mps_config *cfg = mps_xcalloc(1, sizeof *cfg);
    cfg->confirm = CONFIG_CONFIRM_YES;
    cfg->refresh_interval = CONFIG_DEFAULT_REFRESH;
    cfg->notify = CONFIG_NOTIFY_BELL;
    return cfg;
}

void config_free(mps_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free(cfg->default_profile);
    free(cfg->theme);
    free(cfg->audit_log);
    free(cfg->audit_syslog);
    for (size_t i = 0; i < cfg->key_count; i++) {
        free(cfg->keys[i].request);
        free(cfg->keys[i].spec);
    }
    free(cfg->keys);
    for (size_t i = 0; i < cfg->profile_count; i++)
        profile_clear(&cfg->profiles[i]);
    free(cfg->profiles);
    free(cfg);
}

static const mps_profile *profile_named(const mps_config *cfg, const char *name)
{
    for (size_t i = 0; cfg && i < cfg->profile_count; i++)
        if (strcmp(cfg->profiles[i].name, name) == 0)
            return &cfg->profiles[i];
    return NULL;
}

int config_parse_string(const char *text, size_t len, const char *name, mps_config **out, char *err,
                        size_t err_size)
{
    *out = NULL;
    if (!name)
        name = "config";
    config_t cf;
    config_init(&cf);
    if (cfgfile_parse(&cf, text, len, name, err, err_size) != 0) {
        config_destroy(&cf);
        return -1;
    }
    mps_config *cfg = config_new_empty();
    load_ctx cx = {name, err, err_size, ""};
    int rc = apply_table(&cx, top_fields, COUNT_OF(top_fields), config_root_setting(&cf), cfg);
    if (rc == 0 && cfg->default_profile && !profile_named(cfg, cfg->default_profile))
        rc = cfgfile_error(err, err_size, name, config_lookup(&cf, "default_profile"),
                           "default_profile '%s' is not one of the profiles", cfg->default_profile);
    config_destroy(&cf);
    if (rc == 0)
        cfg->path = mps_xstrdup(name);
    if (rc != 0) {
        config_free(cfg);
        return -1;
    }
    *out = cfg;
    return 0;
}

int config_load(const char *path, mps_config **out, char *err, size_t err_size)
{
    *out = NULL;
    char *owned = NULL;
    if (!path) {
        owned = paths_config_file();
        if (!owned) {
            /* No home directory: nothing to read, an empty configuration. */
            *out = config_new_empty();
            return 0;
        }
    }
    const char *file = path ? path : owned;
    char *text;
    size_t len;
    int r = cfgfile_read(file, true, &text, &len, err, err_size);
    if (r == 1 && !path) {
        free(owned);
        *out = config_new_empty();
        return 0;
    }
    if (r != 0) {
        free(owned);
        return -1;
    }
    int rc = config_parse_string(text, len, file, out, err, err_size);
    free(text);
    free(owned);
    return rc;
}

const mps_profile *config_profile(const mps_config *cfg, const char *name)
{
    if (!cfg)
        return NULL;
    if (name)
        return profile_named(cfg, name);
    if (cfg->default_profile)
        return profile_named(cfg, cfg->default_profile);
    return cfg->profile_count == 1 ? &cfg->profiles[0] : NULL;
}

int config_timeout_s(const mps_config *cfg, int given)
{
    return given > 0 ? given : cfg && cfg->timeout > 0 ? cfg->timeout : CONFIG_DEFAULT_TIMEOUT;
}

char *config_audit_log_path(const mps_config *cfg)
{
    if (cfg && cfg->audit_log)
        return mps_xstrdup(cfg->audit_log);
    return paths_audit_log();
}

/* ================================================================== resolving a profile */

void resolved_profile_clear(resolved_profile *rp)
{
    if (!rp)
        return;
    free(rp->name);
    free(rp->app_id);
    free(rp->business_id);
    free(rp->graph_url);
    free(rp->api_version);
    free(rp->ca_file);
    free(rp->events_file);
    for (size_t i = 0; i < rp->partner_count; i++) {
        free(rp->partners[i].app_id);
        free(rp->partners[i].business_id);
    }
    free(rp->partners);
    secret_source_clear(&rp->token_source);
    secret_source_clear(&rp->app_secret_source);
    secret_source_clear(&rp->verify_token_source);
    secret_free(rp->token);
    secret_free(rp->app_secret);
    secret_free(rp->verify_token);
    memset(rp, 0, sizeof *rp);
}

const char *resolved_partner_business(const resolved_profile *rp, const char *app_id)
{
    for (size_t i = 0; rp && app_id && i < rp->partner_count; i++)
        if (strcmp(rp->partners[i].app_id, app_id) == 0)
            return rp->partners[i].business_id;
    return NULL;
}

/* "a, b, c" of the configured profile names, for messages. */
static void profile_names(const mps_config *cfg, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; cfg && i < cfg->profile_count && used + 1 < size; i++) {
        int w = snprintf(out + used, size - used, "%s%s", i ? ", " : "", cfg->profiles[i].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Candidate sources for one secret, in the documented order. */
typedef struct source_list {
    secret_kind kind[3];
    const char *value[3];
    int count;
} source_list;

static void sources_add(source_list *l, secret_kind kind, const char *value)
{
    if (value && *value)
        l->kind[l->count] = kind, l->value[l->count++] = value;
}

/* Picks (and, with `load`, reads) one secret: an unset environment variable falls through to
 * the next source; any other failure stops with an error. */
static int secret_pick(const source_list *l, const char *what, const char *profile, bool load,
                       secret_source *src, char **value, char *err, size_t err_size)
{
    for (int i = 0; i < l->count; i++) {
        bool last = i == l->count - 1;
        if (l->kind[i] == SECRET_ENV && !last && !secret_env_present(l->value[i]))
            continue;
        src->kind = l->kind[i];
        src->value = mps_xstrdup(l->value[i]);
        if (!load)
            return 0;
        char why[1024];
        if (secret_load(src, what, value, why, sizeof why) != 0) {
            snprintf(err, err_size, "profile '%s': %s: %s", profile, what, why);
            return -1;
        }
        return 0;
    }
    return 1; /* nothing configured */
}

int profile_overrides_check(const profile_overrides *ov, char *err, size_t err_size)
{
    const char *why;
    if (ov->graph_url && (why = url_problem(ov->graph_url)))
        return snprintf(err, err_size, "--graph-url %s", why), -1;
    if (ov->api_version && !api_version_ok(ov->api_version))
        return snprintf(err, err_size, "--api-version must look like " MPS_DEFAULT_API_VERSION), -1;
    if (ov->app_id && !all_digits(ov->app_id))
        return snprintf(err, err_size, "--app-id must be a Graph id (digits only)"), -1;
    if (ov->token_env && !env_name_ok(ov->token_env))
        return snprintf(err, err_size,
                        "--token-env takes the name of an environment variable "
                        "(letters, digits, _), never the token itself"),
               -1;
    return 0;
}

int profile_resolve(const mps_config *cfg, const char *profile_name, const profile_overrides *ov,
                    unsigned flags, resolved_profile *out, char *err, size_t err_size)
{
    static const profile_overrides no_overrides;
    memset(out, 0, sizeof *out);
    if (!ov)
        ov = &no_overrides;
    if (profile_overrides_check(ov, err, err_size) != 0)
        return -1;
    const char *file = cfg && cfg->path ? cfg->path : "the config file";
    char names[512];
    profile_names(cfg, names, sizeof names);

    /* Command-line connection values with no profile named make a profile of their own: they
     * never silently borrow the default profile's token or app secret (which would then be
     * sent to a --graph-url it was never meant for). */
    bool cli_only = !profile_name && (ov->graph_url || ov->app_id || ov->token_env);
    if (cli_only && (!ov->app_id || !ov->token_env) && cfg && cfg->profile_count > 0) {
        snprintf(err, err_size,
                 "--graph-url, --app-id and --token-env without -p make a profile of their own "
                 "and need --app-id and --token-env; to change a profile of %s, name it with -p "
                 "(or MPSDASH_PROFILE)",
                 file);
        return -1;
    }
    const mps_profile *p = cli_only ? NULL : config_profile(cfg, profile_name);
    bool implicit = false;
    if (!p) {
        size_t count = cfg ? cfg->profile_count : 0;
        bool cli_named = profile_name && strcmp(profile_name, CONFIG_IMPLICIT_PROFILE) == 0;
        if (ov->app_id && (cli_named || cli_only || (!profile_name && count == 0))) {
            implicit = true;
        } else if (profile_name) {
            snprintf(err, err_size, "no profile '%s' in %s%s%s", profile_name, file,
                     count ? " (profiles: " : "", count ? names : "");
            if (count)
                strncat(err, ")", err_size - strlen(err) - 1);
            return -1;
        } else if (count > 1) {
            snprintf(err, err_size,
                     "%s has several profiles (%s) and no default_profile: "
                     "choose one with -p NAME",
                     file, names);
            return -1;
        } else {
            char *def = paths_config_file();
            snprintf(err, err_size,
                     "no profile configured: write one in %s, or pass --graph-url, "
                     "--app-id and --token-env",
                     cfg && cfg->path ? cfg->path
                     : def            ? def
                                      : "~/.config/mpsdash/config");
            free(def);
            return -1;
        }
    }

    static const mps_profile empty_profile = {.refresh_interval = -1};
    const mps_profile *pp = p ? p : &empty_profile;
    out->implicit = implicit;
    out->name = mps_xstrdup(p ? p->name : CONFIG_IMPLICIT_PROFILE);
    out->app_id = mps_xstrdup(ov->app_id ? ov->app_id : pp->app_id);
    out->business_id = mps_xstrdup(pp->business_id);
    out->graph_url = mps_xstrdup(ov->graph_url   ? ov->graph_url
                                 : pp->graph_url ? pp->graph_url
                                                 : MPS_DEFAULT_GRAPH_URL);
    out->api_version = mps_xstrdup(ov->api_version   ? ov->api_version
                                   : pp->api_version ? pp->api_version
                                                     : MPS_DEFAULT_API_VERSION);
    out->ca_file = mps_xstrdup(pp->ca_file);
    out->events_file = mps_xstrdup(pp->events_file);
    out->readonly = pp->readonly;
    out->refresh_interval = pp->refresh_interval >= 0 ? pp->refresh_interval
                            : cfg                     ? cfg->refresh_interval
                                                      : CONFIG_DEFAULT_REFRESH;
    if (pp->partner_count) {
        out->partners = mps_xcalloc(pp->partner_count, sizeof *out->partners);
        for (size_t i = 0; i < pp->partner_count; i++) {
            out->partners[i].app_id = mps_xstrdup(pp->partners[i].app_id);
            out->partners[i].business_id = mps_xstrdup(pp->partners[i].business_id);
            out->partner_count++;
        }
    }
    /* A trailing slash would double up when paths are appended. */
    for (size_t n = strlen(out->graph_url); n > 8 && out->graph_url[n - 1] == '/'; n--)
        out->graph_url[n - 1] = '\0';

    if (!out->app_id) {
        if (p)
            snprintf(err, err_size, "%s:%d: profile '%s' has no app_id", file, p->line, p->name);
        else
            snprintf(err, err_size, "no app id: pass --app-id");
        resolved_profile_clear(out);
        return -1;
    }

    bool load = !(flags & PROFILE_RESOLVE_NO_SECRETS);
    if (load) {
        /* Before any token_command runs: every variable some profile reads a secret from leaves
         * the environment (kept for a later :profile switch), so no child inherits it. */
        for (size_t i = 0; cfg && i < cfg->profile_count; i++) {
            secret_env_capture(cfg->profiles[i].token_env);
            secret_env_capture(cfg->profiles[i].app_secret_env);
            secret_env_capture(cfg->profiles[i].verify_token_env);
        }
        secret_env_capture(ov->token_env);
    }
    source_list tokens = {0};
    if (flags & PROFILE_RESOLVE_WEBHOOK) {
        /* The receiver never calls the Graph API: no access token, but the verify token. */
        source_list verify = {0};
        sources_add(&verify, SECRET_ENV, pp->verify_token_env);
        sources_add(&verify, SECRET_FILE, pp->verify_token_file);
        sources_add(&verify, SECRET_COMMAND, pp->verify_token_command);
        int vr = secret_pick(&verify, "verify token", out->name, load, &out->verify_token_source,
                             &out->verify_token, err, err_size);
        if (vr < 0) {
            resolved_profile_clear(out);
            return -1;
        }
    } else if (ov->token_env) {
        sources_add(&tokens, SECRET_ENV, ov->token_env); /* explicit: no fall-through */
    } else {
        sources_add(&tokens, SECRET_ENV, pp->token_env);
        sources_add(&tokens, SECRET_FILE, pp->token_file);
        sources_add(&tokens, SECRET_COMMAND, pp->token_command);
    }
    int r = (flags & PROFILE_RESOLVE_WEBHOOK)
                ? 0
                : secret_pick(&tokens, "token", out->name, load, &out->token_source, &out->token,
                              err, err_size);
    if (r == 1) {
        if (p)
            snprintf(err, err_size,
                     "%s:%d: profile '%s' has no token source: set token_env, "
                     "token_file or token_command, or pass --token-env VAR",
                     file, p->line, p->name);
        else
            snprintf(err, err_size,
                     "no token source: pass --token-env VAR (the name of an "
                     "environment variable holding the token)");
    }
    if (r != 0) {
        resolved_profile_clear(out);
        return -1;
    }

    source_list secrets = {0};
    sources_add(&secrets, SECRET_ENV, pp->app_secret_env);
    sources_add(&secrets, SECRET_FILE, pp->app_secret_file);
    sources_add(&secrets, SECRET_COMMAND, pp->app_secret_command);
    r = secret_pick(&secrets, "app secret", out->name, load, &out->app_secret_source,
                    &out->app_secret, err, err_size);
    if (r < 0) {
        resolved_profile_clear(out);
        return -1;
    }
    return 0;
}
