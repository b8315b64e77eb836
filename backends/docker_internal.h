/* docker_internal — what backends/docker.c shares with docker_stream.c
 * (the logs and events streams): the client's state and its one request. */
#ifndef KITETOP_BACKENDS_DOCKER_INTERNAL_H
#define KITETOP_BACKENDS_DOCKER_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "backends/docker.h"
#include "backends/docker_inspect.h"
#include "backends/docker_parse.h"
#include "backends/http.h"

struct inspect_entry {
	char id[DOCKER_MAX_ID + 1];
	enum docker_state list_state;   /* the list's state when it was inspected */
	int64_t fetched_at;             /* mono ms; < 0: asked again (docker_inspect_again()) */
	int64_t fetched_real_ms;        /* epoch ms then */
	int64_t up_lo;                  /* the list's uptime then (s, lower bound); -1 unknown */
	struct docker_inspect in;
	bool seen;                      /* in the latest list */
};

struct docker {
	char *unix_socket, *base_url, *ca_file, *cert_file, *key_file;
	long timeout_ms;
	int stats_workers;
	const atomic_int *cancel;
	struct http_client *http;
	bool connected;
	int api;
	char api_str[16];               /* "1.41" */
	char prefix[24];                /* "/v1.41" */
	struct docker_version version;
	struct inspect_entry *ic;
	size_t nic, capic;
	struct docker_stats_pool *stats;
	bool settled;                   /* the last list left no inspect pending that matters */
	bool list_stats;                /* a list keeps the stats workers sampling */
	bool bare;                      /* docker_list_bare: the next list inspects nothing */
	long inspects, again;           /* requests made; of them asked by docker_inspect_again() */
};

struct call {
	const char *method;
	const char *path;          /* after the version prefix */
	bool unversioned;
	long timeout_ms;           /* 0 = the client's; -1 none */
	long stall_timeout_ms;
	http_stream_cb on_data;
	void *on_data_arg;
};

/* One request.  0 when a response came (check resp->status), -1 with *cause. */
int docker_call(struct docker *d, const struct call *c, struct http_response *resp, char **cause);
/* A response that is not the one wanted, in words, into *cause. */
void docker_status_error(const struct http_response *resp, char **cause);

#endif
