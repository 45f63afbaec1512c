/*
 * lib/prof: folded stacks into a prefix tree of functions, read fast
 * (prof-query.c holds what is computed from it afterwards).
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prof.h"
#include "xalloc.h"

#define ARENA_CHUNK (64 * 1024)
#define READ_BLOCK (1024 * 1024)
#define HUGE_MIN (4 * 1024 * 1024)	/* arrays worth huge pages */

#if defined(__GNUC__)
#define PREFETCH(a) __builtin_prefetch(a)
#define CTZ64(x) __builtin_ctzll(x)
#else
#define PREFETCH(a) ((void)(a))
static int
CTZ64(uint64_t x)
{
	int n = 0;

	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
}
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LE64(x) __builtin_bswap64(x)
#else
#define LE64(x) (x)
#endif

#define ONES 0x0101010101010101ULL
#define SEMIS (ONES * ';')
#define HIGHS 0x8080808080808080ULL

/*
 * The end of the frame starting at s[a] (the offset of the next ';', or
 * len) and its hash in *hash, in one pass, eight bytes at a time: each
 * word is searched for ';' (the lowest byte in which word ^ ";;;;;;;;"
 * is zero) and mixed into the hash up to it.
 */
static size_t
frame_scan(const char *s, size_t a, size_t len, uint32_t *hash)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL, v, x, t;
	size_t i = a, n, k;

	for (;;) {
		if (len - i >= 8) {
			n = 8;
			memcpy(&v, s + i, 8);
		} else {
			n = len - i;
			v = 0;
			memcpy(&v, s + i, n);
		}
		v = LE64(v);
		x = v ^ SEMIS;
		t = (x - ONES) & ~x & HIGHS;
		if (t && (k = (size_t)CTZ64(t) / 8) < n) {
			v &= k ? ~0ULL >> (64 - 8 * k) : 0;
			n = k;
		} else {
			t = 0;
		}
		if (n) {
			h = (h ^ v) * 0xbf58476d1ce4e5b9ULL;
			h ^= h >> 31;
		}
		i += n;
		if (t || i == len)
			break;
	}
	h ^= (i - a) * 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 32;
	*hash = (uint32_t)h;
	return i;
}

static uint32_t
hash_pair(uint32_t a, uint32_t b)
{
	uint64_t h = (uint64_t)a << 32 | b;

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (uint32_t)h;
}

/*
 * Ask for huge pages for the large arrays, which lines from unsorted
 * input visit at random: with small pages nearly every visit of a node
 * would also miss the TLB. Only advice; a failure changes nothing.
 */
static void
advise_huge(void *a, size_t n)
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

void
prof_init(struct prof *p)
{
	memset(p, 0, sizeof(*p));
	p->fnmap = (struct hmap)HMAP_INIT;
	sbuf_init(&p->prev, 0);
	/* node 0: the root above every stack */
	XGROW(p->node, 1, p->nodecap);
	memset(&p->node[0], 0, sizeof(p->node[0]));
	p->node[0].parent = PROF_NONE;
	p->nnode = 1;
}

void
prof_release(struct prof *p)
{
	size_t i;

	for (i = 0; i < p->nchunks; i++)
		free(p->chunks[i]);
	free(p->chunks);
	free(p->frame);
	free(p->fn);
	free(p->edge);
	free(p->node);
	free(p->ftab.slot);
	free(p->etab.slot);
	free(p->ntab.slot);
	free(p->path);
	free(p->text);
	for (i = 0; i < PROF_QUEUE; i++)
		free(p->queue[i].lvl);
	hmap_free(&p->fnmap, NULL);
	sbuf_release(&p->prev);
	memset(p, 0, sizeof(*p));
}

static const char *
arena_dup(struct prof *p, const char *s, size_t n)
{
	char *d;

	if (n + 1 > p->arena_left) {
		size_t sz = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;

		XGROW(p->chunks, p->nchunks + 1, p->chunkcap);
		p->arena = p->chunks[p->nchunks++] = xmalloc(sz);
		p->arena_left = sz;
	}
	d = p->arena;
	memcpy(d, s, n);
	d[n] = '\0';
	p->arena += n + 1;
	p->arena_left -= n + 1;
	return d;
}

/* First slot of t to look at for hash h, and the next one. */
#define TAB_FIRST(t, h) ((size_t)(h) & (t)->mask)
#define TAB_NEXT(t, i) (((i) + 1) & (t)->mask)
#define TAB_ID(s) ((uint32_t)(s) - 1)
#define TAB_HASH(s) ((uint32_t)((s) >> 32))

/* Add id under hash h (not there yet), growing t to stay half empty. */
static void
tab_put(struct prof_tab *t, uint32_t h, uint32_t id)
{
	size_t i, j;

	if ((t->n + 1) * 2 > t->mask + 1) {
		size_t mask = t->mask ? t->mask * 2 + 1 : 1023;
		uint64_t *s = xcalloc(mask + 1, sizeof(*s));

		advise_huge(s, (mask + 1) * sizeof(*s));

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

static int
is_annotation(const char *s, size_t n)
{
	return n >= 4 && s[n - 4] == '_' && s[n - 3] == '[' &&
	       (s[n - 2] == 'k' || s[n - 2] == 'j' || s[n - 2] == 'i') &&
	       s[n - 1] == ']';
}

static uint32_t
fn_intern(struct prof *p, const char *s, size_t n)
{
	int added;
	void **slot = hmap_put(&p->fnmap, s, n, &added);
	struct prof_fn *f;

	if (!added)
		return (uint32_t)((uintptr_t)*slot - 1);
	if (p->nfn == PROF_MAX_FN)
		abort();	/* a billion functions */
	XGROW(p->fn, (size_t)p->nfn + 1, p->fncap);
	f = &p->fn[p->nfn];
	memset(f, 0, sizeof(*f));
	f->name = arena_dup(p, s, n);
	f->len = (uint32_t)n;
	*slot = (void *)(uintptr_t)(p->nfn + 1);
	return p->nfn++;
}

/* The function of the frame s[0..n), its hash h (frame_scan). */
static uint32_t
frame_intern(struct prof *p, const char *s, size_t n, uint32_t h)
{
	uint32_t id;
	struct prof_frame *fr;
	struct prof_fn *f;
	size_t i, fnlen = n;
	uint64_t v;

	for (i = TAB_FIRST(&p->ftab, h); p->ftab.slot && (v = p->ftab.slot[i]);
	     i = TAB_NEXT(&p->ftab, i)) {
		fr = &p->frame[TAB_ID(v)];
		if (TAB_HASH(v) == h && fr->len == n && !memcmp(fr->name, s, n))
			return fr->fn;
	}
	if (is_annotation(s, n))
		fnlen = n - 4;
	XGROW(p->frame, (size_t)p->nframe + 1, p->framecap);
	id = p->nframe++;
	fr = &p->frame[id];
	fr->name = arena_dup(p, s, n);
	fr->len = (uint32_t)n;
	fr->fn = fn_intern(p, s, fnlen);
	tab_put(&p->ftab, h, id);
	f = &p->fn[fr->fn];
	if (fnlen != n)
		f->annotated = 1;
	if (!(fnlen != n && s[n - 2] == 'k'))
		f->plain = 1;
	return fr->fn;
}

static uint32_t
edge_get(struct prof *p, uint32_t from, uint32_t to)
{
	const struct prof_edge *e = prof_edge_get(p, from, to);
	uint32_t id;

	if (e)
		return (uint32_t)(e - p->edge);
	XGROW(p->edge, (size_t)p->nedge + 1, p->edgecap);
	id = p->nedge++;
	p->edge[id].from = from;
	p->edge[id].to = to;
	p->edge[id].inpath = 0;
	p->edge[id].count = 0;
	tab_put(&p->etab, hash_pair(from, to), id);
	return id;
}

const struct prof_edge *
prof_edge_get(const struct prof *p, uint32_t from, uint32_t to)
{
	uint32_t h = hash_pair(from, to);
	size_t i;
	uint64_t v;

	for (i = TAB_FIRST(&p->etab, h); p->etab.slot && (v = p->etab.slot[i]);
	     i = TAB_NEXT(&p->etab, i)) {
		const struct prof_edge *e = &p->edge[TAB_ID(v)];

		if (TAB_HASH(v) == h && e->from == from && e->to == to)
			return e;
	}
	return NULL;
}

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
static uint64_t
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
		advise_huge(p->node, p->nodecap * sizeof(*p->node));
	}
	id = p->nnode++;
	n = &p->node[id];
	n->parent = parent;
	n->fn = fn;
	n->w = 0;
	n->flags = p->fn[fn].inpath ? 0 : PROF_FIRST_FN;
	if (edge != PROF_NONE && !p->edge[edge].inpath)
		n->flags |= PROF_FIRST_EDGE;
	tab_put(&p->ntab, h, id);
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
static void
pending_prefetch(const struct prof *p, const struct prof_pending *q)
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
static void
pending_put(struct prof *p)
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
		pending_put(p);
}

/* Lines between the prefetch of a queued line's nodes and its put. */
#define PREFETCH_LEAD 4

/* Length of the common prefix of a and b, a word at a time. */
static size_t
common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	uint64_t x, y;

	while (i + 8 <= n) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			break;
		i += 8;
	}
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static int
parse_count(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
prof_add_line(struct prof *p, const char *s, size_t n, const char **why)
{
	const char *sp, *semi;
	size_t len, L, start, a, b, i;
	uint64_t count, h;
	struct prof_pending *q;
	struct prof_lvl *top;

	if (n && s[n - 1] == '\r')
		n--;
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == n)
		return 0;
	sp = memrchr(s, ' ', n);
	if (!sp) {
		*why = "no count after the stack";
		return -1;
	}
	if (parse_count(sp + 1, n - (size_t)(sp + 1 - s), &count) < 0) {
		*why = "count is not a non-negative integer";
		return -1;
	}
	len = (size_t)(sp - s);
	if (!len) {
		*why = "empty stack";
		return -1;
	}

	/* keep the frames shared with the previous line */
	L = common_prefix(s, p->prev.buf, len < p->prev.len ? len : p->prev.len);
	while (p->tdepth && p->text[p->tdepth - 1].first_end >= L)
		p->tdepth--;
	start = 0;
	if (p->tdepth) {
		semi = memrchr(s, ';', L);
		start = (size_t)(semi - s) + 1;
	}
	if (s[len - 1] == ';')
		goto empty;

	/* queue the others; fetch the table slots their nodes are near */
	q = &p->queue[(p->qhead + p->qn) & (PROF_QUEUE - 1)];
	q->count = count;
	q->keep = p->tdepth;
	q->n = 0;
	h = p->tdepth ? p->text[p->tdepth - 1].hash : ROOT_HASH;
	for (a = start; a < len; a = b + 1) {
		uint32_t fn, fh;

		b = frame_scan(s, a, len, &fh);
		if (a == b)
			goto empty;
		fn = frame_intern(p, s + a, b - a, fh);
		if (p->tdepth && p->text[p->tdepth - 1].fn == fn)
			continue;
		XGROW(p->text, p->tdepth + 1, p->textcap);
		top = &p->text[p->tdepth++];
		top->fn = fn;
		top->first_end = b;
		top->hash = h = path_step(h, fn);
		XGROW(q->lvl, q->n + 1, q->cap);
		q->lvl[q->n++] = *top;
		if (p->ntab.slot)
			PREFETCH(&p->ntab.slot[TAB_FIRST(&p->ntab,
							 PATH_HASH(h))]);
	}
	p->fn[p->text[p->tdepth - 1].fn].self += count;
	p->all += count;
	p->nlines++;
	sbuf_reset(&p->prev);
	sbuf_add(&p->prev, s, len);

	if (++p->qn > PREFETCH_LEAD)
		pending_prefetch(p, &p->queue[(p->qhead + p->qn - 1 -
					       PREFETCH_LEAD) &
					      (PROF_QUEUE - 1)]);
	if (p->qn == PROF_QUEUE)
		pending_put(p);
	return 1;

empty:
	/* nothing was queued; start the next line from the root */
	*why = "empty frame";
	p->tdepth = 0;
	sbuf_reset(&p->prev);
	return -1;
}

int
prof_read_fd(struct prof *p, int fd,
	     void (*bad)(void *arg, unsigned long lineno, const char *why),
	     void *arg)
{
	size_t cap = READ_BLOCK, have = 0, pos, lim;
	char *buf = xmalloc(cap);
	unsigned long lineno = 0;
	const char *why;
	ssize_t r;
	int eof = 0;

	while (!eof) {
		if (have == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + have, cap - have);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		if (r == 0)
			eof = 1;
		have += (size_t)r;
		pos = 0;
		while (pos < have) {
			char *nl = memchr(buf + pos, '\n', have - pos);

			if (nl)
				lim = (size_t)(nl - buf);
			else if (eof)
				lim = have;	/* a last line without newline */
			else
				break;
			lineno++;
			if (prof_add_line(p, buf + pos, lim - pos, &why) < 0 &&
			    bad)
				bad(arg, lineno, why);
			pos = lim + 1;
		}
		if (pos >= have)
			have = 0;
		else if (pos) {
			memmove(buf, buf + pos, have - pos);
			have -= pos;
		}
	}
	free(buf);
	prof_flush(p);
	return 0;
}
