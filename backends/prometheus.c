#include "backends/prometheus.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/util.h"

void prom_result_init(struct prom_result *r)
{
	*r = (struct prom_result){ .type = PROM_VECTOR };
}

void prom_result_done(struct prom_result *r)
{
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		struct prom_series *s = &r->series[i];

		for (j = 0; j < s->nlabels; j++) {
			free(s->keys[j]);
			free(s->values[j]);
		}
		free(s->keys);
		free(s->values);
		free(s->points);
	}
	free(r->series);
	free(r->string);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	prom_result_init(r);
}

const char *prom_label(const struct prom_series *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->nlabels; i++)
		if (strcmp(s->keys[i], key) == 0)
			return s->values[i];
	return NULL;
}

/* ---- decoding ---- */

/* Prometheus' "1715000000.781" float seconds -> ms.  -1 when not a sane time. */
static int decode_time(const cJSON *j, int64_t *t_ms)
{
	double t;

	if (!cJSON_IsNumber(j))
		return -1;
	t = j->valuedouble;
	if (!isfinite(t) || t < -1e13 || t > 1e13)
		return -1;
	*t_ms = (int64_t)llround(t * 1000.0);
	return 0;
}

/* A sample value string: a float, "NaN", "+Inf", "-Inf". */
static int decode_value(const cJSON *j, double *v)
{
	const char *s;
	char *end;

	if (!cJSON_IsString(j) || j->valuestring == NULL)
		return -1;
	s = j->valuestring;
	if (*s == '\0' || strlen(s) > 64)
		return -1;
	*v = strtod(s, &end);
	return *end == '\0' ? 0 : -1;
}

/* [t, "value"] */
static int decode_sample(const cJSON *j, struct prom_point *p, char **cause)
{
	if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) != 2) {
		util_set_cause(cause, "prometheus: a sample is not a [time, \"value\"] pair");
		return -1;
	}
	if (decode_time(cJSON_GetArrayItem(j, 0), &p->t_ms) != 0) {
		util_set_cause(cause, "prometheus: a sample's time is not a number of seconds");
		return -1;
	}
	if (decode_value(cJSON_GetArrayItem(j, 1), &p->value) != 0) {
		util_set_cause(cause, "prometheus: a sample's value is not a number in a string");
		return -1;
	}
	return 0;
}

static int decode_labels(const cJSON *metric, struct prom_series *s, char **cause)
{
	const cJSON *l;
	size_t n = 0;

	if (metric == NULL)
		return 0;   /* scalar-like vectors (vector(1)) may omit it */
	if (!cJSON_IsObject(metric)) {
		util_set_cause(cause, "prometheus: a series' \"metric\" is not an object");
		return -1;
	}
	cJSON_ArrayForEach(l, metric)
		n++;
	if (n == 0)
		return 0;
	s->keys = xcalloc(n, sizeof(*s->keys));
	s->values = xcalloc(n, sizeof(*s->values));
	cJSON_ArrayForEach(l, metric) {
		if (!cJSON_IsString(l) || l->string == NULL || l->valuestring == NULL) {
			util_set_cause(cause, "prometheus: label \"%.64s\" is not a string",
			               l->string != NULL ? l->string : "?");
			return -1;
		}
		s->keys[s->nlabels] = xstrdup(l->string);
		s->values[s->nlabels] = xstrdup(l->valuestring);
		s->nlabels++;
	}
	return 0;
}

static int decode_series(const cJSON *j, bool matrix, struct prom_series *s, char **cause)
{
	const cJSON *v, *p;
	int n;

	if (!cJSON_IsObject(j)) {
		util_set_cause(cause, "prometheus: a series is not an object");
		return -1;
	}
	if (decode_labels(cJSON_GetObjectItemCaseSensitive(j, "metric"), s, cause) != 0)
		return -1;
	if (!matrix) {
		v = cJSON_GetObjectItemCaseSensitive(j, "value");
		if (v == NULL && cJSON_GetObjectItemCaseSensitive(j, "histogram") != NULL) {
			util_set_cause(cause, "prometheus: native histogram samples are not supported");
			return -1;
		}
		if (v == NULL) {
			util_set_cause(cause, "prometheus: a vector sample has no \"value\"");
			return -1;
		}
		s->points = xcalloc(1, sizeof(*s->points));
		if (decode_sample(v, &s->points[0], cause) != 0)
			return -1;
		s->npoints = 1;
		return 0;
	}
	v = cJSON_GetObjectItemCaseSensitive(j, "values");
	if (v == NULL && cJSON_GetObjectItemCaseSensitive(j, "histograms") != NULL) {
		util_set_cause(cause, "prometheus: native histogram samples are not supported");
		return -1;
	}
	if (!cJSON_IsArray(v)) {
		util_set_cause(cause, "prometheus: a matrix series has no \"values\" list");
		return -1;
	}
	n = cJSON_GetArraySize(v);
	if (n > PROM_MAX_POINTS) {
		util_set_cause(cause, "prometheus: a series has over %d points (%d)",
		               PROM_MAX_POINTS, n);
		return -1;
	}
	if (n == 0)
		return 0;
	s->points = xcalloc((size_t)n, sizeof(*s->points));
	cJSON_ArrayForEach(p, v) {
		if (decode_sample(p, &s->points[s->npoints], cause) != 0)
			return -1;
		s->npoints++;
	}
	return 0;
}

static void decode_warnings(const cJSON *w, struct prom_result *out)
{
	const cJSON *i;
	int n;

	if (!cJSON_IsArray(w) || (n = cJSON_GetArraySize(w)) == 0)
		return;
	if (n > PROM_MAX_WARNINGS)
		n = PROM_MAX_WARNINGS;
	out->warnings = xcalloc((size_t)n, sizeof(*out->warnings));
	cJSON_ArrayForEach(i, w) {
		if ((int)out->nwarnings >= n)
			break;
		if (cJSON_IsString(i) && i->valuestring != NULL)
			out->warnings[out->nwarnings++] = xstrndup(i->valuestring, 1000);
	}
}

static int decode_error(const cJSON *root, char **cause)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "errorType");
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
	const char *t = cJSON_IsString(type) ? type->valuestring : NULL;
	const char *e = cJSON_IsString(err) ? err->valuestring : NULL;

	if (t != NULL && *t != '\0' && e != NULL && *e != '\0')
		util_set_cause(cause, "prometheus: %.64s: %.1000s", t, e);
	else if (e != NULL && *e != '\0')
		util_set_cause(cause, "prometheus: %.1000s", e);
	else if (t != NULL && *t != '\0')
		util_set_cause(cause, "prometheus: %.64s (no message)", t);
	else
		util_set_cause(cause, "prometheus: error without a message");
	return -1;
}

static int decode_data(const cJSON *data, struct prom_result *out, char **cause)
{
	const cJSON *type, *result, *i;
	const char *t;
	int n;
	bool matrix;

	type = cJSON_GetObjectItemCaseSensitive(data, "resultType");
	result = cJSON_GetObjectItemCaseSensitive(data, "result");
	if (!cJSON_IsString(type) || type->valuestring == NULL) {
		util_set_cause(cause, "prometheus: answer has no \"resultType\"");
		return -1;
	}
	t = type->valuestring;
	if (strcmp(t, "scalar") == 0 || strcmp(t, "string") == 0) {
		struct prom_point p;

		if (!cJSON_IsArray(result) || cJSON_GetArraySize(result) != 2 ||
		    decode_time(cJSON_GetArrayItem(result, 0), &p.t_ms) != 0 ||
		    !cJSON_IsString(cJSON_GetArrayItem(result, 1))) {
			util_set_cause(cause, "prometheus: a %s result is not a [time, \"value\"] pair", t);
			return -1;
		}
		out->t_ms = p.t_ms;
		if (t[1] == 't') {
			out->type = PROM_STRING;
			out->string = xstrdup(cJSON_GetArrayItem(result, 1)->valuestring);
			return 0;
		}
		out->type = PROM_SCALAR;
		if (decode_value(cJSON_GetArrayItem(result, 1), &out->scalar) != 0) {
			util_set_cause(cause, "prometheus: a scalar result is not a number in a string");
			return -1;
		}
		return 0;
	}
	if (strcmp(t, "vector") == 0)
		matrix = false;
	else if (strcmp(t, "matrix") == 0)
		matrix = true;
	else {
		util_set_cause(cause, "prometheus: unknown resultType \"%.32s\"", t);
		return -1;
	}
	out->type = matrix ? PROM_MATRIX : PROM_VECTOR;
	if (cJSON_IsNull(result) || result == NULL)
		return 0;   /* some versions send null for no series */
	if (!cJSON_IsArray(result)) {
		util_set_cause(cause, "prometheus: \"result\" is not a list");
		return -1;
	}
	n = cJSON_GetArraySize(result);
	if (n > PROM_MAX_SERIES) {
		util_set_cause(cause, "prometheus: over %d series (%d): narrow the query",
		               PROM_MAX_SERIES, n);
		return -1;
	}
	if (n == 0)
		return 0;
	out->series = xcalloc((size_t)n, sizeof(*out->series));
	cJSON_ArrayForEach(i, result) {
		/* counted before decoding so that a failure frees this series too */
		out->n++;
		if (decode_series(i, matrix, &out->series[out->n - 1], cause) != 0)
			return -1;
	}
	return 0;
}

int prom_decode(const char *body, size_t len, struct prom_result *out, char **cause)
{
	cJSON *root;
	const cJSON *status, *data;
	const char *end = NULL;
	size_t k = 0;
	int rc;

	prom_result_done(out);
	while (k < len && (body[k] == ' ' || body[k] == '\n' || body[k] == '\r' || body[k] == '\t'))
		k++;
	root = cJSON_ParseWithLengthOpts(body, len, &end, false);
	if (root != NULL) {
		/* only white space may follow the value ("404 page not found" is text) */
		size_t e = (size_t)(end - body);

		while (e < len && (body[e] == ' ' || body[e] == '\n' || body[e] == '\r' ||
		                   body[e] == '\t'))
			e++;
		if (e < len) {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	if (root == NULL) {
		if (k == len)
			util_set_cause(cause, "prometheus: empty answer");
		else if (body[k] == '<')
			util_set_cause(cause, "prometheus: not JSON (HTML page?)");
		else
			util_set_cause(cause, "prometheus: not JSON");
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		util_set_cause(cause, "prometheus: answer is not a JSON object");
		cJSON_Delete(root);
		return -1;
	}
	status = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!cJSON_IsString(status) || status->valuestring == NULL) {
		util_set_cause(cause, "prometheus: answer has no \"status\" (not the query API?)");
		rc = -1;
	} else if (strcmp(status->valuestring, "error") == 0) {
		rc = decode_error(root, cause);
	} else if (strcmp(status->valuestring, "success") != 0) {
		util_set_cause(cause, "prometheus: unknown status \"%.32s\"", status->valuestring);
		rc = -1;
	} else if (!cJSON_IsObject(data = cJSON_GetObjectItemCaseSensitive(root, "data"))) {
		util_set_cause(cause, "prometheus: answer has no \"data\" object");
		rc = -1;
	} else {
		rc = decode_data(data, out, cause);
		if (rc == 0)
			decode_warnings(cJSON_GetObjectItemCaseSensitive(root, "warnings"), out);
	}
	cJSON_Delete(root);
	if (rc != 0)
		prom_result_done(out);
	return rc;
}

/* ---- the client ---- */

/* Unix ms -> Prometheus' "seconds.millis". */
static void put_time(struct buf *b, int64_t ms)
{
	if (ms < 0)
		buf_printf(b, "-%" PRId64 ".%03d", -ms / 1000, (int)(-ms % 1000));
	else
		buf_printf(b, "%" PRId64 ".%03d", ms / 1000, (int)(ms % 1000));
}

/* params: the form "query=...&time=..." (already escaped). */
static int run(const struct prom_client *c, const char *path, const char *params,
               struct prom_result *out, char **cause)
{
	struct http_request req = { 0 };
	struct http_response resp;
	struct buf url;
	size_t blen;
	int rc = -1;

	prom_result_done(out);
	if (c == NULL || c->http == NULL || c->base_url == NULL || *c->base_url == '\0') {
		util_set_cause(cause, "prometheus: no URL configured");
		return -1;
	}
	buf_init(&url);
	blen = strlen(c->base_url);
	while (blen > 0 && c->base_url[blen - 1] == '/')
		blen--;
	buf_append(&url, c->base_url, blen);
	buf_puts(&url, path);
	if (strlen(params) > PROM_POST_OVER) {
		req.method = "POST";
		req.body = params;
		req.body_len = strlen(params);
		req.content_type = "application/x-www-form-urlencoded";
	} else {
		buf_putc(&url, '?');
		buf_puts(&url, params);
	}
	req.url = buf_cstr(&url);
	req.unix_socket = c->unix_socket;
	req.timeout_ms = c->timeout_ms;
	req.bearer_token = c->bearer_token;
	req.basic_user = c->basic_user;
	req.basic_password = c->basic_password;
	req.ca_file = c->ca_file;
	req.cert_file = c->cert_file;
	req.key_file = c->key_file;
	req.insecure = c->insecure;
	http_response_init(&resp);
	if (http_request(c->http, &req, &resp, cause) != 0) {
		char *why = *cause;

		*cause = NULL;
		util_set_cause(cause, "prometheus: %s", why != NULL ? why : "request failed");
		free(why);
		goto out;
	}
	rc = prom_decode(resp.body.data != NULL ? resp.body.data : "", resp.body.len, out, cause);
	if (resp.status >= 200 && resp.status < 300)
		goto out;
	if (rc == 0) {
		/* a JSON success under an error status: trust the status */
		prom_result_done(out);
		rc = -1;
	} else if (*cause != NULL && strncmp(*cause, "prometheus: not JSON", 20) != 0 &&
	           strncmp(*cause, "prometheus: empty answer", 24) != 0 &&
	           strstr(*cause, "(not the query API?)") == NULL) {
		goto out;   /* Prometheus' own error envelope says it best */
	}
	{
		char *st = http_status_error(&resp);

		util_set_cause(cause, "prometheus: %s", st);
		free(st);
	}
out:
	http_response_done(&resp);
	buf_done(&url);
	return rc;
}

int prom_query(const struct prom_client *c, const char *promql, int64_t at_ms,
               struct prom_result *out, char **cause)
{
	struct buf p;
	char *q = http_escape(promql != NULL ? promql : "");
	int rc;

	buf_init(&p);
	buf_printf(&p, "query=%s", q);
	free(q);
	if (at_ms != 0) {
		buf_puts(&p, "&time=");
		put_time(&p, at_ms);
	}
	rc = run(c, "/api/v1/query", buf_cstr(&p), out, cause);
	buf_done(&p);
	return rc;
}

int prom_query_range(const struct prom_client *c, const char *promql, int64_t start_ms,
                     int64_t end_ms, int64_t step_ms, struct prom_result *out, char **cause)
{
	struct buf p;
	char *q;
	int rc;

	if (step_ms <= 0 || end_ms < start_ms) {
		prom_result_done(out);
		util_set_cause(cause, "prometheus: bad range (step must be > 0, end >= start)");
		return -1;
	}
	if ((end_ms - start_ms) / step_ms + 1 > PROM_MAX_POINTS) {
		prom_result_done(out);
		util_set_cause(cause, "prometheus: range of over %d points per series: widen the step",
		               PROM_MAX_POINTS);
		return -1;
	}
	q = http_escape(promql != NULL ? promql : "");
	buf_init(&p);
	buf_printf(&p, "query=%s&start=", q);
	free(q);
	put_time(&p, start_ms);
	buf_puts(&p, "&end=");
	put_time(&p, end_ms);
	buf_puts(&p, "&step=");
	put_time(&p, step_ms);
	rc = run(c, "/api/v1/query_range", buf_cstr(&p), out, cause);
	buf_done(&p);
	return rc;
}

/* ---- host metrics ---- */

char *prom_host_query(enum prom_host_query q, const char *selector)
{
	const char *s = selector != NULL ? selector : "";
	size_t n;
	char *sel, *r;
	const char *c;   /* "," before sel when it is not empty */

	while (*s == ' ' || *s == '{')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '}' || s[n - 1] == ','))
		n--;
	sel = xstrndup(s, n);
	c = n > 0 ? "," : "";
	switch (q) {
	case PROM_HQ_CPU:
		r = xasprintf("100 * (1 - avg(rate(node_cpu_seconds_total{mode=\"idle\"%s%s}[1m])))",
		              c, sel);
		break;
	case PROM_HQ_MEM:
		r = xasprintf("100 * (1 - node_memory_MemAvailable_bytes{%s}"
		              " / node_memory_MemTotal_bytes{%s})", sel, sel);
		break;
	case PROM_HQ_DISK: {
		char *fs = xasprintf("{mountpoint=\"/\",fstype!=\"rootfs\"%s%s}", c, sel);

		r = xasprintf("100 * (node_filesystem_size_bytes%s - node_filesystem_free_bytes%s)"
		              " / (node_filesystem_size_bytes%s - node_filesystem_free_bytes%s"
		              " + node_filesystem_avail_bytes%s)", fs, fs, fs, fs, fs);
		free(fs);
		break;
	}
	case PROM_HQ_NET_RX:
	case PROM_HQ_NET_TX:
		r = xasprintf("sum(rate(node_network_%s_bytes_total{device!~\"lo\"%s%s}[1m]))",
		              q == PROM_HQ_NET_RX ? "receive" : "transmit", c, sel);
		break;
	case PROM_HQ_LOAD:
		r = n > 0 ? xasprintf("node_load1{%s}", sel) : xstrdup("node_load1");
		break;
	case PROM_HQ_UPTIME:
		r = n > 0 ? xasprintf("time() - node_boot_time_seconds{%s}", sel)
		          : xstrdup("time() - node_boot_time_seconds");
		break;
	case PROM_HQ_UP:
	default:
		r = n > 0 ? xasprintf("up{%s}", sel) : xstrdup("up");
		break;
	}
	free(sel);
	return r;
}

static const char *const prom_fig_names[PROM_HQ_N] = {
	"cpu", "mem", "disk", "rx", "tx", "load", "uptime", "up",
};

char *prom_host_query_all(const char *selector, unsigned mask)
{
	struct buf b;
	int q, first = 1;

	buf_init(&b);
	for (q = 0; q < PROM_HQ_N; q++) {
		char *one;

		if (!(mask & (1u << q)))
			continue;
		one = prom_host_query((enum prom_host_query)q, selector);
		buf_printf(&b, "%slabel_replace(%s, \"%s\", \"%s\", \"\", \"\")",
		           first ? "" : " or ", one, PROM_FIG_LABEL, prom_fig_names[q]);
		free(one);
		first = 0;
	}
	return buf_steal(&b);
}

/* The figure a series of a combined answer is for, or -1. */
static int prom_series_fig(const struct prom_series *s)
{
	const char *v = prom_label(s, PROM_FIG_LABEL);

	for (int q = 0; v != NULL && q < PROM_HQ_N; q++)
		if (strcmp(v, prom_fig_names[q]) == 0)
			return q;
	return -1;
}

/* One figure's value from a combined instant answer, or -1 with *why. */
static int host_value(const struct prom_result *r, enum prom_host_query q, const char *selector,
                      double *v, char **why)
{
	const struct prom_series *hit = NULL;
	size_t i, count = 0;
	char *promql = prom_host_query(q, selector);
	int rc = -1;

	for (i = 0; i < r->n; i++) {
		if (prom_series_fig(&r->series[i]) != (int)q || r->series[i].npoints == 0)
			continue;
		hit = &r->series[i];
		count++;
	}
	if (count == 0)
		util_set_cause(why, "no data: %s has no series", promql);
	else if (count > 1)
		util_set_cause(why, "%zu series match %s: the selector is too broad", count, promql);
	else if (isnan(hit->points[0].value))
		util_set_cause(why, "no data: %s is NaN", promql);
	else {
		*v = hit->points[0].value;
		rc = 0;
	}
	free(promql);
	return rc;
}

int prom_host_metrics_at(const struct prom_client *c, const char *selector, int64_t at_ms,
                         struct metrics *out, char **cause)
{
	static const struct {
		enum prom_host_query q;
		enum metrics_figure f;
		size_t off;
	} figs[] = {
		{ PROM_HQ_CPU, METRICS_CPU, offsetof(struct metrics, cpu_pct) },
		{ PROM_HQ_MEM, METRICS_MEM, offsetof(struct metrics, mem_pct) },
		{ PROM_HQ_DISK, METRICS_DISK, offsetof(struct metrics, disk_pct) },
		{ PROM_HQ_NET_RX, METRICS_NET, offsetof(struct metrics, net_rx_bps) },
		{ PROM_HQ_NET_TX, METRICS_NET, offsetof(struct metrics, net_tx_bps) },
		{ PROM_HQ_LOAD, METRICS_LOAD, offsetof(struct metrics, load1) },
		{ PROM_HQ_UPTIME, METRICS_UPTIME, offsetof(struct metrics, uptime_s) },
	};
	struct prom_result r;
	char *promql, *why = NULL;
	size_t i, nup = 0;
	int f, rc = 0, down = 0;

	out->origin = METRICS_FROM_PROMETHEUS;
	for (f = 0; f < METRICS_NFIGURES; f++)
		out->valid[f] = false;

	/* every figure in one request: each labelled with its name, so that one
	 * missing figure is told from the others (and up from them all) */
	prom_result_init(&r);
	promql = prom_host_query_all(selector, PROM_HQ_ALL);
	if (prom_query(c, promql, at_ms, &r, cause) != 0) {
		rc = -1;
	} else if (r.type != PROM_VECTOR) {
		util_set_cause(cause, "prometheus: the host query gave no vector");
		rc = -1;
	} else {
		for (i = 0; i < r.n; i++) {
			if (prom_series_fig(&r.series[i]) != PROM_HQ_UP || r.series[i].npoints == 0)
				continue;
			nup++;
			if (r.series[i].points[0].value == 0)
				down = 1;
		}
		if (nup == 0)
			down = 2;
	}
	free(promql);
	if (rc != 0 || down != 0) {
		promql = prom_host_query(PROM_HQ_UP, selector);
		for (f = 0; f < METRICS_NFIGURES; f++) {
			if (rc != 0)
				metrics_set_error(out, (enum metrics_figure)f, "%s", *cause);
			else if (down == 1)
				metrics_set_error(out, (enum metrics_figure)f, "node-exporter down (up == 0)");
			else
				metrics_set_error(out, (enum metrics_figure)f,
				                  "no scrape target: %s has no series", promql);
		}
		free(promql);
		goto out;
	}
	for (f = 0; f < METRICS_NFIGURES; f++) {
		out->valid[f] = true;
		free(out->error[f]);
		out->error[f] = NULL;
	}
	for (i = 0; i < UTIL_ARRAY_LEN(figs); i++) {
		double v;

		if (!out->valid[figs[i].f])
			continue;   /* net: rx already failed */
		if (host_value(&r, figs[i].q, selector, &v, &why) != 0) {
			metrics_set_error(out, figs[i].f, "%s", why);
			continue;
		}
		*(double *)(void *)((char *)out + figs[i].off) = v;
	}
out:
	free(why);
	prom_result_done(&r);
	return rc;
}

int prom_host_history_fill(const struct prom_result *r, struct metrics_history *h)
{
	size_t i, j, filled = 0;
	double *rx, *tx;

	if (r->type != PROM_MATRIX || h->step_ms <= 0)
		return 0;
	rx = xreallocarray(NULL, h->n > 0 ? h->n : 1, sizeof *rx);
	tx = xreallocarray(NULL, h->n > 0 ? h->n : 1, sizeof *tx);
	for (j = 0; j < h->n; j++)
		rx[j] = tx[j] = NAN;
	for (i = 0; i < r->n; i++) {
		const struct prom_series *s = &r->series[i];
		double *dst;

		switch (prom_series_fig(s)) {
		case PROM_HQ_CPU: dst = h->cpu; break;
		case PROM_HQ_MEM: dst = h->mem; break;
		case PROM_HQ_NET_RX: dst = rx; break;
		case PROM_HQ_NET_TX: dst = tx; break;
		default: continue;
		}
		for (j = 0; j < s->npoints; j++) {
			int64_t off = s->points[j].t_ms - h->start_ms;
			int64_t k;

			if (off < 0 || isnan(s->points[j].value))
				continue;
			k = (off + h->step_ms / 2) / h->step_ms;   /* the nearest step */
			if ((uint64_t)k >= h->n)
				continue;
			dst[k] = s->points[j].value;
			filled++;
		}
	}
	for (j = 0; j < h->n; j++)
		h->net[j] = isnan(rx[j]) || isnan(tx[j]) ? NAN : rx[j] + tx[j];
	free(rx);
	free(tx);
	return (int)(filled > INT32_MAX ? INT32_MAX : filled);
}

int prom_host_history(const struct prom_client *c, const char *selector, int64_t start_ms,
                      int64_t end_ms, int64_t step_ms, struct metrics_history **out,
                      char **cause)
{
	struct prom_result r;
	char *promql;
	size_t n;
	int rc = -1;

	*out = NULL;
	if (step_ms <= 0 || end_ms < start_ms) {
		util_set_cause(cause, "prometheus: bad range (step must be > 0, end >= start)");
		return -1;
	}
	n = (size_t)((end_ms - start_ms) / step_ms) + 1;
	prom_result_init(&r);
	promql = prom_host_query_all(selector, 1u << PROM_HQ_CPU | 1u << PROM_HQ_MEM |
	                             1u << PROM_HQ_NET_RX | 1u << PROM_HQ_NET_TX);
	if (prom_query_range(c, promql, start_ms, end_ms, step_ms, &r, cause) != 0)
		goto out;
	if (r.type != PROM_MATRIX) {
		util_set_cause(cause, "prometheus: the history query gave no matrix");
		goto out;
	}
	*out = metrics_history_new(n, start_ms, step_ms);
	prom_host_history_fill(&r, *out);
	rc = 0;
out:
	free(promql);
	prom_result_done(&r);
	return rc;
}

int prom_host_metrics(const struct prom_client *c, const char *selector,
                      struct metrics *out, char **cause)
{
	return prom_host_metrics_at(c, selector, 0, out, cause);
}
