#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"

uint64_t
hmap_hash(const void *p, size_t n)
{
	/* FNV-1a with a final mix: good enough for names and stacks */
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static size_t
slot(const struct hmap *m, const void *key, size_t klen, uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;

	while (m->ent[i].key) {
		if (m->ent[i].hash == h && m->ent[i].klen == klen &&
		    !memcmp(m->ent[i].key, key, klen))
			break;
		i = (i + 1) & mask;
	}
	return i;
}

struct hmap_ent *
hmap_find(const struct hmap *m, const void *key, size_t klen)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = slot(m, key, klen, hmap_hash(key, klen));
	return m->ent[i].key ? &m->ent[i] : NULL;
}

void *
hmap_get(const struct hmap *m, const void *key, size_t klen)
{
	struct hmap_ent *e = hmap_find(m, key, klen);

	return e ? e->val : NULL;
}

static void
grow(struct hmap *m)
{
	struct hmap_ent *old = m->ent;
	size_t oldcap = m->cap, i;

	m->cap = oldcap ? oldcap * 2 : 16;
	m->ent = xcalloc(m->cap, sizeof(*m->ent));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key) {
			size_t j = (size_t)old[i].hash & (m->cap - 1);

			while (m->ent[j].key)
				j = (j + 1) & (m->cap - 1);
			m->ent[j] = old[i];
		}
	}
	free(old);
}

void **
hmap_put(struct hmap *m, const void *key, size_t klen, int *added)
{
	uint64_t h = hmap_hash(key, klen);
	size_t i;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	i = slot(m, key, klen, h);
	if (added)
		*added = !m->ent[i].key;
	if (!m->ent[i].key) {
		m->ent[i].key = xmemdupz(key, klen);
		m->ent[i].klen = klen;
		m->ent[i].hash = h;
		m->ent[i].val = NULL;
		m->n++;
	}
	return &m->ent[i].val;
}

void
hmap_free(struct hmap *m, void (*free_val)(void *))
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		if (m->ent[i].key) {
			free(m->ent[i].key);
			if (free_val)
				free_val(m->ent[i].val);
		}
	}
	free(m->ent);
	m->ent = NULL;
	m->cap = m->n = 0;
}
