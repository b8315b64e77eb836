/* Unit tests of core/model/verdict_drift: the same service running
 * different images on the hosts.  The recorded lab frame
 * (tests/fixtures/frames/kitestacks-lab.json, where every container runs
 * the one lab image) is edited in each test as Watchtower would leave a
 * host: another tag, the same tag pulled later (another image id); what is
 * not drift (a missing or exited container, an unreachable host) stays
 * quiet.  Then the status JSON and text of a drifted frame, and a frame
 * built by hand for the containers no service names. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/status_json.h"
#include "cli/status_text.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/model/frame_json.h"
#include "core/model/verdict.h"
#include "core/model/verdict_drift.h"
#include "tests/support/fixture.h"

enum { MONK = 0, KSCLOUD1 = 1 };

#define LAB_ID "sha256:f6f3e81097f63446910d998462d3319ff7093babb36e60c588880804be0fc65b"
#define OTHER_ID "sha256:23137c5f41d7cd7133547e08781bcf8065d56d93b962877b016db51550f8c1a7"

static struct config *lab_cfg;

static int group_setup(void **state)
{
	char *cause = NULL, *text;
	size_t len;

	(void)state;
	setenv("KITETOP_FRAMES_SECRET", "not-a-secret", 1);
	text = fixture_read("frames", "kitestacks-lab.conf", &len);
	lab_cfg = config_parse("kitestacks-lab.conf", text, len, &cause);
	free(text);
	if (lab_cfg == NULL) {
		print_error("config: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	config_free(lab_cfg);
	return 0;
}

static void read_fixture(struct frame *f, const char *name)
{
	char *cause = NULL, *doc;
	size_t len;

	doc = fixture_read("frames", name, &len);
	if (frame_json_read(f, lab_cfg, doc, len, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	free(doc);
}

/* Edits the frame as a host's engine would list it after an update: the
 * container called name on host runs image (id: image_id, NULL unknown). */
static void set_image(struct frame *f, size_t host, const char *name, const char *image,
                      const char *image_id)
{
	struct feed_containers *c = (struct feed_containers *)f->hosts[host].docker.value;

	for (size_t i = 0; c != NULL && i < c->n; i++) {
		if (strcmp(c->items[i].name, name) != 0)
			continue;
		free(c->items[i].image);
		free(c->items[i].image_id);
		c->items[i].image = xstrdup(image);
		c->items[i].image_id = xstrdup(image_id);
		return;
	}
	fail_msg("no container %s on host %zu", name, host);
}

static char *reason_of(const struct frame *f, const char *container, bool hosts)
{
	struct verdict_drift d;
	char out[1024];

	if (!verdict_drift(f, container, &d))
		return xstrdup("");
	if (hosts)
		verdict_drift_reason_hosts(f, &d, out, sizeof out);
	else
		verdict_drift_reason(&d, out, sizeof out);
	return xstrdup(out);
}

static void assert_reason(const struct frame *f, const char *container, const char *want)
{
	char *got = reason_of(f, container, false);

	assert_string_equal(got, want);
	free(got);
}

static void test_same_everything_is_no_drift(void **state)
{
	struct frame f;
	struct buf reasons;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	for (size_t i = 0; i < lab_cfg->nservices; i++) {
		struct verdict_drift d;

		assert_false(verdict_drift(&f, lab_cfg->services[i].container, &d));
		assert_int_equal(d.kind, VERDICT_DRIFT_NONE);
	}
	buf_init(&reasons);
	assert_int_equal(verdict_drift_level(&f, &reasons), VERDICT_OK);
	assert_string_equal(buf_cstr(&reasons), "");
	/* "nginx" is "nginx:latest" */
	set_image(&f, MONK, "grafana", "grafana/grafana", LAB_ID);
	set_image(&f, KSCLOUD1, "grafana", "grafana/grafana:latest", LAB_ID);
	assert_reason(&f, "grafana", "");
	assert_false(verdict_differs(&f, "grafana"));
	buf_done(&reasons);
	frame_release(&f);
}

static void test_different_tag(void **state)
{
	struct frame f;
	struct buf reasons;
	char *line;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	set_image(&f, MONK, "grafana", "grafana/grafana:11.2.0", LAB_ID);
	set_image(&f, KSCLOUD1, "grafana", "grafana/grafana:11.3.0", OTHER_ID);
	assert_reason(&f, "grafana", "image differs: 11.2.0 vs 11.3.0");
	line = reason_of(&f, "grafana", true);
	assert_string_equal(line, "image differs on monk and kscloud1: 11.2.0 vs 11.3.0");
	free(line);
	assert_true(verdict_differs(&f, "grafana"));       /* the ≠ mark */
	buf_init(&reasons);
	assert_int_equal(verdict_drift_level(&f, &reasons), VERDICT_WARN);
	assert_string_equal(buf_cstr(&reasons),
	                    "grafana: image differs on monk and kscloud1: 11.2.0 vs 11.3.0\n");
	buf_reset(&reasons);
	assert_int_equal(verdict_overall(&f, &reasons), VERDICT_WARN);
	assert_non_null(strstr(buf_cstr(&reasons),
	                       "grafana: image differs on monk and kscloud1: 11.2.0 vs 11.3.0\n"));
	/* a registry's port is not a tag; no tag is "latest" */
	set_image(&f, MONK, "grafana", "registry.lan:5000/grafana/grafana", NULL);
	set_image(&f, KSCLOUD1, "grafana", "registry.lan:5000/grafana/grafana:11.3.0", NULL);
	assert_reason(&f, "grafana", "image differs: latest vs 11.3.0");
	buf_done(&reasons);
	frame_release(&f);
}

static void test_different_repository(void **state)
{
	struct frame f;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	/* the same image under another name is still another reference */
	set_image(&f, KSCLOUD1, "homepage", "kt-drift-1:v2", LAB_ID);
	assert_reason(&f, "homepage", "image differs: kitestacks/busybox:lab vs kt-drift-1:v2");
	/* a reference pinned by digest, or an id left when the tag moved on,
	 * is named whole */
	set_image(&f, KSCLOUD1, "homepage", "kitestacks/busybox@sha256:0123", LAB_ID);
	assert_reason(&f, "homepage",
	              "image differs: kitestacks/busybox:lab vs kitestacks/busybox@sha256:0123");
	frame_release(&f);
}

static void test_same_tag_different_digest(void **state)
{
	struct frame f;
	char *line;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	set_image(&f, KSCLOUD1, "forgejo", "kitestacks/busybox:lab", OTHER_ID);
	assert_reason(&f, "forgejo", "same tag, different digest: sha256:f6f3e810 vs sha256:23137c5f");
	line = reason_of(&f, "forgejo", true);
	assert_string_equal(line, "same tag, different digest on monk and kscloud1: "
	                    "sha256:f6f3e810 vs sha256:23137c5f");
	free(line);
	assert_true(verdict_differs(&f, "forgejo"));
	/* an id unknown on one host: nothing to compare */
	set_image(&f, KSCLOUD1, "forgejo", "kitestacks/busybox:lab", NULL);
	assert_reason(&f, "forgejo", "");
	frame_release(&f);
}

static void test_missing_or_not_running_is_no_drift(void **state)
{
	struct frame f;
	struct buf reasons;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	/* kite-litellm runs on monk only (missing on kscloud1) */
	set_image(&f, MONK, "kite-litellm", "ghcr.io/berriai/litellm:main-v1.50", OTHER_ID);
	assert_reason(&f, "kite-litellm", "");
	/* kavita exited on monk */
	set_image(&f, MONK, "kavita", "jvmilazz0/kavita:0.8.3", OTHER_ID);
	assert_reason(&f, "kavita", "");
	assert_true(verdict_differs(&f, "kavita"));        /* still marked: exited */
	buf_init(&reasons);
	assert_int_equal(verdict_drift_level(&f, &reasons), VERDICT_OK);
	buf_done(&reasons);
	frame_release(&f);

	/* monk unreachable: kscloud1 alone has a say */
	read_fixture(&f, "kitestacks-lab-degraded.json");
	set_image(&f, MONK, "grafana", "grafana/grafana:11.2.0", LAB_ID);
	assert_reason(&f, "grafana", "");
	frame_release(&f);
}

static const cJSON *service_json(const cJSON *root, const char *name)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(root, "services"))
		if (strcmp(cJSON_GetObjectItem(s, "name")->valuestring, name) == 0)
			return s;
	fail_msg("no service %s", name);
	return NULL;
}

static void test_status_json_and_text(void **state)
{
	struct frame f, back;
	struct buf text;
	char *json, *again, *cause = NULL;
	cJSON *root;
	const cJSON *drift, *h, *c;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	set_image(&f, MONK, "grafana", "grafana/grafana:11.2.0", LAB_ID);
	set_image(&f, KSCLOUD1, "grafana", "grafana/grafana:11.3.0", OTHER_ID);
	json = status_json(&f);
	root = cJSON_Parse(json);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "overall")->valuestring, "warn");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(service_json(root, "homepage"), "drift")));
	drift = cJSON_GetObjectItem(service_json(root, "grafana"), "drift");
	assert_true(cJSON_IsObject(drift));
	assert_string_equal(cJSON_GetObjectItem(drift, "reason")->valuestring,
	                    "image differs: 11.2.0 vs 11.3.0");
	h = cJSON_GetObjectItem(cJSON_GetObjectItem(drift, "hosts"), "monk");
	assert_string_equal(cJSON_GetObjectItem(h, "image")->valuestring, "grafana/grafana:11.2.0");
	assert_string_equal(cJSON_GetObjectItem(h, "image_id")->valuestring, LAB_ID);
	h = cJSON_GetObjectItem(cJSON_GetObjectItem(drift, "hosts"), "kscloud1");
	assert_string_equal(cJSON_GetObjectItem(h, "image")->valuestring, "grafana/grafana:11.3.0");
	assert_string_equal(cJSON_GetObjectItem(h, "image_id")->valuestring, OTHER_ID);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(drift, "hosts")), 2);
	/* each container says its image id; a missing one null */
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "hosts"),
	                                                             KSCLOUD1), "containers")) {
		const cJSON *id = cJSON_GetObjectItem(c, "image_id");

		if (strcmp(cJSON_GetObjectItem(c, "state")->valuestring, "missing") == 0)
			assert_true(cJSON_IsNull(id));
		else
			assert_true(cJSON_IsString(id));
	}
	cJSON_Delete(root);

	/* read back, the drift comes out the same: it is computed again */
	if (frame_json_read(&back, lab_cfg, json, strlen(json), &cause) != 0)
		fail_msg("%s", cause);
	again = status_json(&back);
	assert_string_equal(again, json);
	free(again);
	frame_release(&back);

	buf_init(&text);
	status_text(&f, &text);
	assert_non_null(strstr(buf_cstr(&text), "    drift        image differs: 11.2.0 vs 11.3.0\n"));
	assert_non_null(strstr(buf_cstr(&text),
	                       "grafana: image differs on monk and kscloud1: 11.2.0 vs 11.3.0"));
	buf_done(&text);
	free(json);
	frame_release(&f);
}

/* A frame built by hand: host i lists containers[i] (connected, polled). */
static void hand_frame(struct frame *f, struct feed_containers *lists)
{
	frame_init(f, lab_cfg);
	for (size_t i = 0; i < f->nhosts; i++) {
		f->hosts[i].reach.known = f->hosts[i].reach.connected = true;
		f->hosts[i].docker.feed.configured = f->hosts[i].docker.feed.polled = true;
		f->hosts[i].docker.value = &lists[i];
	}
}

static void test_unconfigured_containers(void **state)
{
	struct docker_container monk[] = {
		{ .name = (char *)"dozzle", .image = (char *)"amir20/dozzle:v8.6", .image_id = (char *)LAB_ID,
		  .state = DOCKER_STATE_RUNNING },
		{ .name = (char *)"solo", .image = (char *)"solo:1", .state = DOCKER_STATE_RUNNING },
	};
	struct docker_container ks[] = {
		{ .name = (char *)"dozzle", .image = (char *)"amir20/dozzle:v8.7", .image_id = (char *)OTHER_ID,
		  .state = DOCKER_STATE_RUNNING },
	};
	struct feed_containers lists[2] = { { .items = monk, .n = 2 }, { .items = ks, .n = 1 } };
	struct frame f;
	struct buf reasons;

	(void)state;
	assert_int_equal(lab_cfg->nhosts, 2);
	hand_frame(&f, lists);
	buf_init(&reasons);
	assert_int_equal(verdict_drift_level(&f, &reasons), VERDICT_WARN);
	/* once, by the container's name; "solo" runs on one host only */
	assert_string_equal(buf_cstr(&reasons), "dozzle: image differs on monk and kscloud1: v8.6 vs v8.7\n");
	assert_true(verdict_differs(&f, "dozzle"));
	assert_false(verdict_differs(&f, "solo"));
	/* an engine that failed has no say */
	f.hosts[KSCLOUD1].docker.feed.error = "docker: connection refused";
	buf_reset(&reasons);
	assert_int_equal(verdict_drift_level(&f, &reasons), VERDICT_OK);
	buf_done(&reasons);
	frame_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_everything_is_no_drift),
		cmocka_unit_test(test_different_tag),
		cmocka_unit_test(test_different_repository),
		cmocka_unit_test(test_same_tag_different_digest),
		cmocka_unit_test(test_missing_or_not_running_is_no_drift),
		cmocka_unit_test(test_status_json_and_text),
		cmocka_unit_test(test_unconfigured_containers),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
