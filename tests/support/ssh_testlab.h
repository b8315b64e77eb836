/* ssh_testlab — helpers of tests/integration/itest_ssh.c (see ssh_testlab.c). */
#ifndef KITETOP_TESTS_SSH_TESTLAB_H
#define KITETOP_TESTS_SSH_TESTLAB_H

#include <stddef.h>

/* Runs argv (env: one extra "K=V" or NULL) and returns its exit status; the
 * first line of its stdout goes to out when out is not NULL. */
int ssh_testlab_run(char *const argv[], const char *env, char *out, size_t outlen);

/* Connects to a unix socket; fd or -1. */
int ssh_testlab_unix_connect(const char *path);

/* Starts a TCP echo server on 127.0.0.10 (ephemeral port, one thread per
 * connection, closes after the client's EOF).  Returns the port or -1. */
int ssh_testlab_echo_start(void);

/* An echo job: sends len pattern bytes on fd (then shutdown(SHUT_WR)) while
 * reading them back; result 0 when all came back byte-exact followed by EOF.
 * fd is closed at the end. */
struct ssh_testlab_job {
	int fd;
	size_t len;
	unsigned seed;
	int result;
	size_t got;           /* bytes that came back right */
	/* the reader stops for pause_ms once pause_at bytes came back (0: never),
	 * while the writer goes on: the far side's window fills */
	size_t pause_at;
	int pause_ms;
};

/* Runs the job (arg: struct ssh_testlab_job *); usable as a thread body. */
void *ssh_testlab_echo_job(void *arg);

#endif
