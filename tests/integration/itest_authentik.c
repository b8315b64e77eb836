/* Integration: Authentik against the lab.  The authentik source of
 * examples/kitestacks-lab.conf (live and ready on each host's :9000 through
 * that host's SSH; version, workers and outposts from the API stand-in at
 * public_url, 127.0.0.3:9443); authentik_fetch() directly on the stand-in
 * (a wrong token refused); and a private stand-in (tests/lab/authentik-
 * standin.py) on 127.0.0.22 whose PostgreSQL is a closed port: live, not
 * ready, and status --json / the verdict saying so.  The lab's own daemons
 * are not touched.  The lab parts are skipped when the lab is not up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "backends/authentik.h"
#include "backends/http.h"
#include "core/config/config.h"
#include "core/feeds/feeds.h"
#include "core/feeds/feed_probes.h"
#include "core/feeds/feed_authentik.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"
#include "cli/status_json.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define STANDIN "http://127.0.0.3:9443"
#define TOKEN_FILE "/run/kitetop-lab/authentik.token"

static char *token;   /* the lab's token; NULL: the lab is not up */

static int setup(void **state)
{
	char *cause = NULL;
	size_t len;

	http_global_init();
	if (access("/run/kitetop-lab/monk/docker.sock", F_OK) == 0 &&
	    util_read_file(TOKEN_FILE, 4096, &token, &len, &cause) == 0) {
		while (len > 0 && (token[len - 1] == '\n' || token[len - 1] == ' '))
			token[--len] = '\0';
	} else {
		fprintf(stderr, "itest_authentik: the lab is not up (%s): lab tests skipped\n",
		        cause != NULL ? cause : "no docker socket");
		free(cause);
	}
	return 0;
}

static int teardown(void **state)
{
	free(token);
	http_global_cleanup();
	return 0;
}

/* Waits for src's first snapshot (20 s at most). */
static void wait_first(struct source *src)
{
	int64_t deadline = time_mono_ms() + 20000;

	while (source_seq(src) == 0 && time_mono_ms() < deadline)
		time_sleep_ms(20);
}

static void test_lab_source(void **state)
{
	char *cause = NULL;
	struct config *cfg;
	struct feeds *feeds;
	struct frame f;
	const struct feed_authentik *a;

	if (token == NULL)
		skip();
	cfg = config_load("examples/kitestacks-lab.conf", &cause);
	if (cfg == NULL)
		fail_msg("config: %s", cause);
	feeds = feeds_new(cfg, NULL);
	assert_non_null(feeds->authentik);
	assert_int_equal(feeds_start(feeds, &cause), 0);
	wait_first(feeds->authentik);
	frame_take(&f, feeds);
	assert_true(f.authentik.feed.polled);
	assert_null(f.authentik.feed.error);
	a = f.authentik.value;
	print_message("authentik source: took %.0f ms\n", f.authentik.feed.took_ms);
	assert_true(a->have_url && a->have_public && a->have_api);
	assert_int_equal(a->nhosts, 2);
	for (size_t h = 0; h < 2; h++) {
		print_message("  %s live=%d ready=%d live_ms=%.0f %s\n", f.hosts[h].name, a->hosts[h].live,
		              a->hosts[h].ready, a->hosts[h].live_ms,
		              a->hosts[h].error != NULL ? a->hosts[h].error : "");
		assert_true(a->hosts[h].live);
		assert_true(a->hosts[h].ready);   /* the hosts' :9000 containers do not follow Postgres */
		assert_null(a->hosts[h].error);
		assert_true(a->hosts[h].live_ms >= 0);
	}
	/* public_url is the stand-in, whose ready follows the lab's PostgreSQL and
	 * Redis, which another test may stop for a moment: live at least */
	assert_true(a->pub.live);
	if (!a->pub.ready)
		print_message("  public_url not ready: %s\n", a->pub.error);
	assert_string_equal(a->api_url, STANDIN);
	assert_null(a->info.error);
	assert_true(a->info.have_version);
	assert_string_equal(a->info.version.current, "2025.10.1");
	assert_string_equal(a->info.version.latest, "2025.10.2");
	assert_true(a->info.version.outdated);
	assert_int_equal(a->info.workers, 2);
	assert_int_equal(a->info.n_outposts, 1);
	assert_int_equal(a->info.outposts[0].instances, 2);
	assert_int_equal(a->info.outposts[0].healthy, 2);

	{
		char *json = status_json(&f);
		cJSON *root = cJSON_Parse(json), *ak, *h;

		ak = cJSON_GetObjectItem(root, "authentik");
		assert_string_equal(cJSON_GetObjectItem(ak, "version")->valuestring, "2025.10.1");
		assert_int_equal(cJSON_GetObjectItem(ak, "workers")->valueint, 2);
		if (a->pub.ready)
			assert_true(cJSON_IsNull(cJSON_GetObjectItem(ak, "error")));
		h = cJSON_GetObjectItem(cJSON_GetObjectItem(ak, "hosts"), "kscloud1");
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(h, "live")));
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(h, "ready")));
		assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "error")));
		assert_null(strstr(json, token));
		cJSON_Delete(root);
		free(json);
	}
	frame_release(&f);
	feeds_free(feeds);
	config_free(cfg);
}

static void test_api_direct(void **state)
{
	struct http_client *c;
	struct authentik_api api = { .base_url = STANDIN, .timeout_ms = 5000 };
	struct authentik_info info;
	char *cause = NULL;

	if (token == NULL)
		skip();
	c = http_client_new(NULL);
	api.http = c;
	api.token = token;
	authentik_info_init(&info);
	assert_int_equal(authentik_fetch(&api, &info, &cause), 0);
	assert_string_equal(info.version.current, "2025.10.1");
	assert_int_equal(info.workers, 2);
	assert_int_equal(info.workers_mismatched, 0);
	assert_string_equal(info.outposts[0].type, "proxy");
	api.token = "not-the-token";
	assert_int_equal(authentik_fetch(&api, &info, &cause), -1);
	assert_string_equal(cause, "authentik: token refused (Token invalid/expired)");
	free(cause);
	authentik_info_done(&info);
	http_client_free(c);
}

/* A free TCP port on 127.0.0.22 (closed again: the stand-in binds it). */
static int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	inet_pton(AF_INET, "127.0.0.22", &sa.sin_addr);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void test_private_standin_not_ready(void **state)
{
	char dir[] = "/tmp/kt-ak-XXXXXX", *tokfile, *listen, *base, *conf, *cause = NULL, *json;
	int port = free_port(), fd;
	pid_t pid;
	struct config *cfg;
	struct feeds *feeds;
	struct frame f;
	const struct feed_authentik *a;
	struct buf reasons;
	cJSON *root, *ak, *h;
	int64_t deadline;

	assert_true(port > 0);
	assert_non_null(mkdtemp(dir));
	tokfile = xasprintf("%s/token", dir);
	fd = open(tokfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(util_write_all(fd, "private-token\n", 14), 0);
	close(fd);
	listen = xasprintf("127.0.0.22:%d", port);
	base = xasprintf("http://%s", listen);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		/* its request log is noise here */
		if (devnull >= 0)
			dup2(devnull, 2);
		/* PostgreSQL and Redis: 127.0.0.22:1, where nothing listens */
		execlp("python3", "python3", "tests/lab/authentik-standin.py", "--listen", listen,
		       "--token-file", tokfile, "--postgres", "127.0.0.22:1", "--redis", "127.0.0.22:1",
		       "--host", "local=127.0.0.22", (char *)NULL);
		_exit(127);
	}
	/* wait until it listens */
	deadline = time_mono_ms() + 10000;
	for (;;) {
		struct http_client *c = http_client_new(NULL);
		struct http_request req = { .url = base, .timeout_ms = 500 };
		struct http_response resp;
		int rc;

		http_response_init(&resp);
		rc = http_request(c, &req, &resp, &cause);
		http_response_done(&resp);
		http_client_free(c);
		free(cause);
		cause = NULL;
		if (rc == 0)
			break;
		assert_true(time_mono_ms() < deadline);
		time_sleep_ms(50);
	}
	conf = xasprintf("[kitetop]\nrefresh = 60\ntimeout = 3\n"
	                 "[host local]\naddress = 127.0.0.22\ndocker = none\n"
	                 "[authentik]\nurl = http://{address}:%d\npublic_url = %s\ntoken_file = %s\n",
	                 port, base, tokfile);
	cfg = config_parse(NULL, conf, strlen(conf), &cause);
	if (cfg == NULL)
		fail_msg("config: %s", cause);
	feeds = feeds_new(cfg, NULL);
	assert_int_equal(feeds_start(feeds, &cause), 0);
	wait_first(feeds->authentik);
	frame_take(&f, feeds);
	assert_true(f.authentik.feed.polled);
	assert_null(f.authentik.feed.error);
	a = f.authentik.value;
	print_message("private stand-in: live=%d ready=%d error=%s\n", a->hosts[0].live,
	              a->hosts[0].ready, a->hosts[0].error);
	assert_true(a->hosts[0].live);
	assert_false(a->hosts[0].ready);
	assert_string_equal(a->hosts[0].error, "not ready: HTTP 503 (database or cache unreachable)");
	assert_true(a->pub.live);      /* public_url: the same stand-in, live, not ready */
	assert_false(a->pub.ready);
	assert_string_equal(a->pub.error, "not ready: HTTP 503 (database or cache unreachable)");
	assert_null(a->info.error);    /* the API answers even so, as the stand-in does */
	assert_string_equal(a->info.version.current, "2025.10.1");
	assert_int_equal(a->info.workers, 1);

	buf_init(&reasons);
	assert_int_equal(verdict_overall(&f, &reasons), VERDICT_CRIT);   /* not ready on every host */
	assert_non_null(strstr(buf_cstr(&reasons), "local: authentik not ready: HTTP 503"));
	assert_non_null(strstr(buf_cstr(&reasons), "authentik: public_url: not ready: HTTP 503"));
	buf_done(&reasons);
	json = status_json(&f);
	root = cJSON_Parse(json);
	ak = cJSON_GetObjectItem(root, "authentik");
	h = cJSON_GetObjectItem(cJSON_GetObjectItem(ak, "hosts"), "local");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(h, "live")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(h, "ready")));
	assert_string_equal(cJSON_GetObjectItem(h, "error")->valuestring,
	                    "not ready: HTTP 503 (database or cache unreachable)");
	assert_string_equal(cJSON_GetObjectItem(ak, "error")->valuestring,
	                    "public_url: not ready: HTTP 503 (database or cache unreachable)");
	assert_string_equal(cJSON_GetObjectItem(root, "overall")->valuestring, "crit");
	assert_null(strstr(json, "private-token"));
	cJSON_Delete(root);
	free(json);

	frame_release(&f);
	feeds_free(feeds);
	config_free(cfg);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	unlink(tokfile);
	rmdir(dir);
	free(tokfile);
	free(listen);
	free(base);
	free(conf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_source),
		cmocka_unit_test(test_api_direct),
		cmocka_unit_test(test_private_standin_not_ready),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
