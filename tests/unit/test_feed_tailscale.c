/* Unit tests of core/feeds/feed_tailscale's pure parts: the exec output (tailscale's
 * own, then the "kitetop-exit-status N" line) and the one-line summary, on
 * the recorded outputs of tests/fixtures/tailscale/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/buf.h"
#include "core/feeds/feed_tailscale.h"
#include "core/base/util.h"

#define FIX "tests/fixtures/tailscale/"

static char *with_status(const char *file, const char *before, int status, size_t *len)
{
	struct buf b;
	char *body = NULL;
	size_t n = 0;

	buf_init(&b);
	buf_puts(&b, before);
	if (file != NULL) {
		assert_int_equal(util_read_file(file, 1 << 20, &body, &n, NULL), 0);
		buf_append(&b, body, n);
		free(body);
	}
	buf_printf(&b, "\nkitetop-exit-status %d\n", status);
	*len = b.len;
	return buf_steal(&b);
}

static void test_command_not_found_means_not_installed(void **state)
{
	static const char *const outs[] = {
		"sh: 1: tailscale: not found\nkitetop-exit-status 127\n",
		"bash: line 1: tailscale: command not found\nkitetop-exit-status 127\n",
	};
	struct feed_tailscale v;
	char *cause = NULL;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		feed_tailscale_init(&v);
		v.installed = true;
		assert_int_equal(feed_tailscale_decode(outs[i], strlen(outs[i]), &v, &cause), 0);
		assert_false(v.installed);
		feed_tailscale_done(&v);
	}
}

static void test_running_status_decoded_past_a_warning(void **state)
{
	struct feed_tailscale v;
	char *cause = NULL, *out;
	size_t len;

	(void)state;
	out = with_status(FIX "status-a.json", "Warning: client version differs from tailscaled\n", 0, &len);
	feed_tailscale_init(&v);
	assert_int_equal(feed_tailscale_decode(out, len, &v, &cause), 0);
	assert_true(v.installed);
	assert_true(tailscale_running(&v.st));
	assert_string_equal(v.st.self.ips[0], "100.101.1.10");
	assert_true(v.st.n_peers > 0);
	feed_tailscale_done(&v);
	free(out);
}

static void test_no_mark_bad_exit_or_non_json_is_a_worded_error(void **state)
{
	struct feed_tailscale v;
	char *cause = NULL, *out;
	size_t len;
	static const char nomark[] = "fish: Unsupported use of '$?'. In fish, please use $status.\n";
	static const char failed[] = "failed to connect to local tailscaled; it doesn't appear to be running\n"
	                             "kitetop-exit-status 1\n";

	(void)state;
	feed_tailscale_init(&v);
	assert_int_equal(feed_tailscale_decode(nomark, strlen(nomark), &v, &cause), -1);
	assert_string_equal(cause, "tailscale: no exit status in the answer (is the login shell POSIX-like?): "
	                    "fish: Unsupported use of '$?'. In fish, please use $status.");
	free(cause);
	cause = NULL;
	assert_int_equal(feed_tailscale_decode(failed, strlen(failed), &v, &cause), -1);
	assert_string_equal(cause, "tailscale: exit status 1: failed to connect to local tailscaled; "
	                    "it doesn't appear to be running");
	free(cause);
	cause = NULL;
	out = with_status(NULL, "garbage\x01 here", 0, &len);
	assert_int_equal(feed_tailscale_decode(out, len, &v, &cause), -1);
	assert_string_equal(cause, "tailscale status: not JSON: garbage? here");
	free(cause);
	free(out);
	cause = NULL;
	assert_int_equal(feed_tailscale_decode("", 0, &v, &cause), -1);
	assert_non_null(strstr(cause, "no exit status"));
	free(cause);
	feed_tailscale_done(&v);
}

static void test_line_says_waiting_not_installed_online_or_state(void **state)
{
	char n0[] = "monk", n1[] = "kscloud1", n2[] = "nas";
	char a0[] = "127.0.0.2", a1[] = "127.0.0.3", a2[] = "100.101.1.99";
	struct config_host ch[3] = {
		{ .name = n0, .address = a0 },
		{ .name = n1, .address = a1 },
		{ .name = n2, .address = a2 },
	};
	struct config cfg = { .hosts = ch, .nhosts = 3 };
	struct feed_tailscale v;
	char *cause = NULL, *out, line[512];
	size_t len;

	(void)state;
	feed_tailscale_line(&cfg, 0, NULL, line, sizeof line);
	assert_string_equal(line, "tailscale: waiting...");
	feed_tailscale_init(&v);
	feed_tailscale_line(&cfg, 0, &v, line, sizeof line);
	assert_string_equal(line, "tailscale: not installed");
	out = with_status(FIX "status-a.json", "", 0, &len);
	assert_int_equal(feed_tailscale_decode(out, len, &v, &cause), 0);
	feed_tailscale_line(&cfg, 0, &v, line, sizeof line);
	assert_non_null(strstr(line, "tailscale 1.70.0"));
	assert_non_null(strstr(line, " 100.101.1.10 online"));
	assert_non_null(strstr(line, "kscloud1 "));
	print_message("%s\n", line);
	feed_tailscale_done(&v);
	free(out);
	out = with_status(FIX "status-needslogin.json", "", 0, &len);
	feed_tailscale_init(&v);
	assert_int_equal(feed_tailscale_decode(out, len, &v, &cause), 0);
	feed_tailscale_line(&cfg, 0, &v, line, sizeof line);
	assert_string_equal(line, "tailscale: NeedsLogin");
	feed_tailscale_done(&v);
	free(out);
}

static void test_hosts_known_by_address_own_and_tailnet_ips(void **state)
{
	char n0[] = "monk", n1[] = "kscloud1", a0[] = "127.0.0.2", a1[] = "kscloud1.example";
	struct config_host ch[2] = { { .name = n0, .address = a0 }, { .name = n1, .address = a1 } };
	struct config cfg = { .hosts = ch, .nhosts = 2 };
	struct feed_tailscale mv, kv;
	const struct feed_tailscale *v[2] = { &mv, NULL };
	struct splitbrain_host hosts[2];
	char *cause = NULL, *out;
	size_t len;

	(void)state;
	out = with_status(FIX "status-a.json", "", 0, &len);
	feed_tailscale_init(&mv);
	assert_int_equal(feed_tailscale_decode(out, len, &mv, &cause), 0);
	feed_tailscale_hosts(&cfg, v, hosts);
	/* monk: its address and its own Tailscale IPs */
	assert_int_equal(splitbrain_host_of(hosts, 2, "127.0.0.2"), 0);
	assert_int_equal(splitbrain_host_of(hosts, 2, "100.101.1.10"), 0);
	assert_int_equal(splitbrain_host_of(hosts, 2, "fd7a:115c:a1e0::1"), 0);
	/* kscloud1 (a name, not polled): the IPs monk's tailnet lists for it */
	assert_int_equal(splitbrain_host_of(hosts, 2, "100.101.1.20"), 1);
	assert_int_equal(splitbrain_host_of(hosts, 2, "kscloud1.example"), -1);
	/* not installed: only the resolved address */
	feed_tailscale_init(&kv);
	util_strlcpy(kv.resolved[0], "10.0.0.3", sizeof kv.resolved[0]);
	kv.n_resolved = 1;
	v[1] = &kv;
	feed_tailscale_hosts(&cfg, v, hosts);
	assert_int_equal(splitbrain_host_of(hosts, 2, "10.0.0.3"), 1);
	assert_int_equal(splitbrain_host_of(hosts, 2, "100.101.1.20"), 1);
	feed_tailscale_done(&mv);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command_not_found_means_not_installed),
		cmocka_unit_test(test_running_status_decoded_past_a_warning),
		cmocka_unit_test(test_no_mark_bad_exit_or_non_json_is_a_worded_error),
		cmocka_unit_test(test_line_says_waiting_not_installed_online_or_state),
		cmocka_unit_test(test_hosts_known_by_address_own_and_tailnet_ips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
