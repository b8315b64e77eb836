/* ssh_session — see ssh_session.h. */
#include "backends/transport/ssh_session.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/transport/ssh_keyfile.h"
#include "backends/transport/ssh_knownhosts.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define SSH_SESSION_MAX_KEYFILE (64 * 1024)
#define SSH_SESSION_MAX_BLOB 4096
#define SSH_SESSION_OPEN_CAP 4       /* an opening that keeps answering: at most 4 timeouts */

static pthread_once_t ssh_session_once = PTHREAD_ONCE_INIT;

static void
ssh_session_init_once(void)
{
	if (libssh2_init(0) != 0)
		fatal("libssh2_init failed");
}

void
ssh_session_global_init(void)
{
	pthread_once(&ssh_session_once, ssh_session_init_once);
}

const char *
ssh_session_last_error(LIBSSH2_SESSION *s)
{
	char *msg = NULL;

	if (s == NULL)
		return "";
	libssh2_session_last_error(s, &msg, NULL, 0);
	return msg != NULL ? msg : "";
}

/* poll() on fd for events, plus the wake fd and the relay's fd (via, may be
 * NULL: its step runs before each poll).  1 ready, 0 timeout, -1 stopped. */
static int
ssh_session_poll(int fd, short events, const struct ssh_session_via *via,
    const struct ssh_session_params *p, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd[3];
		int64_t left;
		int n = 1, rc, wake = -1;

		if (via != NULL)
			via->step(via->arg);
		left = deadline - time_mono_ms();
		if (left <= 0)
			return 0;
		pfd[0].fd = fd;
		pfd[0].events = events;
		pfd[0].revents = 0;
		if (p->wake_fd >= 0) {
			wake = n;
			pfd[n].fd = p->wake_fd;
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
		if (via != NULL) {
			pfd[n].fd = via->fd;
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
		rc = poll(pfd, (nfds_t)n, left > 1000 ? 1000 : (int)left);
		if (rc < 0 && errno != EINTR)
			return 0;
		if (rc <= 0)
			continue;
		if (wake > 0 && (pfd[wake].revents & POLLIN) != 0 && p->drain != NULL &&
		    p->drain(p->wake_arg))
			return -1;
		if (pfd[0].revents != 0) {
			if (via != NULL)
				via->step(via->arg);
			return 1;
		}
	}
}

int
ssh_session_wait(const struct ssh_session *c, const struct ssh_session_params *p,
    int64_t deadline_ms)
{
	int dir = libssh2_session_block_directions(c->s);
	short ev = 0;

	/* opening: a server that answers, however slowly, is given the
	 * timeout after each answer (a handshake and authentication are some
	 * six round trips: at a 1 s round trip, more than a 5 s timeout) */
	if (c->idle_ms > 0 && c->last_rx_ms + c->idle_ms > deadline_ms) {
		deadline_ms = c->last_rx_ms + c->idle_ms;
		if (deadline_ms > c->open_cap_ms)
			deadline_ms = c->open_cap_ms;
	}
	if (dir & LIBSSH2_SESSION_BLOCK_INBOUND)
		ev |= POLLIN;
	if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		ev |= POLLOUT;
	if (ev == 0)
		ev = POLLIN;
	return ssh_session_poll(c->sock, ev, c->via, p, deadline_ms);
}

static int
ssh_session_tcp(const struct ssh_session_params *p, int64_t deadline, char **cause)
{
	const struct ssh_target *t = p->target;
	struct addrinfo hints, *res = NULL, *ai;
	char port[16];
	int rc, fd = -1, err = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof port, "%d", t->port);
	/* getaddrinfo blocks; names are usually addresses or /etc/hosts entries here */
	rc = getaddrinfo(t->hostname, port, &hints, &res);
	if (rc != 0) {
		util_set_cause(cause, "ssh: cannot resolve %s: %s", t->hostname, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		socklen_t len = sizeof err;
		int one = 1, w;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno != EINPROGRESS) {
			err = errno;
			close(fd);
			fd = -1;
			continue;
		}
		w = ssh_session_poll(fd, POLLOUT, NULL, p, deadline);
		if (w < 0) {
			close(fd);
			freeaddrinfo(res);
			util_set_cause(cause, "stopped");
			return -1;
		}
		if (w == 0) {
			err = ETIMEDOUT;
			close(fd);
			fd = -1;
			break;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
			(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		if (err == ETIMEDOUT)
			util_set_cause(cause, "ssh: no answer from %s port %d within %d s",
			    t->hostname, t->port, (p->timeout_ms + 999) / 1000);
		else
			util_set_cause(cause, "ssh: cannot connect to %s port %d: %s", t->hostname,
			    t->port, strerror(err));
	}
	return fd;
}

/* Reads the blob of PATH.pub ("type base64 comment"); 0 with *len, or -1. */
static int
ssh_session_pub_blob(const char *path, unsigned char *blob, size_t cap, size_t *len)
{
	char *pub = xasprintf("%s.pub", path), *text = NULL, *b, *e, *cause = NULL;
	size_t tlen;
	long n;

	if (util_read_file(pub, SSH_SESSION_MAX_BLOB * 2, &text, &tlen, &cause) != 0) {
		free(cause);
		free(pub);
		return -1;
	}
	free(pub);
	b = strchr(text, ' ');
	if (b == NULL) {
		free(text);
		return -1;
	}
	b++;
	e = b + strcspn(b, " \t\r\n");
	n = ssh_knownhosts_base64_decode(b, (size_t)(e - b), blob, cap);
	free(text);
	if (n <= 0)
		return -1;
	*len = (size_t)n;
	return 0;
}

/* The state of one authentication attempt, for the final message. */
struct ssh_session_auth {
	struct buf tried;          /* "agent key (ed25519) x, ~/.ssh/id_ed25519, ..." */
	int nrsa, nother;          /* keys offered and refused, by kind */
	int nsk;                   /* FIDO keys skipped: libssh2 1.10 cannot sign with them */
	char *sk_first;            /* the first of them, for the message */
	char *locked;              /* first passphrase-protected file skipped */
	const char *user;
	char **files;
	size_t nfiles;
};

static void
ssh_session_tried(struct ssh_session_auth *a, enum ssh_keyfile_type type, const char *what)
{
	if (a->tried.len > 0)
		buf_puts(&a->tried, ", ");
	buf_printf(&a->tried, "%s (%s)", what, ssh_keyfile_type_name(type));
	if (type == SSH_KEYFILE_RSA)
		a->nrsa++;
	else
		a->nother++;
}

/* Whether an agent key is one of the identity files (IdentitiesOnly). */
static bool
ssh_session_blob_listed(const struct ssh_session_auth *a, const unsigned char *blob, size_t len)
{
	unsigned char pub[SSH_SESSION_MAX_BLOB];
	size_t plen, i;

	for (i = 0; i < a->nfiles; i++)
		if (ssh_session_pub_blob(a->files[i], pub, sizeof pub, &plen) == 0 &&
		    plen == len && memcmp(pub, blob, len) == 0)
			return true;
	return false;
}

/* 1 authenticated, 0 not, -1 stopped or timed out (*cause set). */
static int
ssh_session_auth_agent(struct ssh_session *c, const struct ssh_session_params *p,
    struct ssh_session_auth *a, int64_t deadline, char **cause)
{
	LIBSSH2_AGENT *agent;
	struct libssh2_agent_publickey *id = NULL, *prev = NULL;
	const char *sock = p->target->identity_agent != NULL ? p->target->identity_agent :
	    getenv("SSH_AUTH_SOCK");
	int result = 0;

	if (p->target->agent_none || sock == NULL || *sock == '\0')
		return 0;
	agent = libssh2_agent_init(c->s);
	if (agent == NULL)
		return 0;
	/* IdentityAgent (1Password, Bitwarden, ...): that socket, not $SSH_AUTH_SOCK */
	libssh2_agent_set_identity_path(agent, sock);
	if (libssh2_agent_connect(agent) != 0 || libssh2_agent_list_identities(agent) != 0) {
		libssh2_agent_free(agent);
		return 0;
	}
	while (libssh2_agent_get_identity(agent, &id, prev) == 0) {
		enum ssh_keyfile_type type = ssh_keyfile_blob_type(id->blob, id->blob_len);
		int rc;

		prev = id;
		if ((p->target->identities_only || p->identity_file != NULL) &&
		    !ssh_session_blob_listed(a, id->blob, id->blob_len))
			continue;
		if (type == SSH_KEYFILE_SK) {
			a->nsk++;
			if (a->sk_first == NULL)
				a->sk_first = xasprintf("agent key %s",
				    id->comment != NULL ? id->comment : "");
			continue;
		}
		while ((rc = libssh2_agent_userauth(agent, a->user, id)) == LIBSSH2_ERROR_EAGAIN) {
			int w = ssh_session_wait(c, p, deadline);

			if (w <= 0) {
				util_set_cause(cause, w < 0 ? "stopped" :
				    "ssh: %s did not finish authentication in time", p->name);
				result = -1;
				goto out;
			}
		}
		if (rc == 0) {
			snprintf(c->auth, sizeof c->auth, "agent key %s (%s)",
			    id->comment != NULL ? id->comment : "", ssh_keyfile_type_name(type));
			result = 1;
			goto out;
		}
		ssh_session_tried(a, type, "an agent key");
	}
out:
	libssh2_agent_disconnect(agent);
	libssh2_agent_free(agent);
	return result;
}

/* 1 authenticated, 0 not, -1 stopped or timed out (*cause set). */
static int
ssh_session_auth_file(struct ssh_session *c, const struct ssh_session_params *p,
    struct ssh_session_auth *a, const char *path, int64_t deadline, char **cause)
{
	struct ssh_keyfile_info info;
	char *text = NULL, *why = NULL, *pub;
	size_t len;
	int rc;

	if (util_read_file(path, SSH_SESSION_MAX_KEYFILE, &text, &len, &why) != 0) {
		free(why);
		return 0;              /* missing or unreadable: as ssh(1), go on */
	}
	rc = ssh_keyfile_inspect(text, len, &info);
	free(text);
	if (rc != 0)
		return 0;
	if (info.type == SSH_KEYFILE_SK) {
		a->nsk++;
		if (a->sk_first == NULL)
			a->sk_first = xstrdup(path);
		return 0;
	}
	if (info.encrypted) {
		if (a->locked == NULL)
			a->locked = xstrdup(path);
		return 0;
	}
	pub = xasprintf("%s.pub", path);
	if (access(pub, R_OK) != 0) {
		free(pub);
		pub = NULL;
	}
	while ((rc = libssh2_userauth_publickey_fromfile_ex(c->s, a->user,
	    (unsigned)strlen(a->user), pub, path, NULL)) == LIBSSH2_ERROR_EAGAIN) {
		int w = ssh_session_wait(c, p, deadline);

		if (w <= 0) {
			free(pub);
			util_set_cause(cause, w < 0 ? "stopped" :
			    "ssh: %s did not finish authentication in time", p->name);
			return -1;
		}
	}
	free(pub);
	if (rc == 0) {
		snprintf(c->auth, sizeof c->auth, "key file %s", path);
		return 1;
	}
	ssh_session_tried(a, info.type, path);
	return 0;
}

/* The message when no key was accepted: what was tried, why it could not
 * work with libssh2 1.10, and what to do. */
static void
ssh_session_auth_failed(const struct ssh_session_params *p, const struct ssh_session_auth *a,
    char **files, size_t n, char **cause)
{
	const struct ssh_target *t = p->target;
	struct buf m;

	buf_init(&m);
	if (a->locked != NULL && a->nother == 0)
		buf_printf(&m, "ssh: %s is protected by a passphrase and no ssh-agent holds "
		    "it; kitetop never asks for passphrases. Run ssh-add %s (with SSH_AUTH_SOCK set "
		    "for kitetop)%s%s.", a->locked, a->locked,
		    a->tried.len > 0 ? "; also refused: " : "", buf_cstr(&a->tried));
	else if (a->nrsa > 0 && a->nother == 0)
		buf_printf(&m, "ssh: %s refused the RSA key(s) offered for user %s (%s). "
		    "libssh2 1.10, which kitetop uses, cannot make the rsa-sha2-256/512 signatures "
		    "that OpenSSH 8.8 and later require for RSA keys. Use an ed25519 key instead "
		    "(ssh-keygen -t ed25519) and add its .pub to the host's authorized_keys.",
		    p->name, t->user, buf_cstr(&a->tried));
	else if (a->tried.len == 0 && a->nsk > 0)
		buf_printf(&m, "ssh: %s: the FIDO security key %s (sk-ssh-ed25519 / sk-ecdsa) "
		    "cannot sign in: libssh2 1.10, which kitetop uses, does not support security "
		    "keys. Give kitetop an ed25519 key without one (ssh-keygen -t ed25519, its .pub "
		    "in the host's authorized_keys; identity_file = in kitetop's [host]).", p->name,
		    a->sk_first);
	else if (a->tried.len == 0)
		buf_printf(&m, "ssh: no key to offer to %s for user %s: no ssh-agent key "
		    "(%s%s) and no identity file found (%s%s)", p->name, t->user,
		    t->agent_none ? "IdentityAgent none" : t->identity_agent != NULL ?
		    "IdentityAgent " : "SSH_AUTH_SOCK ",
		    t->agent_none ? "" : t->identity_agent != NULL ? t->identity_agent :
		    getenv("SSH_AUTH_SOCK") != NULL ? "set" : "not set", n > 0 ? files[0] : "none",
		    n > 1 ? ", ..." : "");
	else
		buf_printf(&m, "ssh: %s refused every key offered for user %s (%s)", p->name,
		    t->user, buf_cstr(&a->tried));
	if (a->nsk > 0 && a->tried.len > 0)
		buf_printf(&m, "; the FIDO security key %s was not offered: libssh2 1.10 does not "
		    "support security keys", a->sk_first);
	if (t->ncertificate_files > 0)
		buf_printf(&m, "; CertificateFile %s was not used: libssh2 1.10 cannot sign in "
		    "with OpenSSH user certificates, so the host must accept the key itself (its "
		    ".pub in authorized_keys)", t->certificate_files[0]);
	util_set_cause(cause, "%s", buf_cstr(&m));
	buf_done(&m);
}

static int
ssh_session_auth(struct ssh_session *c, const struct ssh_session_params *p, int64_t deadline,
    char **cause)
{
	const struct ssh_target *t = p->target;
	struct ssh_session_auth a;
	char *list, *files[SSH_CONFIG_MAX_FILES + 1];
	size_t i, n = 0;
	int rc = -1, r;

	/* kitetop's identity_file first, without asking which methods the server
	 * takes (the "none" request: a round trip, 300 ms on a slow link); when
	 * it is not accepted at once, everything below as if it was not tried */
	if (p->identity_file != NULL) {
		memset(&a, 0, sizeof a);
		buf_init(&a.tried);
		a.user = t->user;
		r = ssh_session_auth_file(c, p, &a, p->identity_file, deadline, cause);
		buf_done(&a.tried);
		free(a.locked);
		free(a.sk_first);
		if (r != 0)
			return r == 1 ? 0 : -1;
	}
	/* userauth_list sends "none": Tailscale SSH accepts it outright. */
	for (;;) {
		list = libssh2_userauth_list(c->s, t->user, (unsigned)strlen(t->user));
		if (list != NULL || libssh2_session_last_errno(c->s) != LIBSSH2_ERROR_EAGAIN)
			break;
		r = ssh_session_wait(c, p, deadline);
		if (r <= 0) {
			util_set_cause(cause, r < 0 ? "stopped" :
			    "ssh: %s did not finish authentication in time", p->name);
			return -1;
		}
	}
	if (list == NULL) {
		if (libssh2_userauth_authenticated(c->s)) {
			util_strlcpy(c->auth, "none (the server asked for no key)", sizeof c->auth);
			return 0;
		}
		util_set_cause(cause, "ssh: %s: authentication failed: %s", p->name,
		    ssh_session_last_error(c->s));
		return -1;
	}
	if (strstr(list, "publickey") == NULL) {
		util_set_cause(cause, "ssh: %s accepts only \"%s\" for user %s; kitetop signs in with "
		    "keys (publickey) only", p->name, list, t->user);
		return -1;
	}

	/* kitetop's identity_file stands alone, as IdentitiesOnly would: an agent
	 * with many keys could otherwise use up the server's MaxAuthTries */
	if (p->identity_file != NULL)
		files[n++] = (char *)p->identity_file;
	for (i = 0; p->identity_file == NULL && i < t->nidentity_files; i++)
		files[n++] = t->identity_files[i];
	memset(&a, 0, sizeof a);
	buf_init(&a.tried);
	a.user = t->user;
	a.files = files;
	a.nfiles = n;

	r = ssh_session_auth_agent(c, p, &a, deadline, cause);
	for (i = 0; r == 0 && i < n; i++)
		r = ssh_session_auth_file(c, p, &a, files[i], deadline, cause);
	if (r == 1)
		rc = 0;
	else if (r < 0)
		rc = -1;
	else
		ssh_session_auth_failed(p, &a, files, n, cause);
	buf_done(&a.tried);
	free(a.locked);
	free(a.sk_first);
	return rc;
}

/* libssh2's socket reads, noting when bytes arrive (for liveness). */
static LIBSSH2_RECV_FUNC(ssh_session_recv)
{
	struct ssh_session *c = *abstract;
	ssize_t n = recv(socket, buffer, length, flags);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n > 0) {
		c->last_rx_ms = time_mono_ms();
		c->rx_reads++;
	}
	return n;
}

bool
ssh_session_lost_rc(int rc)
{
	switch (rc) {
	case LIBSSH2_ERROR_SOCKET_SEND:
	case LIBSSH2_ERROR_SOCKET_RECV:
	case LIBSSH2_ERROR_SOCKET_DISCONNECT:
	case LIBSSH2_ERROR_SOCKET_TIMEOUT:
	case LIBSSH2_ERROR_TIMEOUT:
	case LIBSSH2_ERROR_KEX_FAILURE:
	case LIBSSH2_ERROR_DECRYPT:
	case LIBSSH2_ERROR_PROTO:
	case LIBSSH2_ERROR_INVALID_MAC:
	case LIBSSH2_ERROR_HOSTKEY_INIT:
	case LIBSSH2_ERROR_HOSTKEY_SIGN:
	case LIBSSH2_ERROR_OUT_OF_BOUNDARY:
	case LIBSSH2_ERROR_BAD_USE:
		return true;
	default:
		return false;
	}
}

unsigned ssh_session_test_eagain_every;

/* The tests' sends (ssh_session_test_eagain_every): every Nth says EAGAIN. */
static LIBSSH2_SEND_FUNC(ssh_session_send_test)
{
	struct ssh_session *c = *abstract;
	ssize_t n;

	if (c->test_eagain_every > 0 && ++c->test_sends % c->test_eagain_every == 0)
		return -EAGAIN;
	n = send(socket, buffer, length, flags);
	return n < 0 ? (errno == EWOULDBLOCK ? -EAGAIN : -errno) : n;
}

int
ssh_session_open(const struct ssh_session_params *p, struct ssh_session *out, char **cause)
{
	const struct ssh_target *t = p->target;
	int64_t start = time_mono_ms(), deadline = start + p->timeout_ms;
	struct ssh_knownhosts *kh;
	char prefs[SSH_KNOWNHOSTS_METHODS_LEN];
	int rc, w;

	ssh_session_global_init();
	memset(out, 0, sizeof *out);
	out->sock = -1;
	if (t->proxy_command != NULL && t->proxy_jump == NULL) {
		util_set_cause(cause, "ssh: %s: ProxyCommand %s cannot be used: kitetop's SSH "
		    "(libssh2) connects by itself and does not run a command as the connection. "
		    "If the command is ssh -W %%h:%%p JUMPHOST (or nc through a bastion), write "
		    "ProxyJump JUMPHOST instead in ~/.ssh/config.", p->name, t->proxy_command);
		return -1;
	}
	out->via = p->via;
	out->sock = p->via != NULL ? p->via->sock : ssh_session_tcp(p, deadline, cause);
	if (out->sock < 0) {
		if (p->via != NULL)
			util_set_cause(cause, "ssh: %s: no relay socket", p->name);
		else
			out->unanswered = true;
		return -1;
	}
	out->idle_ms = p->timeout_ms;
	out->open_cap_ms = start + (int64_t)SSH_SESSION_OPEN_CAP * p->timeout_ms;
	out->s = libssh2_session_init_ex(NULL, NULL, NULL, out);
	if (out->s == NULL)
		fatal("libssh2_session_init: out of memory");
	libssh2_session_callback_set(out->s, LIBSSH2_CALLBACK_RECV, (void *)ssh_session_recv);
	out->test_eagain_every = ssh_session_test_eagain_every;
	if (out->test_eagain_every > 0)
		libssh2_session_callback_set(out->s, LIBSSH2_CALLBACK_SEND,
		    (void *)ssh_session_send_test);
	libssh2_session_set_blocking(out->s, 0);

	kh = ssh_knownhosts_load(out->s, t->known_hosts_files, t->nknown_hosts_files);
	ssh_knownhosts_methods(kh, t->hostname, t->port, prefs, sizeof prefs);
	if (libssh2_session_method_pref(out->s, LIBSSH2_METHOD_HOSTKEY, prefs) != 0) {
		util_set_cause(cause, "ssh: libssh2 does not support the host key types %s", prefs);
		goto fail;
	}
	while ((rc = libssh2_session_handshake(out->s, out->sock)) == LIBSSH2_ERROR_EAGAIN) {
		w = ssh_session_wait(out, p, deadline);
		if (w <= 0) {
			out->unanswered = w == 0;
			util_set_cause(cause, w < 0 ? "stopped" :
			    "ssh: %s port %d accepted the connection but did not complete the SSH "
			    "handshake (silent for %d s)", t->hostname, t->port,
			    (p->timeout_ms + 999) / 1000);
			goto fail;
		}
	}
	if (rc != 0) {
		util_set_cause(cause, "ssh: handshake with %s port %d failed: %s (host key types "
		    "asked for, from known_hosts: %s)", t->hostname, t->port,
		    ssh_session_last_error(out->s), prefs);
		goto fail;
	}
	if (ssh_knownhosts_check(kh, out->s, p->name, t->hostname, t->port, cause) != 0)
		goto fail;
	ssh_knownhosts_free(kh);
	kh = NULL;
	if (ssh_session_auth(out, p, deadline, cause) != 0)
		goto fail;
	out->idle_ms = 0;
	out->connect_ms = time_mono_ms() - start;
	return 0;
fail:
	ssh_knownhosts_free(kh);
	ssh_session_disconnect(out, 0);
	ssh_session_close(out);
	return -1;
}

void
ssh_session_disconnect(struct ssh_session *c, int grace_ms)
{
	if (c->s != NULL && c->sock >= 0 && grace_ms > 0) {
		int64_t deadline = time_mono_ms() + grace_ms;
		struct ssh_session_params none = { .wake_fd = -1 };

		while (libssh2_session_disconnect(c->s, "kitetop is done") == LIBSSH2_ERROR_EAGAIN)
			if (ssh_session_wait(c, &none, deadline) <= 0)
				break;
	}
	if (c->sock >= 0)
		(void)shutdown(c->sock, SHUT_RDWR);
}

void
ssh_session_close(struct ssh_session *c)
{
	int i;

	if (c->s != NULL) {
		/* the socket is shut down: nothing can wait any more */
		for (i = 0; i < 100 && libssh2_session_free(c->s) == LIBSSH2_ERROR_EAGAIN; i++)
			;
		c->s = NULL;
	}
	if (c->sock >= 0)
		close(c->sock);
	c->sock = -1;
}
