/* Tests of backends/cgroupstat: the containers' cgroup files of the four
 * layouts (tests/fixtures/cgroup/{v1,v2}-{cgroupfs,systemd}: two containers,
 * a busy one without a memory limit and an idle one with a limit and more
 * inactive file pages than usage, beside a service's cgroup) read here and
 * parsed; the remote command run by this machine's /bin/sh on the same trees
 * gives the same answer, and the command twice two such answers a second
 * apart; the layout from `docker info`; answers cut short,
 * CRLF, garbage and hostile numbers; CPU % and memory as docker stats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "backends/cgroupstat.h"
#include "core/base/buf.h"
#include "core/base/util.h"

#define DIR "tests/fixtures/cgroup"
#define ID_A "3f4e1c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"
#define ID_B "c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc"

static const struct {
	const char *tree;
	enum cgroupstat_layout layout;
	bool v1;
} layouts[] = {
	{ "v1-cgroupfs", CGROUPSTAT_V1_CGROUPFS, true },
	{ "v1-systemd", CGROUPSTAT_V1_SYSTEMD, true },
	{ "v2-cgroupfs", CGROUPSTAT_V2_CGROUPFS, false },
	{ "v2-systemd", CGROUPSTAT_V2_SYSTEMD, false },
};

static void parse_ok(const struct buf *b, struct cgroupstat *c)
{
	char *cause = NULL;

	if (cgroupstat_parse(b->data, b->len, c, &cause) != 0)
		fail_msg("%s", cause);
	assert_null(cause);
}

/* The two containers of every fixture tree, as docker stats would show them. */
static void check_tree(const struct cgroupstat *c, bool v1)
{
	const struct cgroupstat_sample *a = cgroupstat_find(c, ID_A), *b = cgroupstat_find(c, ID_B);

	assert_int_equal(c->n, 2);
	assert_true(c->uptime_s > 58000.68 && c->uptime_s < 58000.70);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->cpu_ns, 12345678000LL);
	assert_int_equal(b->cpu_ns, 500000LL);
	assert_int_equal(a->mem_usage, 8388608);
	/* v1: total_inactive_file (as docker stats), not inactive_file */
	assert_int_equal(a->mem_inactive, 3145728);
	assert_int_equal(a->inactive_total, v1);
	assert_int_equal(cgroupstat_mem_bytes(a), 8388608 - 3145728);
	assert_int_equal(cgroupstat_mem_bytes(b), 2097152);   /* inactive > usage: usage */
	assert_int_equal(a->mem_limit, -1);                   /* "max", or v1's page-rounded INT64_MAX */
	assert_int_equal(b->mem_limit, 536870912);
	assert_null(cgroupstat_find(c, "0000000000000000000000000000000000000000000000000000000000000000"));
}

static void test_each_layout_read_here_and_parsed(void **state)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(layouts); i++) {
		struct cgroupstat c;
		struct buf b;

		buf_init(&b);
		cgroupstat_init(&c);
		cgroupstat_read_local(layouts[i].layout, DIR "/" "x", DIR "/uptime", &b);
		parse_ok(&b, &c);
		assert_int_equal(c.n, 0);   /* no such tree: none, but a whole answer */
		buf_reset(&b);
		{
			char *root = xasprintf(DIR "/%s", layouts[i].tree);

			cgroupstat_read_local(layouts[i].layout, root, DIR "/uptime", &b);
			parse_ok(&b, &c);
			check_tree(&c, layouts[i].v1);
			/* a layout not known: every layout's files are looked for */
			buf_reset(&b);
			cgroupstat_read_local(CGROUPSTAT_ANY, root, DIR "/uptime", &b);
			parse_ok(&b, &c);
			check_tree(&c, layouts[i].v1);
			free(root);
		}
		cgroupstat_done(&c);
		buf_done(&b);
	}
}

/* The remote command, run by /bin/sh on a fixture tree (its cd and
 * /proc/uptime pointed there), answers what the local reader does. */

/* a and b hold the same samples */
static void assert_same_samples(const struct cgroupstat *a, const struct cgroupstat *b)
{
	assert_int_equal(a->n, b->n);
	assert_true(a->uptime_s == b->uptime_s);
	for (size_t i = 0; i < a->n; i++) {
		assert_string_equal(a->s[i].id, b->s[i].id);
		assert_int_equal(a->s[i].cpu_ns, b->s[i].cpu_ns);
		assert_int_equal(a->s[i].mem_usage, b->s[i].mem_usage);
		assert_int_equal(a->s[i].mem_inactive, b->s[i].mem_inactive);
		assert_int_equal(a->s[i].mem_limit, b->s[i].mem_limit);
		assert_int_equal(a->s[i].inactive_total, b->s[i].inactive_total);
	}
}

/* cmd run by this machine's /bin/sh with /sys/fs/cgroup and /proc/uptime
 * in it pointed at root and up, and PATH (NULL: as it is); its output
 * appended to *out */
static void run_here_path(const char *cmd, const char *root, const char *up, const char *path,
                          struct buf *out)
{
	struct buf script;
	char tmp[4096];
	FILE *p;
	size_t n;
	const char *at;

	buf_init(&script);
	if (path != NULL)
		buf_printf(&script, "PATH=%s; ", path);
	for (at = cmd; *at != '\0';) {
		if (strncmp(at, "/sys/fs/cgroup", 14) == 0) {
			buf_puts(&script, root);
			at += 14;
		} else if (strncmp(at, "/proc/uptime", 12) == 0) {
			buf_puts(&script, up);
			at += 12;
		} else {
			buf_putc(&script, *at++);
		}
	}
	assert_true(strstr(cmd, "cd /sys/fs/cgroup") != NULL);
	setenv("KT_CG", buf_cstr(&script), 1);
	p = popen("/bin/sh -c 'eval \"$KT_CG\"'", "r");
	assert_non_null(p);
	while ((n = fread(tmp, 1, sizeof tmp, p)) > 0)
		buf_append(out, tmp, n);
	assert_int_equal(pclose(p), 0);
	buf_done(&script);
}

static void run_here(const char *cmd, const char *root, const char *up, struct buf *out)
{
	run_here_path(cmd, root, up, NULL, out);
}

/* A folder of links to this machine's tools: grep, cat and sleep, and awk
 * to awk_path (NULL: none).  Caller frees. */
static char *tools_dir(const char *awk_path)
{
	char *dir = xstrdup("/tmp/kt-cgtools-XXXXXX");
	static const char *const tools[] = { "grep", "cat", "sleep" };

	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < UTIL_ARRAY_LEN(tools); i++) {
		char *cmd = xasprintf("ln -s \"$(command -v %s)\" %s/%s", tools[i], dir, tools[i]);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	if (awk_path != NULL) {
		char *cmd = xasprintf("ln -s %s %s/awk", awk_path, dir);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	return dir;
}

static void tools_dir_done(char *dir)
{
	char *cmd = xasprintf("rm -rf %s", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

/* The command's answer with this machine's awk (a line a container), with
 * BusyBox's awk when there is one, and without awk (grep's lines): each the
 * same samples as the local reader's; the compact one a fraction of grep's
 * bytes. */
static void test_shell_command_answers_as_the_local_reader(void **state)
{
	char cwd[4096];
	char *no_awk = tools_dir(NULL);
	char *bb_awk = access("/usr/bin/busybox", X_OK) == 0 ? tools_dir("/usr/bin/busybox") : NULL;

	if (bb_awk == NULL)
		print_message("(no /usr/bin/busybox: its awk not tried)\n");
	assert_non_null(getcwd(cwd, sizeof cwd));
	for (size_t i = 0; i < UTIL_ARRAY_LEN(layouts); i++) {
		char *root = xasprintf("%s/" DIR "/%s", cwd, layouts[i].tree);
		char *up = xasprintf("%s/" DIR "/uptime", cwd);
		struct buf sh, grep, bb, local;
		struct cgroupstat c_sh, c_grep, c_bb, c_local;

		buf_init(&sh);
		buf_init(&grep);
		buf_init(&bb);
		buf_init(&local);
		cgroupstat_init(&c_sh);
		cgroupstat_init(&c_grep);
		cgroupstat_init(&c_bb);
		cgroupstat_init(&c_local);
		run_here(cgroupstat_command(layouts[i].layout), root, up, &sh);
		run_here_path(cgroupstat_command(layouts[i].layout), root, up, no_awk, &grep);
		cgroupstat_read_local(layouts[i].layout, root, up, &local);
		parse_ok(&sh, &c_sh);
		parse_ok(&grep, &c_grep);
		parse_ok(&local, &c_local);
		check_tree(&c_sh, layouts[i].v1);
		assert_same_samples(&c_sh, &c_grep);
		assert_same_samples(&c_sh, &c_local);
		/* "ID c12345678000 m8388608 t3145728 i1048576 lmax": a line a container */
		assert_non_null(strstr(buf_cstr(&sh), "\n" ID_A " "));
		assert_non_null(strstr(buf_cstr(&grep), ID_A));   /* in grep's paths */
		assert_null(strstr(buf_cstr(&grep), "\n" ID_A " "));
		assert_true(sh.len * 2 < grep.len);
		if (bb_awk != NULL) {
			run_here_path(cgroupstat_command(layouts[i].layout), root, up, bb_awk, &bb);
			parse_ok(&bb, &c_bb);
			assert_same_samples(&c_sh, &c_bb);
			assert_string_equal(buf_cstr(&bb), buf_cstr(&sh));
		}
		cgroupstat_done(&c_sh);
		cgroupstat_done(&c_grep);
		cgroupstat_done(&c_bb);
		cgroupstat_done(&c_local);
		buf_done(&sh);
		buf_done(&grep);
		buf_done(&bb);
		buf_done(&local);
		free(root);
		free(up);
	}
	tools_dir_done(no_awk);
	if (bb_awk != NULL)
		tools_dir_done(bb_awk);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The command twice: two whole answers in one, a second apart on the host
 * (the shell's sleep), each as the single command's; the first answer's
 * length found through CRLF, and none without an end marker. */
static void test_twice_is_two_answers_a_second_apart(void **state)
{
	char cwd[4096];
	char *root, *up;
	struct buf sh, one;
	struct cgroupstat c;
	int64_t t0;
	size_t n;

	assert_non_null(getcwd(cwd, sizeof cwd));
	root = xasprintf("%s/" DIR "/v2-systemd", cwd);
	up = xasprintf("%s/" DIR "/uptime", cwd);
	buf_init(&sh);
	buf_init(&one);
	cgroupstat_init(&c);
	t0 = mono_ms();
	run_here(cgroupstat_command_twice(CGROUPSTAT_ANY), root, up, &sh);
	assert_true(mono_ms() - t0 >= CGROUPSTAT_TWICE_GAP_MS - 50);
	assert_true(strstr(cgroupstat_command_twice(CGROUPSTAT_V1_CGROUPFS), "; sleep 1; ") != NULL);
	run_here(cgroupstat_command(CGROUPSTAT_ANY), root, up, &one);
	n = cgroupstat_answer_len(sh.data, sh.len);
	/* the first answer is the single command's, and so is the rest */
	assert_int_equal(n, one.len);
	assert_int_equal(sh.len, 2 * one.len);
	assert_memory_equal(sh.data, one.data, one.len);
	assert_memory_equal(sh.data + n, one.data, one.len);
	assert_int_equal(cgroupstat_answer_len(sh.data + n, sh.len - n), one.len);
	parse_ok(&sh, &c);            /* the parser stops at the first end */
	check_tree(&c, false);
	{
		struct buf rest = { 0 };

		buf_init(&rest);
		buf_append(&rest, sh.data + n, sh.len - n);
		parse_ok(&rest, &c);
		check_tree(&c, false);
		buf_done(&rest);
	}
	/* cut short, CRLF, an end marker's look-alike */
	assert_int_equal(cgroupstat_answer_len(sh.data, n - 2), 0);
	assert_int_equal(cgroupstat_answer_len("", 0), 0);
	assert_int_equal(cgroupstat_answer_len("@kitetop end", 12), 12);
	assert_int_equal(cgroupstat_answer_len("x\r\n@kitetop end\r\nrest", 21), 17);
	assert_int_equal(cgroupstat_answer_len("@kitetop endx\n@kitetop ends\n", 28), 0);
	cgroupstat_done(&c);
	buf_done(&sh);
	buf_done(&one);
	free(root);
	free(up);
}

static void test_layout_from_docker_info(void **state)
{
	static const char v2sd[] = "{\"CgroupDriver\":\"systemd\",\"CgroupVersion\":\"2\",\"ID\":\"x\"}";
	static const char v1fs[] = "{\"CgroupDriver\":\"cgroupfs\",\"CgroupVersion\":\"1\"}";
	static const char old[] = "{\"CgroupDriver\":\"cgroupfs\"}";   /* before 20.10 */

	assert_int_equal(cgroupstat_layout_of("1", "cgroupfs"), CGROUPSTAT_V1_CGROUPFS);
	assert_int_equal(cgroupstat_layout_of("1", "systemd"), CGROUPSTAT_V1_SYSTEMD);
	assert_int_equal(cgroupstat_layout_of("2", "cgroupfs"), CGROUPSTAT_V2_CGROUPFS);
	assert_int_equal(cgroupstat_layout_of("2", "systemd"), CGROUPSTAT_V2_SYSTEMD);
	assert_int_equal(cgroupstat_layout_of("2", "none"), CGROUPSTAT_ANY);
	assert_int_equal(cgroupstat_layout_of(NULL, "systemd"), CGROUPSTAT_ANY);
	assert_int_equal(cgroupstat_layout_of_info(v2sd, strlen(v2sd)), CGROUPSTAT_V2_SYSTEMD);
	assert_int_equal(cgroupstat_layout_of_info(v1fs, strlen(v1fs)), CGROUPSTAT_V1_CGROUPFS);
	assert_int_equal(cgroupstat_layout_of_info(old, strlen(old)), CGROUPSTAT_V1_CGROUPFS);
	assert_int_equal(cgroupstat_layout_of_info("[1]", 3), CGROUPSTAT_ANY);
	assert_int_equal(cgroupstat_layout_of_info("{\"CgroupVersion\":2}", 19), CGROUPSTAT_ANY);
	assert_int_equal(cgroupstat_layout_of_info("nope", 4), CGROUPSTAT_ANY);
	assert_string_equal(cgroupstat_layout_name(CGROUPSTAT_V2_SYSTEMD), "v2/systemd");
	assert_string_equal(cgroupstat_layout_name(CGROUPSTAT_ANY), "any");
}

static int parse_s(const char *s, struct cgroupstat *c, char **cause)
{
	return cgroupstat_parse(s, strlen(s), c, cause);
}

static void test_cut_short_crlf_garbage_and_hostile_numbers(void **state)
{
	struct cgroupstat c;
	char *cause = NULL;
	const struct cgroupstat_sample *s;

	cgroupstat_init(&c);
	/* no end marker: not the command's answer, or cut short */
	assert_int_equal(parse_s("fish: Unsupported use of 'do'.\n", &c, &cause), -1);
	assert_non_null(strstr(cause, "no end marker"));
	free(cause);
	cause = NULL;
	assert_int_equal(parse_s("@kitetop up 1.0 2.0\n"
	                         "docker/" ID_A "/memory.current:100\n", &c, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(c.n, 0);
	/* CRLF, garbage, no uptime, numbers too big or not numbers, a path
	 * without an id, an id of 63 or 65 digits, a NUL */
	assert_int_equal(parse_s("garbage\r\n"
	                         "@kitetop up nope\r\n"
	                         "docker/" ID_A "/memory.current:100\r\n"
	                         "docker/" ID_A "/memory.stat:inactive_file 40\r\n"
	                         "docker/" ID_A "/cpu.stat:usage_usec 99999999999999999999\r\n"
	                         "docker/" ID_A "/memory.max:12x\r\n"
	                         "docker/" ID_B "/cpuacct.usage:-5\n"
	                         "docker/" ID_B "/memory.usage_in_bytes: 300 \n"
	                         "docker/" ID_B "/unknown.file:7\n"
	                         "system.slice/cron.service/memory.current:5\n"
	                         "docker/0" ID_A "/memory.current:5\n"
	                         "docker/" ID_A "0/memory.current:5\n"
	                         "no colon " ID_A "\n"
	                         "@kitetop end\r\n"
	                         "docker/" ID_B "/memory.current:1\n", &c, &cause), 0);
	assert_null(cause);
	assert_true(c.uptime_s < 0);
	assert_int_equal(c.n, 2);
	s = cgroupstat_find(&c, ID_A);
	assert_non_null(s);
	assert_int_equal(s->mem_usage, 100);
	assert_int_equal(cgroupstat_mem_bytes(s), 60);
	assert_int_equal(s->cpu_ns, -1);
	assert_int_equal(s->mem_limit, -1);
	s = cgroupstat_find(&c, ID_B);
	assert_non_null(s);
	assert_int_equal(s->cpu_ns, -1);
	assert_int_equal(s->mem_usage, 300);   /* after the end marker: not read */
	/* usage_usec near INT64_MAX / 1000: unknown, not wrapped */
	assert_int_equal(parse_s("docker/" ID_A "/cpu.stat:usage_usec 9223372036854776\n"
	                         "@kitetop end\n", &c, NULL), 0);
	assert_int_equal(cgroupstat_find(&c, ID_A)->cpu_ns, -1);
	/* compact lines (the command's awk, the local reader): tokens a blank or
	 * more apart, v1's total_inactive_file over inactive_file in any order,
	 * a key not known, a value not a number or too big, an empty token; an
	 * id in capitals, of 63 digits or followed by other than a blank is not
	 * one; a line with its id alone says nothing */
	assert_int_equal(parse_s("@kitetop up 7.25 1\n"
	                         ID_A " c12345  m8388608 i1 t3145728 l9223372036854771712 x5\r\n"
	                         ID_B " u500 mnope l99999999999999999999 lmax cc t\n"
	                         "C0FFEE00112233445566778899AABBCCDDEEFF00112233445566778899AABBCC m1\n"
	                         "0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc m2\n"
	                         ID_B "x m3\n"
	                         "3333333333333333333333333333333333333333333333333333333333333333\n"
	                         "@kitetop end\n", &c, NULL), 0);
	assert_int_equal(c.n, 2);
	assert_true(c.uptime_s > 7.24 && c.uptime_s < 7.26);
	s = cgroupstat_find(&c, ID_A);
	assert_int_equal(s->cpu_ns, 12345);
	assert_int_equal(cgroupstat_mem_bytes(s), 8388608 - 3145728);
	assert_true(s->inactive_total);
	assert_int_equal(s->mem_limit, -1);    /* v1's no limit */
	s = cgroupstat_find(&c, ID_B);
	assert_int_equal(s->cpu_ns, 500000);
	assert_int_equal(s->mem_usage, -1);
	assert_int_equal(s->mem_limit, -1);
	assert_int_equal(s->mem_inactive, -1);
	assert_null(cgroupstat_find(&c, "3333333333333333333333333333333333333333333333333333333333333333"));
	/* an empty answer with the marker is whole: no containers */
	assert_int_equal(parse_s("@kitetop up 5.5 1\n@kitetop end", &c, NULL), 0);
	assert_int_equal(c.n, 0);
	assert_true(c.uptime_s > 5.49 && c.uptime_s < 5.51);
	cgroupstat_done(&c);
	assert_int_equal(cgroupstat_mem_bytes(NULL), -1);
}

/* The engine's containers in the files read, or none of them (another
 * machine's files: the feed falls back to the engine's figures). */
static void test_holds_any_of_the_engines_containers(void **state)
{
	struct cgroupstat c;
	struct buf b;
	const char *foreign[] = { "0000000000000000000000000000000000000000000000000000000000000001",
	                          "0000000000000000000000000000000000000000000000000000000000000002" };
	const char *mine[] = { foreign[0], ID_A };   /* one of the engine's is enough */

	(void)state;
	cgroupstat_init(&c);
	buf_init(&b);
	cgroupstat_read_local(CGROUPSTAT_V1_CGROUPFS, DIR "/v1-cgroupfs", DIR "/uptime", &b);
	parse_ok(&b, &c);
	assert_true(cgroupstat_holds_any(&c, mine, 2));
	assert_true(cgroupstat_holds_any(&c, mine + 1, 1));
	assert_false(cgroupstat_holds_any(&c, mine, 1));
	assert_false(cgroupstat_holds_any(&c, foreign, 2));
	assert_true(cgroupstat_holds_any(&c, foreign, 0));   /* nothing running: nothing to tell */
	cgroupstat_done(&c);
	assert_false(cgroupstat_holds_any(&c, mine, 2));     /* an empty read */
	buf_done(&b);
}

/* A read of some containers opens only their files, in every layout; its
 * samples merged over an older read of all keep the newer figures and the
 * older ones of the containers not read. */
static void test_some_containers_read_and_merged(void **state)
{
	const char *only_b[] = { ID_B };
	const char *both[] = { ID_A, ID_B };   /* sorted */

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(layouts); i++) {
		char root[256];
		struct cgroupstat all, some;
		struct buf b;
		const struct cgroupstat_sample *a, *sb;

		snprintf(root, sizeof root, DIR "/%s", layouts[i].tree);
		cgroupstat_init(&all);
		cgroupstat_init(&some);
		buf_init(&b);
		cgroupstat_read_local_some(layouts[i].layout, root, DIR "/uptime", both, 2, &b);
		parse_ok(&b, &all);
		check_tree(&all, layouts[i].v1);
		buf_done(&b);
		buf_init(&b);
		cgroupstat_read_local_some(layouts[i].layout, root, DIR "/uptime", only_b, 1, &b);
		assert_null(strstr(b.data, ID_A));   /* A's files not even opened */
		parse_ok(&b, &some);
		assert_int_equal(some.n, 1);
		assert_non_null(cgroupstat_find(&some, ID_B));
		assert_null(cgroupstat_find(&some, ID_A));
		assert_true(some.s[0].t < 0 && some.s[0].cpu_pct < 0);   /* the reader's, unset */
		some.s[0].cpu_ns = 999;   /* newer than all's */
		cgroupstat_merge_older(&some, &all);
		assert_int_equal(some.n, 2);
		a = cgroupstat_find(&some, ID_A);
		sb = cgroupstat_find(&some, ID_B);
		assert_non_null(a);
		assert_non_null(sb);
		assert_int_equal(a->cpu_ns, 12345678000LL);   /* the older read's */
		assert_int_equal(sb->cpu_ns, 999);            /* the newer one's */
		cgroupstat_merge_older(&some, &all);          /* nothing to add */
		assert_int_equal(some.n, 2);
		buf_done(&b);
		cgroupstat_done(&all);
		cgroupstat_done(&some);
	}
}

static void test_cpu_pct_as_docker_stats(void **state)
{
	struct cgroupstat_sample a = { .cpu_ns = 1000000000 }, b = { .cpu_ns = 1500000000 };

	/* 0.5 s of CPU in 1 s: half a core */
	assert_true(cgroupstat_cpu_pct(&a, &b, 1.0) > 49.99 && cgroupstat_cpu_pct(&a, &b, 1.0) < 50.01);
	/* 3 s in 2 s: 150 % (one core and a half) */
	b.cpu_ns = 4000000000;
	assert_true(cgroupstat_cpu_pct(&a, &b, 2.0) > 149.99 && cgroupstat_cpu_pct(&a, &b, 2.0) < 150.01);
	assert_true(cgroupstat_cpu_pct(&a, &b, 0) < 0);
	assert_true(cgroupstat_cpu_pct(&a, &b, -1) < 0);
	assert_true(cgroupstat_cpu_pct(&b, &a, 1.0) < 0);   /* went down: a new cgroup */
	assert_true(cgroupstat_cpu_pct(NULL, &b, 1.0) < 0);
	a.cpu_ns = -1;
	assert_true(cgroupstat_cpu_pct(&a, &b, 1.0) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_layout_read_here_and_parsed),
		cmocka_unit_test(test_shell_command_answers_as_the_local_reader),
		cmocka_unit_test(test_twice_is_two_answers_a_second_apart),
		cmocka_unit_test(test_layout_from_docker_info),
		cmocka_unit_test(test_cut_short_crlf_garbage_and_hostile_numbers),
		cmocka_unit_test(test_cpu_pct_as_docker_stats),
		cmocka_unit_test(test_holds_any_of_the_engines_containers),
		cmocka_unit_test(test_some_containers_read_and_merged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
