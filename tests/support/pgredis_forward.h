/* pgredis_forward — a tunnel stand-in for the postgres/redis tests: a unix
 * socket whose connections are each forwarded to a TCP address, as the lab's
 * `via` tunnels give a local socket for a remote port.  One thread serves the
 * connections one after another. */
#ifndef KITETOP_TESTS_PGREDIS_FORWARD_H
#define KITETOP_TESTS_PGREDIS_FORWARD_H

struct pgredis_forward;

/* Listens on path (a unix socket, created) and forwards to ip:port.
 * Returns the forwarder (stop with pgredis_forward_stop), NULL on error. */
struct pgredis_forward *pgredis_forward_start(const char *path, const char *ip, int port);
/* While frozen (on != 0) nothing is copied either way: a peer that hangs
 * mid-conversation. */
void pgredis_forward_freeze(struct pgredis_forward *f, int on);
/* Stops the thread, closes everything, removes the socket; returns how many
 * connections it forwarded. */
int pgredis_forward_stop(struct pgredis_forward *f);

/* A TCP listener on ip, port 0, that never accepts (a peer that takes the
 * connection and says nothing).  Returns the fd, its port in *port; fails
 * the test when it cannot be made. */
int pgredis_listen(const char *ip, int *port);

#endif
