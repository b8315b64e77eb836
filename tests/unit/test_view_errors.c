/* test_view_errors — the errors view's wrapping: at spaces, a word longer
 * than the width cut, newlines kept, an empty text one empty line, every
 * character kept but the spaces at the breaks; the lines a view cut opened
 * in full (or a message when none was cut); and the Metrics view's labels
 * fitted to a width with their ends kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <locale.h>

#include "tui/view_errors.h"
#include "tui/view_metrics.h"

static void free_lines(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void test_wrap_at_spaces(void **state)
{
	size_t n;
	char **v = view_errors_wrap("ssh: cannot connect to 127.0.0.153 port 22: Connection refused", 20, &n);

	(void)state;
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "ssh: cannot connect");
	assert_string_equal(v[1], "to 127.0.0.153 port");
	assert_string_equal(v[2], "22: Connection");
	assert_string_equal(v[3], "refused");
	free_lines(v, n);
}

static void test_wrap_long_word_newline_empty(void **state)
{
	size_t n;
	char **v = view_errors_wrap("key AAAAC3NzaC1lZDI1NTE5AAAA end", 10, &n);

	(void)state;
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "key");
	assert_string_equal(v[1], "AAAAC3NzaC");
	assert_string_equal(v[2], "1lZDI1NTE5");
	assert_string_equal(v[3], "AAAA end");
	free_lines(v, n);
	v = view_errors_wrap("first\nsecond line", 40, &n);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "first");
	assert_string_equal(v[1], "second line");
	free_lines(v, n);
	v = view_errors_wrap("", 40, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "");
	free_lines(v, n);
	/* UTF-8 by columns, never split inside a character; width 1 still moves */
	v = view_errors_wrap("\xc3\xa9t\xc3\xa9 \xe2\x86\x92 ok", 1, &n);
	assert_true(n >= 5);
	assert_string_equal(v[0], "\xc3\xa9");
	free_lines(v, n);
}

/* the Metrics view's labels: whole when they fit, else start … end */
/* Enter in Data, Services, Traffic: the lines noted as cut, in the text
 * view, each whole; none noted: a message and nothing opened. */
static void test_open_cut(void **state)
{
	struct ui *ui = calloc(1, sizeof *ui);
	const char *long_line = "postgres: connection to server at \"127.0.0.194\", port 5499 failed: "
	                        "FATAL:  database \"accounts_of_the_customers\" does not exist";

	(void)state;
	view_errors_open_cut(ui, "Data");
	assert_null(ui->errview);
	assert_non_null(ui->toast);
	assert_non_null(strstr(ui->toast, "no line is cut"));
	ui->cut = calloc(2, sizeof *ui->cut);
	ui->cut[0] = strdup(long_line);
	ui->cut[1] = strdup("web here: HTTP 503: down for maintenance");
	ui->ncut = 2;
	view_errors_open_cut(ui, "Data");
	assert_int_equal(ui->nerrview, 2);
	assert_string_equal(ui->errview[0], long_line);
	assert_string_equal(ui->errview_title, "Data: in full");
	view_errors_cut_reset(ui);   /* the next frame: the view open keeps its copies */
	assert_int_equal(ui->ncut, 0);
	assert_string_equal(ui->errview[1], "web here: HTTP 503: down for maintenance");
	view_errors_close(ui);
	assert_null(ui->errview);
	free(ui->toast);
	free(ui);
}

static void test_label_fit(void **state)
{
	char out[64];

	(void)state;
	view_metrics_label_fit("monk", 10, true, out, sizeof out);
	assert_string_equal(out, "monk");
	view_metrics_label_fit("path=/var/lib/docker/volumes/kitestacks_idle", 21, true, out, sizeof out);
	assert_string_equal(out, "path=/var/\xe2\x80\xa6tacks_idle");
	view_metrics_label_fit("path=/var/lib/docker/volumes/kitestacks_user", 21, false, out, sizeof out);
	assert_string_equal(out, "path=/var...acks_user");
	view_metrics_label_fit("abcdef", 1, true, out, sizeof out);
	assert_string_equal(out, "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_at_spaces),
		cmocka_unit_test(test_wrap_long_word_newline_empty),
		cmocka_unit_test(test_open_cut),
		cmocka_unit_test(test_label_fit),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
