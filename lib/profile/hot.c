#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profile/hot.h"
#include "base/jsonl.h"
#include "base/xalloc.h"

void
hot_opts_init(struct hot_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->top = 10;
	o->fanout = 5;
	o->depth = 1;
	o->parent_share = 0.5;
	o->width = 80;
	o->max_lines = 10;
}

static int
matches_any(const regex_t *re, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!regexec(&re[i], s, 0, NULL, 0))
			return 1;
	return 0;
}

int
hot_eligible(const struct prof *p, uint32_t fn, const struct hot_opts *o)
{
	const struct prof_fn *f = &p->fn[fn];

	if (!o->all && (f->name[0] == '[' || !f->plain))
		return 0;
	if (matches_any(o->exclude, o->nexclude, f->name))
		return 0;
	if (o->nonly && !matches_any(o->only, o->nonly, f->name))
		return 0;
	return 1;
}

static uint64_t
key(const struct prof *p, uint32_t fn, const struct hot_opts *o)
{
	return o->by_total ? p->fn[fn].total : p->fn[fn].self;
}

static double
share(uint64_t n, uint64_t all)
{
	return all ? (double)n / (double)all : 0.0;
}

static const struct prof *sort_prof;
static const struct hot_opts *sort_opts;

static int
rankcmp(const void *va, const void *vb)
{
	uint32_t a = *(const uint32_t *)va, b = *(const uint32_t *)vb;
	uint64_t ka = key(sort_prof, a, sort_opts);
	uint64_t kb = key(sort_prof, b, sort_opts);

	if (ka != kb)
		return ka > kb ? -1 : 1;
	return prof_fncmp(sort_prof, a, b);
}

static void
sel_add(struct hot_sel *sel, uint32_t fn, int parent, uint32_t child,
	size_t rank)
{
	struct hot_item *it;

	XGROW(sel->item, sel->n + 1, sel->cap);
	it = &sel->item[sel->n++];
	it->fn = fn;
	it->child = child;
	it->parent = parent;
	it->rank = rank;
}

/* Is fn worth a change to call child less? */
static int
worth(const struct prof *p, const struct hot_opts *o, uint32_t fn,
      uint32_t child)
{
	const struct prof_fn *f = &p->fn[fn];
	const struct prof_edge *e = prof_edge_get(p, fn, child);

	if (!f->nonroot || !f->total || !e)
		return 0;
	if (share(f->total, p->all) < o->min_share)
		return 0;
	return (double)e->count >= o->parent_share * (double)f->total;
}

void
hot_select(const struct prof *p, const struct hot_opts *o,
	   struct hot_sel *sel)
{
	uint32_t *ids = xcalloc(p->nfn + 1, sizeof(*ids)), *chain = NULL;
	size_t *rank = xcalloc(p->nfn + 1, sizeof(*rank));
	unsigned char *used = xcalloc(p->nfn + 1, 1);
	uint32_t *ups = NULL;
	size_t n = 0, nleaf, i, j, chaincap = 0, upscap = 0;

	for (i = 0; i < p->nfn; i++)
		if (hot_eligible(p, (uint32_t)i, o))
			ids[n++] = (uint32_t)i;
	sort_prof = p;
	sort_opts = o;
	qsort(ids, n, sizeof(*ids), rankcmp);
	for (i = 0; i < n; i++)
		rank[ids[i]] = i + 1;
	for (nleaf = 0; nleaf < n && nleaf < o->top; nleaf++) {
		uint64_t k = key(p, ids[nleaf], o);

		if (!k || share(k, p->all) < o->min_share)
			break;
	}
	for (i = 0; i < nleaf; i++) {
		uint32_t fn = ids[i];
		size_t len = 0, nup = 0;

		if (used[fn])
			continue;	/* already there as a parent */
		used[fn] = 1;

		if (o->chain)
			len = prof_chain(p, fn, &chain, &chaincap);
		for (j = len > 1 ? len - 1 : 0; j > 0; j--) {
			uint32_t up = chain[j - 1], child = chain[j];

			if (o->depth && len - j > o->depth)
				break;
			if (!rank[up] || used[up] || !worth(p, o, up, child))
				continue;
			used[up] = 1;
			XGROW(ups, nup + 2, upscap);
			ups[nup++] = up;
			ups[nup++] = child;
		}
		while (nup) {
			nup -= 2;
			sel_add(sel, ups[nup], 1, ups[nup + 1], rank[ups[nup]]);
		}
		sel_add(sel, fn, 0, PROF_NONE, i + 1);
	}
	free(ups);
	free(chain);
	free(used);
	free(rank);
	free(ids);
}

void
hot_sel_release(struct hot_sel *sel)
{
	free(sel->item);
	memset(sel, 0, sizeof(*sel));
}

static void
jw_fn(struct jw *w, const struct prof *p, uint32_t fn)
{
	jw_strn(w, p->fn[fn].name, p->fn[fn].len);
}

/* The callers fn was inlined into, heaviest first; nothing when none. */
static void
write_inlined_into(struct jw *w, const struct prof *p, uint32_t fn)
{
	struct prof_link *l = NULL;
	size_t cap = 0, i;
	size_t n = prof_links(p, fn, PROF_INLINED_INTO, &l, &cap);

	if (n) {
		jw_key(w, "inlined_into");
		jw_arr(w);
		for (i = 0; i < n; i++)
			jw_fn(w, p, l[i].fn);
		jw_arr_end(w);
	}
	free(l);
}

/* The source lines of fn's samples, heaviest first; nothing when none. */
static void
write_lines(struct jw *w, const struct prof *p, const struct hot_opts *o,
	    uint32_t fn)
{
	const struct hotline *l;
	size_t n, i;

	if (!o->lines)
		return;
	l = hotlines_get(o->lines, p->fn[fn].name, p->fn[fn].len, &n);
	if (!n)
		return;
	if (o->max_lines && n > o->max_lines)
		n = o->max_lines;
	jw_key(w, "lines");
	jw_arr(w);
	for (i = 0; i < n; i++) {
		jw_obj(w);
		jw_key(w, "file");
		jw_str(w, l[i].file);
		jw_key(w, "line");
		jw_uint(w, l[i].line);
		jw_key(w, "count");
		jw_uint(w, l[i].count);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
write_links(struct jw *w, const struct prof *p, uint32_t fn, int dir,
	    size_t fanout)
{
	struct prof_link *l = NULL;
	size_t cap = 0, n = prof_links(p, fn, dir, &l, &cap), i;

	jw_key(w, dir ? "callees" : "callers");
	jw_arr(w);
	for (i = 0; i < n && i < fanout; i++) {
		jw_obj(w);
		jw_key(w, "fn");
		jw_fn(w, p, l[i].fn);
		jw_key(w, "count");
		jw_uint(w, l[i].count);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	free(l);
}

/* self, total, all and the shares of fn in p (all zero when absent) */
static void
write_counts(struct jw *w, const struct prof *p, uint32_t fn)
{
	uint64_t self = fn == PROF_NONE ? 0 : p->fn[fn].self;
	uint64_t total = fn == PROF_NONE ? 0 : p->fn[fn].total;

	jw_key(w, "self");
	jw_uint(w, self);
	jw_key(w, "total");
	jw_uint(w, total);
	jw_key(w, "all");
	jw_uint(w, p->all);
	jw_key(w, "self_share");
	jw_numg(w, share(self, p->all), 6);
	jw_key(w, "total_share");
	jw_numg(w, share(total, p->all), 6);
}

void
hot_write_record(const struct prof *p, const struct hot_opts *o,
		 const struct hot_sel *sel, size_t i, struct sbuf *out)
{
	uint32_t fn = sel->item[i].fn, *chain = NULL;
	const char **fr = NULL;
	size_t cap = 0, n, k;
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "fn");
	jw_fn(&w, p, fn);
	jw_key(&w, "role");
	jw_str(&w, sel->item[i].parent ? "parent" : "leaf");
	if (sel->item[i].parent) {
		jw_key(&w, "child");
		jw_fn(&w, p, sel->item[i].child);
	}
	if (p->fn[fn].annotated) {
		jw_key(&w, "frames");
		jw_arr(&w);
		n = prof_frames(p, fn, &fr, &cap);
		for (k = 0; k < n; k++)
			jw_str(&w, fr[k]);
		jw_arr_end(&w);
		free(fr);
	}
	jw_key(&w, "hot");
	jw_obj(&w);
	write_counts(&w, p, fn);
	jw_key(&w, "rank");
	jw_uint(&w, sel->item[i].rank);
	jw_key(&w, "chain");
	jw_arr(&w);
	cap = 0;
	n = prof_chain(p, fn, &chain, &cap);
	for (k = 0; k < n; k++)
		jw_fn(&w, p, chain[k]);
	jw_arr_end(&w);
	free(chain);
	write_links(&w, p, fn, PROF_CALLERS, o->fanout);
	write_links(&w, p, fn, PROF_CALLEES, o->fanout);
	write_inlined_into(&w, p, fn);
	write_lines(&w, p, o, fn);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
}

/* Display width of s[0..n): UTF-8 code points. */
static size_t
width(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Bytes of the first w code points of s[0..n). */
static size_t
head_bytes(const char *s, size_t n, size_t w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && w-- == 0)
			break;
	return i;
}

/* Append s padded or cut ("..." at the end, or at the start) to w. */
static void
add_cell(struct sbuf *out, const char *s, size_t n, size_t w, int left,
	 int pad)
{
	size_t sw = width(s, n), b;

	if (sw > w) {
		if (w < 3) {
			sbuf_add(out, s, head_bytes(s, n, w));
		} else if (left) {
			b = head_bytes(s, n, sw - (w - 3));
			sbuf_adds(out, "...");
			sbuf_add(out, s + b, n - b);
		} else {
			sbuf_add(out, s, head_bytes(s, n, w - 3));
			sbuf_adds(out, "...");
		}
		return;
	}
	sbuf_add(out, s, n);
	while (pad && sw++ < w)
		sbuf_addc(out, ' ');
}

#define BAR 10

static void
add_bar(struct sbuf *out, double f)
{
	int k = (int)floor(f * BAR + 0.5), i;

	for (i = 0; i < BAR; i++)
		sbuf_addc(out, i < k ? '#' : '.');
}

void
hot_write_table(const struct prof *p, const struct hot_opts *o,
		const struct hot_sel *sel, struct sbuf *out)
{
	size_t i, k, n, fnw = 8, cap = 0, fixed = 4 + 2 + 6 + 2 + 6 + 2 + BAR + 2;
	size_t rest = (size_t)o->width > fixed ? (size_t)o->width - fixed : 0;
	uint32_t *chain = NULL;
	struct sbuf c = SBUF_INIT;

	for (i = 0; i < sel->n; i++) {
		const struct prof_fn *f = &p->fn[sel->item[i].fn];

		if (width(f->name, f->len) > fnw)
			fnw = width(f->name, f->len);
	}
	if (fnw > rest / 2 && fnw > 12)
		fnw = rest / 2 > 12 ? rest / 2 : 12;
	sbuf_addf(out, "%4s  %6s  %6s  %-*s  ", "rank", "self%", "total%",
		  BAR, o->by_total ? "total" : "self");
	add_cell(out, "function", 8, fnw, 0, 1);
	sbuf_adds(out, "  called by");
	sbuf_rtrim(out);
	sbuf_addc(out, '\n');
	for (i = 0; i < sel->n; i++) {
		uint32_t fn = sel->item[i].fn;
		const struct prof_fn *f = &p->fn[fn];
		double s = share(f->self, p->all), t = share(f->total, p->all);

		if (sel->item[i].parent)
			sbuf_addf(out, "%4s  ", "^");
		else
			sbuf_addf(out, "%4zu  ", sel->item[i].rank);
		sbuf_addf(out, "%6.2f  %6.2f  ", 100 * s, 100 * t);
		add_bar(out, o->by_total ? t : s);
		sbuf_adds(out, "  ");
		add_cell(out, f->name, f->len, fnw, 0, 1);
		sbuf_reset(&c);
		/* the function has its column: the chain's callers here */
		n = prof_chain(p, fn, &chain, &cap);
		for (k = 0; k + 1 < n; k++) {
			if (k)
				sbuf_adds(&c, " > ");
			sbuf_add(&c, p->fn[chain[k]].name, p->fn[chain[k]].len);
		}
		if (rest > fnw + 2 + 8) {
			sbuf_adds(out, "  ");
			add_cell(out, c.buf, c.len, rest - fnw - 2, 1, 0);
		}
		sbuf_rtrim(out);
		sbuf_addc(out, '\n');
	}
	free(chain);
	sbuf_release(&c);
}

struct diff_ent {
	const char *name;
	size_t len;
	uint32_t b, a;		/* ids in before and after, or PROF_NONE */
	double d;		/* change of the key's share */
	int neg;		/* the exact change, for ties: */
	uint64_t hi, lo;	/* |a_key * b_all - b_key * a_all| */
};

static void
mul64(uint64_t x, uint64_t y, uint64_t *hi, uint64_t *lo)
{
	uint64_t xl = (uint32_t)x, xh = x >> 32, yl = (uint32_t)y, yh = y >> 32;
	uint64_t ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;

	*lo = (mid << 32) | (uint32_t)ll;
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/*
 * The change of share as an exact fraction over a_all * b_all (shared by
 * every entry), so that equal changes compare equal and go by name.
 */
static void
exact_change(struct diff_ent *e, uint64_t ak, uint64_t aall, uint64_t bk,
	     uint64_t ball)
{
	uint64_t ph, pl, qh, ql;

	mul64(ak, ball ? ball : 1, &ph, &pl);
	mul64(bk, aall ? aall : 1, &qh, &ql);
	e->neg = ph < qh || (ph == qh && pl < ql);
	if (e->neg) {
		e->hi = qh - ph - (ql < pl);
		e->lo = ql - pl;
	} else {
		e->hi = ph - qh - (pl < ql);
		e->lo = pl - ql;
	}
}

static int
diffcmp(const void *va, const void *vb)
{
	const struct diff_ent *a = va, *b = vb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c;

	if (a->hi != b->hi)
		return a->hi > b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo > b->lo ? -1 : 1;
	c = memcmp(a->name, b->name, n);
	return c ? c : (a->len < b->len ? -1 : a->len > b->len);
}

static double
key_share(const struct prof *p, uint32_t fn, const struct hot_opts *o)
{
	return fn == PROF_NONE ? 0.0 : share(key(p, fn, o), p->all);
}

static void
diff_row(const struct prof *bp, const struct prof *ap, const struct diff_ent *e,
	 size_t rank, const struct hot_opts *o, struct sbuf *out)
{
	const struct prof *p = e->a != PROF_NONE ? ap : bp;
	uint32_t fn = e->a != PROF_NONE ? e->a : e->b;
	struct jw w;

	if (o->table) {
		sbuf_addf(out, "%4zu  %6.2f  %6.2f  %+7.2f  ", rank,
			  100 * key_share(bp, e->b, o),
			  100 * key_share(ap, e->a, o), 100 * e->d);
		add_cell(out, e->name, e->len, o->width > 40 ?
			 (size_t)o->width - 36 : 4, 0, 0);
		sbuf_addc(out, '\n');
		return;
	}
	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "fn");
	jw_fn(&w, p, fn);
	jw_key(&w, "hot");
	jw_obj(&w);
	jw_key(&w, "rank");
	jw_uint(&w, rank);
	jw_key(&w, "delta");
	jw_obj(&w);
	jw_key(&w, "self_share");
	jw_numg(&w, share(e->a == PROF_NONE ? 0 : ap->fn[e->a].self, ap->all) -
		share(e->b == PROF_NONE ? 0 : bp->fn[e->b].self, bp->all), 6);
	jw_key(&w, "total_share");
	jw_numg(&w, share(e->a == PROF_NONE ? 0 : ap->fn[e->a].total, ap->all) -
		share(e->b == PROF_NONE ? 0 : bp->fn[e->b].total, bp->all), 6);
	jw_obj_end(&w);
	jw_key(&w, "before");
	jw_obj(&w);
	write_counts(&w, bp, e->b);
	jw_obj_end(&w);
	jw_key(&w, "after");
	jw_obj(&w);
	write_counts(&w, ap, e->a);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
}

void
hot_write_diff(const struct prof *bp, const struct prof *ap,
	       const struct hot_opts *o, struct sbuf *out)
{
	struct diff_ent *d = NULL;
	size_t n = 0, cap = 0, i;
	uint32_t fn;

	for (fn = 0; fn < ap->nfn; fn++) {
		const struct prof_fn *f = &ap->fn[fn];

		if (!hot_eligible(ap, fn, o))
			continue;
		XGROW(d, n + 1, cap);
		d[n].name = f->name;
		d[n].len = f->len;
		d[n].a = fn;
		d[n].b = prof_lookup(bp, f->name, f->len);
		n++;
	}
	for (fn = 0; fn < bp->nfn; fn++) {
		const struct prof_fn *f = &bp->fn[fn];

		if (prof_lookup(ap, f->name, f->len) != PROF_NONE ||
		    !hot_eligible(bp, fn, o))
			continue;
		XGROW(d, n + 1, cap);
		d[n].name = f->name;
		d[n].len = f->len;
		d[n].a = PROF_NONE;
		d[n].b = fn;
		n++;
	}
	for (i = 0; i < n; i++) {
		d[i].d = key_share(ap, d[i].a, o) - key_share(bp, d[i].b, o);
		exact_change(&d[i], d[i].a == PROF_NONE ? 0 : key(ap, d[i].a, o),
			     ap->all, d[i].b == PROF_NONE ? 0 : key(bp, d[i].b, o),
			     bp->all);
	}
	if (n > 1)
		qsort(d, n, sizeof(*d), diffcmp);
	if (o->table)
		sbuf_addf(out, "%4s  %6s  %6s  %7s  function\n", "rank",
			  "before", "after", "change");
	for (i = 0; i < n && i < o->top; i++) {
		if ((!d[i].hi && !d[i].lo) || fabs(d[i].d) < o->min_share)
			break;
		diff_row(bp, ap, &d[i], i + 1, o, out);
	}
	free(d);
}
