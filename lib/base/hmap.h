#ifndef PESQ_HMAP_H
#define PESQ_HMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * A hash map from byte strings to pointers, open addressing with linear
 * probing. Keys are copied into the map and freed with it; values belong
 * to the caller (hmap_free can free them through a callback). Iterate with
 * `for (i = 0; i < m->cap; i++) if (m->ent[i].key) ...`. Allocation
 * failure is fatal; nothing else fails.
 */
struct hmap_ent {
	char *key;		/* NUL-terminated copy; NULL: empty slot */
	size_t klen;
	uint64_t hash;
	void *val;
};

struct hmap {
	struct hmap_ent *ent;
	size_t cap, n;
};

#define HMAP_INIT { NULL, 0, 0 }

uint64_t hmap_hash(const void *p, size_t n);

/* The value for key, or NULL when absent. */
void *hmap_get(const struct hmap *m, const void *key, size_t klen);

/*
 * The slot of key's value, adding the key (value NULL) when absent; *added
 * (may be NULL) says which. The slot is valid until the next insertion.
 */
void **hmap_put(struct hmap *m, const void *key, size_t klen, int *added);

/* Entry for key, or NULL. */
struct hmap_ent *hmap_find(const struct hmap *m, const void *key,
			   size_t klen);

void hmap_free(struct hmap *m, void (*free_val)(void *));

#endif
