/* How often kitetop lists containers while the engine sends a flood of
 * events: the lab's monk host (over its sshd, as examples/kitestacks-lab.conf
 * reaches it) with 4 loops of `docker run --rm` of a trivial command for 5 s,
 * each run a handful of events.  Every event used to cost a list; the docker
 * feed now lists at most once per DOCKER_WATCH_COALESCE_MS, so the average
 * must stay at or under 5 lists a second.  Skipped without the lab.  The
 * containers are named kt-flood-PID-*, and removed at the end whatever happens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/docker.h"
#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/feeds/feeds.h"

#define LAB_SOCK "/run/kitetop-lab/monk/docker.sock"

/* Through monk's sshd, as examples/kitestacks-lab.conf does, and straight to
 * the socket, where a list is quickest and so the flood was at its worst. */
static const char conf_ssh[] =
    "[kitetop]\nrefresh = 1\ntimeout = 5\n"
    "[host monk]\naddress = 127.0.0.2\nssh = root@127.0.0.2:22\n"
    "identity_file = /run/kitetop-lab/operator_ed25519\n"
    "known_hosts = /run/kitetop-lab/known_hosts\n"
    "docker = ssh\ndocker_socket = " LAB_SOCK "\n";
static const char conf_unix[] =
    "[kitetop]\nrefresh = 1\ntimeout = 5\n"
    "[host monk]\naddress = 127.0.0.2\ndocker = unix://" LAB_SOCK "\n";

static void remove_ours(void)
{
	char *cmd = xasprintf("docker -H unix://" LAB_SOCK " ps -aq --filter name=kt-flood-%ld "
	                      "| xargs -r docker -H unix://" LAB_SOCK " rm -f >/dev/null 2>&1",
	                      (long)getpid());

	if (system(cmd) == -1)
		perror("system");
	free(cmd);
}

static void flood_lists(const char *conf)
{
	struct config *cfg;
	struct feeds *feeds;
	char *cause = NULL, *cmd;
	long before, after, events;
	uint64_t seq0, seq1;
	int64_t t0, t1;
	int rc;

	if (access(LAB_SOCK, F_OK) != 0 || system("command -v docker >/dev/null") != 0)
		skip();
	http_global_init();
	cfg = config_parse(NULL, conf, strlen(conf), &cause);
	assert_non_null(cfg);
	feeds = feeds_new(cfg, NULL);
	assert_int_equal(feeds_start(feeds, &cause), 0);
	/* the event stream starts at the docker feed's second poll */
	sleep(4);
	seq0 = source_seq(feeds->hosts[0].docker);
	before = docker_list_requests();
	t0 = time_mono_ms();
	cmd = xasprintf("for l in 1 2 3 4; do ("
	                "end=$(($(date +%%s) + 5)); i=0;"
	                "while [ $(date +%%s) -lt $end ]; do i=$((i+1));"
	                " docker -H unix://" LAB_SOCK " run --rm --network none"
	                " --name kt-flood-%ld-$l-$i kitestacks/busybox:lab /bin/true >/dev/null 2>&1;"
	                " done) & done; wait", (long)getpid());
	rc = system(cmd);
	free(cmd);
	t1 = time_mono_ms();
	/* the window pending at the end is served too */
	usleep(600 * 1000);
	after = docker_list_requests();
	seq1 = source_seq(feeds->hosts[0].docker);
	remove_ours();
	events = after - before;
	printf("flood: %ld lists (%ld polls) in %.1f s = %.2f a second\n", events,
	       (long)(seq1 - seq0), (double)(t1 - t0) / 1000,
	       (double)events * 1000 / (double)(t1 - t0));
	feeds_free(feeds);
	config_free(cfg);
	assert_int_equal(rc, 0);
	assert_true(events * 1000 <= 5 * (t1 - t0));
}

static void test_flood_ssh(void **unused)
{
	(void)unused;
	flood_lists(conf_ssh);
}

static void test_flood_unix(void **unused)
{
	(void)unused;
	flood_lists(conf_unix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood_ssh),
		cmocka_unit_test(test_flood_unix),
	};

	atexit(remove_ours);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
