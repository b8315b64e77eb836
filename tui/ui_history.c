/* ui_history — see ui_history.h. */
#include "tui/ui_history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/eventlog.h"
#include "core/history/events.h"
#include "core/history/history.h"
#include "tui/rows.h"

#define UI_AUDIT_CHUNK 65536

/* The event log's path: $KITETOP_EVENTS, else the XDG one. */
static char *ui_history_log_path(void)
{
	const char *env = getenv("KITETOP_EVENTS");

	if (env != NULL)
		return env[0] != '\0' && strcmp(env, "none") != 0 ? xstrdup(env) : NULL;
	return eventlog_default_path();
}

static long ui_file_size(const char *path)
{
	struct stat st;

	return path != NULL && stat(path, &st) == 0 ? (long)st.st_size : 0;
}

void ui_history_start(struct ui *ui)
{
	struct eventlog_query q = { .max = HISTORY_MAX };
	struct event_list l = { 0 };
	char *cause = NULL;

	ui->history = history_new();
	ui->eventlog_path = ui_history_log_path();
	if (ui->cfg->audit_log != NULL && ui->cfg->audit_log[0] != '\0')
		ui->audit_path = xstrdup(ui->cfg->audit_log);
	/* what the audit log holds now is read with the event log below;
	 * only lines written from here on are read as they come */
	ui->audit_off = ui_file_size(ui->audit_path);
	q.since_ms = time_real_ms() - (int64_t)UI_HISTORY_LOAD_DAYS * 86400000;
	if (ui->eventlog_path != NULL &&
	    eventlog_read(ui->eventlog_path, ui->audit_path, &q, &l, NULL, &cause) == -1) {
		ui_toast(ui, "history: %s", cause);
		free(cause);
	}
	history_add(ui->history, l.v, l.n);
	event_list_free(&l);
}

/* The audit log's lines written since the last look, as action events. */
static void ui_history_audit(struct ui *ui, struct event_list *out)
{
	char *buf;
	ssize_t got;
	long size = ui_file_size(ui->audit_path), used = 0;
	int fd;

	if (size < ui->audit_off)
		ui->audit_off = 0;   /* rotated or truncated: read it from its start */
	if (size == ui->audit_off)
		return;
	fd = open(ui->audit_path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return;
	buf = xmalloc(UI_AUDIT_CHUNK);
	got = pread(fd, buf, UI_AUDIT_CHUNK, ui->audit_off);
	close(fd);
	for (ssize_t i = 0; got > 0 && i < got; i++) {
		struct event e;

		if (buf[i] != '\n')
			continue;
		if (eventlog_parse(buf + used, (size_t)(i - used), &e) == 0 && e.kind == EVENT_ACTION)
			event_list_push(out, &e);
		used = i + 1;
	}
	/* a line being written stays for the next look; one longer than the
	 * chunk is skipped */
	if (used == 0 && got == UI_AUDIT_CHUNK)
		used = UI_AUDIT_CHUNK;
	ui->audit_off += used;
	free(buf);
}

void ui_history_frame(struct ui *ui, struct frame *f)
{
	struct event_list l = { 0 }, actions = { 0 };
	char *cause = NULL;
	size_t n;

	if (ui->history == NULL) {
		frame_release(f);
		return;
	}
	if (ui->audit_path != NULL)
		ui_history_audit(ui, &actions);
	history_add(ui->history, actions.v, actions.n);
	n = events_diff(ui->have_prev ? &ui->prev : NULL, f, &l);
	if (n > 0) {
		/* effects of the actions remembered: their "started" events */
		struct event_list started = { 0 };

		for (size_t i = 0; i < history_count(ui->history) && i < 64; i++) {
			const struct event *e = history_get(ui->history, i);

			if (e->kind == EVENT_ACTION && strcmp(e->to, "started") == 0)
				event_list_push(&started, e);
		}
		events_link(&l, 0, started.v, started.n);
		event_list_free(&started);
		history_add(ui->history, l.v, l.n);
		if (ui->eventlog_path != NULL &&
		    eventlog_append(ui->eventlog_path, l.v, l.n, &cause) == -1) {
			if (!ui->eventlog_failed)
				ui_toast(ui, "history not saved: %s", cause);
			ui->eventlog_failed = true;
			free(cause);
		}
	}
	event_list_free(&l);
	event_list_free(&actions);
	if (ui->have_prev)
		frame_release(&ui->prev);
	ui->prev = *f;
	ui->have_prev = true;
}

void ui_history_done(struct ui *ui)
{
	if (ui->have_prev)
		frame_release(&ui->prev);
	ui->have_prev = false;
	history_free(ui->history);
	ui->history = NULL;
	free(ui->eventlog_path);
	free(ui->audit_path);
	ui->eventlog_path = ui->audit_path = NULL;
}

bool ui_since(const struct ui *ui, enum event_kind kind, const char *host, const char *object,
              int64_t now_ms, char *out, size_t n)
{
	const struct event *e = ui->history != NULL ?
	    history_latest(ui->history, kind, host, object) : NULL;

	out[0] = '\0';
	if (e == NULL || e->level == EVENT_LEVEL_OK)
		return false;
	time_format_age(out, n, now_ms > e->time_ms ? now_ms - e->time_ms : 0);
	return true;
}

static bool ui_event_match(const struct event *e, const char *filter)
{
	return rows_name_match(e->host, filter) || rows_name_match(e->object, filter) ||
	       rows_name_match(e->from, filter) || rows_name_match(e->to, filter) ||
	       rows_name_match(e->detail, filter) ||
	       rows_name_match(event_kind_name(e->kind), filter);
}

size_t ui_history_match(const struct history *h, const char *filter, size_t *idx, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; h != NULL && i < history_count(h) && n < max; i++)
		if (ui_event_match(history_get(h, i), filter))
			idx[n++] = i;
	return n;
}
