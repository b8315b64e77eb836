/* ssh_knownhosts — strict host-key checking for the SSH transport, on top of
 * libssh2_knownhost_* (hashed |1| entries and [host]:port included).
 *
 * Use per connection attempt, in the thread that owns the session:
 *   kh = ssh_knownhosts_load(session, files, n, &cause);
 *   ssh_knownhosts_methods(kh, host, port, prefs, sizeof prefs);  before the handshake,
 *       libssh2_session_method_pref(s, LIBSSH2_METHOD_HOSTKEY, prefs)
 *   ssh_knownhosts_check(kh, session, name, host, port, &cause); after it
 *   ssh_knownhosts_free(kh);
 * There is no way to turn checking off.  Files are re-read on every attempt, so
 * a line the user adds is seen at the next reconnection. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_KNOWNHOSTS_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_KNOWNHOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include <libssh2.h>

struct ssh_knownhosts;

/* "SHA256:" and the unpadded base64 of the 32-byte digest, as ssh-keygen -l
 * prints it.  n >= 51 holds it whole. */
void ssh_knownhosts_fingerprint(const unsigned char digest[32], char *out, size_t n);

/* Base64 (RFC 4648), with or without '=' padding.  Caller frees. */
char *ssh_knownhosts_base64(const unsigned char *p, size_t n, bool pad);

/* Decodes base64 (padding optional; stops at the first character that is not
 * base64).  Returns the number of bytes written to out (at most cap), or -1
 * when the input is malformed or does not fit. */
long ssh_knownhosts_base64_decode(const char *s, size_t slen, unsigned char *out, size_t cap);

/* "ssh-ed25519", "ecdsa-sha2-nistp256", ... for a LIBSSH2_HOSTKEY_TYPE_*;
 * NULL for an unknown type. */
const char *ssh_knownhosts_key_name(int hostkey_type);

/* The known_hosts line for host:port (plain host for 22, else "[host]:port")
 * and a raw key blob.  Caller frees. */
char *ssh_knownhosts_line(const char *host, int port, const char *key_name,
    const unsigned char *key, size_t keylen);

/* The command that removes host:port's recorded key from file ("ssh-keygen
 * -R 'host'", "[host]:port" for a port not 22): ssh-keygen edits only
 * ~/.ssh/known_hosts unless told otherwise, so any other file (a host's
 * known_hosts key, UserKnownHostsFile) gets "-f 'FILE'", or the advice
 * would edit the wrong file.  home is $HOME (NULL: always -f).  Words in
 * single quotes for a shell.  Caller frees. */
char *ssh_knownhosts_remove_command(const char *file, const char *home, const char *host, int port);

/* Reads the files (missing ones are skipped; lines libssh2 cannot parse, such
 * as @cert-authority or sk- keys, are skipped one by one).  Never NULL. */
struct ssh_knownhosts *ssh_knownhosts_load(LIBSSH2_SESSION *s, char *const *files, size_t n);
void ssh_knownhosts_free(struct ssh_knownhosts *kh);

/* The host-key algorithms the files hold for host:port, in kitetop's order of
 * preference (ed25519, ecdsa, rsa) as a comma-separated list for
 * libssh2_session_method_pref; when nothing is known, that whole order, so an
 * unknown host shows its ed25519 key.  Written to out (SSH_KNOWNHOSTS_METHODS_LEN
 * bytes hold every list). */
#define SSH_KNOWNHOSTS_METHODS_LEN 128
void ssh_knownhosts_methods(struct ssh_knownhosts *kh, const char *host, int port, char *out,
    size_t outlen);

/* Checks the session's host key (after the handshake).  name is the host's
 * name in kitetop's config, for messages.  Returns 0 when the key matches;
 * else -1 and *cause: for an unknown host its key type, SHA256 fingerprint and
 * the line to add; for a changed key "ssh: host key mismatch for NAME ...". */
int ssh_knownhosts_check(struct ssh_knownhosts *kh, LIBSSH2_SESSION *s, const char *name,
    const char *host, int port, char **cause);

#endif
