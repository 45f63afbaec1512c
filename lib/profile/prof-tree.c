/*
 * lib/prof-tree: the prefix tree of functions that prof.c puts the lines
 * it reads in: call edges, nodes found by the hash of their path, the
 * lines queued ahead of their turn.
 */
#include <sys/mman.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile/prof.h"
#include "profile/prof-int.h"
#include "base/xalloc.h"

#define HUGE_MIN (4 * 1024 * 1024)	/* arrays worth huge pages */

/*
 * Ask for huge pages for the large arrays, which lines from unsorted
 * input visit at random: with small pages nearly every visit of a node
 * would also miss the TLB. Only advice; a failure changes nothing.
 */
void
prof_advise_huge(void *a, size_t n)
{
#ifdef MADV_HUGEPAGE
	static uintptr_t pg;
	uintptr_t b, e;

	if (n < HUGE_MIN)
		return;
	if (!pg)
		pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	b = ((uintptr_t)a + pg - 1) & ~(pg - 1);
	e = ((uintptr_t)a + n) & ~(pg - 1);
	if (e > b)
		(void)madvise((void *)b, e - b, MADV_HUGEPAGE);
#else
	(void)a;
	(void)n;
#endif
}

/* Add id under hash h (not there yet), growing t to stay half empty. */
void
prof_tab_put(struct prof_tab *t, uint32_t h, uint32_t id)
{
	size_t i, j;

	if ((t->n + 1) * 2 > t->mask + 1) {
		size_t mask = t->mask ? t->mask * 2 + 1 : 1023;
		uint64_t *s = xcalloc(mask + 1, sizeof(*s));

		prof_advise_huge(s, (mask + 1) * sizeof(*s));

		for (i = 0; t->mask && i <= t->mask; i++) {
			if (!t->slot[i])
				continue;
			for (j = TAB_HASH(t->slot[i]) & mask; s[j];
			     j = (j + 1) & mask)
				;
			s[j] = t->slot[i];
		}
		free(t->slot);
		t->slot = s;
		t->mask = mask;
	}
	for (i = TAB_FIRST(t, h); t->slot[i]; i = TAB_NEXT(t, i))
		;
	t->slot[i] = (uint64_t)h << 32 | ((uint64_t)id + 1);
	t->n++;
}

/* A hash of two ids (edge ends), by one multiplication. */
static uint32_t
hash_pair(uint32_t a, uint32_t b)
{
	return (uint32_t)((((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ULL) >>
			  32);
}

/* The id of the edge from -> to, or PROF_NONE. */
static inline uint32_t
edge_find(const struct prof *p, uint32_t from, uint32_t to, uint32_t h)
{
	size_t i;
	uint64_t v;

	for (i = TAB_FIRST(&p->etab, h); p->etab.slot && (v = p->etab.slot[i]);
	     i = TAB_NEXT(&p->etab, i)) {
		const struct prof_edge *e = &p->edge[TAB_ID(v)];

		if (TAB_HASH(v) == h && e->from == from && e->to == to)
			return TAB_ID(v);
	}
	return PROF_NONE;
}

/* The id of the edge from -> to, made when new. */
static uint32_t
edge_get(struct prof *p, uint32_t from, uint32_t to)
{
	uint32_t h = hash_pair(from, to), id = edge_find(p, from, to, h);

	if (id != PROF_NONE)
		return id;
	XGROW(p->edge, (size_t)p->nedge + 1, p->edgecap);
	id = p->nedge++;
	p->edge[id].from = from;
	p->edge[id].to = to;
	p->edge[id].inpath = 0;
	p->edge[id].count = 0;
	p->edge[id].inl = 0;
	prof_tab_put(&p->etab, h, id);
	return id;
}

const struct prof_edge *
prof_edge_get(const struct prof *p, uint32_t from, uint32_t to)
{
	uint32_t id = edge_find(p, from, to, hash_pair(from, to));

	return id == PROF_NONE ? NULL : &p->edge[id];
}

/* The child of parent for fn (its path hashing to h), or 0. */
static uint32_t
node_find(const struct prof *p, uint32_t h, uint32_t parent, uint32_t fn)
{
	size_t i;
	uint64_t v;

	for (i = TAB_FIRST(&p->ntab, h); p->ntab.slot && (v = p->ntab.slot[i]);
	     i = TAB_NEXT(&p->ntab, i)) {
		const struct prof_node *n = &p->node[TAB_ID(v)];

		if (TAB_HASH(v) == h && n->parent == parent && n->fn == fn)
			return TAB_ID(v);
	}
	return 0;
}

/* Fetch the node a lookup of path hash h will most likely compare. */
static void
node_prefetch(const struct prof *p, uint32_t h)
{
	size_t i;
	uint64_t v;

	for (i = TAB_FIRST(&p->ntab, h); (v = p->ntab.slot[i]);
	     i = TAB_NEXT(&p->ntab, i)) {
		if (TAB_HASH(v) == h) {
			PREFETCH(&p->node[TAB_ID(v)]);
			return;
		}
	}
}

/*
 * A new child of parent for fn, its path hashing to h, edge the edge
 * into it (or PROF_NONE below the root). The current path (the new
 * node's ancestors) gives it its flags.
 */
static uint32_t
node_new(struct prof *p, uint32_t parent, uint32_t fn, uint32_t edge,
	 uint32_t h)
{
	struct prof_node *n;
	uint32_t id;

	if (p->nnode == PROF_NONE - 1)
		abort();	/* 4 billion distinct frames on stacks */
	if (p->nnode == p->nodecap) {
		XGROW(p->node, (size_t)p->nnode + 1, p->nodecap);
		prof_advise_huge(p->node, p->nodecap * sizeof(*p->node));
	}
	id = p->nnode++;
	n = &p->node[id];
	n->parent = parent;
	n->fn = fn;
	n->w = 0;
	n->inl = 0;
	n->flags = p->fn[fn].inpath ? 0 : PROF_FIRST_FN;
	if (edge != PROF_NONE && !p->edge[edge].inpath)
		n->flags |= PROF_FIRST_EDGE;
	prof_tab_put(&p->ntab, h, id);
	return id;
}

static void
path_pop(struct prof *p)
{
	struct prof_path *e = &p->path[--p->depth];

	p->fn[e->fn].inpath--;
	if (e->edge != PROF_NONE)
		p->edge[e->edge].inpath--;
}

/* Fetch the nodes that putting q in the tree will likely look at. */
void
prof_queue_prefetch(const struct prof *p, const struct prof_pending *q)
{
	size_t k;

	if (p->ntab.slot)
		for (k = 0; k < q->n; k++)
			node_prefetch(p, PATH_HASH(q->lvl[k].hash));
}

/*
 * Put the oldest queued line in the tree: its functions' nodes are
 * found, or made (at once when their parent was made for this line).
 */
void
prof_queue_put(struct prof *p)
{
	struct prof_pending *q = &p->queue[p->qhead];
	uint32_t fresh = p->nnode;	/* nodes from here on are this line's */
	struct prof_path *top;
	size_t k;

	p->qhead = (p->qhead + 1) & (PROF_QUEUE - 1);
	p->qn--;
	while (p->depth > q->keep)
		path_pop(p);
	XGROW(p->path, p->depth + q->n, p->pathcap);
	for (k = 0; k < q->n; k++) {
		uint32_t h = PATH_HASH(q->lvl[k].hash), fn = q->lvl[k].fn;
		uint32_t parent = 0, node = 0, edge = PROF_NONE;

		if (p->depth) {
			parent = p->path[p->depth - 1].node;
			edge = edge_get(p, p->path[p->depth - 1].fn, fn);
		}
		if (parent < fresh)
			node = node_find(p, h, parent, fn);
		if (!node)
			node = node_new(p, parent, fn, edge, h);
		if (q->lvl[k].inl)
			p->node[node].inl = 1;
		top = &p->path[p->depth++];
		top->fn = fn;
		top->node = node;
		top->edge = edge;
		p->fn[fn].inpath++;
		if (top->edge != PROF_NONE)
			p->edge[top->edge].inpath++;
	}
	p->node[p->path[p->depth - 1].node].w += q->count;
}

void
prof_flush(struct prof *p)
{
	while (p->qn)
		prof_queue_put(p);
}

