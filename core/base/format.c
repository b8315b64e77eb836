/* format — see format.h. */
#include "core/base/format.h"

#include <math.h>
#include <stdio.h>

void format_bytes(char *out, size_t n, double bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	size_t u = 0;

	if (!isfinite(bytes) || bytes < 0) {
		snprintf(out, n, "?");
		return;
	}
	while (bytes >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, n, "%.0f B", bytes);
	else if (bytes < 10)
		snprintf(out, n, "%.1f %s", bytes, units[u]);
	else
		snprintf(out, n, "%.0f %s", bytes, units[u]);
}

void format_rate(char *out, size_t n, double bytes_per_s)
{
	char tmp[32];

	format_bytes(tmp, sizeof tmp, bytes_per_s);
	snprintf(out, n, "%s/s", tmp);
}

void format_pct(char *out, size_t n, double pct)
{
	if (!isfinite(pct))
		snprintf(out, n, "?");
	else if (pct >= 99.95 || pct <= -99.95)
		snprintf(out, n, "%.0f%%", pct);
	else
		snprintf(out, n, "%.1f%%", pct);
}
