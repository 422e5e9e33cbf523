/* What a bug report needs: --version with the libraries this binary runs on (their own
 * run-time answers where the library gives one), and -v's API-usage line. */
#include <curl/curl.h>
#include <curses.h>
#include <gnu/libc-version.h>
#include <json-c/json.h>
#include <libconfig.h>
#include <libsmartcols.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <stdio.h>

#include "cli_internal.h"

void cli_print_version(FILE *out)
{
    fprintf(out, "mpsdash %s\n", MPSDASH_VERSION);
    const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    fprintf(out, "  libcurl       %s", cv->version);
    if (cv->ssl_version)
        fprintf(out, " (%s", cv->ssl_version);
    if (cv->nghttp2_version)
        fprintf(out, "%snghttp2/%s", cv->ssl_version ? ", " : " (", cv->nghttp2_version);
    fprintf(out, "%s\n", cv->ssl_version || cv->nghttp2_version ? ")" : "");
    fprintf(out, "  json-c        %s\n", json_c_version());
    /* libconfig reports no version at run time: the one built against */
    fprintf(out, "  libconfig     %d.%d.%d (built with)\n", LIBCONFIG_VER_MAJOR,
            LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION);
    fprintf(out, "  ncursesw      %s\n", curses_version());
    fprintf(out, "  libmicrohttpd %s\n", MHD_get_version());
    fprintf(out, "  OpenSSL       %s\n", OpenSSL_version(OPENSSL_VERSION));
    const char *scols = NULL;
    scols_get_library_version(&scols);
    fprintf(out, "  libsmartcols  %s\n", scols ? scols : "?");
    /* libjq 1.6 has no version call and Debian's libjq-dev no pkg-config file */
    fprintf(out, "  libjq         (the library reports no version)\n");
    fprintf(out, "  glibc         %s\n", gnu_get_libc_version());
}

void cli_usage_text(graph_usage u, char *buf, size_t size)
{
    if (u.max_percent < 0)
        snprintf(buf, size, "not reported by the server");
    else if (u.regain_minutes > 0)
        snprintf(buf, size, "%d%% of the app's rate limit (access back in about %d minutes)",
                 u.max_percent, u.regain_minutes);
    else
        snprintf(buf, size, "%d%% of the app's rate limit", u.max_percent);
}

void cli_usage_line(const graph_client *c)
{
    char text[160];
    cli_usage_text(graph_client_usage(c), text, sizeof text);
    fprintf(stderr, "mpsdash: API usage: %s\n", text);
}
