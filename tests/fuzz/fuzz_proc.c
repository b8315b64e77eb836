/* Fuzz target for the /proc parsers of backends/localhost: every parser on
 * the whole input, then the two-reading functions (CPU busy %, network rates)
 * on the two halves of the input as the previous and the current reading. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/localhost.h"
#include "core/base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *text_of(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

/* A failing parser must say why; a succeeding one must not touch *cause. */
static void check(int r, char **cause)
{
	if ((r == 0) != (*cause == NULL))
		abort();
	free(*cause);
	*cause = NULL;
}

static void check_pct(int r, double pct)
{
	if (r == 0 && !(pct >= 0.0 && pct <= 100.0))
		abort();
}

static void two_readings(const char *a, const char *b, int64_t interval_ms)
{
	struct localhost_cpu ca, cb;
	struct localhost_netif *ia, *ib;
	size_t na, nb;
	char *cause = NULL;
	double pct = -1, rx = -1, tx = -1;
	int r;

	if (localhost_parse_stat(a, &ca, NULL) == 0 && localhost_parse_stat(b, &cb, NULL) == 0) {
		r = localhost_cpu_busy_pct(&ca, &cb, &pct, &cause);
		check_pct(r, pct);
		check(r, &cause);
	}
	if (localhost_parse_netdev_ifaces(a, &ia, &na, NULL) == 0) {
		if (localhost_parse_netdev_ifaces(b, &ib, &nb, NULL) == 0) {
			r = localhost_net_rate(ia, na, ib, nb, interval_ms, &rx, &tx, &cause);
			if (r == 0 && !(rx >= 0.0 && tx >= 0.0))
				abort();
			check(r, &cause);
			free(ib);
		}
		free(ia);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = text_of(data, size), *a, *b, *cause = NULL;
	struct localhost_cpu cpu;
	struct localhost_netif *ifs = NULL;
	unsigned long long rx, tx;
	double v = -1;
	size_t n = 0, i;
	int r;

	check(localhost_parse_stat(text, &cpu, &cause), &cause);
	r = localhost_parse_meminfo(text, &v, &cause);
	check_pct(r, v);
	check(r, &cause);
	r = localhost_parse_netdev_ifaces(text, &ifs, &n, &cause);
	for (i = 0; i < n; i++) {
		if (strlen(ifs[i].name) == 0 || strlen(ifs[i].name) >= LOCALHOST_IFNAME_MAX)
			abort();
	}
	free(ifs);
	check(r, &cause);
	check(localhost_parse_netdev(text, &rx, &tx, &cause), &cause);
	r = localhost_parse_loadavg(text, &v, &cause);
	if (r == 0 && !(v >= 0.0))
		abort();
	check(r, &cause);
	r = localhost_parse_uptime(text, &v, &cause);
	if (r == 0 && !(v >= 0.0))
		abort();
	check(r, &cause);

	a = text_of(data, size / 2);
	b = text_of(data + size / 2, size - size / 2);
	two_readings(a, b, size > 0 ? (int64_t)data[0] * 10 : 0);
	two_readings(text, text, 1000);
	free(a);
	free(b);
	free(text);
	return 0;
}
