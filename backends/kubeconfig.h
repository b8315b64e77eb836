/* kubeconfig — the credentials of one context of a kubeconfig file (the
 * YAML kubectl reads), for the cluster feed's HTTPS client.
 *
 * Supported: client certificates and keys, bearer tokens, CA bundles, each
 * inline (*-data, base64) or in a file; insecure-skip-tls-verify and
 * tls-server-name.  Refused in words: exec credential plugins,
 * auth-providers, basic auth, a user with no credentials.  Files over 1 MB
 * are refused. */
#ifndef KITETOP_BACKENDS_KUBECONFIG_H
#define KITETOP_BACKENDS_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct kube_creds {
	char *server;                         /* clusters[].cluster.server */
	char *ca_pem; size_t ca_len;          /* certificate-authority-data decoded, or the file's bytes; NULL: none */
	char *cert_pem; size_t cert_len;      /* client-certificate(-data) */
	char *key_pem; size_t key_len;        /* client-key(-data) */
	char *token;                          /* users[].user.token or tokenFile's content (trimmed) */
	bool insecure;                        /* insecure-skip-tls-verify */
	char *tls_server_name;
	char *context, *namespace;            /* the context used, its namespace (NULL: none set) */
};
/* Every blob is also NUL-terminated (ca_pem[ca_len] == '\0'). */

#define KUBECONFIG_MAX (1u << 20)

/* The text of a kubeconfig; context NULL = its current-context; base_dir:
 * the directory relative file paths are read from (NULL: file references
 * are refused with a clear error — a kubeconfig read over SSH).  0, or -1
 * with *cause in words and *out empty. */
int kubeconfig_parse(const char *text, size_t len, const char *context, const char *base_dir,
                     struct kube_creds *out, char **cause);
/* kubectl's loading rules: $KUBECONFIG (':'-separated; missing files are
 * skipped; the first file to define a name wins, current-context from the
 * first file that sets it; relative paths from the file that names them),
 * else ~/.kube/config. */
int kubeconfig_load(const char *context, struct kube_creds *out, char **cause);
/* Wipes the secret bytes (explicit_bzero) then frees; *c is left empty. */
void kube_creds_done(struct kube_creds *c);

#endif
