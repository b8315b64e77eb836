/* test_status_panels — the [panel] queries in status --json and the text:
 * a panel's level is its worst series' (crit, not warn, when one is over
 * crit), unknown with its error while the query failed; null without
 * [panel]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/status_json.h"
#include "cli/status_panels.h"
#include "core/base/buf.h"
#include "core/config/config.h"
#include "core/feeds/panels.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"

static struct config *parse_ok(const char *text)
{
	char *cause = NULL;
	struct config *cfg = config_parse("t.conf", text, strlen(text), &cause);

	if (cfg == NULL)
		fail_msg("config: %s", cause);
	return cfg;
}

static char label_a[] = "a", label_b[] = "b", error_timeout[] = "prometheus: timeout";

static void test_panel_crit_and_error(void **state)
{
	struct config *cfg = parse_ok("[host a]\n[host b]\n[panel \"Disk %\"]\nquery = x\nunit = percent\n"
	                              "warn = 80\ncrit = 90\nper_host = yes\n[panel \"Load\"]\nquery = y\n");
	struct frame f;
	struct panel_series s[] = { { .label = label_a, .host = 0, .value = 85 },
	                            { .label = label_b, .host = 1, .value = 97 } };
	struct panel_data items[] = { { .cfg = &cfg->panels[0], .series = s, .n = 2, .total = 2 },
	                              { .cfg = &cfg->panels[1], .error = error_timeout } };
	struct panels p = { .items = items, .n = 2 };
	struct buf out;
	cJSON *j, *p0, *p1;
	char *doc;

	(void)state;
	frame_init(&f, cfg);
	f.panels.feed = (struct frame_feed){ .configured = true, .polled = true };
	f.panels.value = &p;
	/* the overall verdict counts the crit series: crit, not warn */
	assert_int_equal(verdict_overall(&f, NULL), VERDICT_CRIT);
	j = status_panels_json(&f);
	assert_true(cJSON_IsArray(j));
	assert_int_equal(cJSON_GetArraySize(j), 2);
	p0 = cJSON_GetArrayItem(j, 0);
	assert_string_equal(cJSON_GetObjectItem(p0, "title")->valuestring, "Disk %");
	assert_string_equal(cJSON_GetObjectItem(p0, "unit")->valuestring, "percent");
	assert_string_equal(cJSON_GetObjectItem(p0, "level")->valuestring, "crit");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(p0, "error")));
	assert_int_equal(cJSON_GetObjectItem(p0, "crit")->valueint, 90);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(p0, "series"), 0),
	                                        "level")->valuestring, "warn");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(p0, "series"), 1),
	                                        "host")->valuestring, "b");
	p1 = cJSON_GetArrayItem(j, 1);
	assert_string_equal(cJSON_GetObjectItem(p1, "level")->valuestring, "unknown");
	assert_string_equal(cJSON_GetObjectItem(p1, "error")->valuestring, "prometheus: timeout");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(p1, "warn")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(p1, "series")), 0);
	cJSON_Delete(j);
	/* in the whole document too */
	doc = status_json(&f);
	assert_non_null(strstr(doc, "\"panels\":"));
	free(doc);
	buf_init(&out);
	status_panels_text(&f, &out);
	assert_non_null(strstr(buf_cstr(&out), "\npanels\n  Disk %\n    a "));
	assert_non_null(strstr(buf_cstr(&out), "97.0%  crit\n"));
	assert_non_null(strstr(buf_cstr(&out), "  Load\n    error: prometheus: timeout\n"));
	buf_done(&out);
	/* the whole source failed: every panel unknown with its error */
	f.panels.feed.error = "prometheus: connection refused";
	j = status_panels_json(&f);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "error")->valuestring,
	                    "prometheus: connection refused");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "level")->valuestring, "unknown");
	cJSON_Delete(j);
	f.panels.value = NULL;
	frame_release(&f);
	config_free(cfg);
}

static void test_no_panels_null(void **state)
{
	struct config *cfg = parse_ok("[host a]\n");
	struct frame f;
	cJSON *j;
	struct buf out;

	(void)state;
	frame_init(&f, cfg);
	j = status_panels_json(&f);
	assert_true(cJSON_IsNull(j));
	cJSON_Delete(j);
	buf_init(&out);
	status_panels_text(&f, &out);
	assert_int_equal(out.len, 0);
	buf_done(&out);
	frame_release(&f);
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panel_crit_and_error),
		cmocka_unit_test(test_no_panels_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
