/* hostproc — see hostproc.h. */
#include "backends/hostproc.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

#define HOSTPROC_MARK "@kitetop "
#define HOSTPROC_FAIL "@kitetop-fail"

void hostproc_init(struct hostproc *hp)
{
	memset(hp, 0, sizeof *hp);
}

void hostproc_done(struct hostproc *hp)
{
	for (int f = 0; f < LOCALHOST_NFILES; f++)
		free(hp->file[f]);
	free(hp->disk_error);
	hostproc_init(hp);
}

/* The length of the line at p (up to end), without its newline. */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return (size_t)((nl != NULL ? nl : end) - p);
}

static bool line_is(const char *p, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(p, s, n) == 0;
}

/* The first line of the output, printable, for an error message. */
static void first_line(const char *out, size_t len, char *buf, size_t n)
{
	size_t k = 0, l = line_len(out, out + len);

	for (size_t i = 0; i < l && k + 1 < n; i++)
		buf[k++] = (unsigned char)out[i] < 0x20 || out[i] == 0x7f ? '?' : out[i];
	buf[k] = '\0';
}

/* "BLOCKS BFREE BAVAIL" (blanks around allowed); 0, or -1. */
static int parse_statfs(const char *p, size_t n, unsigned long long v[3])
{
	size_t i = 0;

	for (int k = 0; k < 3; k++) {
		bool any = false;

		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		v[k] = 0;
		for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
			unsigned d = (unsigned)(p[i] - '0');

			if (v[k] > (~0ULL - d) / 10)
				return -1;
			v[k] = v[k] * 10 + d;
			any = true;
		}
		if (!any)
			return -1;
	}
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	return i == n ? 0 : -1;
}

/* One section's body [p, p + n) (its lines, newlines included) into hp. */
static void take_section(struct hostproc *hp, const char *name, size_t name_len, const char *p,
                         size_t n)
{
	bool failed = false;

	/* a fail line anywhere in the body: the file could not be read */
	for (const char *q = p; q < p + n;) {
		size_t l = line_len(q, p + n);

		if (line_is(q, l, HOSTPROC_FAIL))
			failed = true;
		q += l + 1;
	}
	if (line_is(name, name_len, "statfs")) {
		unsigned long long v[3];
		size_t l = n > 0 ? line_len(p, p + n) : 0;

		if (hp->have_disk || hp->disk_error != NULL)
			return;   /* the first one counts */
		if (failed || n == 0 || parse_statfs(p, l, v) != 0) {
			hp->disk_error = xstrdup(failed ? "stat -f / failed on the host" :
			                         "stat -f /: unreadable answer");
			return;
		}
		hp->have_disk = true;
		hp->blocks = v[0];
		hp->bfree = v[1];
		hp->bavail = v[2];
		return;
	}
	for (int f = 0; f < LOCALHOST_NFILES; f++) {
		if (!line_is(name, name_len, localhost_file_name((enum localhost_file)f)))
			continue;
		if (hp->file[f] == NULL && !failed)
			hp->file[f] = xstrndup(p, n);   /* stops at a NUL in it */
		return;
	}
}

int hostproc_parse(const char *out, size_t len, struct hostproc *hp, char **cause)
{
	const char *end = out + len, *p = out;
	const char *name = NULL, *body = NULL;
	size_t name_len = 0, mlen = strlen(HOSTPROC_MARK);
	bool done = false;
	char line[160];

	hostproc_done(hp);
	while (p < end && !done) {
		size_t l = line_len(p, end);
		const char *next = p + l + (p + l < end ? 1 : 0);

		if (l >= mlen && memcmp(p, HOSTPROC_MARK, mlen) == 0) {
			if (name != NULL)
				take_section(hp, name, name_len, body, (size_t)(p - body));
			name = p + mlen;
			name_len = l - mlen;
			while (name_len > 0 && name[name_len - 1] == '\r')
				name_len--;
			body = next;
			if (line_is(name, name_len, "end"))
				done = true;
		}
		p = next;
	}
	if (!done) {
		first_line(out, len, line, sizeof line);
		util_set_cause(cause, "the host's /proc: no end marker in the answer (is the login shell "
		               "POSIX-like?)%s%s", line[0] != '\0' ? ": " : "", line);
		hostproc_done(hp);
		return -1;
	}
	return 0;
}

size_t hostproc_answer_len(const char *out, size_t len)
{
	const char *end = out + len, *p = out;
	size_t mlen = strlen(HOSTPROC_MARK);

	while (p < end) {
		size_t l = line_len(p, end);
		const char *next = p + l + (p + l < end ? 1 : 0);

		while (l > 0 && p[l - 1] == '\r')
			l--;
		if (l >= mlen && memcmp(p, HOSTPROC_MARK, mlen) == 0 &&
		    line_is(p + mlen, l - mlen, "end"))
			return (size_t)(next - out);
		p = next;
	}
	return 0;
}

double hostproc_uptime_s(const struct hostproc *hp)
{
	double up;
	char *why = NULL;

	if (hp->file[LOCALHOST_UPTIME] == NULL ||
	    localhost_parse_uptime(hp->file[LOCALHOST_UPTIME], &up, &why) != 0) {
		free(why);
		return -1;
	}
	return up;
}

void hostproc_texts(const struct hostproc *hp, struct localhost_texts *t)
{
	memset(t, 0, sizeof *t);
	for (int f = 0; f < LOCALHOST_NFILES; f++)
		t->file[f] = hp->file[f];
	t->have_disk = hp->have_disk;
	t->blocks = hp->blocks;
	t->bfree = hp->bfree;
	t->bavail = hp->bavail;
	t->disk_error = hp->disk_error;
}
