/* ssh_jump — see ssh_jump.h. */
#include "backends/transport/ssh_jump.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/transport/ssh_pump_waitset.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define SSH_JUMP_MAX_ROUNDS 64   /* relay rounds per step, so that a flood cannot hold it */

/* One direction's bytes in flight. */
struct ssh_jump_buf {
	char *data;              /* SSH_JUMP_BUF_CAP bytes */
	size_t off, len;
};

enum ssh_jump_stall { STALL_NONE, STALL_READ, STALL_WRITE };

struct ssh_jump_hop {
	const struct ssh_target *target;   /* borrowed */
	char *label;                       /* "jump host bastion (127.0.0.101:22)" */
	struct ssh_session sess;           /* over TCP (the first) or the previous relay */
	bool open;                         /* sess is open */
	LIBSSH2_CHANNEL *ch;               /* direct-tcpip to the next hop, or NULL */
	int fd;                            /* the relay's end of the socketpair, or -1 */
	struct ssh_jump_buf up;            /* fd -> ch: what the next session sends */
	struct ssh_jump_buf down;          /* ch -> fd */
	enum ssh_jump_stall stall;         /* a half-sent packet only this call may finish */
	size_t read_len;                   /* the last channel read's length: a stalled read is
	                                    * repeated with it (ssh_jump_relay) */
	bool fd_eof;                       /* the next session closed its end */
	bool ch_eof;                       /* the next hop closed the channel */
	bool dead;                         /* the relay is over, fd shut down */
	uint32_t sock_reg, fd_reg;         /* what each is in the epoll set for */
	struct ssh_session_via via;        /* what the next session runs over */
};

struct ssh_jump {
	struct ssh_jump_hop hops[SSH_JUMP_MAX_HOPS];
	size_t nhops;                      /* hops with a session (open or being opened) */
	struct ssh_pump_waitset ws;        /* every relay's fds: ssh_session_via.fd */
	char *failure;
};

int
ssh_jump_split(const char *spec, char **hops, size_t max, size_t *n, char **cause)
{
	const char *p = spec;

	*n = 0;
	if (spec == NULL || *spec == '\0' || strcasecmp(spec, "none") == 0)
		return 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char *hop = xstrndup(p, len), *h = hop, *user = NULL, *host = NULL, *why = NULL;
		int port = 0;

		if (strncasecmp(h, "ssh://", 6) == 0) {
			memmove(h, h + 6, strlen(h + 6) + 1);
			if (h[0] != '\0' && h[strlen(h) - 1] == '/')
				h[strlen(h) - 1] = '\0';
		}
		if (*h == '\0' || strpbrk(h, " \t") != NULL ||
		    ssh_config_split_target(h, &user, &host, &port, &why) != 0) {
			util_set_cause(cause, "bad jump host \"%.*s\" in \"%s\"%s%s", (int)len, p, spec,
			    why != NULL ? ": " : "", why != NULL ? why : "");
			free(why);
			free(hop);
			goto fail;
		}
		free(user);
		free(host);
		if (*n == max) {
			util_set_cause(cause, "too many jump hosts in \"%s\" (at most %zu)", spec, max);
			free(hop);
			goto fail;
		}
		hops[(*n)++] = hop;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
fail:
	while (*n > 0)
		free(hops[--*n]);
	return -1;
}

void
ssh_jump_targets_free(struct ssh_target *targets, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ssh_target_done(&targets[i]);
	free(targets);
}

int
ssh_jump_resolve(const char *spec, const char *path, const struct ssh_config_env *env,
    const char *known_hosts, struct ssh_target **out, size_t *n, char **cause)
{
	char *hops[SSH_JUMP_MAX_HOPS];
	size_t nhops, i, j;
	struct ssh_target *t;

	*out = NULL;
	*n = 0;
	if (ssh_jump_split(spec, hops, SSH_JUMP_MAX_HOPS, &nhops, cause) != 0)
		return -1;
	if (nhops == 0)
		return 0;
	t = xcalloc(nhops, sizeof *t);
	for (i = 0; i < nhops; i++) {
		char *why = NULL;

		if (ssh_config_resolve_file(hops[i], path, env, &t[i], &why) != 0) {
			util_set_cause(cause, "jump host %s: %s", hops[i], why);
			free(why);
			for (j = i; j < nhops; j++)
				free(hops[j]);
			ssh_jump_targets_free(t, i);
			return -1;
		}
		free(hops[i]);
		/* a hop's own ProxyJump is not followed: the chain is written whole */
		free(t[i].proxy_jump);
		t[i].proxy_jump = NULL;
		if (known_hosts != NULL) {
			for (j = 0; j < t[i].nknown_hosts_files; j++)
				free(t[i].known_hosts_files[j]);
			free(t[i].known_hosts_files);
			t[i].known_hosts_files = xcalloc(1, sizeof(char *));
			t[i].known_hosts_files[0] = xstrdup(known_hosts);
			t[i].nknown_hosts_files = 1;
		}
	}
	*out = t;
	*n = nhops;
	return 0;
}

/* The failure of hop h's session (libssh2 said rc): the first one is kept,
 * and the relay ends, which ends every session behind it. */
static void
ssh_jump_hop_lost(struct ssh_jump *j, struct ssh_jump_hop *h, int rc)
{
	if (j->failure == NULL)
		j->failure = xasprintf("ssh: %s: connection lost: %s (libssh2 error %d)", h->label,
		    ssh_session_last_error(h->sess.s), rc);
	h->dead = true;
	(void)shutdown(h->fd, SHUT_RDWR);
}

/* A channel call returned rc < 0: a stall, the hop's end, or the relay's. */
static void
ssh_jump_channel_rc(struct ssh_jump *j, struct ssh_jump_hop *h, int rc, enum ssh_jump_stall op)
{
	if (rc == LIBSSH2_ERROR_EAGAIN) {
		if (libssh2_session_block_directions(h->sess.s) & LIBSSH2_SESSION_BLOCK_OUTBOUND)
			h->stall = op;
		return;
	}
	if (ssh_session_lost_rc(rc)) {
		ssh_jump_hop_lost(j, h, rc);
		return;
	}
	/* the channel alone ended (the next hop closed it): so does the relay */
	h->dead = true;
	(void)shutdown(h->fd, SHUT_RDWR);
}

/* One round of one relay.  True when a byte moved. */
static bool
ssh_jump_relay(struct ssh_jump *j, struct ssh_jump_hop *h)
{
	bool progress = false;
	ssize_t n;

	if (h->dead || h->ch == NULL)
		return false;
	/* the next session's bytes, into up */
	if (!h->fd_eof && h->up.len < SSH_JUMP_BUF_CAP) {
		if (h->up.off > 0 && h->up.len > 0)
			memmove(h->up.data, h->up.data + h->up.off, h->up.len);
		h->up.off = 0;
		n = recv(h->fd, h->up.data + h->up.len, SSH_JUMP_BUF_CAP - h->up.len, MSG_DONTWAIT);
		if (n > 0) {
			h->up.len += (size_t)n;
			progress = true;
		} else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			h->fd_eof = true;
	}
	/* up, into the channel (it also takes in what arrived, window adjusts among it) */
	if (h->up.len > 0 && h->stall != STALL_READ) {
		h->stall = STALL_NONE;
		n = libssh2_channel_write(h->ch, h->up.data + h->up.off, h->up.len);
		if (n > 0) {
			h->up.off += (size_t)n;
			h->up.len -= (size_t)n;
			if (h->up.len == 0)
				h->up.off = 0;
			progress = true;
			/* a reply to what the write took in, still half sent: the
			 * next write or read (each reads first) finishes it */
			if (libssh2_session_block_directions(h->sess.s) &
			    LIBSSH2_SESSION_BLOCK_OUTBOUND)
				h->stall = h->up.len > 0 ? STALL_WRITE : STALL_READ;
		} else if (n < 0)
			ssh_jump_channel_rc(j, h, (int)n, STALL_WRITE);
		if (h->dead)
			return progress;
	}
	/* the channel's bytes, into down.  A read that stalled (a window
	 * adjustment it sent, half sent) is repeated with the same length: only
	 * that finishes it with libssh2 counting the adjustment it sent (see
	 * ssh_pump_bridge_reread); down has only shrunk since, so it fits. */
	if (h->stall == STALL_READ ||
	    (!h->ch_eof && h->down.len < SSH_JUMP_BUF_CAP && h->stall != STALL_WRITE)) {
		size_t len = h->stall == STALL_READ && h->read_len > 0 ? h->read_len :
		    SSH_JUMP_BUF_CAP - h->down.len;

		if (h->down.off > 0 && h->down.len > 0)
			memmove(h->down.data, h->down.data + h->down.off, h->down.len);
		h->down.off = 0;
		h->stall = STALL_NONE;
		h->read_len = len;
		n = len == 0 ? LIBSSH2_ERROR_EAGAIN :
		    libssh2_channel_read(h->ch, h->down.data + h->down.len, len);
		if (n > 0) {
			h->down.len += (size_t)n;
			progress = true;
			if (libssh2_session_block_directions(h->sess.s) &
			    LIBSSH2_SESSION_BLOCK_OUTBOUND)
				h->stall = STALL_READ;
		} else if (n == 0 && libssh2_channel_eof(h->ch))
			h->ch_eof = true;
		else if (n < 0)
			ssh_jump_channel_rc(j, h, (int)n, STALL_READ);
		if (h->dead)
			return progress;
	}
	/* down, to the next session */
	if (h->down.len > 0) {
		n = send(h->fd, h->down.data + h->down.off, h->down.len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			h->down.off += (size_t)n;
			h->down.len -= (size_t)n;
			if (h->down.len == 0)
				h->down.off = 0;
			progress = true;
		} else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			h->fd_eof = true;
	}
	/* either end gone (and what the next session still had to read given
	 * to it): the relay is over */
	if ((h->ch_eof && h->down.len == 0) || (h->fd_eof && h->up.len == 0)) {
		h->dead = true;
		(void)shutdown(h->fd, SHUT_RDWR);
	}
	return progress;
}

/* Brings the epoll set in step with what each relay waits for. */
static void
ssh_jump_watch(struct ssh_jump *j)
{
	size_t i;

	for (i = 0; i < j->nhops; i++) {
		struct ssh_jump_hop *h = &j->hops[i];
		uint32_t sock = 0, fd = 0;

		if (h->ch == NULL)
			continue;
		if (!h->dead) {
			/* the session's socket is read by channel calls only: wanted
			 * while one will be made, or the wait would spin */
			if (h->down.len < SSH_JUMP_BUF_CAP || h->up.len > 0 || h->stall != STALL_NONE)
				sock |= EPOLLIN;
			if (libssh2_session_block_directions(h->sess.s) &
			    LIBSSH2_SESSION_BLOCK_OUTBOUND)
				sock |= EPOLLOUT;
			if (!h->fd_eof && h->up.len < SSH_JUMP_BUF_CAP)
				fd |= EPOLLIN;
			if (h->down.len > 0)
				fd |= EPOLLOUT;
		}
		/* a refusal leaves the fd out: the waits still end every second */
		(void)ssh_pump_waitset_set(&j->ws, h->sess.sock, &h->sock_reg, sock);
		(void)ssh_pump_waitset_set(&j->ws, h->fd, &h->fd_reg, fd);
	}
}

void
ssh_jump_step(void *jump)
{
	struct ssh_jump *j = jump;
	int round;

	for (round = 0; round < SSH_JUMP_MAX_ROUNDS; round++) {
		bool progress = false;
		size_t i;

		for (i = 0; i < j->nhops; i++) {
			uint64_t rx = j->hops[i].sess.rx_reads;

			progress |= ssh_jump_relay(j, &j->hops[i]);
			/* bytes taken in by a write may be the channel's: read again */
			progress |= j->hops[i].sess.rx_reads != rx;
		}
		if (!progress)
			break;
	}
	ssh_jump_watch(j);
}

const struct ssh_session_via *
ssh_jump_via(struct ssh_jump *j)
{
	return &j->hops[j->nhops - 1].via;
}

const char *
ssh_jump_failure(const struct ssh_jump *j)
{
	return j != NULL ? j->failure : NULL;
}

/* "ssh: why" → "LABEL: why"; "stopped" stays. */
static void
ssh_jump_hop_cause(struct ssh_jump *j, const struct ssh_jump_hop *h, char *why, char **cause)
{
	const char *w = why != NULL ? why : "failed";

	if (why != NULL && strcmp(why, "stopped") == 0)
		util_set_cause(cause, "stopped");
	else if (j->failure != NULL)   /* a hop before it died meanwhile: that is the reason */
		util_set_cause(cause, "%s", j->failure);
	else
		util_set_cause(cause, "ssh: %s: %s", h->label,
		    strncmp(w, "ssh: ", 5) == 0 ? w + 5 : w);
	free(why);
}

/* Opens hop i's channel to host:port and its relay.  0, or -1 with *cause. */
static int
ssh_jump_channel(struct ssh_jump *j, struct ssh_jump_hop *h, const char *host, int port,
    const struct ssh_session_params *hp, char **cause)
{
	int64_t deadline = time_mono_ms() + hp->timeout_ms;
	int sv[2], w;

	while ((h->ch = libssh2_channel_direct_tcpip_ex(h->sess.s, host, port, "127.0.0.1",
	    22)) == NULL && libssh2_session_last_errno(h->sess.s) == LIBSSH2_ERROR_EAGAIN) {
		w = ssh_session_wait(&h->sess, hp, deadline);
		if (w <= 0) {
			ssh_jump_hop_cause(j, h, w < 0 ? xstrdup("stopped") :
			    xasprintf("no answer within %d s to opening a connection to %s port %d",
			    (hp->timeout_ms + 999) / 1000, host, port), cause);
			return -1;
		}
	}
	if (h->ch == NULL) {
		ssh_jump_hop_cause(j, h, xasprintf("cannot reach %s port %d from there: %s", host,
		    port, ssh_session_last_error(h->sess.s)), cause);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0) {
		ssh_jump_hop_cause(j, h, xasprintf("socketpair: %s", strerror(errno)), cause);
		return -1;
	}
	h->fd = sv[1];
	h->up.data = xmalloc(SSH_JUMP_BUF_CAP);
	h->down.data = xmalloc(SSH_JUMP_BUF_CAP);
	h->via.sock = sv[0];
	h->via.fd = j->ws.epfd;
	h->via.step = ssh_jump_step;
	h->via.arg = j;
	return 0;
}

int
ssh_jump_open(const struct ssh_target *hops, size_t n, const char *final_host,
    int final_port, const struct ssh_session_params *p, struct ssh_jump **out,
    char **cause)
{
	struct ssh_jump *j;
	size_t i;

	*out = NULL;
	if (n == 0 || n > SSH_JUMP_MAX_HOPS) {
		util_set_cause(cause, "ssh: %s: %zu jump hosts (1 to %d)", p->name, n,
		    SSH_JUMP_MAX_HOPS);
		return -1;
	}
	j = xcalloc(1, sizeof *j);
	if (ssh_pump_waitset_open(&j->ws) != 0) {
		util_set_cause(cause, "ssh: %s: epoll: %s", p->name, strerror(errno));
		free(j);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct ssh_jump_hop *h = &j->hops[i];
		struct ssh_session_params hp = *p;
		const char *next = i + 1 < n ? hops[i + 1].hostname : final_host;
		int next_port = i + 1 < n ? hops[i + 1].port : final_port;
		char *why = NULL;

		h->fd = -1;
		h->target = &hops[i];
		h->label = xasprintf("jump host %s (%s:%d)", hops[i].alias, hops[i].hostname,
		    hops[i].port);
		hp.name = hops[i].alias;
		hp.target = &hops[i];
		hp.via = i > 0 ? &j->hops[i - 1].via : NULL;
		j->nhops = i + 1;
		if (ssh_session_open(&hp, &h->sess, &why) != 0) {
			ssh_jump_hop_cause(j, h, why, cause);
			goto fail;
		}
		h->open = true;
		if (ssh_jump_channel(j, h, next, next_port, &hp, cause) != 0)
			goto fail;
	}
	*out = j;
	return 0;
fail:
	ssh_jump_close(j, 0);
	return -1;
}

void
ssh_jump_close(struct ssh_jump *j, int grace_ms)
{
	size_t i;

	if (j == NULL)
		return;
	/* last first: each goodbye travels through the relays before it */
	for (i = j->nhops; i-- > 0;) {
		struct ssh_jump_hop *h = &j->hops[i];

		if (h->open)
			ssh_session_disconnect(&h->sess, grace_ms);
		if (h->ch != NULL)
			(void)libssh2_channel_free(h->ch);
		h->ch = NULL;
		if (h->open)
			ssh_session_close(&h->sess);
		h->open = false;
		if (h->fd >= 0)
			close(h->fd);
		free(h->up.data);
		free(h->down.data);
		free(h->label);
	}
	ssh_pump_waitset_close(&j->ws);
	free(j->failure);
	free(j);
}
