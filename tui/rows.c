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
	struct rows_layout l = rows_layout(width);

	out[0] = '\0';
	rows_cell(out, n, "", 1, false);
	rows_cell(out, n, "CONTAINER", l.name, false);
	rows_cell(out, n, "STATE", l.state, false);
	if (l.up)
		rows_cell(out, n, "UP", l.up, true);
	rows_cell(out, n, "RST", l.rst, true);
	if (l.cpu)
		rows_cell(out, n, "CPU", l.cpu, true);
	if (l.mem)
		rows_cell(out, n, "MEM", l.mem, true);
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

static int rows_cmp(const void *a, const void *b)
{
	const struct docker_container *x = *(const struct docker_container *const *)a;
	const struct docker_container *y = *(const struct docker_container *const *)b;
	int d = verdict_container_severity(y) - verdict_container_severity(x);

	return d != 0 ? d : strcmp(x->name, y->name);
}

void rows_sort_containers(const struct docker_container **v, size_t n)
{
	qsort(v, n, sizeof *v, rows_cmp);
}

static int rows_cmp_name(const void *a, const void *b)
{
	const struct docker_container *x = *(const struct docker_container *const *)a;
	const struct docker_container *y = *(const struct docker_container *const *)b;

	return strcmp(x->name, y->name);
}

void rows_sort_containers_by(const struct docker_container **v, size_t n, enum rows_order order)
{
	qsort(v, n, sizeof *v, order == ROWS_ORDER_NAME ? rows_cmp_name : rows_cmp);
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
