/* Tests of core/model/implicit and its part in the verdict, `check` and
 * `status`: without [service] sections, the containers of one name (else of
 * one compose service) on more than one host are services, and a missing,
 * restarting, unhealthy or failed (non-zero exit) container of one of them
 * makes the overall level a warning, or critical when it is bad on every
 * host that answered.  Frames built by hand from three hosts' lists. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/status_check.h"
#include "cli/status_services.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/feeds/feed_docker.h"
#include "core/model/implicit.h"
#include "core/model/verdict.h"

enum { A = 0, B = 1, C = 2 };

static const char conf_text[] =
	"[kitetop]\n"
	"[host a]\nssh = root@127.0.0.111\ndocker = ssh\n"
	"[host b]\nssh = root@127.0.0.112\ndocker = ssh\n"
	"[host c]\nssh = root@127.0.0.113\ndocker = ssh\n";

static struct config *cfg, *cfg_services;

static int group_setup(void **state)
{
	char *cause = NULL;
	char *with = xasprintf("%s[service web]\ncontainer = web\n", conf_text);

	(void)state;
	cfg = config_parse("implicit.conf", conf_text, strlen(conf_text), &cause);
	cfg_services = config_parse("services.conf", with, strlen(with), &cause);
	free(with);
	if (cfg == NULL || cfg_services == NULL) {
		print_error("config: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	config_free(cfg);
	config_free(cfg_services);
	return 0;
}

#define RUNNING(n) { .name = (char *)(n), .state = DOCKER_STATE_RUNNING, .exit_code = -1 }
#define COMPOSE(n, svc) { .name = (char *)(n), .compose_service = (char *)(svc), \
	.state = DOCKER_STATE_RUNNING, .exit_code = -1 }

/* Host i lists lists[i]; every host connected and its Docker answered. */
static void hand_frame(struct frame *f, const struct config *c, struct feed_containers *lists)
{
	frame_init(f, c);
	for (size_t i = 0; i < f->nhosts; i++) {
		f->hosts[i].reach.known = f->hosts[i].reach.connected = true;
		f->hosts[i].docker.feed.configured = f->hosts[i].docker.feed.polled = true;
		f->hosts[i].docker.value = &lists[i];
	}
}

static void test_names_then_compose_services(void **state)
{
	struct docker_container a[] = { RUNNING("web"), RUNNING("solo"), COMPOSE("stack-db-1", "db"),
		COMPOSE("other-web-1", "web") };
	struct docker_container b[] = { RUNNING("web"), COMPOSE("db", "db") };
	struct docker_container c[] = { COMPOSE("proj_db_1", "db"), RUNNING("only-c") };
	struct feed_containers lists[3] = { { .items = a, .n = 4 }, { .items = b, .n = 2 }, { .items = c, .n = 2 } };
	struct implicit_services is;
	struct frame f;

	(void)state;
	hand_frame(&f, cfg, lists);
	implicit_services_build(&f, &is);
	/* "db": the name is on b only, the compose service on all three;
	 * "web" by name (a's other-web-1 is of compose service web, named
	 * like it, so left out); solo and only-c are on one host */
	assert_int_equal(is.n, 2);
	assert_string_equal(is.v[0].name, "db");
	assert_int_equal(is.v[0].present, 3);
	assert_ptr_equal(is.v[0].dc[A], &a[2]);
	assert_ptr_equal(is.v[0].dc[B], &b[1]);
	assert_ptr_equal(is.v[0].dc[C], &c[0]);
	assert_string_equal(is.v[1].name, "web");
	assert_int_equal(is.v[1].present, 2);
	assert_ptr_equal(is.v[1].dc[A], &a[0]);
	assert_ptr_equal(is.v[1].dc[B], &b[0]);
	assert_null(is.v[1].dc[C]);
	implicit_services_done(&is);

	/* a host whose Docker failed has no containers to offer */
	f.hosts[B].docker.feed.error = "docker: connection refused";
	implicit_services_build(&f, &is);
	assert_int_equal(is.n, 1);
	assert_string_equal(is.v[0].name, "db");
	assert_null(is.v[0].dc[B]);
	implicit_services_done(&is);
	frame_release(&f);
}

static void test_bad_containers(void **state)
{
	struct docker_container ok = RUNNING("x"), done = { .state = DOCKER_STATE_EXITED, .exit_code = 0 };
	struct docker_container failed = { .state = DOCKER_STATE_EXITED, .exit_code = 1 };
	struct docker_container dead = { .state = DOCKER_STATE_DEAD, .exit_code = -1 };
	struct docker_container restarting = { .state = DOCKER_STATE_RESTARTING, .exit_code = 1 };
	struct docker_container sick = { .state = DOCKER_STATE_RUNNING, .health = DOCKER_HEALTH_UNHEALTHY };
	struct docker_container created = { .state = DOCKER_STATE_CREATED, .exit_code = 0 };
	struct docker_container missing = feed_missing_container("x");
	char w[64];

	(void)state;
	assert_false(implicit_container_bad(&ok));
	assert_false(implicit_container_bad(&done));
	assert_false(implicit_container_bad(&created));
	assert_true(implicit_container_bad(&failed));
	assert_true(implicit_container_bad(&dead));
	assert_true(implicit_container_bad(&restarting));
	assert_true(implicit_container_bad(&sick));
	assert_true(implicit_container_bad(&missing));
	assert_true(implicit_container_bad(NULL));
	implicit_container_words(&failed, w, sizeof w);
	assert_string_equal(w, "exited (1)");
	implicit_container_words(&sick, w, sizeof w);
	assert_string_equal(w, "unhealthy");
	implicit_container_words(&restarting, w, sizeof w);
	assert_string_equal(w, "restarting");
	implicit_container_words(NULL, w, sizeof w);
	assert_string_equal(w, "missing");
}

/* The level, the reasons and check's line of a frame whose hosts list
 * a_list, b_list and c_list (n each). */
static void assert_verdict(struct docker_container *a, size_t na, struct docker_container *b, size_t nb,
                           struct docker_container *c, size_t nc, enum verdict_level want,
                           const char *reasons_want, const char *check_want)
{
	struct feed_containers lists[3] = { { .items = a, .n = na }, { .items = b, .n = nb }, { .items = c, .n = nc } };
	struct frame f;
	struct buf reasons, check;

	hand_frame(&f, cfg, lists);
	buf_init(&reasons);
	buf_init(&check);
	assert_int_equal(verdict_overall(&f, &reasons), want);
	assert_string_equal(buf_cstr(&reasons), reasons_want);
	status_check_line(&f, &check);
	if (strstr(buf_cstr(&check), check_want) == NULL)
		fail_msg("check line \"%s\" does not say \"%s\"", buf_cstr(&check), check_want);
	buf_done(&reasons);
	buf_done(&check);
	frame_release(&f);
}

static void test_verdict(void **state)
{
	struct docker_container a[] = { RUNNING("kavita"), RUNNING("karakeep"), RUNNING("solo") };
	struct docker_container b[] = { RUNNING("kavita"), RUNNING("karakeep") };
	struct docker_container c[] = { RUNNING("kavita"), RUNNING("karakeep") };

	(void)state;
	assert_verdict(a, 3, b, 2, c, 2, VERDICT_OK, "", "KITETOP OK");
	/* the lab's case: kavita exited (1) on one host, karakeep unhealthy on another */
	a[0].state = DOCKER_STATE_EXITED;
	a[0].exit_code = 1;
	b[1].health = DOCKER_HEALTH_UNHEALTHY;
	assert_verdict(a, 3, b, 2, c, 2, VERDICT_WARN, "b: karakeep unhealthy\na: kavita exited (1)\n",
	               "KITETOP WARNING - 3 hosts: b: karakeep unhealthy; a: kavita exited (1) | "
	               "hosts_up=3;;;0;3 containers_bad=2;;;0");
	/* an exit with 0 is a job done */
	a[0].exit_code = 0;
	b[1].health = DOCKER_HEALTH_NONE;
	assert_verdict(a, 3, b, 2, c, 2, VERDICT_OK, "", "containers_bad=0");
	/* missing on a host that has the others' containers; a lone container
	 * that fails is nobody's service */
	a[2].state = DOCKER_STATE_RESTARTING;
	assert_verdict(a, 3, b, 2, c, 1, VERDICT_WARN, "c: karakeep missing\n", "containers_bad=1");
	/* bad on every host that has it: critical */
	a[1].state = b[1].state = c[1].state = DOCKER_STATE_RESTARTING;
	assert_verdict(a, 3, b, 2, c, 2, VERDICT_CRIT,
	               "a: karakeep restarting\nb: karakeep restarting\nc: karakeep restarting\n",
	               "KITETOP CRITICAL");
}

static void test_configured_services_win(void **state)
{
	struct docker_container a[] = { RUNNING("web"), { .name = (char *)"kavita",
		.state = DOCKER_STATE_EXITED, .exit_code = 1 } };
	struct docker_container b[] = { RUNNING("web"), RUNNING("kavita") };
	struct docker_container c[] = { RUNNING("web"), RUNNING("kavita") };
	struct feed_containers lists[3] = { { .items = a, .n = 2 }, { .items = b, .n = 2 }, { .items = c, .n = 2 } };
	struct frame f;
	struct buf reasons;
	cJSON *js;

	(void)state;
	/* [service] sections name what matters: kavita is not one of them */
	hand_frame(&f, cfg_services, lists);
	buf_init(&reasons);
	assert_int_equal(verdict_overall(&f, &reasons), VERDICT_OK);
	js = status_services_json(&f);
	assert_int_equal(cJSON_GetArraySize(js), 1);
	assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(js, 0), "implicit"));
	cJSON_Delete(js);
	frame_release(&f);
	/* without them, status lists both as implicit services */
	hand_frame(&f, cfg, lists);
	js = status_services_json(&f);
	assert_int_equal(cJSON_GetArraySize(js), 2);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(js, 0), "name")->valuestring, "kavita");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(js, 0), "implicit")));
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
	                    cJSON_GetArrayItem(js, 0), "hosts"), "a"), "state")->valuestring, "exited");
	cJSON_Delete(js);
	buf_reset(&reasons);
	status_services_text(&f, &reasons);
	if (strstr(buf_cstr(&reasons), "kavita (implicit: on more than one host)\n"
	           "    a            exited\n") == NULL)
		fail_msg("status text:\n%s", buf_cstr(&reasons));
	buf_done(&reasons);
	frame_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_then_compose_services),
		cmocka_unit_test(test_bad_containers),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_configured_services_win),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
