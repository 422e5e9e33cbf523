/* Fuzz harness for the config and theme loaders: any input must give either a config/theme or
 * an error naming the file, never a crash, leak or command run. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/config.h"
#include "mpsdash/theme.h"

/* libconfig 1.5 leaks scanner strings when a syntax error follows a string literal
 * (fixed in later libconfig releases); only those scanner frames are excused. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

static void check(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024] = "";
    mps_config *cfg = NULL;
    int rc = config_parse_string((const char *)data, size, "fuzz.conf", &cfg, err, sizeof err);
    if (rc == 0) {
        check(cfg != NULL);
        for (size_t i = 0; i < cfg->profile_count; i++) {
            check(cfg->profiles[i].name != NULL);
            /* NO_SECRETS: a fuzzed token_command must never be run. */
            resolved_profile rp;
            char rerr[1024];
            if (profile_resolve(cfg, cfg->profiles[i].name, NULL, PROFILE_RESOLVE_NO_SECRETS, &rp,
                                rerr, sizeof rerr) == 0) {
                check(rp.app_id != NULL && rp.graph_url != NULL && rp.token == NULL);
                check(rp.token_source.kind != SECRET_NONE);
            }
            resolved_profile_clear(&rp);
        }
        for (size_t i = 0; i < cfg->key_count; i++)
            check(cfg->keys[i].request && cfg->keys[i].spec);
        config_free(cfg);
    } else {
        check(cfg == NULL && strncmp(err, "fuzz.conf", 9) == 0);
    }

    theme t;
    rc = theme_parse_string((const char *)data, size, "fuzz.theme", &t, err, sizeof err);
    if (rc != 0)
        check(strncmp(err, "fuzz.theme", 10) == 0);
    for (int r = 0; r < THEME_ROLE_COUNT; r++) {
        check(t.styles[r].fg >= THEME_COLOR_DEFAULT && t.styles[r].fg < 256);
        check(t.styles[r].bg >= THEME_COLOR_DEFAULT && t.styles[r].bg < 256);
        check(t.styles[r].fg8 >= THEME_COLOR_DEFAULT && t.styles[r].fg8 < 8);
        check(t.styles[r].bg8 >= THEME_COLOR_DEFAULT && t.styles[r].bg8 < 8);
    }
    return 0;
}
