/* Tests of backends/hostproc: the answer of the one command that reads a
 * remote host's /proc over SSH, parsed into the texts of localhost's
 * parsers, and two answers a known interval apart turned into the same
 * rates as the local sampler gives for the same recorded files
 * (tests/fixtures/proc/debian12-t0, -t1); the command itself run by this
 * machine's /bin/sh, once and twice in one command; answers cut short, a shell that is not POSIX, files
 * the host could not read, and a statfs line that is not one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include <cmocka.h>

#include "backends/hostproc.h"
#include "backends/localhost.h"
#include "backends/metrics.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"

static const char *const files[] = { "stat", "meminfo", "net/dev", "loadavg", "uptime" };

/* The command's answer for the recorded set `set` (net/dev from netdev_set
 * when not NULL), as the host prints it; skip (a file name) is replaced by
 * the fail line; statfs is its text. */
static char *answer_net(const char *set, const char *netdev_set, const char *skip,
                        const char *statfs)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(files); i++) {
		const char *from = netdev_set != NULL && strcmp(files[i], "net/dev") == 0 ? netdev_set : set;
		char *name = xasprintf("%s/%s", from, files[i]), *text;

		buf_printf(&b, "@kitetop %s\n", files[i]);
		if (skip != NULL && strcmp(skip, files[i]) == 0) {
			buf_puts(&b, "@kitetop-fail\n");
		} else {
			text = fixture_read("proc", name, NULL);
			buf_puts(&b, text);
			free(text);
		}
		free(name);
	}
	buf_printf(&b, "@kitetop statfs\n%s@kitetop end\n", statfs);
	return buf_steal(&b);
}

static char *answer(const char *set, const char *skip, const char *statfs)
{
	return answer_net(set, NULL, skip, statfs);
}

static void assert_contains(const char *s, const char *want)
{
	if (s == NULL || strstr(s, want) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", s != NULL ? s : "(null)", want);
}

#define assert_near(a, b) assert_true(((a) - (b)) < 1e-9 && ((b) - (a)) < 1e-9)

/* Parses text into *hp and samples it at mono_ms into *m. */
static void sample(struct localhost *lh, const char *text, int64_t mono_ms, struct metrics *m)
{
	struct hostproc hp;
	struct localhost_texts t;
	char *cause = NULL;

	hostproc_init(&hp);
	if (hostproc_parse(text, strlen(text), &hp, &cause) != 0)
		fail_msg("parse: %s", cause);
	hostproc_texts(&hp, &t);
	localhost_sample_texts(lh, &t, mono_ms, m);
	hostproc_done(&hp);
}

static void test_two_answers_give_rates(void **state)
{
	char *t0 = answer("debian12-t0", NULL, "1000 900 800\n");
	char *t1 = answer("debian12-t1", NULL, "1000 700 600\n");
	struct localhost *lh = localhost_new("/nonexistent", "/");
	struct metrics m;

	(void)state;
	metrics_init(&m);
	sample(lh, t0, 5000, &m);
	assert_int_equal(m.origin, METRICS_FROM_SSH);
	assert_false(m.valid[METRICS_CPU]);
	assert_contains(m.error[METRICS_CPU], "collecting");
	assert_false(m.valid[METRICS_NET]);
	assert_true(m.valid[METRICS_MEM]);
	assert_near(m.mem_pct, (24683620.0 - 24211816.0) / 24683620.0 * 100.0);
	assert_true(m.valid[METRICS_DISK]);
	assert_near(m.disk_pct, 100.0 / 900.0 * 100.0);   /* df: used / (used + avail) */
	assert_near(m.load1, 1.02);
	sample(lh, t1, 6060, &m);
	for (int f = 0; f < METRICS_NFIGURES; f++)
		assert_true(m.valid[f]);
	/* the same figures as the local sampler's for these files */
	assert_near(m.cpu_pct, 147.0 / 211.0 * 100.0);
	assert_near(m.net_rx_bps, 0.0);
	assert_near(m.net_tx_bps, 0.0);
	assert_near(m.uptime_s, 11367.54);
	assert_near(m.disk_pct, 300.0 / 900.0 * 100.0);
	metrics_done(&m);
	localhost_free(lh);
	free(t0);
	free(t1);
}

static void test_net_rate_between_answers(void **state)
{
	/* "traffic": t1's net/dev with eth0 +2000000 rx, +500000 tx bytes */
	char *t1 = answer("debian12-t1", NULL, "10 5 5\n");
	char *t2 = answer_net("debian12-t1", "traffic", NULL, "10 5 5\n");
	struct localhost *lh = localhost_new("/nonexistent", "/");
	struct metrics m;

	(void)state;
	metrics_init(&m);
	sample(lh, t1, 6060, &m);
	sample(lh, t2, 8060, &m);
	assert_true(m.valid[METRICS_NET]);
	assert_near(m.net_rx_bps, 1000000.0);
	assert_near(m.net_tx_bps, 250000.0);
	metrics_done(&m);
	localhost_free(lh);
	free(t1);
	free(t2);
}

static void test_file_the_host_could_not_read(void **state)
{
	static const enum metrics_figure figure[] = {
		METRICS_CPU, METRICS_MEM, METRICS_NET, METRICS_LOAD, METRICS_UPTIME,
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(files); i++) {
		char *t = answer("debian12-t0", files[i], "1 1 1\n");
		char *want = xasprintf("cannot read /proc/%s on the host", files[i]);
		struct localhost *lh = localhost_new("/nonexistent", "/");
		struct metrics m;

		metrics_init(&m);
		sample(lh, t, 1000, &m);
		assert_false(m.valid[figure[i]]);
		assert_contains(m.error[figure[i]], want);
		assert_true(m.valid[METRICS_DISK]);
		if (figure[i] != METRICS_MEM)
			assert_true(m.valid[METRICS_MEM]);
		metrics_done(&m);
		localhost_free(lh);
		free(want);
		free(t);
	}
}

static void test_statfs_failed_or_garbled(void **state)
{
	static const struct { const char *statfs, *want; } cases[] = {
		{ "@kitetop-fail\n", "stat -f / failed on the host" },
		{ "", "stat -f /: unreadable answer" },
		{ "1000 900\n", "stat -f /: unreadable answer" },
		{ "1000 900 x\n", "stat -f /: unreadable answer" },
		{ "99999999999999999999999 1 1\n", "stat -f /: unreadable answer" },
		{ "10 20 5\n", "more free blocks than blocks" },
		{ "0 0 0\n", "no blocks" },
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		char *t = answer("debian12-t0", NULL, cases[i].statfs);
		struct localhost *lh = localhost_new("/nonexistent", "/");
		struct metrics m;

		metrics_init(&m);
		sample(lh, t, 1000, &m);
		assert_false(m.valid[METRICS_DISK]);
		assert_contains(m.error[METRICS_DISK], cases[i].want);
		assert_true(m.valid[METRICS_MEM]);
		metrics_done(&m);
		localhost_free(lh);
		free(t);
	}
}

static void test_answer_not_the_commands(void **state)
{
	static const struct { const char *out, *want; } cases[] = {
		{ "", "no end marker in the answer" },
		{ "fish: Unsupported use of 'do'.\n", "POSIX-like?): fish: Unsupported use of 'do'." },
		/* cut short in the middle of a file */
		{ "@kitetop stat\ncpu  1 2 3 4\n@kitetop meminfo\nMemTo", "no end marker" },
		{ "@kitetop endless\n", "no end marker" },
		{ "x@kitetop end\n", "no end marker" },
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		struct hostproc hp;
		char *cause = NULL;

		hostproc_init(&hp);
		assert_int_equal(hostproc_parse(cases[i].out, strlen(cases[i].out), &hp, &cause), -1);
		assert_contains(cause, cases[i].want);
		for (int f = 0; f < LOCALHOST_NFILES; f++)
			assert_null(hp.file[f]);
		free(cause);
		hostproc_done(&hp);
	}
}

static void test_odd_but_whole_answers(void **state)
{
	/* CRLF after a marker, an unknown section, a section twice (the first
	 * counts), a NUL byte inside a file, nothing after the end marker */
	static const char out[] = "motd line before\n@kitetop stat\r\ncpu  1 2 3 4\n"
	                          "@kitetop other\nwhatever\n@kitetop stat\ncpu  9 9 9 9\n"
	                          "@kitetop loadavg\n0.5\0 junk\n@kitetop statfs\n 8 4 2 \n@kitetop end";
	struct hostproc hp;
	struct localhost_cpu cpu;
	char *cause = NULL;

	(void)state;
	hostproc_init(&hp);
	assert_int_equal(hostproc_parse(out, sizeof out - 1, &hp, &cause), 0);
	assert_null(cause);
	assert_non_null(hp.file[LOCALHOST_STAT]);
	assert_int_equal(localhost_parse_stat(hp.file[LOCALHOST_STAT], &cpu, NULL), 0);
	assert_int_equal(cpu.user, 1);
	assert_string_equal(hp.file[LOCALHOST_LOADAVG], "0.5");
	assert_null(hp.file[LOCALHOST_MEMINFO]);
	assert_true(hp.have_disk);
	assert_int_equal(hp.blocks, 8);
	assert_int_equal(hp.bfree, 4);
	assert_int_equal(hp.bavail, 2);
	/* parsing again replaces what it held */
	assert_int_equal(hostproc_parse("@kitetop end\n", 13, &hp, &cause), 0);
	assert_null(hp.file[LOCALHOST_STAT]);
	assert_false(hp.have_disk);
	hostproc_done(&hp);
}

/* The command as a host's shell runs it: this machine's /bin/sh, /proc and
 * coreutils' stat; its answer parses whole and its disk figure is statvfs'. */
static void test_command_on_this_machine(void **state)
{
	FILE *p = popen(HOSTPROC_COMMAND, "r");
	struct buf out;
	struct hostproc hp;
	struct localhost_texts t;
	struct localhost *lh = localhost_new("/nonexistent", "/");
	struct metrics m;
	struct statvfs st;
	char tmp[4096], *cause = NULL;
	size_t n;
	double want;

	(void)state;
	assert_non_null(p);
	buf_init(&out);
	while ((n = fread(tmp, 1, sizeof tmp, p)) > 0)
		buf_append(&out, tmp, n);
	assert_int_equal(pclose(p), 0);
	hostproc_init(&hp);
	if (hostproc_parse(out.data, out.len, &hp, &cause) != 0)
		fail_msg("%s", cause);
	for (int f = 0; f < LOCALHOST_NFILES; f++)
		assert_non_null(hp.file[f]);
	assert_true(hp.have_disk);
	assert_int_equal(statvfs("/", &st), 0);
	hostproc_texts(&hp, &t);
	metrics_init(&m);
	localhost_sample_texts(lh, &t, 1000, &m);
	assert_true(m.valid[METRICS_MEM]);
	assert_true(m.valid[METRICS_LOAD]);
	assert_true(m.valid[METRICS_UPTIME]);
	assert_true(m.valid[METRICS_DISK]);
	assert_int_equal(localhost_disk_pct(st.f_blocks, st.f_bfree, st.f_bavail, &want, NULL), 0);
	assert_true(m.disk_pct > want - 1.0 && m.disk_pct < want + 1.0);
	metrics_done(&m);
	localhost_free(lh);
	hostproc_done(&hp);
	buf_done(&out);
}

/* The command twice on this machine: two whole answers, the first's
 * length found, the host's uptime between them about the sleep; sampled at
 * that gap, the second has the CPU rate.  hostproc_answer_len: through
 * CRLF, none when cut short or for a look-alike marker. */
static void test_command_twice_on_this_machine(void **state)
{
	FILE *p = popen(HOSTPROC_COMMAND_TWICE, "r");
	struct buf out;
	struct hostproc hp1, hp2;
	struct localhost_texts t;
	struct localhost *lh = localhost_new("/nonexistent", "/");
	struct metrics m;
	char tmp[4096], *cause = NULL;
	size_t n;
	double up1, up2;

	(void)state;
	assert_non_null(p);
	buf_init(&out);
	while ((n = fread(tmp, 1, sizeof tmp, p)) > 0)
		buf_append(&out, tmp, n);
	assert_int_equal(pclose(p), 0);
	n = hostproc_answer_len(out.data, out.len);
	assert_true(n > 0 && n < out.len);
	assert_int_equal(hostproc_answer_len(out.data + n, out.len - n), out.len - n);
	hostproc_init(&hp1);
	hostproc_init(&hp2);
	if (hostproc_parse(out.data, n, &hp1, &cause) != 0 ||
	    hostproc_parse(out.data + n, out.len - n, &hp2, &cause) != 0)
		fail_msg("%s", cause);
	up1 = hostproc_uptime_s(&hp1);
	up2 = hostproc_uptime_s(&hp2);
	assert_true(up1 > 0);
	/* /proc/uptime has hundredths: the sleep, give or take a tick */
	assert_true(up2 - up1 >= HOSTPROC_TWICE_GAP_MS / 1000.0 - 0.02);
	metrics_init(&m);
	hostproc_texts(&hp1, &t);
	localhost_sample_texts(lh, &t, 1000, &m);
	assert_false(m.valid[METRICS_CPU]);
	hostproc_texts(&hp2, &t);
	localhost_sample_texts(lh, &t, 1000 + (int64_t)((up2 - up1) * 1000.0), &m);
	assert_true(m.valid[METRICS_CPU]);
	metrics_done(&m);
	assert_int_equal(hostproc_answer_len(out.data, n - 2), 0);
	assert_int_equal(hostproc_answer_len("x\r\n@kitetop end\r\nmore", 21), 17);
	assert_int_equal(hostproc_answer_len("@kitetop ends\n@kitetop-end\n", 27), 0);
	{
		struct hostproc none;

		hostproc_init(&none);
		assert_true(hostproc_uptime_s(&none) < 0);
	}
	localhost_free(lh);
	hostproc_done(&hp1);
	hostproc_done(&hp2);
	buf_done(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_answers_give_rates),
		cmocka_unit_test(test_net_rate_between_answers),
		cmocka_unit_test(test_file_the_host_could_not_read),
		cmocka_unit_test(test_statfs_failed_or_garbled),
		cmocka_unit_test(test_answer_not_the_commands),
		cmocka_unit_test(test_odd_but_whole_answers),
		cmocka_unit_test(test_command_on_this_machine),
		cmocka_unit_test(test_command_twice_on_this_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
