/* recording — the reader (see recording.h): the gzip stream inflated a
 * line at a time, each frame's keyframe or delta kept as it was parsed
 * (checked against the frame before it), and documents rebuilt on demand
 * from the keyframe before them. */
#include "core/history/recording.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/history/recording_internal.h"

#define REC_IN_CHUNK 65536

/* One op of a delta: lines [a, a + b) of the previous document, or the new
 * line of b bytes at a in the frame's lits. */
struct rec_op {
	size_t a, b;
	bool lit;
};

struct rec_frame {
	int64_t t;
	size_t key;          /* index of the keyframe it is rebuilt from */
	size_t nlines;
	char *doc;           /* a keyframe's document, else NULL */
	size_t len;
	struct rec_op *ops;  /* a delta's ops */
	size_t nops;
	char *lits;          /* a delta's new lines, each NUL-terminated */
};

struct recording {
	struct rec_frame *frames;
	size_t n, cap;
	bool truncated;
	char *config_text, *config_path;
	size_t config_len;
	/* the last document built: frame cur (SIZE_MAX: none) */
	size_t cur;
	char *cur_doc;
	bool cur_owned;      /* else it is the keyframe's */
	struct rec_lines cur_lines;
};

/* ---- the stream, a line at a time -------------------------------------------- */

struct rec_in {
	int fd;                        /* -1: the input is all in next_in */
	z_stream z;
	bool eof;                      /* no more input to give zlib */
	bool ended;                    /* the gzip stream ended */
	bool damaged;                  /* zlib found bad data, or the input cut short */
	bool produced;                 /* zlib gave some output */
	struct buf text;               /* inflated, not yet given as lines */
	size_t pos;                    /* text before this is given */
	unsigned char chunk[REC_IN_CHUNK];
};

static void rec_in_feed(struct rec_in *in)
{
	ssize_t n;

	if (in->fd < 0) {
		in->eof = true;
		return;
	}
	do
		n = read(in->fd, in->chunk, sizeof in->chunk);
	while (n == -1 && errno == EINTR);
	if (n <= 0) {
		in->eof = true;
		in->damaged |= n < 0;
		return;
	}
	in->z.next_in = in->chunk;
	in->z.avail_in = (uInt)n;
}

/* Inflates some more into text; false when nothing more will come. */
static bool rec_in_more(struct rec_in *in)
{
	unsigned char out[REC_IN_CHUNK];
	int ret;

	while (!in->ended) {
		if (in->z.avail_in == 0 && !in->eof)
			rec_in_feed(in);
		in->z.next_out = out;
		in->z.avail_out = sizeof out;
		ret = inflate(&in->z, Z_NO_FLUSH);
		if (in->z.avail_out < sizeof out) {
			in->produced = true;
			buf_append(&in->text, out, sizeof out - in->z.avail_out);
		}
		if (ret == Z_STREAM_END)
			in->ended = true;
		else if (ret != Z_OK && (ret != Z_BUF_ERROR || in->eof)) {
			in->damaged = true;   /* bad data, or the file ends inside the stream */
			return false;
		}
		if (in->z.avail_out < sizeof out)
			return true;
	}
	return false;
}

/* The next whole line (without its newline, NUL-terminated in place), or
 * NULL at the end.  A line over RECORDING_MAX_LINE is damage. */
static char *rec_in_line(struct rec_in *in, size_t *len)
{
	size_t scanned = in->pos;
	bool more = true;

	for (;;) {
		char *start = in->text.data + in->pos;
		char *nl = in->text.len > scanned ?
			memchr(in->text.data + scanned, '\n', in->text.len - scanned) : NULL;

		if (nl != NULL) {
			*nl = '\0';
			*len = (size_t)(nl - start);
			in->pos = (size_t)(nl - in->text.data) + 1;
			return start;
		}
		if (!more || in->text.len - in->pos > RECORDING_MAX_LINE) {
			if (in->text.len > in->pos)
				in->damaged = true;   /* a line without its end */
			return NULL;
		}
		/* drop what was given before reading on */
		if (in->pos > 0) {
			buf_consume(&in->text, in->pos);
			in->pos = 0;
		}
		scanned = in->text.len;
		/* what came with the end (or the damage) is still read */
		more = rec_in_more(in);
	}
}

/* ---- parsing ---------------------------------------------------------------------- */

static int rec_parse_header(struct recording *rec, const char *line, size_t len, char **cause)
{
	cJSON *h = cJSON_ParseWithLength(line, len);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, "kitetop_recording");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(h, "config");
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(h, "config_path");

	if (!cJSON_IsNumber(v) || !cJSON_IsString(text)) {
		cJSON_Delete(h);
		util_set_cause(cause, "not a kitetop recording (no header)");
		return -1;
	}
	if (v->valuedouble != RECORDING_FORMAT) {
		util_set_cause(cause, "a kitetop recording of another format (%g)", v->valuedouble);
		cJSON_Delete(h);
		return -1;
	}
	rec->config_len = strlen(text->valuestring);
	rec->config_text = xstrdup(text->valuestring);
	rec->config_path = cJSON_IsString(path) ? xstrdup(path->valuestring) : NULL;
	cJSON_Delete(h);
	return 0;
}

/* A non-negative integer that a size_t holds exactly. */
static bool rec_index(const cJSON *v, size_t *out)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0) ||
	    v->valuedouble != floor(v->valuedouble))
		return false;
	*out = (size_t)v->valuedouble;
	return true;
}

static int rec_parse_key(struct rec_frame *f, const cJSON *key)
{
	size_t len = strlen(key->valuestring), n = 1;
	const char *p = key->valuestring, *end = p + len;

	if (len > RECORDING_MAX_DOC)
		return -1;
	for (; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		if (++n > RECORDING_MAX_LINES)
			return -1;
	f->doc = xstrndup(key->valuestring, len);
	f->len = len;
	f->nlines = n;
	return 0;
}

/* Checks a delta against the previous frame's prev_lines lines and keeps
 * its ops; -1 when it is not one. */
static int rec_parse_delta(struct rec_frame *f, const cJSON *delta, size_t prev_lines)
{
	size_t nops = (size_t)cJSON_GetArraySize(delta), lits = 0, lines = 0, i = 0;
	const cJSON *op;
	char *p;

	if (nops > RECORDING_MAX_LINES)
		return -1;
	f->ops = xreallocarray(NULL, nops > 0 ? nops : 1, sizeof *f->ops);
	cJSON_ArrayForEach(op, delta) {
		struct rec_op *o = &f->ops[i++];

		if (cJSON_IsString(op)) {
			o->lit = true;
			o->a = lits;
			o->b = strlen(op->valuestring);
			if (memchr(op->valuestring, '\n', o->b) != NULL || o->b > RECORDING_MAX_DOC)
				return -1;
			lits += o->b + 1;
			lines++;
		} else if (cJSON_IsArray(op) && cJSON_GetArraySize(op) == 2 &&
		           rec_index(op->child, &o->a) && rec_index(op->child->next, &o->b)) {
			o->lit = false;
			if (o->a > prev_lines || o->b > prev_lines - o->a)
				return -1;   /* past the previous document's end */
			lines += o->b;
		} else {
			return -1;
		}
		if (lines > RECORDING_MAX_LINES || lits > RECORDING_MAX_DOC + RECORDING_MAX_LINES)
			return -1;
	}
	f->nops = nops;
	if (lines == 0)
		return -1;   /* a document is at least one (empty) line */
	f->nlines = lines;
	f->lits = p = xmalloc(lits > 0 ? lits : 1);
	i = 0;
	cJSON_ArrayForEach(op, delta) {
		const struct rec_op *o = &f->ops[i++];

		if (o->lit) {
			memcpy(p, op->valuestring, o->b + 1);
			p += o->b + 1;
		}
	}
	return 0;
}

static void rec_frame_done(struct rec_frame *f)
{
	free(f->doc);
	free(f->ops);
	free(f->lits);
}

/* Frame number rec->n from its line; -1 when the line is not one. */
static int rec_parse_frame(struct recording *rec, const char *line, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(line, len);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "t");
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(j, "key");
	const cJSON *delta = cJSON_GetObjectItemCaseSensitive(j, "delta");
	struct rec_frame f = { 0 };
	int rc = -1;

	if (cJSON_IsNumber(t) && fabs(t->valuedouble) <= 9007199254740992.0) {
		f.t = (int64_t)t->valuedouble;
		if (cJSON_IsString(key) && delta == NULL) {
			f.key = rec->n;
			rc = rec_parse_key(&f, key);
		} else if (cJSON_IsArray(delta) && key == NULL && rec->n > 0) {
			f.key = rec->frames[rec->n - 1].key;
			rc = rec_parse_delta(&f, delta, rec->frames[rec->n - 1].nlines);
		}
	}
	cJSON_Delete(j);
	if (rc != 0) {
		rec_frame_done(&f);
		return -1;
	}
	if (rec->n == rec->cap) {
		rec->cap = rec->cap != 0 ? rec->cap * 2 : 64;
		rec->frames = xreallocarray(rec->frames, rec->cap, sizeof *rec->frames);
	}
	rec->frames[rec->n++] = f;
	return 0;
}

static struct recording *rec_load(int fd, const void *data, size_t len, char **cause)
{
	struct rec_in *in = xcalloc(1, sizeof *in);
	struct recording *rec = xcalloc(1, sizeof *rec);
	const char *line;
	size_t n;

	in->fd = fd;
	in->z.next_in = (Bytef *)(uintptr_t)data;
	in->z.avail_in = (uInt)len;
	buf_init(&in->text);
	rec->cur = SIZE_MAX;
	if (inflateInit2(&in->z, 15 + 16) != Z_OK)
		fatal("out of memory reading a recording");
	line = rec_in_line(in, &n);
	if (line == NULL) {
		util_set_cause(cause, in->produced ? "not a kitetop recording (no header)" :
		               "not a kitetop recording (not gzip)");
		recording_free(rec);
		rec = NULL;
	} else if (rec_parse_header(rec, line, n, cause) != 0) {
		recording_free(rec);
		rec = NULL;
	} else {
		while ((line = rec_in_line(in, &n)) != NULL) {
			if (rec->n >= RECORDING_MAX_FRAMES || rec_parse_frame(rec, line, n) != 0) {
				in->damaged = true;
				break;
			}
		}
		rec->truncated = in->damaged;
	}
	inflateEnd(&in->z);
	buf_done(&in->text);
	free(in);
	return rec;
}

struct recording *recording_load(const char *path, char **cause)
{
	struct recording *rec;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1) {
		util_set_cause(cause, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	rec = rec_load(fd, NULL, 0, cause);
	close(fd);
	if (rec == NULL && cause != NULL && *cause != NULL) {
		char *why = *cause;

		*cause = xasprintf("%s: %s", path, why);
		free(why);
	}
	return rec;
}

struct recording *recording_load_mem(const void *data, size_t len, char **cause)
{
	if (len > UINT32_MAX) {
		util_set_cause(cause, "a recording of over 4 GiB in memory");
		return NULL;
	}
	return rec_load(-1, data, len, cause);
}

/* ---- the frames ---------------------------------------------------------------------- */

static void rec_cache_drop(struct recording *rec)
{
	rec_lines_done(&rec->cur_lines);
	if (rec->cur_owned)
		free(rec->cur_doc);
	rec->cur_doc = NULL;
	rec->cur_owned = false;
	rec->cur = SIZE_MAX;
}

void recording_free(struct recording *rec)
{
	if (rec == NULL)
		return;
	rec_cache_drop(rec);
	for (size_t i = 0; i < rec->n; i++)
		rec_frame_done(&rec->frames[i]);
	free(rec->frames);
	free(rec->config_text);
	free(rec->config_path);
	free(rec);
}

size_t recording_count(const struct recording *rec)
{
	return rec->n;
}

bool recording_truncated(const struct recording *rec)
{
	return rec->truncated;
}

const char *recording_config_text(const struct recording *rec, size_t *len)
{
	if (len != NULL)
		*len = rec->config_len;
	return rec->config_text;
}

const char *recording_config_path(const struct recording *rec)
{
	return rec->config_path;
}

int64_t recording_time(const struct recording *rec, size_t i)
{
	return i < rec->n ? rec->frames[i].t : 0;
}

/* The cache becomes keyframe k's document. */
static int rec_cache_key(struct recording *rec, size_t k)
{
	struct rec_frame *f = &rec->frames[k];

	rec_cache_drop(rec);
	if (rec_lines_split(&rec->cur_lines, f->doc, f->len) != 0)
		return -1;
	rec->cur_doc = f->doc;
	rec->cur = k;
	return 0;
}

/* The bytes of the document the delta ops make of prev's lines, or
 * SIZE_MAX when an op is out of range or it is over RECORDING_MAX_DOC. */
static size_t rec_delta_size(const struct rec_frame *f, const struct rec_lines *prev)
{
	size_t size = 0, lines = 0;

	for (size_t i = 0; i < f->nops; i++) {
		const struct rec_op *o = &f->ops[i];

		if (o->lit) {
			size += o->b;
			lines++;
		} else if (o->a > prev->n || o->b > prev->n - o->a) {
			return SIZE_MAX;
		} else if (o->b > 0) {
			/* the lines and the newlines between them */
			size += prev->off[o->a + o->b] - 1 - prev->off[o->a];
			lines += o->b;
		}
		if (size > RECORDING_MAX_DOC)
			return SIZE_MAX;
	}
	size += lines - 1;
	return lines > 0 && lines == f->nlines && size <= RECORDING_MAX_DOC ? size : SIZE_MAX;
}

/* The cache, frame cur, becomes frame cur + 1 by its delta.  The new
 * document's lines are known as they are copied: they are not looked for
 * again. */
static int rec_cache_step(struct recording *rec)
{
	const struct rec_frame *f = &rec->frames[rec->cur + 1];
	const struct rec_lines *prev = &rec->cur_lines;
	size_t size = rec_delta_size(f, prev), o = 0, k = 0, next;
	struct rec_lines lines;
	char *doc;

	if (size == SIZE_MAX || f->nlines > RECORDING_MAX_LINES)
		return -1;
	doc = xmalloc(size + 1);
	lines.off = xreallocarray(NULL, f->nlines + 1, sizeof *lines.off);
	for (size_t i = 0; i < f->nops; i++) {
		const struct rec_op *op = &f->ops[i];
		size_t base = prev->off[op->lit ? 0 : op->a], n;

		if (!op->lit && op->b == 0)
			continue;
		if (k > 0)
			doc[o++] = '\n';
		if (op->lit) {
			n = op->b;
			memcpy(doc + o, f->lits + op->a, n);
			lines.off[k++] = o;
		} else {
			n = prev->off[op->a + op->b] - 1 - base;
			memcpy(doc + o, prev->doc + base, n);
			for (size_t j = op->a; j < op->a + op->b; j++)
				lines.off[k++] = o + (prev->off[j] - base);
		}
		o += n;
	}
	doc[o] = '\0';
	lines.off[k] = o + 1;
	lines.doc = doc;
	lines.len = o;
	lines.n = k;
	next = rec->cur + 1;
	rec_cache_drop(rec);
	rec->cur = next;
	rec->cur_doc = doc;
	rec->cur_owned = true;
	rec->cur_lines = lines;
	return 0;
}

const char *recording_doc(struct recording *rec, size_t i, size_t *len, char **cause)
{
	if (i >= rec->n) {
		util_set_cause(cause, "no frame %zu: the recording has %zu", i, rec->n);
		return NULL;
	}
	/* from the cache when it is on the way, else from the keyframe */
	if (rec->cur == SIZE_MAX || rec->cur > i || rec->cur < rec->frames[i].key) {
		if (rec_cache_key(rec, rec->frames[i].key) != 0) {
			rec_cache_drop(rec);
			util_set_cause(cause, "frame %zu of the recording is corrupt", rec->frames[i].key);
			return NULL;
		}
	}
	while (rec->cur < i) {
		if (rec_cache_step(rec) != 0) {
			util_set_cause(cause, "frame %zu of the recording is corrupt", rec->cur + 1);
			return NULL;
		}
	}
	if (len != NULL)
		*len = rec->cur_lines.len;
	return rec->cur_doc;
}
