/* `mpsdash completion bash|zsh|fish`: completion scripts generated from the command and option
 * tables (nothing kept by hand), and the words they look up at completion time (themes and the
 * configuration's profiles). */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "mpsdash/state.h"
#include "mpsdash/theme.h"
#include "mpsdash/util.h"

static const char *const shells[] = {"bash", "zsh", "fish"};
static const char *const word_lists[] = {"themes", "profiles"};

int cli_check_completion(cli_ctx *ctx)
{
    for (size_t i = 0; i < COUNT_OF(shells); i++)
        if (strcmp(ctx->args[0], shells[i]) == 0)
            return EXIT_OK;
    for (size_t i = 0; i < COUNT_OF(word_lists); i++)
        if (strcmp(ctx->args[0], word_lists[i]) == 0)
            return EXIT_OK;
    char *safe = cli_safe(ctx->args[0]);
    cli_error("completion: '%s' is none of bash, zsh, fish (or themes, profiles)", safe);
    free(safe);
    fprintf(stderr, "Try 'mpsdash --help' for more information.\n");
    return EXIT_USAGE;
}

/* An option argument completed with file names. */
static bool file_option(const cli_option_view *o)
{
    return o->takes_arg && o->meta && (strcmp(o->meta, "FILE") == 0 || strcmp(o->meta, "F") == 0);
}

/* Every spelling of the options that match: all (scope_mask 0 and global) or one command's. */
static void put_options(FILE *out, bool global, unsigned long long scope_mask, bool only_args,
                        bool only_files)
{
    cli_option_view o;
    const char *sep = "";
    for (size_t i = 0; cli_option_at(i, &o); i++) {
        if (global ? o.scope != 0 : !(o.scope & scope_mask))
            continue;
        if ((only_args && !o.takes_arg) || (only_files && !file_option(&o)))
            continue;
        if (o.short_opt) {
            fprintf(out, "%s-%c", sep, o.short_opt);
            sep = " ";
        }
        fprintf(out, "%s--%s", sep, o.name);
        sep = " ";
    }
}

static void put_commands(FILE *out)
{
    size_t n;
    const cli_command *c = cli_command_table(&n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? " " : "", c[i].name);
}

static void put_filters(FILE *out)
{
    fputs("all", out);
    for (int st = 0; st < STATE_COUNT; st++)
        fprintf(out, " %s", state_key((mps_state)st));
}

static void put_words(FILE *out, const char *const *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? " " : "", w[i]);
}

/* Every option taking an argument, in both scopes. */
static void put_arg_options(FILE *out)
{
    put_options(out, true, 0, true, false);
    fputc(' ', out);
    put_options(out, false, ~0ull, true, false);
}

/* The bash functions, named by prefix (zsh reuses them through bashcompinit). */
static void bash_functions(FILE *out, const char *fn)
{
    fprintf(out, "%s_commands='", fn);
    put_commands(out);
    fprintf(out, "'\n%s_global_opts='", fn);
    put_options(out, true, 0, false, false);
    fprintf(out, "'\n%s_arg_opts=' ", fn);
    put_arg_options(out);
    fprintf(out, " '\n%s_file_opts=' ", fn);
    put_options(out, true, 0, true, true);
    fputc(' ', out);
    put_options(out, false, ~0ull, true, true);
    fprintf(out, " '\n%s_filters='", fn);
    put_filters(out);
    fprintf(out, "'\n\n%s_command_opts() {\n    case $1 in\n", fn);
    size_t n;
    const cli_command *c = cli_command_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (!c[i].opts)
            continue;
        fprintf(out, "    %s) echo '", c[i].name);
        put_options(out, false, c[i].opts, false, false);
        fputs("' ;;\n", out);
    }
    fputs("    '') echo '", out); /* no command yet: the dashboard's options */
    put_options(out, false, cli_dashboard()->opts, false, false);
    fputs("' ;;\n", out);
    fprintf(out, "    esac\n}\n\n");
    fprintf(
        out,
        "%s() {\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd='' w i\n"
        "    local -a cfg=()\n"
        "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "    COMPREPLY=()\n"
        "    # the command so far, and a -c FILE that profile names come from\n"
        "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "        w=${COMP_WORDS[i]}\n"
        "        case $w in\n"
        "        -c | --config) cfg=(-c \"${COMP_WORDS[i+1]}\") ;;\n"
        "        --config=*) cfg=(-c \"${w#--config=}\") ;;\n"
        "        esac\n"
        "        if [[ \" ${%s_arg_opts} \" == *\" $w \"* ]]; then ((i++)); continue; fi\n"
        "        [[ $w == -* ]] && continue\n"
        "        [[ -z $cmd ]] && cmd=$w\n"
        "    done\n"
        "    if [[ \" ${%s_arg_opts} \" == *\" $prev \"* ]]; then\n"
        "        case $prev in\n"
        "        --filter) COMPREPLY=($(compgen -W \"${%s_filters}\" -- \"$cur\")) ;;\n"
        "        --role) COMPREPLY=($(compgen -W 'owner partner' -- \"$cur\")) ;;\n"
        "        --theme) COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" completion themes "
        "2>/dev/null)\" -- \"$cur\")) ;;\n"
        "        -p | --profile) COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" \"${cfg[@]}\" "
        "completion profiles 2>/dev/null)\" -- \"$cur\")) ;;\n"
        "        *) [[ \" ${%s_file_opts} \" == *\" $prev \"* ]] && "
        "COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
        "        esac\n"
        "        return 0\n"
        "    fi\n"
        "    if [[ $cur == -* ]]; then\n"
        "        COMPREPLY=($(compgen -W \"${%s_global_opts} $(%s_command_opts \"$cmd\")\" "
        "-- \"$cur\"))\n"
        "    elif [[ -z $cmd || $cmd == help ]]; then\n"
        "        COMPREPLY=($(compgen -W \"${%s_commands}\" -- \"$cur\"))\n"
        "    elif [[ $cmd == completion ]]; then\n"
        "        COMPREPLY=($(compgen -W '",
        fn, fn, fn, fn, fn, fn, fn, fn);
    put_words(out, shells, COUNT_OF(shells));
    fprintf(out, "' -- \"$cur\"))\n"
                 "    fi\n"
                 "    return 0\n"
                 "}\n");
}

static void bash_script(FILE *out)
{
    fputs("# bash completion for mpsdash: generated by 'mpsdash completion bash' from the\n"
          "# program's command and option tables. Do not edit; regenerate.\n",
          out);
    bash_functions(out, "_mpsdash");
    fputs("complete -F _mpsdash mpsdash\n", out);
}

/* zsh runs this file as the function _mpsdash: it loads bash-style completion once, defines
 * the same functions as for bash, hands mpsdash to them, and completes this first time. */
static void zsh_script(FILE *out)
{
    fputs("#compdef mpsdash\n"
          "# zsh completion for mpsdash: generated by 'mpsdash completion zsh' from the\n"
          "# program's command and option tables. Do not edit; regenerate.\n"
          "autoload -U +X bashcompinit && bashcompinit\n",
          out);
    bash_functions(out, "_mpsdash_bash");
    fputs("complete -F _mpsdash_bash mpsdash\n"
          "[[ $funcstack[1] == _mpsdash ]] && _bash_complete -F _mpsdash_bash\n",
          out);
}

static void fish_option_lines(FILE *out, const char *cond, bool global, unsigned long long scope)
{
    cli_option_view o;
    for (size_t i = 0; cli_option_at(i, &o); i++) {
        if (global ? o.scope != 0 : !(o.scope & scope))
            continue;
        fprintf(out, "complete -c mpsdash%s", cond);
        if (o.short_opt)
            fprintf(out, " -s %c", o.short_opt);
        fprintf(out, " -l %s", o.name);
        if (strcmp(o.name, "filter") == 0) {
            fputs(" -x -a '", out);
            put_filters(out);
            fputs("'", out);
        } else if (strcmp(o.name, "role") == 0) {
            fputs(" -x -a 'owner partner'", out);
        } else if (strcmp(o.name, "theme") == 0) {
            fputs(" -x -a '(mpsdash completion themes 2>/dev/null)'", out);
        } else if (strcmp(o.name, "profile") == 0) {
            fputs(" -x -a '(mpsdash completion profiles 2>/dev/null)'", out);
        } else if (file_option(&o)) {
            fputs(" -r -F", out);
        } else if (o.takes_arg) {
            fputs(" -x", out);
        }
        if (o.help) {
            fputs(" -d '", out);
            for (const char *p = o.help; *p; p++)
                fputs(*p == '\'' ? "\\'" : (char[]){*p, '\0'}, out);
            fputs("'", out);
        }
        fputc('\n', out);
    }
}

static void fish_script(FILE *out)
{
    fputs("# fish completion for mpsdash: generated by 'mpsdash completion fish' from the\n"
          "# program's command and option tables. Do not edit; regenerate.\n"
          "complete -c mpsdash -f\n",
          out);
    size_t n;
    const cli_command *c = cli_command_table(&n);
    fputs("set -l __mpsdash_commands", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, " %s", c[i].name);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out,
                "complete -c mpsdash -n \"not __fish_seen_subcommand_from $__mpsdash_commands\" "
                "-a %s -d '",
                c[i].name);
        for (const char *p = c[i].summary; *p; p++)
            fputs(*p == '\'' ? "\\'" : (char[]){*p, '\0'}, out);
        fputs("'\n", out);
    }
    fish_option_lines(out, "", true, 0);
    fish_option_lines(out, " -n \"not __fish_seen_subcommand_from $__mpsdash_commands\"", false,
                      cli_dashboard()->opts);
    for (size_t i = 0; i < n; i++) {
        if (!c[i].opts)
            continue;
        char cond[96];
        snprintf(cond, sizeof cond, " -n '__fish_seen_subcommand_from %s'", c[i].name);
        fish_option_lines(out, cond, false, c[i].opts);
    }
    fputs("complete -c mpsdash -n '__fish_seen_subcommand_from help' -a \"$__mpsdash_commands\"\n"
          "complete -c mpsdash -n '__fish_seen_subcommand_from completion' -a '",
          out);
    put_words(out, shells, COUNT_OF(shells));
    fputs("'\n", out);
}

static int print_profiles(cli_ctx *ctx)
{
    int rc = cli_load_config(ctx);
    if (rc)
        return rc;
    for (size_t i = 0; i < ctx->cfg->profile_count; i++)
        printf("%s\n", ctx->cfg->profiles[i].name);
    return EXIT_OK;
}

static int print_themes(void)
{
    strlist names = {0};
    theme_list_names(&names);
    for (size_t i = 0; i < names.count; i++)
        printf("%s\n", names.items[i]);
    strlist_clear(&names);
    return EXIT_OK;
}

int cli_cmd_completion(cli_ctx *ctx)
{
    const char *what = ctx->args[0];
    if (strcmp(what, "bash") == 0)
        bash_script(stdout);
    else if (strcmp(what, "zsh") == 0)
        zsh_script(stdout);
    else if (strcmp(what, "fish") == 0)
        fish_script(stdout);
    else if (strcmp(what, "profiles") == 0)
        return print_profiles(ctx);
    else
        return print_themes();
    return EXIT_OK;
}
