/* Entry point: process-wide set-up that must happen before any thread or curses, then the CLI. */
#include <curl/curl.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>

#include "mpsdash/cli.h"

int main(int argc, char **argv)
{
    /* Tokens live in this process: keep them out of core dumps and ptrace by other users. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    setlocale(LC_ALL, "");
    /* A peer closing a socket must be an error return, never a fatal signal. */
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    int rc = cli_main(argc, argv);
    curl_global_cleanup();
    return rc;
}
