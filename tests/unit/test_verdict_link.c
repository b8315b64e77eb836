/* Unit tests of verdict_host_link: a connected host's header follows the
 * first source through it that failed (its Docker engine, its tunnel, a
 * shared source whose via names it), and only those. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/config/config.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"

static const char conf[] =
	"[host a]\nssh = root@127.0.0.71:22\ndocker = ssh\n"
	"[host b]\nssh = root@127.0.0.72:22\ndocker = ssh\n"
	"[redis]\naddress = 127.0.0.3:6379\nvia = a\n"
	"[postgres]\nconninfo = host=127.0.0.3 dbname=x user=y\nvia = b\n"
	"[prometheus]\nurl = http://127.0.0.2:9090\nvia = a\n";

static struct config *cfg;
static struct frame f;

static void answered(struct frame_feed *feed)
{
	feed->configured = feed->polled = true;
	feed->error = NULL;
}

static int setup(void **state)
{
	char *cause = NULL;

	(void)state;
	cfg = config_parse("t.conf", conf, strlen(conf), &cause);
	if (cfg == NULL)
		fail_msg("config: %s", cause);
	frame_init(&f, cfg);
	for (size_t i = 0; i < f.nhosts; i++) {
		f.hosts[i].reach.known = f.hosts[i].reach.connected = true;
		answered(&f.hosts[i].docker.feed);
		answered(&f.hosts[i].metrics.feed);
	}
	answered(&f.redis.feed);
	answered(&f.postgres.feed);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	frame_release(&f);
	config_free(cfg);
	return 0;
}

static enum verdict_level link_of(size_t i, const char **why)
{
	return verdict_host_link(&f, &f.hosts[i], why);
}

static void all_answer(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(link_of(0, &why), VERDICT_OK);
	assert_string_equal(why, "");
	assert_int_equal(link_of(1, NULL), VERDICT_OK);
}

/* A frozen host: its session still up, Redis through it timed out. */
static void via_source_failed(void **state)
{
	const char *why = NULL;

	(void)state;
	f.redis.feed.error = "redis: no answer within 5 s";
	assert_int_equal(link_of(0, &why), VERDICT_WARN);
	assert_string_equal(why, "redis");
	/* b's header does not: Redis does not go through b */
	assert_int_equal(link_of(1, &why), VERDICT_OK);
	f.postgres.feed.error = "postgres: timeout";
	assert_int_equal(link_of(1, &why), VERDICT_WARN);
	assert_string_equal(why, "postgres");
}

static void own_docker_first(void **state)
{
	const char *why = NULL;

	(void)state;
	f.redis.feed.error = "redis: no answer within 5 s";
	f.hosts[0].docker.feed.error = "docker: timeout";
	assert_int_equal(link_of(0, &why), VERDICT_WARN);
	assert_string_equal(why, "docker");
}

/* Prometheus through a: any host's metrics failing is a's link too. */
static void prometheus_via(void **state)
{
	const char *why = NULL;

	(void)state;
	f.hosts[1].metrics.feed.error = "prometheus: timeout";
	assert_int_equal(link_of(0, &why), VERDICT_WARN);
	assert_string_equal(why, "prometheus");
	assert_int_equal(link_of(1, &why), VERDICT_OK);
}

/* Not answered yet is not a failure; a host not connected says so itself. */
static void not_yet_or_down(void **state)
{
	const char *why = NULL;

	(void)state;
	f.hosts[0].docker.feed.polled = false;
	f.hosts[0].docker.feed.error = "ssh: connecting";
	assert_int_equal(link_of(0, &why), VERDICT_OK);
	f.hosts[1].reach.connected = false;
	f.hosts[1].docker.feed.error = "ssh: cannot connect";
	assert_int_equal(link_of(1, &why), VERDICT_OK);
	assert_string_equal(why, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(all_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(via_source_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(own_docker_first, setup, teardown),
		cmocka_unit_test_setup_teardown(prometheus_via, setup, teardown),
		cmocka_unit_test_setup_teardown(not_yet_or_down, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
