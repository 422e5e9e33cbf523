/* XDG paths: where mpsdash's config, state, themes and audit log live. Part of mps_config. */
#ifndef MPSDASH_PATHS_H
#define MPSDASH_PATHS_H

#include <stddef.h>
#include <sys/types.h>

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

#endif
