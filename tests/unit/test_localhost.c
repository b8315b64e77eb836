/* Tests of backends/localhost: the /proc parsers on recorded and hand-made
 * files (tests/fixtures/proc/, see its README), the sampler on those files laid
 * out in a temporary directory, and the sampler on this machine's /proc. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "backends/localhost.h"
#include "backends/metrics.h"
#include "core/timeutil.h"
#include "core/util.h"

#define FIXTURES "tests/fixtures/proc"

static const char *const proc_files[] = { "stat", "meminfo", "net/dev", "loadavg", "uptime" };

/* The text of tests/fixtures/proc/<set>/<file>; the caller frees it. */
static char *fixture(const char *set, const char *file)
{
	char *path = xasprintf("%s/%s/%s", FIXTURES, set, file), *text = NULL, *cause = NULL;

	if (util_read_file(path, 1u << 20, &text, NULL, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
	return text;
}

/* r is -1 and *cause says want; frees *cause and sets it to NULL. */
static void assert_error(int r, char **cause, const char *want)
{
	assert_int_equal(r, -1);
	assert_non_null(*cause);
	if (strstr(*cause, want) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", *cause, want);
	free(*cause);
	*cause = NULL;
}

#define assert_near(a, b) assert_true(fabs_((a) - (b)) < 1e-9)

static double fabs_(double x)
{
	return x < 0 ? -x : x;
}

/* ---- /proc/stat ---- */

static void test_stat_recorded(void **state)
{
	char *text = fixture("debian12-t0", "stat"), *cause = NULL;
	struct localhost_cpu c;

	assert_int_equal(localhost_parse_stat(text, &c, &cause), 0);
	assert_null(cause);
	assert_true(c.user == 10010 && c.nice == 0 && c.system == 11404 && c.idle == 2247779);
	assert_true(c.iowait == 1076 && c.irq == 0 && c.softirq == 372 && c.steal == 0);
	free(text);
}

static void test_stat_old_kernels(void **state)
{
	char *text = fixture("old-kernel", "stat"), *cause = NULL;
	struct localhost_cpu c;

	assert_int_equal(localhost_parse_stat(text, &c, &cause), 0);
	assert_true(c.user == 1000 && c.nice == 20 && c.softirq == 6 && c.steal == 7);
	free(text);
	/* Linux 2.4: four fields; the others are 0. */
	assert_int_equal(localhost_parse_stat("cpu  1 2 3 4\n", &c, &cause), 0);
	assert_true(c.user == 1 && c.nice == 2 && c.system == 3 && c.idle == 4);
	assert_true(c.iowait == 0 && c.irq == 0 && c.softirq == 0 && c.steal == 0);
	/* Fields beyond guest_nice (a future kernel) are ignored. */
	assert_int_equal(localhost_parse_stat("cpu 1 2 3 4 5 6 7 8 9 10 11 12\n", &c, &cause), 0);
	assert_true(c.steal == 8);
}

static void test_stat_layout(void **state)
{
	struct localhost_cpu c;
	char *cause = NULL;

	/* Not the first line, tabs, extra blanks, no final newline. */
	assert_int_equal(localhost_parse_stat("intr 5 6\n\ncpu\t 1   2 3\t4 5 6 7 8 9 10   ",
	    &c, &cause), 0);
	assert_true(c.user == 1 && c.idle == 4 && c.steal == 8);
	/* The largest 64-bit counter. */
	assert_int_equal(localhost_parse_stat("cpu 18446744073709551615 0 0 0", &c, &cause), 0);
	assert_true(c.user == 18446744073709551615ULL);
	assert_null(cause);
}

static void test_stat_bad(void **state)
{
	struct localhost_cpu c;
	char *cause = NULL, *text;

	assert_error(localhost_parse_stat("", &c, &cause), &cause, "/proc/stat: no cpu line");
	assert_error(localhost_parse_stat("cpu0 1 2 3 4\ncpu1 1 2 3 4\n", &c, &cause), &cause,
	    "no cpu line");
	assert_error(localhost_parse_stat(" cpu 1 2 3 4\nxcpu 1 2 3 4\ncpux 1 2 3 4", &c, &cause),
	    &cause, "no cpu line");
	assert_error(localhost_parse_stat("cpu", &c, &cause), &cause, "no cpu line");
	assert_error(localhost_parse_stat("cpu \n1 2 3 4\n", &c, &cause), &cause,
	    "has 0 fields, needs at least 4");
	text = fixture("truncated", "stat");
	assert_error(localhost_parse_stat(text, &c, &cause), &cause, "has 3 fields, needs at least 4");
	free(text);
	text = fixture("garbage", "stat");
	assert_error(localhost_parse_stat(text, &c, &cause), &cause, "field 2 is not a number");
	free(text);
	assert_error(localhost_parse_stat("cpu 18446744073709551616 0 0 0", &c, &cause), &cause,
	    "field 1 is too large");
	assert_error(localhost_parse_stat("cpu 1 2 3 99999999999999999999999999999999", &c, &cause),
	    &cause, "field 4 is too large");
	assert_error(localhost_parse_stat("cpu -1 2 3 4", &c, &cause), &cause,
	    "field 1 is not a number");
	assert_error(localhost_parse_stat("cpu 1 2 3 4x 5", &c, &cause), &cause,
	    "field 4 is not a number");
	assert_error(localhost_parse_stat("cpu 1 2 3 4.5", &c, &cause), &cause,
	    "field 4 is not a number");
}

static void test_cpu_busy_pct(void **state)
{
	char *t0 = fixture("debian12-t0", "stat"), *t1 = fixture("debian12-t1", "stat");
	struct localhost_cpu a, b;
	char *cause = NULL;
	double pct = -1;

	assert_int_equal(localhost_parse_stat(t0, &a, &cause), 0);
	assert_int_equal(localhost_parse_stat(t1, &b, &cause), 0);
	/* user +59, system +79, softirq +9 busy; idle +64: 147 / 211. */
	assert_int_equal(localhost_cpu_busy_pct(&a, &b, &pct, &cause), 0);
	assert_near(pct, 147.0 / 211.0 * 100.0);
	free(t0);
	free(t1);

	/* Steal is busy, iowait is idle. */
	a = (struct localhost_cpu){ 0 };
	b = (struct localhost_cpu){ .steal = 30, .idle = 50, .iowait = 20 };
	assert_int_equal(localhost_cpu_busy_pct(&a, &b, &pct, &cause), 0);
	assert_near(pct, 30.0);
	b = (struct localhost_cpu){ .user = 1, .nice = 1, .system = 1, .irq = 1, .softirq = 1 };
	assert_int_equal(localhost_cpu_busy_pct(&a, &b, &pct, &cause), 0);
	assert_near(pct, 100.0);
	/* iowait going backwards (NO_HZ kernels) counts as 0, not as a huge number. */
	a = (struct localhost_cpu){ .user = 100, .idle = 100, .iowait = 100 };
	b = (struct localhost_cpu){ .user = 110, .idle = 110, .iowait = 50 };
	assert_int_equal(localhost_cpu_busy_pct(&a, &b, &pct, &cause), 0);
	assert_near(pct, 50.0);
	/* Counters at the top of their range do not overflow the sum. */
	a = (struct localhost_cpu){ 0 };
	b = (struct localhost_cpu){ ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL };
	assert_int_equal(localhost_cpu_busy_pct(&a, &b, &pct, &cause), 0);
	assert_near(pct, 75.0);
	assert_null(cause);
	/* No tick, or everything backwards: no figure. */
	assert_error(localhost_cpu_busy_pct(&b, &b, &pct, &cause), &cause, "no CPU time passed");
	assert_error(localhost_cpu_busy_pct(&b, &a, &pct, &cause), &cause, "no CPU time passed");
}

/* ---- /proc/meminfo ---- */

static void test_meminfo_recorded(void **state)
{
	char *text = fixture("debian12-t0", "meminfo"), *cause = NULL;
	double pct = -1;

	assert_int_equal(localhost_parse_meminfo(text, &pct, &cause), 0);
	assert_near(pct, (24683620.0 - 24211816.0) / 24683620.0 * 100.0);
	free(text);
}

static void test_meminfo_without_memavailable(void **state)
{
	char *text = fixture("old-kernel", "meminfo"), *cause = NULL;
	double pct = -1;

	assert_int_equal(localhost_parse_meminfo(text, &pct, &cause), 0);
	assert_near(pct, (8060528.0 - (1234567.0 + 234567.0 + 3456789.0)) / 8060528.0 * 100.0);
	free(text);
	/* No unit, no final newline, blanks around. */
	assert_int_equal(localhost_parse_meminfo("MemTotal:\t100 \nMemAvailable:  25", &pct,
	    &cause), 0);
	assert_near(pct, 75.0);
	assert_null(cause);
}

static void test_meminfo_bad(void **state)
{
	char *cause = NULL, *text;
	double pct;

	assert_error(localhost_parse_meminfo("", &pct, &cause), &cause,
	    "/proc/meminfo: MemTotal missing");
	assert_error(localhost_parse_meminfo("MemFree: 1 kB\nMemAvailable: 2 kB\n", &pct, &cause),
	    &cause, "MemTotal missing");
	assert_error(localhost_parse_meminfo("MemTotal: 0 kB\nMemAvailable: 0 kB\n", &pct, &cause),
	    &cause, "MemTotal is 0");
	text = fixture("truncated", "meminfo");
	assert_error(localhost_parse_meminfo(text, &pct, &cause), &cause,
	    "MemAvailable missing, and MemFree too");
	free(text);
	text = fixture("garbage", "meminfo");
	assert_error(localhost_parse_meminfo(text, &pct, &cause), &cause,
	    "MemTotal is not a number");
	free(text);
	assert_error(localhost_parse_meminfo("MemTotal: 10 kB\nMemAvailable: 11 kB\n", &pct,
	    &cause), &cause, "MemAvailable is more than MemTotal");
	assert_error(localhost_parse_meminfo("MemTotal: 10 kB\nMemFree: 18446744073709551615 kB\n"
	    "Buffers: 18446744073709551615 kB\nCached: 1 kB\n", &pct, &cause), &cause,
	    "MemFree + Buffers + Cached is more than MemTotal");
	assert_error(localhost_parse_meminfo("MemTotal: 99999999999999999999 kB\n", &pct, &cause),
	    &cause, "MemTotal is too large");
	assert_error(localhost_parse_meminfo("MemTotal: 100 MB\nMemAvailable: 1\n", &pct, &cause),
	    &cause, "MemTotal is not a number");
	assert_error(localhost_parse_meminfo("MemTotal: 100\nMemAvailable: -1\n", &pct, &cause),
	    &cause, "MemAvailable is not a number");
}

/* ---- /proc/net/dev ---- */

static void test_netdev_recorded(void **state)
{
	char *text = fixture("debian12-t1", "net/dev"), *cause = NULL;
	struct localhost_netif *ifs;
	unsigned long long rx = 1, tx = 1;
	size_t n;

	assert_int_equal(localhost_parse_netdev_ifaces(text, &ifs, &n, &cause), 0);
	assert_int_equal(n, 4);
	assert_string_equal(ifs[0].name, "lo");
	assert_true(ifs[0].rx_bytes == 2124561376ULL && ifs[0].tx_bytes == 2124561376ULL);
	assert_string_equal(ifs[3].name, "eth0");
	assert_true(ifs[3].rx_bytes == 142030062ULL && ifs[3].tx_bytes == 159004ULL);
	free(ifs);
	/* The sum leaves out lo (2 GB of loopback traffic in this recording). */
	assert_int_equal(localhost_parse_netdev(text, &rx, &tx, &cause), 0);
	assert_true(rx == 142030062ULL && tx == 159004ULL);
	assert_null(cause);
	free(text);
}

static void test_netdev_variants(void **state)
{
	char *text, *cause = NULL;
	struct localhost_netif *ifs;
	unsigned long long rx = 1, tx = 1;
	size_t n;

	text = fixture("lo-only", "net/dev");
	assert_int_equal(localhost_parse_netdev(text, &rx, &tx, &cause), 0);
	assert_true(rx == 0 && tx == 0);
	free(text);
	text = fixture("old-kernel", "net/dev");
	assert_int_equal(localhost_parse_netdev(text, &rx, &tx, &cause), 0);
	assert_true(rx == 4294900000ULL && tx == 987654321ULL);
	free(text);
	/* A header and nothing else: no interface, no error. */
	assert_int_equal(localhost_parse_netdev_ifaces("Inter-|\n face |\n", &ifs, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(ifs);
	/* Extra columns, tabs, no final newline. */
	assert_int_equal(localhost_parse_netdev("Inter-|\n\teth1:\t5 0 0 0 0 0 0 0 7 0 0 0 0 0 0 0 0 9",
	    &rx, &tx, &cause), 0);
	assert_true(rx == 5 && tx == 7);
	assert_null(cause);
}

static void test_netdev_bad(void **state)
{
	char *text, *cause = NULL;
	struct localhost_netif dummy, *ifs = &dummy;
	unsigned long long rx, tx;
	size_t n = 7;

	text = fixture("truncated", "net/dev");
	assert_error(localhost_parse_netdev_ifaces(text, &ifs, &n, &cause), &cause,
	    "/proc/net/dev: eth0: 1 field, needs at least 9");
	assert_null(ifs);
	assert_int_equal(n, 0);
	free(text);
	text = fixture("garbage", "net/dev");
	assert_error(localhost_parse_netdev(text, &rx, &tx, &cause), &cause,
	    "eth0: field 4 is not a number");
	free(text);
	assert_error(localhost_parse_netdev("", &rx, &tx, &cause), &cause, "no header line");
	assert_error(localhost_parse_netdev("eth0: 1 2 3 4 5 6 7 8 9\n", &rx, &tx, &cause), &cause,
	    "no header line");
	assert_error(localhost_parse_netdev("Inter-|\nhello world\n", &rx, &tx, &cause), &cause,
	    "line 2 is not an interface");
	assert_error(localhost_parse_netdev("Inter-|\n : 1 2 3 4 5 6 7 8 9\n", &rx, &tx, &cause),
	    &cause, "line 2: no interface name");
	assert_error(localhost_parse_netdev("Inter-|\nabcdefghijklmnop: 1 2 3 4 5 6 7 8 9\n", &rx,
	    &tx, &cause), &cause, "line 2: interface name too long");
	assert_error(localhost_parse_netdev("Inter-|\na b: 1 2 3 4 5 6 7 8 9\n", &rx, &tx, &cause),
	    &cause, "line 2: bad interface name");
	assert_error(localhost_parse_netdev("Inter-|\neth0: 1 2 3 4 5 6 7 8 99999999999999999999\n",
	    &rx, &tx, &cause), &cause, "eth0: field 9 is too large");
	assert_error(localhost_parse_netdev("Inter-|\n"
	    "a: 10000000000000000000 0 0 0 0 0 0 0 0\n"
	    "b: 10000000000000000000 0 0 0 0 0 0 0 0\n", &rx, &tx, &cause), &cause,
	    "too large to add up");
}

/* Parses tests/fixtures/proc/<set>/net/dev; the caller frees *ifs. */
static size_t fixture_ifaces(const char *set, struct localhost_netif **ifs)
{
	char *text = fixture(set, "net/dev"), *cause = NULL;
	size_t n;

	if (localhost_parse_netdev_ifaces(text, ifs, &n, &cause) != 0)
		fail_msg("%s: %s", set, cause);
	free(text);
	return n;
}

static void test_net_rate(void **state)
{
	struct localhost_netif *t0, *t1, *traffic, *wrapped, *lo;
	size_t n0 = fixture_ifaces("debian12-t0", &t0), n1 = fixture_ifaces("debian12-t1", &t1);
	size_t ntr = fixture_ifaces("traffic", &traffic), nw = fixture_ifaces("wrapped", &wrapped);
	size_t nlo = fixture_ifaces("lo-only", &lo);
	double rx = -1, tx = -1;
	char *cause = NULL;

	/* Loopback moved by 2 GB, eth0 not at all: 0 B/s. */
	assert_int_equal(localhost_net_rate(t0, n0, t1, n1, 1000, &rx, &tx, &cause), 0);
	assert_near(rx, 0.0);
	assert_near(tx, 0.0);
	assert_int_equal(localhost_net_rate(t0, n0, traffic, ntr, 1000, &rx, &tx, &cause), 0);
	assert_near(rx, 2000000.0);
	assert_near(tx, 500000.0);
	assert_int_equal(localhost_net_rate(t0, n0, traffic, ntr, 2500, &rx, &tx, &cause), 0);
	assert_near(rx, 800000.0);
	assert_near(tx, 200000.0);
	/* eth0 was not in the previous reading: no baseline, it adds nothing. */
	assert_int_equal(localhost_net_rate(lo, nlo, traffic, ntr, 1000, &rx, &tx, &cause), 0);
	assert_near(rx, 0.0);
	/* eth0 vanished: forgotten. */
	assert_int_equal(localhost_net_rate(traffic, ntr, lo, nlo, 1000, &rx, &tx, &cause), 0);
	assert_near(tx, 0.0);
	assert_null(cause);
	/* A counter went backwards: no rate rather than a huge one. */
	rx = tx = -1;
	assert_error(localhost_net_rate(t0, n0, wrapped, nw, 1000, &rx, &tx, &cause), &cause,
	    "eth0: byte counter went backwards");
	assert_true(rx == -1 && tx == -1);
	assert_error(localhost_net_rate(t0, n0, t1, n1, 0, &rx, &tx, &cause), &cause,
	    "no time passed");
	free(t0);
	free(t1);
	free(traffic);
	free(wrapped);
	free(lo);
}

/* ---- /proc/loadavg, /proc/uptime ---- */

static void test_loadavg(void **state)
{
	char *text, *cause = NULL;
	double v = -1;

	text = fixture("debian12-t0", "loadavg");
	assert_int_equal(localhost_parse_loadavg(text, &v, &cause), 0);
	assert_near(v, 1.02);
	free(text);
	text = fixture("truncated", "loadavg");
	assert_int_equal(localhost_parse_loadavg(text, &v, &cause), 0);
	assert_near(v, 0.9);
	free(text);
	assert_int_equal(localhost_parse_loadavg("  \t12 3 4", &v, &cause), 0);
	assert_near(v, 12.0);
	assert_int_equal(localhost_parse_loadavg("0.12345678901234567890123\n", &v, &cause), 0);
	assert_near(v, 0.12345678901234567);
	assert_null(cause);

	text = fixture("garbage", "loadavg");
	assert_error(localhost_parse_loadavg(text, &v, &cause), &cause,
	    "/proc/loadavg: load1 is not a number");
	free(text);
	assert_error(localhost_parse_loadavg("", &v, &cause), &cause, "/proc/loadavg: empty");
	assert_error(localhost_parse_loadavg(" \n1.0", &v, &cause), &cause, "empty");
	static const char *const bad[] = { "-1.0 2 3", "1e5", "1,5 2", "1.", ".5", "inf", "0x10",
	    "1.2.3", "+1" };
	for (size_t i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		assert_error(localhost_parse_loadavg(bad[i], &v, &cause), &cause, "is not a number");
	}
	assert_error(localhost_parse_loadavg("123456789012345678901234.5", &v, &cause), &cause,
	    "load1 is too large");
}

static void test_uptime(void **state)
{
	char *text, *cause = NULL;
	double v = -1;

	text = fixture("debian12-t1", "uptime");
	assert_int_equal(localhost_parse_uptime(text, &v, &cause), 0);
	assert_near(v, 11367.54);
	free(text);
	assert_int_equal(localhost_parse_uptime("350735", &v, &cause), 0);
	assert_near(v, 350735.0);
	assert_null(cause);
	text = fixture("garbage", "uptime");
	assert_error(localhost_parse_uptime(text, &v, &cause), &cause,
	    "/proc/uptime: uptime is not a number");
	free(text);
	text = fixture("truncated", "uptime");
	assert_error(localhost_parse_uptime(text, &v, &cause), &cause, "/proc/uptime: empty");
	free(text);
}

static void test_disk_pct(void **state)
{
	char *cause = NULL;
	double pct = -1;

	/* df: used / (used + avail), the root-reserved blocks in neither. */
	assert_int_equal(localhost_disk_pct(1000, 300, 250, &pct, &cause), 0);
	assert_near(pct, 700.0 / 950.0 * 100.0);
	assert_int_equal(localhost_disk_pct(1000, 0, 0, &pct, &cause), 0);
	assert_near(pct, 100.0);
	assert_int_equal(localhost_disk_pct(~0ULL, 0, ~0ULL, &pct, &cause), 0);
	assert_near(pct, 50.0);
	assert_null(cause);
	assert_error(localhost_disk_pct(10, 11, 0, &pct, &cause), &cause, "more free blocks");
	assert_error(localhost_disk_pct(0, 0, 0, &pct, &cause), &cause, "no blocks");
}

/* ---- the sampler on files in a directory ---- */

struct procdir {
	char root[64];
};

static int procdir_setup(void **state)
{
	struct procdir *d = xcalloc(1, sizeof *d);
	char *net;

	util_strlcpy(d->root, "/tmp/kt-localhost-XXXXXX", sizeof d->root);
	if (mkdtemp(d->root) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	net = xasprintf("%s/net", d->root);
	if (mkdir(net, 0700) != 0)
		fail_msg("mkdir %s: %s", net, strerror(errno));
	free(net);
	*state = d;
	return 0;
}

static int procdir_teardown(void **state)
{
	struct procdir *d = *state;
	char *path;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(proc_files); i++) {
		path = xasprintf("%s/%s", d->root, proc_files[i]);
		unlink(path);
		free(path);
	}
	path = xasprintf("%s/net", d->root);
	rmdir(path);
	free(path);
	rmdir(d->root);
	free(d);
	return 0;
}

/* Copies the files the fixture set has into the directory (over what is
 * there), as a new reading of /proc would replace them. */
static void procdir_put(struct procdir *d, const char *set)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(proc_files); i++) {
		char *src = xasprintf("%s/%s/%s", FIXTURES, set, proc_files[i]);
		char *dst = xasprintf("%s/%s", d->root, proc_files[i]);
		char *text = NULL, *cause = NULL;
		size_t len;
		int fd;

		if (util_read_file(src, 1u << 20, &text, &len, &cause) == 0) {
			fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			assert_true(fd >= 0);
			assert_int_equal(util_write_all(fd, text, len), 0);
			close(fd);
		} else {
			assert_int_equal(errno, ENOENT);
		}
		free(text);
		free(cause);
		free(src);
		free(dst);
	}
}

static void procdir_remove(struct procdir *d, const char *file)
{
	char *path = xasprintf("%s/%s", d->root, file);

	assert_int_equal(unlink(path), 0);
	free(path);
}

static void assert_figure_error(const struct metrics *m, enum metrics_figure f, const char *want)
{
	if (m->valid[f])
		fail_msg("%s is valid, expected an error saying \"%s\"", metrics_figure_name(f), want);
	if (m->error[f] == NULL || strstr(m->error[f], want) == NULL)
		fail_msg("%s: error \"%s\" does not say \"%s\"", metrics_figure_name(f),
		    m->error[f] != NULL ? m->error[f] : "(none)", want);
}

static void assert_figure_valid(const struct metrics *m, enum metrics_figure f)
{
	if (!m->valid[f] || m->error[f] != NULL)
		fail_msg("%s is not valid: %s", metrics_figure_name(f),
		    m->error[f] != NULL ? m->error[f] : "(no error)");
}

static void test_sample_first_is_collecting(void **state)
{
	struct procdir *d = *state;
	struct localhost *lh;
	struct metrics m;

	procdir_put(d, "debian12-t0");
	lh = localhost_new(d->root, "/");
	metrics_init(&m);
	localhost_sample_at(lh, 5000, &m);
	assert_int_equal(m.origin, METRICS_FROM_PROC);
	assert_figure_error(&m, METRICS_CPU, "collecting");
	assert_figure_error(&m, METRICS_NET, "collecting");
	assert_figure_valid(&m, METRICS_MEM);
	assert_near(m.mem_pct, (24683620.0 - 24211816.0) / 24683620.0 * 100.0);
	assert_figure_valid(&m, METRICS_DISK);
	assert_true(m.disk_pct >= 0.0 && m.disk_pct <= 100.0);
	assert_figure_valid(&m, METRICS_LOAD);
	assert_near(m.load1, 1.02);
	assert_figure_valid(&m, METRICS_UPTIME);
	assert_near(m.uptime_s, 11366.48);
	metrics_done(&m);
	localhost_free(lh);
}

static void test_sample_recorded_pair(void **state)
{
	struct procdir *d = *state;
	struct localhost *lh = localhost_new(d->root, "/");
	struct metrics m;

	metrics_init(&m);
	procdir_put(d, "debian12-t0");
	localhost_sample_at(lh, 5000, &m);
	procdir_put(d, "debian12-t1");
	/* The same struct again: its old error strings are freed (ASan checks). */
	localhost_sample_at(lh, 6060, &m);
	for (int f = 0; f < METRICS_NFIGURES; f++)
		assert_figure_valid(&m, (enum metrics_figure)f);
	assert_near(m.cpu_pct, 147.0 / 211.0 * 100.0);
	assert_near(m.net_rx_bps, 0.0);
	assert_near(m.net_tx_bps, 0.0);
	assert_near(m.uptime_s, 11367.54);

	/* Traffic on eth0 over the next 2 s. */
	procdir_put(d, "traffic");
	localhost_sample_at(lh, 8060, &m);
	assert_figure_valid(&m, METRICS_NET);
	assert_near(m.net_rx_bps, 1000000.0);
	assert_near(m.net_tx_bps, 250000.0);
	/* Nothing moved in /proc/stat since: no CPU figure this time. */
	assert_figure_error(&m, METRICS_CPU, "no CPU time passed");
	metrics_done(&m);
	localhost_free(lh);
}

static void test_sample_counter_wrap(void **state)
{
	struct procdir *d = *state;
	struct localhost *lh = localhost_new(d->root, "/");
	struct metrics m;

	metrics_init(&m);
	procdir_put(d, "debian12-t0");
	localhost_sample_at(lh, 1000, &m);
	procdir_put(d, "debian12-t1");
	procdir_put(d, "wrapped");
	localhost_sample_at(lh, 2000, &m);
	assert_figure_error(&m, METRICS_NET, "eth0: byte counter went backwards");
	assert_near(m.net_rx_bps, 0.0);
	assert_figure_valid(&m, METRICS_CPU);
	/* The wrapped reading is the new baseline: the rate is back next time. */
	procdir_put(d, "traffic");
	localhost_sample_at(lh, 3000, &m);
	assert_figure_valid(&m, METRICS_NET);
	assert_near(m.net_rx_bps, 144030062.0 - 1000.0);
	assert_near(m.net_tx_bps, 659004.0 - 159004.0);
	metrics_done(&m);
	localhost_free(lh);
}

static void test_sample_missing_file(void **state)
{
	struct procdir *d = *state;
	static const enum metrics_figure figure[] = {
		METRICS_CPU, METRICS_MEM, METRICS_NET, METRICS_LOAD, METRICS_UPTIME,
	};

	for (size_t i = 0; i < UTIL_ARRAY_LEN(proc_files); i++) {
		struct localhost *lh = localhost_new(d->root, "/");
		struct metrics m;
		char *want = xasprintf("cannot read %s/%s: No such file or directory", d->root,
		    proc_files[i]);

		metrics_init(&m);
		procdir_put(d, "debian12-t0");
		localhost_sample_at(lh, 1000, &m);
		procdir_put(d, "debian12-t1");
		procdir_remove(d, proc_files[i]);
		localhost_sample_at(lh, 2000, &m);
		for (int f = 0; f < METRICS_NFIGURES; f++) {
			if ((enum metrics_figure)f == figure[i])
				assert_figure_error(&m, figure[i], want);
			else
				assert_figure_valid(&m, (enum metrics_figure)f);
		}
		free(want);
		/* Back again: CPU and net rates over the interval since the last
		 * good reading (t0 at 1000 ms), not from scratch. */
		procdir_put(d, "debian12-t1");
		localhost_sample_at(lh, 3000, &m);
		assert_figure_valid(&m, figure[i]);
		if (figure[i] == METRICS_CPU)
			assert_near(m.cpu_pct, 147.0 / 211.0 * 100.0);
		metrics_done(&m);
		localhost_free(lh);
	}
}

static void test_sample_bad_files(void **state)
{
	struct procdir *d = *state;
	struct localhost *lh = localhost_new(d->root, "/nonexistent/kitetop");
	struct metrics m;

	metrics_init(&m);
	procdir_put(d, "debian12-t0");
	procdir_put(d, "garbage");
	localhost_sample_at(lh, 1000, &m);
	assert_figure_error(&m, METRICS_CPU, "/proc/stat: cpu line: field 2 is not a number");
	assert_figure_error(&m, METRICS_MEM, "/proc/meminfo: MemTotal is not a number");
	assert_figure_error(&m, METRICS_NET, "/proc/net/dev: eth0: field 4 is not a number");
	assert_figure_error(&m, METRICS_LOAD, "/proc/loadavg: load1 is not a number");
	assert_figure_error(&m, METRICS_UPTIME, "/proc/uptime: uptime is not a number");
	assert_figure_error(&m, METRICS_DISK,
	    "cannot statvfs /nonexistent/kitetop: No such file or directory");

	procdir_put(d, "truncated");
	localhost_sample_at(lh, 2000, &m);
	assert_figure_error(&m, METRICS_CPU, "needs at least 4");
	assert_figure_error(&m, METRICS_MEM, "MemAvailable missing, and MemFree too");
	assert_figure_error(&m, METRICS_NET, "eth0: 1 field, needs at least 9");
	assert_figure_valid(&m, METRICS_LOAD);
	assert_near(m.load1, 0.9);
	assert_figure_error(&m, METRICS_UPTIME, "/proc/uptime: empty");
	metrics_done(&m);
	localhost_free(lh);
}

static void test_sample_old_kernel(void **state)
{
	struct procdir *d = *state;
	struct localhost *lh = localhost_new(d->root, "/");
	struct metrics m;

	metrics_init(&m);
	procdir_put(d, "old-kernel");
	localhost_sample_at(lh, 1000, &m);
	assert_figure_valid(&m, METRICS_MEM);
	assert_near(m.mem_pct, (8060528.0 - 4925923.0) / 8060528.0 * 100.0);
	assert_near(m.load1, 0.08);
	assert_near(m.uptime_s, 864000.12);
	metrics_done(&m);
	localhost_free(lh);
}

/* ---- the sampler on this machine ---- */

static void test_sample_real_proc(void **state)
{
	struct localhost *lh = localhost_new("/proc", "/");
	struct metrics m;
	struct timespec boot;

	metrics_init(&m);
	localhost_sample(lh, &m);
	assert_figure_error(&m, METRICS_CPU, "collecting");
	assert_figure_error(&m, METRICS_NET, "collecting");
	time_sleep_ms(250);
	localhost_sample(lh, &m);
	for (int f = 0; f < METRICS_NFIGURES; f++)
		assert_figure_valid(&m, (enum metrics_figure)f);
	assert_true(m.cpu_pct >= 0.0 && m.cpu_pct <= 100.0);
	assert_true(m.mem_pct > 0.0 && m.mem_pct < 100.0);
	assert_true(m.disk_pct > 0.0 && m.disk_pct <= 100.0);
	assert_true(m.net_rx_bps >= 0.0 && m.net_tx_bps >= 0.0);
	assert_true(m.load1 >= 0.0 && m.load1 < 1000.0);
	/* /proc/uptime agrees with CLOCK_BOOTTIME. */
	clock_gettime(CLOCK_BOOTTIME, &boot);
	assert_true(fabs_(m.uptime_s - (double)boot.tv_sec) < 2.0);
	metrics_done(&m);
	localhost_free(lh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_recorded),
		cmocka_unit_test(test_stat_old_kernels),
		cmocka_unit_test(test_stat_layout),
		cmocka_unit_test(test_stat_bad),
		cmocka_unit_test(test_cpu_busy_pct),
		cmocka_unit_test(test_meminfo_recorded),
		cmocka_unit_test(test_meminfo_without_memavailable),
		cmocka_unit_test(test_meminfo_bad),
		cmocka_unit_test(test_netdev_recorded),
		cmocka_unit_test(test_netdev_variants),
		cmocka_unit_test(test_netdev_bad),
		cmocka_unit_test(test_net_rate),
		cmocka_unit_test(test_loadavg),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_disk_pct),
		cmocka_unit_test_setup_teardown(test_sample_first_is_collecting, procdir_setup,
		    procdir_teardown),
		cmocka_unit_test_setup_teardown(test_sample_recorded_pair, procdir_setup,
		    procdir_teardown),
		cmocka_unit_test_setup_teardown(test_sample_counter_wrap, procdir_setup,
		    procdir_teardown),
		cmocka_unit_test_setup_teardown(test_sample_missing_file, procdir_setup,
		    procdir_teardown),
		cmocka_unit_test_setup_teardown(test_sample_bad_files, procdir_setup,
		    procdir_teardown),
		cmocka_unit_test_setup_teardown(test_sample_old_kernel, procdir_setup,
		    procdir_teardown),
		cmocka_unit_test(test_sample_real_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
