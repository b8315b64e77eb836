/* The HTTP wrapper's TLS options against real TLS servers: `openssl s_server`
 * on 127.0.0.1 with certificates made for the test (skipped when the openssl
 * program is missing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/http.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

struct tls_server {
	pid_t pid;
	int port;
	int out_fd;  /* its stdout and stderr, kept open so that it never gets SIGPIPE */
};

static char dir[64];
static bool have_openssl;
static struct tls_server plain_srv = { -1, 0, -1 }; /* server cert only */
static struct tls_server mtls_srv = { -1, 0, -1 };  /* also requires a client cert */

static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* Runs argv with output to /dev/null; its exit status, or -1. */
static int run_quiet(char *const argv[])
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Starts `openssl s_server` with extra arguments and reads its port from
 * its "ACCEPT 127.0.0.1:PORT" line.  0 or -1. */
static int start_server(struct tls_server *s, const char *const extra[])
{
	char *cert = in_dir("server.pem"), *key = in_dir("server.key");
	const char *argv[20] = { "openssl", "s_server", "-accept", "127.0.0.1:0", "-www",
	                         "-cert", cert, "-key", key };
	size_t n = 9;
	int p[2];
	struct buf out;
	int64_t deadline = time_mono_ms() + 5000;

	for (size_t i = 0; extra[i] != NULL && n < UTIL_ARRAY_LEN(argv) - 1; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	s->pid = fork();
	if (s->pid == 0) {
		int fd = open("/dev/null", O_RDONLY);

		dup2(fd, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	free(cert);
	free(key);
	if (s->pid < 0) {
		close(p[0]);
		return -1;
	}
	buf_init(&out);
	while (s->port == 0 && time_mono_ms() < deadline) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		char tmp[256];
		const char *a;
		ssize_t r;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		r = read(p[0], tmp, sizeof tmp);
		if (r <= 0)
			break;
		buf_append(&out, tmp, (size_t)r);
		a = strstr(buf_cstr(&out), "ACCEPT 127.0.0.1:");
		if (a != NULL && strchr(a, '\n') != NULL)
			s->port = atoi(a + 17);
	}
	buf_done(&out);
	/* Its later output (a few lines) stays unread in the pipe. */
	s->out_fd = p[0];
	return s->port > 0 ? 0 : -1;
}

static void stop_server(struct tls_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = -1;
	}
	if (s->out_fd >= 0) {
		close(s->out_fd);
		s->out_fd = -1;
	}
}

static int make_cert(const char *cn, const char *san, const char *cert, const char *key)
{
	char *c = in_dir(cert), *k = in_dir(key), *subj = xasprintf("/CN=%s", cn);
	char *san_arg = san != NULL ? xasprintf("subjectAltName=%s", san) : NULL;
	const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
	                       "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
	                       "-keyout", k, "-out", c, "-subj", subj,
	                       san_arg != NULL ? "-addext" : NULL, san_arg, NULL };
	int rc = run_quiet((char *const *)argv);

	free(c);
	free(k);
	free(subj);
	free(san_arg);
	return rc == 0 ? 0 : -1;
}

static int group_setup(void **state)
{
	static const char *const mtls[] = { "-Verify", "1", "-verify_return_error", "-CAfile",
	                                    NULL, NULL };
	const char *extra[UTIL_ARRAY_LEN(mtls)];
	char *client_ca;
	int rc;

	http_global_init();
	util_strlcpy(dir, "/tmp/kt-tls-XXXXXX", sizeof dir);
	if (mkdtemp(dir) == NULL)
		return -1;
	if (make_cert("127.0.0.1", "IP:127.0.0.1", "server.pem", "server.key") != 0) {
		fprintf(stderr, "openssl cannot make certificates: the TLS tests are skipped\n");
		return 0;
	}
	if (make_cert("kitetop-client", NULL, "client.pem", "client.key") != 0)
		return -1;
	client_ca = in_dir("client.pem");
	memcpy(extra, mtls, sizeof extra);
	extra[4] = client_ca;
	rc = start_server(&plain_srv, (const char *const[]){ NULL });
	if (rc == 0)
		rc = start_server(&mtls_srv, extra);
	free(client_ca);
	have_openssl = rc == 0;
	return rc;
}

static int group_teardown(void **state)
{
	const char *files[] = { "server.pem", "server.key", "client.pem", "client.key" };

	stop_server(&plain_srv);
	stop_server(&mtls_srv);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(files); i++) {
		char *f = in_dir(files[i]);

		unlink(f);
		free(f);
	}
	rmdir(dir);
	http_global_cleanup();
	return 0;
}

/* Requests https://HOST:PORT/ with req's TLS options; returns the result. */
static int tls_get(struct http_request *req, const char *host, int port,
                   struct http_response *resp, char **cause)
{
	struct http_client *c = http_client_new(NULL);
	char *u = xasprintf("https://%s:%d/", host, port);
	int rc;

	req->url = u;
	rc = http_request(c, req, resp, cause);
	req->url = NULL;
	free(u);
	http_client_free(c);
	return rc;
}

static void expect_tls_error(struct http_request *req, const char *host, int port,
                             const char *want)
{
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(tls_get(req, host, port, &resp, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	http_response_done(&resp);
}

static void expect_tls_ok(struct http_request *req, const char *host, int port)
{
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	if (tls_get(req, host, port, &resp, &cause) != 0)
		fail_msg("expected success, got: %s", cause);
	assert_int_equal(resp.status, 200);
	/* s_server -www answers with a page about the session. */
	assert_non_null(strstr(buf_cstr(&resp.body), "s_server"));
	http_response_done(&resp);
}

static void test_self_signed_rejected(void **state)
{
	struct http_request req = { 0 };

	if (!have_openssl)
		skip();
	expect_tls_error(&req, "127.0.0.1", plain_srv.port,
	                 "TLS: certificate problem: self-signed certificate");
}

static void test_ca_file_accepted(void **state)
{
	char *ca = in_dir("server.pem");
	struct http_request req = { .ca_file = ca };

	if (!have_openssl) {
		free(ca);
		skip();
	}
	expect_tls_ok(&req, "127.0.0.1", plain_srv.port);
	/* The right CA, the wrong name. */
	expect_tls_error(&req, "localhost", plain_srv.port,
	                 "TLS: no alternative certificate subject name matches target "
	                 "host name 'localhost'");
	free(ca);
}

static void test_insecure_only_when_set(void **state)
{
	struct http_request req = { .insecure = true };

	if (!have_openssl)
		skip();
	expect_tls_ok(&req, "127.0.0.1", plain_srv.port);
	expect_tls_ok(&req, "localhost", plain_srv.port);
	req.insecure = false;
	expect_tls_error(&req, "127.0.0.1", plain_srv.port,
	                 "TLS: certificate problem: self-signed certificate");
}

static void test_client_certificate(void **state)
{
	char *ca = in_dir("server.pem"), *cert = in_dir("client.pem"), *key = in_dir("client.key");
	struct http_request req = { .ca_file = ca, .bearer_token = "MTLS-TOKEN" };
	struct http_response resp;
	char *cause = NULL;

	if (!have_openssl) {
		free(ca);
		free(cert);
		free(key);
		skip();
	}
	http_response_init(&resp);
	assert_int_equal(tls_get(&req, "127.0.0.1", mtls_srv.port, &resp, &cause), -1);
	assert_string_equal(cause, "TLS: tlsv13 alert certificate required");
	free(cause);
	http_response_done(&resp);

	req.cert_file = cert;
	req.key_file = key;
	expect_tls_ok(&req, "127.0.0.1", mtls_srv.port);
	/* A key file that does not exist. */
	req.key_file = "/nonexistent/client.key";
	http_response_init(&resp);
	cause = NULL;
	assert_int_equal(tls_get(&req, "127.0.0.1", mtls_srv.port, &resp, &cause), -1);
	assert_true(strncmp(cause, "TLS: ", 5) == 0);
	assert_null(strstr(cause, "MTLS-TOKEN"));
	free(cause);
	http_response_done(&resp);
	free(ca);
	free(cert);
	free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self_signed_rejected),
		cmocka_unit_test(test_ca_file_accepted),
		cmocka_unit_test(test_insecure_only_when_set),
		cmocka_unit_test(test_client_certificate),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("http_tls", tests, group_setup, group_teardown);
}
