/* Unit tests: the containers on screen (core/base/interest.h) and the docker
 * feed's stats fallback that asks the engine for those only
 * (feed_docker_stats_fill_some): a fake engine on a unix socket records the
 * containers whose stats are requested. */
#include <errno.h>
#include <poll.h>
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

#include "backends/docker.h"
#include "core/base/interest.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_docker.h"

static const char *const ids5[] = { "aaa", "bbb", "ccc", "ddd", "eee" };

static void test_unknown_is_everything(void **state)
{
	struct interest *in = interest_new();
	bool ask[5];

	(void)state;
	assert_false(interest_known(in));
	assert_int_equal(interest_generation(in), 0);
	/* never published (a one-shot status): every container */
	assert_int_equal(interest_select(in, ids5, 5, ask), 5);
	for (size_t i = 0; i < 5; i++)
		assert_true(ask[i]);
	assert_int_equal(interest_select(NULL, ids5, 5, ask), 5);
	interest_free(in);
	interest_free(NULL);
}

static void test_publish_and_select(void **state)
{
	struct interest *in = interest_new();
	const char *on_screen[] = { "ddd", "bbb", "bbb", NULL, "zzz" };
	const char *same[] = { "zzz", "bbb", "ddd" };
	bool ask[5];
	uint64_t g;

	(void)state;
	interest_publish(in, on_screen, 5);
	assert_true(interest_known(in));
	g = interest_generation(in);
	assert_int_not_equal(g, 0);
	assert_int_equal(interest_select(in, ids5, 5, ask), 2);
	assert_false(ask[0]);
	assert_true(ask[1]);
	assert_false(ask[2]);
	assert_true(ask[3]);
	assert_false(ask[4]);
	/* the same set in another order: no new generation */
	interest_publish(in, same, 3);
	assert_int_equal(interest_generation(in), g);
	/* nothing on screen (another view): nothing, and known */
	interest_publish(in, NULL, 0);
	assert_int_not_equal(interest_generation(in), g);
	assert_true(interest_known(in));
	assert_int_equal(interest_select(in, ids5, 5, ask), 0);
	interest_free(in);
}

/* Rows sorted by their figures: every container, until a set is published
 * again; "all" twice is one generation. */
static void test_publish_all(void **state)
{
	struct interest *in = interest_new();
	const char *on_screen[] = { "ccc" };
	bool ask[5];
	uint64_t g;

	(void)state;
	assert_true(interest_wants_all(in));
	assert_true(interest_wants_all(NULL));
	interest_publish(in, on_screen, 1);
	assert_false(interest_wants_all(in));
	g = interest_generation(in);
	interest_publish_all(in);
	assert_true(interest_known(in));
	assert_true(interest_wants_all(in));
	assert_int_not_equal(interest_generation(in), g);
	g = interest_generation(in);
	interest_publish_all(in);
	assert_int_equal(interest_generation(in), g);
	assert_int_equal(interest_select(in, ids5, 5, ask), 5);
	for (size_t i = 0; i < 5; i++)
		assert_true(ask[i]);
	/* back to the rows: the same set as before "all" is a new generation */
	interest_publish(in, on_screen, 1);
	assert_false(interest_wants_all(in));
	assert_int_not_equal(interest_generation(in), g);
	assert_int_equal(interest_select(in, ids5, 5, ask), 1);
	assert_true(ask[2]);
	interest_publish_all(NULL);
	interest_free(in);
}

/* The UI thread publishes while a feed thread selects (for TSan). */
struct race {
	struct interest *in;
	atomic_int stop;
	long selected;
};

static void *reader(void *arg)
{
	struct race *r = arg;
	bool ask[5];

	while (!atomic_load(&r->stop))
		r->selected += (long)interest_select(r->in, ids5, 5, ask);
	return NULL;
}

static void test_threads(void **state)
{
	struct race r = { .in = interest_new() };
	pthread_t t;

	(void)state;
	atomic_init(&r.stop, 0);
	assert_int_equal(pthread_create(&t, NULL, reader, &r), 0);
	for (int i = 0; i < 20000; i++)
		interest_publish(r.in, ids5 + i % 4, (size_t)(i % 3));
	atomic_store(&r.stop, 1);
	pthread_join(t, NULL);
	assert_true(r.selected >= 0);
	interest_free(r.in);
}

/* A fake engine: every request answered 404 at once, the ids whose stats
 * were asked recorded. */
struct engine {
	char dir[48], path[96];
	int lfd;
	pthread_t thread;
	atomic_int stop;
	pthread_mutex_t mu;
	char asked[64][65];
	int nasked;
	int requests;
};

static void engine_request(struct engine *e, const char *req)
{
	const char *p = strstr(req, "/containers/"), *end;

	pthread_mutex_lock(&e->mu);
	e->requests++;
	if (p != NULL && (end = strstr(p + 12, "/stats")) != NULL && end - (p + 12) <= 64 && e->nasked < 64) {
		snprintf(e->asked[e->nasked], sizeof e->asked[0], "%.*s", (int)(end - (p + 12)), p + 12);
		e->nasked++;
	}
	pthread_mutex_unlock(&e->mu);
}

static void *engine_main(void *arg)
{
	static const char reply[] = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
	                            "Content-Length: 2\r\n\r\n{}";
	struct engine *e = arg;
	struct pollfd fds[33];
	int n = 1;

	fds[0] = (struct pollfd){ .fd = e->lfd, .events = POLLIN };
	while (!atomic_load(&e->stop)) {
		if (poll(fds, (nfds_t)n, 50) <= 0)
			continue;
		if ((fds[0].revents & POLLIN) && n < 33) {
			int c = accept(e->lfd, NULL, NULL);

			if (c >= 0)
				fds[n++] = (struct pollfd){ .fd = c, .events = POLLIN };
		}
		for (int i = 1; i < n; i++) {
			char buf[4096];
			ssize_t got;

			if (!(fds[i].revents & (POLLIN | POLLHUP)))
				continue;
			got = read(fds[i].fd, buf, sizeof buf - 1);
			if (got <= 0) {
				close(fds[i].fd);
				fds[i--] = fds[--n];
				continue;
			}
			buf[got] = '\0';
			engine_request(e, buf);
			if (write(fds[i].fd, reply, sizeof reply - 1) < 0 && errno != EAGAIN)
				fds[i].events = 0;
		}
	}
	for (int i = 1; i < n; i++)
		close(fds[i].fd);
	return NULL;
}

static void engine_start(struct engine *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(e, 0, sizeof *e);
	snprintf(e->dir, sizeof e->dir, "/tmp/kt-interest-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->path, sizeof e->path, "%s/docker.sock", e->dir);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", e->path);
	e->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(e->lfd >= 0);
	assert_int_equal(bind(e->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(e->lfd, 64), 0);
	pthread_mutex_init(&e->mu, NULL);
	atomic_init(&e->stop, 0);
	assert_int_equal(pthread_create(&e->thread, NULL, engine_main, e), 0);
}

static void engine_stop(struct engine *e)
{
	atomic_store(&e->stop, 1);
	pthread_join(e->thread, NULL);
	close(e->lfd);
	unlink(e->path);
	rmdir(e->dir);
	pthread_mutex_destroy(&e->mu);
}

static int engine_requests(struct engine *e)
{
	int n;

	pthread_mutex_lock(&e->mu);
	n = e->requests;
	pthread_mutex_unlock(&e->mu);
	return n;
}

static bool engine_asked(struct engine *e, const char *id)
{
	bool found = false;

	pthread_mutex_lock(&e->mu);
	for (int i = 0; i < e->nasked; i++)
		found = found || strcmp(e->asked[i], id) == 0;
	pthread_mutex_unlock(&e->mu);
	return found;
}

/* Waits (up to ms) until the engine has had at least n requests. */
static int engine_wait(struct engine *e, int n, int ms)
{
	int64_t end = time_mono_ms() + ms;

	while (engine_requests(e) < n && time_mono_ms() < end)
		time_sleep_ms(10);
	return engine_requests(e);
}

static void containers(struct docker_container *c, size_t n)
{
	memset(c, 0, n * sizeof *c);
	for (size_t i = 0; i < n; i++) {
		snprintf(c[i].full_id, sizeof c[i].full_id, "%064zx", i + 1);
		c[i].state = DOCKER_STATE_RUNNING;
		c[i].cpu_pct = -1;
		c[i].mem_bytes = c[i].mem_limit_bytes = -1;
	}
}

/* 20 running containers, 2 rows on screen: the engine is asked for the stats
 * of those 2 and of no other. */
static void test_fallback_asks_only_on_screen(void **state)
{
	struct engine e;
	struct docker_container c[20];
	struct docker_options o = { .stats_workers = 4 };
	struct interest *in = interest_new();
	const char *on_screen[2];
	struct docker *d;

	(void)state;
	engine_start(&e);
	o.unix_socket = e.path;
	d = docker_new(&o);
	containers(c, 20);
	on_screen[0] = c[3].full_id;
	on_screen[1] = c[17].full_id;
	interest_publish(in, on_screen, 2);
	feed_docker_stats_fill_some(d, in, c, 20);
	assert_int_equal(engine_wait(&e, 2, 5000), 2);
	assert_true(engine_asked(&e, c[3].full_id));
	assert_true(engine_asked(&e, c[17].full_id));
	/* the other 18 would follow at once (4 workers, nothing due later):
	 * give them the time of many requests */
	assert_int_equal(engine_wait(&e, 3, 300), 2);
	/* nothing on screen: nothing more is asked */
	interest_publish(in, NULL, 0);
	feed_docker_stats_fill_some(d, in, c, 20);
	assert_int_equal(engine_wait(&e, 3, 300), 2);
	docker_free(d);
	engine_stop(&e);
	interest_free(in);
}

/* Nothing published (a one-shot status): every running container once. */
static void test_fallback_unknown_asks_all(void **state)
{
	struct engine e;
	struct docker_container c[6];
	struct docker_options o = { .stats_workers = 4 };
	struct interest *in = interest_new();
	struct docker *d;

	(void)state;
	engine_start(&e);
	o.unix_socket = e.path;
	d = docker_new(&o);
	containers(c, 6);
	c[5].state = DOCKER_STATE_EXITED;   /* not running: never asked */
	feed_docker_stats_fill_some(d, in, c, 6);
	assert_int_equal(engine_wait(&e, 5, 5000), 5);
	for (size_t i = 0; i < 5; i++)
		assert_true(engine_asked(&e, c[i].full_id));
	assert_int_equal(engine_wait(&e, 6, 300), 5);
	assert_false(engine_asked(&e, c[5].full_id));
	docker_free(d);
	engine_stop(&e);
	interest_free(in);
}

static void test_cgroup_root(void **state)
{
	char *r;

	(void)state;
	unsetenv("KITETOP_CGROUP_ROOT");
	r = feed_docker_cgroup_root("monk");
	assert_string_equal(r, "/sys/fs/cgroup");
	free(r);
	setenv("KITETOP_CGROUP_ROOT", "/dev/shm/x/%h/cg%", 1);
	r = feed_docker_cgroup_root("fake3");
	assert_string_equal(r, "/dev/shm/x/fake3/cg%");
	free(r);
	unsetenv("KITETOP_CGROUP_ROOT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_is_everything),
		cmocka_unit_test(test_publish_and_select),
		cmocka_unit_test(test_publish_all),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_fallback_asks_only_on_screen),
		cmocka_unit_test(test_fallback_unknown_asks_all),
		cmocka_unit_test(test_cgroup_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
