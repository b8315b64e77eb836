/* ssh_knownhosts — see ssh_knownhosts.h. */
#include "backends/transport/ssh_knownhosts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/transport/ssh_config.h"
#include "core/base/buf.h"
#include "core/base/util.h"

#define SSH_KNOWNHOSTS_MAX_LINE 16384

/* One collection per file, so a mismatch can name its file. */
struct ssh_knownhosts {
	LIBSSH2_KNOWNHOSTS *set[SSH_CONFIG_MAX_FILES];
	char *file[SSH_CONFIG_MAX_FILES];
	size_t n;
	char *first;                   /* the first file configured, read or not */
};

/* The host-key kinds kitetop knows, in its order of preference. */
static const struct {
	int hostkey_type;              /* LIBSSH2_HOSTKEY_TYPE_* */
	int knownhost_bits;            /* LIBSSH2_KNOWNHOST_KEY_* */
	const char *name;
} ssh_knownhosts_kinds[] = {
	{ LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521" },
	{ LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa" },
};

static const char ssh_knownhosts_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
ssh_knownhosts_base64(const unsigned char *p, size_t n, bool pad)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_puts(&b, "");
	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];

		buf_putc(&b, ssh_knownhosts_b64[v >> 18 & 63]);
		buf_putc(&b, ssh_knownhosts_b64[v >> 12 & 63]);
		buf_putc(&b, ssh_knownhosts_b64[v >> 6 & 63]);
		buf_putc(&b, ssh_knownhosts_b64[v & 63]);
	}
	if (n - i == 1) {
		unsigned v = (unsigned)p[i] << 16;

		buf_putc(&b, ssh_knownhosts_b64[v >> 18 & 63]);
		buf_putc(&b, ssh_knownhosts_b64[v >> 12 & 63]);
		if (pad)
			buf_puts(&b, "==");
	} else if (n - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;

		buf_putc(&b, ssh_knownhosts_b64[v >> 18 & 63]);
		buf_putc(&b, ssh_knownhosts_b64[v >> 12 & 63]);
		buf_putc(&b, ssh_knownhosts_b64[v >> 6 & 63]);
		if (pad)
			buf_putc(&b, '=');
	}
	return buf_steal(&b);
}

long
ssh_knownhosts_base64_decode(const char *s, size_t slen, unsigned char *out, size_t cap)
{
	unsigned v = 0;
	int bits = 0;
	size_t i, n = 0;

	for (i = 0; i < slen; i++) {
		const char *c;

		if (s[i] == '=' || s[i] == '\0')
			break;
		c = strchr(ssh_knownhosts_b64, s[i]);
		if (c == NULL)
			break;
		v = (v << 6 | (unsigned)(c - ssh_knownhosts_b64)) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return -1;
			out[n++] = (unsigned char)(v >> bits & 0xff);
		}
	}
	if (bits >= 6)      /* one lone character: not valid base64 */
		return -1;
	return (long)n;
}

void
ssh_knownhosts_fingerprint(const unsigned char digest[32], char *out, size_t n)
{
	char *b = ssh_knownhosts_base64(digest, 32, false);

	snprintf(out, n, "SHA256:%s", b);
	free(b);
}

const char *
ssh_knownhosts_key_name(int hostkey_type)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(ssh_knownhosts_kinds); i++)
		if (ssh_knownhosts_kinds[i].hostkey_type == hostkey_type)
			return ssh_knownhosts_kinds[i].name;
	return NULL;
}

static int
ssh_knownhosts_bits(int hostkey_type)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(ssh_knownhosts_kinds); i++)
		if (ssh_knownhosts_kinds[i].hostkey_type == hostkey_type)
			return ssh_knownhosts_kinds[i].knownhost_bits;
	return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
}

char *
ssh_knownhosts_line(const char *host, int port, const char *key_name,
    const unsigned char *key, size_t keylen)
{
	char *b = ssh_knownhosts_base64(key, keylen, true), *line;

	if (port == 22)
		line = xasprintf("%s %s %s", host, key_name, b);
	else
		line = xasprintf("[%s]:%d %s %s", host, port, key_name, b);
	free(b);
	return line;
}

struct ssh_knownhosts *
ssh_knownhosts_load(LIBSSH2_SESSION *s, char *const *files, size_t n)
{
	struct ssh_knownhosts *kh = xcalloc(1, sizeof *kh);
	size_t i;

	if (n > 0)
		kh->first = xstrdup(files[0]);
	for (i = 0; i < n && kh->n < SSH_CONFIG_MAX_FILES; i++) {
		FILE *f = fopen(files[i], "re");
		char line[SSH_KNOWNHOSTS_MAX_LINE];
		LIBSSH2_KNOWNHOSTS *set;

		if (f == NULL)
			continue;
		set = libssh2_knownhost_init(s);
		if (set == NULL) {
			fclose(f);
			continue;
		}
		while (fgets(line, sizeof line, f) != NULL) {
			/* Skipped one by one: libssh2_knownhost_readfile would stop
			 * reading at the first line it does not understand. */
			(void)libssh2_knownhost_readline(set, line, strlen(line),
			    LIBSSH2_KNOWNHOST_FILE_OPENSSH);
		}
		fclose(f);
		kh->set[kh->n] = set;
		kh->file[kh->n] = xstrdup(files[i]);
		kh->n++;
	}
	return kh;
}

void
ssh_knownhosts_free(struct ssh_knownhosts *kh)
{
	size_t i;

	if (kh == NULL)
		return;
	for (i = 0; i < kh->n; i++) {
		libssh2_knownhost_free(kh->set[i]);
		free(kh->file[i]);
	}
	free(kh->first);
	free(kh);
}

void
ssh_knownhosts_methods(struct ssh_knownhosts *kh, const char *host, int port, char *out,
    size_t outlen)
{
	static const char dummy[] = "kitetop-probe";
	unsigned mask = 0;
	size_t i, k;
	struct buf b;

	for (k = 0; k < UTIL_ARRAY_LEN(ssh_knownhosts_kinds); k++) {
		for (i = 0; i < kh->n; i++) {
			/* A key that cannot match: MISMATCH means an entry of exactly
			 * this type exists for the host (the key bits restrict the
			 * comparison to that type). */
			int rc = libssh2_knownhost_checkp(kh->set[i], host, port, dummy,
			    sizeof dummy - 1, LIBSSH2_KNOWNHOST_TYPE_PLAIN |
			    LIBSSH2_KNOWNHOST_KEYENC_RAW | ssh_knownhosts_kinds[k].knownhost_bits,
			    NULL);

			if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH ||
			    rc == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
				mask |= 1u << k;
				break;
			}
		}
	}
	if (mask == 0)
		mask = (1u << UTIL_ARRAY_LEN(ssh_knownhosts_kinds)) - 1;
	buf_init(&b);
	for (k = 0; k < UTIL_ARRAY_LEN(ssh_knownhosts_kinds); k++) {
		if ((mask & (1u << k)) == 0)
			continue;
		if (b.len > 0)
			buf_putc(&b, ',');
		buf_puts(&b, ssh_knownhosts_kinds[k].name);
	}
	util_strlcpy(out, buf_cstr(&b), outlen);
	buf_done(&b);
}

/* s in single quotes for a shell, a quote inside as '\'' */
static void ssh_knownhosts_quote(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

char *
ssh_knownhosts_remove_command(const char *file, const char *home, const char *host, int port)
{
	char *spec = port == 22 ? xstrdup(host) : xasprintf("[%s]:%d", host, port);
	char *dflt = home != NULL ? xasprintf("%s/.ssh/known_hosts", home) : NULL;
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "ssh-keygen ");
	if (file != NULL && (dflt == NULL || strcmp(file, dflt) != 0)) {
		buf_puts(&b, "-f ");
		ssh_knownhosts_quote(&b, file);
		buf_putc(&b, ' ');
	}
	buf_puts(&b, "-R ");
	ssh_knownhosts_quote(&b, spec);
	free(dflt);
	free(spec);
	return buf_steal(&b);
}

int
ssh_knownhosts_check(struct ssh_knownhosts *kh, LIBSSH2_SESSION *s, const char *name,
    const char *host, int port, char **cause)
{
	const unsigned char *key, *digest;
	size_t keylen = 0, i;
	int type = 0, bits, rc;
	const char *mismatch_file = NULL, *kname;
	char fp[64], *line;

	key = (const unsigned char *)libssh2_session_hostkey(s, &keylen, &type);
	digest = (const unsigned char *)libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
	if (key == NULL || digest == NULL) {
		util_set_cause(cause, "ssh: %s (%s:%d) sent no host key", name, host, port);
		return -1;
	}
	kname = ssh_knownhosts_key_name(type);
	bits = ssh_knownhosts_bits(type);
	if (kname == NULL) {
		util_set_cause(cause, "ssh: %s (%s:%d) offered a host key of a type kitetop does "
		    "not know", name, host, port);
		return -1;
	}
	ssh_knownhosts_fingerprint(digest, fp, sizeof fp);
	for (i = 0; i < kh->n; i++) {
		rc = libssh2_knownhost_checkp(kh->set[i], host, port, (const char *)key, keylen,
		    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | bits, NULL);
		if (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH)
			return 0;
		if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH && mismatch_file == NULL)
			mismatch_file = kh->file[i];
	}
	if (mismatch_file != NULL) {
		char *cmd = ssh_knownhosts_remove_command(mismatch_file, getenv("HOME"), host, port);

		util_set_cause(cause, "ssh: host key mismatch for %s (%s:%d): its %s key is now %s, "
		    "which is not the key recorded in %s. Someone may be intercepting the "
		    "connection, or the host's key was replaced. Refusing to connect; if the "
		    "change is expected, remove the old line (%s) and verify "
		    "the new key.", name, host, port, kname, fp, mismatch_file, cmd);
		free(cmd);
		return -1;
	}
	line = ssh_knownhosts_line(host, port, kname, key, keylen);
	util_set_cause(cause, "ssh: %s (%s:%d) is not a known host. Its %s key has the "
	    "fingerprint %s. If that is right, add this line to %s: %s", name, host, port, kname,
	    fp, kh->first != NULL ? kh->first : "~/.ssh/known_hosts", line);
	free(line);
	return -1;
}
