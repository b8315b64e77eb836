/* overview_plan — see overview_plan.h. */
#include "tui/overview_plan.h"

/* Takes want rows from *rem when they are there. */
static bool plan_take(int *rem, int want)
{
	if (*rem < want)
		return false;
	*rem -= want;
	return true;
}

struct overview_plan overview_plan(int h, const struct overview_need *n)
{
	struct overview_plan p = { 0 };
	int rem = h > 0 ? h : 0, bad_rows = 0, full = 0, healthy = 0;

	if (n->unreachable)
		p.reach_line = plan_take(&rem, 1);
	if (n->containers) {
		/* the header, the problems, a line saying how many healthy are folded */
		healthy = (int)(n->ntotal - n->nbad);
		full = bad_rows = 1 + (int)n->nbad + (healthy > 0 ? 1 : 0);
		if (bad_rows > rem)
			bad_rows = rem;
		rem -= bad_rows;
		p.table = bad_rows;
	}
	if (n->tunnel)
		p.tunnel = plan_take(&rem, 1);
	if (n->figures_max > 0 && plan_take(&rem, 1)) {
		p.figures = 1;
		if (n->figures_max >= OVERVIEW_FIGURES_FULL && plan_take(&rem, OVERVIEW_FIGURES_FULL - 1))
			p.figures = OVERVIEW_FIGURES_FULL;
	}
	if (n->containers && healthy > 0 && p.table == full) {
		/* the healthy rows, the "folded" line becoming one of them */
		int more = healthy - 1;

		if (more > rem)
			more = rem;
		p.table += more;
		rem -= more;
	}
	if (p.figures == OVERVIEW_FIGURES_FULL && n->spark_rows > 0)
		p.sparks = plan_take(&rem, n->spark_rows);
	if (n->containers && p.table > 0)
		p.spacer = plan_take(&rem, 1);
	p.used = h > 0 ? h - rem : 0;
	return p;
}
