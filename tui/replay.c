/* replay — see replay.h. */
#include "tui/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/events.h"
#include "core/history/history.h"
#include "core/history/recording.h"
#include "core/model/frame_json.h"
#include "widgets/text.h"

#define REPLAY_MIN_STEP_MS 20     /* frames closer than this are shown at this pace */
#define REPLAY_MAX_STEP_MS 10000  /* a gap in the recording is shown at most this long */

static const double replay_speeds[] = { 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64 };
#define REPLAY_SPEED_1X 2

struct replay {
	struct recording *rec;
	struct config *cfg;
	size_t n, i;
	bool playing;
	int speed;                  /* index into replay_speeds */
	int64_t next_mono;          /* when the next frame is due (playing) */
	struct frame f;             /* frame i, once read */
	bool have_f;
	char err[256];
	struct event_list ev;       /* every event of the recording ... */
	size_t *ev_frame;           /* ... and the frame it was found at */
	size_t hist_i;              /* the frame ui->history was built for, (size_t)-1 none */
	size_t shown;               /* the frame the app last synced to, (size_t)-1 none */
};

/* Reads frame i into *f.  0, or -1 with err set. */
static int replay_read(struct replay *r, size_t i, struct frame *f)
{
	char *cause = NULL;
	size_t len;
	const char *doc = recording_doc(r->rec, i, &len, &cause);

	if (doc == NULL || frame_json_read(f, r->cfg, doc, len, &cause) == -1) {
		snprintf(r->err, sizeof r->err, "frame %zu: %s", i + 1,
		         cause != NULL ? cause : "cannot be read");
		free(cause);
		return -1;
	}
	return 0;
}

/* Every frame compared with the one before: the events, with the frame
 * each was found at. */
static void replay_scan(struct replay *r)
{
	struct frame prev, cur;
	bool have_prev = false, tty = isatty(STDERR_FILENO);
	size_t cap = 0;

	for (size_t i = 0; i < r->n; i++) {
		size_t before = r->ev.n;

		if (tty && i % 200 == 0)
			fprintf(stderr, "\rkitetop: reading the recording: frame %zu of %zu", i + 1, r->n);
		if (replay_read(r, i, &cur) == -1) {
			if (have_prev)
				frame_release(&prev);
			have_prev = false;
			continue;
		}
		events_diff(have_prev ? &prev : NULL, &cur, &r->ev);
		if (r->ev.n > cap) {
			cap = r->ev.cap;
			r->ev_frame = xreallocarray(r->ev_frame, cap, sizeof *r->ev_frame);
		}
		for (size_t k = before; k < r->ev.n; k++)
			r->ev_frame[k] = i;
		if (have_prev)
			frame_release(&prev);
		prev = cur;
		have_prev = true;
	}
	if (have_prev)
		frame_release(&prev);
	if (tty)
		fprintf(stderr, "\r\033[K");
}

struct replay *replay_open(const char *path, char **cause)
{
	struct replay *r = xcalloc(1, sizeof *r);
	const char *text;
	size_t len;

	r->rec = recording_load(path, cause);
	if (r->rec == NULL) {
		free(r);
		return NULL;
	}
	r->n = recording_count(r->rec);
	if (r->n == 0) {
		util_set_cause(cause, "%s holds no frame%s", path,
		               recording_truncated(r->rec) ? " (it was cut short)" : "");
		replay_free(r);
		return NULL;
	}
	text = recording_config_text(r->rec, &len);
	if (len == 0)
		r->cfg = config_default();
	else
		r->cfg = config_parse(recording_config_path(r->rec), text, len, cause);
	if (r->cfg == NULL) {
		char *why = *cause;

		*cause = NULL;
		util_set_cause(cause, "%s: its configuration: %s", path, why);
		free(why);
		replay_free(r);
		return NULL;
	}
	r->cfg->read_only = true;
	r->speed = REPLAY_SPEED_1X;
	r->hist_i = (size_t)-1;
	r->shown = (size_t)-1;
	r->playing = true;
	replay_scan(r);
	return r;
}

void replay_free(struct replay *r)
{
	if (r == NULL)
		return;
	if (r->have_f)
		frame_release(&r->f);
	event_list_free(&r->ev);
	free(r->ev_frame);
	config_free(r->cfg);
	recording_free(r->rec);
	free(r);
}

struct config *replay_config(struct replay *r)
{
	return r->cfg;
}

const struct frame *replay_frame(struct replay *r)
{
	if (!r->have_f) {
		if (replay_read(r, r->i, &r->f) == -1)
			return NULL;
		r->have_f = true;
		r->err[0] = '\0';
	}
	return &r->f;
}

const char *replay_error(const struct replay *r)
{
	return r->err;
}

size_t replay_index(const struct replay *r)
{
	return r->i;
}

size_t replay_count(const struct replay *r)
{
	return r->n;
}

int64_t replay_time(const struct replay *r)
{
	return recording_time(r->rec, r->i);
}

bool replay_playing(const struct replay *r)
{
	return r->playing;
}

/* The history as of frame i: the events found up to it. */
static void replay_history(struct ui *ui, struct replay *r)
{
	size_t k = 0;

	if (r->hist_i == r->i)
		return;
	history_free(ui->history);
	ui->history = history_new();
	while (k < r->ev.n && r->ev_frame[k] <= r->i)
		k++;
	history_add(ui->history, r->ev.v, k);
	r->hist_i = r->i;
}

/* Shows frame i. */
static void replay_go(struct ui *ui, size_t i)
{
	struct replay *r = ui->replay;

	if (i >= r->n)
		i = r->n - 1;
	if (i == r->i)
		return;
	if (r->have_f)
		frame_release(&r->f);
	r->have_f = false;
	r->i = i;
	replay_history(ui, r);
}

bool replay_moved(struct replay *r, size_t *from, size_t *to)
{
	if (r->shown == r->i)
		return false;
	*from = r->shown;
	*to = r->shown = r->i;
	return true;
}

int replay_read_frame(struct replay *r, size_t i, struct frame *f)
{
	return replay_read(r, i, f);
}

/* How long frame i stays on screen at the speed chosen. */
static int64_t replay_step_ms(const struct replay *r, size_t i)
{
	int64_t ms = i + 1 < r->n ? recording_time(r->rec, i + 1) - recording_time(r->rec, i) : 0;

	if (ms > REPLAY_MAX_STEP_MS)
		ms = REPLAY_MAX_STEP_MS;
	ms = (int64_t)((double)ms / replay_speeds[r->speed]);
	return ms < REPLAY_MIN_STEP_MS ? REPLAY_MIN_STEP_MS : ms;
}

bool replay_tick(struct ui *ui, int64_t now_mono, int64_t *due)
{
	struct replay *r = ui->replay;
	bool moved = false;

	if (r->hist_i == (size_t)-1) {
		/* the first frame */
		replay_history(ui, r);
		moved = true;
		r->next_mono = now_mono + replay_step_ms(r, r->i);
	}
	if (r->playing && r->i + 1 >= r->n)
		r->playing = false;   /* the end: stays on the last frame */
	if (r->playing && now_mono >= r->next_mono) {
		replay_go(ui, r->i + 1);
		r->next_mono = now_mono + replay_step_ms(r, r->i);
		moved = true;
	}
	*due = r->playing ? r->next_mono : 0;
	return moved;
}

void replay_cmd(struct ui *ui, enum key_action a)
{
	struct replay *r = ui->replay;
	int64_t now = time_mono_ms();

	if (r == NULL)
		return;
	switch (a) {
	case KEY_ACT_REPLAY_PAUSE:
	case KEY_ACT_PAUSE:
		if (!r->playing && r->i + 1 >= r->n)
			replay_go(ui, 0);   /* at the end, play starts again */
		r->playing = !r->playing;
		r->next_mono = now + replay_step_ms(r, r->i);
		break;
	case KEY_ACT_REPLAY_BACK:
		r->playing = false;
		replay_go(ui, r->i > 0 ? r->i - 1 : 0);
		break;
	case KEY_ACT_REPLAY_FORWARD:
		r->playing = false;
		replay_go(ui, r->i + 1);
		break;
	case KEY_ACT_REPLAY_SLOWER:
		r->speed -= r->speed > 0;
		ui_toast(ui, "replay at x%g", replay_speeds[r->speed]);
		break;
	case KEY_ACT_REPLAY_FASTER:
		r->speed += r->speed + 1 < (int)UTIL_ARRAY_LEN(replay_speeds);
		ui_toast(ui, "replay at x%g", replay_speeds[r->speed]);
		break;
	case KEY_ACT_REPLAY_START:
		replay_go(ui, 0);
		r->next_mono = now + replay_step_ms(r, r->i);
		break;
	case KEY_ACT_REPLAY_END:
		replay_go(ui, r->n - 1);
		break;
	default:
		break;
	}
}

bool replay_refuses(struct ui *ui, enum key_action a)
{
	switch (a) {
	case KEY_ACT_RESTART:
	case KEY_ACT_STOPSTART:
	case KEY_ACT_DRAIN:
	case KEY_ACT_UNDRAIN:
	case KEY_ACT_FLIP:
	case KEY_ACT_EXEC:
	case KEY_ACT_SHELL:
		ui_toast(ui, "a replay takes no action: it shows what was");
		return true;
	case KEY_ACT_LOGS:
	case KEY_ACT_DETAIL:
		ui_toast(ui, "logs and the detail need the live hosts: not in a replay");
		return true;
	case KEY_ACT_REFRESH:
		ui_toast(ui, "a replay refreshes nothing: . steps, space plays");
		return true;
	default:
		return false;
	}
}

void replay_badge(const struct replay *r, char *out, size_t n)
{
	char when[32];
	time_t t = (time_t)(recording_time(r->rec, r->i) / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(out, n, "REPLAY %s", when);
}

void replay_draw_bar(struct ui *ui, WINDOW *w, struct rect r)
{
	struct replay *rp = ui->replay;
	char left[96], right[48];
	int lw, rw, bx, bw, pos;
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_CRIT };

	if (r.h <= 0 || r.w <= 0)
		return;
	snprintf(left, sizeof left, " %s x%g ", rp->playing ? (ui->utf8 ? "\xe2\x96\xb6" : ">") :
	         (ui->utf8 ? "\xe2\x80\x96" : "||"), replay_speeds[rp->speed]);
	snprintf(right, sizeof right, " %zu/%zu ", rp->i + 1, rp->n);
	wattrset(w, ui->pal.attr[THEME_TITLE]);
	wmove(w, r.y, r.x);
	whline(w, ' ', r.w);
	lw = text_put(w, r.y, r.x, r.w, ui->pal.attr[THEME_TITLE] | A_BOLD, left);
	rw = text_width(right);
	bx = r.x + lw;
	bw = r.w - lw - rw;
	if (bw < 4) {
		text_put(w, r.y, r.x + r.w - rw, rw, ui->pal.attr[THEME_TITLE], right);
		return;
	}
	/* the track, the events on it, then where we are */
	for (int x = 0; x < bw; x++)
		text_put(w, r.y, bx + x, 1, ui->pal.attr[THEME_DIM], ui->utf8 ? "\xe2\x94\x80" : "-");
	for (size_t k = 0; k < rp->ev.n; k++) {
		const struct event *e = &rp->ev.v[k];
		int x = rp->n > 1 ? (int)((double)rp->ev_frame[k] * (bw - 1) / (double)(rp->n - 1)) : 0;

		if (e->kind == EVENT_ACTION)
			continue;
		text_put(w, r.y, bx + x, 1, ui->pal.attr[role[e->level]] | A_BOLD,
		         ui->utf8 ? "\xe2\x94\x82" : "|");
	}
	pos = rp->n > 1 ? (int)((double)rp->i * (bw - 1) / (double)(rp->n - 1)) : 0;
	text_put(w, r.y, bx + pos, 1, ui->pal.attr[THEME_SELECTION] | A_BOLD,
	         ui->utf8 ? "\xe2\x97\x8f" : "O");
	text_put(w, r.y, r.x + r.w - rw, rw, ui->pal.attr[THEME_TITLE], right);
}
