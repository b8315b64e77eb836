#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void (*fatal_hook)(void);

void util_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

_Noreturn void fatal(const char *fmt, ...)
{
	va_list ap;

	if (fatal_hook != NULL)
		fatal_hook();
	fputs("kitetop: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > ((size_t)-1) / size)
		fatal("allocation overflow (%zu x %zu)", n, size);
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return s == NULL ? NULL : xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatal("vsnprintf failed for \"%s\"", fmt);
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

/* see util.h */
size_t util_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[65], cur[65];

	if (la > 64 || lb > 64)
		return 99;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

size_t util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

void util_set_cause(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause == NULL)
		return;
	free(*cause);
	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
}

int util_read_file(const char *path, size_t max, char **out, size_t *out_len, char **cause)
{
	/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	char *buf;
	size_t len = 0, cap = 4096;

	if (fd < 0) {
		util_set_cause(cause, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* of what was opened, not of the name (which may have changed since) */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		util_set_cause(cause, "%s is not a regular file", path);
		close(fd);
		return -1;
	}
	buf = xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			if (cap > max + 1) {
				close(fd);
				free(buf);
				util_set_cause(cause, "%s is over %zu bytes", path, max);
				return -1;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			util_set_cause(cause, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			close(fd);
			free(buf);
			util_set_cause(cause, "%s is over %zu bytes", path, max);
			return -1;
		}
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	if (out_len != NULL)
		*out_len = len;
	return 0;
}

bool util_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

int util_mkdirs_for(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;
	int rc = 0;

	if (slash == NULL || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	for (char *p = dir + 1; rc == 0; p++) {
		bool end = *p == '\0';

		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST &&
		    (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
			rc = -1;
		if (end)
			break;
		*p = '/';
	}
	free(dir);
	return rc;
}

int util_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Drops one mapping's pages when it holds no anonymous (private, changed)
 * page: then every page is the file's and comes back unchanged. */
static size_t trim_mapping(unsigned long lo, unsigned long hi, const char *perms,
                           const char *path, long anon_kb)
{
	if (path[0] != '/' || strchr(perms, 'w') != NULL || perms[3] != 'p' || anon_kb != 0)
		return 0;
	return madvise((void *)lo, hi - lo, MADV_DONTNEED) == 0 ? hi - lo : 0;
}

size_t util_trim_file_pages(void)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512], perms[8] = "", path[256] = "";
	unsigned long lo = 0, hi = 0;
	size_t total = 0;
	bool have = false;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		unsigned long a, b;
		char pm[8], pa[256] = "";
		long kb;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &a, &b, pm, pa) >= 3) {
			lo = a;
			hi = b;
			util_strlcpy(perms, pm, sizeof perms);
			util_strlcpy(path, pa, sizeof path);
			have = true;
		} else if (have && sscanf(line, "Anonymous: %ld kB", &kb) == 1) {
			/* each mapping's Anonymous line comes after its header */
			total += trim_mapping(lo, hi, perms, path, kb);
			have = false;
		}
	}
	fclose(f);
	return total;
}

void util_thread_name(pthread_t t, const char *name)
{
	char n[16];

	snprintf(n, sizeof n, "kt:%s", name);
	pthread_setname_np(t, n);
}

/* The length of the UTF-8 sequence at s, or 0 when it is not valid UTF-8 or
 * encodes a C1 control. */
static size_t util_utf8_len(const unsigned char *s, size_t avail)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	/* C1 controls (U+0080..U+009F) are as dangerous to a terminal as C0. */
	if (n == 2 && cp < 0xa0)
		return 0;
	return n;
}

char *util_text_sanitize(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i = 0, o = 0;
	char *out;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	out = xmalloc((len < max ? len : max) + 1);
	while (i < len) {
		size_t n = util_utf8_len(p + i, len - i);

		if (n == 0 || (n == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
			if (o + 1 > max)
				break;
			out[o++] = '?';
			i++;
			continue;
		}
		if (o + n > max)
			break;
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return out;
}

void util_release_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}
