/* docker_action — a container action that says how far it got
 * (backends/docker_action.c), so that an error can be told apart: one
 * before the request went out (nothing happened), one while it was out or
 * while verifying (it may have happened). */
#ifndef KITETOP_BACKENDS_DOCKER_ACTION_H
#define KITETOP_BACKENDS_DOCKER_ACTION_H

#include <stdbool.h>

#include "backends/docker.h"
#include "backends/docker_parse.h"

enum docker_act_step {
	DOCKER_ACT_BEFORE,          /* inspecting before: nothing sent yet */
	DOCKER_ACT_SENT,            /* the action's request was (or may have been) sent */
	DOCKER_ACT_VERIFYING,       /* the engine accepted it; inspecting after */
};

struct docker_act_trace {
	enum docker_act_step step;  /* the step an error came from (or the last one) */
	bool answered;              /* the engine answered that step (any status): its word */
	struct docker_inspect before;   /* the state before (valid from DOCKER_ACT_SENT on) */
};

/* docker_container_act(), with *t telling where it stopped. */
int docker_container_act_traced(struct docker *d, const char *name, const char *action,
                                int stop_timeout_s, int verify_ms, docker_progress_cb progress,
                                void *arg, struct docker_act_trace *t, char **summary,
                                char **cause);

/* Only the verification of docker_container_act (action already sent),
 * against the state before it: 0 with *summary, or -1 with *cause.
 * *answered: false when an inspect failed (the state was not seen), true
 * when the engine's state itself says the action did not (yet) happen. */
int docker_container_verify(struct docker *d, const char *name, const char *action,
                            const struct docker_inspect *before, int verify_ms,
                            docker_progress_cb progress, void *arg, bool *answered,
                            char **summary, char **cause);

#endif
