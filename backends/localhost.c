/* localhost — see localhost.h. */
#include "backends/localhost.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

/* /proc files are small; a bigger one is not what we think it is. */
#define LOCALHOST_READ_MAX (1024u * 1024u)

enum num_result { NUM_OK, NUM_NONE, NUM_BIG };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* True at the end of a field: a blank, the end of the line or of the text. */
static bool is_field_end(char c)
{
	return c == '\0' || c == '\n' || is_blank(c);
}

static const char *skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl != NULL ? nl + 1 : p + strlen(p);
}

/* Reads the digits at p into *n (*big set when they do not fit); returns
 * the first character after them. */
static const char *scan_digits(const char *p, unsigned long long *n, bool *big)
{
	*n = 0;
	*big = false;
	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (*n > (~0ULL - d) / 10)
			*big = true;
		else if (!*big)
			*n = *n * 10 + d;
	}
	return p;
}

/* Parses the unsigned decimal number at p (blanks before it skipped), which
 * must end at a field end.  *end is set past it when NUM_OK. */
static enum num_result parse_ull(const char *p, unsigned long long *v, const char **end)
{
	bool big;

	p = skip_blanks(p);
	if (!is_digit(*p))
		return NUM_NONE;
	p = scan_digits(p, v, &big);
	if (!is_field_end(*p))
		return NUM_NONE;
	if (big)
		return NUM_BIG;
	*end = p;
	return NUM_OK;
}

/* Parses a non-negative decimal "123" or "123.45" at p (blanks before it
 * skipped), which must end at a field end.  No locale, no exponent, no sign,
 * no "inf" or "nan": /proc writes none of them. */
static enum num_result parse_decimal(const char *p, double *v)
{
	unsigned long long ip, frac = 0, scale = 1;
	bool big;

	p = skip_blanks(p);
	if (!is_digit(*p))
		return NUM_NONE;
	p = scan_digits(p, &ip, &big);
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return NUM_NONE;
		for (; is_digit(*p); p++) {
			/* 17 fraction digits are more than a double holds. */
			if (scale < 100000000000000000ULL) {
				frac = frac * 10 + (unsigned)(*p - '0');
				scale *= 10;
			}
		}
	}
	if (!is_field_end(*p))
		return NUM_NONE;
	if (big)
		return NUM_BIG;
	*v = (double)ip + (double)frac / (double)scale;
	return NUM_OK;
}

static const char *num_problem(enum num_result r)
{
	return r == NUM_BIG ? "is too large" : "is not a number";
}

/* The start of the first line of text beginning with prefix, or NULL. */
static const char *find_line(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);
	const char *p;

	for (p = text; *p != '\0'; p = next_line(p)) {
		if (strncmp(p, prefix, len) == 0)
			return p;
	}
	return NULL;
}

/* ---- /proc/stat ---- */

int localhost_parse_stat(const char *text, struct localhost_cpu *out, char **cause)
{
	unsigned long long f[8] = { 0 };
	const char *p = text;
	int n = 0;

	/* "cpu" then a blank: the aggregate line, not "cpu0". */
	for (;;) {
		p = find_line(p, "cpu");
		if (p == NULL) {
			util_set_cause(cause, "/proc/stat: no cpu line");
			return -1;
		}
		if (is_blank(p[3]))
			break;
		p = next_line(p);
	}
	p += 3;
	for (;;) {
		unsigned long long v;
		const char *end;
		enum num_result r;

		p = skip_blanks(p);
		if (*p == '\0' || *p == '\n')
			break;
		r = parse_ull(p, &v, &end);
		if (r != NUM_OK) {
			util_set_cause(cause, "/proc/stat: cpu line: field %d %s", n + 1,
			    num_problem(r));
			return -1;
		}
		/* guest and guest_nice (9th, 10th) are inside user and nice. */
		if (n < 8)
			f[n] = v;
		n++;
		p = end;
	}
	if (n < 4) {
		util_set_cause(cause, "/proc/stat: cpu line has %d field%s, needs at least 4", n,
		    n == 1 ? "" : "s");
		return -1;
	}
	*out = (struct localhost_cpu){
		.user = f[0], .nice = f[1], .system = f[2], .idle = f[3],
		.iowait = f[4], .irq = f[5], .softirq = f[6], .steal = f[7],
	};
	return 0;
}

/* cur - prev, or 0 when the counter went backwards. */
static double tick_delta(unsigned long long prev, unsigned long long cur)
{
	return cur >= prev ? (double)(cur - prev) : 0.0;
}

int localhost_cpu_busy_pct(const struct localhost_cpu *prev, const struct localhost_cpu *cur,
    double *pct, char **cause)
{
	double busy, idle, pc;

	busy = tick_delta(prev->user, cur->user) + tick_delta(prev->nice, cur->nice) +
	    tick_delta(prev->system, cur->system) + tick_delta(prev->irq, cur->irq) +
	    tick_delta(prev->softirq, cur->softirq) + tick_delta(prev->steal, cur->steal);
	idle = tick_delta(prev->idle, cur->idle) + tick_delta(prev->iowait, cur->iowait);
	if (busy + idle <= 0.0) {
		util_set_cause(cause, "no CPU time passed since the last reading");
		return -1;
	}
	pc = busy / (busy + idle) * 100.0;
	*pct = pc > 100.0 ? 100.0 : pc;
	return 0;
}

/* ---- /proc/meminfo ---- */

/* 1 and *v when key ("MemTotal") is there, 0 when it is not, -1 with *cause
 * when its value is not a number. */
static int meminfo_get(const char *text, const char *key, unsigned long long *v, char **cause)
{
	char prefix[32];
	const char *line, *p;
	enum num_result r;

	snprintf(prefix, sizeof prefix, "%s:", key);
	line = find_line(text, prefix);
	if (line == NULL)
		return 0;
	r = parse_ull(line + strlen(prefix), v, &p);
	if (r == NUM_OK) {
		p = skip_blanks(p);
		if (strncmp(p, "kB", 2) == 0)
			p = skip_blanks(p + 2);
		if (*p == '\0' || *p == '\n')
			return 1;
		r = NUM_NONE;
	}
	util_set_cause(cause, "/proc/meminfo: %s %s", key, num_problem(r));
	return -1;
}

int localhost_parse_meminfo(const char *text, double *mem_pct, char **cause)
{
	static const char *const fallback[] = { "MemFree", "Buffers", "Cached" };
	unsigned long long total, avail;
	const char *avail_name = "MemAvailable";
	int r;
	size_t i;

	r = meminfo_get(text, "MemTotal", &total, cause);
	if (r < 0)
		return -1;
	if (r == 0) {
		util_set_cause(cause, "/proc/meminfo: MemTotal missing");
		return -1;
	}
	if (total == 0) {
		util_set_cause(cause, "/proc/meminfo: MemTotal is 0");
		return -1;
	}
	r = meminfo_get(text, "MemAvailable", &avail, cause);
	if (r < 0)
		return -1;
	if (r == 0) {
		/* Before Linux 3.14: what free(1) called "free + buffers/cache". */
		avail = 0;
		avail_name = "MemFree + Buffers + Cached";
		for (i = 0; i < UTIL_ARRAY_LEN(fallback); i++) {
			unsigned long long v;

			r = meminfo_get(text, fallback[i], &v, cause);
			if (r < 0)
				return -1;
			if (r == 0) {
				util_set_cause(cause, "/proc/meminfo: MemAvailable missing, and %s too",
				    fallback[i]);
				return -1;
			}
			avail = v > ~0ULL - avail ? ~0ULL : avail + v;
		}
	}
	if (avail > total) {
		util_set_cause(cause, "/proc/meminfo: %s is more than MemTotal", avail_name);
		return -1;
	}
	*mem_pct = (double)(total - avail) / (double)total * 100.0;
	return 0;
}

/* ---- /proc/net/dev ---- */

/* One "  eth0: 123 4 ..." line into *nif; -1 with *cause (lineno for it). */
static int netdev_line(const char *line, const char *colon, int lineno,
    struct localhost_netif *nif, char **cause)
{
	const char *name = skip_blanks(line), *p;
	size_t len = (size_t)(colon - name);
	unsigned long long v;
	int n = 0;

	if (len == 0) {
		util_set_cause(cause, "/proc/net/dev: line %d: no interface name", lineno);
		return -1;
	}
	if (len >= LOCALHOST_IFNAME_MAX) {
		util_set_cause(cause, "/proc/net/dev: line %d: interface name too long", lineno);
		return -1;
	}
	for (p = name; p < colon; p++) {
		if ((unsigned char)*p <= ' ' || *p == '/') {
			util_set_cause(cause, "/proc/net/dev: line %d: bad interface name", lineno);
			return -1;
		}
	}
	memcpy(nif->name, name, len);
	nif->name[len] = '\0';
	/* rx: bytes packets errs drop fifo frame compressed multicast; tx: bytes ... */
	for (p = colon + 1;;) {
		const char *end;
		enum num_result r;

		p = skip_blanks(p);
		if (*p == '\0' || *p == '\n')
			break;
		r = parse_ull(p, &v, &end);
		if (r != NUM_OK) {
			util_set_cause(cause, "/proc/net/dev: %s: field %d %s", nif->name, n + 1,
			    num_problem(r));
			return -1;
		}
		if (n == 0)
			nif->rx_bytes = v;
		else if (n == 8)
			nif->tx_bytes = v;
		n++;
		p = end;
	}
	if (n < 9) {
		util_set_cause(cause, "/proc/net/dev: %s: %d field%s, needs at least 9", nif->name, n,
		    n == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

int localhost_parse_netdev_ifaces(const char *text, struct localhost_netif **out, size_t *n,
    char **cause)
{
	struct localhost_netif *ifs = NULL;
	size_t count = 0, cap = 0;
	bool header = false;
	const char *line;
	int lineno = 1;

	*out = NULL;
	*n = 0;
	for (line = text; *line != '\0'; line = next_line(line), lineno++) {
		const char *eol = strchr(line, '\n'), *colon, *bar;

		if (eol == NULL)
			eol = line + strlen(line);
		colon = memchr(line, ':', (size_t)(eol - line));
		bar = memchr(line, '|', (size_t)(eol - line));
		if (colon == NULL && bar != NULL) {
			header = true;   /* "Inter-|   Receive ..." */
			continue;
		}
		if (*skip_blanks(line) == '\n' || *skip_blanks(line) == '\0')
			continue;
		if (colon == NULL) {
			util_set_cause(cause, "/proc/net/dev: line %d is not an interface", lineno);
			goto fail;
		}
		if (count == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			ifs = xreallocarray(ifs, cap, sizeof *ifs);
		}
		if (netdev_line(line, colon, lineno, &ifs[count], cause) != 0)
			goto fail;
		count++;
	}
	if (!header) {
		util_set_cause(cause, "/proc/net/dev: no header line");
		goto fail;
	}
	*out = count > 0 ? ifs : NULL;
	if (count == 0)
		free(ifs);
	*n = count;
	return 0;
fail:
	free(ifs);
	return -1;
}

static bool is_loopback(const struct localhost_netif *nif)
{
	return strcmp(nif->name, "lo") == 0;
}

int localhost_parse_netdev(const char *text, unsigned long long *rx, unsigned long long *tx,
    char **cause)
{
	struct localhost_netif *ifs;
	unsigned long long srx = 0, stx = 0;
	size_t n, i;

	if (localhost_parse_netdev_ifaces(text, &ifs, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (is_loopback(&ifs[i]))
			continue;
		if (ifs[i].rx_bytes > ~0ULL - srx || ifs[i].tx_bytes > ~0ULL - stx) {
			util_set_cause(cause, "/proc/net/dev: byte counters too large to add up");
			free(ifs);
			return -1;
		}
		srx += ifs[i].rx_bytes;
		stx += ifs[i].tx_bytes;
	}
	free(ifs);
	*rx = srx;
	*tx = stx;
	return 0;
}

/* The interface called name, looked for first at index hint (the kernel
 * lists interfaces in a stable order, so this is nearly always it). */
static const struct localhost_netif *netif_find(const struct localhost_netif *ifs, size_t n,
    size_t hint, const char *name)
{
	size_t i;

	if (hint < n && strcmp(ifs[hint].name, name) == 0)
		return &ifs[hint];
	for (i = 0; i < n; i++) {
		if (strcmp(ifs[i].name, name) == 0)
			return &ifs[i];
	}
	return NULL;
}

int localhost_net_rate(const struct localhost_netif *prev, size_t nprev,
    const struct localhost_netif *cur, size_t ncur, int64_t interval_ms,
    double *rx_bps, double *tx_bps, char **cause)
{
	double rx = 0.0, tx = 0.0;
	size_t i;

	if (interval_ms <= 0) {
		util_set_cause(cause, "no time passed since the last reading");
		return -1;
	}
	for (i = 0; i < ncur; i++) {
		const struct localhost_netif *p;

		if (is_loopback(&cur[i]))
			continue;
		p = netif_find(prev, nprev, i, cur[i].name);
		if (p == NULL)
			continue;   /* new interface: no baseline yet */
		if (cur[i].rx_bytes < p->rx_bytes || cur[i].tx_bytes < p->tx_bytes) {
			util_set_cause(cause, "%s: byte counter went backwards (reset or wrap); "
			    "no rate until the next reading", cur[i].name);
			return -1;
		}
		rx += (double)(cur[i].rx_bytes - p->rx_bytes);
		tx += (double)(cur[i].tx_bytes - p->tx_bytes);
	}
	*rx_bps = rx * 1000.0 / (double)interval_ms;
	*tx_bps = tx * 1000.0 / (double)interval_ms;
	return 0;
}

/* ---- /proc/loadavg, /proc/uptime ---- */

static int parse_first_decimal(const char *text, const char *file, const char *what,
    double *v, char **cause)
{
	enum num_result r;

	if (*skip_blanks(text) == '\0' || *skip_blanks(text) == '\n') {
		util_set_cause(cause, "%s: empty", file);
		return -1;
	}
	r = parse_decimal(text, v);
	if (r != NUM_OK) {
		util_set_cause(cause, "%s: %s %s", file, what, num_problem(r));
		return -1;
	}
	return 0;
}

int localhost_parse_loadavg(const char *text, double *load1, char **cause)
{
	return parse_first_decimal(text, "/proc/loadavg", "load1", load1, cause);
}

int localhost_parse_uptime(const char *text, double *uptime_s, char **cause)
{
	return parse_first_decimal(text, "/proc/uptime", "uptime", uptime_s, cause);
}

/* ---- statvfs ---- */

int localhost_disk_pct(unsigned long long blocks, unsigned long long bfree,
    unsigned long long bavail, double *pct, char **cause)
{
	double used, total;

	if (bfree > blocks) {
		util_set_cause(cause, "filesystem reports more free blocks than blocks");
		return -1;
	}
	used = (double)(blocks - bfree);
	total = used + (double)bavail;
	if (total <= 0.0) {
		util_set_cause(cause, "filesystem has no blocks");
		return -1;
	}
	*pct = used / total * 100.0;
	return 0;
}

/* ---- the sampler ---- */

struct localhost {
	char *proc_root;
	char *statvfs_path;
	const struct localhost_texts *texts;   /* during localhost_sample_texts only */
	bool have_cpu;
	struct localhost_cpu cpu;        /* the previous reading */
	bool have_net;
	struct localhost_netif *ifs;     /* the previous reading */
	size_t nifs;
	int64_t net_ms;                  /* when it was taken */
};

struct localhost *localhost_new(const char *proc_root, const char *statvfs_path)
{
	struct localhost *lh = xcalloc(1, sizeof *lh);

	lh->proc_root = xstrdup(proc_root);
	lh->statvfs_path = xstrdup(statvfs_path);
	return lh;
}

void localhost_free(struct localhost *lh)
{
	if (lh == NULL)
		return;
	free(lh->proc_root);
	free(lh->statvfs_path);
	free(lh->ifs);
	free(lh);
}

static const char *const localhost_file_names[LOCALHOST_NFILES] = {
	[LOCALHOST_STAT] = "stat", [LOCALHOST_MEMINFO] = "meminfo", [LOCALHOST_NETDEV] = "net/dev",
	[LOCALHOST_LOADAVG] = "loadavg", [LOCALHOST_UPTIME] = "uptime",
};

const char *localhost_file_name(enum localhost_file f)
{
	return (unsigned)f < LOCALHOST_NFILES ? localhost_file_names[f] : "?";
}

/* The text of name from the texts given (a copy into *text), or why not. */
static int read_text(const struct localhost_texts *t, const char *name, char **text,
    char **cause)
{
	for (int f = 0; f < LOCALHOST_NFILES; f++) {
		if (strcmp(localhost_file_names[f], name) != 0)
			continue;
		if (t->file[f] == NULL) {
			util_set_cause(cause, "cannot read /proc/%s on the host%s%s", name,
			    t->why != NULL ? ": " : "", t->why != NULL ? t->why : "");
			return -1;
		}
		*text = xstrdup(t->file[f]);
		return 0;
	}
	util_set_cause(cause, "no /proc/%s", name);
	return -1;
}

/* Reads proc_root/name (or takes it from the texts given); -1 with *cause. */
static int read_proc(const struct localhost *lh, const char *name, char **text, char **cause)
{
	char *path;
	int r;

	if (lh->texts != NULL)
		return read_text(lh->texts, name, text, cause);
	path = xasprintf("%s/%s", lh->proc_root, name);
	r = util_read_file(path, LOCALHOST_READ_MAX, text, NULL, cause);

	free(path);
	return r;
}

static void sample_cpu(struct localhost *lh, struct metrics *out)
{
	struct localhost_cpu cur;
	char *text = NULL, *cause = NULL;

	if (read_proc(lh, "stat", &text, &cause) != 0 ||
	    localhost_parse_stat(text, &cur, &cause) != 0) {
		metrics_set_error(out, METRICS_CPU, "%s", cause);
		free(text);
		free(cause);
		return;   /* keep the previous reading as the baseline */
	}
	if (!lh->have_cpu)
		metrics_set_error(out, METRICS_CPU, "collecting");
	else if (localhost_cpu_busy_pct(&lh->cpu, &cur, &out->cpu_pct, &cause) != 0)
		metrics_set_error(out, METRICS_CPU, "%s", cause);
	else
		out->valid[METRICS_CPU] = true;
	lh->cpu = cur;
	lh->have_cpu = true;
	free(text);
	free(cause);
}

static void sample_net(struct localhost *lh, int64_t now_ms, struct metrics *out)
{
	struct localhost_netif *ifs = NULL;
	size_t n = 0;
	char *text = NULL, *cause = NULL;

	if (read_proc(lh, "net/dev", &text, &cause) != 0 ||
	    localhost_parse_netdev_ifaces(text, &ifs, &n, &cause) != 0) {
		metrics_set_error(out, METRICS_NET, "%s", cause);
		free(text);
		free(cause);
		return;   /* keep the previous reading as the baseline */
	}
	if (!lh->have_net) {
		metrics_set_error(out, METRICS_NET, "collecting");
	} else if (localhost_net_rate(lh->ifs, lh->nifs, ifs, n, now_ms - lh->net_ms,
	    &out->net_rx_bps, &out->net_tx_bps, &cause) != 0) {
		metrics_set_error(out, METRICS_NET, "%s", cause);
	} else {
		out->valid[METRICS_NET] = true;
	}
	free(lh->ifs);
	lh->ifs = ifs;
	lh->nifs = n;
	lh->net_ms = now_ms;
	lh->have_net = true;
	free(text);
	free(cause);
}

/* One figure from one file by one parser of the text. */
static void sample_simple(const struct localhost *lh, const char *name,
    int (*parse)(const char *, double *, char **), double *value, enum metrics_figure f,
    struct metrics *out)
{
	char *text = NULL, *cause = NULL;

	if (read_proc(lh, name, &text, &cause) != 0 || parse(text, value, &cause) != 0)
		metrics_set_error(out, f, "%s", cause);
	else
		out->valid[f] = true;
	free(text);
	free(cause);
}

static void sample_disk(const struct localhost *lh, struct metrics *out)
{
	struct statvfs st;
	char *cause = NULL;

	if (lh->texts != NULL) {
		const struct localhost_texts *t = lh->texts;

		if (!t->have_disk) {
			metrics_set_error(out, METRICS_DISK, "%s", t->disk_error != NULL ? t->disk_error :
			    "no filesystem figures from the host");
			return;
		}
		st.f_blocks = t->blocks;
		st.f_bfree = t->bfree;
		st.f_bavail = t->bavail;
	} else if (statvfs(lh->statvfs_path, &st) != 0) {
		metrics_set_error(out, METRICS_DISK, "cannot statvfs %s: %s", lh->statvfs_path,
		    strerror(errno));
		return;
	}
	if (localhost_disk_pct(st.f_blocks, st.f_bfree, st.f_bavail, &out->disk_pct,
	    &cause) != 0) {
		metrics_set_error(out, METRICS_DISK, "%s: %s", lh->statvfs_path, cause);
		free(cause);
		return;
	}
	out->valid[METRICS_DISK] = true;
}

void localhost_sample_at(struct localhost *lh, int64_t mono_ms, struct metrics *out)
{
	metrics_done(out);
	metrics_init(out);
	out->origin = lh->texts != NULL ? METRICS_FROM_SSH : METRICS_FROM_PROC;
	sample_cpu(lh, out);
	sample_simple(lh, "meminfo", localhost_parse_meminfo, &out->mem_pct, METRICS_MEM, out);
	sample_disk(lh, out);
	sample_net(lh, mono_ms, out);
	sample_simple(lh, "loadavg", localhost_parse_loadavg, &out->load1, METRICS_LOAD, out);
	sample_simple(lh, "uptime", localhost_parse_uptime, &out->uptime_s, METRICS_UPTIME, out);
}

void localhost_sample(struct localhost *lh, struct metrics *out)
{
	localhost_sample_at(lh, time_mono_ms(), out);
}

void localhost_sample_texts(struct localhost *lh, const struct localhost_texts *t,
    int64_t mono_ms, struct metrics *out)
{
	lh->texts = t;
	localhost_sample_at(lh, mono_ms, out);
	lh->texts = NULL;
}
