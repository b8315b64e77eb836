/* kube_decode_internal — the JSON readers shared by the kube_decode*.c files
 * (one module: kube_decode.c holds these, quantities and times; the others
 * hold the decoders of one topic each).  A field of the wrong type reads as
 * absent. */
#ifndef KITETOP_BACKENDS_KUBE_DECODE_INTERNAL_H
#define KITETOP_BACKENDS_KUBE_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "backends/kube_types.h"

/* The longest string kept of any field (messages are cut there). */
#define KD_MAX_TEXT 4096

const cJSON *kd_get(const cJSON *o, const char *key);      /* any member, NULL when o is no object */
const cJSON *kd_obj(const cJSON *o, const char *key);      /* an object member */
const cJSON *kd_arr(const cJSON *o, const char *key);      /* an array member */
const char *kd_str(const cJSON *o, const char *key);       /* a string member, "" counts */
const char *kd_nstr(const cJSON *o, const char *key);      /* a non-empty string member */
char *kd_dup(const cJSON *o, const char *key);             /* a copy of kd_nstr, cut at KD_MAX_TEXT */
bool kd_bool(const cJSON *o, const char *key);             /* true only for JSON true */
/* An integral number in [lo, hi], else dflt. */
int64_t kd_int(const cJSON *o, const char *key, int64_t lo, int64_t hi, int64_t dflt);
int64_t kd_time(const cJSON *o, const char *key);          /* RFC 3339 → ms, 0 absent or malformed */
/* status.conditions[type=type] of an object's status (pass the status). */
const cJSON *kd_cond(const cJSON *status, const char *type);
enum kube_tri kd_tri(const cJSON *cond);
/* metadata.name (required: -1 and *cause without it) and metadata.namespace
 * (NULL when cluster-scoped; ns may be NULL when not wanted). */
int kd_meta(const cJSON *obj, const char *what, char **ns, char **name, char **cause);
/* A quantity member as thousandths, or -1 when absent or malformed. */
int64_t kd_quantity(const cJSON *o, const char *key);

#endif
