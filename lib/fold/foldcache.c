#include <stdlib.h>
#include <string.h>

#include "fold/foldcache.h"
#include "fold/stackmap.h"
#include "base/xalloc.h"

const struct foldcache_ent *
foldcache_get(struct foldcache *c, const char *key, size_t klen,
	      uint64_t seed, uint64_t *hash)
{
	uint64_t h = stackmap_hash(key, klen) ^ seed, tag = h >> 32;
	uint32_t i;

	*hash = h;
	if (!c->slot)
		return NULL;
	for (i = (uint32_t)tag & c->mask; c->slot[i]; i = (i + 1) & c->mask) {
		const struct foldcache_ent *e;

		if ((c->slot[i] >> 32) != tag)
			continue;
		e = &c->ent[(c->slot[i] & 0xffffffffu) - 1];
		if (e->klen == klen && !memcmp(c->arena + e->off, key, klen))
			return e;
	}
	return NULL;
}

static void
place(struct foldcache *c, uint64_t tag, uint32_t idx)
{
	uint32_t i = (uint32_t)tag & c->mask;

	while (c->slot[i])
		i = (i + 1) & c->mask;
	c->slot[i] = tag << 32 | (idx + 1);
}

static void
rehash(struct foldcache *c, uint32_t cap)
{
	uint64_t *old = c->slot;
	uint32_t i, oldcap = c->slot ? c->mask + 1 : 0;

	c->slot = xcalloc(cap, sizeof(*c->slot));
	c->mask = cap - 1;
	for (i = 0; i < oldcap; i++)
		if (old[i])
			place(c, old[i] >> 32, (old[i] & 0xffffffffu) - 1);
	free(old);
}

void
foldcache_put(struct foldcache *c, const char *key, size_t klen,
	      uint64_t hash, const char *val, size_t vlen, uint32_t info)
{
	struct foldcache_ent *e;

	if (klen + vlen > FOLDCACHE_MAX_BYTES / 16)
		return;		/* not worth keeping */
	if (c->n == FOLDCACHE_MAX_ENTRIES ||
	    c->arena_len + klen + vlen > FOLDCACHE_MAX_BYTES) {
		/* Full: start again rather than grow without bound. */
		memset(c->slot, 0, ((size_t)c->mask + 1) * sizeof(*c->slot));
		c->n = 0;
		c->arena_len = 0;
	}
	if (!c->ent) {
		c->ent = xmalloc(FOLDCACHE_MAX_ENTRIES * sizeof(*c->ent));
		c->arena = xmalloc(FOLDCACHE_MAX_BYTES);
		rehash(c, 4096);
	}
	e = &c->ent[c->n];
	e->off = (uint32_t)c->arena_len;
	e->klen = (uint32_t)klen;
	e->vlen = (uint32_t)vlen;
	e->info = info;
	memcpy(c->arena + c->arena_len, key, klen);
	memcpy(c->arena + c->arena_len + klen, val, vlen);
	c->arena_len += klen + vlen;
	place(c, hash >> 32, c->n++);
	if ((size_t)c->n * 2 > (size_t)c->mask + 1)
		rehash(c, (c->mask + 1) * 2);
}

void
foldcache_release(struct foldcache *c)
{
	free(c->slot);
	free(c->ent);
	free(c->arena);
	memset(c, 0, sizeof(*c));
}
