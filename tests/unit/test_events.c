/* Unit tests: core/history/events, the changes between two frames as
 * events.  Frames are read from the recorded KiteStacks-lab documents
 * (tests/fixtures/frames), edited as JSON to make each change: a container
 * exiting, a host going away, a probe failing, a source failing, ...; each
 * test asserts the exact events (kind, level, host, object, from, to,
 * detail), and the rules: nothing for what is first seen, nothing from a
 * stale value, one event for a host (or docker) coming back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "core/base/util.h"
#include "core/config/config.h"
#include "core/feeds/feed_docker.h"
#include "core/history/events.h"
#include "core/model/frame_json.h"
#include "tests/support/fixture.h"

int main(void);

#define LAB "kitestacks-lab.json"
#define DEGRADED "kitestacks-lab-degraded.json"
#define LATER "2026-11-23T11:42:09Z"   /* the "cur" frames' time */
#define SSH_DOWN "ssh: connect to 127.0.0.2:22: Connection refused"

static struct config *lab_cfg;
static struct config *public_cfg;   /* the lab with a public_url for homepage */

static struct config *parse_cfg(const char *text, size_t len)
{
	char *cause = NULL;
	struct config *cfg = config_parse("kitestacks-lab.conf", text, len, &cause);

	if (cfg == NULL) {
		print_error("config: %s\n", cause);
		free(cause);
	}
	return cfg;
}

static int group_setup(void **state)
{
	const char *anchor = "container = homepage\n";
	char *text, *alt, *at;
	size_t len;

	(void)state;
	setenv("KITETOP_FRAMES_SECRET", "not-a-secret", 1);
	text = fixture_read("frames", "kitestacks-lab.conf", &len);
	lab_cfg = parse_cfg(text, len);
	at = strstr(text, anchor);
	assert_non_null(at);
	alt = xasprintf("%.*spublic_url = https://home.example/\n%s", (int)(at - text + strlen(anchor)),
	                text, at + strlen(anchor));
	public_cfg = parse_cfg(alt, strlen(alt));
	free(alt);
	free(text);
	return lab_cfg != NULL && public_cfg != NULL ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	config_free(lab_cfg);
	config_free(public_cfg);
	return 0;
}

/* ---- editing documents ---- */

static cJSON *doc(const char *name)
{
	char *text = fixture_read("frames", name, NULL);
	cJSON *root = cJSON_Parse(text);

	free(text);
	assert_non_null(root);
	return root;
}

/* The later document of a pair: the same, taken two seconds on. */
static cJSON *doc_later(const char *name)
{
	cJSON *root = doc(name);

	cJSON_ReplaceItemInObjectCaseSensitive(root, "generated_at", cJSON_CreateString(LATER));
	return root;
}

static void set(cJSON *o, const char *key, cJSON *v)
{
	assert_non_null(o);
	if (cJSON_HasObjectItem(o, key))
		cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
	else
		cJSON_AddItemToObject(o, key, v);
}

static void set_str(cJSON *o, const char *key, const char *s)
{
	set(o, key, s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull());
}

static cJSON *named(cJSON *arr, const char *name)
{
	cJSON *o;

	cJSON_ArrayForEach(o, arr) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");

		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return o;
	}
	fail_msg("no \"%s\" in the document", name);
	return NULL;
}

static cJSON *host_of(cJSON *root, const char *host)
{
	return named(cJSON_GetObjectItemCaseSensitive(root, "hosts"), host);
}

static cJSON *container_of(cJSON *root, const char *host, const char *name)
{
	return named(cJSON_GetObjectItemCaseSensitive(host_of(root, host), "containers"), name);
}

static void remove_container(cJSON *root, const char *host, const char *name)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(host_of(root, host), "containers");

	cJSON_Delete(cJSON_DetachItemViaPointer(arr, container_of(root, host, name)));
}

/* Adds a running container to host's list, a copy of one it has. */
static void add_container(cJSON *root, const char *host, const char *name, const char *state)
{
	cJSON *copy = cJSON_Duplicate(container_of(root, host, "watchtower"), 1);

	set_str(copy, "name", name);
	set_str(copy, "state", state);
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(host_of(root, host), "containers"), copy);
}

static cJSON *probe_of(cJSON *root, const char *service, const char *host)
{
	cJSON *svc = named(cJSON_GetObjectItemCaseSensitive(root, "services"), service);

	return cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(svc, "hosts"), host),
		"probe");
}

static void set_probe(cJSON *probe, bool ok, int status, const char *error)
{
	set(probe, "ok", cJSON_CreateBool(ok));
	set(probe, "status", status != 0 ? cJSON_CreateNumber(status) : cJSON_CreateNull());
	set_str(probe, "error", error);
}

/* monk unreachable as status writes it: no containers (the reader takes
 * them from services[], as docker last had them). */
static void host_away(cJSON *root, const char *host)
{
	cJSON *h = host_of(root, host);

	set(h, "reachable", cJSON_CreateFalse());
	set_str(h, "error", SSH_DOWN);
	set(h, "ssh_rtt_ms", cJSON_CreateNull());
	set(h, "containers", cJSON_CreateNull());
}

/* ---- frames and events ---- */

static void read_frame(struct frame *f, const struct config *cfg, const cJSON *root)
{
	char *text = cJSON_PrintUnformatted(root), *cause = NULL;

	if (frame_json_read(f, cfg, text, strlen(text), &cause) != 0)
		fail_msg("frame_json_read: %s", cause);
	free(text);
}

/* The events from a to b (both freed) under cfg. */
static struct event_list diff_cfg(const struct config *cfg, cJSON *a, cJSON *b)
{
	struct event_list l = { 0 };
	struct frame fa, fb;
	size_t n;

	read_frame(&fa, cfg, a);
	read_frame(&fb, cfg, b);
	n = events_diff(&fa, &fb, &l);
	assert_int_equal(n, l.n);
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal(l.v[i].time_ms, fb.taken_ms);
	frame_release(&fa);
	frame_release(&fb);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return l;
}

static struct event_list diff(cJSON *a, cJSON *b)
{
	return diff_cfg(lab_cfg, a, b);
}

static void dump(const struct event_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		char *s = event_describe(&l->v[i], false);

		print_message("  [%zu] %s %s: %s\n", i, event_kind_name(l->v[i].kind),
		              event_level_name(l->v[i].level), s);
		free(s);
	}
}

static void expect_n(const struct event_list *l, size_t n)
{
	if (l->n != n) {
		dump(l);
		fail_msg("%zu events, expected %zu", l->n, n);
	}
}

static void expect(const struct event_list *l, size_t i, enum event_kind kind,
                   enum event_level level, const char *host, const char *object,
                   const char *from, const char *to, const char *detail)
{
	const struct event *e;

	if (i >= l->n) {
		dump(l);
		fail_msg("no event %zu", i);
	}
	e = &l->v[i];
	assert_string_equal(event_kind_name(e->kind), event_kind_name(kind));
	assert_string_equal(event_level_name(e->level), event_level_name(level));
	assert_string_equal(e->host, host);
	assert_string_equal(e->object, object);
	assert_string_equal(e->from, from);
	assert_string_equal(e->to, to);
	assert_string_equal(e->detail, detail);
	assert_string_equal(e->id, "");
}

/* ---- tests ---- */

static void test_nothing_changed(void **state)
{
	struct event_list l;
	struct frame f;
	cJSON *root;

	(void)state;
	l = diff(doc(LAB), doc_later(LAB));
	expect_n(&l, 0);
	event_list_free(&l);
	l = diff(doc(DEGRADED), doc_later(DEGRADED));
	expect_n(&l, 0);
	/* no frame before: everything is first seen */
	root = doc(LAB);
	read_frame(&f, lab_cfg, root);
	assert_int_equal(events_diff(NULL, &f, &l), 0);
	assert_int_equal(l.n, 0);
	frame_release(&f);
	cJSON_Delete(root);
	event_list_free(&l);
}

static void test_container_state(void **state)
{
	cJSON *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	set_str(container_of(b, "monk", "kavita"), "state", "running");
	set_str(container_of(b, "monk", "grafana"), "state", "restarting");
	set_str(container_of(b, "monk", "portainer"), "state", "paused");
	set_str(container_of(b, "kscloud1", "forgejo"), "state", "dead");
	l = diff(doc(LAB), b);
	expect_n(&l, 4);
	expect(&l, 0, EVENT_CONTAINER, EVENT_LEVEL_OK, "monk", "kavita", "exited", "running", "");
	expect(&l, 1, EVENT_CONTAINER, EVENT_LEVEL_WARN, "monk", "grafana", "running", "restarting", "");
	expect(&l, 2, EVENT_CONTAINER, EVENT_LEVEL_OK, "monk", "portainer", "running", "paused", "");
	expect(&l, 3, EVENT_CONTAINER, EVENT_LEVEL_CRIT, "kscloud1", "forgejo", "running", "dead", "");
	event_list_free(&l);
}

/* The exit code is in the state's words ("exited (1)"); status --json
 * does not carry it, so the test sets it on the frame read. */
static void test_container_exit_code(void **state)
{
	struct event_list l = { 0 };
	struct frame fa, fb;
	cJSON *a = doc(LAB), *b = doc_later(LAB);
	struct docker_container *dc;

	(void)state;
	set_str(container_of(b, "monk", "grafana"), "state", "exited");
	read_frame(&fa, lab_cfg, a);
	read_frame(&fb, lab_cfg, b);
	dc = (struct docker_container *)&fb.hosts[0].docker.value->items[6];
	assert_string_equal(dc->name, "grafana");
	dc->exit_code = 137;
	dc = (struct docker_container *)&fb.hosts[0].docker.value->items[5];
	assert_string_equal(dc->name, "kavita");
	dc->exit_code = 1;   /* kavita "exited" -> "exited (1)": its words changed */
	assert_int_equal(events_diff(&fa, &fb, &l), 2);
	expect(&l, 0, EVENT_CONTAINER, EVENT_LEVEL_CRIT, "monk", "kavita", "exited", "exited (1)", "");
	expect(&l, 1, EVENT_CONTAINER, EVENT_LEVEL_CRIT, "monk", "grafana", "running", "exited (137)", "");
	frame_release(&fa);
	frame_release(&fb);
	cJSON_Delete(a);
	cJSON_Delete(b);
	event_list_free(&l);
}

/* Two lists of one version (a list published again with fresh figures)
 * are not compared: the version says they hold the same containers in the
 * same states.  Of different versions, or of version 0 (unknown: a value
 * read from a document), they are. */
static void test_same_version_skipped(void **state)
{
	struct event_list l = { 0 };
	struct frame fa, fb;
	cJSON *a = doc(LAB), *b = doc_later(LAB);
	struct feed_containers *pa, *pb;

	(void)state;
	set_str(container_of(b, "monk", "grafana"), "state", "restarting");
	read_frame(&fa, lab_cfg, a);
	read_frame(&fb, lab_cfg, b);
	pa = (struct feed_containers *)fa.hosts[0].docker.value;
	pb = (struct feed_containers *)fb.hosts[0].docker.value;
	assert_int_equal(pa->version, 0);   /* unknown: compared */
	assert_int_equal(events_diff(&fa, &fb, &l), 1);
	expect(&l, 0, EVENT_CONTAINER, EVENT_LEVEL_WARN, "monk", "grafana", "running", "restarting", "");
	event_list_free(&l);
	pa->version = 7;
	pb->version = 8;   /* two lists asked: compared */
	assert_int_equal(events_diff(&fa, &fb, &l), 1);
	event_list_free(&l);
	pb->version = 7;   /* one list: not compared (here it would differ, which a version never does) */
	assert_int_equal(events_diff(&fa, &fb, &l), 0);
	assert_int_equal(l.n, 0);
	frame_release(&fa);
	frame_release(&fb);
	cJSON_Delete(a);
	cJSON_Delete(b);
	event_list_free(&l);
}

static void test_health(void **state)
{
	cJSON *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	set_str(container_of(b, "monk", "grafana"), "health", "unhealthy");
	set_str(container_of(b, "monk", "watchtower"), "health", "starting");
	set_str(container_of(b, "kscloud1", "karakeep"), "health", "healthy");
	/* kavita starts: its state changes, its health from "none" is no news */
	set_str(container_of(b, "monk", "kavita"), "state", "running");
	set_str(container_of(b, "monk", "kavita"), "health", "starting");
	l = diff(doc(LAB), b);
	expect_n(&l, 4);
	expect(&l, 0, EVENT_CONTAINER, EVENT_LEVEL_OK, "monk", "kavita", "exited", "running", "");
	expect(&l, 1, EVENT_HEALTH, EVENT_LEVEL_WARN, "monk", "grafana", "healthy", "unhealthy", "");
	expect(&l, 2, EVENT_HEALTH, EVENT_LEVEL_OK, "monk", "watchtower", "none", "starting", "");
	expect(&l, 3, EVENT_HEALTH, EVENT_LEVEL_OK, "kscloud1", "karakeep", "unhealthy", "healthy", "");
	event_list_free(&l);
}

static void test_restarts(void **state)
{
	cJSON *b = doc_later(LAB), *a;
	struct event_list l;

	(void)state;
	set(container_of(b, "monk", "kavita"), "restarts", cJSON_CreateNumber(5));
	set(container_of(b, "kscloud1", "homepage"), "restarts", cJSON_CreateNumber(1));
	l = diff(doc(LAB), b);
	expect_n(&l, 2);
	expect(&l, 0, EVENT_RESTARTS, EVENT_LEVEL_WARN, "monk", "kavita", "3", "5", "");
	expect(&l, 1, EVENT_RESTARTS, EVENT_LEVEL_WARN, "kscloud1", "homepage", "0", "1", "");
	event_list_free(&l);
	/* a count that goes down (the container was recreated) is no event */
	a = doc(LAB);
	set(container_of(a, "monk", "kavita"), "restarts", cJSON_CreateNumber(9));
	l = diff(a, doc_later(LAB));
	expect_n(&l, 0);
	event_list_free(&l);
}

static void test_appear_gone_missing(void **state)
{
	cJSON *a, *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	add_container(b, "monk", "sidecar", "running");
	add_container(b, "kscloud1", "kite-litellm", "running");   /* was missing */
	remove_container(b, "monk", "kavita");                      /* configured: missing */
	l = diff(doc(LAB), b);
	expect_n(&l, 3);
	expect(&l, 0, EVENT_CONTAINER, EVENT_LEVEL_OK, "monk", "sidecar", "", "running", "");
	expect(&l, 1, EVENT_CONTAINER, EVENT_LEVEL_CRIT, "monk", "kavita", "exited", "missing", "");
	expect(&l, 2, EVENT_CONTAINER, EVENT_LEVEL_OK, "kscloud1", "kite-litellm", "missing", "running", "");
	event_list_free(&l);
	/* and back: the unconfigured one is gone */
	a = doc(LAB);
	add_container(a, "monk", "sidecar", "exited");
	l = diff(a, doc_later(LAB));
	expect_n(&l, 1);
	expect(&l, 0, EVENT_CONTAINER, EVENT_LEVEL_WARN, "monk", "sidecar", "exited", "gone", "");
	event_list_free(&l);
}

/* The lab's monk sshd stops (with Redis, the Cloudflare rate limit, the
 * split of the degraded recording): monk's one event, not one per probe,
 * container or source under it. */
static void test_host_goes_away(void **state)
{
	struct event_list l;

	(void)state;
	l = diff(doc(LAB), doc_later(DEGRADED));
	expect_n(&l, 5);
	expect(&l, 0, EVENT_HOST, EVENT_LEVEL_CRIT, "monk", "monk", "reachable", "unreachable", SSH_DOWN);
	expect(&l, 1, EVENT_SOURCE, EVENT_LEVEL_WARN, "kscloud1", "prometheus", "ok", "failing",
	       "prometheus: unreachable: " SSH_DOWN);
	expect(&l, 2, EVENT_SOURCE, EVENT_LEVEL_WARN, "", "redis", "ok", "failing",
	       "redis: cannot connect to 127.0.0.3:6379: Connection refused");
	expect(&l, 3, EVENT_SOURCE, EVENT_LEVEL_WARN, "", "cloudflare", "ok", "failing",
	       "cloudflare: HTTP 429, retry after 30 s");
	expect(&l, 4, EVENT_SPLIT, EVENT_LEVEL_CRIT, "", "forgejo", "whole", "split",
	       "no connections from kscloud1 (monk has 3)");
	event_list_free(&l);
}

static void test_host_comes_back(void **state)
{
	struct event_list l;

	(void)state;
	/* nothing under monk changed while it was away */
	l = diff(doc(DEGRADED), doc_later(LAB));
	expect_n(&l, 5);
	expect(&l, 0, EVENT_HOST, EVENT_LEVEL_OK, "monk", "monk", "unreachable", "reachable", "");
	expect(&l, 1, EVENT_SOURCE, EVENT_LEVEL_OK, "kscloud1", "prometheus", "failing", "ok", "");
	expect(&l, 2, EVENT_SOURCE, EVENT_LEVEL_OK, "", "redis", "failing", "ok", "");
	expect(&l, 3, EVENT_SOURCE, EVENT_LEVEL_OK, "", "cloudflare", "failing", "ok", "");
	expect(&l, 4, EVENT_SPLIT, EVENT_LEVEL_OK, "", "forgejo", "split", "whole", "");
	event_list_free(&l);
}

/* No flood: four changes under monk while it was away are one event. */
static void test_host_back_counts_changes(void **state)
{
	cJSON *a = doc(LAB), *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	host_away(a, "monk");
	set_str(container_of(b, "monk", "kavita"), "state", "running");
	set_str(container_of(b, "monk", "grafana"), "state", "exited");
	set_str(container_of(b, "monk", "homepage"), "health", "unhealthy");
	add_container(b, "monk", "sidecar", "running");
	set_probe(probe_of(b, "homepage", "monk"), false, 503, "HTTP 503");
	l = diff(a, b);
	expect_n(&l, 1);
	expect(&l, 0, EVENT_HOST, EVENT_LEVEL_OK, "monk", "monk", "unreachable", "reachable",
	       "4 changes while away");
	event_list_free(&l);

	a = doc(LAB);
	b = doc_later(LAB);
	host_away(a, "monk");
	set_str(container_of(b, "monk", "kavita"), "state", "running");
	l = diff(a, b);
	expect_n(&l, 1);
	expect(&l, 0, EVENT_HOST, EVENT_LEVEL_OK, "monk", "monk", "unreachable", "reachable",
	       "1 change while away");
	event_list_free(&l);

	/* while away in both frames, nothing of it is news */
	a = doc(LAB);
	b = doc_later(LAB);
	host_away(a, "monk");
	host_away(b, "monk");
	set_probe(probe_of(b, "homepage", "monk"), false, 0, "unreachable: " SSH_DOWN);
	set(host_of(b, "monk"), "tunnel", cJSON_Parse("{\"container\": \"cloudflared\", "
	    "\"state\": \"unknown\", \"ready\": null, \"connections\": null, \"drained\": false}"));
	l = diff(a, b);
	expect_n(&l, 0);
	event_list_free(&l);
}

/* Docker failing: its stale list says nothing; back, one event counts
 * what changed since its last good list. */
static void test_docker_stale_and_back(void **state)
{
	cJSON *a = doc(LAB), *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	set_str(host_of(b, "monk"), "error", "docker: connection reset by peer");
	set_str(container_of(b, "monk", "kavita"), "state", "running");   /* stale: no event */
	l = diff(a, b);
	expect_n(&l, 1);
	expect(&l, 0, EVENT_SOURCE, EVENT_LEVEL_WARN, "monk", "docker", "ok", "failing",
	       "docker: connection reset by peer");
	event_list_free(&l);

	a = doc(LAB);
	b = doc_later(LAB);
	set_str(host_of(a, "monk"), "error", "docker: connection reset by peer");
	set_str(container_of(b, "monk", "kavita"), "state", "running");
	set_str(container_of(b, "monk", "grafana"), "state", "exited");
	l = diff(a, b);
	expect_n(&l, 1);
	expect(&l, 0, EVENT_SOURCE, EVENT_LEVEL_OK, "monk", "docker", "failing", "ok",
	       "2 changes while away");
	event_list_free(&l);

	/* failed without a list, then back: nothing to count, nothing first seen */
	a = doc(LAB);
	set_str(host_of(a, "monk"), "error", "docker: connection refused");
	set(host_of(a, "monk"), "containers", cJSON_CreateNull());
	l = diff(a, doc_later(LAB));
	expect_n(&l, 1);
	expect(&l, 0, EVENT_SOURCE, EVENT_LEVEL_OK, "monk", "docker", "failing", "ok", "");
	event_list_free(&l);
}

/* Before a source's first answer, what it then shows is first seen. */
static void test_first_seen(void **state)
{
	cJSON *a = doc(LAB), *b = doc_later(LAB), *svc;
	struct event_list l;

	(void)state;
	set(host_of(a, "monk"), "reachable", cJSON_CreateNull());   /* connecting */
	set_str(host_of(a, "kscloud1"), "error", "docker: no answer yet");
	set(host_of(a, "kscloud1"), "containers", cJSON_CreateNull());
	set(a, "redis", cJSON_Parse("{\"ok\": null, \"error\": \"no answer yet\"}"));
	cJSON_ArrayForEach(svc, cJSON_GetObjectItemCaseSensitive(a, "services")) {
		cJSON *h;

		cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(svc, "hosts")) {
			cJSON *probe = cJSON_GetObjectItemCaseSensitive(h, "probe");

			if (!cJSON_IsObject(probe))
				continue;
			set_probe(probe, false, 0, "no answer yet");
			set(probe, "ms", cJSON_CreateNull());   /* a round not run has no time */
		}
	}
	/* what the first answers show, different from the document a was made of */
	set_str(container_of(b, "kscloud1", "karakeep"), "health", "healthy");
	set_str(container_of(b, "monk", "kavita"), "state", "running");
	set(b, "redis", cJSON_Parse("{\"ok\": false, \"error\": \"redis: connection refused\"}"));
	l = diff(a, b);
	expect_n(&l, 0);
	event_list_free(&l);
}

static void test_probes(void **state)
{
	cJSON *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	set_probe(probe_of(b, "homepage", "monk"), false, 503, "HTTP 503");
	set_probe(probe_of(b, "forgejo", "monk"), false, 502, NULL);
	set_probe(probe_of(b, "kavita", "monk"), false, 0, "timed out");   /* failing still */
	set_probe(probe_of(b, "karakeep", "kscloud1"), true, 200, NULL);
	l = diff(doc(LAB), b);
	expect_n(&l, 3);
	expect(&l, 0, EVENT_PROBE, EVENT_LEVEL_WARN, "monk", "homepage", "ok", "failing", "HTTP 503");
	expect(&l, 1, EVENT_PROBE, EVENT_LEVEL_WARN, "monk", "forgejo", "ok", "failing", "HTTP 502");
	expect(&l, 2, EVENT_PROBE, EVENT_LEVEL_OK, "kscloud1", "karakeep", "failing", "ok", "");
	event_list_free(&l);
}

static void test_public_probe(void **state)
{
	cJSON *a = doc(LAB), *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	set(named(cJSON_GetObjectItemCaseSensitive(a, "services"), "homepage"), "public",
	    cJSON_Parse("{\"ok\": true, \"status\": 200, \"ms\": 20, \"error\": null}"));
	set(named(cJSON_GetObjectItemCaseSensitive(b, "services"), "homepage"), "public",
	    cJSON_Parse("{\"ok\": false, \"status\": null, \"ms\": 20, \"error\": \"connection refused\"}"));
	l = diff_cfg(public_cfg, cJSON_Duplicate(a, 1), cJSON_Duplicate(b, 1));
	expect_n(&l, 1);
	expect(&l, 0, EVENT_PROBE, EVENT_LEVEL_CRIT, "", "homepage", "ok", "failing", "connection refused");
	event_list_free(&l);
	l = diff_cfg(public_cfg, b, a);
	expect_n(&l, 1);
	expect(&l, 0, EVENT_PROBE, EVENT_LEVEL_OK, "", "homepage", "failing", "ok", "");
	event_list_free(&l);
}

static cJSON *tunnel_json(const char *state, const char *ready, bool drained)
{
	char *text = xasprintf("{\"container\": \"cloudflared\", \"state\": \"%s\", \"ready\": %s, "
	                       "\"connections\": %s, \"drained\": %s}", state, ready,
	                       strcmp(ready, "true") == 0 ? "4" : "null", drained ? "true" : "false");
	cJSON *o = cJSON_Parse(text);

	free(text);
	return o;
}

static void test_tunnel(void **state)
{
	cJSON *a, *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	set(host_of(b, "monk"), "tunnel", tunnel_json("running", "false", false));
	set(host_of(b, "kscloud1"), "tunnel", tunnel_json("exited", "false", true));
	l = diff(doc(LAB), b);
	expect_n(&l, 2);
	expect(&l, 0, EVENT_TUNNEL, EVENT_LEVEL_WARN, "monk", "cloudflared", "ready", "not ready",
	       "/ready answers 503");
	expect(&l, 1, EVENT_TUNNEL, EVENT_LEVEL_WARN, "kscloud1", "cloudflared", "ready", "drained",
	       "cloudflared is exited");
	event_list_free(&l);

	a = doc(LAB);
	b = doc_later(LAB);
	set(host_of(a, "monk"), "tunnel", tunnel_json("running", "false", false));
	set(host_of(b, "kscloud1"), "tunnel", tunnel_json("missing", "null", false));
	l = diff(a, b);
	expect_n(&l, 2);
	expect(&l, 0, EVENT_TUNNEL, EVENT_LEVEL_OK, "monk", "cloudflared", "not ready", "ready", "");
	expect(&l, 1, EVENT_TUNNEL, EVENT_LEVEL_WARN, "kscloud1", "cloudflared", "ready", "gone",
	       "cloudflared is missing");
	event_list_free(&l);

	/* unknown (Docker did not say) is no news either way */
	b = doc_later(LAB);
	set(host_of(b, "monk"), "tunnel", tunnel_json("unknown", "null", false));
	l = diff(doc(LAB), b);
	expect_n(&l, 0);
	event_list_free(&l);
}

static void test_sources(void **state)
{
	cJSON *a, *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	set(host_of(b, "monk"), "metrics", cJSON_Parse("{\"source\": \"proc\", \"cpu_pct\": null, "
	    "\"error\": \"prometheus: HTTP 503\"}"));
	set(b, "postgres", cJSON_Parse("{\"ok\": false, \"error\": \"postgres: connection refused\"}"));
	set(b, "authentik", cJSON_Parse("{\"hosts\": {\"monk\": {\"live\": null, \"ready\": null, "
	    "\"error\": null}, \"kscloud1\": {\"live\": null, \"ready\": null, \"error\": null}}, "
	    "\"version\": null, \"error\": \"authentik: HTTP 500\"}"));
	l = diff(doc(LAB), cJSON_Duplicate(b, 1));
	expect_n(&l, 3);
	expect(&l, 0, EVENT_SOURCE, EVENT_LEVEL_WARN, "monk", "prometheus", "ok", "failing",
	       "prometheus: HTTP 503");
	expect(&l, 1, EVENT_SOURCE, EVENT_LEVEL_WARN, "", "postgres", "ok", "failing",
	       "postgres: connection refused");
	expect(&l, 2, EVENT_SOURCE, EVENT_LEVEL_WARN, "", "authentik", "ok", "failing",
	       "authentik: HTTP 500");
	event_list_free(&l);
	l = diff(b, doc_later(LAB));
	expect_n(&l, 3);
	expect(&l, 0, EVENT_SOURCE, EVENT_LEVEL_OK, "monk", "prometheus", "failing", "ok", "");
	expect(&l, 1, EVENT_SOURCE, EVENT_LEVEL_OK, "", "postgres", "failing", "ok", "");
	expect(&l, 2, EVENT_SOURCE, EVENT_LEVEL_OK, "", "authentik", "failing", "ok", "");
	event_list_free(&l);

	/* Postgres failing while its last value showed the split: the stale
	 * verdicts are unknown, not a change */
	a = doc(DEGRADED);
	b = doc_later(DEGRADED);
	set_str(cJSON_GetObjectItemCaseSensitive(b, "postgres"), "error", "postgres: timeout");
	l = diff(a, b);
	expect_n(&l, 1);
	expect(&l, 0, EVENT_SOURCE, EVENT_LEVEL_WARN, "", "postgres", "ok", "failing", "postgres: timeout");
	event_list_free(&l);
}

/* Hosts in order, containers as listed, then what is shared. */
static void test_order(void **state)
{
	cJSON *b = doc_later(LAB);
	struct event_list l;

	(void)state;
	set(b, "redis", cJSON_Parse("{\"ok\": false, \"error\": \"redis: timeout\"}"));
	set_str(container_of(b, "kscloud1", "homepage"), "state", "exited");
	set_probe(probe_of(b, "homepage", "kscloud1"), false, 0, "connection refused");
	set_str(container_of(b, "monk", "watchtower"), "state", "exited");
	set_str(container_of(b, "monk", "homepage"), "health", "unhealthy");
	set(container_of(b, "monk", "homepage"), "restarts", cJSON_CreateNumber(1));
	l = diff(doc(LAB), b);
	expect_n(&l, 6);
	expect(&l, 0, EVENT_HEALTH, EVENT_LEVEL_WARN, "monk", "homepage", "healthy", "unhealthy", "");
	expect(&l, 1, EVENT_RESTARTS, EVENT_LEVEL_WARN, "monk", "homepage", "0", "1", "");
	expect(&l, 2, EVENT_CONTAINER, EVENT_LEVEL_CRIT, "monk", "watchtower", "running", "exited", "");
	expect(&l, 3, EVENT_CONTAINER, EVENT_LEVEL_CRIT, "kscloud1", "homepage", "running", "exited", "");
	expect(&l, 4, EVENT_PROBE, EVENT_LEVEL_WARN, "kscloud1", "homepage", "ok", "failing",
	       "connection refused");
	expect(&l, 5, EVENT_SOURCE, EVENT_LEVEL_WARN, "", "redis", "ok", "failing", "redis: timeout");
	event_list_free(&l);
}

static struct event ev(int64_t t, enum event_kind kind, const char *host, const char *object,
                       const char *to, const char *id)
{
	struct event e = { .time_ms = t, .kind = kind };

	EVENT_SET(e.host, host);
	EVENT_SET(e.object, object);
	EVENT_SET(e.from, kind == EVENT_ACTION ? "restart" : "running");
	EVENT_SET(e.to, to);
	EVENT_SET(e.id, id);
	return e;
}

static void test_link(void **state)
{
	const struct event actions[] = {
		ev(1000, EVENT_ACTION, "monk", "kavita", "started", "a1"),
		ev(1500, EVENT_ACTION, "monk", "kavita", "ok", "a1"),         /* not a start */
		ev(2000, EVENT_ACTION, "monk", "grafana", "started", "a2"),
		ev(5000, EVENT_ACTION, "monk", "grafana", "started", "a3"),   /* the later cause */
		ev(9000, EVENT_ACTION, "monk", "homepage", "refused", "a4"),
	};
	struct event_list l = { 0 };
	struct event e;

	(void)state;
	e = ev(900, EVENT_CONTAINER, "monk", "kavita", "exited", "");      /* before: kept out */
	event_list_push(&l, &e);
	e = ev(3000, EVENT_CONTAINER, "monk", "kavita", "exited", "");
	event_list_push(&l, &e);
	e = ev(3000, EVENT_HEALTH, "monk", "kavita", "starting", "");
	event_list_push(&l, &e);
	e = ev(1000 + EVENTS_CAUSE_MS, EVENT_RESTARTS, "monk", "kavita", "4", "");   /* at the edge */
	event_list_push(&l, &e);
	e = ev(1001 + EVENTS_CAUSE_MS, EVENT_CONTAINER, "monk", "kavita", "running", "");   /* too late */
	event_list_push(&l, &e);
	e = ev(6000, EVENT_CONTAINER, "monk", "grafana", "exited", "");
	event_list_push(&l, &e);
	e = ev(6000, EVENT_CONTAINER, "kscloud1", "grafana", "exited", "");   /* another host */
	event_list_push(&l, &e);
	e = ev(6000, EVENT_PROBE, "monk", "grafana", "failing", "");           /* not a container kind */
	event_list_push(&l, &e);
	e = ev(9500, EVENT_CONTAINER, "monk", "homepage", "exited", "");      /* refused: no cause */
	event_list_push(&l, &e);
	e = ev(3000, EVENT_CONTAINER, "monk", "kavita", "exited", "old");     /* already tied */
	event_list_push(&l, &e);

	events_link(&l, 1, actions, sizeof actions / sizeof actions[0]);
	assert_string_equal(l.v[0].id, "");     /* before from: left alone */
	assert_string_equal(l.v[1].id, "a1");
	assert_string_equal(l.v[2].id, "a1");
	assert_string_equal(l.v[3].id, "a1");
	assert_string_equal(l.v[4].id, "");
	assert_string_equal(l.v[5].id, "a3");
	assert_string_equal(l.v[6].id, "");
	assert_string_equal(l.v[7].id, "");
	assert_string_equal(l.v[8].id, "");
	assert_string_equal(l.v[9].id, "old");
	/* from 0 the first is still before its action */
	events_link(&l, 0, actions, sizeof actions / sizeof actions[0]);
	assert_string_equal(l.v[0].id, "");
	event_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_changed),
		cmocka_unit_test(test_container_state),
		cmocka_unit_test(test_container_exit_code),
		cmocka_unit_test(test_same_version_skipped),
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_restarts),
		cmocka_unit_test(test_appear_gone_missing),
		cmocka_unit_test(test_host_goes_away),
		cmocka_unit_test(test_host_comes_back),
		cmocka_unit_test(test_host_back_counts_changes),
		cmocka_unit_test(test_docker_stale_and_back),
		cmocka_unit_test(test_first_seen),
		cmocka_unit_test(test_probes),
		cmocka_unit_test(test_public_probe),
		cmocka_unit_test(test_tunnel),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_link),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
