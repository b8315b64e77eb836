/* cli — see cli.h. */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/feeds/logs_merge.h"

/* The action verbs.  drain / undrain / flip go here too (force = true). */
static const struct cli_action_verb cli_verbs[] = {
	{ "restart", 2, 2, false, "HOST CONTAINER" },
	{ "stop", 2, 2, false, "HOST CONTAINER" },
	{ "start", 2, 2, false, "HOST CONTAINER" },
	{ "drain", 1, 1, true, "HOST" },
	{ "undrain", 1, 1, false, "HOST" },
	{ "flip", 2, 2, true, "HOST TO" },
};

const struct cli_action_verb *cli_action_verbs(size_t *n)
{
	*n = UTIL_ARRAY_LEN(cli_verbs);
	return cli_verbs;
}

const struct cli_action_verb *cli_action_verb_find(const char *name)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(cli_verbs); i++)
		if (strcmp(cli_verbs[i].name, name) == 0)
			return &cli_verbs[i];
	return NULL;
}

/* The verb options (--yes, --dry-run, --force) given to something that is
 * not an action verb, or too few arguments.  0 or -1 with *cause. */
static int cli_check_action(const struct cli *c, char **cause)
{
	if (c->verb != CLI_ACTION) {
		if (c->yes || c->dry_run || c->force) {
			util_set_cause(cause, "%s goes with an action (restart, stop, start, ...)",
			               c->yes ? "--yes" : c->dry_run ? "--dry-run" : "--force");
			return -1;
		}
		return 0;
	}
	if (c->nargs < c->action->min_args) {
		util_set_cause(cause, "%s needs %s", c->action->name, c->action->args);
		return -1;
	}
	if (c->force && !c->action->force) {
		util_set_cause(cause, "%s takes no --force", c->action->name);
		return -1;
	}
	return 0;
}

/* Matches "--name VALUE", "--name=VALUE" (and "-c VALUE", "-cVALUE" for the
 * short form).  Returns 1 and *value when it matched, 0 when arg is not this
 * option, -1 when the value is missing. */
static int cli_option_value(const char *shortopt, const char *longopt, int argc,
                            const char *const *argv, int *i, const char **value)
{
	const char *arg = argv[*i];
	size_t n;

	if (shortopt != NULL && strncmp(arg, shortopt, strlen(shortopt)) == 0) {
		if (arg[strlen(shortopt)] != '\0') {
			*value = arg + strlen(shortopt);
			return 1;
		}
		goto next;
	}
	n = strlen(longopt);
	if (strncmp(arg, longopt, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return **value != '\0' ? 1 : -1;
	}
	if (arg[n] != '\0')
		return 0;
next:
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

static int cli_refresh(const char *v, int *out, char **cause)
{
	char *end;
	double s = strtod(v, &end);

	if (end == v || *end != '\0' || !isfinite(s) || s < 0.2 || s > 3600) {
		util_set_cause(cause, "--refresh wants seconds between 0.2 and 3600, not '%s'", v);
		return -1;
	}
	*out = (int)lround(s * 1000);
	return 0;
}

/* --tail N: a count of lines, 0 to 100,000,000. */
static int cli_tail(const char *v, long *out, char **cause)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end != '\0' || n < 0 || n > 100000000) {
		util_set_cause(cause, "--tail wants a number of lines, not '%s'", v);
		return -1;
	}
	*out = n;
	return 0;
}

/* The options and arguments of `logs`: 1 when arg was one, 0 when not, -1
 * with *cause. */
static int cli_logs_arg(int argc, const char *const *argv, int *i, struct cli *out, char **cause)
{
	const char *arg = argv[*i], *value = NULL;
	int m;

	if (strcmp(arg, "--follow") == 0 || strcmp(arg, "-f") == 0) {
		out->logs_follow = true;
		return 1;
	}
	if (strcmp(arg, "--all-hosts") == 0) {
		out->logs_all_hosts = true;
		return 1;
	}
	m = cli_option_value(NULL, "--since", argc, argv, i, &value);
	if (m == -1) {
		util_set_cause(cause, "--since needs a value");
		return -1;
	}
	if (m == 1) {
		out->logs_since_s = logs_since_parse(value);
		if (out->logs_since_s >= 0)
			return 1;
		util_set_cause(cause, "--since wants a duration (30s, 10m, 1h, 2d) or all, not '%s'", value);
		return -1;
	}
	m = cli_option_value(NULL, "--tail", argc, argv, i, &value);
	if (m == -1) {
		util_set_cause(cause, "--tail needs a value");
		return -1;
	}
	if (m == 1)
		return cli_tail(value, &out->logs_tail, cause) == 0 ? 1 : -1;
	if (arg[0] == '-' && arg[1] != '\0')
		return 0;
	if (out->logs_host == NULL)
		out->logs_host = arg;
	else if (out->logs_container == NULL)
		out->logs_container = arg;
	else
		return 0;
	return 1;
}

int cli_duration_ms(const char *s, int64_t *ms)
{
	char *end;
	double v = strtod(s, &end), unit = 1000;

	if (end == s || !isfinite(v) || v <= 0)
		return -1;
	if (*end != '\0') {
		switch (*end++) {
		case 's': unit = 1000; break;
		case 'm': unit = 60000; break;
		case 'h': unit = 3600000; break;
		case 'd': unit = 86400000; break;
		default: return -1;
		}
		if (*end != '\0')
			return -1;
	}
	if (v * unit > 1e15)
		return -1;
	*ms = (int64_t)llround(v * unit);
	return *ms > 0 ? 0 : -1;
}

/* The options and arguments of `events`, `record` and `replay`: 1 when arg
 * was one, 0 when not, -1 with *cause. */
static int cli_history_arg(int argc, const char *const *argv, int *i, struct cli *out,
                           char **cause)
{
	const char *arg = argv[*i], *value = NULL;
	int m;

	if (out->verb == CLI_EVENTS) {
		if (strcmp(arg, "--json") == 0) {
			out->json = true;
			return 1;
		}
		m = cli_option_value(NULL, "--since", argc, argv, i, &value);
		if (m == 0)
			m = cli_option_value(NULL, "--host", argc, argv, i, &value) * 2;
		if (m < 0) {
			util_set_cause(cause, "%s needs a value", arg);
			return -1;
		}
		if (m == 1)
			out->since = value;
		else if (m == 2)
			out->host = value;
		return m != 0;
	}
	if (out->verb == CLI_RECORD) {
		m = cli_option_value(NULL, "--for", argc, argv, i, &value);
		if (m == -1) {
			util_set_cause(cause, "--for needs a value");
			return -1;
		}
		if (m == 1) {
			if (cli_duration_ms(value, &out->for_ms) == 0)
				return 1;
			util_set_cause(cause, "--for wants a duration (90s, 10m, 2h), not '%s'", value);
			return -1;
		}
	}
	if (arg[0] == '-' && arg[1] != '\0')
		return 0;
	if (out->verb != CLI_EVENTS && out->file == NULL) {
		out->file = arg;
		return 1;
	}
	return 0;
}

/* The arguments of `exec` and `shell`: 1 when arg was one, 2 when it began
 * the command (the rest of argv is the command's), 0 when not one. */
static int cli_shell_arg(int argc, const char *const *argv, int i, struct cli *out)
{
	const char *arg = argv[i];

	if (out->shell_host == NULL) {
		out->shell_host = arg;
		return 1;
	}
	if (out->verb != CLI_EXEC)
		return 0;
	if (out->shell_container == NULL) {
		out->shell_container = arg;
		return 1;
	}
	out->shell_argv = &argv[i];
	out->shell_argc = argc - i;
	return 2;
}

/* exec and shell have all they need.  0, or -1 with *cause. */
static int cli_check_shell(const struct cli *c, char **cause)
{
	if (c->verb == CLI_EXEC && c->shell_container == NULL) {
		util_set_cause(cause, "exec needs a host and a container: kitetop exec HOST CONTAINER [CMD...]");
		return -1;
	}
	if (c->verb == CLI_SHELL && c->shell_host == NULL) {
		util_set_cause(cause, "shell needs a host: kitetop shell HOST");
		return -1;
	}
	if ((c->shell_host != NULL && c->shell_host[0] == '\0') ||
	    (c->shell_container != NULL && c->shell_container[0] == '\0')) {
		util_set_cause(cause, "%s: an empty argument", c->verb == CLI_EXEC ? "exec" : "shell");
		return -1;
	}
	return 0;
}

int cli_parse(int argc, const char *const *argv, struct cli *out, char **cause)
{
	bool have_verb = false, only_args = false;
	static const struct { const char *s, *l; } with_value[] = {
		{ "-c", "--config" }, { NULL, "--theme" }, { NULL, "--refresh" }, { NULL, "--log" },
	};

	*out = (struct cli){ .verb = CLI_TUI, .logs_tail = -1, .logs_since_s = -1 };
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *value = NULL;
		int matched = 0;
		size_t k;

		if (out->verb == CLI_LOGS && !only_args) {
			int m = cli_logs_arg(argc, argv, &i, out, cause);

			if (m == -1)
				return -1;
			if (m == 1)
				continue;
		}

		if ((out->verb == CLI_EVENTS || out->verb == CLI_RECORD || out->verb == CLI_REPLAY)
		    && !only_args) {
			int m = cli_history_arg(argc, argv, &i, out, cause);

			if (m == -1)
				return -1;
			if (m == 1)
				continue;
		}

		/* once the container is named, the command takes every word */
		if (out->verb == CLI_EXEC && out->shell_container != NULL) {
			(void)cli_shell_arg(argc, argv, i, out);
			break;
		}

		if (!only_args && strcmp(arg, "--") == 0) {
			only_args = true;
			continue;
		}
		if (!only_args && arg[0] == '-' && arg[1] != '\0') {
			if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
				out->verb = CLI_HELP;
				return 0;
			}
			if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0) {
				out->verb = CLI_VERSION;
				return 0;
			}
			if (strcmp(arg, "--read-only") == 0) {
				out->read_only = true;
				continue;
			}
			if (strcmp(arg, "--yes") == 0 || strcmp(arg, "-y") == 0) {
				out->yes = true;
				continue;
			}
			if (strcmp(arg, "--dry-run") == 0) {
				out->dry_run = true;
				continue;
			}
			if (strcmp(arg, "--force") == 0) {
				out->force = true;
				continue;
			}
			if (strcmp(arg, "--json") == 0 && out->verb == CLI_STATUS) {
				out->json = true;
				continue;
			}
			if (strcmp(arg, "--all") == 0 && out->verb == CLI_STATUS) {
				out->status_all = true;
				continue;
			}
			if (strcmp(arg, "--exit-code") == 0 && out->verb == CLI_STATUS) {
				out->exit_code = true;
				continue;
			}
			if (strcmp(arg, "--stdout") == 0 && out->verb == CLI_INIT) {
				out->init_stdout = true;
				continue;
			}
			for (k = 0; k < UTIL_ARRAY_LEN(with_value) && matched == 0; k++)
				matched = cli_option_value(with_value[k].s, with_value[k].l,
				                           argc, argv, &i, &value);
			if (matched == -1) {
				util_set_cause(cause, "%s needs a value", arg);
				return -1;
			}
			if (matched == 0) {
				util_set_cause(cause, "unknown option %s", arg);
				return -1;
			}
			switch (k - 1) {
			case 0: out->config = value; break;
			case 1: out->theme = value; break;
			case 3: out->log = value; break;
			default:
				if (cli_refresh(value, &out->refresh_ms, cause) == -1)
					return -1;
				break;
			}
			continue;
		}
		if (!have_verb && strcmp(arg, "check") == 0) {
			out->verb = CLI_CHECK;
			have_verb = true;
			continue;
		}
		if (!have_verb && strcmp(arg, "init") == 0) {
			out->verb = CLI_INIT;
			have_verb = true;
			continue;
		}
		if (have_verb && out->verb == CLI_INIT) {
			if (arg[0] == '\0' || out->init_nhosts == CLI_MAX_INIT_HOSTS) {
				util_set_cause(cause, arg[0] == '\0' ? "init: an empty host" :
				               "init: at most %d hosts", CLI_MAX_INIT_HOSTS);
				return -1;
			}
			out->init_hosts[out->init_nhosts++] = arg;
			continue;
		}
		if (!have_verb && strcmp(arg, "logs") == 0) {
			out->verb = CLI_LOGS;
			have_verb = true;
			continue;
		}
		if (!have_verb && (strcmp(arg, "events") == 0 || strcmp(arg, "record") == 0
		                   || strcmp(arg, "replay") == 0)) {
			out->verb = arg[0] == 'e' ? CLI_EVENTS : arg[2] == 'c' ? CLI_RECORD : CLI_REPLAY;
			have_verb = true;
			continue;
		}
		if (!have_verb && (strcmp(arg, "exec") == 0 || strcmp(arg, "shell") == 0)) {
			out->verb = arg[0] == 'e' ? CLI_EXEC : CLI_SHELL;
			have_verb = true;
			continue;
		}
		if (have_verb && (out->verb == CLI_EXEC || out->verb == CLI_SHELL) &&
		    cli_shell_arg(argc, argv, i, out) != 0)
			continue;
		if (!have_verb && strcmp(arg, "status") == 0) {
			out->verb = CLI_STATUS;
			have_verb = true;
			/* --json given before the verb is still an error: it is the verb's */
			continue;
		}
		if (!have_verb && cli_action_verb_find(arg) != NULL) {
			out->verb = CLI_ACTION;
			out->action = cli_action_verb_find(arg);
			have_verb = true;
			continue;
		}
		if (have_verb && out->verb == CLI_ACTION && out->nargs < out->action->max_args) {
			if (arg[0] == '\0') {
				util_set_cause(cause, "%s: an empty argument", out->action->name);
				return -1;
			}
			out->args[out->nargs++] = arg;
			continue;
		}
		if (!have_verb)
			util_set_cause(cause, "unknown command '%s'", arg);
		else
			util_set_cause(cause, "unexpected argument '%s'", arg);
		return -1;
	}
	if (out->verb == CLI_LOGS && out->logs_all_hosts) {
		if (out->logs_host == NULL || out->logs_container != NULL) {
			util_set_cause(cause, "logs --all-hosts takes one service: kitetop logs SERVICE --all-hosts");
			return -1;
		}
	} else if (out->verb == CLI_LOGS && out->logs_container == NULL) {
		util_set_cause(cause, "logs needs a host and a container: kitetop logs HOST CONTAINER");
		return -1;
	}
	if ((out->verb == CLI_RECORD || out->verb == CLI_REPLAY) && out->file == NULL) {
		util_set_cause(cause, "%s needs a file: kitetop %s FILE",
		               out->verb == CLI_RECORD ? "record" : "replay",
		               out->verb == CLI_RECORD ? "record" : "replay");
		return -1;
	}
	if (cli_check_shell(out, cause) != 0)
		return -1;
	return cli_check_action(out, cause);
}
