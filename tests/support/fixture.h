/* fixture — the recorded answers under tests/fixtures, read for a test.
 * Each kind of outside API has a folder there (docker, prometheus,
 * cloudflare, authentik, redis, tailscale, proc, ...) whose README says how
 * its files were recorded. */
#ifndef KITETOP_TESTS_SUPPORT_FIXTURE_H
#define KITETOP_TESTS_SUPPORT_FIXTURE_H

#include <stddef.h>

#define FIXTURE_DIR "tests/fixtures"
#define FIXTURE_MAX (1u << 20)

/* The contents of FIXTURE_DIR/kind/name (at most FIXTURE_MAX bytes), NUL
 * terminated, its length in *len (may be NULL).  Fails the running cmocka
 * test with the reason when the file cannot be read.  Caller frees. */
char *fixture_read(const char *kind, const char *name, size_t *len);

#endif
