/* kubeconfig — see kubeconfig.h.  The YAML is loaded with libyaml into a
 * document per file; a context is resolved by name through the files in
 * order (the first that defines a name wins, as kubectl merges), then its
 * cluster and user.  Every scalar of a document is wiped before the
 * document is freed: they hold keys and tokens. */
#include "backends/kubeconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "backends/transport/ssh_knownhosts.h"
#include "core/base/buf.h"
#include "core/base/util.h"

#define MAX_FILES 16

struct kc_file {
	yaml_document_t doc;
	bool loaded;
	const char *path;     /* for messages; NULL for text given */
	char *dir;            /* relative paths are read from here; NULL refuses files */
};

/* ---- the YAML tree ---- */

static yaml_node_t *root(struct kc_file *f)
{
	yaml_node_t *r = f->loaded ? yaml_document_get_root_node(&f->doc) : NULL;

	return r != NULL && r->type == YAML_MAPPING_NODE ? r : NULL;
}

/* A scalar's text; NULL for another node or one holding a NUL byte. */
static const char *scalar(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE ||
	    strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* YAML's null: ~, null, or nothing, unquoted. */
static bool is_null(const yaml_node_t *n)
{
	const char *s = scalar(n);

	return s != NULL && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (*s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0);
}

static yaml_node_t *map_get(struct kc_file *f, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(yaml_document_get_node(&f->doc, p->key));

		if (k != NULL && strcmp(k, key) == 0)
			return yaml_document_get_node(&f->doc, p->value);
	}
	return NULL;
}

/* A non-empty string value (null and "" read as absent). */
static const char *map_str(struct kc_file *f, yaml_node_t *map, const char *key)
{
	yaml_node_t *n = map_get(f, map, key);
	const char *s = scalar(n);

	if (s == NULL || *s == '\0')
		return NULL;
	if (is_null(n))
		return NULL;
	return s;
}

/* The entry named name of the list (clusters, contexts, users) of a file:
 * its inner mapping (cluster, context, user); *found says whether the
 * name is there at all (an entry whose inner mapping is missing still
 * defines the name). */
static yaml_node_t *named(struct kc_file *f, const char *list, const char *name,
                          const char *inner, bool *found)
{
	yaml_node_t *seq = map_get(f, root(f), list);
	yaml_node_item_t *it;

	*found = false;
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
		return NULL;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(&f->doc, *it);
		const char *n = map_str(f, e, "name");

		if (n != NULL && strcmp(n, name) == 0) {
			*found = true;
			return map_get(f, e, inner);
		}
	}
	return NULL;
}

/* "a, b" of the names of a list over all files, for messages. */
static char *names(struct kc_file *fs, size_t nf, const char *list)
{
	struct buf b;
	size_t i, k = 0;

	buf_init(&b);
	for (i = 0; i < nf; i++) {
		yaml_node_t *seq = map_get(&fs[i], root(&fs[i]), list);
		yaml_node_item_t *it;

		if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
			continue;
		for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
			const char *n = map_str(&fs[i], yaml_document_get_node(&fs[i].doc, *it), "name");

			if (n == NULL || k >= 20)
				continue;
			buf_printf(&b, "%s%.64s", k++ > 0 ? ", " : "", n);
		}
	}
	if (k == 0)
		buf_puts(&b, "none");
	return buf_steal(&b);
}

static void wipe_doc(struct kc_file *f)
{
	yaml_node_t *n;

	if (!f->loaded)
		return;
	for (n = f->doc.nodes.start; n < f->doc.nodes.top; n++)
		if (n->type == YAML_SCALAR_NODE && n->data.scalar.value != NULL)
			explicit_bzero(n->data.scalar.value, n->data.scalar.length);
	yaml_document_delete(&f->doc);
	f->loaded = false;
}

static int load_doc(struct kc_file *f, const char *text, size_t len, const char *what,
                    char **cause)
{
	yaml_parser_t p;

	if (len > KUBECONFIG_MAX) {
		util_set_cause(cause, "kubeconfig %s is over %u bytes", what, KUBECONFIG_MAX);
		return -1;
	}
	if (!yaml_parser_initialize(&p))
		fatal("out of memory (yaml)");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &f->doc)) {
		util_set_cause(cause, "kubeconfig %s: YAML error at line %zu: %s", what,
		               (size_t)p.problem_mark.line + 1, p.problem ? p.problem : "malformed");
		yaml_parser_delete(&p);
		return -1;
	}
	yaml_parser_delete(&p);
	f->loaded = true;
	if (yaml_document_get_root_node(&f->doc) != NULL && root(f) == NULL) {
		util_set_cause(cause, "kubeconfig %s: not a mapping at the top", what);
		wipe_doc(f);
		return -1;
	}
	return 0;
}

/* ---- values ---- */

/* Strict base64: whitespace ignored, '=' only at the end, no other byte. */
static int b64_decode(const char *s, char **out, size_t *out_len)
{
	size_t n = strlen(s), i, k = 0, pad = 0;
	char *clean = xmalloc(n + 1);
	unsigned char *dst;
	long got;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		                 (c >= '0' && c <= '9') || c == '+' || c == '/'))
			goto bad;
		clean[k++] = c;
	}
	if (pad > 2 || (pad > 0 && (k + pad) % 4 != 0) || k % 4 == 1)
		goto bad;
	dst = xmalloc(k * 3 / 4 + 2);
	got = ssh_knownhosts_base64_decode(clean, k, dst, k * 3 / 4 + 1);
	explicit_bzero(clean, n + 1);
	free(clean);
	if (got < 0) {
		free(dst);
		return -1;
	}
	dst[got] = '\0';
	*out = (char *)dst;
	*out_len = (size_t)got;
	return 0;
bad:
	explicit_bzero(clean, n + 1);
	free(clean);
	return -1;
}

static int read_ref(struct kc_file *f, const char *key, const char *path, const char *who,
                    char **out, size_t *out_len, char **cause)
{
	char *full, *why = NULL;
	int rc;

	if (f->dir == NULL) {
		util_set_cause(cause,
		               "kubeconfig: %s names a file (%s: %.200s), which is not read from a "
		               "kubeconfig given as text; use %s-data",
		               who, key, path, key);
		return -1;
	}
	full = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", f->dir, path);
	rc = util_read_file(full, KUBECONFIG_MAX, out, out_len, &why);
	if (rc != 0)
		util_set_cause(cause, "kubeconfig: %s: %s: %s", who, key, why);
	free(why);
	free(full);
	return rc;
}

/* A blob given inline (data_key, base64) or in a file (file_key). */
static int blob(struct kc_file *f, yaml_node_t *map, const char *file_key, const char *who,
                char **out, size_t *out_len, char **cause)
{
	char data_key[64];
	const char *data, *path;

	snprintf(data_key, sizeof data_key, "%s-data", file_key);
	data = map_str(f, map, data_key);
	path = map_str(f, map, file_key);
	if (data != NULL) {
		if (b64_decode(data, out, out_len) != 0) {
			util_set_cause(cause, "kubeconfig: %s: %s is not valid base64", who, data_key);
			return -1;
		}
		return 0;
	}
	if (path != NULL)
		return read_ref(f, file_key, path, who, out, out_len, cause);
	return 0;
}

static bool yes(const char *s)
{
	bool v = false;

	return s != NULL && util_parse_bool(s, &v) && v;
}

/* ---- resolving a context ---- */

/* The first file (in order) that defines name in list: its index, its inner
 * mapping in *inner; -1 when none does. */
static int find(struct kc_file *fs, size_t nf, const char *list, const char *name,
                const char *inner_key, yaml_node_t **inner)
{
	size_t i;
	bool found;

	for (i = 0; i < nf; i++) {
		*inner = named(&fs[i], list, name, inner_key, &found);
		if (found)
			return (int)i;
	}
	*inner = NULL;
	return -1;
}

static int user_creds(struct kc_file *f, yaml_node_t *u, const char *uname,
                      struct kube_creds *out, char **cause)
{
	char who[128], *tok = NULL;
	const char *s;
	size_t len;
	yaml_node_t *ap = map_get(f, u, "auth-provider");

	snprintf(who, sizeof who, "user \"%.64s\"", uname);
	if (map_get(f, u, "exec") != NULL && !is_null(map_get(f, u, "exec"))) {
		util_set_cause(cause, "kubeconfig: exec credential plugins are not supported (%s): "
		               "use a client certificate or a token", who);
		return -1;
	}
	if (ap != NULL && !is_null(ap)) {
		s = map_str(f, ap, "name");
		util_set_cause(cause, "kubeconfig: auth-provider \"%.64s\" is not supported (%s): "
		               "use a client certificate or a token", s != NULL ? s : "?", who);
		return -1;
	}
	if (blob(f, u, "client-certificate", who, &out->cert_pem, &out->cert_len, cause) != 0 ||
	    blob(f, u, "client-key", who, &out->key_pem, &out->key_len, cause) != 0)
		return -1;
	s = map_str(f, u, "token");
	if (s != NULL) {
		out->token = xstrdup(s);
	} else if ((s = map_str(f, u, "tokenFile")) != NULL) {
		if (read_ref(f, "tokenFile", s, who, &tok, &len, cause) != 0)
			return -1;
		while (len > 0 && (tok[len - 1] == '\n' || tok[len - 1] == '\r' ||
		                   tok[len - 1] == ' ' || tok[len - 1] == '\t'))
			tok[--len] = '\0';
		out->token = tok;
		if (len == 0) {
			util_set_cause(cause, "kubeconfig: %s: tokenFile %.200s is empty", who, s);
			return -1;
		}
	}
	if ((out->cert_pem == NULL) != (out->key_pem == NULL)) {
		util_set_cause(cause, "kubeconfig: %s has a client %s without a client %s", who,
		               out->cert_pem != NULL ? "certificate" : "key",
		               out->cert_pem != NULL ? "key" : "certificate");
		return -1;
	}
	if (out->cert_pem == NULL && out->token == NULL) {
		if (map_str(f, u, "username") != NULL || map_str(f, u, "password") != NULL)
			util_set_cause(cause, "kubeconfig: basic auth is not supported (%s): use a "
			               "client certificate or a token", who);
		else
			util_set_cause(cause, "kubeconfig: %s has no client certificate or token", who);
		return -1;
	}
	return 0;
}

static int resolve(struct kc_file *fs, size_t nf, const char *context, struct kube_creds *out,
                   char **cause)
{
	const char *ctx = context, *cname, *uname, *s;
	yaml_node_t *cx, *cl, *us;
	char *list;
	size_t i;
	int fi;

	for (i = 0; ctx == NULL && i < nf; i++)
		ctx = map_str(&fs[i], root(&fs[i]), "current-context");
	if (ctx == NULL) {
		list = names(fs, nf, "contexts");
		util_set_cause(cause, "kubeconfig: no current-context and no context given "
		               "(contexts: %s)", list);
		free(list);
		return -1;
	}
	fi = find(fs, nf, "contexts", ctx, "context", &cx);
	if (fi < 0) {
		list = names(fs, nf, "contexts");
		util_set_cause(cause, "kubeconfig: context \"%.64s\" not found (contexts: %s)", ctx,
		               list);
		free(list);
		return -1;
	}
	out->context = xstrdup(ctx);
	out->namespace = xstrdup(map_str(&fs[fi], cx, "namespace"));
	cname = map_str(&fs[fi], cx, "cluster");
	uname = map_str(&fs[fi], cx, "user");
	if (cname == NULL) {
		util_set_cause(cause, "kubeconfig: context \"%.64s\" names no cluster", ctx);
		return -1;
	}
	fi = find(fs, nf, "clusters", cname, "cluster", &cl);
	if (fi < 0) {
		util_set_cause(cause, "kubeconfig: context \"%.64s\" names cluster \"%.64s\", which "
		               "is not defined", ctx, cname);
		return -1;
	}
	s = map_str(&fs[fi], cl, "server");
	if (s == NULL) {
		util_set_cause(cause, "kubeconfig: cluster \"%.64s\" has no server", cname);
		return -1;
	}
	out->server = xstrdup(s);
	out->insecure = yes(map_str(&fs[fi], cl, "insecure-skip-tls-verify"));
	out->tls_server_name = xstrdup(map_str(&fs[fi], cl, "tls-server-name"));
	{
		char who[96];

		snprintf(who, sizeof who, "cluster \"%.64s\"", cname);
		if (blob(&fs[fi], cl, "certificate-authority", who, &out->ca_pem, &out->ca_len,
		         cause) != 0)
			return -1;
	}
	if (uname == NULL) {
		util_set_cause(cause, "kubeconfig: context \"%.64s\" names no user", ctx);
		return -1;
	}
	fi = find(fs, nf, "users", uname, "user", &us);
	if (fi < 0) {
		util_set_cause(cause, "kubeconfig: context \"%.64s\" names user \"%.64s\", which is "
		               "not defined", ctx, uname);
		return -1;
	}
	return user_creds(&fs[fi], us, uname, out, cause);
}

static int resolve_done(struct kc_file *fs, size_t nf, const char *context,
                        struct kube_creds *out, char **cause)
{
	int rc = resolve(fs, nf, context, out, cause);
	size_t i;

	if (rc != 0)
		kube_creds_done(out);
	for (i = 0; i < nf; i++) {
		wipe_doc(&fs[i]);
		free(fs[i].dir);
	}
	return rc;
}

int kubeconfig_parse(const char *text, size_t len, const char *context, const char *base_dir,
                     struct kube_creds *out, char **cause)
{
	struct kc_file f;

	memset(out, 0, sizeof *out);
	memset(&f, 0, sizeof f);
	if (text == NULL) {
		util_set_cause(cause, "kubeconfig: no text");
		return -1;
	}
	if (load_doc(&f, text, len, "text", cause) != 0)
		return -1;
	f.dir = xstrdup(base_dir);
	return resolve_done(&f, 1, context, out, cause);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Reads and loads one file into fs[*nf]; a missing one is skipped (when
 * skip_missing), as kubectl does for $KUBECONFIG. */
static int load_file(struct kc_file *fs, size_t *nf, const char *path, bool skip_missing,
                     char **cause)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (skip_missing && access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if (util_read_file(path, KUBECONFIG_MAX, &text, &len, cause) != 0) {
		char *why = *cause;

		*cause = NULL;
		util_set_cause(cause, "kubeconfig: %s", why);
		free(why);
		return -1;
	}
	memset(&fs[*nf], 0, sizeof fs[*nf]);
	rc = load_doc(&fs[*nf], text, len, path, cause);
	explicit_bzero(text, len);
	free(text);
	if (rc != 0)
		return -1;
	fs[*nf].path = path;
	fs[*nf].dir = dir_of(path);
	(*nf)++;
	return 0;
}

int kubeconfig_load(const char *context, struct kube_creds *out, char **cause)
{
	struct kc_file fs[MAX_FILES];
	const char *env = getenv("KUBECONFIG"), *home;
	char *paths = NULL, *path, *save = NULL, *def = NULL;
	size_t nf = 0, i;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (env != NULL && *env != '\0') {
		paths = xstrdup(env);
		for (path = strtok_r(paths, ":", &save); path != NULL && rc == 0;
		     path = strtok_r(NULL, ":", &save))
			if (nf < MAX_FILES)
				rc = load_file(fs, &nf, path, true, cause);
		if (rc == 0 && nf == 0) {
			util_set_cause(cause, "kubeconfig: none of the files of $KUBECONFIG (%.200s) "
			               "exists", env);
			rc = -1;
		}
	} else {
		home = getenv("HOME");
		if (home == NULL || *home == '\0') {
			util_set_cause(cause, "kubeconfig: no $KUBECONFIG and no $HOME");
			return -1;
		}
		def = xasprintf("%s/.kube/config", home);
		rc = load_file(fs, &nf, def, false, cause);
	}
	if (rc != 0) {
		for (i = 0; i < nf; i++) {
			wipe_doc(&fs[i]);
			free(fs[i].dir);
		}
		free(paths);
		free(def);
		return -1;
	}
	rc = resolve_done(fs, nf, context, out, cause);
	free(paths);
	free(def);
	return rc;
}

static void wipe(char **p, size_t len)
{
	if (*p == NULL)
		return;
	explicit_bzero(*p, len);
	free(*p);
	*p = NULL;
}

void kube_creds_done(struct kube_creds *c)
{
	if (c == NULL)
		return;
	wipe(&c->ca_pem, c->ca_len);
	wipe(&c->cert_pem, c->cert_len);
	wipe(&c->key_pem, c->key_len);
	if (c->token != NULL)
		wipe(&c->token, strlen(c->token));
	free(c->server);
	free(c->tls_server_name);
	free(c->context);
	free(c->namespace);
	memset(c, 0, sizeof *c);
}
