/* bench/docker_list — the time of one host's container poll
 * (docker_list_containers(): the list, its inspects and the background stats)
 * with 12 and with 100 containers on a real dockerd: the lab's monk engine
 * (tests/lab/run/monk/docker.sock) or $KT_LAB_DOCKER_SOCK.
 *
 * It tops the engine up to 12, then to 100 containers (kt-bench-PID-bN, an
 * endless `sleep` in an image already on the engine: $KT_LAB_DOCKER_IMAGE,
 * else the first one listed) with the docker CLI, and removes the ones it
 * made at the end, also after Ctrl-C.  For each count it prints the first
 * poll's time, the worst of the next ten polls 2 s apart (kitetop's default
 * refresh), and how many containers have a CPU % after those 20 s.  It judges
 * nothing.  Exit status: 0, 1 when the engine fails, 2 without an engine.
 *
 * usage: build/bench/docker_list   (make bench-docker) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/docker.h"
#include "backends/http.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

static char *sock;            /* the engine's socket */
static char *image;           /* an image on it */
static char prefix[64];       /* kt-bench-PID */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
}

/* Runs argv, its stdout into out (if not NULL).  Returns the exit status, -1. */
static int run(struct buf *out, const char *const *argv)
{
	int fd[2], status;
	pid_t pid;
	char tmp[4096];
	ssize_t r;

	if (pipe(fd) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		signal(SIGINT, SIG_IGN);   /* the cleanup's `docker rm` outlives a Ctrl-C */
		dup2(fd[1], 1);
		if (devnull >= 0)
			dup2(devnull, 2);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fd[1]);
	while ((r = read(fd[0], tmp, sizeof(tmp))) > 0 || (r < 0 && errno == EINTR))
		if (r > 0 && out != NULL)
			buf_append(out, tmp, (size_t)r);
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* docker -H unix://SOCK ARGS... (NULL-terminated); stdout into out. */
static int dockercli(struct buf *out, ...)
{
	const char *argv[40];
	char *host = xasprintf("unix://%s", sock);
	va_list ap;
	int n = 0, rc;

	argv[n++] = "docker";
	argv[n++] = "-H";
	argv[n++] = host;
	va_start(ap, out);
	while (n < 39 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	rc = run(out, argv);
	free(host);
	return rc;
}

/* docker run -d --name PREFIX-bI ... IMAGE sh -c 'exec sleep 1000000' */
static int start_container(int i)
{
	char *name = xasprintf("%s-b%d", prefix, i);
	int rc;

	rc = dockercli(NULL, "run", "-d", "--name", name, "--network", "host", "--ulimit",
	               "nofile=1024:1024", image, "sh", "-c", "exec sleep 1000000", (char *)NULL);
	if (rc != 0)
		fprintf(stderr, "docker_list: docker run %s failed (%d)\n", name, rc);
	free(name);
	return rc == 0 ? 0 : -1;
}

/* Containers on the engine, made ones included, or -1. */
static int count_containers(void)
{
	struct buf out;
	int have = 0;
	size_t i;

	buf_init(&out);
	if (dockercli(&out, "ps", "-aq", (char *)NULL) != 0) {
		buf_done(&out);
		return -1;
	}
	for (i = 0; i < out.len; i++)
		have += out.data[i] == '\n';
	buf_done(&out);
	return have;
}

/* Removes every container this run made (PREFIX-*). */
static void remove_made(void)
{
	char *filter = xasprintf("name=%s-", prefix);
	struct buf out;
	char *p, *line;

	buf_init(&out);
	dockercli(&out, "ps", "-aq", "--filter", filter, (char *)NULL);
	for (line = strtok_r(out.data ? out.data : (char *)"", "\n", &p); line != NULL;
	     line = strtok_r(NULL, "\n", &p))
		dockercli(NULL, "rm", "-f", line, (char *)NULL);
	buf_done(&out);
	free(filter);
}

/* The poll times of a fresh client with total containers on the engine. */
static int bench_with(int total)
{
	struct docker_options o = { .unix_socket = sock, .base_url = "http://localhost" };
	struct docker *d = docker_new(&o);
	struct docker_container *l;
	size_t n, i, known = 0;
	char *cause = NULL;
	int64_t t0, first, worst = 0;
	int k;

	t0 = time_mono_ms();
	if (docker_list_containers(d, &l, &n, &cause) != 0)
		goto failed;
	first = time_mono_ms() - t0;
	docker_containers_free(l, n);
	for (k = 0; k < 10 && !interrupted; k++) {   /* steady state, a poll every 2 s */
		int64_t t;

		time_sleep_ms(2000);
		t = time_mono_ms();
		if (docker_list_containers(d, &l, &n, &cause) != 0)
			goto failed;
		t = time_mono_ms() - t;
		if (t > worst)
			worst = t;
		known = 0;
		for (i = 0; i < n; i++)
			known += l[i].cpu_pct >= 0;
		docker_containers_free(l, n);
	}
	if (interrupted) {
		docker_free(d);
		return -1;
	}
	printf("docker_list: %d containers: first poll %lld ms, then at most %lld ms; "
	       "after 20 s, %zu of %zu have a CPU %%\n", total, (long long)first,
	       (long long)worst, known, n);
	fflush(stdout);
	docker_free(d);
	return 0;
failed:
	fprintf(stderr, "docker_list: %s\n", cause);
	free(cause);
	docker_free(d);
	return -1;
}

/* Tops the engine up from have to want containers, then times the polls. */
static int step(int have, int want)
{
	int i;

	for (i = have; i < want && !interrupted; i++)
		if (start_container(i) != 0)
			return -1;
	if (interrupted)
		return -1;
	return bench_with(have > want ? have : want);
}

int main(void)
{
	const char *env = getenv("KT_LAB_DOCKER_SOCK");
	struct sigaction sa;
	struct stat st;
	struct buf out;
	int have, rc = 1;

	sock = xstrdup(env != NULL && env[0] ? env : "tests/lab/run/monk/docker.sock");
	if (stat(sock, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		printf("docker_list: no Docker engine at %s (start the lab: make lab)\n", sock);
		free(sock);
		return 2;
	}
	http_global_init();
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;   /* checked between polls and between containers */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	snprintf(prefix, sizeof(prefix), "kt-bench-%ld", (long)getpid());

	env = getenv("KT_LAB_DOCKER_IMAGE");
	buf_init(&out);
	if (env != NULL && env[0]) {
		image = xstrdup(env);
	} else if (dockercli(&out, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}",
	                     (char *)NULL) == 0 && out.len > 0) {
		out.data[strcspn(out.data, "\n")] = '\0';
		image = xstrdup(out.data);
	}
	buf_done(&out);
	if (image == NULL) {
		printf("docker_list: no image on the engine at %s (set KT_LAB_DOCKER_IMAGE)\n", sock);
		rc = 2;
	} else if ((have = count_containers()) < 0) {
		fprintf(stderr, "docker_list: docker ps failed on %s\n", sock);
	} else if (step(have, 12) == 0 && step(have > 12 ? have : 12, 100) == 0) {
		rc = 0;
	} else if (interrupted) {
		printf("docker_list: interrupted; removing its containers\n");
	}
	if (image != NULL)
		remove_made();
	free(sock);
	free(image);
	http_global_cleanup();
	return rc;
}
