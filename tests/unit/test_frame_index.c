/* test_frame_index — the frame's indexed lookups (frame_host_container,
 * frame_service_first) answer exactly as the linear searches they replace:
 * every name a host runs, names it does not, a name listed twice (the first
 * wins), a value swapped in after a lookup, and a frame not made by
 * frame_init. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/model/frame.h"

#define NSERV 300

static struct config *make_config(void)
{
	struct buf b;
	char *cause = NULL;
	struct config *cfg;

	buf_init(&b);
	buf_printf(&b, "[host a]\naddress = 127.0.0.10\ndocker = unix:///nonexistent/a.sock\n"
	               "[host b]\naddress = 127.0.0.11\ndocker = unix:///nonexistent/b.sock\n");
	/* every third service shares its container with the one before */
	for (int s = 0; s < NSERV; s++)
		buf_printf(&b, "[service s%d]\ncontainer = c%d\n", s, s % 3 == 2 ? s - 1 : s);
	cfg = config_parse(NULL, b.data, b.len, &cause);
	if (cfg == NULL)
		fail_msg("config: %s", cause);
	buf_done(&b);
	return cfg;
}

static struct feed_containers *make_list(size_t n, int stride)
{
	struct feed_containers *c = xcalloc(1, sizeof *c);

	c->items = xcalloc(n + 1, sizeof *c->items);
	c->n = n;
	for (size_t i = 0; i < n; i++) {
		/* the last two share a name: the linear search finds the first */
		c->items[i].name = xasprintf("c%zu", i + 1 == n ? (n - 2) * (size_t)stride :
		                             i * (size_t)stride);
		c->items[i].state = DOCKER_STATE_RUNNING;
	}
	return c;
}

static const char *linear_first_service(const struct config *cfg, const char *container, size_t *at)
{
	for (size_t i = 0; i < cfg->nservices; i++)
		if (strcmp(cfg->services[i].container, container) == 0) {
			*at = i;
			return container;
		}
	*at = SIZE_MAX;
	return NULL;
}

static void check_agree(const struct frame *f)
{
	for (size_t h = 0; h < f->nhosts; h++)
		for (int k = -5; k < 2 * NSERV; k++) {
			char name[32];
			const struct feed_containers *c = f->hosts[h].docker.value;

			snprintf(name, sizeof name, "c%d", k);
			assert_ptr_equal(frame_host_container(&f->hosts[h], name),
			                 feed_containers_find(c, name));
		}
	for (int k = -5; k < 2 * NSERV; k++) {
		char name[32];
		size_t at;

		snprintf(name, sizeof name, "c%d", k);
		(void)linear_first_service(f->cfg, name, &at);
		assert_int_equal(frame_service_first(f, name), at);
	}
}

static void test_agree(void **unused)
{
	struct config *cfg = make_config();
	struct feed_containers *a = make_list(200, 3), *b = make_list(5, 1), *a2 = make_list(250, 2);
	struct frame f;

	(void)unused;
	frame_init(&f, cfg);
	f.hosts[0].docker.value = a;
	f.hosts[1].docker.value = b;     /* a tiny list, searched as it is */
	check_agree(&f);
	/* another value after the index was built: it is rebuilt */
	f.hosts[0].docker.value = a2;
	check_agree(&f);
	f.hosts[1].docker.value = NULL;
	assert_null(frame_host_container(&f.hosts[1], "c1"));
	frame_release(&f);

	/* a frame filled by hand without frame_init has no index: still right */
	{
		struct frame g = { .cfg = cfg, .nhosts = 1 };
		struct frame_host gh = { .name = "a" };

		g.hosts = &gh;
		gh.docker.value = a;
		check_agree(&g);
	}
	feed_containers_free(a);
	feed_containers_free(a2);
	feed_containers_free(b);
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
