#ifndef PESQ_FOLDCACHE_H
#define PESQ_FOLDCACHE_H

#include <stdint.h>
#include <stddef.h>

/*
 * A bounded memo for pesq-fold: the text of a frame line (from the symbol
 * to the module) -> the folded frames it turned into. perf repeats the
 * same frame lines in sample after sample, so most lines are looked up
 * here instead of being tidied again. When the cache holds
 * FOLDCACHE_MAX_ENTRIES or FOLDCACHE_MAX_BYTES it empties itself, so its
 * memory stays bounded whatever the input. Allocation failure is fatal;
 * nothing else fails.
 */
#define FOLDCACHE_MAX_ENTRIES (1u << 18)
#define FOLDCACHE_MAX_BYTES ((size_t)16 << 20)

struct foldcache_ent {
	uint32_t off;		/* key, then value, in the arena */
	uint32_t klen, vlen;
	uint32_t info;		/* caller's: frame count and flags */
};

struct foldcache {
	uint64_t *slot;		/* hash tag << 32 | (entry index + 1) */
	uint32_t mask, n;
	struct foldcache_ent *ent;
	char *arena;
	size_t arena_len;
};

#define FOLDCACHE_INIT { NULL, 0, 0, NULL, NULL, 0 }

/*
 * The entry for the klen bytes at key with this seed (part of the key:
 * options that change the result), or NULL. *hash is set for a following
 * foldcache_put. The value is at foldcache_val(c, e).
 */
const struct foldcache_ent *foldcache_get(struct foldcache *c,
					  const char *key, size_t klen,
					  uint64_t seed, uint64_t *hash);

#define foldcache_val(c, e) ((c)->arena + (e)->off + (e)->klen)

/* Remember key -> (val, info); hash from foldcache_get. */
void foldcache_put(struct foldcache *c, const char *key, size_t klen,
		   uint64_t hash, const char *val, size_t vlen, uint32_t info);

void foldcache_release(struct foldcache *c);

#endif
