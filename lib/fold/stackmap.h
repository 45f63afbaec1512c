#ifndef PESQ_STACKMAP_H
#define PESQ_STACKMAP_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

/*
 * A counter of folded stacks: byte string -> 64-bit count. Built for the
 * hot path of pesq-fold: open addressing with linear probing over a
 * compact slot array, keys copied once into one arena, so memory grows
 * with the number and size of distinct stacks, never with the number of
 * samples. Keys are arbitrary bytes (NUL, invalid UTF-8 and all).
 * Allocation failure is fatal (xalloc.h); nothing else fails.
 */
struct stackmap_ent {
	size_t off;		/* key's offset in the arena */
	size_t len;
	uint64_t count;
};

struct stackmap {
	uint64_t *slot;		/* hash << 32 | (entry index + 1); 0 empty */
	size_t mask;		/* slot array size - 1 */
	struct stackmap_ent *ent;
	size_t n, alloc;
	char *arena;
	size_t arena_len, arena_alloc;
	int overflow;		/* some sum exceeded 2^64 - 1 (saturated) */
};

#define STACKMAP_INIT { NULL, 0, NULL, 0, 0, NULL, 0, 0, 0 }

/* Hash of n bytes at p (not cryptographic; fast on long keys). */
uint64_t stackmap_hash(const void *p, size_t n);

/*
 * Add count to the entry for the n bytes at key, creating it (a copy of
 * the key) when absent. A sum past 2^64 - 1 saturates and sets
 * m->overflow.
 */
void stackmap_add(struct stackmap *m, const void *key, size_t n,
		  uint64_t count);

/*
 * Sort the entries bytewise by key (memcmp order, a prefix before its
 * extensions), as `LC_ALL=C sort` would; after this m->ent[0..n) is in
 * that order. Adding after sorting is allowed (the order is then lost).
 */
void stackmap_sort(struct stackmap *m);

/* The key of entry e; not NUL-terminated, valid until the next add. */
#define stackmap_key(m, e) ((m)->arena + (e)->off)

/*
 * Write every entry as "key count\n" in the current entry order (call
 * stackmap_sort first for sorted output). Returns 0, or -1 when a write
 * failed (errno set).
 */
int stackmap_write(const struct stackmap *m, FILE *fp);

/* Free everything and leave m empty and reusable. */
void stackmap_release(struct stackmap *m);

#endif
