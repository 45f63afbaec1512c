/*
 * lib/prof: folded stacks read fast, frames interned and lines queued
 * for the prefix tree of functions (prof-tree.c holds the tree,
 * prof-query.c what is computed from it afterwards).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile/prof.h"
#include "profile/prof-int.h"
#include "base/xalloc.h"

#define ARENA_CHUNK (64 * 1024)
#define READ_BLOCK (1024 * 1024)

#if defined(__GNUC__)
#define CTZ64(x) __builtin_ctzll(x)
#else
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
	prof_tab_put(&p->ftab, h, id);
	f = &p->fn[fr->fn];
	if (fnlen != n)
		f->annotated = 1;
	if (!(fnlen != n && s[n - 2] == 'k'))
		f->plain = 1;
	return fr->fn;
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
		top->inl = b - a >= 4 && s[b - 1] == ']' && s[b - 2] == 'i' &&
		    s[b - 3] == '[' && s[b - 4] == '_';
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
		prof_queue_prefetch(p, &p->queue[(p->qhead + p->qn - 1 -
					       PREFETCH_LEAD) &
					      (PROF_QUEUE - 1)]);
	if (p->qn == PROF_QUEUE)
		prof_queue_put(p);
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
