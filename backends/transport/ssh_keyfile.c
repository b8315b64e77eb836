/* ssh_keyfile — see ssh_keyfile.h. */
#include "backends/transport/ssh_keyfile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/transport/ssh_knownhosts.h"
#include "core/base/util.h"

#define SSH_KEYFILE_MAX_DECODED (64 * 1024)

static const char *
ssh_keyfile_find(const char *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle));
}

/* Reads an SSH "string" (uint32 length, bytes) at *p; -1 when it overruns. */
static int
ssh_keyfile_string(const unsigned char **p, const unsigned char *end,
    const unsigned char **s, size_t *slen)
{
	uint32_t n;

	if (end - *p < 4)
		return -1;
	n = (uint32_t)(*p)[0] << 24 | (uint32_t)(*p)[1] << 16 | (uint32_t)(*p)[2] << 8 | (*p)[3];
	*p += 4;
	if ((size_t)(end - *p) < n)
		return -1;
	*s = *p;
	*slen = n;
	*p += n;
	return 0;
}

static enum ssh_keyfile_type
ssh_keyfile_name_type(const unsigned char *s, size_t n)
{
	if (n == 11 && memcmp(s, "ssh-ed25519", 11) == 0)
		return SSH_KEYFILE_ED25519;
	if (n > 11 && memcmp(s, "ecdsa-sha2-", 11) == 0)
		return SSH_KEYFILE_ECDSA;
	if (n == 7 && memcmp(s, "ssh-rsa", 7) == 0)
		return SSH_KEYFILE_RSA;
	if (n > 3 && memcmp(s, "sk-", 3) == 0)
		return SSH_KEYFILE_SK;
	return SSH_KEYFILE_OTHER;
}

enum ssh_keyfile_type
ssh_keyfile_blob_type(const unsigned char *blob, size_t len)
{
	const unsigned char *p = blob, *s;
	size_t n;

	if (ssh_keyfile_string(&p, blob + len, &s, &n) != 0)
		return SSH_KEYFILE_UNKNOWN;
	return ssh_keyfile_name_type(s, n);
}

const char *
ssh_keyfile_type_name(enum ssh_keyfile_type t)
{
	switch (t) {
	case SSH_KEYFILE_ED25519: return "ed25519";
	case SSH_KEYFILE_ECDSA: return "ecdsa";
	case SSH_KEYFILE_RSA: return "rsa";
	case SSH_KEYFILE_SK: return "fido";
	case SSH_KEYFILE_OTHER: return "other";
	case SSH_KEYFILE_UNKNOWN: break;
	}
	return "unknown";
}

static int
ssh_keyfile_openssh(const char *body, size_t len, struct ssh_keyfile_info *out)
{
	static const char magic[] = "openssh-key-v1";
	unsigned char *d;
	const unsigned char *p, *end, *cipher, *kdf, *kdfopt, *pub;
	size_t clen, klen, olen, plen, dlen = 0, i;
	char *clean = xmalloc(len + 1);
	long n;
	int rc = -1;

	/* drop the line breaks and blanks base64 may carry */
	for (i = 0; i < len; i++)
		if (body[i] != '\n' && body[i] != '\r' && body[i] != ' ' && body[i] != '\t')
			clean[dlen++] = body[i];
	d = xmalloc(dlen + 1);
	n = ssh_knownhosts_base64_decode(clean, dlen, d, dlen + 1);
	free(clean);
	if (n < (long)sizeof magic || memcmp(d, magic, sizeof magic) != 0)
		goto out;
	p = d + sizeof magic;
	end = d + n;
	if (ssh_keyfile_string(&p, end, &cipher, &clen) != 0 ||
	    ssh_keyfile_string(&p, end, &kdf, &klen) != 0 ||
	    ssh_keyfile_string(&p, end, &kdfopt, &olen) != 0 || end - p < 4)
		goto out;
	p += 4;                                  /* number of keys */
	if (ssh_keyfile_string(&p, end, &pub, &plen) != 0)
		goto out;
	out->encrypted = !(clen == 4 && memcmp(cipher, "none", 4) == 0);
	out->type = ssh_keyfile_blob_type(pub, plen);
	rc = 0;
out:
	free(d);
	return rc;
}

int
ssh_keyfile_inspect(const char *text, size_t len, struct ssh_keyfile_info *out)
{
	static const char oss_begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	static const char oss_end[] = "-----END OPENSSH PRIVATE KEY-----";
	const char *b, *e;

	memset(out, 0, sizeof *out);
	if (len > SSH_KEYFILE_MAX_DECODED)
		len = SSH_KEYFILE_MAX_DECODED;
	b = ssh_keyfile_find(text, len, oss_begin);
	if (b != NULL) {
		b += sizeof oss_begin - 1;
		e = ssh_keyfile_find(b, len - (size_t)(b - text), oss_end);
		if (e == NULL)
			return -1;
		return ssh_keyfile_openssh(b, (size_t)(e - b), out);
	}
	if (ssh_keyfile_find(text, len, "-----BEGIN RSA PRIVATE KEY-----") != NULL)
		out->type = SSH_KEYFILE_RSA;
	else if (ssh_keyfile_find(text, len, "-----BEGIN EC PRIVATE KEY-----") != NULL)
		out->type = SSH_KEYFILE_ECDSA;
	else if (ssh_keyfile_find(text, len, "-----BEGIN DSA PRIVATE KEY-----") != NULL)
		out->type = SSH_KEYFILE_OTHER;
	else if (ssh_keyfile_find(text, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL) {
		out->type = SSH_KEYFILE_UNKNOWN;
		out->encrypted = true;
		return 0;
	} else if (ssh_keyfile_find(text, len, "-----BEGIN PRIVATE KEY-----") != NULL) {
		out->type = SSH_KEYFILE_UNKNOWN;
		return 0;
	} else
		return -1;
	out->encrypted = ssh_keyfile_find(text, len, "Proc-Type: 4,ENCRYPTED") != NULL;
	return 0;
}
