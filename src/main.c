/* Entry point: process-wide set-up that must happen before any thread or curses, then the CLI. */
#include <curl/curl.h>
#include <locale.h>
#include <signal.h>

#include "mpsdash/cli.h"
#include "mpsdash/config.h"

#if defined(__SANITIZE_ADDRESS__)
/* libconfig 1.5 leaks a few scanner bytes on some syntax errors; that is its bug, not ours, and
 * a config error must still exit with EXIT_CONFIG in sanitizer builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:strbuf_append\nleak:libconfig_yylex\n";
}
#endif

int main(int argc, char **argv)
{
    /* Tokens live in this process: keep them out of core dumps and ptrace by other users. */
    secret_harden_process();
    setlocale(LC_ALL, "");
    /* A peer closing a socket must be an error return, never a fatal signal. */
    signal(SIGPIPE, SIG_IGN);
    /* A file size limit reached (the audit log) must be a short write to report, not death. */
    signal(SIGXFSZ, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    int rc = cli_main(argc, argv);
    curl_global_cleanup();
    return rc;
}
