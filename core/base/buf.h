/* buf — a growable byte buffer, always NUL-terminated (so text can be read as
 * a C string), with an optional cap.  A plain value type: embed it, call
 * buf_init() and buf_done().  data is owned by the buf. */
#ifndef KITETOP_CORE_BASE_BUF_H
#define KITETOP_CORE_BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_done(struct buf *b);
void buf_reset(struct buf *b);                       /* len = 0, keeps memory */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *buf_cstr(const struct buf *b);           /* "" when empty */
char *buf_steal(struct buf *b);                      /* caller frees; b is reset to empty */
void buf_consume(struct buf *b, size_t n);           /* drops the first n bytes */

#endif
