/* verbs_internal — what the verbs' files share (verbs.c, verbs_kube.c). */
#ifndef KITETOP_CLI_VERBS_INTERNAL_H
#define KITETOP_CLI_VERBS_INTERNAL_H

#include <stdbool.h>

#include "core/actions/action.h"
#include "core/base/wake.h"

/* Asks question on the terminal.  0 yes, -1 no (message printed). */
int verbs_confirm(const char *question);
/* Waits for the action, its progress on stderr when that is a terminal.
 * false when a signal (INT, TERM, HUP) came first. */
bool verbs_follow(struct action *a, struct wake *wake);
/* INT, TERM and HUP while an action runs: cancel it (audited), not die
 * with a "started" line and no outcome.  _done forgets wake; the number
 * of the signal that came (0: none). */
void verbs_signals(struct wake *wake);
void verbs_signals_done(void);
int verbs_signal_number(void);

#endif
