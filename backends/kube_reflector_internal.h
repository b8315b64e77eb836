/* kube_reflector_internal — what kube_reflector.c (the streams) and
 * kube_reflector_store.c (the caches, decoding, the snapshot) share. */
#ifndef KITETOP_BACKENDS_KUBE_REFLECTOR_INTERNAL_H
#define KITETOP_BACKENDS_KUBE_REFLECTOR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/kube_reflector.h"

struct cJSON;

/* A Longhorn replica, as kube_decode_replica gives it. */
struct kube_replica {
	char *volume, *node;
	bool healthy;
};

/* One decoded object in a cache: its key ("namespace/name", or "name"),
 * the stream that brought it, the decoded struct (the resource's type). */
struct kube_entry {
	char *key;
	int stream;
	void *obj;
};

struct kube_store {
	struct kube_entry *e;
	size_t n, cap;
};

/* The object's cache key from its metadata (caller frees), or NULL. */
char *kube_object_key(const struct cJSON *obj);
/* Decodes obj as resource res into a new heap struct.  0 and *out; 1 when
 * the object is not kept (a Normal event); -1 and *cause. */
int kube_res_decode(enum kube_res res, const struct cJSON *obj, void **out, char **cause);
void kube_res_free(enum kube_res res, void *obj);

/* Puts obj under key (replacing, taking both over). */
void kube_store_put(struct kube_store *s, enum kube_res res, char *key, int stream, void *obj);
/* Removes key; true when it was there. */
bool kube_store_del(struct kube_store *s, enum kube_res res, const char *key);
/* Removes every entry of stream (all when stream is -1). */
void kube_store_clear(struct kube_store *s, enum kube_res res, int stream);
void kube_store_done(struct kube_store *s, enum kube_res res);

/* The value from the caches (stores[KUBE_R_N]) and the problems given
 * (resource, error pairs, borrowed). */
struct kube_cluster *kube_store_snapshot(struct kube_store *stores, const char *const *prob_res,
                                         const char *const *prob_err, size_t nprob);

#endif
