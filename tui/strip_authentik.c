/* strip_authentik — see strip_authentik.h. */
#include "tui/strip_authentik.h"

#include <stdio.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/feeds/feed_probes.h"
#include "core/feeds/feed_authentik.h"
#include "widgets/text.h"

bool strip_authentik_text(char *out, size_t n, const struct feed_authentik *a, const char *error,
                          const struct frame *f, bool utf8)
{
	struct buf b;
	bool bad = false;

	buf_init(&b);
	if (a == NULL) {
		buf_printf(&b, "authentik %s", error != NULL ? error : "waiting...");
		bad = error != NULL;
	} else {
		buf_puts(&b, "authentik");
		if (a->info.have_version) {
			buf_printf(&b, " %s", a->info.version.current);
			if (a->info.version.outdated && a->info.version.latest[0] != '\0')
				buf_printf(&b, " (%s out)", a->info.version.latest);
		}
		if (a->info.workers >= 0)
			buf_printf(&b, " %dw", a->info.workers);
		for (size_t h = 0; a->have_url && h < a->nhosts && h < f->nhosts; h++) {
			const struct authentik_health *hh = &a->hosts[h];

			buf_printf(&b, "  %s %s", f->hosts[h].name,
			           hh->live && hh->ready ? "live/ready" : hh->live ? "live/NOT READY" : "DOWN");
			bad = bad || !hh->live || !hh->ready;
		}
		if (a->have_public && a->pub.error != NULL) {
			buf_printf(&b, "  public: %s", a->pub.error);
			bad = true;
		}
		if (a->info.error != NULL) {
			buf_printf(&b, "  %s", a->info.error);
			bad = true;
		}
	}
	snprintf(out, n, "%s %s", bad ? (utf8 ? "\xe2\x9c\x96" : "x") : (utf8 ? "\xe2\x97\x8f" : "+"),
	         buf_cstr(&b));
	buf_done(&b);
	return bad;
}

int strip_authentik_draw(struct ui *ui, const struct frame *f, WINDOW *w, int y, int x, int maxw)
{
	const struct frame_feed *feed = &f->authentik.feed;
	char text[512];
	bool stale = false, bad;
	const struct feed_authentik *a;

	if (!feed->configured || maxw <= 0)
		return 0;
	a = feed->error == NULL ? f->authentik.value : NULL;
	if (feed->polled)
		stale = ui_is_stale(ui, feed);
	bad = strip_authentik_text(text, sizeof text, a, feed->error, f, ui->utf8);
	return text_put(w, y, x, maxw, ui->pal.attr[stale ? THEME_DIM : bad ? THEME_ERROR : THEME_VALUE],
	                text);
}
