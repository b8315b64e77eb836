/* The HTTP wrapper against a real local server (tests/support/http_testserver). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/http.h"
#include "core/base/cancel.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/http_testserver.h"

#define MB ((size_t)1024 * 1024)

static struct http_testserver *srv;

static int group_setup(void **state)
{
	http_global_init();
	srv = http_testserver_start();
	return srv == NULL ? -1 : 0;
}

static int group_teardown(void **state)
{
	http_testserver_stop(srv);
	http_global_cleanup();
	return 0;
}

static char *url(const char *path)
{
	return xasprintf("%s%s", http_testserver_base(srv), path);
}

/* Runs req (its url made from path) on a fresh client; returns the result,
 * *cause set on failure and *elapsed_ms the time it took. */
static int run(struct http_request *req, const char *path, struct http_response *resp,
               char **cause, int64_t *elapsed_ms)
{
	struct http_client *c = http_client_new(NULL);
	char *u = url(path);
	int64_t t0 = time_mono_ms();
	int rc;

	req->url = u;
	rc = http_request(c, req, resp, cause);
	if (elapsed_ms != NULL)
		*elapsed_ms = time_mono_ms() - t0;
	req->url = NULL;
	free(u);
	http_client_free(c);
	return rc;
}

/* Expects the request to fail with exactly want. */
static void expect_error(struct http_request *req, const char *path, const char *want)
{
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(req, path, &resp, &cause, NULL), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	assert_int_equal(resp.body.len, 0);
	free(cause);
	http_response_done(&resp);
}

static void test_get_gives_status_body_and_no_extras(void **state)
{
	struct http_request req = { 0 };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/ok", &resp, &cause, NULL), 0);
	assert_null(cause);
	assert_int_equal(resp.status, 200);
	assert_string_equal(buf_cstr(&resp.body), "hello");
	assert_int_equal(resp.body.len, 5);
	assert_int_equal(resp.retry_after_s, -1);
	assert_null(resp.api_version);
	assert_false(resp.stopped);
	assert_true(resp.total_ms >= 0 && resp.total_ms < 2000);
	http_response_done(&resp);
}

static void test_status_error_takes_json_or_text_message_not_html(void **state)
{
	struct http_request req = { 0 };
	struct http_response resp;
	char *cause = NULL, *e;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/status?code=503", &resp, &cause, NULL), 0);
	assert_int_equal(resp.status, 503);
	e = http_status_error(&resp);
	assert_string_equal(e, "HTTP 503: backend is down");
	free(e);
	assert_int_equal(run(&req, "/text?code=500", &resp, &cause, NULL), 0);
	e = http_status_error(&resp);
	assert_string_equal(e, "HTTP 500: overloaded, try later");
	free(e);
	assert_int_equal(run(&req, "/html?code=502", &resp, &cause, NULL), 0);
	e = http_status_error(&resp);
	assert_string_equal(e, "HTTP 502");
	free(e);
	http_response_done(&resp);
}

static void test_closed_port_says_connection_refused(void **state)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	struct http_request req = { .bearer_token = "tok-SECRET-1" };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char path[64];
	struct http_response resp;
	char *cause = NULL, *u;
	struct http_client *c;

	/* A port that was just free: bind, read it back, close. */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	snprintf(path, sizeof path, "http://127.0.0.1:%d/ok", ntohs(sin.sin_port));
	u = xstrdup(path);
	req.url = u;
	c = http_client_new(NULL);
	http_response_init(&resp);
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "connection refused");
	assert_int_equal(resp.status, 0);
	free(cause);
	http_response_done(&resp);
	http_client_free(c);
	free(u);
}

/* A host name with a 70-character label: the resolver refuses it before it
 * sends any query, so this test sends no packet off this machine. */
#define BAD_HOST "nohost-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.invalid"

static void test_unresolvable_host_says_cannot_resolve(void **state)
{
	struct http_request req = { .url = "http://" BAD_HOST "/x" };
	struct http_client *c = http_client_new(NULL);
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "cannot resolve " BAD_HOST);
	free(cause);
	http_response_done(&resp);
	http_client_free(c);
}

static void test_timeout_under_a_second_says_ms(void **state)
{
	struct http_request req = { .timeout_ms = 300 };
	struct http_response resp;
	char *cause = NULL;
	int64_t ms;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/slow?ms=5000", &resp, &cause, &ms), -1);
	assert_string_equal(cause, "timeout after 300 ms");
	assert_true(ms >= 250 && ms < 1000);
	free(cause);
	http_response_done(&resp);
}

static void test_timeout_is_total_not_per_byte_and_in_seconds(void **state)
{
	struct http_request req = { .timeout_ms = 1000 };
	struct http_response resp;
	char *cause = NULL;
	int64_t ms;

	http_response_init(&resp);
	/* The server answers headers, then a byte every 300 ms: the total
	 * timeout counts, not the time between bytes. */
	assert_int_equal(run(&req, "/dribble?ms=300&n=10", &resp, &cause, &ms), -1);
	assert_string_equal(cause, "timeout after 1 s");
	assert_true(ms >= 950 && ms < 1800);
	free(cause);
	http_response_done(&resp);
}

static void test_connect_timeout_ends_a_dropped_syn_early(void **state)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fill[4];
	struct http_request req = { .connect_timeout_ms = 200, .timeout_ms = 3000 };
	struct http_client *c;
	struct http_response resp;
	char *cause = NULL, *u;
	int64_t t0, ms;

	/* A listener that never accepts, its queue full: SYNs are dropped. */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(lfd, 0), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(fill); i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(fill[i], (struct sockaddr *)&sin, sizeof sin);
	}
	time_sleep_ms(50);
	u = xasprintf("http://127.0.0.1:%d/ok", ntohs(sin.sin_port));
	req.url = u;
	c = http_client_new(NULL);
	http_response_init(&resp);
	t0 = time_mono_ms();
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	ms = time_mono_ms() - t0;
	assert_string_equal(cause, "connect timeout after 200 ms");
	assert_true(ms < 1000);
	free(cause);
	http_response_done(&resp);
	http_client_free(c);
	free(u);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(fill); i++)
		close(fill[i]);
	close(lfd);
}

static void test_cap_refuses_big_content_length_before_body(void **state)
{
	struct http_request req = { 0 };
	struct http_response resp;
	char *cause = NULL;
	int64_t ms;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/big?mb=20&mode=cl", &resp, &cause, &ms), -1);
	assert_string_equal(cause, "response over 8 MB");
	/* Refused on its Content-Length, before any of the body. */
	assert_true(resp.body.cap <= 1);
	free(cause);
	http_response_done(&resp);
}

static void test_default_cap_stops_chunked_body_at_8_mb(void **state)
{
	struct http_request req = { .timeout_ms = 60000 };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/big?mb=20&mode=chunked", &resp, &cause, NULL), -1);
	assert_string_equal(cause, "response over 8 MB");
	assert_int_equal(resp.body.len, 0);
	/* The body buffer grew to the cap and never past it. */
	assert_true(resp.body.cap > 4 * MB);
	assert_true(resp.body.cap <= HTTP_DEFAULT_MAX_BYTES + 1);
	free(cause);
	http_response_done(&resp);
}

static void test_custom_cap_refused_in_every_mode_with_its_size(void **state)
{
	struct http_request req = { .max_bytes = 64 * 1024 };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/big?mb=20&mode=close", &resp, &cause, NULL), -1);
	assert_string_equal(cause, "response over 64 KB");
	assert_true(resp.body.cap <= 64 * 1024 + 1);
	free(cause);
	cause = NULL;
	assert_int_equal(run(&req, "/big?mb=20&mode=chunked", &resp, &cause, NULL), -1);
	assert_string_equal(cause, "response over 64 KB");
	free(cause);
	cause = NULL;
	assert_int_equal(run(&req, "/big?mb=20&mode=cl", &resp, &cause, NULL), -1);
	assert_string_equal(cause, "response over 64 KB");
	free(cause);
	http_response_done(&resp);

	req.max_bytes = 1000;
	expect_error(&req, "/big?mb=1&mode=chunked", "response over 1000 bytes");
	req.max_bytes = 3 * MB / 2;
	expect_error(&req, "/big?mb=2&mode=chunked", "response over 1.5 MB");
}

static void test_body_at_or_under_the_cap_arrives_whole(void **state)
{
	struct http_request req = { .max_bytes = MB };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/big?mb=1&mode=chunked", &resp, &cause, NULL), 0);
	assert_int_equal(resp.body.len, MB);
	assert_true(resp.body.cap <= MB + 1);
	assert_int_equal(resp.body.data[0], 'x');
	assert_int_equal(resp.body.data[MB - 1], 'x');
	assert_int_equal(run(&req, "/big?mb=1&mode=cl", &resp, &cause, NULL), 0);
	assert_int_equal(resp.body.len, MB);
	http_response_done(&resp);
	/* 20 MB within a 32 MB cap (a generous timeout: sanitizers are slow). */
	req.max_bytes = 32 * MB;
	req.timeout_ms = 60000;
	http_response_init(&resp);
	if (run(&req, "/big?mb=20&mode=close", &resp, &cause, NULL) != 0)
		fail_msg("20 MB in a 32 MB cap: %s", cause);
	assert_int_equal(resp.body.len, 20 * MB);
	http_response_done(&resp);
	assert_null(cause);
}

static void test_connection_closed_early_says_when(void **state)
{
	struct http_request req = { 0 };

	expect_error(&req, "/cut", "connection closed before the response was complete");
	expect_error(&req, "/cutchunked", "connection closed before the response was complete");
	expect_error(&req, "/nothing", "connection closed before any response");
}

static void test_retry_after_and_api_version_read_and_reset(void **state)
{
	struct http_request req = { 0 };
	struct http_client *c = http_client_new(NULL);
	struct http_response resp;
	char *cause = NULL, *u = url("/retry?after=7"), *u2 = url("/retrydate"), *u3 = url("/ok");

	http_response_init(&resp);
	req.url = u;
	assert_int_equal(http_request(c, &req, &resp, &cause), 0);
	assert_int_equal(resp.status, 429);
	assert_int_equal(resp.retry_after_s, 7);
	assert_non_null(resp.api_version);
	assert_string_equal(resp.api_version, "1.41");
	req.url = u2;
	assert_int_equal(http_request(c, &req, &resp, &cause), 0);
	assert_int_equal(resp.status, 503);
	assert_true(resp.retry_after_s >= 110 && resp.retry_after_s <= 121);
	assert_null(resp.api_version);
	/* The same response reused: reset first. */
	req.url = u3;
	assert_int_equal(http_request(c, &req, &resp, &cause), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.retry_after_s, -1);
	assert_null(resp.api_version);
	http_response_done(&resp);
	http_client_free(c);
	free(u);
	free(u2);
	free(u3);
}

static void test_bearer_token_and_headers_are_sent(void **state)
{
	const char *const headers[] = { "X-Kitetop-Test: yes", "Accept: application/json", NULL };
	struct http_request req = { .bearer_token = "tok-abc.123", .headers = headers };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/echo", &resp, &cause, NULL), 0);
	assert_non_null(strstr(buf_cstr(&resp.body), "GET /echo HTTP/1.1\r\n"));
	assert_non_null(strstr(buf_cstr(&resp.body), "\r\nAuthorization: Bearer tok-abc.123\r\n"));
	assert_non_null(strstr(buf_cstr(&resp.body), "\r\nX-Kitetop-Test: yes\r\n"));
	assert_non_null(strstr(buf_cstr(&resp.body), "\r\nAccept: application/json\r\n"));
	assert_non_null(strstr(buf_cstr(&resp.body), "\r\nUser-Agent: kitetop/"));
	http_response_done(&resp);
}

static void test_basic_auth_header_is_sent(void **state)
{
	struct http_request req = { .basic_user = "alice", .basic_password = "s3cret" };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/echo", &resp, &cause, NULL), 0);
	/* base64("alice:s3cret") */
	assert_non_null(strstr(buf_cstr(&resp.body), "\r\nAuthorization: Basic YWxpY2U6czNjcmV0\r\n"));
	http_response_done(&resp);
}

static void test_post_delete_head_send_method_and_body(void **state)
{
	const char *json = "{\"a\":1}";
	struct http_request req = { .method = "POST", .body = json, .body_len = strlen(json),
	                            .content_type = "application/json" };
	struct http_response resp;
	char *cause = NULL;
	const char *b;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/echo", &resp, &cause, NULL), 0);
	b = buf_cstr(&resp.body);
	assert_true(strncmp(b, "POST /echo HTTP/1.1\r\n", 21) == 0);
	assert_non_null(strstr(b, "\r\nContent-Type: application/json\r\n"));
	assert_non_null(strstr(b, "\r\nContent-Length: 7\r\n"));
	assert_string_equal(b + strlen(b) - 7, json);

	/* POST without a body (Docker's start/stop). */
	req = (struct http_request){ .method = "POST" };
	assert_int_equal(run(&req, "/echo", &resp, &cause, NULL), 0);
	b = buf_cstr(&resp.body);
	assert_true(strncmp(b, "POST /echo HTTP/1.1\r\n", 21) == 0);
	assert_non_null(strstr(b, "\r\nContent-Length: 0\r\n"));

	req = (struct http_request){ .method = "DELETE" };
	assert_int_equal(run(&req, "/echo", &resp, &cause, NULL), 0);
	assert_true(strncmp(buf_cstr(&resp.body), "DELETE /echo HTTP/1.1\r\n", 23) == 0);

	req = (struct http_request){ .method = "HEAD" };
	assert_int_equal(run(&req, "/ok", &resp, &cause, NULL), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, 0);
	/* The length of a body that does not come is no reason to refuse. */
	assert_int_equal(run(&req, "/big?mb=20&mode=cl", &resp, &cause, NULL), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, 0);
	assert_null(cause);
	http_response_done(&resp);
}

static void test_secrets_never_in_errors(void **state)
{
	struct http_request req = { .bearer_token = "TOKEN-xyz", .basic_user = "bob",
	                            .basic_password = "PASS-xyz", .timeout_ms = 200 };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/slow?ms=2000", &resp, &cause, NULL), -1);
	assert_null(strstr(cause, "TOKEN-xyz"));
	assert_null(strstr(cause, "PASS-xyz"));
	free(cause);
	cause = NULL;

	/* Even when the words would contain one (here the host's name is the
	 * password), it is masked. */
	req.basic_password = BAD_HOST;
	req.url = "http://" BAD_HOST "/";
	{
		struct http_client *c = http_client_new(NULL);

		assert_int_equal(http_request(c, &req, &resp, &cause), -1);
		assert_string_equal(cause, "cannot resolve ***");
		http_client_free(c);
	}
	free(cause);
	http_response_done(&resp);
}

static void test_redirects_capped_at_5_and_credentials_not_forwarded(void **state)
{
	struct http_request req = { .follow_redirects = true };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/redirect?n=5", &resp, &cause, NULL), 0);
	assert_int_equal(resp.status, 200);
	assert_string_equal(buf_cstr(&resp.body), "landed");
	http_response_done(&resp);
	expect_error(&req, "/redirect?n=6", "too many redirects (over 5)");

	/* Credentials are not sent on to another host. */
	req.bearer_token = "REDIR-TOKEN";
	http_response_init(&resp);
	assert_int_equal(run(&req, "/elsewhere", &resp, &cause, NULL), 0);
	assert_int_equal(resp.status, 200);
	assert_true(strncmp(buf_cstr(&resp.body), "GET /echo HTTP/1.1\r\n", 20) == 0);
	assert_null(strstr(buf_cstr(&resp.body), "REDIR-TOKEN"));
	assert_null(strstr(buf_cstr(&resp.body), "Authorization"));
	req.bearer_token = NULL;
	req.basic_user = "alice";
	req.basic_password = "REDIR-PASS";
	assert_int_equal(run(&req, "/elsewhere", &resp, &cause, NULL), 0);
	assert_int_equal(resp.status, 200);
	assert_null(strstr(buf_cstr(&resp.body), "Authorization"));
	http_response_done(&resp);
	req.basic_user = req.basic_password = NULL;

	req.follow_redirects = false;
	http_response_init(&resp);
	assert_int_equal(run(&req, "/redirect?n=1", &resp, &cause, NULL), 0);
	assert_int_equal(resp.status, 302);
	assert_null(cause);
	http_response_done(&resp);
}

struct canceller {
	atomic_int *flag;
	int delay_ms;
	int64_t set_at;
};

static void *cancel_main(void *arg)
{
	struct canceller *k = arg;

	time_sleep_ms(k->delay_ms);
	k->set_at = time_mono_ms();
	cancel_raise(k->flag);
	return NULL;
}

static void cancel_after(const char *path, long timeout_ms, long stall_ms, http_stream_cb cb)
{
	atomic_int flag = 0;
	struct canceller k = { .flag = &flag, .delay_ms = 300 };
	size_t got = 0;
	struct http_request req = { .timeout_ms = timeout_ms, .stall_timeout_ms = stall_ms,
	                            .on_data = cb, .on_data_arg = &got };
	struct http_client *c = http_client_new(&flag);
	struct http_response resp;
	char *cause = NULL, *u = url(path);
	pthread_t t;
	int64_t done, late;

	http_response_init(&resp);
	req.url = u;
	assert_int_equal(pthread_create(&t, NULL, cancel_main, &k), 0);
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	done = time_mono_ms();
	pthread_join(t, NULL);
	assert_string_equal(cause, "cancelled");
	late = done - k.set_at;
	assert_true(late >= 0 && late < 200);
	free(cause);
	cause = NULL;

	/* Still set: the next request ends at once. */
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "cancelled");
	free(cause);
	http_response_done(&resp);
	http_client_free(c);
	free(u);
}

static int count_cb(const char *data, size_t len, void *arg)
{
	*(size_t *)arg += len;
	return 0;
}

static void test_cancel_ends_hung_request_and_stream_at_once(void **state)
{
	/* A peer that never answers, with no total timeout. */
	cancel_after("/hang", -1, 0, NULL);
	/* An endless stream. */
	cancel_after("/stream?ms=20", -1, 5000, count_cb);
}

static void test_stream_gets_all_bytes_past_the_cap(void **state)
{
	size_t got = 0;
	struct http_request req = { .on_data = count_cb, .on_data_arg = &got,
	                            .max_bytes = 64 * 1024, .timeout_ms = 60000 };
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	/* The cap is for collected bodies: a stream is the callback's business. */
	assert_int_equal(run(&req, "/big?mb=3&mode=chunked", &resp, &cause, NULL), 0);
	assert_int_equal(got, 3 * MB);
	assert_int_equal(resp.body.len, 0);
	assert_int_equal(resp.status, 200);
	assert_false(resp.stopped);
	got = 0;
	assert_int_equal(run(&req, "/big?mb=3&mode=cl", &resp, &cause, NULL), 0);
	assert_int_equal(got, 3 * MB);
	assert_null(cause);
	http_response_done(&resp);
}

struct ticks {
	struct buf seen;
	int stop_after;
};

static int tick_cb(const char *data, size_t len, void *arg)
{
	struct ticks *t = arg;
	size_t n = 0;

	buf_append(&t->seen, data, len);
	for (size_t i = 0; i < t->seen.len; i++)
		n += t->seen.data[i] == '\n';
	return (int)n >= t->stop_after ? -1 : 0;
}

static void test_stream_stops_when_the_callback_says(void **state)
{
	struct ticks t = { .stop_after = 3 };
	struct http_request req = { .on_data = tick_cb, .on_data_arg = &t, .timeout_ms = -1,
	                            .stall_timeout_ms = 300 };
	struct http_response resp;
	char *cause = NULL;
	int64_t ms;

	buf_init(&t.seen);
	http_response_init(&resp);
	/* Ticks every 100 ms: under the stall timeout, so it runs until stopped. */
	assert_int_equal(run(&req, "/stream?ms=100", &resp, &cause, &ms), 0);
	assert_null(cause);
	assert_true(resp.stopped);
	assert_int_equal(resp.status, 200);
	assert_true(t.seen.len >= 15);
	assert_true(strncmp(t.seen.data, "tick\ntick\ntick\n", 15) == 0);
	assert_true(ms >= 150 && ms < 1500);
	buf_done(&t.seen);
	http_response_done(&resp);
}

/* An open-ended stream (no total, no stall timeout) looks at its transfer
 * only every 30 s as a safety net: each byte must still wake it at once. */
static void test_stream_open_ended_wakes(void **state)
{
	struct ticks t = { .stop_after = 3 };
	struct http_request req = { .on_data = tick_cb, .on_data_arg = &t, .timeout_ms = -1 };
	struct http_response resp;
	char *cause = NULL;
	int64_t ms;

	(void)state;
	buf_init(&t.seen);
	http_response_init(&resp);
	/* three ticks 1.2 s apart: about 2.4 s, not a 30 s look */
	assert_int_equal(run(&req, "/stream?ms=1200", &resp, &cause, &ms), 0);
	assert_null(cause);
	assert_true(resp.stopped);
	assert_true(ms >= 2000 && ms < 5000);
	buf_done(&t.seen);
	http_response_done(&resp);
}

static void test_stream_error_status_collected(void **state)
{
	size_t got = 0;
	struct http_request req = { .on_data = count_cb, .on_data_arg = &got };
	struct http_response resp;
	char *cause = NULL, *e;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/status?code=404", &resp, &cause, NULL), 0);
	assert_int_equal(resp.status, 404);
	assert_int_equal(got, 0);
	e = http_status_error(&resp);
	assert_string_equal(e, "HTTP 404: backend is down");
	free(e);
	http_response_done(&resp);
}

static void test_stall_timeout_ends_a_stream_without_data(void **state)
{
	size_t got = 0;
	struct http_request req = { .on_data = count_cb, .on_data_arg = &got, .timeout_ms = -1,
	                            .stall_timeout_ms = 300 };
	struct http_response resp;
	char *cause = NULL;
	int64_t ms;

	http_response_init(&resp);
	assert_int_equal(run(&req, "/stall", &resp, &cause, &ms), -1);
	assert_string_equal(cause, "stalled: no data for 300 ms");
	assert_int_equal(got, 10);
	assert_true(ms >= 250 && ms < 1000);
	free(cause);
	http_response_done(&resp);
}

static void test_unix_socket_works_missing_or_too_long_is_error(void **state)
{
	struct http_request req = { .url = "http://localhost/ok",
	                            .unix_socket = http_testserver_socket(srv) };
	struct http_client *c = http_client_new(NULL);
	struct http_response resp;
	char *cause = NULL, *missing;

	http_response_init(&resp);
	assert_int_equal(http_request(c, &req, &resp, &cause), 0);
	assert_int_equal(resp.status, 200);
	assert_string_equal(buf_cstr(&resp.body), "hello");
	req.url = "http://localhost/status?code=404";
	assert_int_equal(http_request(c, &req, &resp, &cause), 0);
	assert_int_equal(resp.status, 404);

	missing = xasprintf("%s.missing", http_testserver_socket(srv));
	req.unix_socket = missing;
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	{
		char *want = xasprintf("cannot connect to %s: No such file or directory", missing);

		assert_string_equal(cause, want);
		free(want);
	}
	free(cause);
	cause = NULL;
	req.unix_socket = "/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock";
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "socket path too long (over 107 characters)");
	free(cause);
	free(missing);
	http_response_done(&resp);
	http_client_free(c);
}

static void test_connection_reused_across_options_and_failure(void **state)
{
	struct http_request req = { 0 };
	struct http_client *c = http_client_new(NULL);
	struct http_response resp;
	char *cause = NULL, *u = url("/ok"), *u2 = url("/echo");
	int before = http_testserver_connections(srv);

	http_response_init(&resp);
	req.url = u;
	assert_int_equal(http_request(c, &req, &resp, &cause), 0);
	/* Different options between the requests: the connection stays. */
	req.url = u2;
	req.bearer_token = "t";
	assert_int_equal(http_request(c, &req, &resp, &cause), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(http_testserver_connections(srv), before + 1);
	/* A request that failed mid-way does not poison the client. */
	req.timeout_ms = 200;
	free(u2);
	u2 = url("/slow?ms=2000");
	req.url = u2;
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	free(cause);
	cause = NULL;
	req.url = u;
	assert_int_equal(http_request(c, &req, &resp, &cause), 0);
	assert_string_equal(buf_cstr(&resp.body), "hello");
	http_response_done(&resp);
	http_client_free(c);
	free(u);
	free(u2);
}

static void test_tls_errors_in_words_without_the_token(void **state)
{
	struct http_request req = { .bearer_token = "TLS-TOKEN" };
	struct http_client *c = http_client_new(NULL);
	struct http_response resp;
	char *cause = NULL;
	char *u = xasprintf("https://127.0.0.1:%d/ok", http_testserver_port(srv));

	http_response_init(&resp);
	/* TLS to a plain HTTP server. */
	req.url = u;
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "TLS: wrong version number");
	assert_null(strstr(cause, "TLS-TOKEN"));
	free(cause);
	cause = NULL;
	/* A CA file that does not exist. */
	req.ca_file = "/nonexistent/ca.pem";
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "TLS: error setting certificate file: /nonexistent/ca.pem");
	free(cause);
	cause = NULL;
	/* A client certificate that does not exist. */
	req.ca_file = NULL;
	req.insecure = true;
	req.cert_file = "/nonexistent/cert.pem";
	req.key_file = "/nonexistent/key.pem";
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_true(strncmp(cause, "TLS: ", 5) == 0);
	free(cause);
	http_response_done(&resp);
	http_client_free(c);
	free(u);
}

static void test_unsupported_scheme_is_an_error(void **state)
{
	struct http_request req = { .url = "ftp://127.0.0.1/x" };
	struct http_client *c = http_client_new(NULL);
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "unsupported URL scheme");
	free(cause);
	http_response_done(&resp);
	http_client_free(c);
}

/* A reply that is not HTTP (another service on the port or socket) says
 * so, over TCP and over a unix socket, not "unsupported URL scheme". */
static void test_reply_not_http_says_so(void **state)
{
	char *u = xasprintf("%s/garbage", http_testserver_base(srv));
	struct http_request req = { .url = u };
	struct http_client *c = http_client_new(NULL);
	struct http_response resp;
	char *cause = NULL;

	http_response_init(&resp);
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "not an HTTP response");
	free(cause);
	cause = NULL;
	req.url = "http://localhost/garbage";
	req.unix_socket = http_testserver_socket(srv);
	assert_int_equal(http_request(c, &req, &resp, &cause), -1);
	assert_string_equal(cause, "not an HTTP response");
	free(cause);
	http_response_done(&resp);
	http_client_free(c);
	free(u);
}

/* Several at once in one thread: each item ends as http_request would
 * have ended it, items that fail before starting leave their place to the
 * next, a stall ends only its own transfer, and one group's bound holds
 * (3 slow requests of 300 ms, at most 1 at a time: >= 900 ms; the 3 of the
 * other group run beside them). */
static void test_many_ends_each_as_alone_and_holds_group_bound(void **state)
{
	static const char *const paths[] = {
		NULL, "/ok", "/status?code=503", "/slow?ms=300", "/slow?ms=300", "/slow?ms=300",
		"/slow?ms=300", "/slow?ms=300", "/slow?ms=300", "/stall", "/nothing",
	};
	enum { N = sizeof paths / sizeof paths[0] };
	struct http_client *c = http_client_new(NULL);
	struct http_request req[N];
	struct http_response resp[N];
	struct http_many_item it[N];
	size_t got = 0;
	int64_t t0, ms;

	for (size_t i = 0; i < N; i++) {
		req[i] = (struct http_request){ .url = paths[i] != NULL ? url(paths[i]) : NULL };
		http_response_init(&resp[i]);
		/* the slow ones: 3 in group 1 (one at a time), 3 in group 2 */
		it[i] = (struct http_many_item){ .req = &req[i], .resp = &resp[i],
			.group = i >= 3 && i <= 5 ? 1 : i >= 6 && i <= 8 ? 2 : 0 };
	}
	req[9].timeout_ms = -1;
	req[9].stall_timeout_ms = 300;
	req[9].on_data = count_cb;
	req[9].on_data_arg = &got;
	t0 = time_mono_ms();
	/* 2 places: the URL-less item fails at once and hands its place on */
	http_request_many(c, it, N, 4, 1);
	ms = time_mono_ms() - t0;
	assert_int_equal(it[0].rc, -1);
	assert_string_equal(it[0].cause, "no URL");
	assert_int_equal(it[1].rc, 0);
	assert_int_equal(resp[1].status, 200);
	assert_string_equal(buf_cstr(&resp[1].body), "hello");
	assert_int_equal(it[2].rc, 0);
	assert_int_equal(resp[2].status, 503);
	for (size_t i = 3; i <= 8; i++) {
		assert_int_equal(it[i].rc, 0);
		assert_string_equal(buf_cstr(&resp[i].body), "slow");
		assert_null(it[i].cause);
	}
	assert_int_equal(it[9].rc, -1);
	assert_string_equal(it[9].cause, "stalled: no data for 300 ms");
	assert_int_equal(got, 10);
	assert_int_equal(it[10].rc, -1);
	assert_string_equal(it[10].cause, "connection closed before any response");
	printf("# 11 requests, 4 places, group bound 1: %lld ms\n", (long long)ms);
	assert_true(ms >= 900 && ms < 5000);
	for (size_t i = 0; i < N; i++) {
		free((char *)req[i].url);
		free(it[i].cause);
		http_response_done(&resp[i]);
	}
	http_client_free(c);
}

/* A cancel ends the running ones and the ones not started. */
static void test_many_cancel_ends_running_and_waiting_at_once(void **state)
{
	atomic_int cancel = 0;
	struct canceller k = { .flag = &cancel, .delay_ms = 300 };
	struct http_client *c = http_client_new(&cancel);
	struct http_request req[4];
	struct http_response resp[4];
	struct http_many_item it[4];
	pthread_t th;
	int64_t t0, ms;

	for (size_t i = 0; i < 4; i++) {
		req[i] = (struct http_request){ .url = url("/hang"), .timeout_ms = -1 };
		http_response_init(&resp[i]);
		it[i] = (struct http_many_item){ .req = &req[i], .resp = &resp[i] };
	}
	assert_int_equal(pthread_create(&th, NULL, cancel_main, &k), 0);
	t0 = time_mono_ms();
	http_request_many(c, it, 4, 2, 4);
	ms = time_mono_ms() - t0;
	pthread_join(th, NULL);
	assert_true(t0 + ms - k.set_at < 200);   /* at once, not at the next look */
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(it[i].rc, -1);
		assert_string_equal(it[i].cause, "cancelled");
		free((char *)req[i].url);
		free(it[i].cause);
		http_response_done(&resp[i]);
	}
	assert_true(ms >= 250 && ms < 1000);
	http_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_gives_status_body_and_no_extras),
		cmocka_unit_test(test_status_error_takes_json_or_text_message_not_html),
		cmocka_unit_test(test_closed_port_says_connection_refused),
		cmocka_unit_test(test_unresolvable_host_says_cannot_resolve),
		cmocka_unit_test(test_timeout_under_a_second_says_ms),
		cmocka_unit_test(test_timeout_is_total_not_per_byte_and_in_seconds),
		cmocka_unit_test(test_connect_timeout_ends_a_dropped_syn_early),
		cmocka_unit_test(test_cap_refuses_big_content_length_before_body),
		cmocka_unit_test(test_default_cap_stops_chunked_body_at_8_mb),
		cmocka_unit_test(test_custom_cap_refused_in_every_mode_with_its_size),
		cmocka_unit_test(test_body_at_or_under_the_cap_arrives_whole),
		cmocka_unit_test(test_connection_closed_early_says_when),
		cmocka_unit_test(test_retry_after_and_api_version_read_and_reset),
		cmocka_unit_test(test_bearer_token_and_headers_are_sent),
		cmocka_unit_test(test_basic_auth_header_is_sent),
		cmocka_unit_test(test_post_delete_head_send_method_and_body),
		cmocka_unit_test(test_secrets_never_in_errors),
		cmocka_unit_test(test_redirects_capped_at_5_and_credentials_not_forwarded),
		cmocka_unit_test(test_cancel_ends_hung_request_and_stream_at_once),
		cmocka_unit_test(test_stream_gets_all_bytes_past_the_cap),
		cmocka_unit_test(test_stream_stops_when_the_callback_says),
		cmocka_unit_test(test_stream_open_ended_wakes),
		cmocka_unit_test(test_stream_error_status_collected),
		cmocka_unit_test(test_stall_timeout_ends_a_stream_without_data),
		cmocka_unit_test(test_unix_socket_works_missing_or_too_long_is_error),
		cmocka_unit_test(test_connection_reused_across_options_and_failure),
		cmocka_unit_test(test_tls_errors_in_words_without_the_token),
		cmocka_unit_test(test_unsupported_scheme_is_an_error),
		cmocka_unit_test(test_reply_not_http_says_so),
		cmocka_unit_test(test_many_ends_each_as_alone_and_holds_group_bound),
		cmocka_unit_test(test_many_cancel_ends_running_and_waiting_at_once),
	};

	return cmocka_run_group_tests_name("http", tests, group_setup, group_teardown);
}
