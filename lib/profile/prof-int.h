/*
 * lib/prof-int.h: what prof.c (reading lines) and prof-tree.c (putting
 * them in the tree) share; not for other modules.
 */
#ifndef PESQ_PROF_INT_H
#define PESQ_PROF_INT_H

#include "profile/prof.h"

#if defined(__GNUC__)
#define PREFETCH(a) __builtin_prefetch(a)
#else
#define PREFETCH(a) ((void)(a))
#endif

/* First slot of t to look at for hash h, and the next one. */
#define TAB_FIRST(t, h) ((size_t)(h) & (t)->mask)
#define TAB_NEXT(t, i) (((i) + 1) & (t)->mask)
#define TAB_ID(s) ((uint32_t)(s) - 1)
#define TAB_HASH(s) ((uint32_t)((s) >> 32))

/*
 * Add id under hash h (not there yet) to t, growing it to stay half
 * empty.
 */
void prof_tab_put(struct prof_tab *t, uint32_t h, uint32_t id);

/* Advise huge pages for the n bytes at a when n is large (no error). */
void prof_advise_huge(void *a, size_t n);

/*
 * Nodes are found in one table by the hash of their whole path (the
 * functions from the root), not of their parent's id: so all the slots
 * a line will look at are known before any of its nodes is, and the
 * memory they are in can be fetched at once rather than one level after
 * the other (unsorted input visits the tree at random).
 */
#define ROOT_HASH 0x243f6a8885a308d3ULL
#define PATH_HASH(h) ((uint32_t)((h) ^ (h) >> 32))

/* The hash of the path h with fn below it. */
static inline uint64_t
path_step(uint64_t h, uint32_t fn)
{
	h += fn + 0x9e3779b97f4a7c15ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Fetch the nodes that putting q in the tree will likely look at. */
void prof_queue_prefetch(const struct prof *p, const struct prof_pending *q);

/* Put the oldest line of the queue in the tree. */
void prof_queue_put(struct prof *p);

#endif
