/* shell_command — see shell_command.h. */
#include "core/actions/shell_command.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/util.h"

static void shell_quote_into(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");   /* close, an escaped quote, reopen */
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

char *shell_quote(const char *s)
{
	struct buf b;

	buf_init(&b);
	shell_quote_into(&b, s);
	return buf_steal(&b);
}

bool shell_container_name_ok(const char *name)
{
	if (name == NULL || !isalnum((unsigned char)name[0]))
		return false;
	for (const char *p = name + 1; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
			return false;
	return strlen(name) <= 255;
}

char *shell_command_remote(const char *socket, const char *container,
                           const char *const *argv, size_t argc, bool tty)
{
	static const char *const def[] = { "sh", "-c", SHELL_COMMAND_DEFAULT };
	struct buf b;

	if (argc == 0) {
		argv = def;
		argc = UTIL_ARRAY_LEN(def);
	}
	buf_init(&b);
	buf_puts(&b, "docker ");
	if (socket != NULL) {
		char *h = xasprintf("unix://%s", socket);

		buf_puts(&b, "-H ");
		shell_quote_into(&b, h);
		buf_putc(&b, ' ');
		free(h);
	}
	buf_puts(&b, tty ? "exec -it " : "exec -i ");
	shell_quote_into(&b, container);
	for (size_t i = 0; i < argc; i++) {
		buf_putc(&b, ' ');
		shell_quote_into(&b, argv[i]);
	}
	return buf_steal(&b);
}

char **shell_argv_docker(const char *docker_host, const char *container,
                         const char *const *argv, size_t argc, bool tty)
{
	static const char *const def[] = { "sh", "-c", SHELL_COMMAND_DEFAULT };
	char **out = xcalloc(argc + 10, sizeof *out);
	size_t n = 0;

	if (argc == 0) {
		argv = def;
		argc = UTIL_ARRAY_LEN(def);
	}
	out[n++] = xstrdup("docker");
	if (docker_host != NULL) {
		out[n++] = xstrdup("-H");
		out[n++] = xstrdup(docker_host);
	}
	out[n++] = xstrdup("exec");
	out[n++] = xstrdup(tty ? "-it" : "-i");
	out[n++] = xstrdup(container);
	for (size_t i = 0; i < argc; i++)
		out[n++] = xstrdup(argv[i]);
	return out;
}

char **shell_argv_login(const char *shell)
{
	char **out = xcalloc(3, sizeof *out);

	out[0] = xstrdup(shell != NULL && *shell != '\0' ? shell : "/bin/sh");
	out[1] = xstrdup("-l");
	return out;
}

void shell_argv_free(char **argv)
{
	if (argv == NULL)
		return;
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
