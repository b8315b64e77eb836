/* theme_dirs — where themes are looked for by name.
 *
 * In this order, each as DIR/NAME.theme:
 *   1. $XDG_CONFIG_HOME/kitetop/themes (else ~/.config/kitetop/themes): the
 *      user's own themes;
 *   2. $XDG_DATA_HOME/kitetop/themes (else ~/.local/share/kitetop/themes);
 *   3. PREFIX/share/kitetop/themes, where PREFIX is the directory above the
 *      one the running binary is in (/usr/bin/kitetop -> /usr): a binary
 *      installed with another PREFIX than it was built for, or unpacked
 *      from the .deb elsewhere, still finds its themes;
 *   4. DATADIR/themes, the data directory the binary was built for;
 *   5. each $XDG_DATA_DIRS entry's kitetop/themes (else /usr/local/share,
 *      /usr/share);
 *   6. the directory of the binary's own themes/ (the source tree, where
 *      `make` leaves ./kitetop), then ./themes.
 * Duplicates are dropped, keeping the first. */
#ifndef KITETOP_WIDGETS_THEME_DIRS_H
#define KITETOP_WIDGETS_THEME_DIRS_H

#include <stddef.h>

#define THEME_DIRS_MAX 24

/* What the search depends on; NULL members are taken from the environment
 * ($XDG_CONFIG_HOME, $XDG_DATA_HOME, $XDG_DATA_DIRS, $HOME) and from
 * /proc/self/exe.  Tests set them. */
struct theme_dirs_env {
	const char *xdg_config_home;
	const char *xdg_data_home;
	const char *xdg_data_dirs;
	const char *home;
	const char *exe;             /* the binary's path */
};

/* Fills dirs[0..n) with malloc'd directory paths in search order and
 * returns n (at most THEME_DIRS_MAX).  env NULL = all from the process. */
size_t theme_dirs(const char *datadir, const struct theme_dirs_env *env,
    char *dirs[THEME_DIRS_MAX]);

/* Frees what theme_dirs filled. */
void theme_dirs_free(char *dirs[THEME_DIRS_MAX], size_t n);

#endif
