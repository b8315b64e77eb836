/* ssh_testlab — support for the SSH transport's integration tests: running
 * commands, a TCP echo server on 127.0.0.10, byte-exact echo jobs. */
#include "tests/support/ssh_testlab.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

/* Runs argv (env: extra "K=V" or NULL); returns the exit status; the first
 * line of stdout goes to out when given. */
int
ssh_testlab_run(char *const argv[], const char *env, char *out, size_t outlen)
{
	int fds[2], status = -1;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		if (env != NULL)
			putenv((char *)env);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	if (out != NULL && outlen > 0) {
		ssize_t n = read(fds[0], out, outlen - 1);

		out[n > 0 ? n : 0] = '\0';
		out[strcspn(out, "\n")] = '\0';
	}
	{
		char sink[256];

		while (read(fds[0], sink, sizeof sink) > 0)
			;
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
ssh_testlab_unix_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	util_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}


static int echo_fd = -1;

static void *
echo_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char b[65536];
	ssize_t n;

	while ((n = read(fd, b, sizeof b)) > 0)
		if (util_write_all(fd, b, (size_t)n) != 0)
			break;
	close(fd);
	return NULL;
}

static void *
echo_main(void *arg)
{
	for (;;) {
		int fd = accept(echo_fd, NULL, NULL);
		pthread_t th;

		if (fd < 0)
			return NULL;
		pthread_create(&th, NULL, echo_conn, (void *)(intptr_t)fd);
		pthread_detach(th);
	}
}

int
ssh_testlab_echo_start(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	pthread_t th;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = inet_addr("127.0.0.10");
	echo_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (echo_fd < 0 || bind(echo_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(echo_fd, 128) != 0 || getsockname(echo_fd, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	pthread_create(&th, NULL, echo_main, NULL);
	pthread_detach(th);
	return ntohs(sa.sin_port);
}


/* The byte at offset i: a hash of i, so that bytes lost or repeated anywhere
 * show as a wrong byte (a pattern with a period would hide a loss of a
 * multiple of it, such as whole 32 KiB SSH packets). */
static unsigned char
pattern(size_t i, unsigned seed)
{
	uint64_t x = ((uint64_t)i + 1) * 0x9E3779B97F4A7C15ull ^ seed;

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ull;
	return (unsigned char)(x >> 56);
}

static void *
writer(void *arg)
{
	struct ssh_testlab_job *j = arg;
	unsigned char b[16384];
	size_t off = 0;

	while (off < j->len) {
		size_t n = j->len - off < sizeof b ? j->len - off : sizeof b, i;

		for (i = 0; i < n; i++)
			b[i] = pattern(off + i, j->seed);
		if (util_write_all(j->fd, b, n) != 0)
			return NULL;
		off += n;
	}
	shutdown(j->fd, SHUT_WR);
	return NULL;
}

void *
ssh_testlab_echo_job(void *arg)
{
	struct ssh_testlab_job *j = arg;
	pthread_t w;
	unsigned char b[16384];
	size_t got = 0;
	ssize_t n;

	j->result = -1;
	pthread_create(&w, NULL, writer, j);
	while ((n = read(j->fd, b, sizeof b)) > 0) {
		ssize_t i;

		if (j->pause_at > 0 && got < j->pause_at && got + (size_t)n >= j->pause_at)
			time_sleep_ms(j->pause_ms);

		for (i = 0; i < n; i++)
			if (b[i] != pattern(got + (size_t)i, j->seed)) {
				got += (size_t)i;
				goto out;
			}
		got += (size_t)n;
	}
	/* EOF came back after all the bytes: EOF travelled both ways */
	if (got == j->len)
		j->result = 0;
out:
	j->got = got;
	if (j->result != 0)
		fprintf(stderr, "echo: %zu of %zu bytes right, then %s\n", got, j->len,
		    n > 0 ? "a wrong byte" : n == 0 ? "EOF" : strerror(errno));
	pthread_join(w, NULL);
	close(j->fd);
	return NULL;
}
