/* rows — see rows.h. */
#include "tui/rows.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/format.h"
#include "core/base/timeutil.h"
#include "core/model/verdict.h"
#include "widgets/text.h"

#define ROWS_NAME_MIN 12

const char *rows_container_glyph(const struct docker_container *c, bool utf8)
{
	static const char *const glyph[2][4] = {
		{ "+", "~", "!", "x" },
		{ "\xe2\x97\x8f", "\xe2\x97\x8c", "\xe2\x96\xb2", "\xe2\x9c\x96" },   /* ● ◌ ▲ ✖ */
	};

	return glyph[utf8 ? 1 : 0][verdict_container_severity(c)];
}

void rows_container_state(char *out, size_t n, const struct docker_container *c)
{
	if (c->state == DOCKER_STATE_RUNNING && c->health != DOCKER_HEALTH_NONE)
		snprintf(out, n, "%s", docker_health_name(c->health));
	else if ((c->state == DOCKER_STATE_EXITED || c->state == DOCKER_STATE_DEAD) && c->exit_code >= 0)
		snprintf(out, n, "%s (%d)", docker_state_name(c->state), c->exit_code);
	else
		snprintf(out, n, "%s", docker_state_name(c->state));
}

/* Column widths for a row width: name gets what the others leave. */
struct rows_layout {
	int name, state, up, rst, cpu, mem;
};

static struct rows_layout rows_layout(int width)
{
	struct rows_layout l = { .state = 13, .rst = 3 };

	if (width >= 70) {
		l.up = 7;
		l.cpu = 6;
		l.mem = 8;
	} else if (width >= 52) {
		l.up = 7;
	}
	/* glyph + space, then the columns each with a space before */
	l.name = width - 2 - (l.state + 1) - (l.rst + 1) - (l.up ? l.up + 1 : 0) -
	         (l.cpu ? l.cpu + 1 : 0) - (l.mem ? l.mem + 1 : 0);
	if (l.name < ROWS_NAME_MIN) {
		l.state = 10;
		l.name = width - 2 - 11 - 4;
	}
	if (l.name < 4)
		l.name = 4;
	return l;
}

/* Appends s clipped (or padded) to w columns, then a space. */
static void rows_cell(char *out, size_t n, const char *s, int w, bool right)
{
	size_t len = strlen(out), bytes;
	int cols = 0;

	if (len >= n)
		return;
	bytes = text_clip(s, w, &cols);
	if (right)
		snprintf(out + len, n - len, "%*s%.*s ", w - cols, "", (int)bytes, s);
	else
		snprintf(out + len, n - len, "%.*s%*s ", (int)bytes, s, w - cols, "");
}

void rows_container_header(char *out, size_t n, int width)
{
	rows_container_header_sorted(out, n, width, ROWS_ORDER_COUNT, false);
}

const char *rows_order_mark(enum rows_order order, bool utf8)
{
	bool up = order == ROWS_ORDER_NAME || order == ROWS_ORDER_UPTIME;

	if (utf8)
		return up ? "\xe2\x96\xb2" : "\xe2\x96\xbc";   /* ▲ ▼ */
	return up ? " ^" : " v";
}

/* A header word, with the order's mark when its column is the sorted one;
 * the word is cut so that the mark fits in w columns ("RS▼"). */
static const char *rows_hdr(char *h, size_t n, const char *word, int w, bool sorted, const char *mark)
{
	int mcols = 0, keep;

	if (!sorted)
		return word;
	text_clip(mark, 8, &mcols);
	keep = w - mcols < (int)strlen(word) ? w - mcols : (int)strlen(word);
	snprintf(h, n, "%.*s%s", keep > 0 ? keep : 0, word, mark);
	return h;
}

bool rows_container_shows_figures(int width)
{
	struct rows_layout l = rows_layout(width);

	return l.cpu > 0 || l.mem > 0;
}

void rows_container_header_sorted(char *out, size_t n, int width, enum rows_order order, bool utf8)
{
	struct rows_layout l = rows_layout(width);
	const char *mark = rows_order_mark(order, utf8);
	char h[32];

	char name[48];
	/* a sorted column too narrow to be shown: the name's header says it */
	const char *hidden = order == ROWS_ORDER_CPU && !l.cpu ? "CPU" : order == ROWS_ORDER_MEM && !l.mem ? "MEM" :
	                     order == ROWS_ORDER_UPTIME && !l.up ? "UP" : NULL;

	out[0] = '\0';
	rows_cell(out, n, "", 1, false);
	if (hidden != NULL) {
		/* "CONTAINER CPU▼", or "CPU▼" alone when that does not fit */
		int mcols = 0;

		text_clip(mark, 8, &mcols);
		snprintf(name, sizeof name, "%s%s%s", (int)strlen("CONTAINER ") + (int)strlen(hidden) + mcols <= l.name ?
		         "CONTAINER " : "", hidden, mark);
		rows_cell(out, n, name, l.name, false);
	} else {
		rows_cell(out, n, rows_hdr(h, sizeof h, "CONTAINER", l.name, order == ROWS_ORDER_NAME, mark), l.name, false);
	}
	/* the default order (problems first) is not marked: the header as it always was */
	rows_cell(out, n, "STATE", l.state, false);
	if (l.up)
		rows_cell(out, n, rows_hdr(h, sizeof h, "UP", l.up, order == ROWS_ORDER_UPTIME, mark), l.up, true);
	rows_cell(out, n, rows_hdr(h, sizeof h, "RST", l.rst, order == ROWS_ORDER_RESTARTS, mark), l.rst, true);
	if (l.cpu)
		rows_cell(out, n, rows_hdr(h, sizeof h, "CPU", l.cpu, order == ROWS_ORDER_CPU, mark), l.cpu, true);
	if (l.mem)
		rows_cell(out, n, rows_hdr(h, sizeof h, "MEM", l.mem, order == ROWS_ORDER_MEM, mark), l.mem, true);
}

void rows_container(char *out, size_t n, const struct docker_container *c, int width,
                    int64_t now_ms, bool utf8, const char *mark, const char *since)
{
	struct rows_layout l = rows_layout(width);
	char state[40], tmp[32], name[300];
	size_t len;

	out[0] = '\0';
	rows_cell(out, n, rows_container_glyph(c, utf8), 1, false);
	snprintf(name, sizeof name, "%s%s", mark != NULL ? mark : "", c->name);
	/* a name too long keeps its start and ends in an ellipsis */
	if (text_width(name) > l.name) {
		size_t b = text_clip(name, l.name - 1, NULL);

		snprintf(name + b, sizeof name - b, "%s", utf8 ? "\xe2\x80\xa6" : "~");
	}
	rows_cell(out, n, name, l.name, false);
	rows_container_state(state, sizeof state, c);
	if (since != NULL && since[0] != '\0') {
		size_t used = strlen(state);

		snprintf(state + used, sizeof state - used, " %s", since);
		if (text_width(state) > l.state)
			snprintf(state, sizeof state, "%s %s", docker_state_name(c->state), since);
	}
	rows_cell(out, n, state, l.state, false);
	if (l.up) {
		if (c->state == DOCKER_STATE_RUNNING && c->started_at_ms > 0)
			time_format_duration(tmp, sizeof tmp, (now_ms - c->started_at_ms) / 1000);
		else
			snprintf(tmp, sizeof tmp, "-");
		rows_cell(out, n, tmp, l.up, true);
	}
	if (c->restarts >= 0)
		snprintf(tmp, sizeof tmp, "%d", c->restarts);
	else
		snprintf(tmp, sizeof tmp, "-");
	rows_cell(out, n, tmp, l.rst, true);
	if (l.cpu) {
		if (c->cpu_pct >= 0)
			format_pct(tmp, sizeof tmp, c->cpu_pct);
		else
			snprintf(tmp, sizeof tmp, "-");
		rows_cell(out, n, tmp, l.cpu, true);
	}
	if (l.mem) {
		if (c->mem_bytes >= 0)
			format_bytes(tmp, sizeof tmp, (double)c->mem_bytes);
		else
			snprintf(tmp, sizeof tmp, "-");
		rows_cell(out, n, tmp, l.mem, true);
	}
	len = strlen(out);
	if (len > 0 && out[len - 1] == ' ')
		out[len - 1] = '\0';
}

/* a before b when a is bigger; unknown (< 0) last */
static int rows_cmp_desc(double a, double b)
{
	if ((a < 0) != (b < 0))
		return a < 0 ? 1 : -1;
	return a > b ? -1 : a < b ? 1 : 0;
}

int rows_compare(const struct docker_container *x, const struct docker_container *y,
                 enum rows_order order)
{
	int d = 0;

	switch (order) {
	case ROWS_ORDER_PROBLEMS:
		d = verdict_container_severity(y) - verdict_container_severity(x);
		break;
	case ROWS_ORDER_CPU:
		d = rows_cmp_desc(x->cpu_pct, y->cpu_pct);
		break;
	case ROWS_ORDER_MEM:
		d = rows_cmp_desc((double)x->mem_bytes, (double)y->mem_bytes);
		break;
	case ROWS_ORDER_RESTARTS:
		d = rows_cmp_desc(x->restarts, y->restarts);
		break;
	case ROWS_ORDER_UPTIME: {
		/* the latest start first: the shortest uptime */
		bool xr = x->state == DOCKER_STATE_RUNNING && x->started_at_ms > 0;
		bool yr = y->state == DOCKER_STATE_RUNNING && y->started_at_ms > 0;

		d = rows_cmp_desc(xr ? (double)x->started_at_ms : -1, yr ? (double)y->started_at_ms : -1);
		break;
	}
	default:
		break;
	}
	return d != 0 ? d : strcmp(x->name, y->name);
}

#define ROWS_CMP(fn, o) \
	static int fn(const void *a, const void *b) \
	{ \
		return rows_compare(*(const struct docker_container *const *)a, \
		                    *(const struct docker_container *const *)b, (o)); \
	}
ROWS_CMP(rows_cmp, ROWS_ORDER_PROBLEMS)
ROWS_CMP(rows_cmp_name, ROWS_ORDER_NAME)
ROWS_CMP(rows_cmp_cpu, ROWS_ORDER_CPU)
ROWS_CMP(rows_cmp_mem, ROWS_ORDER_MEM)
ROWS_CMP(rows_cmp_rst, ROWS_ORDER_RESTARTS)
ROWS_CMP(rows_cmp_up, ROWS_ORDER_UPTIME)
#undef ROWS_CMP

void rows_sort_containers(const struct docker_container **v, size_t n)
{
	qsort(v, n, sizeof *v, rows_cmp);
}

void rows_sort_containers_by(const struct docker_container **v, size_t n, enum rows_order order)
{
	static int (*const cmp[])(const void *, const void *) = {
		[ROWS_ORDER_PROBLEMS] = rows_cmp, [ROWS_ORDER_NAME] = rows_cmp_name,
		[ROWS_ORDER_CPU] = rows_cmp_cpu, [ROWS_ORDER_MEM] = rows_cmp_mem,
		[ROWS_ORDER_RESTARTS] = rows_cmp_rst, [ROWS_ORDER_UPTIME] = rows_cmp_up,
	};

	qsort(v, n, sizeof *v, cmp[order < ROWS_ORDER_COUNT ? order : ROWS_ORDER_PROBLEMS]);
}

enum rows_order rows_order_next(enum rows_order order)
{
	return order + 1 < ROWS_ORDER_COUNT ? order + 1 : ROWS_ORDER_PROBLEMS;
}

const char *rows_order_name(enum rows_order order)
{
	static const char *const names[] = {
		[ROWS_ORDER_PROBLEMS] = "state (problems first)", [ROWS_ORDER_NAME] = "name",
		[ROWS_ORDER_CPU] = "CPU, highest first", [ROWS_ORDER_MEM] = "memory, most first",
		[ROWS_ORDER_RESTARTS] = "restarts, most first", [ROWS_ORDER_UPTIME] = "uptime, shortest first",
	};

	return order < ROWS_ORDER_COUNT ? names[order] : "state (problems first)";
}

bool rows_name_match(const char *name, const char *filter)
{
	size_t fn;

	if (filter == NULL || filter[0] == '\0')
		return true;
	fn = strlen(filter);
	for (const char *p = name; *p != '\0'; p++) {
		size_t k = 0;

		while (k < fn && p[k] != '\0' && tolower((unsigned char)p[k]) == tolower((unsigned char)filter[k]))
			k++;
		if (k == fn)
			return true;
	}
	return false;
}

bool rows_series_match(const char *title, const char *label, const char *filter)
{
	return rows_name_match(title, filter) || rows_name_match(label, filter);
}
