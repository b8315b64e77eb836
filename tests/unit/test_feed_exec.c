/* feed_exec's pure parts: the loop a sampler runs (and what /bin/sh makes of
 * it: an answer a line, each written at once) and where an answer ends (the
 * channel itself is tested against a real sshd: ssh_metrics_exec.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/feeds/feed_exec.h"

#define END "@kitetop end"

static size_t len_of(const char *s)
{
	return feed_sampler_answer_len(s, strlen(s), END);
}

static void test_answer_len(void **state)
{
	(void)state;
	assert_int_equal(len_of(""), 0);
	assert_int_equal(len_of("@kitetop end\n"), 13);
	assert_int_equal(len_of("a\n@kitetop end\n"), 15);
	assert_int_equal(len_of("a\r\n@kitetop end\r\n"), 17);
	/* not yet: the marker's line not finished, or cut short */
	assert_int_equal(len_of("a\n@kitetop end"), 0);
	assert_int_equal(len_of("a\n@kitetop en"), 0);
	assert_int_equal(len_of("a\n@kitetop end\r"), 0);
	/* the marker inside a line, or a longer word, is not the end */
	assert_int_equal(len_of("x @kitetop end\n"), 0);
	assert_int_equal(len_of("@kitetop ending\n@kitetop endx\n"), 0);
	/* two answers: the first one's length */
	assert_int_equal(len_of("1\n@kitetop end\n2\n@kitetop end\n"), 15);
	/* NUL bytes before it do not stop the search */
	assert_int_equal(feed_sampler_answer_len("a\0b\n@kitetop end\n", 17, END), 17);
}

static void test_loop(void **state)
{
	char *l = feed_sampler_loop("echo hi; echo '@kitetop end'");

	(void)state;
	assert_string_equal(l, "while read -r _; do o=$(echo hi; echo '@kitetop end'); printf '%s\\n' \"$o\"; done");
	free(l);
}

/* The loop run by /bin/sh: a line in, an answer out, and the answer in one
 * piece although its command writes it in two 0.3 s apart: the first read
 * after a line gets all of it. */
static void test_loop_in_sh(void **state)
{
	char *l = feed_sampler_loop("echo a; sleep 0.3; echo '@kitetop end'");
	int in[2], out[2];
	pid_t pid;
	char buf[256];
	ssize_t n;
	int st;

	(void)state;
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl("/bin/sh", "sh", "-c", l, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(write(in[1], "\n", 1), 1);
		n = read(out[0], buf, sizeof buf - 1);
		assert_true(n > 0);
		buf[n] = '\0';
		assert_string_equal(buf, "a\n@kitetop end\n");
	}
	close(in[1]);   /* the loop ends with its input */
	assert_int_equal(read(out[0], buf, sizeof buf), 0);
	close(out[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_len),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_loop_in_sh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
