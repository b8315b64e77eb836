/* http_testserver — a small threaded HTTP/1.1 server for the HTTP wrapper's
 * tests, listening on 127.0.0.1 (an ephemeral port) and on a unix socket in
 * a fresh temporary directory.  One thread accepts, one thread per connection
 * serves requests (keep-alive) by path:
 *
 *   /ok                       200 "hello"
 *   /status?code=N            N with JSON {"message":"backend is down"}
 *   /text?code=N              N with the one-line text "overloaded, try later"
 *   /html?code=N              N with a multi-line HTML page
 *   /slow?ms=N                waits N ms, then 200 "slow"
 *   /dribble?ms=N&n=K         200 with Content-Length K, one byte every N ms
 *   /big?mb=N&mode=M          N MiB of 'x': M = cl (Content-Length),
 *                             chunked (64 KiB chunks), close (no length, close)
 *   /cut                      Content-Length 100000, 1000 bytes, then close
 *   /cutchunked               chunked, 1000 bytes, then close without the end
 *   /nothing                  closes without answering
 *   /garbage                  a line that is not HTTP, then closes
 *   /retry?after=S            429, "Retry-After: S", "Api-Version: 1.41"
 *   /retrydate                429, Retry-After as an HTTP date 120 s ahead
 *   /echo                     200, the body is the request's head and body
 *   /redirect?n=N             302 to /redirect?n=N-1; n=0 gives 200 "landed"
 *   /elsewhere                302 to http://localhost:PORT/echo (another host name)
 *   /hang                     answers nothing until the client goes away
 *   /stream?ms=N              chunked, "tick\n" every N ms, until the client goes
 *   /stall                    headers and 10 bytes of a chunked body, then nothing
 *
 * Every wait ends when the client closes or the server stops, so
 * http_testserver_stop() joins every thread promptly. */
#ifndef KITETOP_TESTS_HTTP_TESTSERVER_H
#define KITETOP_TESTS_HTTP_TESTSERVER_H

struct http_testserver;

/* NULL (with a message on stderr) when it cannot listen. */
struct http_testserver *http_testserver_start(void);
/* Closes the sockets, joins every thread, removes the socket file. */
void http_testserver_stop(struct http_testserver *s);

int http_testserver_port(const struct http_testserver *s);
/* "http://127.0.0.1:PORT" (borrowed). */
const char *http_testserver_base(const struct http_testserver *s);
/* The unix socket's path (borrowed). */
const char *http_testserver_socket(const struct http_testserver *s);
/* Connections accepted so far (TCP and unix). */
int http_testserver_connections(const struct http_testserver *s);

#endif
