/* view_errors — see view_errors.h. */
#include "tui/view_errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "widgets/panel.h"
#include "widgets/text.h"
#include "widgets/textview.h"

char **view_errors_wrap(const char *s, int width, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (width < 1)
		width = 1;
	do {
		int cols = 0;
		size_t len = text_clip(s, width, &cols), cut = len, nl = strcspn(s, "\n");

		if (nl <= len) {
			cut = len = nl;          /* a line of its own ends there */
		} else if (s[len] != '\0') {
			/* back to the last space inside, if there is one */
			size_t k = len;

			while (k > 0 && s[k] != ' ')
				k--;
			if (k > 0)
				cut = k;
		}
		if (*n + 1 >= cap) {
			cap = cap != 0 ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof *v);
		}
		if (cut == 0 && s[0] != '\0' && s[0] != '\n') {
			cut = 1;                 /* a character wider than the width: alone */
			while ((s[cut] & 0xC0) == 0x80)
				cut++;
		}
		v[(*n)++] = xstrndup(s, cut);
		s += cut;
		if (*s == '\n')
			s++;
		else
			while (*s == ' ')
				s++;
	} while (*s != '\0');
	return v;
}

/* "who: error" into the lines when error is set; one that only repeats
 * the session's error (cause) is named in *same instead. */
static void errors_add(struct ui *ui, const char *who, const char *error, const char *cause,
                       char *same, size_t n)
{
	char *line;

	if (error == NULL || error[0] == '\0')
		return;
	if (cause != NULL && cause[0] != '\0' && strstr(error, cause) != NULL) {
		snprintf(same + strlen(same), n - strlen(same), "%s%s", same[0] != '\0' ? ", " : "", who);
		return;
	}
	/* an error that names its source already is not named twice */
	if (strncmp(error, who, strlen(who)) == 0)   /* who "": as it is */
		line = xstrdup(error);
	else
		line = xasprintf("%s: %s", who, error);
	ui->errview = xreallocarray(ui->errview, ui->nerrview + 1, sizeof *ui->errview);
	ui->errview[ui->nerrview++] = line;
}

bool view_errors_open(struct ui *ui, const struct frame *f, size_t h)
{
	const struct frame_host *fh;
	const char *cause = NULL;
	char same[128] = "";

	if (h >= f->nhosts)
		return false;
	fh = &f->hosts[h];
	view_errors_close(ui);
	if (!fh->local && fh->reach.known && !fh->reach.connected) {
		errors_add(ui, "ssh", fh->reach.error, NULL, same, sizeof same);
		cause = fh->reach.error;
	}
	errors_add(ui, "docker", fh->docker.feed.error, cause, same, sizeof same);
	errors_add(ui, "metrics", fh->metrics.feed.error, cause, same, sizeof same);
	errors_add(ui, "tunnel", fh->tunnel.feed.error, cause, same, sizeof same);
	errors_add(ui, "tailscale", fh->tailscale.feed.error, cause, same, sizeof same);
	if (same[0] != '\0') {
		char *line = xasprintf("(%s: the same error, through this session)", same);

		errors_add(ui, "", line, NULL, same, 0);
		free(line);
	}
	if (ui->nerrview == 0)
		return false;
	ui->errview_title = xasprintf("errors: %s", fh->name);
	textview_init(&ui->errview_tv, false);
	return true;
}

int view_errors_put(struct ui *ui, WINDOW *w, int y, int x, int maxw, attr_t a, const char *s)
{
	int n;

	if (w == NULL || s == NULL || maxw <= 0)
		return 0;
	if (text_width(s) <= maxw)
		return text_put(w, y, x, maxw, a, s);
	for (size_t i = 0; i < ui->ncut; i++)
		if (strcmp(ui->cut[i], s) == 0)
			goto noted;
	ui->cut = xreallocarray(ui->cut, ui->ncut + 1, sizeof *ui->cut);
	ui->cut[ui->ncut++] = xstrdup(s);
noted:
	n = text_put(w, y, x, maxw - 1, a, s);
	return n + text_put(w, y, x + n, 1, a, ui->utf8 ? "\xe2\x80\xa6" : ">");
}

void view_errors_cut_reset(struct ui *ui)
{
	for (size_t i = 0; i < ui->ncut; i++)
		free(ui->cut[i]);
	free(ui->cut);
	ui->cut = NULL;
	ui->ncut = 0;
}

void view_errors_open_cut(struct ui *ui, const char *name)
{
	if (ui->ncut == 0) {
		ui_toast(ui, "%s: no line is cut on this screen", name);
		return;
	}
	view_errors_close(ui);
	ui->errview = xreallocarray(NULL, ui->ncut, sizeof *ui->errview);
	for (size_t i = 0; i < ui->ncut; i++)
		ui->errview[i] = xstrdup(ui->cut[i]);
	ui->nerrview = ui->ncut;
	ui->errview_title = xasprintf("%s: in full", name);
	textview_init(&ui->errview_tv, false);
}

void view_errors_close(struct ui *ui)
{
	for (size_t i = 0; i < ui->nerrview; i++)
		free(ui->errview[i]);
	free(ui->errview);
	ui->errview = NULL;
	ui->nerrview = 0;
	free(ui->errview_title);
	ui->errview_title = NULL;
}

static void errors_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	char **lines = NULL;
	size_t n = 0, first, shown;
	struct rect body = panel_draw(w, r, &ui->pal, ui->errview_title, "Esc back", true), row;

	if (body.h <= 0 || body.w <= 2)
		return;
	/* every error wrapped to the width, a blank line between two */
	for (size_t i = 0; i < ui->nerrview; i++) {
		size_t k;
		char **part = view_errors_wrap(ui->errview[i], body.w - 2, &k);

		lines = xreallocarray(lines, n + k + 2, sizeof *lines);
		if (i > 0)
			lines[n++] = xstrdup("");
		memcpy(lines + n, part, k * sizeof *part);
		n += k;
		free(part);
	}
	first = textview_layout(&ui->errview_tv, n, body.h);
	shown = 0;
	for (size_t i = first; i < n && body.h > 0; i++, shown++) {
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x + 1, row.w - 1, ui->pal.attr[THEME_ERROR], lines[i]);
	}
	panel_more(w, r, &ui->pal, first, n - first - shown);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static bool errors_key(struct ui *ui, enum key_action a)
{
	struct textview *tv = &ui->errview_tv;

	switch (a) {
	case KEY_ACT_CLOSE: view_errors_close(ui); return true;
	case KEY_ACT_DOWN: textview_scroll(tv, 1); return true;
	case KEY_ACT_UP: textview_scroll(tv, -1); return true;
	case KEY_ACT_PAGE_DOWN: textview_scroll(tv, textview_page(tv)); return true;
	case KEY_ACT_PAGE_UP: textview_scroll(tv, -textview_page(tv)); return true;
	case KEY_ACT_TOP: textview_home(tv); return true;
	case KEY_ACT_BOTTOM: textview_scroll(tv, 1L << 30); return true;
	default: return false;
	}
}

static void errors_wheel(struct ui *ui, long delta)
{
	textview_scroll(&ui->errview_tv, delta);
}

static const struct keynames_hint view_errors_keybar[] = {
	{ "close-detail", "back" }, { "down up", "scroll" }, { "top bottom", "top/end" }, { "help", "help" },
};

const struct view view_errors = {
	.name = "errors",
	.select = KEY_ACT_NONE,
	.scope = KEY_SCOPE_DETAIL,
	.draw = errors_draw,
	.key = errors_key,
	.wheel = errors_wheel,
	.keybar = view_errors_keybar,
	.nkeybar = UTIL_ARRAY_LEN(view_errors_keybar),
};
