/* recording — see recording.h.  This file writes: the header, keyframes and
 * deltas, through zlib's deflate with a gzip wrapper, flushed after each
 * frame.  recording_read.c reads them back. */
#include "core/history/recording.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/recording_internal.h"

#define RECORDER_OUT 65536
/* A line that does not continue the previous copy is looked for among at
 * most this many earlier lines with its hash, each compared for at most
 * RECORDER_PEEK lines: enough to find moved blocks, bounded on documents
 * whose lines repeat ("}, {" between containers). */
#define RECORDER_CANDIDATES 16
#define RECORDER_PEEK 32

struct recorder {
	int fd;
	z_stream z;
	bool failed;               /* a write failed: the stream cannot go on */
	size_t frames;
	/* the previous document, its lines and their hashes, for the delta */
	char *prev;
	struct rec_lines prev_lines;
	uint64_t *prev_hash;
	unsigned char out[RECORDER_OUT];
};

/* ---- lines ---------------------------------------------------------------- */

int rec_lines_split(struct rec_lines *l, const char *doc, size_t len)
{
	size_t n = 1, k = 1;
	const char *p, *end = doc + len;

	for (p = doc; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		if (++n > RECORDING_MAX_LINES)
			return -1;
	l->doc = doc;
	l->len = len;
	l->n = n;
	l->off = xreallocarray(NULL, n + 1, sizeof *l->off);
	l->off[0] = 0;
	for (p = doc; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		l->off[k++] = (size_t)(p - doc) + 1;
	l->off[n] = len + 1;
	return 0;
}

void rec_lines_done(struct rec_lines *l)
{
	free(l->off);
	l->off = NULL;
	l->n = 0;
}

static uint64_t rec_hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037u;   /* FNV-1a */

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h;
}

static uint64_t *rec_hashes(const struct rec_lines *l)
{
	uint64_t *h = xreallocarray(NULL, l->n, sizeof *h);

	for (size_t k = 0; k < l->n; k++)
		h[k] = rec_hash(rec_line(l, k), rec_line_len(l, k));
	return h;
}

/* ---- the delta ------------------------------------------------------------ */

/* Two documents' lines with their hashes, and the previous one's lines
 * chained by hash (head[hash & mask] is the first line with it, next[k]
 * the following one, in ascending order). */
struct rec_diff {
	const struct rec_lines *a, *b;
	const uint64_t *ha, *hb;
	size_t *head, *next, mask;
	cJSON *ops;
	cJSON *last;               /* the last copy op, to extend */
	size_t last_end;           /* where the last copy ended in a */
};

static bool rec_same(const struct rec_diff *d, size_t i, size_t j)
{
	size_t n = rec_line_len(d->a, i);

	return d->ha[i] == d->hb[j] && n == rec_line_len(d->b, j) &&
	       memcmp(rec_line(d->a, i), rec_line(d->b, j), n) == 0;
}

/* How many lines from a[i] and b[j] on are the same (at most max). */
static size_t rec_run(const struct rec_diff *d, size_t i, size_t j, size_t jend, size_t max)
{
	size_t r = 0;

	while (r < max && i + r < d->a->n && j + r < jend && rec_same(d, i + r, j + r))
		r++;
	return r;
}

static void rec_diff_index(struct rec_diff *d)
{
	size_t size = 16;

	while (size < d->a->n * 2)
		size *= 2;
	d->mask = size - 1;
	d->head = xreallocarray(NULL, size, sizeof *d->head);
	d->next = xreallocarray(NULL, d->a->n, sizeof *d->next);
	for (size_t k = 0; k < size; k++)
		d->head[k] = SIZE_MAX;
	for (size_t k = d->a->n; k-- > 0;) {
		size_t *slot = &d->head[d->ha[k] & d->mask];

		d->next[k] = *slot;
		*slot = k;
	}
}

static void rec_emit_copy(struct rec_diff *d, size_t start, size_t count)
{
	cJSON *op;

	if (d->last != NULL && d->last_end == start) {
		cJSON *n = cJSON_GetArrayItem(d->last, 1);

		cJSON_SetNumberValue(n, n->valuedouble + (double)count);
	} else {
		op = cJSON_CreateArray();
		cJSON_AddItemToArray(op, cJSON_CreateNumber((double)start));
		cJSON_AddItemToArray(op, cJSON_CreateNumber((double)count));
		cJSON_AddItemToArray(d->ops, op);
		d->last = op;
	}
	d->last_end = start + count;
}

static void rec_emit_line(struct rec_diff *d, size_t j)
{
	char *s = xstrndup(rec_line(d->b, j), rec_line_len(d->b, j));

	cJSON_AddItemToArray(d->ops, cJSON_CreateString(s));
	free(s);
	d->last = NULL;
}

/* The earlier line where b[j] starts the longest run (SIZE_MAX: none). */
static size_t rec_find(const struct rec_diff *d, size_t j, size_t jend)
{
	size_t best = SIZE_MAX, best_run = 0, tries = 0;

	for (size_t k = d->head[d->hb[j] & d->mask]; k != SIZE_MAX && tries < RECORDER_CANDIDATES;
	     k = d->next[k]) {
		size_t r;

		if (d->ha[k] != d->hb[j])
			continue;
		tries++;
		r = rec_run(d, k, j, jend, RECORDER_PEEK);
		if (r > best_run) {
			best = k;
			best_run = r;
		}
	}
	return best;
}

/* The delta of b against a, as the JSON array of the format: the common
 * prefix and suffix copied, and between them each line either continues
 * the copy before it, starts a copy where the same lines are in a, or is
 * new.  Not minimal, always exact. */
static cJSON *rec_delta(const struct rec_lines *a, const uint64_t *ha,
                        const struct rec_lines *b, const uint64_t *hb)
{
	struct rec_diff d = { .a = a, .b = b, .ha = ha, .hb = hb, .ops = cJSON_CreateArray() };
	size_t pre = 0, suf = 0, j, jend, expect;

	while (pre < a->n && pre < b->n && rec_same(&d, pre, pre))
		pre++;
	while (suf < a->n - pre && suf < b->n - pre && rec_same(&d, a->n - 1 - suf, b->n - 1 - suf))
		suf++;
	if (pre > 0)
		rec_emit_copy(&d, 0, pre);
	jend = b->n - suf;
	if (pre < jend)
		rec_diff_index(&d);
	for (j = pre, expect = pre; j < jend;) {
		size_t at = expect < a->n && rec_same(&d, expect, j) ? expect : rec_find(&d, j, jend), r;

		if (at == SIZE_MAX) {
			/* a line changed in place: what follows it likely did not */
			rec_emit_line(&d, j++);
			expect++;
			continue;
		}
		r = rec_run(&d, at, j, jend, SIZE_MAX);
		rec_emit_copy(&d, at, r);
		j += r;
		expect = at + r;
	}
	if (suf > 0)
		rec_emit_copy(&d, a->n - suf, suf);
	free(d.head);
	free(d.next);
	return d.ops;
}

/* ---- the stream ------------------------------------------------------------ */

/* Compresses len bytes with flush, writing what comes out. */
static int recorder_deflate(struct recorder *r, const void *data, size_t len, int flush, char **cause)
{
	r->z.next_in = (Bytef *)(uintptr_t)data;
	r->z.avail_in = (uInt)len;
	do {
		size_t have;

		r->z.next_out = r->out;
		r->z.avail_out = sizeof r->out;
		if (deflate(&r->z, flush) == Z_STREAM_ERROR) {
			util_set_cause(cause, "cannot compress the recording");
			return -1;
		}
		have = sizeof r->out - r->z.avail_out;
		if (have > 0 && util_write_all(r->fd, r->out, have) == -1) {
			util_set_cause(cause, "cannot write the recording: %s", strerror(errno));
			return -1;
		}
	} while (r->z.avail_out == 0 || r->z.avail_in != 0);
	return 0;
}

/* One line of the file: the JSON of item, a newline, flushed so that the
 * file is readable up to it whatever happens next. */
static int recorder_line(struct recorder *r, const cJSON *item, char **cause)
{
	char *text = cJSON_PrintUnformatted(item);
	size_t len;
	int rc;

	if (text == NULL)
		fatal("out of memory writing a recording");
	len = strlen(text);
	if (len > RECORDING_MAX_LINE) {
		free(text);
		util_set_cause(cause, "a frame of %zu bytes is too large to record", len);
		return -1;
	}
	rc = recorder_deflate(r, text, len, Z_NO_FLUSH, cause);
	free(text);
	if (rc == 0)
		rc = recorder_deflate(r, "\n", 1, Z_SYNC_FLUSH, cause);
	if (rc != 0)
		r->failed = true;
	return rc;
}

static int recorder_header(struct recorder *r, const char *config_path, const char *config_text,
                           size_t len, char **cause)
{
	cJSON *h = cJSON_CreateObject();
	char *text = xstrndup(config_text != NULL ? config_text : "", len);
	char when[40];
	int rc;

	time_format_iso8601(when, sizeof when, time_real_ms());
	cJSON_AddNumberToObject(h, "kitetop_recording", RECORDING_FORMAT);
	cJSON_AddStringToObject(h, "version", KITETOP_VERSION);
	if (config_path != NULL)
		cJSON_AddStringToObject(h, "config_path", config_path);
	else
		cJSON_AddNullToObject(h, "config_path");
	cJSON_AddStringToObject(h, "config", text);
	cJSON_AddStringToObject(h, "started_at", when);
	rc = recorder_line(r, h, cause);
	cJSON_Delete(h);
	free(text);
	return rc;
}

struct recorder *recorder_open(const char *path, const char *config_path,
                               const char *config_text, size_t len, char **cause)
{
	struct recorder *r;
	struct stat st;
	int fd;

	if (config_text != NULL && memchr(config_text, '\0', len) != NULL) {
		util_set_cause(cause, "the configuration's text holds a NUL byte");
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1) {
		util_set_cause(cause, "cannot create %s: %s", path, strerror(errno));
		return NULL;
	}
	/* an existing file keeps its mode through O_TRUNC; the recording
	 * holds the configuration, so it is the owner's only (a device such
	 * as /dev/null is not ours to change) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		(void)fchmod(fd, 0600);
	r = xcalloc(1, sizeof *r);
	r->fd = fd;
	if (deflateInit2(&r->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		fatal("out of memory starting a recording");
	if (recorder_header(r, config_path, config_text, len, cause) != 0) {
		deflateEnd(&r->z);
		close(fd);
		free(r);
		return NULL;
	}
	return r;
}

static void recorder_forget_prev(struct recorder *r)
{
	rec_lines_done(&r->prev_lines);
	free(r->prev_hash);
	free(r->prev);
	r->prev_hash = NULL;
	r->prev = NULL;
}

int recorder_add(struct recorder *r, int64_t time_ms, const char *doc, size_t len, char **cause)
{
	struct rec_lines lines;
	uint64_t *hash;
	cJSON *frame;
	char *copy;
	int rc;

	if (r->failed) {
		util_set_cause(cause, "the recording stopped at an earlier write error");
		return -1;
	}
	if (r->frames >= RECORDING_MAX_FRAMES) {
		util_set_cause(cause, "the recording is full (%d frames)", RECORDING_MAX_FRAMES);
		return -1;
	}
	if (len > RECORDING_MAX_DOC || memchr(doc, '\0', len) != NULL) {
		util_set_cause(cause, "cannot record a document of %zu bytes%s", len,
		               len > RECORDING_MAX_DOC ? "" : " holding a NUL byte");
		return -1;
	}
	copy = xstrndup(doc, len);
	if (rec_lines_split(&lines, copy, len) != 0) {
		free(copy);
		util_set_cause(cause, "cannot record a document of over %u lines", RECORDING_MAX_LINES);
		return -1;
	}
	hash = rec_hashes(&lines);
	frame = cJSON_CreateObject();
	cJSON_AddNumberToObject(frame, "t", (double)time_ms);
	if (r->frames % RECORDING_KEY_EVERY == 0 || r->prev == NULL)
		cJSON_AddStringToObject(frame, "key", copy);
	else
		cJSON_AddItemToObject(frame, "delta", rec_delta(&r->prev_lines, r->prev_hash, &lines, hash));
	rc = recorder_line(r, frame, cause);
	cJSON_Delete(frame);
	recorder_forget_prev(r);
	r->prev = copy;
	r->prev_lines = lines;
	r->prev_hash = hash;
	if (rc == 0)
		r->frames++;
	return rc;
}

int recorder_close(struct recorder *r, char **cause)
{
	int rc = 0;

	if (r->failed) {
		util_set_cause(cause, "the recording stopped at an earlier write error");
		rc = -1;
	} else {
		rc = recorder_deflate(r, NULL, 0, Z_FINISH, cause);
	}
	if (rc == 0 && fsync(r->fd) == -1 && errno != EINVAL && errno != EROFS) {
		util_set_cause(cause, "cannot write the recording: %s", strerror(errno));
		rc = -1;
	}
	if (close(r->fd) == -1 && rc == 0) {
		util_set_cause(cause, "cannot write the recording: %s", strerror(errno));
		rc = -1;
	}
	deflateEnd(&r->z);
	recorder_forget_prev(r);
	free(r);
	return rc;
}

/* ---- secrets ------------------------------------------------------------------ */

static bool rec_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* True when the line (n bytes) sets a key that names a secret: the key
 * after blanks, then blanks and '=', as the configuration reads it. */
static bool rec_secret_line(const char *s, size_t n)
{
	static const char *const keys[] = { "password_file", "password_env", "token_file", "token_env" };
	size_t i = 0, k;

	while (i < n && rec_is_blank(s[i]))
		i++;
	for (size_t j = 0; j < UTIL_ARRAY_LEN(keys); j++) {
		k = strlen(keys[j]);
		if (n - i < k || memcmp(s + i, keys[j], k) != 0)
			continue;
		for (k += i; k < n && rec_is_blank(s[k]); k++)
			;
		if (k < n && s[k] == '=')
			return true;
	}
	return false;
}

char *recording_strip_secrets(const char *text, size_t len, size_t *out_len)
{
	char *out = xmalloc(len + 1);
	size_t o = 0, i = 0;

	/* a byte order mark before the first key is no part of it */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		memcpy(out, text, 3);
		o = i = 3;
	}
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - (text + i)) + 1 : len - i;

		if (!rec_secret_line(text + i, n)) {
			memcpy(out + o, text + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	if (out_len != NULL)
		*out_len = o;
	return out;
}
