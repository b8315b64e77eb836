/* Unit tests: the lab model's sources on this machine and the status JSON
 * built from them (field names of DESIGN.md, null for unbuilt sections). */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/config/config.h"
#include "core/fleet/fleet.h"
#include "core/model/status.h"
#include "core/base/timeutil.h"

static struct config *parse(const char *text)
{
	char *cause = NULL;
	struct config *cfg = config_parse("test.conf", text, strlen(text), &cause);

	if (cfg == NULL)
		fail_msg("config: %s", cause);
	return cfg;
}

static void test_local_host_json(void **state)
{
	struct config *cfg = parse("[kitetop]\nrefresh = 0.5\n[host here]\n");
	struct lab *lab = lab_new(cfg, NULL);
	cJSON *root, *h, *m;
	char *json;

	assert_int_equal(lab->nhosts, 1);
	assert_true(lab->hosts[0].local);
	assert_non_null(lab->hosts[0].metrics);
	assert_int_equal(lab_start(lab, NULL), 0);
	assert_true(lab_wait_all(lab, time_mono_ms() + 3000));
	json = status_json(lab);
	root = cJSON_Parse(json);
	assert_non_null(root);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "generated_at")));
	assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "overall")));
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "hosts"), 0);
	assert_string_equal(cJSON_GetObjectItem(h, "name")->valuestring, "here");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(h, "reachable")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "error")));
	m = cJSON_GetObjectItem(h, "metrics");
	assert_string_equal(cJSON_GetObjectItem(m, "source")->valuestring, "proc");
	/* the baseline sample makes the first CPU figure a real rate */
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(m, "cpu_pct")));
	assert_true(cJSON_GetObjectItem(m, "cpu_pct")->valuedouble >= 0);
	assert_true(cJSON_GetObjectItem(m, "cpu_pct")->valuedouble <= 100);
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(m, "mem_pct")));
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(m, "disk_pct")));
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(m, "uptime_s")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "error")));
	for (size_t i = 0; i < 5; i++) {
		static const char *const k[] = { "services", "authentik", "postgres", "redis", "cloudflare" };

		assert_true(cJSON_IsNull(cJSON_GetObjectItem(root, k[i])));
	}
	cJSON_Delete(root);
	free(json);
	assert_true(lab_generation(lab) >= 1);
	assert_true(lab_stop(lab));
	lab_free(lab);
	config_free(cfg);
}

static void test_remote_host_is_not_faked(void **state)
{
	/* port 1 on the lab's address: nothing listens there, refused at once */
	struct config *cfg = parse("[host monk]\nssh = kite@127.0.0.2:1\ndocker = none\n");
	struct lab *lab = lab_new(cfg, NULL);
	cJSON *root, *h;
	char *json;
	struct buf text;

	assert_false(lab->hosts[0].local);
	assert_null(lab->hosts[0].metrics);
	assert_int_equal(lab_start(lab, NULL), 0);
	/* its only source is tailscale's, which fails as soon as ssh is refused */
	assert_true(lab_wait_all(lab, time_mono_ms() + 3000));
	json = status_json(lab);
	root = cJSON_Parse(json);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "hosts"), 0);
	/* null while the first attempt runs, false once refused: never true */
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(h, "reachable")));
	assert_true(cJSON_IsString(cJSON_GetObjectItem(h, "error")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "metrics")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "containers")));
	cJSON_Delete(root);
	free(json);
	buf_init(&text);
	status_text(lab, &text);
	assert_non_null(strstr(buf_cstr(&text), "monk (kite@127.0.0.2:1) unreachable"));
	assert_non_null(strstr(buf_cstr(&text), "metrics: none configured"));
	buf_done(&text);
	lab_free(lab);
	config_free(cfg);
}

static void test_levels(void **state)
{
	assert_string_equal(status_level_name(STATUS_OK), "ok");
	assert_string_equal(status_level_name(STATUS_WARN), "warn");
	assert_string_equal(status_level_name(STATUS_CRIT), "crit");
	assert_string_equal(status_level_name(STATUS_UNKNOWN), "unknown");
}

static void test_stop_is_prompt(void **state)
{
	struct config *cfg = parse("[kitetop]\nrefresh = 3600\n[host a]\n[host b]\naddress = x\n");
	struct lab *lab = lab_new(cfg, NULL);
	int64_t t0;

	assert_int_equal(lab->nsources, 2);
	assert_int_equal(lab_start(lab, NULL), 0);
	assert_true(lab_wait_all(lab, time_mono_ms() + 3000));
	t0 = time_mono_ms();
	assert_true(lab_stop(lab));   /* both wait an hour for their next poll */
	assert_true(time_mono_ms() - t0 < 200);
	lab_free(lab);
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_host_json),
		cmocka_unit_test(test_remote_host_is_not_faked),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_stop_is_prompt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
