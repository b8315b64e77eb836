/* ssh_keyfile — what kind of private key a file holds, without decrypting
 * it: so kitetop can say "this key needs a passphrase" instead of prompting,
 * and "only RSA keys were offered" when libssh2 1.10 cannot use them.
 * Pure functions, any thread. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_KEYFILE_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

enum ssh_keyfile_type {
	SSH_KEYFILE_UNKNOWN,       /* a private key whose type is not visible (PKCS#8) */
	SSH_KEYFILE_ED25519,
	SSH_KEYFILE_ECDSA,
	SSH_KEYFILE_RSA,
	SSH_KEYFILE_SK,            /* a FIDO security key: sk-ssh-ed25519@openssh.com,
	                            * sk-ecdsa-sha2-nistp256@openssh.com (libssh2 1.10
	                            * cannot sign with them) */
	SSH_KEYFILE_OTHER,         /* dss, ... */
};

struct ssh_keyfile_info {
	enum ssh_keyfile_type type;
	bool encrypted;            /* protected by a passphrase */
};

/* Inspects the text of a private key file (OpenSSH "openssh-key-v1" or PEM).
 * Returns 0 and fills *out, or -1 when the text is not a private key. */
int ssh_keyfile_inspect(const char *text, size_t len, struct ssh_keyfile_info *out);

/* The type of an SSH public key blob (its first string, e.g. "ssh-ed25519"). */
enum ssh_keyfile_type ssh_keyfile_blob_type(const unsigned char *blob, size_t len);

/* "ed25519", "ecdsa", "rsa", "fido", "other", "unknown". */
const char *ssh_keyfile_type_name(enum ssh_keyfile_type t);

#endif
