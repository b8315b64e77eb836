/* Fuzz target of backends/docker_inspect: the container detail decoder. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker_inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct docker_detail *d = NULL;
	char *cause = NULL;
	size_t total = 0;

	if (docker_detail_parse((const char *)data, size, &d, &cause) != 0) {
		free(cause);
		return 0;
	}
	/* touch every string: a bad pointer shows under ASan */
	total += strlen(d->name) + strlen(d->image) + strlen(d->command) + strlen(d->error);
	for (size_t i = 0; i < d->nhealth_log; i++)
		total += strlen(d->health_log[i].output);
	for (size_t i = 0; i < d->nports; i++)
		total += strlen(d->ports[i].container) + (d->ports[i].host ? strlen(d->ports[i].host) : 0);
	for (size_t i = 0; i < d->nmounts; i++)
		total += strlen(d->mounts[i].source) + strlen(d->mounts[i].destination) + strlen(d->mounts[i].type);
	for (size_t i = 0; i < d->nlabels; i++)
		total += strlen(d->labels[i].key) + strlen(d->labels[i].value);
	if (d->compose_project != NULL)
		total += strlen(d->compose_project);
	docker_detail_free(d);
	return total == (size_t)-1;
}
