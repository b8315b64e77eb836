/* kube_decode — see kube_decode.h.  This file: the shared JSON readers,
 * quantities, times, /version, node metrics and events.  Pods are in
 * kube_decode_pod.c, nodes in kube_decode_node.c, workloads in
 * kube_decode_apps.c, the custom resources in kube_decode_crd.c. */
#include "backends/kube_decode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_decode_internal.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

/* ---- JSON readers ---- */

const cJSON *kd_get(const cJSON *o, const char *key)
{
	if (!cJSON_IsObject(o))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

const cJSON *kd_obj(const cJSON *o, const char *key)
{
	const cJSON *v = kd_get(o, key);

	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *kd_arr(const cJSON *o, const char *key)
{
	const cJSON *v = kd_get(o, key);

	return cJSON_IsArray(v) ? v : NULL;
}

const char *kd_str(const cJSON *o, const char *key)
{
	const cJSON *v = kd_get(o, key);

	return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : NULL;
}

const char *kd_nstr(const cJSON *o, const char *key)
{
	const char *s = kd_str(o, key);

	return s != NULL && *s != '\0' ? s : NULL;
}

char *kd_dup(const cJSON *o, const char *key)
{
	const char *s = kd_nstr(o, key);

	return s == NULL ? NULL : xstrndup(s, KD_MAX_TEXT);
}

bool kd_bool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(kd_get(o, key));
}

int64_t kd_int(const cJSON *o, const char *key, int64_t lo, int64_t hi, int64_t dflt)
{
	const cJSON *v = kd_get(o, key);
	double d;

	if (!cJSON_IsNumber(v))
		return dflt;
	d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < (double)lo || d > (double)hi)
		return dflt;
	return (int64_t)d;
}

int64_t kd_time(const cJSON *o, const char *key)
{
	int64_t ms;

	if (kube_time_parse(kd_str(o, key), &ms) != 0)
		return 0;
	return ms;
}

const cJSON *kd_cond(const cJSON *status, const char *type)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, kd_arr(status, "conditions")) {
		const char *t = kd_str(c, "type");

		if (t != NULL && strcmp(t, type) == 0)
			return c;
	}
	return NULL;
}

enum kube_tri kd_tri(const cJSON *cond)
{
	const char *s = kd_str(cond, "status");

	if (s == NULL)
		return KUBE_ABSENT;
	if (strcmp(s, "True") == 0)
		return KUBE_TRUE;
	if (strcmp(s, "False") == 0)
		return KUBE_FALSE;
	return KUBE_UNKNOWN;
}

int kd_meta(const cJSON *obj, const char *what, char **ns, char **name, char **cause)
{
	const cJSON *meta;

	if (!cJSON_IsObject(obj)) {
		util_set_cause(cause, "%s: not a JSON object", what);
		return -1;
	}
	meta = kd_obj(obj, "metadata");
	if (kd_nstr(meta, "name") == NULL) {
		util_set_cause(cause, "%s: no metadata.name", what);
		return -1;
	}
	*name = kd_dup(meta, "name");
	if (ns != NULL)
		*ns = kd_dup(meta, "namespace");
	return 0;
}

int64_t kd_quantity(const cJSON *o, const char *key)
{
	int64_t m;

	if (kube_quantity_parse(kd_str(o, key), &m) != 0)
		return -1;
	return m;
}

/* ---- quantities ----
 * sign? (digits | digits. | digits.digits | .digits) suffix?, the suffix one
 * of n u m k M G T P E (powers of ten), Ki Mi Gi Ti Pi Ei (powers of two), or
 * e/E and a signed integer exponent.  The value is computed exactly in 128
 * bits from at most 19 significant digits; digits beyond those only make the
 * result round up. */

#define KQ_DIGITS 19

static int decimal_suffix(const char *p, int *exp10)
{
	static const struct {
		char c;
		int e;
	} sfx[] = {
		{'n', -9}, {'u', -6}, {'m', -3}, {'k', 3}, {'M', 6},
		{'G', 9}, {'T', 12}, {'P', 15}, {'E', 18},
	};
	size_t i;

	if (p[0] == '\0') {
		*exp10 = 0;
		return 0;
	}
	if (p[1] != '\0')
		return -1;
	for (i = 0; i < UTIL_ARRAY_LEN(sfx); i++)
		if (p[0] == sfx[i].c) {
			*exp10 = sfx[i].e;
			return 0;
		}
	return -1;
}

static int binary_suffix(const char *p, int *pow2)
{
	static const char letters[] = "KMGTPE";
	const char *l;

	if (p[0] == '\0' || p[1] != 'i' || p[2] != '\0')
		return -1;
	l = strchr(letters, p[0]);
	if (l == NULL)
		return -1;
	*pow2 = 10 * (int)(l - letters + 1);
	return 0;
}

/* "e" or "E" then a signed integer: the exponent, clamped to ±9999. */
static int exponent(const char *p, int *exp10)
{
	int sign = 1, e = 0;

	if (*p != 'e' && *p != 'E')
		return -1;
	p++;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if (e < 9999)
			e = e * 10 + (*p - '0');
	if (*p != '\0')
		return -1;
	*exp10 = sign * (e > 9999 ? 9999 : e);
	return 0;
}

int kube_quantity_parse(const char *s, int64_t *milli)
{
	unsigned __int128 n = 0, lim = (unsigned __int128)INT64_MAX;
	int exp10 = 0, sfx10 = 0, pow2 = 0, ndig = 0, sig = 0;
	bool neg = false, sticky = false, frac = false;
	const char *p = s;

	if (s == NULL)
		return -1;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (;; p++) {
		if (*p == '.' && !frac) {
			frac = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		ndig++;
		if (sig < KQ_DIGITS && (sig > 0 || *p != '0')) {
			n = n * 10 + (unsigned)(*p - '0');
			sig++;
			if (frac)
				exp10--;
		} else if (sig >= KQ_DIGITS) {
			/* a digit beyond the precision kept */
			if (!frac)
				exp10++;
			if (*p != '0')
				sticky = true;
		} else if (frac) {
			exp10--;   /* a leading zero after the point */
		}
	}
	if (ndig == 0)
		return -1;
	if (*p == 'e' && p[1] == '\0')
		return -1;
	if ((*p == 'e' || *p == 'E') && p[1] != '\0') {
		if (exponent(p, &sfx10) != 0)
			return -1;
	} else if (p[0] != '\0' && p[1] == 'i') {
		if (binary_suffix(p, &pow2) != 0)
			return -1;
	} else if (decimal_suffix(p, &sfx10) != 0) {
		return -1;
	}
	exp10 += sfx10 + 3;   /* thousandths */
	n <<= pow2;           /* n < 10^19 < 2^64, pow2 <= 60: fits */
	if (exp10 >= 0) {
		if (n != 0 && exp10 > 19)
			return -1;
		for (; exp10 > 0; exp10--) {
			n *= 10;
			if (n > lim)
				return -1;
		}
		if (sticky)
			n++;
	} else {
		unsigned __int128 d = 1, q;
		bool rem = sticky;
		int i;

		if (-exp10 > 38) {
			q = 0;
			rem = rem || n != 0;
		} else {
			for (i = 0; i < -exp10; i++)
				d *= 10;
			q = n / d;
			rem = rem || n % d != 0;
		}
		n = q + (rem ? 1 : 0);   /* rounds up, away from zero */
	}
	if (n > lim)
		return -1;
	*milli = neg ? -(int64_t)n : (int64_t)n;
	return 0;
}

int kube_time_parse(const char *s, int64_t *ms)
{
	return time_parse_iso8601(s, ms);
}

/* ---- /version ---- */

char *kube_decode_version(const char *json, size_t len)
{
	cJSON *root;
	char *v;

	if (json == NULL)
		return NULL;
	root = cJSON_ParseWithLength(json, len);
	v = kd_dup(root, "gitVersion");
	cJSON_Delete(root);
	return v;
}

/* ---- metrics.k8s.io NodeMetrics ---- */

int kube_decode_usage(const cJSON *obj, struct kube_usage *out, char **cause)
{
	const cJSON *usage;
	int64_t mem;

	memset(out, 0, sizeof *out);
	if (kd_meta(obj, "NodeMetrics", NULL, &out->node, cause) != 0)
		return -1;
	usage = kd_obj(obj, "usage");
	out->cpu_m = kd_quantity(usage, "cpu");
	mem = kd_quantity(usage, "memory");
	out->mem_bytes = mem < 0 ? -1 : mem / 1000 + (mem % 1000 != 0);
	return 0;
}

/* ---- core/v1 Event ---- */

int kube_decode_event(const cJSON *obj, struct kube_event *out, char **cause)
{
	const cJSON *inv, *series, *meta;
	const char *type, *kind, *ns, *name;
	int64_t t;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(obj)) {
		util_set_cause(cause, "Event: not a JSON object");
		return -1;
	}
	type = kd_nstr(obj, "type");
	if (type != NULL && strcmp(type, "Warning") != 0)
		return 1;
	if (type == NULL) {
		util_set_cause(cause, "Event: no type");
		return -1;
	}
	inv = kd_obj(obj, "involvedObject");
	series = kd_obj(obj, "series");
	meta = kd_obj(obj, "metadata");
	kind = kd_nstr(inv, "kind");
	ns = kd_nstr(inv, "namespace");
	name = kd_nstr(inv, "name");
	if (name == NULL) {
		util_set_cause(cause, "Event: no involvedObject.name");
		return -1;
	}
	/* events written through events.k8s.io have null lastTimestamp */
	t = kd_time(series, "lastObservedTime");
	if (t == 0)
		t = kd_time(obj, "lastTimestamp");
	if (t == 0)
		t = kd_time(obj, "eventTime");
	if (t == 0)
		t = kd_time(meta, "creationTimestamp");
	out->time_ms = t;
	out->type = xstrdup(type);
	out->reason = kd_dup(obj, "reason");
	out->message = kd_dup(obj, "message");
	if (ns != NULL)
		out->object = xasprintf("%.200s/%.253s/%.253s", kind ? kind : "?", ns, name);
	else
		out->object = xasprintf("%.200s/%.253s", kind ? kind : "?", name);
	out->count = (int)kd_int(series, "count", 1, INT32_MAX, 0);
	if (out->count == 0)
		out->count = (int)kd_int(obj, "count", 1, INT32_MAX, 1);
	return 0;
}
