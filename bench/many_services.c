/* many_services — how long a key (a redraw) takes with a large fleet: 14,000
 * services and 8 hosts of 500 containers each, in a frame built by hand.
 * Times verdict_overall and a screen_draw of the overview and of the Services
 * view on a curses pad over /dev/null (as tests/unit/test_screen_golden.c
 * draws), the median of a few rounds.  `make bench-services`. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"
#include "tui/keys.h"
#include "tui/screen.h"
#include "tui/ui.h"
#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/theme.h"

#define NHOSTS 8
#define NCONT 500
#define NSERV 14000
#define ROUNDS 5

/* Services name containers c0..c13999; host h runs 500 of them, so most
 * services are missing somewhere, as on a fleet that spreads its stacks. */
static struct config *make_config(void)
{
	struct buf b;
	char *cause = NULL;
	struct config *cfg;

	buf_init(&b);
	buf_printf(&b, "[kitetop]\nrefresh = 2\n");
	for (int h = 0; h < NHOSTS; h++)
		buf_printf(&b, "[host h%d]\naddress = 127.0.0.%d\ndocker = unix:///nonexistent/%d.sock\n",
		           h, 10 + h, h);
	for (int s = 0; s < NSERV; s++)
		buf_printf(&b, "[service s%d]\ncontainer = c%d\n", s, s);
	cfg = config_parse(NULL, b.data, b.len, &cause);
	if (cfg == NULL) {
		fprintf(stderr, "config: %s\n", cause);
		exit(1);
	}
	buf_done(&b);
	return cfg;
}

static struct feed_containers *make_containers(int h)
{
	struct feed_containers *c = xcalloc(1, sizeof *c);

	c->items = xcalloc(NCONT, sizeof *c->items);
	c->n = NCONT;
	for (int i = 0; i < NCONT; i++) {
		struct docker_container *d = &c->items[i];
		/* overlapping ranges: c0..c999 are on several hosts; one unhealthy */
		int k = (h * 250 + i * 7) % 2000;

		d->name = xasprintf("c%d", k + (i % 2 ? 0 : 2000 * (h % 4)));
		d->image = xstrdup("img:1");
		d->status = xstrdup("Up");
		d->state = DOCKER_STATE_RUNNING;
		d->health = (k % 97 == 0 && h == 1) ? DOCKER_HEALTH_UNHEALTHY : DOCKER_HEALTH_HEALTHY;
		d->restarts = 0;
		d->exit_code = -1;
		d->cpu_pct = 1;
		d->mem_bytes = 1 << 20;
		d->mem_limit_bytes = -1;
		snprintf(d->id, sizeof d->id, "%012d", h * NCONT + i);
	}
	return c;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

int main(void)
{
	struct config *cfg = make_config();
	struct feed_containers *fc[NHOSTS];
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	WINDOW *pad;
	struct frame f;
	struct ui ui;
	double tv[ROUNDS], tr[ROUNDS], to[ROUNDS], ts[ROUNDS];
	int rows = 50, cols = 200;

	setlocale(LC_ALL, "C.UTF-8");
	frame_init(&f, cfg);
	for (size_t h = 0; h < f.nhosts; h++) {
		fc[h] = make_containers((int)h);
		f.hosts[h].docker.feed.configured = true;
		f.hosts[h].docker.feed.polled = true;
		f.hosts[h].docker.value = fc[h];
	}
	scr = newterm("xterm-256color", out, in);
	if (scr == NULL)
		return 1;
	set_term(scr);
	start_color();
	pad = newpad(rows, cols);
	keys_init(&(struct keys_special){ .btab = KEY_BTAB, .left = KEY_LEFT, .right = KEY_RIGHT,
		.down = KEY_DOWN, .up = KEY_UP, .npage = KEY_NPAGE, .ppage = KEY_PPAGE,
		.home = KEY_HOME, .end = KEY_END, .enter = KEY_ENTER, .backspace = KEY_BACKSPACE,
		.f0 = KEY_F0 });
	ui_init(&ui, cfg, NULL, NULL, theme_new_default());
	ui.utf8 = true;
	palette_init(&ui.pal, ui.theme, ui.utf8);
	for (int r = 0; r < ROUNDS; r++) {
		struct buf reasons;
		double t0 = now_ms();

		/* as the screen asks: the level only */
		(void)verdict_overall(&f, NULL);
		tv[r] = now_ms() - t0;
		/* as `kitetop check` asks: with every reason in words */
		buf_init(&reasons);
		t0 = now_ms();
		(void)verdict_overall(&f, &reasons);
		tr[r] = now_ms() - t0;
		buf_done(&reasons);
		ui.view = UI_VIEW_OVERVIEW;
		t0 = now_ms();
		screen_draw(&ui, &f, pad, rows, cols, f.taken_mono_ms);
		to[r] = now_ms() - t0;
		ui.view = UI_VIEW_SERVICES;
		t0 = now_ms();
		screen_draw(&ui, &f, pad, rows, cols, f.taken_mono_ms);
		ts[r] = now_ms() - t0;
	}
	ui_done(&ui);
	delwin(pad);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	printf("many_services: %d services, %d hosts x %d containers (median of %d)\n",
	       NSERV, NHOSTS, NCONT, ROUNDS);
	printf("  verdict_overall   %8.1f ms   (with the reasons in words: %.1f ms)\n",
	       median(tv, ROUNDS), median(tr, ROUNDS));
	printf("  draw overview     %8.1f ms\n", median(to, ROUNDS));
	printf("  draw services     %8.1f ms\n", median(ts, ROUNDS));
	/* screen_draw asks verdict_overall itself (the header's level): the
	 * overview's draw is a whole key; the sum counts the verdict twice */
	printf("  a key: the overview's redraw %.1f ms (+ a separate verdict_overall: %.1f ms)\n",
	       median(to, ROUNDS), median(tv, ROUNDS) + median(to, ROUNDS));
	frame_release(&f);
	for (int h = 0; h < NHOSTS; h++)
		feed_containers_free(fc[h]);
	config_free(cfg);
	return 0;
}
