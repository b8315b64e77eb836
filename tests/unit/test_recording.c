/* Unit tests: core/history/recording, frames to a file and back.  A
 * sequence of status documents made from the KiteStacks-lab fixtures
 * (figures, states and generated_at changing, containers added, removed and
 * moved, the degraded lab for a while) is recorded and read back byte for
 * byte, in any order, and each document reads as a frame whose status JSON
 * is that document again.  A file cut anywhere or damaged keeps the whole
 * frames before the damage; hostile lines are refused; the configuration's
 * secrets stay out of the file.  The size of 300 frames of a lab whose
 * every container's figures change each time is measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "cli/status_json.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/history/recording.h"
#include "core/model/frame_json.h"
#include "tests/support/fixture.h"

#define NDOCS 200
#define T0 1795434127000   /* 2026-11-23T11:42:07Z, the lab fixture's */

static struct config *lab_cfg;
static char tmpdir[] = "/tmp/kt-test-recording-XXXXXX";
static char *docs[NDOCS];
static int64_t times[NDOCS];
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* ---- the documents --------------------------------------------------------------- */

static cJSON *parse_fixture(const char *name)
{
	size_t len;
	char *text = fixture_read("frames", name, &len);
	cJSON *j = cJSON_ParseWithLength(text, len);

	free(text);
	assert_non_null(j);
	return j;
}

/* What status_json writes for the frame read from doc: a document the
 * round trip holds for. */
static char *canonical(const char *doc)
{
	struct frame f;
	char *cause = NULL, *out;

	if (frame_json_read(&f, lab_cfg, doc, strlen(doc), &cause) != 0)
		fail_msg("frame_json_read: %s", cause);
	out = status_json(&f);
	frame_release(&f);
	return out;
}

static void set_number(cJSON *o, const char *name, double v)
{
	cJSON *n = cJSON_GetObjectItemCaseSensitive(o, name);

	if (cJSON_IsNumber(n))
		cJSON_SetNumberValue(n, v);
}

/* Every container's and host's figures changed, generated_at at t. */
static void vary_figures(cJSON *doc, int64_t t, bool states)
{
	char when[40];
	cJSON *host, *c;

	time_format_iso8601(when, sizeof when, t);
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "generated_at", cJSON_CreateString(when));
	cJSON_ArrayForEach(host, cJSON_GetObjectItemCaseSensitive(doc, "hosts")) {
		cJSON *m = cJSON_GetObjectItemCaseSensitive(host, "metrics");

		set_number(m, "cpu_pct", (double)(rng() % 1000) / 10);
		set_number(m, "net_rx_bps", (double)(rng() % 100000));
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(host, "containers")) {
			set_number(c, "cpu_pct", (double)(rng() % 500) / 100);
			set_number(c, "mem_bytes", (double)(1000000 + rng() % 1000000));
			if (states && rng() % 40 == 0)
				cJSON_ReplaceItemInObjectCaseSensitive(c, "health", cJSON_CreateString("unhealthy"));
		}
	}
}

/* The containers array of the first host. */
static cJSON *first_containers(cJSON *doc)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "hosts"), 0),
	                                        "containers");
}

/* Document i of the sequence: the lab, the degraded lab for frames 80 to
 * 99, a container gone (120-139), one more (140-159), two moved
 * (160-179). */
static char *make_doc(cJSON *lab, cJSON *degraded, int i)
{
	cJSON *doc = cJSON_Duplicate(i >= 80 && i < 100 ? degraded : lab, true), *cs = first_containers(doc);
	char *text, *out;

	vary_figures(doc, T0 + 2000 * (int64_t)i, true);
	if (i >= 120 && i < 140)
		cJSON_DeleteItemFromArray(cs, 3);
	if (i >= 140 && i < 160) {
		cJSON *extra = cJSON_Duplicate(cJSON_GetArrayItem(cs, 0), true);

		cJSON_ReplaceItemInObjectCaseSensitive(extra, "name", cJSON_CreateString("extra"));
		cJSON_AddItemToArray(cs, extra);
	}
	if (i >= 160 && i < 180) {
		cJSON *moved = cJSON_DetachItemFromArray(cs, 1);

		cJSON_AddItemToArray(cs, moved);
		cJSON_InsertItemInArray(cs, 0, cJSON_DetachItemFromArray(cs, 5));
	}
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	out = canonical(text);
	free(text);
	return out;
}

static int group_setup(void **state)
{
	char *cause = NULL, *text;
	size_t len;
	cJSON *lab, *degraded;

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	setenv("KITETOP_FRAMES_SECRET", "not-a-secret", 1);
	text = fixture_read("frames", "kitestacks-lab.conf", &len);
	lab_cfg = config_parse("kitestacks-lab.conf", text, len, &cause);
	free(text);
	if (lab_cfg == NULL) {
		print_error("config: %s\n", cause);
		free(cause);
		return -1;
	}
	lab = parse_fixture("kitestacks-lab.json");
	degraded = parse_fixture("kitestacks-lab-degraded.json");
	for (int i = 0; i < NDOCS; i++) {
		docs[i] = make_doc(lab, degraded, i);
		times[i] = T0 + 2000 * (int64_t)i + (int64_t)(rng() % 50);
	}
	cJSON_Delete(lab);
	cJSON_Delete(degraded);
	return 0;
}

static int group_teardown(void **state)
{
	char *cmd = xasprintf("rm -rf %s", tmpdir);

	(void)state;
	for (int i = 0; i < NDOCS; i++)
		free(docs[i]);
	config_free(lab_cfg);
	if (system(cmd) != 0)
		print_error("cannot remove %s\n", tmpdir);
	free(cmd);
	return 0;
}

/* ---- recording helpers ----------------------------------------------------------- */

/* Records n documents (with times t, or 0, 1, ...) to path. */
static void record(const char *path, char *const *d, const int64_t *t, size_t n, const char *conf)
{
	char *cause = NULL;
	struct recorder *r = recorder_open(path, "/etc/kitetop.conf", conf, strlen(conf), &cause);

	if (r == NULL)
		fail_msg("recorder_open: %s", cause);
	for (size_t i = 0; i < n; i++)
		if (recorder_add(r, t != NULL ? t[i] : (int64_t)i, d[i], strlen(d[i]), &cause) != 0)
			fail_msg("recorder_add %zu: %s", i, cause);
	if (recorder_close(r, &cause) != 0)
		fail_msg("recorder_close: %s", cause);
}

static struct recording *load(const char *path)
{
	char *cause = NULL;
	struct recording *rec = recording_load(path, &cause);

	if (rec == NULL)
		fail_msg("recording_load: %s", cause);
	return rec;
}

static void assert_doc(struct recording *rec, size_t i, const char *want)
{
	char *cause = NULL;
	size_t len = 0;
	const char *got = recording_doc(rec, i, &len, &cause);

	if (got == NULL)
		fail_msg("frame %zu: %s", i, cause);
	assert_int_equal(len, strlen(want));
	assert_int_equal(strlen(got), len);
	if (memcmp(got, want, len) != 0)
		fail_msg("frame %zu differs", i);
}

static char *read_all(const char *path, size_t *len)
{
	char *data = NULL, *cause = NULL;

	if (util_read_file(path, 64u << 20, &data, len, &cause) != 0)
		fail_msg("%s", cause);
	return data;
}

/* A gzip stream of text (as the recorder would write it, without the
 * flushes): for hand-made recordings. */
static char *gzip_text(const char *text, size_t *out_len)
{
	z_stream z = { 0 };
	size_t cap = compressBound((uLong)strlen(text)) + 64;
	char *out = xmalloc(cap);

	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

static struct recording *load_text(const char *text, char **cause)
{
	size_t len;
	char *gz = gzip_text(text, &len);
	struct recording *rec = recording_load_mem(gz, len, cause);

	free(gz);
	return rec;
}

#define HEADER "{\"kitetop_recording\":1,\"version\":\"0.1.0\",\"config_path\":null,\"config\":\"\"}\n"

/* ---- round trips ----------------------------------------------------------------- */

static void test_round_trip(void **state)
{
	char *path = tmp_path("lab.rec"), *cause = NULL;
	struct recording *rec;
	size_t len;

	(void)state;
	record(path, docs, times, NDOCS, "[kitetop]\nrefresh = 2\n");
	rec = load(path);
	assert_int_equal(recording_count(rec), NDOCS);
	assert_false(recording_truncated(rec));
	assert_string_equal(recording_config_text(rec, &len), "[kitetop]\nrefresh = 2\n");
	assert_int_equal(len, strlen("[kitetop]\nrefresh = 2\n"));
	assert_string_equal(recording_config_path(rec), "/etc/kitetop.conf");
	for (size_t i = 0; i < NDOCS; i++) {
		assert_int_equal(recording_time(rec, i), times[i]);
		assert_doc(rec, i, docs[i]);
	}
	for (size_t i = NDOCS; i-- > 0;)
		assert_doc(rec, i, docs[i]);
	for (int k = 0; k < 500; k++) {
		size_t i = rng() % NDOCS;

		assert_doc(rec, i, docs[i]);
	}
	assert_null(recording_doc(rec, NDOCS, NULL, &cause));
	assert_non_null(cause);
	free(cause);
	recording_free(rec);
	free(path);
}

/* Each recorded document reads as a frame whose status JSON is itself. */
static void test_frame_round_trip(void **state)
{
	char *path = tmp_path("frames.rec");
	struct recording *rec;

	(void)state;
	record(path, docs, times, NDOCS, "");
	rec = load(path);
	for (size_t i = 0; i < NDOCS; i++) {
		const char *doc = recording_doc(rec, i, NULL, NULL);
		char *again;

		assert_non_null(doc);
		again = canonical(doc);
		assert_string_equal(again, docs[i]);
		free(again);
	}
	recording_free(rec);
	free(path);
}

/* Documents that are not status JSON: any text goes through exactly. */
static void test_any_text(void **state)
{
	static const char *const pool[] = { "", "a", "b", "}, {", "\t\"x\":\t1,", "ü ∞ é", "{", "}" };
	char *d[300], *path = tmp_path("text.rec");
	struct recording *rec;

	(void)state;
	d[0] = xstrdup("");
	d[1] = xstrdup("\n");
	d[2] = xstrdup("no newline");
	d[3] = xstrdup("\n\n\n");
	d[4] = xstrdup("a\nb\na\nb\n");
	/* then random edits of lines that repeat a lot: the delta's search
	 * among equal lines must stay exact */
	for (int i = 5; i < 300; i++) {
		size_t n = rng() % 60;
		char *s = xstrdup("");

		for (size_t k = 0; k < n; k++) {
			char *t = xasprintf("%s%s%s", s, pool[rng() % UTIL_ARRAY_LEN(pool)],
			                    k + 1 < n || rng() % 2 ? "\n" : "");
			free(s);
			s = t;
		}
		if (i % 7 != 0 && strlen(d[i - 1]) > 10) {
			/* mostly the previous one, its end moved before its start */
			const char *prev = d[i - 1];
			size_t cut = rng() % strlen(prev);

			free(s);
			s = xasprintf("%s\n%.*s", prev + cut, (int)cut, prev);
		}
		d[i] = s;
	}
	record(path, d, NULL, 300, "");
	rec = load(path);
	assert_int_equal(recording_count(rec), 300);
	for (size_t i = 0; i < 300; i++)
		assert_doc(rec, i, d[i]);
	for (int k = 0; k < 300; k++) {
		size_t i = rng() % 300;

		assert_doc(rec, i, d[i]);
	}
	recording_free(rec);
	for (int i = 0; i < 300; i++)
		free(d[i]);
	free(path);
}

/* ---- damage ---------------------------------------------------------------------- */

/* A recording read while it is written (not closed: as when the recorder
 * is killed) has every frame added so far. */
static void test_readable_after_each_frame(void **state)
{
	char *path = tmp_path("live.rec"), *cause = NULL;
	struct recorder *r;

	(void)state;
	r = recorder_open(path, NULL, "", 0, &cause);
	assert_non_null(r);
	for (size_t i = 0; i < 70; i++) {
		struct recording *rec;

		assert_int_equal(recorder_add(r, times[i], docs[i], strlen(docs[i]), &cause), 0);
		rec = load(path);
		assert_int_equal(recording_count(rec), i + 1);
		assert_true(recording_truncated(rec));
		assert_null(recording_config_path(rec));
		assert_doc(rec, i, docs[i]);
		recording_free(rec);
	}
	assert_int_equal(recorder_close(r, &cause), 0);
	free(path);
}

/* Cut anywhere: a prefix of the frames, whole, and truncated. */
static void test_truncated(void **state)
{
	char *path = tmp_path("cut.rec"), *data, *cause = NULL;
	size_t size, last = 0, step;

	(void)state;
	record(path, docs, times, NDOCS, "[kitetop]\n");
	data = read_all(path, &size);
	step = size / 300 + 1;
	for (size_t cut = 0; cut < size; cut += step + rng() % 7) {
		struct recording *rec = recording_load_mem(data, cut, &cause);
		size_t n;

		if (rec == NULL) {
			assert_non_null(cause);
			assert_int_equal(last, 0);   /* only before the header is whole */
			free(cause);
			cause = NULL;
			continue;
		}
		n = recording_count(rec);
		assert_true(recording_truncated(rec));
		assert_true(n >= last);
		assert_true(n <= NDOCS);   /* cut in the trailer: every frame */
		last = n;
		for (size_t i = 0; i < n; i++)
			assert_doc(rec, i, docs[i]);
		recording_free(rec);
	}
	assert_true(last > NDOCS / 2);
	free(data);
	free(path);
}

/* Bytes damaged: never a crash; the frames read are a prefix of those
 * written, or say they are corrupt. */
static void test_corrupt_bytes(void **state)
{
	char *path = tmp_path("bad.rec"), *data, *cause = NULL;
	size_t size;

	(void)state;
	record(path, docs, times, 90, "");
	data = read_all(path, &size);
	for (size_t at = 0; at < size; at += 211) {
		unsigned char was = (unsigned char)data[at];
		struct recording *rec;

		data[at] = (char)(was ^ (unsigned char)(1u << (at % 8)));
		rec = recording_load_mem(data, size, &cause);
		if (rec == NULL) {
			assert_non_null(cause);
			free(cause);
			cause = NULL;
		} else {
			for (size_t i = 0; i < recording_count(rec); i++) {
				if (recording_doc(rec, i, NULL, &cause) == NULL) {
					assert_non_null(cause);
					free(cause);
					cause = NULL;
				}
			}
			recording_free(rec);
		}
		data[at] = (char)was;
	}
	/* the gzip trailer's CRC: every frame, but the file is not whole */
	data[size - 6] ^= 1;
	{
		struct recording *rec = recording_load_mem(data, size, &cause);

		assert_non_null(rec);
		assert_int_equal(recording_count(rec), 90);
		assert_true(recording_truncated(rec));
		recording_free(rec);
	}
	free(data);
	free(path);
}

/* Hand-made lines: what is refused, and where the recording ends. */
static void test_hostile_lines(void **state)
{
	static const struct { const char *frames; size_t count; } cases[] = {
		{ "", 0 },
		{ "{\"t\":1,\"delta\":[[0,1]]}\n", 0 },                       /* no keyframe before */
		{ "{\"t\":1,\"key\":\"a\\nb\"}\n{\"t\":2,\"delta\":[[0,3]]}\n", 1 },   /* past the end */
		{ "{\"t\":1,\"key\":\"a\\nb\"}\n{\"t\":2,\"delta\":[[1,1],[-1,1]]}\n", 1 },
		{ "{\"t\":1,\"key\":\"a\\nb\"}\n{\"t\":2,\"delta\":[[0.5,1]]}\n", 1 },
		{ "{\"t\":1,\"key\":\"a\\nb\"}\n{\"t\":2,\"delta\":[\"x\\ny\"]}\n", 1 },  /* a line of two */
		{ "{\"t\":1,\"key\":\"a\\nb\"}\n{\"t\":2,\"delta\":[]}\n", 1 },
		{ "{\"t\":1,\"key\":\"a\\nb\"}\n{\"t\":2,\"delta\":[[0,1,2]]}\n", 1 },
		{ "{\"t\":1,\"key\":\"a\\nb\"}\n{\"t\":2,\"delta\":[true]}\n", 1 },
		{ "{\"t\":1,\"key\":\"a\",\"delta\":[]}\n", 0 },               /* both */
		{ "{\"key\":\"a\"}\n", 0 },                                   /* no time */
		{ "{\"t\":\"1\",\"key\":\"a\"}\n", 0 },
		{ "{\"t\":1e300,\"key\":\"a\"}\n", 0 },
		{ "{\"t\":1,\"key\":\"a\"}\nnot json\n{\"t\":1,\"key\":\"a\"}\n", 1 },
		{ "{\"t\":1,\"key\":\"a\"}\n{\"t\":2,\"key\":\"b\"", 1 },   /* a line without its end */
		{ "{\"t\":1,\"key\":\"a\\nb\"}\n{\"t\":2,\"delta\":[[1,1],\"c\",[0,2]]}\n", 2 },
	};
	char *cause = NULL;

	(void)state;
	for (size_t k = 0; k < UTIL_ARRAY_LEN(cases); k++) {
		char *text = xasprintf("%s%s", HEADER, cases[k].frames);
		struct recording *rec = load_text(text, &cause);

		if (rec == NULL)
			fail_msg("case %zu: %s", k, cause);
		if (recording_count(rec) != cases[k].count)
			fail_msg("case %zu: %zu frames", k, recording_count(rec));
		assert_int_equal(recording_truncated(rec), k != 0 && k != UTIL_ARRAY_LEN(cases) - 1);
		recording_free(rec);
		free(text);
	}
	/* the last case's second frame: "b", "c", "a", "b" */
	{
		char *text = xasprintf("%s%s", HEADER, cases[UTIL_ARRAY_LEN(cases) - 1].frames);
		struct recording *rec = load_text(text, &cause);

		assert_doc(rec, 1, "b\nc\na\nb");
		assert_doc(rec, 0, "a\nb");
		recording_free(rec);
		free(text);
	}
}

/* A delta that doubles its document each frame: refused when it passes
 * the limit, the frames before it still there. */
static void test_document_bomb(void **state)
{
	char *text = xasprintf("%s{\"t\":0,\"key\":\"%s\"}\n", HEADER,
	                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	char *cause = NULL;
	struct recording *rec;
	size_t i, n;
	bool refused = false;

	(void)state;
	for (i = 1, n = 1; i < 40; i++, n *= 2) {
		char *t = xasprintf("%s{\"t\":%zu,\"delta\":[[0,%zu],[0,%zu]]}\n", text, i, n, n);

		free(text);
		text = t;
	}
	rec = load_text(text, &cause);
	assert_non_null(rec);
	assert_true(recording_count(rec) >= 2);
	for (i = 0; i < recording_count(rec); i++) {
		if (recording_doc(rec, i, NULL, &cause) == NULL) {
			assert_non_null(cause);
			free(cause);
			cause = NULL;
			refused = true;
			break;
		}
	}
	assert_true(refused || recording_truncated(rec));
	assert_non_null(recording_doc(rec, 1, NULL, NULL));
	recording_free(rec);
	free(text);
}

static void test_not_a_recording(void **state)
{
	char *cause = NULL, *path = tmp_path("plain.txt");
	FILE *f;

	(void)state;
	assert_null(recording_load_mem("", 0, &cause));
	assert_non_null(strstr(cause, "not gzip"));
	assert_null(recording_load_mem("{\"kitetop_recording\":1}\n", 24, &cause));
	assert_non_null(strstr(cause, "not gzip"));
	assert_null(load_text("{\"hello\":1}\n", &cause));
	assert_non_null(strstr(cause, "no header"));
	assert_null(load_text("{\"kitetop_recording\":2,\"config\":\"\"}\n", &cause));
	assert_non_null(strstr(cause, "another format"));
	assert_null(load_text("{\"kitetop_recording\":1,\"config\":\"", &cause));
	assert_null(recording_load("/nonexistent/x.rec", &cause));
	assert_non_null(strstr(cause, "/nonexistent/x.rec"));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("hello\n", f);
	fclose(f);
	assert_null(recording_load(path, &cause));
	assert_non_null(strstr(cause, path));
	free(cause);
	free(path);
}

static void test_write_errors(void **state)
{
	char *cause = NULL, *path = tmp_path("err.rec");
	struct recorder *r;

	(void)state;
	assert_null(recorder_open("/nonexistent/x.rec", NULL, "", 0, &cause));
	assert_non_null(strstr(cause, "cannot create /nonexistent/x.rec"));
	if (access("/dev/full", W_OK) == 0) {
		assert_null(recorder_open("/dev/full", NULL, "", 0, &cause));
		assert_non_null(strstr(cause, "cannot write"));
	}
	r = recorder_open(path, NULL, "", 0, &cause);
	assert_non_null(r);
	assert_int_equal(recorder_add(r, 1, "a\0b", 3, &cause), -1);
	assert_non_null(strstr(cause, "NUL"));
	assert_int_equal(recorder_add(r, 1, "ab", 2, &cause), 0);
	assert_int_equal(recorder_close(r, &cause), 0);
	free(cause);
	free(path);
}

/* ---- secrets --------------------------------------------------------------------- */

static void assert_stripped(const char *in, const char *want)
{
	size_t len = 0;
	char *out = recording_strip_secrets(in, strlen(in), &len);

	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void test_strip_secrets(void **state)
{
	(void)state;
	assert_stripped("", "");
	assert_stripped("[postgres]\npassword_file = /x\nvia = a\n", "[postgres]\nvia = a\n");
	assert_stripped("[redis]\n  password_env=REDIS_PW\n\ttoken_env\t =\tX\n", "[redis]\n");
	assert_stripped("; token_file = /x is a comment\n# password_env = Y\n",
	                "; token_file = /x is a comment\n# password_env = Y\n");
	assert_stripped("[cloudflare]\ntoken_file = /run/secret", "[cloudflare]\n");
	assert_stripped("token_filename = x\npassword = y\nmy_token_env = z\n",
	                "token_filename = x\npassword = y\nmy_token_env = z\n");
	assert_stripped("[a]\r\ntoken_env = X\r\nk = v\r\n", "[a]\r\nk = v\r\n");
	assert_stripped("\xEF\xBB\xBFtoken_env = X\n[kitetop]\n", "\xEF\xBB\xBF[kitetop]\n");
	assert_stripped("[authentik]\nurl = http://a/?token_env=1\n", "[authentik]\nurl = http://a/?token_env=1\n");
}

/* The header keeps a configuration that still parses without its secrets
 * (the secret file named here does not exist: it must be left out). */
static void test_config_after_strip(void **state)
{
	static const char conf[] =
		"; the lab\n[kitetop]\nrefresh = 3\n\n[host here]\ndocker = none\n\n"
		"[redis]\naddress = 127.0.0.1:6379\n  password_file   =  /nonexistent/redis.secret\n"
		"[postgres]\nconninfo = host=127.0.0.1 dbname=postgres\npassword_env=KT_NOT_SET\n";
	char *path = tmp_path("conf.rec"), *stripped, *cause = NULL;
	const char *text;
	struct recording *rec;
	struct config *cfg;
	size_t len;
	char *one[1] = { docs[0] };

	(void)state;
	assert_null(config_parse("x.conf", conf, sizeof conf - 1, &cause));
	free(cause);
	cause = NULL;
	stripped = recording_strip_secrets(conf, sizeof conf - 1, &len);
	record(path, one, NULL, 1, stripped);
	rec = load(path);
	text = recording_config_text(rec, &len);
	assert_string_equal(text, stripped);
	assert_null(strstr(text, "secret"));
	assert_non_null(strstr(text, "; the lab\n"));
	cfg = config_parse("x.conf", text, len, &cause);
	if (cfg == NULL)
		fail_msg("config_parse: %s", cause);
	assert_int_equal(cfg->refresh_ms, 3000);
	config_free(cfg);
	recording_free(rec);
	free(stripped);
	free(path);
}

/* ---- size ------------------------------------------------------------------------ */

/* 300 frames of the lab, every container's cpu_pct and mem_bytes changed
 * each time, generated_at 2 s on. */
static void test_size_300(void **state)
{
	cJSON *lab = parse_fixture("kitestacks-lab.json");
	char *d[300], *path = tmp_path("size.rec"), *data;
	size_t raw = 0, size;

	(void)state;
	for (int i = 0; i < 300; i++) {
		cJSON *doc = cJSON_Duplicate(lab, true);
		char *text;

		vary_figures(doc, T0 + 2000 * (int64_t)i, false);
		text = cJSON_Print(doc);
		d[i] = canonical(text);
		raw += strlen(d[i]);
		free(text);
		cJSON_Delete(doc);
	}
	record(path, d, NULL, 300, "");
	data = read_all(path, &size);
	print_message("300 frames of the lab: %zu bytes of documents, %zu bytes recorded\n", raw, size);
	assert_true(size < 512 * 1024);
	free(data);
	for (int i = 0; i < 300; i++)
		free(d[i]);
	cJSON_Delete(lab);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_frame_round_trip),
		cmocka_unit_test(test_any_text),
		cmocka_unit_test(test_readable_after_each_frame),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt_bytes),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_document_bomb),
		cmocka_unit_test(test_not_a_recording),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_strip_secrets),
		cmocka_unit_test(test_config_after_strip),
		cmocka_unit_test(test_size_300),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
