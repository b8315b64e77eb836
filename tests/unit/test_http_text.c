/* The HTTP wrapper's pure text functions: http_status_error() on bodies
 * written by hand (the real server's bodies are in test_http.c),
 * http_escape() and http_connect_error_words(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "backends/http.h"
#include "backends/http_internal.h"
#include "core/base/buf.h"

/* http_status_error on bodies written by hand. */
static void check_status_error(long status, const char *body, const char *want)
{
	struct http_response resp;
	char *e;

	http_response_init(&resp);
	resp.status = status;
	if (body != NULL)
		buf_puts(&resp.body, body);
	e = http_status_error(&resp);
	assert_string_equal(e, want);
	free(e);
	http_response_done(&resp);
}

static void test_status_error_texts(void **state)
{
	char long_line[400], long_json[400];

	check_status_error(503, NULL, "HTTP 503");
	check_status_error(404, "", "HTTP 404");
	check_status_error(404, "  \n", "HTTP 404");
	check_status_error(404, "{\"message\":\"No such container: c2ada9df5af8\"}",
	                   "HTTP 404: No such container: c2ada9df5af8");
	check_status_error(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
	                   "\"error\":\"parse error at char 4\"}",
	                   "HTTP 400: parse error at char 4");
	check_status_error(403, "{\"success\":false,\"errors\":[{\"code\":10000,"
	                   "\"message\":\"Authentication error\"}]}",
	                   "HTTP 403: Authentication error");
	check_status_error(500, "{\"detail\":\"x\"}", "HTTP 500");
	check_status_error(500, "{\"message\":42}", "HTTP 500");
	check_status_error(500, "{broken json", "HTTP 500");
	check_status_error(500, "{\"message\":\"two\\nlines\\tand tab\"}",
	                   "HTTP 500: two lines and tab");
	check_status_error(502, "Bad Gateway\n", "HTTP 502: Bad Gateway");
	check_status_error(502, "line one\nline two\n", "HTTP 502");
	check_status_error(502, "<html>Bad Gateway</html>", "HTTP 502");

	memset(long_line, 'a', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	check_status_error(500, long_line, "HTTP 500");
	/* A long JSON message is cut at 200 characters. */
	snprintf(long_json, sizeof long_json, "{\"message\":\"%.300s\"}", long_line);
	{
		struct http_response resp;
		char *e;

		http_response_init(&resp);
		resp.status = 500;
		buf_puts(&resp.body, long_json);
		e = http_status_error(&resp);
		assert_int_equal(strlen(e), strlen("HTTP 500: ") + 200 + 3);
		assert_string_equal(e + strlen(e) - 3, "...");
		free(e);
		http_response_done(&resp);
	}
}

static void test_escape(void **state)
{
	char *e;

	e = http_escape("a b&c=d/\xc3\xa9");
	assert_string_equal(e, "a%20b%26c%3Dd%2F%C3%A9");
	free(e);
	e = http_escape("");
	assert_string_equal(e, "");
	free(e);
	e = http_escape("AZaz09-._~");
	assert_string_equal(e, "AZaz09-._~");
	free(e);
	e = http_escape("{\"type\":[\"container\"]}");
	assert_string_equal(e, "%7B%22type%22%3A%5B%22container%22%5D%7D");
	free(e);
}

static int group_setup(void **state)
{
	http_global_init();
	return 0;
}

static int group_teardown(void **state)
{
	http_global_cleanup();
	return 0;
}

/* A failed connect in words, from curl's errno: a Unix socket that polled
 * hung up with no error was connected and closed at once (an SSH tunnel's
 * refused channel), not refused. */
static void test_connect_error_words(void **state)
{
	static const struct { int oserr; const char *sock, *want; } cases[] = {
		{ ECONNREFUSED, NULL, "connection refused" },
		{ 0, NULL, "connection refused" },
		{ ECONNREFUSED, "/run/t1.sock", "connection refused" },
		{ 0, "/run/t1.sock", "connection closed before any response" },
		{ ENOENT, "/run/t1.sock", "cannot connect to /run/t1.sock: No such file or directory" },
		{ EHOSTUNREACH, NULL, "cannot connect: No route to host" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *w = http_connect_error_words(cases[i].oserr, cases[i].sock);

		assert_string_equal(w, cases[i].want);
		free(w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_error_texts),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_connect_error_words),
	};

	return cmocka_run_group_tests_name("http_text", tests, group_setup, group_teardown);
}
