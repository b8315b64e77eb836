/* detail_text — the text of the container detail view, one line per row,
 * formatted by a pure function (no curses) that unit tests check. */
#ifndef KITETOP_TUI_DETAIL_TEXT_H
#define KITETOP_TUI_DETAIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/docker_inspect.h"
#include "core/model/frame.h"

enum detail_text_kind {
	DETAIL_TEXT_PLAIN,
	DETAIL_TEXT_HEADING,     /* "health log (newest first)", "ports", ... */
	DETAIL_TEXT_BAD,         /* a failed health check, an error, an exit code != 0 */
	DETAIL_TEXT_DIM,         /* "none" */
};

struct detail_text_line {
	char *text;
	enum detail_text_kind kind;
};

/* The lines for d: image, ids, state, created/started/finished (ISO 8601 UTC
 * and how long ago, from now_ms, the wall clock), restarts and policy,
 * command, network, compose project/service, then the health log newest
 * first (time, exit code, duration, output), ports, mounts and labels.
 * *n gets the count; free with detail_text_free(). */
struct detail_text_line *detail_text_lines(const struct docker_detail *d, int64_t now_ms,
                                           size_t *n);
/* The same, with the other hosts of f (host: this one's index in
 * f->hosts; f may be NULL): when the container runs different images on
 * the hosts (core/model/verdict_drift.h), a "drift" line with the reason
 * after the image id, then each other host that runs it with its image
 * and image id. */
struct detail_text_line *detail_text_lines_hosts(const struct docker_detail *d,
                                                 const struct frame *f, size_t host,
                                                 int64_t now_ms, size_t *n);
void detail_text_free(struct detail_text_line *v, size_t n);

#endif
