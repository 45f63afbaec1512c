/*
 * lib/prof: the answers of a profile once all lines are in (prof.c
 * builds it): totals, edge weights, heaviest chains, callers, callees.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/prof.h"
#include "base/xalloc.h"

int
prof_fncmp(const struct prof *p, uint32_t a, uint32_t b)
{
	const struct prof_fn *x = &p->fn[a], *y = &p->fn[b];
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static size_t
node_depth(const struct prof *p, uint32_t n)
{
	size_t d = 0;

	for (; n; n = p->node[n].parent)
		d++;
	return d;
}

/* Compare the root-to-node paths of a and b function by function. */
static int
pathcmp(const struct prof *p, uint32_t a, uint32_t b)
{
	size_t da = node_depth(p, a), db = node_depth(p, b), d, i;
	uint32_t *pa, *pb;
	int c = 0;

	pa = xcalloc(da + 1, sizeof(*pa));
	pb = xcalloc(db + 1, sizeof(*pb));
	for (i = da; i > 0; a = p->node[a].parent)
		pa[--i] = a;
	for (i = db; i > 0; b = p->node[b].parent)
		pb[--i] = b;
	d = da < db ? da : db;
	for (i = 0; i < d && !c; i++)
		c = prof_fncmp(p, p->node[pa[i]].fn, p->node[pb[i]].fn);
	if (!c)
		c = da < db ? -1 : da > db;
	free(pa);
	free(pb);
	return c;
}

void
prof_finish(struct prof *p)
{
	uint32_t i;

	if (p->finished)
		return;
	p->finished = 1;
	prof_flush(p);
	/* children are made after their parents */
	for (i = p->nnode - 1; i > 0; i--)
		p->node[p->node[i].parent].w += p->node[i].w;
	for (i = 1; i < p->nnode; i++) {
		struct prof_node *n = &p->node[i];
		struct prof_fn *f = &p->fn[n->fn];

		if (n->flags & PROF_FIRST_EDGE) {
			struct prof_edge *e = &p->edge[prof_edge_get(p,
				p->node[n->parent].fn, n->fn) - p->edge];

			e->count += n->w;
			if (n->inl)
				e->inl += n->w;
		}
		if (n->parent && n->w)
			f->nonroot = 1;
		if (!(n->flags & PROF_FIRST_FN))
			continue;
		f->total += n->w;
		if (!f->best || n->w > p->node[f->best].w ||
		    (n->w == p->node[f->best].w && pathcmp(p, i, f->best) < 0))
			f->best = i;
	}
}

uint32_t
prof_lookup(const struct prof *p, const char *name, size_t len)
{
	void *v = hmap_get(&p->fnmap, name, len);

	return v ? (uint32_t)((uintptr_t)v - 1) : PROF_NONE;
}

size_t
prof_chain(const struct prof *p, uint32_t fn, uint32_t **out, size_t *cap)
{
	uint32_t n = p->fn[fn].best;
	size_t d, i;

	if (!n || !p->node[n].w)
		return 0;
	d = node_depth(p, n);
	XGROW(*out, d, *cap);
	for (i = d; i > 0; n = p->node[n].parent)
		(*out)[--i] = p->node[n].fn;
	return d;
}

static const struct prof *cmp_prof;

static int
linkcmp(const void *va, const void *vb)
{
	const struct prof_link *a = va, *b = vb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return prof_fncmp(cmp_prof, a->fn, b->fn);
}

size_t
prof_links(const struct prof *p, uint32_t fn, int dir, struct prof_link **out,
	   size_t *cap)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < p->nedge; i++) {
		const struct prof_edge *e = &p->edge[i];
		uint64_t c = dir == PROF_INLINED_INTO ? e->inl : e->count;

		if (!c || (dir == PROF_CALLEES ? e->from : e->to) != fn)
			continue;
		XGROW(*out, n + 1, *cap);
		(*out)[n].fn = dir == PROF_CALLEES ? e->to : e->from;
		(*out)[n].count = c;
		n++;
	}
	cmp_prof = p;
	if (n > 1)
		qsort(*out, n, sizeof(**out), linkcmp);
	return n;
}

static int
strpcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
prof_frames(const struct prof *p, uint32_t fn, const char ***out, size_t *cap)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < p->nframe; i++) {
		if (p->frame[i].fn != fn)
			continue;
		XGROW(*out, n + 1, *cap);
		(*out)[n++] = p->frame[i].name;
	}
	if (n > 1)
		qsort(*out, n, sizeof(**out), strpcmp);
	return n;
}
