/* Unit tests: util_trim_file_pages() drops the resident pages of read-only
 * file mappings, and never a mapping that holds changed (anonymous) pages:
 * after it, libraries still run, constant data still reads the same, and a
 * private file mapping that was written and then made read-only (what the
 * dynamic linker does to RELRO) keeps what was written. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/base/util.h"

/* Resident KiB of the mappings of path (0 when none), from /proc/self/smaps. */
static long resident_kb(const char *path)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	long total = 0, kb;
	int in = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		char pa[256] = "";
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %255s", &lo, &hi, pa) >= 2)
			in = strcmp(pa, path) == 0;
		else if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
			total += kb;
	}
	fclose(f);
	return total;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void test_trim_keeps_changed_pages(void **state)
{
	char path[] = "/tmp/kt-trim-XXXXXX";
	int fd = mkstemp(path);
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)page * 64;
	char *ro, *relro, *buf = calloc(1, len);
	int v[5] = { 5, 3, 9, 1, 7 };
	size_t trimmed;

	(void)state;
	assert_true(fd >= 0);
	memset(buf, 'f', len);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	/* a read-only mapping, read through: its pages are the file's */
	ro = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_true(ro != MAP_FAILED);
	for (size_t i = 0; i < len; i += (size_t)page)
		assert_int_equal(ro[i], 'f');
	/* a private mapping written, then made read-only: like RELRO */
	relro = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	assert_true(relro != MAP_FAILED);
	for (size_t i = 0; i < len; i += (size_t)page)
		relro[i] = 'w';
	assert_int_equal(mprotect(relro, len, PROT_READ), 0);
	assert_true(resident_kb(path) >= 2 * (long)(len / 1024));

	trimmed = util_trim_file_pages();
	assert_true(trimmed >= len);
	/* the read-only one left the resident set, the written one stayed */
	assert_true(resident_kb(path) <= (long)(len / 1024) + 64);
	for (size_t i = 0; i < len; i += (size_t)page) {
		assert_int_equal(relro[i], 'w');
		assert_int_equal(ro[i], 'f');   /* comes back from the file */
	}
	/* libraries' code and data still work: libc through a callback, stdio */
	qsort(v, 5, sizeof v[0], cmp_int);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[4], 9);
	snprintf(buf, 64, "%s %d %.1f", "ok", 42, 2.5);
	assert_string_equal(buf, "ok 42 2.5");
	munmap(ro, len);
	munmap(relro, len);
	close(fd);
	unlink(path);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trim_keeps_changed_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
