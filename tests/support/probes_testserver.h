/* probes_testserver — a small HTTP/1.1 server on 127.0.0.22 (an ephemeral
 * port) for the probe and authentik tests.  One thread accepts, one thread
 * per connection answers one request and closes (Connection: close):
 *
 *   /ok                 200 "ok"
 *   /gate?n=N&ms=T      held until N requests are in the server at once, then
 *                       200 (and so every later one: the gate stays open); 504
 *                       when T ms (default 5000) pass first
 *   /slow?ms=N          waits N ms (ends early when the server stops), 200 "slow"
 *   /status?code=N      N with an empty body
 *   /loop               302 to /loop, forever
 *   /reset              reads the request, then closes with a TCP reset
 *   /html502            502 with nginx's HTML error page
 *   /ak/api/v3/...      tests/fixtures/authentik/ files for the admin API paths
 *                       (version, workers, outposts, the outpost's health);
 *                       403 error-403-token.json unless "Bearer probes-token"
 *   /ak502/...          502 with the HTML page, for any path
 *   /akstart/...        200 {"error": "authentik starting"} for any path
 *
 * probes_testserver_max_inflight() is the most requests it held at once. */
#ifndef KITETOP_TESTS_PROBES_TESTSERVER_H
#define KITETOP_TESTS_PROBES_TESTSERVER_H

#define PROBES_TESTSERVER_TOKEN "probes-token"

struct probes_testserver;

/* NULL (message on stderr) when it cannot listen on 127.0.0.22. */
struct probes_testserver *probes_testserver_start(void);
void probes_testserver_stop(struct probes_testserver *s);
/* "http://127.0.0.22:PORT" (borrowed). */
const char *probes_testserver_base(const struct probes_testserver *s);
int probes_testserver_max_inflight(struct probes_testserver *s);
int probes_testserver_requests(struct probes_testserver *s);

#endif
