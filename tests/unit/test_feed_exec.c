/* feed_exec's pure parts: the loop a sampler runs and where an answer ends (the
 * channel itself is tested against a real sshd: ssh_metrics_exec.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

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
	assert_string_equal(l, "while read -r _; do echo hi; echo '@kitetop end'; done");
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_len),
		cmocka_unit_test(test_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
