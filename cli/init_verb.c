/* init_verb — see init_verb.h. */
#include "cli/init_verb.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backends/docker.h"
#include "backends/transport/ssh_config.h"
#include "backends/transport/transport_ssh.h"
#include "cli/init_config.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/config/config.h"

#define INIT_WAIT_STEP_MS 20

struct init_run {
	pthread_mutex_t mu;
	struct init_host *hosts;
	size_t n, next, done;
};

/* Waits for the transport's first attempt to end.  0 connected, -1 *cause. */
static int init_wait_ssh(struct transport_ssh *t, int64_t deadline, char **cause)
{
	struct transport_ssh_status st;

	for (;;) {
		transport_ssh_status(t, &st);
		if (st.connected)
			return 0;
		if (st.error[0] != '\0') {
			util_set_cause(cause, "%s", st.error);
			return -1;
		}
		if (time_mono_ms() >= deadline) {
			util_set_cause(cause, "ssh: no connection within %d s", INIT_HOST_TIMEOUT_MS / 1000);
			return -1;
		}
		time_sleep_ms(INIT_WAIT_STEP_MS);
	}
}

/* The engine's version and containers, through t. */
static void init_probe_docker(struct transport_ssh *t, struct init_host *h, int64_t deadline)
{
	struct docker_options opt = { .base_url = "http://localhost", .stats_workers = -1 };
	struct docker_container *list = NULL;
	struct docker *d;
	char *cause = NULL;
	size_t n = 0;
	int64_t left = deadline - time_mono_ms();

	opt.unix_socket = transport_ssh_docker_socket(t, &cause);
	if (opt.unix_socket == NULL) {
		h->docker_error = cause;
		return;
	}
	opt.timeout_ms = left > 1000 ? (long)left : 1000;
	d = docker_new(&opt);
	if (docker_connect(d, &cause) != 0 || docker_list_containers(d, &list, &n, &cause) != 0) {
		h->docker_error = cause != NULL ? cause : xstrdup("docker: no answer");
		docker_free(d);
		return;
	}
	h->docker_version = xstrdup(docker_engine_version(d));
	h->ncontainers = n;
	for (size_t i = 0; i < n; i++) {
		int k = init_detect(list[i].image, list[i].name);

		if (k >= 0 && h->found[k] == NULL && list[i].name != NULL)
			h->found[k] = xstrdup(list[i].name);
	}
	docker_containers_free(list, n);
	docker_free(d);
}

static void init_probe(struct init_host *h)
{
	/* one SSH connection: init asks a few things, one after another */
	struct transport_ssh_options opt = { .target = h->target, .sessions = 1 };
	struct ssh_target st;
	struct transport_ssh *t;
	int64_t start = time_mono_ms(), deadline = start + INIT_HOST_TIMEOUT_MS;
	char *cause = NULL;

	if (ssh_config_resolve_file(h->target, NULL, NULL, &st, &cause) == 0) {
		h->address = xstrdup(st.hostname);
		ssh_target_done(&st);
	} else {
		h->error = cause;
		h->ms = (int)(time_mono_ms() - start);
		return;
	}
	t = transport_ssh_new(h->name, &opt, INIT_SSH_TIMEOUT_MS, &cause);
	if (t == NULL || transport_ssh_start(t, &cause) != 0 || init_wait_ssh(t, deadline, &cause) != 0)
		h->error = cause;
	else
		init_probe_docker(t, h, deadline);
	h->ms = (int)(time_mono_ms() - start);
	transport_ssh_free(t);
}

static void *init_worker(void *arg)
{
	struct init_run *r = arg;

	for (;;) {
		struct init_host *h;
		size_t i;

		pthread_mutex_lock(&r->mu);
		if (r->next == r->n) {
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		i = r->next++;
		h = &r->hosts[i];
		fprintf(stderr, "kitetop init: probing %s (%s) ...\n", h->name, h->target);
		pthread_mutex_unlock(&r->mu);
		init_probe(h);
		pthread_mutex_lock(&r->mu);
		r->done++;
		fprintf(stderr, "kitetop init: [%zu/%zu] %s: %s (%.1f s)\n", r->done, r->n, h->name,
		        h->error != NULL ? "not reachable" : h->docker_error != NULL ?
		        "reachable, no Docker" : "reachable", h->ms / 1000.0);
		pthread_mutex_unlock(&r->mu);
	}
}

/* Probes every host, INIT_PARALLEL at a time. */
static void init_probe_all(struct init_host *hosts, size_t n)
{
	struct init_run r = { .hosts = hosts, .n = n };
	pthread_t th[INIT_PARALLEL];
	size_t nth = n < INIT_PARALLEL ? n : INIT_PARALLEL, started = 0;

	pthread_mutex_init(&r.mu, NULL);
	for (size_t i = 0; i < nth; i++)
		if (pthread_create(&th[started], NULL, init_worker, &r) == 0)
			started++;
	if (started == 0)
		init_worker(&r);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&r.mu);
}

/* The hosts to probe: the arguments, else ~/.ssh/config's.  NULL and a
 * message printed when there are none. */
static struct init_host *init_hosts(const struct cli *cli, size_t *n)
{
	struct init_host *hosts;
	char **names = NULL, *cause = NULL;
	size_t nnames = 0;

	if (cli->init_nhosts == 0) {
		names = ssh_config_hosts_file(NULL, NULL, &nnames, &cause);
		if (names == NULL || nnames == 0) {
			fprintf(stderr, "kitetop init: no hosts to probe: %s; name them: kitetop init "
			        "HOST...\n", cause != NULL ? cause : "~/.ssh/config has no Host entry "
			        "without a pattern");
			free(cause);
			ssh_config_hosts_free(names, nnames);
			return NULL;
		}
		if (nnames > FLEET_MAX_HOSTS) {
			fprintf(stderr, "kitetop init: ~/.ssh/config names %zu hosts; the first %d are "
			        "probed (name the others: kitetop init HOST...)\n", nnames, FLEET_MAX_HOSTS);
			for (size_t i = FLEET_MAX_HOSTS; i < nnames; i++)
				free(names[i]);
			nnames = FLEET_MAX_HOSTS;
		}
	}
	*n = cli->init_nhosts > 0 ? (size_t)cli->init_nhosts : nnames;
	hosts = xcalloc(*n, sizeof *hosts);
	for (size_t i = 0; i < *n; i++) {
		struct init_host *h = &hosts[i];

		h->target = xstrdup(cli->init_nhosts > 0 ? cli->init_hosts[i] : names[i]);
		h->name = init_host_name(h->target);
		h->from_ssh_config = cli->init_nhosts == 0;
	}
	ssh_config_hosts_free(names, nnames);
	return hosts;
}

/* Writes text to path, which must not exist.  0, or -1 (printed). */
static int init_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd;

	if (util_mkdirs_for(path) != 0) {
		fprintf(stderr, "kitetop init: cannot create the directory of %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		fprintf(stderr, "kitetop init: %s: %s%s\n", path, strerror(errno), errno == EEXIST ?
		        " (init never overwrites a configuration)" : "");
		return -1;
	}
	if (util_write_all(fd, text, len) != 0 || fsync(fd) != 0) {
		fprintf(stderr, "kitetop init: cannot write %s: %s\n", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd) == 0 ? 0 : -1;
}

/* Where to write: -c, else $KITETOP_CONFIG, else the XDG path.  Caller frees. */
static char *init_path(const struct cli *cli)
{
	const char *env = getenv("KITETOP_CONFIG");

	if (cli->config != NULL)
		return xstrdup(cli->config);
	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	return config_expand_path("$XDG_CONFIG_HOME/kitetop/kitetop.conf");
}

int init_verb_run(const struct cli *cli)
{
	struct init_host *hosts;
	struct config *check;
	struct buf report;
	char *path = cli->init_stdout ? NULL : init_path(cli), *text, *cause = NULL, when[64];
	time_t now = time(NULL);
	struct tm tm;
	size_t n = 0;
	int rc = 0;

	if (path != NULL && access(path, F_OK) == 0) {
		fprintf(stderr, "kitetop init: %s already exists; init never overwrites a "
		        "configuration.\nMove it away first, or write the new one elsewhere: "
		        "kitetop init --stdout > kitetop.conf.new\n", path);
		free(path);
		return 1;
	}
	hosts = init_hosts(cli, &n);
	if (hosts == NULL) {
		free(path);
		return 1;
	}
	init_probe_all(hosts, n);
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	text = init_config_text(hosts, n, when);
	/* what is written must load: a failure here is kitetop's own bug */
	check = config_parse(path != NULL ? path : "(kitetop init)", text, strlen(text), &cause);
	if (check == NULL) {
		fprintf(stderr, "kitetop init: the configuration made does not load (a bug, please "
		        "report it): %s\n", cause);
		free(cause);
		rc = 1;
	}
	config_free(check);
	buf_init(&report);
	init_report(hosts, n, &report);
	if (rc == 0 && path == NULL) {
		fputs(buf_cstr(&report), stderr);
		fputs(text, stdout);
		rc = fflush(stdout) == 0 ? 0 : 1;
	} else if (rc == 0) {
		fputs(buf_cstr(&report), stdout);
		rc = init_write(path, text) == 0 ? 0 : 1;
		if (rc == 0)
			printf("wrote %s; now run: kitetop%s%s\n", path, cli->config != NULL ? " -c " : "",
			       cli->config != NULL ? cli->config : "");
	}
	buf_done(&report);
	for (size_t i = 0; i < n; i++)
		init_host_done(&hosts[i]);
	free(hosts);
	free(text);
	free(path);
	return rc;
}
