/* Fuzz target of the configuration parser: config_parse() on any bytes must
 * return a config or an error, never crash or leak.
 *
 * HOME is a private temporary directory holding the secret files the
 * KiteStacks example names (mode 0600), so that the seed parses completely
 * and the fuzzer reaches the checks across keys; it is removed at exit.
 * Other files the input names are read too (bounded, regular files only).
 * A [keys] section that parses goes on to the key table (keys_apply), which
 * checks its actions and clashes: the rest of its way to the dashboard. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config/config.h"
#include "tui/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_home[64];
static const char *const secrets[] = { "pg.pass", "authentik.token", "cloudflare.token" };

static void fuzz_home_path(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", fuzz_home, rel);
}

static void remove_home(void)
{
	char p[128];
	size_t i;

	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		snprintf(p, sizeof(p), "%s/.config/kitetop/%s", fuzz_home, secrets[i]);
		unlink(p);
	}
	fuzz_home_path(p, sizeof(p), ".config/kitetop");
	rmdir(p);
	fuzz_home_path(p, sizeof(p), ".config");
	rmdir(p);
	rmdir(fuzz_home);
}

static void make_home(void)
{
	char p[128];
	size_t i;

	snprintf(fuzz_home, sizeof(fuzz_home), "/tmp/kt-fuzz-config-XXXXXX");
	if (mkdtemp(fuzz_home) == NULL)
		abort();
	fuzz_home_path(p, sizeof(p), ".config");
	mkdir(p, 0700);
	fuzz_home_path(p, sizeof(p), ".config/kitetop");
	mkdir(p, 0700);
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		int fd;

		snprintf(p, sizeof(p), "%s/.config/kitetop/%s", fuzz_home, secrets[i]);
		fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, "secret\n", 7) != 7)
			abort();
		close(fd);
	}
	atexit(remove_home);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cause = NULL;
	struct config *cfg;

	if (fuzz_home[0] == '\0')
		make_home();
	setenv("HOME", fuzz_home, 1);
	cfg = config_parse("fuzz.conf", (const char *)data, size, &cause);
	if ((cfg == NULL) == (cause == NULL))
		abort();   /* exactly one of the two */
	if (cfg != NULL && keys_apply(&cfg->keys, &cause) != 0 && cause == NULL)
		abort();   /* an error always says why */
	config_free(cfg);
	free(cause);
	return 0;
}
