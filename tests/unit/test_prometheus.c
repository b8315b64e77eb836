/* Unit tests of backends/prometheus: the decoder on answers recorded with curl
 * from the lab's Prometheus (tests/fixtures/prometheus/{vector,matrix,scalar,
 * string,error,empty,nan,inf}.json) and on hand-made hostile ones
 * (hostile_*.json and generated ones), the host-metrics PromQL, and the
 * client's HTTP error path against tests/support/http_testserver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/http.h"
#include "backends/metrics.h"
#include "backends/prometheus.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"
#include "tests/support/http_testserver.h"


/* Decodes fixture name, expecting success. */
static void decode_ok(const char *name, struct prom_result *r)
{
	size_t len;
	char *body = fixture_read("prometheus", name, &len), *cause = NULL;

	if (prom_decode(body, len, r, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	assert_null(cause);
	free(body);
}

/* Decodes text, expecting an error equal to want (or, with prefix, starting with it). */
static void decode_err(const char *text, size_t len, const char *want, int prefix)
{
	struct prom_result r;
	char *cause = NULL;

	prom_result_init(&r);
	assert_int_equal(prom_decode(text, len, &r, &cause), -1);
	assert_non_null(cause);
	if (prefix ? strncmp(cause, want, strlen(want)) != 0 : strcmp(cause, want) != 0)
		fail_msg("got \"%s\", want \"%s\"", cause, want);
	assert_int_equal(r.n, 0);
	assert_null(r.series);
	assert_null(r.string);
	assert_int_equal(r.nwarnings, 0);
	free(cause);
}

static void decode_err_fixture(const char *name, const char *want, int prefix)
{
	size_t len;
	char *body = fixture_read("prometheus", name, &len);

	decode_err(body, len, want, prefix);
	free(body);
}

static const struct prom_series *by_label(const struct prom_result *r, const char *k,
                                          const char *v)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const char *x = prom_label(&r->series[i], k);

		if (x != NULL && strcmp(x, v) == 0)
			return &r->series[i];
	}
	fail_msg("no series with %s=%s", k, v);
	return NULL;
}

static void test_vector_decoded_with_labels_and_points(void **state)
{
	struct prom_result r;
	const struct prom_series *s;

	prom_result_init(&r);
	decode_ok("vector.json", &r);
	assert_int_equal(r.type, PROM_VECTOR);
	assert_int_equal(r.n, 3);
	s = by_label(&r, "instance", "127.0.0.2:9100");
	assert_string_equal(prom_label(s, "job"), "node");
	assert_string_equal(prom_label(s, "host"), "monk");
	assert_string_equal(prom_label(s, "__name__"), "up");
	assert_null(prom_label(s, "nope"));
	assert_int_equal(s->nlabels, 4);
	assert_int_equal(s->npoints, 1);
	assert_true(s->points[0].t_ms == INT64_C(1795431130442));
	assert_true(s->points[0].value == 1.0);
	s = by_label(&r, "job", "prometheus");
	assert_string_equal(prom_label(s, "instance"), "127.0.0.2:9090");
	assert_int_equal(r.nwarnings, 0);
	prom_result_done(&r);
	assert_int_equal(r.n, 0);
	prom_result_done(&r);   /* twice is harmless */
}

static void test_matrix_decoded_and_redecoding_replaces_it(void **state)
{
	struct prom_result r;
	const struct prom_series *s;
	size_t i;

	prom_result_init(&r);
	decode_ok("matrix.json", &r);
	assert_int_equal(r.type, PROM_MATRIX);
	assert_int_equal(r.n, 2);
	s = by_label(&r, "host", "monk");
	assert_int_equal(s->npoints, 7);
	assert_true(s->points[0].t_ms == INT64_C(1795431040000));
	assert_true(s->points[0].value == 5.35);
	assert_true(s->points[6].value == 2.91);
	for (i = 1; i < s->npoints; i++)
		assert_true(s->points[i].t_ms - s->points[i - 1].t_ms == 15000);
	s = by_label(&r, "host", "kscloud1");
	assert_int_equal(s->npoints, 6);
	assert_true(s->points[0].t_ms == INT64_C(1795431055000));
	/* decoding into a used result replaces it */
	decode_ok("scalar.json", &r);
	assert_int_equal(r.type, PROM_SCALAR);
	assert_int_equal(r.n, 0);
	prom_result_done(&r);
}

static void test_scalar_and_string_results_decoded(void **state)
{
	struct prom_result r;

	prom_result_init(&r);
	decode_ok("scalar.json", &r);
	assert_int_equal(r.type, PROM_SCALAR);
	assert_true(r.scalar == 3.0);
	assert_true(r.t_ms == INT64_C(1795431130499));
	assert_null(r.string);
	decode_ok("string.json", &r);
	assert_int_equal(r.type, PROM_STRING);
	assert_string_equal(r.string, "hello");
	assert_true(r.t_ms == INT64_C(1795431130527));
	prom_result_done(&r);
}

static void test_empty_nan_and_inf_values_decoded(void **state)
{
	struct prom_result r;
	const struct prom_series *s;

	prom_result_init(&r);
	decode_ok("empty.json", &r);
	assert_int_equal(r.type, PROM_VECTOR);
	assert_int_equal(r.n, 0);
	assert_null(r.series);
	decode_ok("nan.json", &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.series[0].nlabels, 0);
	assert_true(isnan(r.series[0].points[0].value));
	decode_ok("inf.json", &r);
	assert_int_equal(r.n, 2);
	s = by_label(&r, "sign", "neg");
	assert_true(isinf(s->points[0].value) && s->points[0].value < 0);
	s = &r.series[0] == s ? &r.series[1] : &r.series[0];
	assert_true(isinf(s->points[0].value) && s->points[0].value > 0);
	prom_result_done(&r);
}

static void test_error_envelope_gives_type_and_message(void **state)
{
	decode_err_fixture("error.json",
	                   "prometheus: bad_data: invalid parameter \"query\": 1:7: "
	                   "parse error: unclosed left parenthesis", 0);
	decode_err_fixture("hostile_error_bare.json", "prometheus: error without a message", 0);
	decode_err("{\"status\":\"error\",\"errorType\":\"timeout\"}", 40,
	           "prometheus: timeout (no message)", 0);
	decode_err("{\"status\":\"error\",\"error\":\"query timed out\"}", 44,
	           "prometheus: query timed out", 0);
}

static void test_warnings_kept_and_non_strings_skipped(void **state)
{
	struct prom_result r;

	prom_result_init(&r);
	decode_ok("hostile_warnings.json", &r);
	assert_int_equal(r.n, 1);
	assert_true(r.series[0].points[0].value == 37.2);
	assert_true(r.series[0].points[0].t_ms == INT64_C(1715000000781));
	assert_int_equal(r.nwarnings, 2);   /* the number 7 is skipped */
	assert_string_equal(r.warnings[0], "PromQL info: metric might not be a counter");
	assert_string_equal(r.warnings[1], "second");
	prom_result_done(&r);
}

#define E(s) s, sizeof(s) - 1

static void test_hostile_answers_are_errors_not_crashes(void **state)
{
	decode_err_fixture("hostile_html.json", "prometheus: not JSON (HTML page?)", 0);
	decode_err_fixture("hostile_value_types.json",
	                   "prometheus: a sample's time is not a number of seconds", 0);
	decode_err_fixture("hostile_label_type.json", "prometheus: label \"le\" is not a string", 0);
	decode_err_fixture("hostile_histogram.json",
	                   "prometheus: native histogram samples are not supported", 0);
	decode_err_fixture("hostile_short_sample.json",
	                   "prometheus: a sample is not a [time, \"value\"] pair", 0);
	decode_err(E(""), "prometheus: empty answer", 0);
	decode_err(E("  \n"), "prometheus: empty answer", 0);
	decode_err(E("404 page not found"), "prometheus: not JSON", 0);
	decode_err(E("[1,2]"), "prometheus: answer is not a JSON object", 0);
	decode_err(E("{\"status\":1}"), "prometheus: answer has no \"status\"", 1);
	decode_err(E("{\"status\":\"maybe\"}"), "prometheus: unknown status \"maybe\"", 0);
	decode_err(E("{\"status\":\"success\"}"), "prometheus: answer has no \"data\" object", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{}}"),
	           "prometheus: answer has no \"resultType\"", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"tensor\",\"result\":[]}}"),
	           "prometheus: unknown resultType \"tensor\"", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}"),
	           "prometheus: \"result\" is not a list", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[1]}}"),
	           "prometheus: a series is not an object", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{}]}}"),
	           "prometheus: a vector sample has no \"value\"", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	             "[{\"metric\":[],\"value\":[1,\"1\"]}]}}"),
	           "prometheus: a series' \"metric\" is not an object", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	             "[{\"value\":[1,\"1x\"]}]}}"),
	           "prometheus: a sample's value is not a number in a string", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	             "[{\"value\":[1,2]}]}}"),
	           "prometheus: a sample's value is not a number in a string", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	             "[{\"value\":[1e300,\"2\"]}]}}"),
	           "prometheus: a sample's time is not a number of seconds", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
	             "[{\"values\":7}]}}"),
	           "prometheus: a matrix series has no \"values\" list", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1]}}"),
	           "prometheus: a scalar result is not a [time, \"value\"] pair", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
	             "[1,\"abc\"]}}"),
	           "prometheus: a scalar result is not a number in a string", 0);
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,2]}}"),
	           "prometheus: a string result is not a [time, \"value\"] pair", 0);
	/* a later series failing frees the earlier ones (ASan checks) */
	decode_err(E("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	             "[{\"metric\":{\"a\":\"b\"},\"value\":[1,\"1\"]},{\"metric\":{\"a\":3}}]}}"),
	           "prometheus: label \"a\" is not a string", 0);
	/* the body need not be NUL-terminated: only len bytes are read */
	decode_err("{\"status\":\"success\"}garbage", 20, "prometheus: answer has no \"data\" object", 0);
}

/* n series of m points each */
static char *make_matrix(int n, int m, size_t *len)
{
	struct buf b;
	int i, j;

	buf_init(&b);
	buf_puts(&b, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s{\"metric\":{\"i\":\"%d\"},\"values\":[", i ? "," : "", i);
		for (j = 0; j < m; j++)
			buf_printf(&b, "%s[%d,\"%d\"]", j ? "," : "", 1000 + j, j);
		buf_puts(&b, "]}");
	}
	buf_puts(&b, "]}}");
	*len = b.len;
	return buf_steal(&b);
}

static void test_series_and_points_over_the_cap_are_errors(void **state)
{
	struct prom_result r;
	size_t len;
	char *body, *cause = NULL;

	prom_result_init(&r);
	body = make_matrix(PROM_MAX_SERIES, 1, &len);
	assert_int_equal(prom_decode(body, len, &r, &cause), 0);
	assert_int_equal(r.n, PROM_MAX_SERIES);
	assert_string_equal(prom_label(&r.series[9999], "i"), "9999");
	free(body);
	body = make_matrix(PROM_MAX_SERIES + 1, 1, &len);
	decode_err(body, len, "prometheus: over 10000 series (10001): narrow the query", 0);
	free(body);
	body = make_matrix(2, PROM_MAX_POINTS, &len);
	assert_int_equal(prom_decode(body, len, &r, &cause), 0);
	assert_int_equal(r.series[1].npoints, PROM_MAX_POINTS);
	assert_true(r.series[1].points[10999].value == 10999.0);
	assert_true(r.series[1].points[10999].t_ms == INT64_C(11999000));
	free(body);
	body = make_matrix(2, PROM_MAX_POINTS + 1, &len);
	decode_err(body, len, "prometheus: a series has over 11000 points (11001)", 0);
	free(body);
	prom_result_done(&r);
}

static void test_host_queries_take_the_selector_in_any_form(void **state)
{
	static const char *const want[PROM_HQ_N] = {
		"100 * (1 - avg(rate(node_cpu_seconds_total{mode=\"idle\",instance=\"127.0.0.2:9100\"}[1m])))",
		"100 * (1 - node_memory_MemAvailable_bytes{instance=\"127.0.0.2:9100\"}"
		" / node_memory_MemTotal_bytes{instance=\"127.0.0.2:9100\"})",
		"100 * (node_filesystem_size_bytes{mountpoint=\"/\",fstype!=\"rootfs\",instance=\"127.0.0.2:9100\"}"
		" - node_filesystem_free_bytes{mountpoint=\"/\",fstype!=\"rootfs\",instance=\"127.0.0.2:9100\"})"
		" / (node_filesystem_size_bytes{mountpoint=\"/\",fstype!=\"rootfs\",instance=\"127.0.0.2:9100\"}"
		" - node_filesystem_free_bytes{mountpoint=\"/\",fstype!=\"rootfs\",instance=\"127.0.0.2:9100\"}"
		" + node_filesystem_avail_bytes{mountpoint=\"/\",fstype!=\"rootfs\",instance=\"127.0.0.2:9100\"})",
		"sum(rate(node_network_receive_bytes_total{device!~\"lo\",instance=\"127.0.0.2:9100\"}[1m]))",
		"sum(rate(node_network_transmit_bytes_total{device!~\"lo\",instance=\"127.0.0.2:9100\"}[1m]))",
		"node_load1{instance=\"127.0.0.2:9100\"}",
		"time() - node_boot_time_seconds{instance=\"127.0.0.2:9100\"}",
		"up{instance=\"127.0.0.2:9100\"}",
	};
	int q;
	char *s;

	for (q = 0; q < PROM_HQ_N; q++) {
		s = prom_host_query((enum prom_host_query)q, "instance=\"127.0.0.2:9100\"");
		assert_string_equal(s, want[q]);
		free(s);
		/* braces and spaces around the selector are the same selector */
		s = prom_host_query((enum prom_host_query)q, " {instance=\"127.0.0.2:9100\"} ");
		assert_string_equal(s, want[q]);
		free(s);
	}
	s = prom_host_query(PROM_HQ_CPU, NULL);
	assert_string_equal(s, "100 * (1 - avg(rate(node_cpu_seconds_total{mode=\"idle\"}[1m])))");
	free(s);
	s = prom_host_query(PROM_HQ_UP, "");
	assert_string_equal(s, "up");
	free(s);
	s = prom_host_query(PROM_HQ_LOAD, "{}");
	assert_string_equal(s, "node_load1");
	free(s);
	s = prom_host_query(PROM_HQ_MEM, "job=\"node\",host=\"monk\"");
	assert_string_equal(s, "100 * (1 - node_memory_MemAvailable_bytes{job=\"node\",host=\"monk\"}"
	                       " / node_memory_MemTotal_bytes{job=\"node\",host=\"monk\"})");
	free(s);
}

/* The client's failure paths on a real local HTTP server: an HTML 502 from a
 * "proxy", a 503 with JSON, a connection refused; and prom_host_metrics
 * putting the failure on every figure. */
static void test_client_errors_worded_and_put_on_every_figure(void **state)
{
	struct http_testserver *srv = http_testserver_start();
	struct http_client *h = http_client_new(NULL);
	struct prom_client c = { .http = h };
	struct prom_result r;
	struct metrics m;
	char *cause = NULL, *base;
	int f;

	assert_non_null(srv);
	prom_result_init(&r);
	base = xasprintf("%s/html?code=502&x=", http_testserver_base(srv));
	c.base_url = base;
	assert_int_equal(prom_query(&c, "up", 0, &r, &cause), -1);
	assert_non_null(cause);
	if (strncmp(cause, "prometheus: HTTP 502", 20) != 0)
		fail_msg("got %s", cause);
	free(base);
	base = xasprintf("%s/status?code=503&x=", http_testserver_base(srv));
	c.base_url = base;
	assert_int_equal(prom_query_range(&c, "up", 1000, 2000, 1000, &r, &cause), -1);
	assert_string_equal(cause, "prometheus: HTTP 503: backend is down");
	free(base);
	base = xasprintf("%s/ok?x=", http_testserver_base(srv));
	c.base_url = base;
	assert_int_equal(prom_query(&c, "up", 0, &r, &cause), -1);
	assert_string_equal(cause, "prometheus: not JSON");
	assert_int_equal(prom_query_range(&c, "up", 0, 200000000, 1, &r, &cause), -1);
	assert_string_equal(cause, "prometheus: range of over 11000 points per series: widen the step");
	assert_int_equal(prom_query_range(&c, "up", 0, 1000, 0, &r, &cause), -1);
	c.base_url = NULL;
	assert_int_equal(prom_query(&c, "up", 0, &r, &cause), -1);
	assert_string_equal(cause, "prometheus: no URL configured");
	free(base);
	http_testserver_stop(srv);

	c.base_url = "http://127.0.0.1:1";
	metrics_init(&m);
	assert_int_equal(prom_host_metrics(&c, "instance=\"x:9100\"", &m, &cause), -1);
	assert_string_equal(cause, "prometheus: connection refused");
	assert_int_equal(m.origin, METRICS_FROM_PROMETHEUS);
	for (f = 0; f < METRICS_NFIGURES; f++) {
		assert_false(m.valid[f]);
		assert_string_equal(m.error[f], "prometheus: connection refused");
	}
	metrics_done(&m);
	free(cause);
	prom_result_done(&r);
	http_client_free(h);
}

/* A tiny stand-in Prometheus for what the shared lab cannot show without
 * stopping an exporter: up == 0, and one figure without series.  It answers
 * `up{...}` with fake_up, node_load1 with an empty vector, anything else with
 * 42; one request per connection. */
struct fake {
	int fd;
	const char *up;    /* "0" or "1" */
	pthread_t thread;
	int requests;      /* answered so far */
};

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	int c;

	while ((c = accept(f->fd, NULL, NULL)) >= 0) {
		char req[16384], *body, *resp;
		size_t n = 0;
		ssize_t r;
		const char *v;

		while (n < sizeof(req) - 1 && (r = read(c, req + n, sizeof(req) - 1 - n)) > 0) {
			n += (size_t)r;
			req[n] = '\0';
			if (strstr(req, "\r\n\r\n") != NULL)
				break;
		}
		req[n] = '\0';
		if (strncmp(req, "QUIT", 4) == 0) {
			close(c);
			break;
		}
		f->requests++;
		v = strstr(req, "query=up%7B") != NULL ? f->up : "42";
		if (strstr(req, "kitetop_figure") != NULL) {
			/* the combined host query: one series per figure, none for load */
			static const char *const fig[] = { "cpu", "mem", "disk", "rx", "tx", "uptime", "up" };
			struct buf b;

			buf_init(&b);
			buf_puts(&b, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
			for (size_t i = 0; i < sizeof fig / sizeof fig[0]; i++)
				buf_printf(&b, "%s{\"metric\":{\"kitetop_figure\":\"%s\"},\"value\":[1,\"%s\"]}",
				           i > 0 ? "," : "", fig[i], strcmp(fig[i], "up") == 0 ? f->up : "42");
			buf_puts(&b, "]}}");
			body = buf_steal(&b);
		} else if (strstr(req, "node_load1") != NULL)
			body = xstrdup("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
			               "\"result\":[]}}");
		else
			body = xasprintf("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
			                 "\"result\":[{\"metric\":{},\"value\":[1,\"%s\"]}]}}", v);
		resp = xasprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		                 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
		                 strlen(body), body);
		if (util_write_all(c, resp, strlen(resp)) != 0)
			fprintf(stderr, "fake prometheus: write failed\n");
		free(resp);
		free(body);
		close(c);
	}
	return NULL;
}

static char *fake_start(struct fake *f, const char *up)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->up = up;
	f->requests = 0;
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(f->fd >= 0);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(f->fd, 16), 0);
	assert_int_equal(getsockname(f->fd, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
	return xasprintf("http://127.0.0.1:%d", ntohs(a.sin_port));
}

static void fake_stop(struct fake *f)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int c = socket(AF_INET, SOCK_STREAM, 0);

	assert_int_equal(getsockname(f->fd, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(util_write_all(c, "QUIT", 4), 0);
	shutdown(c, SHUT_WR);   /* the server reads to the end of the head or of the data */
	pthread_join(f->thread, NULL);
	close(c);
	close(f->fd);
}

static void test_exporter_down_or_no_series_is_per_figure_error(void **state)
{
	struct http_client *h = http_client_new(NULL);
	struct prom_client c = { .http = h };
	struct fake f;
	struct metrics m;
	char *cause = NULL;
	int i;

	c.base_url = fake_start(&f, "0");
	metrics_init(&m);
	assert_int_equal(prom_host_metrics(&c, "instance=\"a:9100\"", &m, &cause), 0);
	assert_null(cause);
	for (i = 0; i < METRICS_NFIGURES; i++) {
		assert_false(m.valid[i]);
		assert_string_equal(m.error[i], "node-exporter down (up == 0)");
	}
	metrics_done(&m);
	fake_stop(&f);
	free((char *)c.base_url);

	/* up == 1: every figure but load (no series) is 42 */
	c.base_url = fake_start(&f, "1");
	metrics_init(&m);
	metrics_set_error(&m, METRICS_CPU, "stale");   /* replaced */
	assert_int_equal(prom_host_metrics(&c, "instance=\"a:9100\"", &m, &cause), 0);
	for (i = 0; i < METRICS_NFIGURES; i++) {
		if (i == METRICS_LOAD)
			continue;
		assert_true(m.valid[i]);
		assert_null(m.error[i]);
	}
	assert_true(m.cpu_pct == 42 && m.mem_pct == 42 && m.disk_pct == 42 && m.uptime_s == 42);
	assert_true(m.net_rx_bps == 42 && m.net_tx_bps == 42);
	assert_false(m.valid[METRICS_LOAD]);
	assert_string_equal(m.error[METRICS_LOAD],
	                    "no data: node_load1{instance=\"a:9100\"} has no series");
	metrics_done(&m);
	fake_stop(&f);
	assert_int_equal(f.requests, 1);   /* every figure in one request */
	free((char *)c.base_url);
	http_client_free(h);
}


/* The combined host query: every figure's own query, labelled, joined by or. */
static void test_combined_host_query_labels_each_figure(void **state)
{
	char *s = prom_host_query_all("instance=\"a:9100\"", 1u << PROM_HQ_LOAD | 1u << PROM_HQ_UP);

	assert_string_equal(s, "label_replace(node_load1{instance=\"a:9100\"}, \"kitetop_figure\", \"load\", \"\", \"\")"
	                       " or label_replace(up{instance=\"a:9100\"}, \"kitetop_figure\", \"up\", \"\", \"\")");
	free(s);
	s = prom_host_query_all(NULL, PROM_HQ_ALL);
	for (int q = 0; q < PROM_HQ_N; q++) {
		char *one = prom_host_query((enum prom_host_query)q, NULL);

		assert_non_null(strstr(s, one));
		free(one);
	}
	assert_non_null(strstr(s, "\"uptime\""));
	free(s);
	s = prom_host_query_all("x=\"y\"", 0);
	assert_string_equal(s, "");
	free(s);
}

/* History seeding from a recorded answer of the lab's Prometheus (the host's
 * combined query_range over 10 minutes, step 30 s, while the lab was only
 * 7 minutes old: the first 6 steps have no samples). */
static void test_history_filled_from_a_recorded_range_answer(void **state)
{
	struct prom_result r;
	struct metrics_history *h;
	size_t i;

	prom_result_init(&r);
	decode_ok("host_history.json", &r);
	h = metrics_history_new(21, 1795434510000LL, 30000);
	assert_int_equal(prom_host_history_fill(&r, h), 4 * 15);
	for (i = 0; i < 6; i++)
		assert_true(isnan(h->cpu[i]) && isnan(h->mem[i]) && isnan(h->net[i]));
	assert_true(fabs(h->cpu[6] - 72.30664166666723) < 1e-9);
	assert_true(fabs(h->mem[6] - 2.8170098227083384) < 1e-9);
	assert_true(fabs(h->net[6] - 2 * 1.794433333333333) < 1e-9);   /* rx + tx */
	assert_true(fabs(h->cpu[20] - 79.70000000000007) < 1e-9);
	assert_true(fabs(h->mem[20] - 3.1640415789904397) < 1e-9);
	assert_true(h->net[20] == 0);
	for (i = 6; i < 21; i++)
		assert_false(isnan(h->cpu[i]) || isnan(h->mem[i]) || isnan(h->net[i]));

	/* a copy carries the history; a vector answer places nothing */
	{
		struct metrics a, b;

		metrics_init(&a);
		a.history = h;
		metrics_copy(&b, &a);
		assert_non_null(b.history);
		assert_true(b.history != h && b.history->n == 21 && b.history->cpu[20] == h->cpu[20]);
		metrics_done(&b);
		prom_result_done(&r);
		decode_ok("vector.json", &r);
		assert_int_equal(prom_host_history_fill(&r, h), 0);
		metrics_done(&a);   /* frees h */
	}
	/* a window that starts after the samples, and one step: only the nearest */
	prom_result_done(&r);
	decode_ok("host_history.json", &r);
	h = metrics_history_new(1, 1795435110000LL, 30000);
	assert_int_equal(prom_host_history_fill(&r, h), 4);
	assert_true(fabs(h->cpu[0] - 79.70000000000007) < 1e-9);
	metrics_history_free(h);
	prom_result_done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_decoded_with_labels_and_points),
		cmocka_unit_test(test_matrix_decoded_and_redecoding_replaces_it),
		cmocka_unit_test(test_scalar_and_string_results_decoded),
		cmocka_unit_test(test_empty_nan_and_inf_values_decoded),
		cmocka_unit_test(test_error_envelope_gives_type_and_message),
		cmocka_unit_test(test_warnings_kept_and_non_strings_skipped),
		cmocka_unit_test(test_hostile_answers_are_errors_not_crashes),
		cmocka_unit_test(test_series_and_points_over_the_cap_are_errors),
		cmocka_unit_test(test_host_queries_take_the_selector_in_any_form),
		cmocka_unit_test(test_client_errors_worded_and_put_on_every_figure),
		cmocka_unit_test(test_exporter_down_or_no_series_is_per_figure_error),
		cmocka_unit_test(test_combined_host_query_labels_each_figure),
		cmocka_unit_test(test_history_filled_from_a_recorded_range_answer),
	};

	http_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
