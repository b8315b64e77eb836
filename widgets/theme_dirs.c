/* theme_dirs — see theme_dirs.h. */
#include "widgets/theme_dirs.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/util.h"

static void theme_dirs_add(char *dirs[THEME_DIRS_MAX], size_t *n, char *dir)
{
	size_t i;
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	for (i = 0; i < *n; i++) {
		if (strcmp(dirs[i], dir) == 0) {
			free(dir);
			return;
		}
	}
	if (*n == THEME_DIRS_MAX) {
		free(dir);
		return;
	}
	dirs[(*n)++] = dir;
}

/* base (len bytes, trailing slashes dropped) + "/" + rest.  Caller frees. */
static char *theme_dirs_join(const char *base, size_t len, const char *rest)
{
	while (len > 1 && base[len - 1] == '/')
		len--;
	return xasprintf("%.*s/%s", (int)len, base, rest);
}

/* An absolute, non-empty environment value, else NULL (the XDG rule: a
 * relative path is invalid and ignored). */
static const char *theme_dirs_abs(const char *v)
{
	return v != NULL && v[0] == '/' ? v : NULL;
}

/* The directory of the running binary, or NULL.  Caller frees. */
static char *theme_dirs_exe_dir(const char *exe)
{
	char buf[PATH_MAX];
	char *slash;

	if (exe == NULL) {
		ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

		if (n <= 0)
			return NULL;
		buf[n] = '\0';
	} else if (util_strlcpy(buf, exe, sizeof buf) >= sizeof buf)
		return NULL;
	slash = strrchr(buf, '/');
	if (slash == NULL)
		return NULL;
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return xstrdup(buf);
}

size_t theme_dirs(const char *datadir, const struct theme_dirs_env *env,
    char *dirs[THEME_DIRS_MAX])
{
	const struct theme_dirs_env none = { NULL, NULL, NULL, NULL, NULL };
	const char *cfg, *data, *list, *home, *p;
	char *exedir;
	size_t n = 0;
	bool from_env = env == NULL;

	if (env == NULL)
		env = &none;
	cfg = theme_dirs_abs(from_env ? getenv("XDG_CONFIG_HOME") : env->xdg_config_home);
	data = theme_dirs_abs(from_env ? getenv("XDG_DATA_HOME") : env->xdg_data_home);
	list = from_env ? getenv("XDG_DATA_DIRS") : env->xdg_data_dirs;
	home = from_env ? getenv("HOME") : env->home;
	if (home != NULL && *home == '\0')
		home = NULL;

	if (cfg != NULL)
		theme_dirs_add(dirs, &n, theme_dirs_join(cfg, strlen(cfg), "kitetop/themes"));
	else if (home != NULL)
		theme_dirs_add(dirs, &n, xasprintf("%s/.config/kitetop/themes", home));
	if (data != NULL)
		theme_dirs_add(dirs, &n, theme_dirs_join(data, strlen(data), "kitetop/themes"));
	else if (home != NULL)
		theme_dirs_add(dirs, &n, xasprintf("%s/.local/share/kitetop/themes", home));

	exedir = theme_dirs_exe_dir(env->exe);
	if (exedir != NULL) {
		char *up = xstrdup(exedir);
		char *slash = strrchr(up, '/');

		if (slash != NULL && slash != up) {
			*slash = '\0';
			theme_dirs_add(dirs, &n, xasprintf("%s/share/kitetop/themes", up));
		} else if (slash == up && up[1] != '\0')
			theme_dirs_add(dirs, &n, xstrdup("/share/kitetop/themes"));
		free(up);
	}
	if (datadir != NULL && *datadir != '\0')
		theme_dirs_add(dirs, &n, theme_dirs_join(datadir, strlen(datadir), "themes"));

	if (list == NULL || *list == '\0')
		list = "/usr/local/share:/usr/share";
	for (p = list; *p != '\0';) {
		size_t len = strcspn(p, ":");

		if (len > 0 && p[0] == '/')
			theme_dirs_add(dirs, &n, theme_dirs_join(p, len, "kitetop/themes"));
		p += len;
		if (*p == ':')
			p++;
	}
	if (exedir != NULL) {
		theme_dirs_add(dirs, &n, xasprintf("%s/themes", exedir));
		free(exedir);
	}
	theme_dirs_add(dirs, &n, xstrdup("./themes"));
	return n;
}

void theme_dirs_free(char *dirs[THEME_DIRS_MAX], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(dirs[i]);
		dirs[i] = NULL;
	}
}
