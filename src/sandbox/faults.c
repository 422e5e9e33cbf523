/* Fault specifications for the sandbox's control API: the kinds, and parsing a request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"

/* kind name -> kind, and whether its answer replaces the one the API would give */
static const struct {
    const char *name;
    sbx_fault_kind kind;
    bool replaces;
} kinds[] = {
    {"latency", SBX_F_LATENCY, false},    {"hang", SBX_F_HANG, true},
    {"reset", SBX_F_RESET, true},         {"status503", SBX_F_503, true},
    {"status500", SBX_F_500, true},       {"truncate", SBX_F_TRUNCATE, false},
    {"ratelimit", SBX_F_RATELIMIT, true}, {"expired", SBX_F_EXPIRED, true},
    {"huge", SBX_F_HUGE, true},           {"deep", SBX_F_DEEP, true},
    {"malformed", SBX_F_MALFORMED, true}, {"nonobject", SBX_F_NONOBJECT, true},
    {"selflink", SBX_F_SELFLINK, false},  {"cycle", SBX_F_CYCLE, false},
    {"answer", SBX_F_ANSWER, true},       {"echo_token", SBX_F_ECHO_TOKEN, true},
    {"respell", SBX_F_RESPELL, false},    {"trickle", SBX_F_TRICKLE, false},
};

const char *sbx_fault_kind_name(sbx_fault_kind k)
{
    for (size_t i = 0; i < COUNT_OF(kinds); i++)
        if (kinds[i].kind == k)
            return kinds[i].name;
    return "none";
}

bool sbx_fault_replaces_answer(sbx_fault_kind k)
{
    for (size_t i = 0; i < COUNT_OF(kinds); i++)
        if (kinds[i].kind == k)
            return kinds[i].replaces;
    return false;
}

static bool get_int(json_object *spec, const char *key, int *out, int lo, int hi, char *err,
                    size_t err_size)
{
    json_object *v;
    if (!json_object_object_get_ex(spec, key, &v))
        return true;
    if (!json_object_is_type(v, json_type_int)) {
        snprintf(err, err_size, "\"%s\" must be an integer", key);
        return false;
    }
    int64_t n = json_object_get_int64(v);
    if (n < lo || n > hi) {
        snprintf(err, err_size, "\"%s\" must be between %d and %d", key, lo, hi);
        return false;
    }
    *out = (int)n;
    return true;
}

bool sbx_fault_parse(json_object *spec, sbx_fault *f, char *err, size_t err_size)
{
    memset(f, 0, sizeof *f);
    f->times = 1;
    f->regain_minutes = 1;
    if (!json_object_is_type(spec, json_type_object)) {
        snprintf(err, err_size, "a fault is a JSON object");
        return false;
    }
    json_object *v;
    if (!json_object_object_get_ex(spec, "kind", &v) || !json_object_is_type(v, json_type_string)) {
        snprintf(err, err_size, "\"kind\" is required");
        return false;
    }
    const char *kind = json_object_get_string(v);
    for (size_t i = 0; i < COUNT_OF(kinds); i++)
        if (strcmp(kinds[i].name, kind) == 0)
            f->kind = kinds[i].kind;
    if (f->kind == SBX_F_NONE) {
        snprintf(err, err_size, "unknown kind \"%.40s\"", kind);
        return false;
    }
    if (json_object_object_get_ex(spec, "match", &v)) {
        if (!json_object_is_type(v, json_type_string)) {
            snprintf(err, err_size, "\"match\" must be a string");
            return false;
        }
        const char *m = json_object_get_string(v);
        if (strcmp(m, "*") != 0) {
            const char *sp = strchr(m, ' ');
            size_t mlen = sp ? (size_t)(sp - m) : strlen(m);
            if (mlen == 0 || mlen >= sizeof f->method) {
                snprintf(err, err_size,
                         "\"match\" is \"METHOD /path-suffix\", \"METHOD\" or \"*\"");
                return false;
            }
            memcpy(f->method, m, mlen);
            f->method[mlen] = '\0';
            if (sp && sp[1])
                f->suffix = mps_xstrdup(sp + 1);
        }
    }
    if (!get_int(spec, "times", &f->times, -1, 1000000, err, err_size) ||
        !get_int(spec, "skip", &f->skip, 0, 1000000, err, err_size) ||
        !get_int(spec, "ms", &f->ms, 0, 3600000, err, err_size) ||
        !get_int(spec, "regain_minutes", &f->regain_minutes, 0, 1440, err, err_size) ||
        !get_int(spec, "status", &f->status, 100, 599, err, err_size)) {
        free(f->suffix);
        f->suffix = NULL;
        return false;
    }
    if (f->times == 0)
        f->times = 1;
    if (json_object_object_get_ex(spec, "body", &v)) {
        if (!json_object_is_type(v, json_type_string) ||
            (size_t)json_object_get_string_len(v) >= sizeof f->body) {
            snprintf(err, err_size, "\"body\" must be a string of less than %zu bytes",
                     sizeof f->body);
            free(f->suffix);
            f->suffix = NULL;
            return false;
        }
        memcpy(f->body, json_object_get_string(v), (size_t)json_object_get_string_len(v) + 1);
    }
    if (json_object_object_get_ex(spec, "apply", &v))
        f->apply = json_object_get_boolean(v);
    return true;
}
