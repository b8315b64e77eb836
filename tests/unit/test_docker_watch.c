/* Unit tests: docker_watch against a fake engine on a unix socket that
 * answers /_ping and /version, then holds /events open and sends an event
 * when told to, or closes the stream.  The mark: 0 while nothing listens,
 * non-zero and unchanged while the stream is quiet, changed by an event
 * (with on_event called) and by the stream's end and restart; the restart
 * asks for the events since a few minutes ago.  The real engine is driven in
 * tests/e2e/tui_events.sh. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/docker_watch.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

struct engine {
	char dir[64], path[128];
	int fd;
	pthread_t thread;
	atomic_int stop;
	atomic_int send_event;      /* 1: send one event on the open stream */
	atomic_int close_stream;    /* 1: end the open stream */
	atomic_int streams;         /* /events requests served */
	char since[32];             /* the last /events request's since= */
};

static void say(int c, const char *s)
{
	util_write_all(c, s, strlen(s));
}

static void serve_events(struct engine *e, int c)
{
	static const char ev[] =
	    "{\"Type\":\"container\",\"Action\":\"die\",\"Actor\":{\"ID\":\"0123456789ab0123456789ab"
	    "0123456789ab0123456789ab0123456789ab0123\",\"Attributes\":{\"name\":\"grafana\"}},"
	    "\"time\":1795440000,\"timeNano\":1795440000000000000}\n";

	say(c, "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
	       "Transfer-Encoding: chunked\r\n\r\n");
	atomic_fetch_add(&e->streams, 1);
	while (!atomic_load(&e->stop)) {
		if (atomic_exchange(&e->send_event, 0)) {
			char *chunk = xasprintf("%zx\r\n%s\r\n", strlen(ev), ev);

			say(c, chunk);
			free(chunk);
		}
		if (atomic_exchange(&e->close_stream, 0)) {
			say(c, "0\r\n\r\n");
			return;
		}
		time_sleep_ms(5);
	}
}

static void *engine_main(void *arg)
{
	struct engine *e = arg;

	while (!atomic_load(&e->stop)) {
		char req[4096];
		int c = accept(e->fd, NULL, NULL);
		ssize_t r;

		if (c < 0)
			break;
		/* requests on one connection, one after the other */
		while ((r = read(c, req, sizeof req - 1)) > 0) {
			req[r] = '\0';
			if (strncmp(req, "GET /_ping", 10) == 0) {
				say(c, "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK");
			} else if (strncmp(req, "GET /version", 12) == 0) {
				const char *b = "{\"Version\":\"fake\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}";
				char *h = xasprintf("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\n"
				                    "Content-Length: %zu\r\n\r\n%s", strlen(b), b);

				say(c, h);
				free(h);
			} else if (strstr(req, "/events?") != NULL) {
				const char *s = strstr(req, "since=");

				if (s != NULL)
					sscanf(s + 6, "%31[0-9]", e->since);
				serve_events(e, c);
				break;
			} else {
				say(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
			}
		}
		close(c);
	}
	return NULL;
}

static void engine_listen(struct engine *e)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	util_strlcpy(a.sun_path, e->path, sizeof a.sun_path);
	e->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(e->fd >= 0);
	assert_int_equal(bind(e->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(e->fd, 8), 0);
	assert_int_equal(pthread_create(&e->thread, NULL, engine_main, e), 0);
}

static void engine_stop(struct engine *e)
{
	atomic_store(&e->stop, 1);
	shutdown(e->fd, SHUT_RDWR);
	close(e->fd);
	pthread_join(e->thread, NULL);
	unlink(e->path);
}

static atomic_int notified;

static void on_event(void *arg)
{
	(void)arg;
	atomic_fetch_add(&notified, 1);
}

/* Waits up to ms for cond; true when it came. */
#define WAIT_FOR(cond, ms) ({ int64_t end_ = time_mono_ms() + (ms); \
	while (!(cond) && time_mono_ms() < end_) time_sleep_ms(5); (cond); })

static void test_watch_mark(void **state)
{
	struct engine e;
	struct docker_options o = { 0 };
	struct docker_watch *w;
	uint64_t m1, m2;
	long events, starts;
	int n;

	(void)state;
	memset(&e, 0, sizeof e);
	util_strlcpy(e.dir, "/tmp/kt-watch-XXXXXX", sizeof e.dir);
	assert_non_null(mkdtemp(e.dir));
	snprintf(e.path, sizeof e.path, "%s/docker.sock", e.dir);
	o.unix_socket = e.path;
	o.base_url = "http://localhost";
	o.timeout_ms = 2000;
	atomic_init(&notified, 0);
	assert_int_equal(docker_watch_mark(NULL), 0);

	/* nothing listens: the stream fails at once, the mark is 0 */
	w = docker_watch_new(&o, on_event, NULL);
	assert_non_null(w);
	assert_true(WAIT_FOR((docker_watch_counts(w, &events, &starts), starts >= 1), 1000));
	assert_true(WAIT_FOR(docker_watch_mark(w) == 0, 1000));
	time_sleep_ms(100);
	assert_int_equal(docker_watch_mark(w), 0);   /* in its backoff */
	docker_watch_free(w);

	/* an engine: the stream stands, the mark holds while nothing happens */
	engine_listen(&e);
	w = docker_watch_new(&o, on_event, NULL);
	assert_true(WAIT_FOR(atomic_load(&e.streams) == 1, 2000));
	m1 = docker_watch_mark(w);
	assert_true(m1 != 0);
	time_sleep_ms(300);
	assert_int_equal(docker_watch_mark(w), m1);
	/* the restart replay: since = a few minutes ago */
	assert_true(atomic_load(&notified) >= 1);
	{
		long since = strtol(e.since, NULL, 10), now = (long)(time_real_ms() / 1000);

		assert_true(since <= now - DOCKER_WATCH_REPLAY_S + 2 &&
		            since >= now - DOCKER_WATCH_REPLAY_S - 5);
	}
	/* an event changes the mark and calls on_event */
	n = atomic_load(&notified);
	atomic_store(&e.send_event, 1);
	assert_true(WAIT_FOR(docker_watch_mark(w) != m1, 2000));
	m2 = docker_watch_mark(w);
	assert_true(m2 != 0);
	assert_true(atomic_load(&notified) > n);
	docker_watch_counts(w, &events, &starts);
	assert_int_equal(events, 1);
	/* the stream ends: the mark changes (0 until it is back), and it
	 * comes back by itself after its 1 s backoff, with a new mark */
	atomic_store(&e.close_stream, 1);
	assert_true(WAIT_FOR(atomic_load(&e.streams) == 2, 3000));
	assert_true(WAIT_FOR(docker_watch_mark(w) != 0, 1000));
	assert_true(docker_watch_mark(w) != m2);
	docker_watch_counts(w, &events, &starts);
	assert_int_equal(starts, 2);
	/* free ends a stream in progress at once */
	{
		int64_t t0 = time_mono_ms();

		docker_watch_free(w);
		assert_true(time_mono_ms() - t0 < 1000);
	}
	engine_stop(&e);
	rmdir(e.dir);
}

/* Events at the given times, a list made whenever one is due: the times of
 * the lists.  The poller looks every 10 ms, as a source woken by events would. */
static size_t gate_run(const int64_t *events, size_t n, int64_t end, int64_t *lists, size_t max)
{
	struct docker_watch_gate g = DOCKER_WATCH_GATE_INIT;
	size_t e = 0, nl = 0;

	for (int64_t t = 0; t <= end; t++) {
		int64_t due;

		while (e < n && events[e] == t)
			docker_watch_gate_event(&g, events[e++]);
		due = docker_watch_gate_due(&g);
		if (due >= 0 && due <= t && nl < max) {
			lists[nl++] = t;
			docker_watch_gate_listed(&g, t);
		}
	}
	return nl;
}

static void test_gate_times(void **unused)
{
	/* a lone event lists at once; a burst lists once more at the window's
	 * end; an event after a quiet time lists at once again */
	static const int64_t ev[] = { 0, 10, 20, 30, 300, 310, 1000, 1240, 1250 };
	static const int64_t want[] = { 0, 250, 500, 1000, 1250 };
	int64_t got[16];
	size_t n = gate_run(ev, sizeof ev / sizeof ev[0], 2000, got, 16);

	(void)unused;
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void test_gate_flood(void **unused)
{
	/* 190 events a second for 5 s: at most 4 lists a second */
	int64_t ev[950], got[64];
	size_t n;

	(void)unused;
	for (size_t i = 0; i < 950; i++)
		ev[i] = (int64_t)(i * 1000 / 190);
	n = gate_run(ev, 950, 6000, got, 64);
	assert_true(n <= 21);
	assert_true(n >= 19);
	for (size_t i = 1; i < n; i++)
		assert_true(got[i] - got[i - 1] >= DOCKER_WATCH_COALESCE_MS);
	/* the last event is served: a list at or after it */
	assert_true(got[n - 1] >= ev[949]);
}

static void test_gate_idle(void **unused)
{
	struct docker_watch_gate g = DOCKER_WATCH_GATE_INIT;

	(void)unused;
	assert_int_equal(docker_watch_gate_due(&g), -1);
	docker_watch_gate_listed(&g, 100);
	assert_int_equal(docker_watch_gate_due(&g), -1);
	docker_watch_gate_event(&g, 120);
	assert_int_equal(docker_watch_gate_due(&g), 350);
	docker_watch_gate_event(&g, 200);   /* already pending */
	assert_int_equal(docker_watch_gate_due(&g), 350);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watch_mark),
		cmocka_unit_test(test_gate_times),
		cmocka_unit_test(test_gate_flood),
		cmocka_unit_test(test_gate_idle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
