/* ssh_config_g — the target as OpenSSH resolves it: `ssh -G` run and its
 * output read.  See ssh_config.h. */
#include "backends/transport/ssh_config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/transport/ssh_config_internal.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define SSH_CONFIG_G_MAX_ERR 4096

extern char **environ;

/* ssh(1)'s built-in identity files: a list made only of these is its default. */
static bool
ssh_config_g_default_id(const char *v)
{
	static const char *const names[] = {
		"id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss",
		"id_dsa",
	};
	size_t i;

	if (strncmp(v, "~/.ssh/", 7) != 0)
		return false;
	for (i = 0; i < UTIL_ARRAY_LEN(names); i++)
		if (strcmp(v + 7, names[i]) == 0)
			return true;
	return false;
}

static int
ssh_config_g_int(const char *v, int min, int max, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

/* The raw values, before token expansion (which needs user, host, port). */
struct ssh_config_g_raw {
	char *ids[SSH_CONFIG_MAX_FILES];
	size_t nids;
	bool all_default;
	char *certs[SSH_CONFIG_MAX_FILES];
	size_t ncerts;
	char *agent;
};

static int
ssh_config_g_line(struct ssh_target *t, struct ssh_config_g_raw *r, const char *key,
    char *v, char **cause)
{
	if (strcmp(key, "hostname") == 0) {
		free(t->hostname);
		t->hostname = xstrdup(v);
	} else if (strcmp(key, "user") == 0) {
		free(t->user);
		t->user = xstrdup(v);
	} else if (strcmp(key, "port") == 0) {
		if (ssh_config_g_int(v, 1, 65535, &t->port) != 0) {
			util_set_cause(cause, "ssh -G: bad port \"%s\"", v);
			return -1;
		}
	} else if (strcmp(key, "identityfile") == 0) {
		if (r->nids < SSH_CONFIG_MAX_FILES) {
			r->all_default = (r->nids == 0 || r->all_default) && ssh_config_g_default_id(v);
			r->ids[r->nids++] = xstrdup(v);
		}
	} else if (strcmp(key, "certificatefile") == 0) {
		if (r->ncerts < SSH_CONFIG_MAX_FILES)
			r->certs[r->ncerts++] = xstrdup(v);
	} else if (strcmp(key, "identitiesonly") == 0) {
		t->identities_only = strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0;
	} else if (strcmp(key, "userknownhostsfile") == 0) {
		char *save = NULL, *w;

		for (w = strtok_r(v, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
			if (strcasecmp(w, "none") == 0 || t->nknown_hosts_files >= SSH_CONFIG_MAX_FILES)
				continue;
			t->known_hosts_files = xreallocarray(t->known_hosts_files,
			    t->nknown_hosts_files + 1, sizeof(char *));
			t->known_hosts_files[t->nknown_hosts_files++] = xstrdup(w);
		}
	} else if (strcmp(key, "connecttimeout") == 0) {
		if (strcasecmp(v, "none") != 0 && ssh_config_g_int(v, 0, 86400,
		    &t->connect_timeout_s) != 0) {
			util_set_cause(cause, "ssh -G: bad connecttimeout \"%s\"", v);
			return -1;
		}
	} else if (strcmp(key, "serveraliveinterval") == 0) {
		if (ssh_config_g_int(v, 0, 86400, &t->alive_interval_s) != 0) {
			util_set_cause(cause, "ssh -G: bad serveraliveinterval \"%s\"", v);
			return -1;
		}
	} else if (strcmp(key, "identityagent") == 0) {
		free(r->agent);
		r->agent = xstrdup(v);
	} else if (strcmp(key, "proxyjump") == 0) {
		free(t->proxy_jump);
		t->proxy_jump = strcasecmp(v, "none") == 0 ? NULL : xstrdup(v);
	} else if (strcmp(key, "proxycommand") == 0) {
		free(t->proxy_command);
		t->proxy_command = strcasecmp(v, "none") == 0 ? NULL : xstrdup(v);
	}
	return 0;
}

int
ssh_config_parse_g(const char *alias, const char *text, size_t len,
    const struct ssh_config_env *env, struct ssh_target *out, char **cause)
{
	const char *home = ssh_config_home(env), *local_user = ssh_config_local_user(env);
	struct ssh_config_g_raw r;
	size_t pos = 0, i;
	char *line = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	out->resolved_by = "ssh -G";
	out->alias = xstrdup(alias);
	while (pos < len) {
		size_t end = pos;
		char *sp, *v;

		while (end < len && text[end] != '\n')
			end++;
		line = xstrndup(text + pos, end - pos);
		pos = end + 1;
		if (line[0] != '\0' && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		sp = strchr(line, ' ');
		if (sp != NULL) {
			*sp = '\0';
			v = sp + 1;
			if (ssh_config_g_line(out, &r, line, v, cause) != 0)
				goto out;
		}
		free(line);
		line = NULL;
	}
	if (out->hostname == NULL || out->user == NULL || out->port == 0) {
		util_set_cause(cause, "ssh -G printed no %s", out->hostname == NULL ? "hostname" :
		    out->user == NULL ? "user" : "port");
		goto out;
	}
	if (out->alive_interval_s <= 0)
		out->alive_interval_s = SSH_CONFIG_DEFAULT_ALIVE_S;
	if (r.nids == 0 || (r.all_default && r.nids >= 3)) {
		ssh_config_target_default_ids(out, home, local_user);
	} else {
		out->identity_files = xcalloc(r.nids, sizeof(char *));
		for (i = 0; i < r.nids; i++)
			out->identity_files[i] = ssh_config_expand(r.ids[i], home, local_user, out);
		out->nidentity_files = r.nids;
	}
	if (r.ncerts > 0) {
		out->certificate_files = xcalloc(r.ncerts, sizeof(char *));
		for (i = 0; i < r.ncerts; i++)
			out->certificate_files[i] = ssh_config_expand(r.certs[i], home, local_user,
			    out);
		out->ncertificate_files = r.ncerts;
	}
	if (r.agent != NULL)
		ssh_config_target_agent(out, r.agent, home, local_user);
	rc = 0;
out:
	free(line);
	for (i = 0; i < r.nids; i++)
		free(r.ids[i]);
	for (i = 0; i < r.ncerts; i++)
		free(r.certs[i]);
	free(r.agent);
	if (rc != 0)
		ssh_target_done(out);
	return rc;
}

/* ssh's lines on stderr, joined with "; " (without "Pseudo-terminal will not
 * be allocated ...", which says nothing here).  Caller frees. */
static char *
ssh_config_g_message(const char *err)
{
	char *copy = xstrdup(err), *save = NULL, *l;
	struct buf b;

	buf_init(&b);
	for (l = strtok_r(copy, "\r\n", &save); l != NULL; l = strtok_r(NULL, "\r\n", &save)) {
		if (strncmp(l, "Pseudo-terminal", 15) == 0)
			continue;
		if (b.len > 0)
			buf_puts(&b, "; ");
		buf_puts(&b, l);
	}
	if (b.len == 0)
		buf_puts(&b, "failed without a message");
	free(copy);
	return buf_steal(&b);
}

/* Reads the child's stdout and stderr until both close or the deadline. */
static int
ssh_config_g_read(int ofd, int efd, int64_t deadline, struct buf *out, struct buf *err)
{
	char chunk[4096];

	while (ofd >= 0 || efd >= 0) {
		struct pollfd pfd[2] = { { .fd = ofd, .events = POLLIN },
		                         { .fd = efd, .events = POLLIN } };
		int64_t left = deadline - time_mono_ms();
		int i, n;

		if (left <= 0)
			return -1;
		n = poll(pfd, 2, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (i = 0; i < 2; i++) {
			int *fd = i == 0 ? &ofd : &efd;
			struct buf *b = i == 0 ? out : err;
			ssize_t r;

			if (*fd < 0 || pfd[i].revents == 0)
				continue;
			r = read(*fd, chunk, sizeof chunk);
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0) {
				*fd = -1;
				continue;
			}
			if (b->len < (i == 0 ? SSH_CONFIG_MAX_BYTES : SSH_CONFIG_G_MAX_ERR))
				buf_append(b, chunk, (size_t)r);
		}
	}
	return 0;
}

int
ssh_config_resolve_ssh(const char *ssh_bin, const char *config, const char *target,
    const struct ssh_config_env *env, int timeout_ms, struct ssh_target *out, char **cause)
{
	char *user = NULL, *host = NULL, portbuf[16], *argv[12];
	char opt_g[] = "-G", opt_f[] = "-F", opt_p[] = "-p", opt_l[] = "-l", opt_end[] = "--";
	char *bin_copy, *config_copy = NULL;
	int port = 0, argc = 0, op[2] = { -1, -1 }, ep[2] = { -1, -1 }, rc, status = 0;
	posix_spawn_file_actions_t fa;
	struct buf o, e;
	pid_t pid;
	bool waited;

	memset(out, 0, sizeof *out);
	if (ssh_config_split_target(target, &user, &host, &port, cause) != 0)
		return -1;
	if (ssh_bin == NULL)
		ssh_bin = "ssh";
	argv[argc++] = bin_copy = xstrdup(ssh_bin);
	argv[argc++] = opt_g;
	if (config != NULL) {
		argv[argc++] = opt_f;
		argv[argc++] = config_copy = xstrdup(config);
	}
	if (port != 0) {
		snprintf(portbuf, sizeof portbuf, "%d", port);
		argv[argc++] = opt_p;
		argv[argc++] = portbuf;
	}
	if (user != NULL) {
		argv[argc++] = opt_l;
		argv[argc++] = user;
	}
	argv[argc++] = opt_end;
	argv[argc++] = host;
	argv[argc] = NULL;

	if (pipe2(op, O_CLOEXEC) != 0 || pipe2(ep, O_CLOEXEC) != 0) {
		util_set_cause(cause, "pipe: %s", strerror(errno));
		rc = -2;
		goto out_pipes;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, op[1], 1);
	posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
	rc = posix_spawnp(&pid, ssh_bin, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(op[1]);
	close(ep[1]);
	op[1] = ep[1] = -1;
	if (rc != 0) {
		util_set_cause(cause, "cannot run %s: %s", ssh_bin, strerror(rc));
		rc = -2;
		goto out_pipes;
	}
	buf_init(&o);
	buf_init(&e);
	rc = ssh_config_g_read(op[0], ep[0], time_mono_ms() + timeout_ms, &o, &e);
	if (rc != 0)
		(void)kill(pid, SIGKILL);
	waited = waitpid(pid, &status, 0) == pid;
	if (rc != 0) {
		util_set_cause(cause, "%s -G %s did not answer within %d ms", ssh_bin, host,
		    timeout_ms);
		rc = -1;
	} else if (waited && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		util_set_cause(cause, "cannot run %s", ssh_bin);
		rc = -2;
	} else if (waited && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		char *msg = ssh_config_g_message(buf_cstr(&e));

		util_set_cause(cause, "%s -G %s: %s", ssh_bin, host, msg);
		free(msg);
		rc = -1;
	} else {
		rc = ssh_config_parse_g(host, buf_cstr(&o), o.len, env, out, cause);
	}
	buf_done(&o);
	buf_done(&e);
out_pipes:
	if (op[0] >= 0)
		close(op[0]);
	if (ep[0] >= 0)
		close(ep[0]);
	if (op[1] >= 0)
		close(op[1]);
	if (ep[1] >= 0)
		close(ep[1]);
	free(user);
	free(host);
	free(bin_copy);
	free(config_copy);
	return rc;
}

/* Whether $HOME is the passwd entry's home, the one ssh(1) reads. */
static bool
ssh_config_g_home_is_pw(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;
	size_t n;

	if (h == NULL || *h == '\0')
		return true;
	pw = getpwuid(getuid());
	if (pw == NULL || pw->pw_dir == NULL)
		return false;
	n = strlen(pw->pw_dir);
	while (n > 1 && pw->pw_dir[n - 1] == '/')
		n--;
	return strncmp(h, pw->pw_dir, n) == 0 && (h[n] == '\0' || strcmp(h + n, "/") == 0);
}

int
ssh_config_lookup(const char *target, struct ssh_target *out, char **cause)
{
	const char *bin = getenv("KITETOP_SSH");
	char *why = NULL;
	int rc;

	if (bin != NULL && *bin == '\0')
		bin = NULL;
	if ((bin == NULL || strcmp(bin, "none") != 0) && ssh_config_g_home_is_pw()) {
		rc = ssh_config_resolve_ssh(bin, NULL, target, NULL, SSH_CONFIG_G_TIMEOUT_MS, out,
		    &why);
		if (rc != -2) {
			if (rc != 0)
				util_set_cause(cause, "%s", why);
			free(why);
			return rc;
		}
		free(why);
	}
	return ssh_config_resolve_file(target, NULL, NULL, out, cause);
}
