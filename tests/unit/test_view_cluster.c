/* test_view_cluster — view 7 (tui/view_cluster.c) drawn from the recorded
 * axiomlayer frame (tests/fixtures/frames/axiomlayer.json) by screen_draw
 * into a curses pad, at 200x50, 80x24, 50x20 and 40x15, compared with the
 * golden files tests/fixtures/screens/cluster-*.txt (KT_UPDATE_GOLDEN=1
 * rewrites them: read the diff before committing); the facts each layout
 * must show checked as well: the nodes and their states, the worst pod
 * first, the strip's lines, the node tabs of a narrow screen, the header's
 * level; the keys (Tab to the next node, j, Enter: the node in full); the
 * how-to without a [cluster]; and cluster_lines' words. */
#include <limits.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/model/frame.h"
#include "core/model/frame_json.h"
#include "tui/cluster_lines.h"
#include "tui/keys.h"
#include "tui/screen.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/theme.h"
#include "tests/support/fixture.h"

int main(void);

static void window_text(WINDOW *w, int rows, int cols, struct buf *out)
{
	for (int y = 0; y < rows; y++) {
		size_t start = out->len, keep;

		for (int x = 0; x < cols; x++) {
			cchar_t cc;
			wchar_t wc[CCHARW_MAX + 1] = { 0 };
			attr_t a;
			short pair;
			char mb[MB_LEN_MAX + 1];
			size_t n;

			if (mvwin_wch(w, y, x, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR)
				fail_msg("no cell at %d,%d", y, x);
			n = wcrtomb(mb, wc[0] != 0 ? wc[0] : L' ', NULL);
			buf_append(out, mb, n == (size_t)-1 ? 0 : n);
		}
		keep = out->len;
		while (keep > start && out->data[keep - 1] == ' ')
			keep--;
		out->len = keep;
		buf_append(out, "\n", 1);
	}
}

/* The keys typed before the draw (actions given to the view), or NULL. */
static const enum key_action *typed;

/* View 7 of the axiomlayer frame (or of the lab's, which has no cluster)
 * at rows x cols, as text. */
static char *draw_cluster_of(int rows, int cols, const char *confname, const char *frame)
{
	char *cause = NULL, *json, *conffile = xasprintf("%s.conf", confname), *jsonfile = xasprintf("%s.json", frame);
	char *conf = fixture_read("frames", conffile, NULL);
	size_t len;
	struct config *cfg;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	WINDOW *pad;
	struct frame f;
	struct ui ui;
	struct buf text;

	setenv("KITETOP_FRAMES_SECRET", "x", 1);
	cfg = config_parse(conffile, conf, strlen(conf), &cause);
	if (cfg == NULL)
		fail_msg("%s", cause);
	json = fixture_read("frames", jsonfile, &len);
	if (frame_json_read(&f, cfg, json, len, &cause) != 0)
		fail_msg("frame_json_read: %s", cause);
	scr = newterm("xterm-256color", out, in);
	assert_non_null(scr);
	set_term(scr);
	start_color();
	use_default_colors();
	pad = newpad(rows, cols);
	keys_init(&(struct keys_special){ .btab = KEY_BTAB, .left = KEY_LEFT, .right = KEY_RIGHT,
		.down = KEY_DOWN, .up = KEY_UP, .npage = KEY_NPAGE, .ppage = KEY_PPAGE,
		.home = KEY_HOME, .end = KEY_END, .enter = KEY_ENTER, .backspace = KEY_BACKSPACE,
		.f0 = KEY_F0 });
	ui_init(&ui, cfg, NULL, NULL, theme_new_default());
	ui.utf8 = true;
	palette_init(&ui.pal, ui.theme, ui.utf8);
	ui.view = UI_VIEW_CLUSTER;
	screen_draw(&ui, &f, pad, rows, cols, f.taken_mono_ms);
	for (size_t i = 0; typed != NULL && typed[i] != KEY_ACT_NONE; i++) {
		assert_true(views_active(&ui)->key(&ui, typed[i]));
		screen_draw(&ui, &f, pad, rows, cols, f.taken_mono_ms);
	}
	buf_init(&text);
	window_text(pad, rows, cols, &text);
	ui_done(&ui);
	delwin(pad);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	frame_release(&f);
	free(json);
	config_free(cfg);
	free(conf);
	free(conffile);
	free(jsonfile);
	return buf_steal(&text);
}

static char *draw_cluster(int rows, int cols, const char *frame)
{
	return draw_cluster_of(rows, cols, frame, frame);
}

static void compare_with_golden(const char *name, const char *got)
{
	char *path = xasprintf(FIXTURE_DIR "/screens/%s", name), *want;

	if (getenv("KT_UPDATE_GOLDEN") != NULL) {
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		fputs(got, fp);
		fclose(fp);
	}
	want = fixture_read("screens", name, NULL);
	if (strcmp(got, want) != 0) {
		print_error("drawn:\n%s", got);
		fail_msg("%s differs from the drawn screen", path);
	}
	free(want);
	free(path);
}

static void test_200x50(void **state)
{
	char *got;

	(void)state;
	typed = NULL;
	got = draw_cluster(50, 200, "axiomlayer");
	/* the header's level counts the cluster; the nodes side by side */
	assert_non_null(strstr(got, " crit: "));
	assert_non_null(strstr(got, "7 Cluster"));
	assert_non_null(strstr(got, "axiomlayer  k3s v1.33.6+k3s1  api \xe2\x97\x8f via neko  etcd 2/2 \xe2\x96\xb2 even"));
	assert_non_null(strstr(got, "neko \xc2\xb7 ctrl\xc2\xb7" "etcd"));
	assert_non_null(strstr(got, "\xe2\x9c\x96 NotReady  ssh \xe2\x9c\x96"));   /* bobcat, its host down */
	assert_non_null(strstr(got, "host unreachable: ssh: connect to 127.0.0.173:22"));
	assert_non_null(strstr(got, "REQ cpu 62%  mem 48%   pods 34/110"));
	assert_non_null(strstr(got, "\xe2\x9c\x96 n8n/n8n-7c9d8f-q8zx      CrashLoopBackOff   14"));
	assert_non_null(strstr(got, "\xe2\x9c\x96 \xe2\x89\xa0longhorn-system/longho"));   /* the DaemonSet missing */
	assert_non_null(strstr(got, "+ 33 more, all healthy"));
	assert_non_null(strstr(got, "Argo CD 7 apps  5 \xe2\x97\x8f Synced\xc2\xb7Healthy"));
	assert_non_null(strstr(got, "\xe2\x96\xb2 pvc-n8n-data degraded 2/3 (neko)"));
	assert_non_null(strstr(got, "postgres 3/3 \xe2\x97\x8f primary postgres-1@neko"));
	assert_non_null(strstr(got, "ds \xe2\x89\xa0longhorn-manager 3/4"));
	assert_non_null(strstr(got, "Events  \xe2\x96\xb2 1m Pod/n8n/n8n-7c9d8f-q8zx BackOff"));
	compare_with_golden("cluster-200x50.txt", got);
	free(got);
}

static void test_80x24(void **state)
{
	char *got;

	(void)state;
	typed = NULL;
	got = draw_cluster(24, 80, "axiomlayer");
	/* one node at a time, the tabs of all four */
	assert_non_null(strstr(got, "[neko \xe2\x97\x8f]  neko2 \xe2\x97\x8f   panther \xe2\x97\x8f   bobcat \xe2\x9c\x96"));
	assert_non_null(strstr(got, "CrashLoopBackOff   14 OOMKilled"));
	assert_null(strstr(got, "panther \xc2\xb7"));
	compare_with_golden("cluster-80x24.txt", got);
	free(got);
}

static void test_small(void **state)
{
	char *got;

	(void)state;
	typed = NULL;
	got = draw_cluster(20, 50, "axiomlayer");
	compare_with_golden("cluster-50x20.txt", got);
	free(got);
	got = draw_cluster(15, 40, "axiomlayer");
	/* the problems, worst first: the failed rollout before the warnings */
	assert_non_null(strstr(got, "\n\xe2\x9c\x96 Deployment n8n/n8n rollout failed"));
	assert_true(strstr(got, "rollout failed") < strstr(got, "\xe2\x96\xb2 bobcat NotReady"));
	compare_with_golden("cluster-40x15.txt", got);
	free(got);
}

/* Tab: the next node; past the last, the first again; Enter: the node in
 * full with the selected pod's detail; Esc: back. */
static void test_keys(void **state)
{
	static const enum key_action tab3[] = { KEY_ACT_HOST_NEXT, KEY_ACT_HOST_NEXT, KEY_ACT_HOST_NEXT, KEY_ACT_NONE };
	static const enum key_action open[] = { KEY_ACT_HOST_NEXT, KEY_ACT_HOST_NEXT, KEY_ACT_HOST_NEXT,
		KEY_ACT_DOWN, KEY_ACT_DETAIL, KEY_ACT_NONE };
	static const enum key_action back[] = { KEY_ACT_DETAIL, KEY_ACT_CLOSE, KEY_ACT_NONE };
	char *got;

	(void)state;
	typed = tab3;
	got = draw_cluster(24, 80, "axiomlayer");
	assert_non_null(strstr(got, "[bobcat \xe2\x9c\x96]"));
	assert_non_null(strstr(got, "\xe2\x94\x8f\xe2\x94\x81 bobcat \xe2\x94\x81"));   /* its column, focused */
	free(got);
	typed = open;
	got = draw_cluster(50, 200, "axiomlayer");
	assert_non_null(strstr(got, "bobcat  (Esc: back)"));
	/* the second pod selected: its detail at the bottom */
	assert_non_null(strstr(got, "longhorn-system/longhorn-manager-x7k2p on bobcat: Unknown, ready 0/1, 0 restarts, age 1d"));
	assert_non_null(strstr(got, "+ 9 more, all healthy (names not recorded)"));
	free(got);
	typed = back;
	got = draw_cluster(50, 200, "axiomlayer");
	assert_null(strstr(got, "(Esc: back)"));
	free(got);
	typed = NULL;
}

/* Twelve nodes: the columns page as hosts do (the page holding the focused
 * node), and the tab strip keeps the focused tab on screen with how many
 * are off it. */
static void test_many_nodes(void **state)
{
	enum key_action ten[11];
	char *got;

	(void)state;
	for (size_t i = 0; i < 10; i++)
		ten[i] = KEY_ACT_HOST_NEXT;
	ten[10] = KEY_ACT_NONE;
	typed = ten;
	got = draw_cluster_of(50, 200, "axiomlayer", "cluster-many");
	/* 200 columns: four a page; n10 is on the third (n08 .. n11) */
	assert_non_null(strstr(got, "n08 "));
	assert_non_null(strstr(got, "n11 "));
	assert_null(strstr(got, "\xe2\x94\x80 n07 "));
	assert_non_null(strstr(got, "[n10 \xe2\x97\x8f]"));
	assert_non_null(strstr(got, "\xe2\x9c\x96 web/api-1"));
	free(got);
	got = draw_cluster_of(24, 60, "axiomlayer", "cluster-many");
	/* 60 columns: one node, the tabs from one that keeps n10's on screen */
	assert_non_null(strstr(got, "\xe2\x97\x82 "));            /* ◂ N more */
	assert_non_null(strstr(got, "[n10 \xe2\x97\x8f]"));
	assert_non_null(strstr(got, "n11 \xe2\x97\x8f"));
	assert_non_null(strstr(got, "\xe2\x94\x8f\xe2\x94\x81 n10 "));
	free(got);
	typed = NULL;
}

/* No [cluster]: how to configure one. */
static void test_not_configured(void **state)
{
	char *got;

	(void)state;
	typed = NULL;
	got = draw_cluster(24, 120, "kitestacks-lab");
	assert_non_null(strstr(got, "No Kubernetes cluster is configured."));
	assert_non_null(strstr(got, "  [cluster axiomlayer]"));
	assert_non_null(strstr(got, "  via = neko, neko2"));
	free(got);
}

static void test_lines(void **state)
{
	struct kube_pod p = { .ns = (char *)"n8n", .name = (char *)"n8n-7c9d8f-q8zx", .status = (char *)"CrashLoopBackOff",
		.containers = 1, .restarts = 14, .last_reason = (char *)"OOMKilled" };
	struct kube_gitops g[2] = {
		{ .kind = KUBE_KUSTOMIZATION, .ns = (char *)"flux-system", .name = (char *)"apps", .ready = KUBE_FALSE,
		  .reason = (char *)"HealthCheckFailed", .revision = (char *)"main@a1b2c3d" },
		{ .kind = KUBE_HELMRELEASE, .ns = (char *)"m", .name = (char *)"grafana", .ready = KUBE_TRUE, .suspended = true },
	};
	struct kube_cluster k = { .gitops = g, .ngitops = 2 };
	char row[256];
	struct buf out;

	(void)state;
	cluster_lines_pod(&p, 80, false, true, row, sizeof row);
	assert_string_equal(row, "\xe2\x9c\x96 n8n/n8n-7c9d8f-q8zx                            CrashLoopBackOff   14 OOMKilled");
	cluster_lines_pod_header(80, row, sizeof row);
	assert_string_equal(row, "  POD                                            STATE             RST LAST");
	cluster_lines_pod(&p, 30, true, false, row, sizeof row);
	assert_string_equal(row, "X !=n8n/n8n-7c9 CrashLoopB  14");
	/* the Flux variant of the GitOps line */
	buf_init(&out);
	assert_int_equal(cluster_lines_gitops(&k, true, &out), VERDICT_WARN);
	assert_string_equal(buf_cstr(&out), "Flux  ks 1: 0 \xe2\x97\x8f  \xe2\x96\xb2 apps HealthCheckFailed (main@a1b2c3d)"
	                    "  hr 1: 0 \xe2\x97\x8f  S grafana suspended");
	buf_done(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_200x50),
		cmocka_unit_test(test_80x24),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_many_nodes),
		cmocka_unit_test(test_not_configured),
		cmocka_unit_test(test_lines),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
