/* cgroupstat — see cgroupstat.h. */
#include "backends/cgroupstat.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/util.h"

#define MARK_UP "@kitetop up "
#define MARK_END CGROUPSTAT_END
#define LIMIT_NONE ((int64_t)1 << 62)   /* v1 says "no limit" with a page-rounded INT64_MAX */

/* $q: 64 characters, a container id (the cgroupfs driver's directory);
 * the parent one level of any name (Docker's default "docker", or the
 * daemon's --cgroup-parent); the systemd driver's scope in any slice */
#define V1_CGROUPFS_FILES \
	"cpuacct/*/$q/cpuacct.usage memory/*/$q/memory.usage_in_bytes " \
	"memory/*/$q/memory.stat memory/*/$q/memory.limit_in_bytes"
#define V1_SYSTEMD_FILES \
	"cpuacct/*/docker-*.scope/cpuacct.usage memory/*/docker-*.scope/memory.usage_in_bytes " \
	"memory/*/docker-*.scope/memory.stat memory/*/docker-*.scope/memory.limit_in_bytes"
#define V2_CGROUPFS_FILES \
	"*/$q/cpu.stat */$q/memory.current */$q/memory.stat */$q/memory.max"
#define V2_SYSTEMD_FILES \
	"*/docker-*.scope/cpu.stat */docker-*.scope/memory.current " \
	"*/docker-*.scope/memory.stat */docker-*.scope/memory.max"
#define Q64 "????????????????????????????????????????????????????????????????"
/* awk: grep's "PATH:LINE" lines made into a line a container, "ID" and a
 * token a figure (see cgroupstat.h); the values kept as the text they were
 * (awk's numbers are doubles: a nanosecond counter can outgrow them) */
#define AWK_COMPACT \
	"{ i = index($0, \":\"); p = substr($0, 1, i - 1); v = substr($0, i + 1); " \
	"n = split(p, a, \"/\"); f = a[n]; d = a[n - 1]; sub(/^docker-/, \"\", d); " \
	"sub(/[.]scope$/, \"\", d); if (!(d in S)) { O[++k] = d; S[d] = \"\" } " \
	"if (f == \"cpuacct.usage\") S[d] = S[d] \" c\" v; " \
	"else if (f == \"cpu.stat\") { if (sub(/^usage_usec /, \"\", v)) S[d] = S[d] \" u\" v } " \
	"else if (f == \"memory.current\" || f == \"memory.usage_in_bytes\") S[d] = S[d] \" m\" v; " \
	"else if (f == \"memory.max\" || f == \"memory.limit_in_bytes\") S[d] = S[d] \" l\" v; " \
	"else if (sub(/^total_inactive_file /, \"\", v)) S[d] = S[d] \" t\" v; " \
	"else if (sub(/^inactive_file /, \"\", v)) S[d] = S[d] \" i\" v } " \
	"END { for (j = 1; j <= k; j++) print O[j] S[O[j]] }"
/* grep -s: a pattern that matched nothing (sh leaves it as it is) or a
 * container removed meanwhile is skipped in silence; -H: the path always.
 * Its lines made compact by awk (a fifth of the bytes: the answer crosses
 * the SSH link and is parsed every refresh), or as they are on a host
 * without awk */
#define COMMAND(files) \
	"cd /sys/fs/cgroup 2>/dev/null; q=" Q64 "; echo \"" MARK_UP "$(cat /proc/uptime 2>/dev/null)\"; " \
	"g() { grep -sH -e '^[0-9]' -e '^max$' -e '^usage_usec ' -e '^inactive_file ' " \
	"-e '^total_inactive_file ' " files "; }; if command -v awk >/dev/null 2>&1; then g | " \
	"awk '" AWK_COMPACT "'; else g; fi; echo '" MARK_END "'"

enum cgroupstat_layout cgroupstat_layout_of(const char *version, const char *driver)
{
	bool v1, v2, sd, fs;

	if (version == NULL || driver == NULL)
		return CGROUPSTAT_ANY;
	v1 = strcmp(version, "1") == 0;
	v2 = strcmp(version, "2") == 0;
	sd = strcmp(driver, "systemd") == 0;
	fs = strcmp(driver, "cgroupfs") == 0;
	if (v1 && fs)
		return CGROUPSTAT_V1_CGROUPFS;
	if (v1 && sd)
		return CGROUPSTAT_V1_SYSTEMD;
	if (v2 && fs)
		return CGROUPSTAT_V2_CGROUPFS;
	if (v2 && sd)
		return CGROUPSTAT_V2_SYSTEMD;
	return CGROUPSTAT_ANY;
}

enum cgroupstat_layout cgroupstat_layout_of_info(const char *json, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	enum cgroupstat_layout l = CGROUPSTAT_ANY;

	if (cJSON_IsObject(root)) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "CgroupVersion");
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "CgroupDriver");

		/* Docker before 20.10 has no CgroupVersion: v1 then */
		l = cgroupstat_layout_of(cJSON_IsString(v) ? v->valuestring : v == NULL ? "1" : NULL,
		                         cJSON_IsString(d) ? d->valuestring : NULL);
	}
	cJSON_Delete(root);
	return l;
}

const char *cgroupstat_layout_name(enum cgroupstat_layout l)
{
	switch (l) {
	case CGROUPSTAT_V1_CGROUPFS: return "v1/cgroupfs";
	case CGROUPSTAT_V1_SYSTEMD: return "v1/systemd";
	case CGROUPSTAT_V2_CGROUPFS: return "v2/cgroupfs";
	case CGROUPSTAT_V2_SYSTEMD: return "v2/systemd";
	default: return "any";
	}
}

/* Two reads CGROUPSTAT_TWICE_GAP_MS apart in one command: one exec where a
 * second would cost the round trips of a channel of its own */
#define TWICE(files) COMMAND(files) "; sleep 1; " COMMAND(files)
#define ANY_FILES \
	V2_SYSTEMD_FILES " " V2_CGROUPFS_FILES " " V1_CGROUPFS_FILES " " V1_SYSTEMD_FILES

const char *cgroupstat_command_twice(enum cgroupstat_layout l)
{
	switch (l) {
	case CGROUPSTAT_V1_CGROUPFS: return TWICE(V1_CGROUPFS_FILES);
	case CGROUPSTAT_V1_SYSTEMD: return TWICE(V1_SYSTEMD_FILES);
	case CGROUPSTAT_V2_CGROUPFS: return TWICE(V2_CGROUPFS_FILES);
	case CGROUPSTAT_V2_SYSTEMD: return TWICE(V2_SYSTEMD_FILES);
	default: return TWICE(ANY_FILES);
	}
}

size_t cgroupstat_answer_len(const char *out, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(out + i, '\n', len - i);
		size_t l = (size_t)((nl != NULL ? nl : out + len) - (out + i)), next;

		next = nl != NULL ? i + l + 1 : len;
		while (l > 0 && out[i + l - 1] == '\r')
			l--;
		if (l == strlen(MARK_END) && memcmp(out + i, MARK_END, l) == 0)
			return next;
		i = next;
	}
	return 0;
}

const char *cgroupstat_command(enum cgroupstat_layout l)
{
	switch (l) {
	case CGROUPSTAT_V1_CGROUPFS: return COMMAND(V1_CGROUPFS_FILES);
	case CGROUPSTAT_V1_SYSTEMD: return COMMAND(V1_SYSTEMD_FILES);
	case CGROUPSTAT_V2_CGROUPFS: return COMMAND(V2_CGROUPFS_FILES);
	case CGROUPSTAT_V2_SYSTEMD: return COMMAND(V2_SYSTEMD_FILES);
	default: return COMMAND(ANY_FILES);
	}
}

/* The token of a file's line (the awk of the command's): its key, and how
 * much of the line goes before the value; 0: a line not wanted. */
static char line_token(const char *file, const char *l, size_t n, size_t *skip)
{
	static const struct {
		const char *file, *prefix;
		char key;
	} t[] = {
		{ "cpuacct.usage", "", 'c' }, { "cpu.stat", "usage_usec ", 'u' },
		{ "memory.current", "", 'm' }, { "memory.usage_in_bytes", "", 'm' },
		{ "memory.max", "", 'l' }, { "memory.limit_in_bytes", "", 'l' },
		{ "memory.stat", "total_inactive_file ", 't' }, { "memory.stat", "inactive_file ", 'i' },
	};

	for (size_t i = 0; i < UTIL_ARRAY_LEN(t); i++) {
		size_t k = strlen(t[i].prefix);

		if (strcmp(file, t[i].file) != 0 || n <= k || memcmp(l, t[i].prefix, k) != 0)
			continue;
		/* as grep's filter: a number, or "max" */
		if (!((l[k] >= '0' && l[k] <= '9') || (n - k == 3 && memcmp(l + k, "max", 3) == 0)))
			return 0;
		*skip = k;
		return t[i].key;
	}
	return 0;
}

/* The files of one layout, read here: each controller's directory under the
 * root ("" for v2's single hierarchy), and the files of a container's
 * directory in it.  The directories are walked as the command's patterns
 * say (a parent of any name, then a container's directory: 64 hex digits
 * for the cgroupfs driver, docker-*.scope for systemd's), each file opened
 * relative to its directory: no glob, no path walked from the root again
 * for every file (a host of 500 containers has 2,000 of them). */
struct local_ctl {
	const char *dir;
	const char *files[4];
};

struct local_layout {
	bool systemd;
	struct local_ctl ctl[2];
};

static const struct local_layout local_v1_fs = { false, {
	{ "cpuacct", { "cpuacct.usage" } },
	{ "memory", { "memory.usage_in_bytes", "memory.stat", "memory.limit_in_bytes" } } } };
static const struct local_layout local_v1_sd = { true, {
	{ "cpuacct", { "cpuacct.usage" } },
	{ "memory", { "memory.usage_in_bytes", "memory.stat", "memory.limit_in_bytes" } } } };
static const struct local_layout local_v2_fs = { false, {
	{ "", { "cpu.stat", "memory.current", "memory.stat", "memory.max" } } } };
static const struct local_layout local_v2_sd = { true, {
	{ "", { "cpu.stat", "memory.current", "memory.stat", "memory.max" } } } };

/* A container's directory: its 64 hex digit id (cgroupfs), or
 * docker-ID.scope (systemd's). */
static bool local_name_ok(const char *name, bool systemd)
{
	size_t n = strlen(name);

	if (systemd) {
		if (n != 64 + 13 || memcmp(name, "docker-", 7) != 0 || strcmp(name + n - 6, ".scope") != 0)
			return false;
		name += 7;
	} else if (n != 64) {
		return false;
	}
	for (size_t i = 0; i < 64; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f') ||
		      (name[i] >= 'A' && name[i] <= 'F')))
			return false;
	return true;
}

/* One file's wanted lines as tokens " KVALUE" into out. */
static void local_file(int dirfd, const char *sub, const char *file, struct buf *out)
{
	char data[8192], path[320];
	size_t len = 0;
	ssize_t got;
	int fd;

	/* sub/file from its parent: no open of the container's directory
	 * (at 500 containers a read is thousands of opens: a third fewer) */
	if (snprintf(path, sizeof path, "%s/%s", sub, file) >= (int)sizeof path)
		return;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* a short read is the end: these files are made whole at the first
	 * read (a cgroup file's text; a regular file's), so not a second
	 * read for the 0 that says so */
	while (len < sizeof data - 1) {
		size_t want = sizeof data - 1 - len;

		got = read(fd, data + len, want);
		if (got <= 0)
			break;
		len += (size_t)got;
		if ((size_t)got < want)
			break;
	}
	close(fd);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - (data + i)) : len - i, skip = 0;
		char key = line_token(file, data + i, n, &skip);

		if (key != 0) {
			buf_putc(out, ' ');
			buf_putc(out, key);
			buf_append(out, data + i + skip, n - skip);
		}
		i += n + 1;
	}
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether a container's directory name is of the ids asked for (NULL: all). */
static bool local_wanted(const char *name, bool systemd, const char *const *ids, size_t n)
{
	char id[65];
	const char *key = id;

	if (ids == NULL)
		return true;
	memcpy(id, systemd ? name + 7 : name, 64);   /* local_name_ok: long enough */
	id[64] = '\0';
	return bsearch(&key, ids, n, sizeof *ids, id_cmp) != NULL;
}

static void local_layout_read(const struct local_layout *ly, int rootfd, const char *const *ids,
                              size_t nids, struct buf *out)
{
	for (size_t c = 0; c < UTIL_ARRAY_LEN(ly->ctl) && ly->ctl[c].files[0] != NULL; c++) {
		const struct local_ctl *ctl = &ly->ctl[c];
		int cfd = openat(rootfd, ctl->dir[0] != '\0' ? ctl->dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *cd = cfd >= 0 ? fdopendir(cfd) : NULL;
		struct dirent *pe;

		if (cd == NULL) {
			if (cfd >= 0)
				close(cfd);
			continue;
		}
		while ((pe = readdir(cd)) != NULL) {   /* the parents: any name */
			int pfd;
			DIR *pd;
			struct dirent *e;

			if (pe->d_name[0] == '.' || (pe->d_type != DT_DIR && pe->d_type != DT_UNKNOWN))
				continue;
			pfd = openat(cfd, pe->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (pfd < 0 || (pd = fdopendir(pfd)) == NULL) {
				if (pfd >= 0)
					close(pfd);
				continue;
			}
			while ((e = readdir(pd)) != NULL) {   /* the containers: a line each */
				if (!local_name_ok(e->d_name, ly->systemd) ||
				    (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) ||
				    !local_wanted(e->d_name, ly->systemd, ids, nids))
					continue;
				buf_append(out, ly->systemd ? e->d_name + 7 : e->d_name, 64);
				for (size_t f = 0; f < UTIL_ARRAY_LEN(ctl->files) && ctl->files[f] != NULL; f++)
					local_file(pfd, e->d_name, ctl->files[f], out);
				buf_putc(out, '\n');
			}
			closedir(pd);
		}
		closedir(cd);
	}
}

void cgroupstat_read_local(enum cgroupstat_layout l, const char *root, const char *uptime_path,
                           struct buf *out)
{
	cgroupstat_read_local_some(l, root, uptime_path, NULL, 0, out);
}

void cgroupstat_read_local_some(enum cgroupstat_layout l, const char *root, const char *uptime_path,
                                const char *const *ids, size_t nids, struct buf *out)
{
	static const struct local_layout *const any[] = { &local_v2_sd, &local_v2_fs, &local_v1_fs,
	                                                   &local_v1_sd };
	char up[128] = "";
	FILE *f = fopen(uptime_path, "re");
	int rootfd;

	if (f != NULL) {
		if (fgets(up, sizeof up, f) == NULL)
			up[0] = '\0';
		up[strcspn(up, "\n")] = '\0';
		fclose(f);
	}
	buf_printf(out, MARK_UP "%s\n", up);
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd >= 0) {
		switch (l) {
		case CGROUPSTAT_V1_CGROUPFS: local_layout_read(&local_v1_fs, rootfd, ids, nids, out); break;
		case CGROUPSTAT_V1_SYSTEMD: local_layout_read(&local_v1_sd, rootfd, ids, nids, out); break;
		case CGROUPSTAT_V2_CGROUPFS: local_layout_read(&local_v2_fs, rootfd, ids, nids, out); break;
		case CGROUPSTAT_V2_SYSTEMD: local_layout_read(&local_v2_sd, rootfd, ids, nids, out); break;
		default:
			for (size_t i = 0; i < UTIL_ARRAY_LEN(any); i++)
				local_layout_read(any[i], rootfd, ids, nids, out);
		}
		close(rootfd);
	}
	buf_printf(out, MARK_END "\n");
}

void cgroupstat_init(struct cgroupstat *c)
{
	c->uptime_s = -1;
	c->s = NULL;
	c->n = 0;
}

void cgroupstat_done(struct cgroupstat *c)
{
	free(c->s);
	cgroupstat_init(c);
}

/* One field of one container, as read. */
enum field { F_CPU_NS, F_CPU_USEC, F_USAGE, F_INACTIVE, F_TOTAL_INACTIVE, F_LIMIT };

struct item {
	char id[65];
	enum field f;
	int64_t v;                  /* -1: "max" */
};

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/* The first run of exactly 64 lowercase hex digits in p[0..n) into id. */
static bool find_id(const char *p, size_t n, char id[65])
{
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && is_hex(p[j]))
			j++;
		if (j - i == 64) {
			memcpy(id, p + i, 64);
			id[64] = '\0';
			return true;
		}
		i = j == i ? i + 1 : j;
	}
	return false;
}

/* A decimal number filling p[0..n) (blanks around allowed) into *v (at most
 * INT64_MAX).  False if it is not one. */
static bool parse_num(const char *p, size_t n, int64_t *v)
{
	size_t i = 0;
	bool any = false;
	uint64_t x = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		unsigned d = (unsigned)(p[i] - '0');

		if (x > ((uint64_t)INT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
		any = true;
	}
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	*v = (int64_t)x;
	return any && i == n;
}

static bool starts(const char *p, size_t n, const char *s, size_t *skip)
{
	*skip = strlen(s);
	return n >= *skip && memcmp(p, s, *skip) == 0;
}

/* "PATH:TEXT" into *it; false when it says nothing this parser knows. */
static bool parse_item(const char *p, size_t n, struct item *it)
{
	const char *colon = memchr(p, ':', n), *base, *t;
	size_t pl, bl, tl, k;

	if (colon == NULL)
		return false;
	pl = (size_t)(colon - p);
	t = colon + 1;
	tl = n - pl - 1;
	if (!find_id(p, pl, it->id))
		return false;
	base = p + pl;
	while (base > p && base[-1] != '/')
		base--;
	bl = (size_t)(p + pl - base);
#define BASE_IS(s) (bl == strlen(s) && memcmp(base, s, bl) == 0)
	if (BASE_IS("cpuacct.usage")) {
		it->f = F_CPU_NS;
		return parse_num(t, tl, &it->v);
	}
	if (BASE_IS("cpu.stat")) {
		it->f = F_CPU_USEC;
		return starts(t, tl, "usage_usec ", &k) && parse_num(t + k, tl - k, &it->v);
	}
	if (BASE_IS("memory.current") || BASE_IS("memory.usage_in_bytes")) {
		it->f = F_USAGE;
		return parse_num(t, tl, &it->v);
	}
	if (BASE_IS("memory.max") || BASE_IS("memory.limit_in_bytes")) {
		it->f = F_LIMIT;
		if (tl >= 3 && memcmp(t, "max", 3) == 0 && (tl == 3 || t[3] == '\r')) {
			it->v = -1;
			return true;
		}
		return parse_num(t, tl, &it->v);
	}
	if (BASE_IS("memory.stat")) {
		if (starts(t, tl, "total_inactive_file ", &k))
			it->f = F_TOTAL_INACTIVE;
		else if (starts(t, tl, "inactive_file ", &k))
			it->f = F_INACTIVE;
		else
			return false;
		return parse_num(t + k, tl - k, &it->v);
	}
#undef BASE_IS
	return false;
}

static void apply(struct cgroupstat_sample *s, const struct item *it)
{
	switch (it->f) {
	case F_CPU_NS:
		s->cpu_ns = it->v;
		break;
	case F_CPU_USEC:
		s->cpu_ns = it->v > INT64_MAX / 1000 ? -1 : it->v * 1000;
		break;
	case F_USAGE:
		s->mem_usage = it->v;
		break;
	case F_INACTIVE:
		if (!s->inactive_total)
			s->mem_inactive = it->v;
		break;
	case F_TOTAL_INACTIVE:
		s->mem_inactive = it->v;
		s->inactive_total = true;
		break;
	case F_LIMIT:
		s->mem_limit = it->v >= LIMIT_NONE ? -1 : it->v;
		break;
	}
}

/* A compact line "ID KVALUE ..." (64 lowercase hex digits, then tokens a
 * blank or more apart: the command's awk, or the local reader) into *s (its
 * id and figures, the others -1) and how many tokens it had into *ntok;
 * false when it is not one.  A token of a key not known, or whose value is
 * not a number, is passed over. */
static bool parse_compact(const char *p, size_t n, struct cgroupstat_sample *s, size_t *ntok)
{
	struct item it;
	size_t i = 64;

	*ntok = 0;
	if (n < 64 || (n > 64 && p[64] != ' '))
		return false;
	for (size_t k = 0; k < 64; k++)
		if (!is_hex(p[k]))
			return false;
	memcpy(s->id, p, 64);
	s->id[64] = '\0';
	while (i < n) {
		size_t j;

		while (i < n && p[i] == ' ')
			i++;
		for (j = i; j < n && p[j] != ' '; j++)
			;
		if (j - i >= 2) {
			const char *v = p + i + 1;
			size_t vl = j - i - 1;
			bool ok = true;

			switch (p[i]) {
			case 'c': it.f = F_CPU_NS; break;
			case 'u': it.f = F_CPU_USEC; break;
			case 'm': it.f = F_USAGE; break;
			case 'l': it.f = F_LIMIT; break;
			case 't': it.f = F_TOTAL_INACTIVE; break;
			case 'i': it.f = F_INACTIVE; break;
			default: ok = false;
			}
			if (ok && it.f == F_LIMIT && vl == 3 && memcmp(v, "max", 3) == 0)
				it.v = -1;
			else if (ok)
				ok = parse_num(v, vl, &it.v);
			if (ok) {
				apply(s, &it);
				(*ntok)++;
			}
		}
		i = j;
	}
	return true;
}

/* "UPTIME IDLE": the first number (seconds, a fraction allowed); -1 if none. */
static double parse_uptime(const char *p, size_t n)
{
	char tmp[64];
	char *end;
	double v;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	if (tmp[0] < '0' || tmp[0] > '9')
		return -1;
	v = strtod(tmp, &end);
	return end != tmp && v >= 0 && v < 1e12 ? v : -1;
}

/* The parts of an answer: a sample a line (a compact line's, or one figure
 * of grep's), in the answer's order; a container's parts merged after. */
struct part {
	struct cgroupstat_sample s;
	size_t order;
};

static int part_cmp(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	int c = strcmp(x->s.id, y->s.id);

	return c != 0 ? c : x->order < y->order ? -1 : x->order > y->order;
}

static void sample_blank(struct cgroupstat_sample *s)
{
	s->cpu_ns = s->mem_usage = s->mem_inactive = s->mem_limit = -1;
	s->inactive_total = false;
	s->t = s->cpu_pct = -1;
}

/* A later part of the same container over *d: its figures where it has
 * them, as the items would have been applied in order. */
static void sample_merge(struct cgroupstat_sample *d, const struct cgroupstat_sample *s)
{
	if (s->cpu_ns >= 0)
		d->cpu_ns = s->cpu_ns;
	if (s->mem_usage >= 0)
		d->mem_usage = s->mem_usage;
	if (s->mem_limit >= 0)
		d->mem_limit = s->mem_limit;
	if (s->inactive_total) {
		d->mem_inactive = s->mem_inactive;
		d->inactive_total = true;
	} else if (s->mem_inactive >= 0 && !d->inactive_total) {
		d->mem_inactive = s->mem_inactive;
	}
}

int cgroupstat_parse(const char *out, size_t len, struct cgroupstat *c, char **cause)
{
	const char *p = out, *end = out + len;
	struct part *parts = NULL;
	size_t nparts = 0, cap = 0;
	bool done = false;

	cgroupstat_done(c);
	while (p < end && !done) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)((nl != NULL ? nl : end) - p), k;
		struct item it;
		size_t ntok;

		while (l > 0 && p[l - 1] == '\r')
			l--;
		if (starts(p, l, MARK_UP, &k)) {
			size_t w = k;

			while (w < l && p[w] != ' ')
				w++;
			c->uptime_s = parse_uptime(p + k, w - k);
		} else if (l == strlen(MARK_END) && memcmp(p, MARK_END, l) == 0) {
			done = true;
		} else if (memchr(p, '\0', l) == NULL && nparts < (size_t)CGROUPSTAT_MAX_CONTAINERS * 8) {
			if (nparts == cap) {
				cap = cap ? cap * 2 : 64;
				parts = xreallocarray(parts, cap, sizeof *parts);
			}
			sample_blank(&parts[nparts].s);
			parts[nparts].order = nparts;
			if (parse_compact(p, l, &parts[nparts].s, &ntok)) {
				nparts += ntok > 0;   /* its id alone: nothing */
			} else if (parse_item(p, l, &it)) {
				memcpy(parts[nparts].s.id, it.id, sizeof it.id);
				apply(&parts[nparts].s, &it);
				nparts++;
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	if (!done) {
		free(parts);
		cgroupstat_done(c);
		util_set_cause(cause, "cgroups: no end marker in the answer (is the login shell "
		               "POSIX-like?)");
		return -1;
	}
	if (nparts > 0)
		qsort(parts, nparts, sizeof *parts, part_cmp);
	for (size_t i = 0; i < nparts; i++) {
		const struct cgroupstat_sample *s = &parts[i].s;

		if (c->n > 0 && strcmp(c->s[c->n - 1].id, s->id) == 0) {
			sample_merge(&c->s[c->n - 1], s);
			continue;
		}
		if (c->n >= CGROUPSTAT_MAX_CONTAINERS)
			break;
		if (c->s == NULL)   /* at most one a part */
			c->s = xreallocarray(NULL, nparts, sizeof *c->s);
		c->s[c->n++] = *s;
	}
	free(parts);
	/* sized for a container a part: kept until the next read, so only
	 * what it holds */
	if (c->n > 0)
		c->s = xreallocarray(c->s, c->n, sizeof *c->s);
	return 0;
}

static int sample_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cgroupstat_sample *)a)->id, ((const struct cgroupstat_sample *)b)->id);
}

static int sample_key_cmp(const void *key, const void *el)
{
	return strcmp(key, ((const struct cgroupstat_sample *)el)->id);
}

const struct cgroupstat_sample *cgroupstat_find(const struct cgroupstat *c, const char *id)
{
	return c->n == 0 ? NULL : bsearch(id, c->s, c->n, sizeof *c->s, sample_key_cmp);
}

bool cgroupstat_holds_any(const struct cgroupstat *c, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cgroupstat_find(c, ids[i]) != NULL)
			return true;
	return n == 0;
}

void cgroupstat_merge_older(struct cgroupstat *c, const struct cgroupstat *older)
{
	size_t add = 0, n;

	for (size_t i = 0; i < older->n; i++)
		if (cgroupstat_find(c, older->s[i].id) == NULL)
			add++;
	if (add == 0)
		return;
	n = c->n;
	c->s = xreallocarray(c->s, n + add, sizeof *c->s);
	for (size_t i = 0; i < older->n; i++)
		if (n == 0 || bsearch(older->s[i].id, c->s, n, sizeof *c->s, sample_key_cmp) == NULL)
			c->s[c->n++] = older->s[i];
	qsort(c->s, c->n, sizeof *c->s, sample_cmp);
}

int64_t cgroupstat_mem_bytes(const struct cgroupstat_sample *s)
{
	if (s == NULL || s->mem_usage < 0)
		return -1;
	if (s->mem_inactive >= 0 && s->mem_inactive < s->mem_usage)
		return s->mem_usage - s->mem_inactive;
	return s->mem_usage;
}

double cgroupstat_cpu_pct(const struct cgroupstat_sample *prev, const struct cgroupstat_sample *cur,
                          double dt_s)
{
	if (prev == NULL || cur == NULL || prev->cpu_ns < 0 || cur->cpu_ns < prev->cpu_ns ||
	    !(dt_s > 0))
		return -1;
	return (double)(cur->cpu_ns - prev->cpu_ns) / (dt_s * 1e9) * 100.0;
}
