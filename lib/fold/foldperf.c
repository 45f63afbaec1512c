/*
 * perf script samples to stacks: a sample header, its frame lines (leaf
 * first) and the blank line that ends it. Part of the fold module.
 */
#include <stdlib.h>
#include <string.h>

#include "fold/fold_int.h"
#include "fold/foldsym.h"
#include "base/xalloc.h"

/* The options that name frames from the binaries. */
#define BIN_FLAGS (FOLD_RESOLVE | FOLD_INLINE)

/*
 * The bits of the cache's info word of a frame line: --skip-after
 * matched; the line is outside the kernel; its outermost frame starts a
 * call chain (main); the number of frames it pushed, above them.
 */
#define INFO_SKIP	1u
#define INFO_USER	2u
#define INFO_ROOT	4u
#define INFO_SHIFT	3

/* Make room for need more bytes in front of kbuf's content. */
static void
kbuf_grow(struct fold *f, size_t need)
{
	size_t used = f->kcap - f->kpos, cap = f->kcap * 2;
	char *nb;

	while (cap - used < need)
		cap *= 2;
	nb = xmalloc(cap);
	memcpy(nb + cap - used, f->kbuf + f->kpos, used);
	free(f->kbuf);
	f->kbuf = nb;
	f->kpos = cap - used;
	f->kcap = cap;
}

static inline void
push_frame(struct fold *f, const char *s, size_t n, const char *suf,
	   size_t sn)
{
	if (n + sn + 1 > f->kpos)
		kbuf_grow(f, n + sn + 1);
	f->kpos -= sn;
	memcpy(f->kbuf + f->kpos, suf, sn);
	f->kpos -= n;
	memcpy(f->kbuf + f->kpos, s, n);
	f->kbuf[--f->kpos] = ';';
	f->nframes++;
}

void
foldperf_reset(struct fold *f)
{
	if (f->join.len) {
		/* a frame line cut by a newline, never completed */
		if (f->in_event && !f->dropped && !f->skip_rest)
			fold_warn_kind(f, FOLD_W_STACK, "unrecognized frame "
				       "line skipped (further ones are not "
				       "reported)");
		sbuf_reset(&f->join);
	}
	f->in_event = f->dropped = f->skip_rest = 0;
	f->nframes = f->nlines = 0;
	f->linfo = 0;
	f->kpos = f->kcap;
	if (f->leaf_mod.len) {
		sbuf_reset(&f->leaf_mod);
		sbuf_reset(&f->leaf_src);
	}
	if (f->inl_pc.len)
		sbuf_reset(&f->inl_pc);
}

/*
 * Is the first frame of s[0, n) (frames joined by ';') a function a
 * whole call chain starts from: main, the C library's start, a thread's?
 */
static int
is_root_fn(const char *s, size_t n)
{
	static const char *const roots[] = {
		"main", "_start", "__libc_start_main", "__libc_start_main_impl",
		"__libc_start_call_main", "start_thread", "clone", "clone3",
		"__clone", "__clone3", "thread_start", "_dl_start",
		"_dl_start_user", "runtime.goexit", "runtime.main",
		"runtime.mstart",
	};
	const char *e = memchr(s, ';', n);
	size_t i;

	if (e)
		n = e - s;
	if (n >= 4 && s[n - 4] == '_' && s[n - 3] == '[' && s[n - 1] == ']')
		n -= 4;
	for (i = 0; i < sizeof(roots) / sizeof(*roots); i++)
		if (strlen(roots[i]) == n && !memcmp(roots[i], s, n))
			return 1;
	return 0;
}

/*
 * Count the sample for fold_depth. perf lists the kernel's frames first
 * and the program's after them, so the last frame line says it all: it
 * is outside the kernel when the sample has such frames at all, and its
 * outermost frame is where the chain starts.
 */
static void
count_depth(struct fold *f, uint64_t w)
{
	const char *s, *e;
	size_t n;

	if (!(f->linfo & INFO_USER) || f->oneline)
		return;		/* the kernel's, or no call graph recorded */
	f->depth_n++;
	f->depth_user += w;
	if (f->linfo & INFO_ROOT)
		return;
	f->depth_cut += w;
	/*
	 * The example: the leaf that most of these samples have, by majority
	 * vote (Boyer-Moore) of one sample in 16: the function of more than
	 * half of them if there is one.
	 */
	if (f->depth_ncut++ & 15)
		return;
	s = memrchr(f->kbuf + f->kpos, ';', f->kcap - f->kpos);
	s = s ? s + 1 : f->kbuf + f->kpos;
	n = f->kbuf + f->kcap - s;
	e = n >= 4 && s[n - 1] == ']' && s[n - 4] == '_' ? s + n - 4 : NULL;
	if (e && (e[2] == 'k' || e[2] == 'i' || e[2] == 'j'))
		n -= 4;
	if (n == f->cut_ex.len && !memcmp(s, f->cut_ex.buf, n)) {
		f->cut_votes++;
	} else if (!f->cut_votes) {
		sbuf_reset(&f->cut_ex);
		sbuf_add(&f->cut_ex, s, n);
		f->cut_votes = 1;
	} else {
		f->cut_votes--;
	}
}

void
foldperf_flush(struct fold *f)
{
	const char *key;
	size_t len;

	if (f->in_event && !f->dropped) {
		if (f->o.flags & FOLD_LINES)
			foldlines_sample(f, f->o.flags & FOLD_SAMPLES ? 1 :
					 f->period);
		if (f->skip_rest) {
			key = f->kbuf + f->kpos + 1;
			len = f->kcap - f->kpos - 1;
		} else {
			size_t pn = f->pname.len;

			if (pn > f->kpos)
				kbuf_grow(f, pn);
			f->kpos -= pn;
			memcpy(f->kbuf + f->kpos, f->pname.buf, pn);
			key = f->kbuf + f->kpos;
			len = f->kcap - f->kpos;
		}
		count_depth(f, f->o.flags & FOLD_SAMPLES ? 1 : f->period);
		stackmap_add(&f->map, key, len,
			     f->o.flags & FOLD_SAMPLES ? 1 : f->period);
		if (f->map.overflow && !f->warned[FOLD_W_OVERFLOW])
			fold_warn_kind(f, FOLD_W_OVERFLOW,
				       "a count passed 2^64-1 and was capped");
	}
	foldperf_reset(f);
}

static int
matches_skip_after(const struct fold *f, const char *s, size_t n)
{
	const char *const *p;

	for (p = f->o.skip_after; p && *p; p++)
		if (strlen(*p) == n && !memcmp(*p, s, n))
			return 1;
	return 0;
}

/*
 * One frame name (a part of an inline chain when idx > 0) from a frame
 * line: turn it into its folded form and push it.
 */
static int
push_part(struct fold *f, const char *s, size_t n, size_t idx,
	  const struct foldsym_line *fl)
{
	const char *suf = "";
	size_t sn = 0;
	int hit;

	if (n == 9 && !memcmp(s, "[unknown]", 9)) {
		foldsym_unknown(&f->tmp, fl, f->o.flags & FOLD_ADDRS);
		s = f->tmp.buf;
		n = f->tmp.len;
	}
	if (foldsym_needs_tidy(s, n)) {
		foldsym_tidy(&f->tidy, s, n);
		s = f->tidy.buf;
		n = f->tidy.len;
	}
	if (f->is_java && n && s[0] == 'L' && memchr(s, '/', n)) {
		s++;
		n--;
	}
	hit = f->o.skip_after && matches_skip_after(f, s, n);
	if (idx > 0) {
		if (!memmem(s, n, "_[i]", 4))
			suf = "_[i]", sn = 4;
	} else if ((f->o.flags & FOLD_KERNEL) &&
		   foldsym_is_kernel(fl->mod, fl->modn)) {
		suf = "_[k]", sn = 4;
	} else if ((f->o.flags & FOLD_JIT) &&
		   foldsym_is_jit(fl->mod, fl->modn) &&
		   !memmem(s, n, "_[j]", 4)) {
		suf = "_[j]", sn = 4;
	}
	push_frame(f, s, n, suf, sn);
	return hit;
}

/*
 * The frame line named from its binary (--resolve, --inline): its
 * function (when perf had none) and the functions inlined there. 1 when
 * done (*hit set for --skip-after), 0 when the default rules apply.
 */
static int
add_from_binary(struct fold *f, const struct foldsym_line *fl,
		const char *s, size_t n, int leaf, int *hit)
{
	struct elfaddr_res r;
	uint64_t pc;
	size_t k;
	int unknown = n == 9 && !memcmp(s, "[unknown]", 9);

	if (!unknown && !(f->o.flags & FOLD_INLINE))
		return 0;
	if (!foldsym_is_file(fl->mod, fl->modn) ||
	    fold_parse_hex(fl->pc, fl->pcn, &pc))
		return 0;
	if (!f->ea)
		f->ea = elfaddr_new();
	elfaddr_lookup(f->ea, fl->mod, fl->modn, pc, !leaf, &r);
	if (unknown) {
		if (!r.fn)
			return 0;
		s = r.fn;
		n = strlen(s);
	}
	*hit = 0;
	if (f->o.flags & FOLD_INLINE)
		for (k = r.ninl; k-- > 0;)
			if (push_part(f, r.inl[k], strlen(r.inl[k]), 1, fl)) {
				*hit = 1;
				return 1;
			}
	*hit = push_part(f, s, n, 0, fl);
	return 1;
}

/*
 * A parsed frame line of the current sample. leaf: the first of the
 * sample; binary: name it from its binary (--resolve, --inline: not for
 * a frame perf already gave its inlined functions).
 */
static void
add_frame(struct fold *f, const struct foldsym_line *fl, int leaf,
	  int binary)
{
	const char *s = fl->fn, *arrow;
	size_t n = fl->fnn, i, nparts, k;
	const char *part[64];
	size_t partn[64];
	int hit;

	n = foldsym_strip_offset(s, n);
	if (n && s[0] == '(')
		return;		/* a process name, not a frame */
	if (!(f->o.flags & FOLD_NO_DEMANGLE) && foldsym_is_rust_hashed(s, n)) {
		foldsym_rust(&f->rust, s, n);
		s = f->rust.buf;
		n = f->rust.len;
	}
	if (binary && add_from_binary(f, fl, s, n, leaf, &hit)) {
		if (hit || matches_skip_after(f, s, n))
			f->skip_rest = 1;
		return;
	}
	if ((f->o.flags & FOLD_INLINE) && fl->modn == 7 &&
	    !memcmp(fl->mod, "inlined", 7)) {
		/* perf script --inline: a function inlined at the next frame */
		if (push_part(f, s, n, 1, fl) || matches_skip_after(f, s, n))
			f->skip_rest = 1;
		return;
	}
	hit = f->o.skip_after && matches_skip_after(f, s, n);
	arrow = n > 2 ? memmem(s, n, "->", 2) : NULL;
	if (!arrow) {
		hit |= push_part(f, s, n, 0, fl);
	} else {
		/* Inlined chain "outer->inner->...": emit innermost first. */
		nparts = 0;
		i = 0;
		while (nparts < 63 && arrow) {
			part[nparts] = s + i;
			partn[nparts++] = arrow - (s + i);
			i = arrow - s + 2;
			arrow = memmem(s + i, n - i, "->", 2);
		}
		part[nparts] = s + i;
		partn[nparts++] = n - i;
		for (k = nparts; k-- > 0;)
			if (push_part(f, part[k], partn[k], k, fl)) {
				hit = 1;
				break;
			}
	}
	if (hit)
		f->skip_rest = 1;
}

/*
 * For --resolve, --inline and --lines: what else a frame line needs, as
 * bits: BIN_LEAF, the sample's leaf (others hold a return address, which
 * is looked up one byte back); BIN_NAME, to be named from its binary;
 * BIN_PERFINL, perf gave its inlined functions already. The first and
 * the last are part of the cache key.
 */
#define BIN_LEAF	1u
#define BIN_NAME	2u
#define BIN_PERFINL	4u

static unsigned
frame_bin(struct fold *f, const struct foldsym_line *fl)
{
	unsigned b = f->nlines++ ? 0 : BIN_LEAF;

	if ((f->o.flags & FOLD_LINES) && (b & BIN_LEAF))
		foldlines_leaf(f, fl);
	if (!(f->o.flags & BIN_FLAGS))
		return b;
	b |= BIN_NAME;
	if (f->inl_pc.len) {
		if (fl->pcn == f->inl_pc.len &&
		    !memcmp(fl->pc, f->inl_pc.buf, fl->pcn))
			b = (b & ~BIN_NAME) | BIN_PERFINL;
		sbuf_reset(&f->inl_pc);
	}
	if (fl->modn == 7 && !memcmp(fl->mod, "inlined", 7))
		sbuf_add(&f->inl_pc, fl->pc, fl->pcn);
	return b;
}

/* A frame line not in the cache: fold it and remember the result. */
static void
frame_miss(struct fold *f, const struct foldsym_line *fl, const char *k,
	   size_t kn, uint64_t h, int leaf, int binary)
{
	size_t used = f->kcap - f->kpos, nf = f->nframes, vn;
	struct foldsym_line fx = *fl;
	int user, root;

	foldsym_fix_module(&fx);
	add_frame(f, &fx, leaf, binary);
	vn = f->kcap - f->kpos - used;
	user = vn && !foldsym_is_kernel(fx.mod, fx.modn) &&
	    !(fx.modn == 7 && !memcmp(fx.mod, "inlined", 7));
	root = user && is_root_fn(f->kbuf + f->kpos + 1, vn - 1);
	f->linfo = (uint32_t)(f->nframes - nf) << INFO_SHIFT |
	    (root ? INFO_ROOT : 0) | (user ? INFO_USER : 0) |
	    (f->skip_rest ? INFO_SKIP : 0);
	foldcache_put(&f->cache, k, kn, h, f->kbuf + f->kpos, vn, f->linfo);
}

/*
 * A frame line of the current sample, through the cache: a line seen
 * before costs a hash, a compare and a copy. The cache keeps what the
 * line turned into: its frames, how many, whether it is outside the
 * kernel and starts a call chain (for fold_depth) and whether
 * --skip-after matched.
 */
static inline __attribute__((always_inline)) void
frame_line(struct fold *f, const struct foldsym_line *fl)
{
	const char *k = f->o.flags & (FOLD_ADDRS | BIN_FLAGS) ? fl->pc : fl->fn;
	size_t kn = fl->mod + fl->modn - k, vn;
	uint64_t h, seed = f->is_java ? 0x9e3779b97f4a7c15ULL : 0;
	const struct foldcache_ent *e;
	unsigned b = 0;

	if (f->o.flags & (BIN_FLAGS | FOLD_LINES)) {
		b = frame_bin(f, fl);
		if (f->o.flags & BIN_FLAGS)
			seed ^= (b & BIN_LEAF ? 0xc2b2ae3d27d4eb4fULL : 0) ^
			    (b & BIN_PERFINL ? 0x165667b19e3779f9ULL : 0);
	}
	e = foldcache_get(&f->cache, k, kn, seed, &h);
	if (!e) {
		frame_miss(f, fl, k, kn, h, b & BIN_LEAF, b & BIN_NAME);
		return;
	}
	vn = e->vlen;
	if (vn > f->kpos)
		kbuf_grow(f, vn);
	f->kpos -= vn;
	memcpy(f->kbuf + f->kpos, foldcache_val(&f->cache, e), vn);
	f->nframes += e->info >> INFO_SHIFT;
	f->skip_rest = e->info & INFO_SKIP;
	f->linfo = e->info;
}

size_t
foldperf_event_base(const char *s, size_t n)
{
	const char *colon = memrchr(s, ':', n);
	size_t i;

	if (!colon || colon == s || colon + 1 == s + n)
		return n;
	for (i = colon + 1 - s; i < n; i++)
		if (!strchr("ukhIGHpPSDWeb", s[i]))
			return n;
	return colon - s;
}


static int
event_kept(struct fold *f, const struct foldsym_event *ev)
{
	size_t n;

	if (!ev->evn)
		return 1;
	n = foldperf_event_base(ev->ev, ev->evn);
	if (!f->event) {
		f->event = xmemdupz(ev->ev, n);
		f->event_len = n;
		return 1;
	}
	if (n == f->event_len && !memcmp(ev->ev, f->event, n))
		return 1;
	if (!f->warned[FOLD_W_FILTER]) {
		struct sbuf m = SBUF_INIT;

		sbuf_addf(&m, "dropping samples of event '%.*s': only '%s' "
			  "is kept (see --event-filter)", (int)ev->evn, ev->ev,
			  f->event);
		fold_warn_kind(f, FOLD_W_FILTER, m.buf);
		sbuf_release(&m);
	} else {
		f->counts[FOLD_W_FILTER]++;
	}
	return 0;
}

static void
start_event(struct fold *f, const struct foldsym_event *ev)
{
	size_t i;
	struct foldsym_line fl;

	foldperf_reset(f);
	f->in_event = 1;
	if (!event_kept(f, ev)) {
		f->dropped = 1;
		return;
	}
	f->period = ev->period;
	sbuf_reset(&f->pname);
	sbuf_grow(&f->pname, ev->commn + ev->pidn + ev->tidn + 2);
	for (i = 0; i < ev->commn; i++)
		f->pname.buf[i] = ev->comm[i] == ' ' ? '_' : ev->comm[i];
	sbuf_setlen(&f->pname, ev->commn);
	f->is_java = ev->commn == 4 && !memcmp(ev->comm, "java", 4);
	if (f->o.flags & FOLD_PID) {
		sbuf_addc(&f->pname, '-');
		sbuf_add(&f->pname, ev->pid, ev->pidn);
	}
	if (f->o.flags & FOLD_TID) {
		sbuf_addc(&f->pname, '/');
		sbuf_add(&f->pname, ev->tid, ev->tidn);
	}
	/* Without a call graph, perf puts the one frame on this line. */
	if (ev->restn && !foldsym_parse_frame(ev->rest, ev->restn, 1, &fl)) {
		if (f->o.flags & (BIN_FLAGS | FOLD_LINES)) {
			frame_line(f, &fl);
		} else {
			foldsym_fix_module(&fl);
			add_frame(f, &fl, 1, 0);
		}
		f->oneline = 1;
		foldperf_flush(f);
		f->oneline = 0;
	}
}

/*
 * Does the frame line p[0, n) stop inside its module, " (/path" without
 * the closing ')': a path with a newline in it, continued on the next
 * line? Only asked of lines that did not parse.
 */
static int
frame_cut(const char *p, size_t n)
{
	const char *o;

	if (!n || !is_space(p[0]))
		return 0;
	o = memrchr(p, '(', n);
	return o && o > p && o[-1] == ' ' && !memchr(o, ')', n - (o - p));
}

/*
 * The next line of a frame line cut by a newline in its module's path:
 * join them and fold the frame when it is whole. A module path may hold
 * a few newlines; a line still cut after FOLD_MAX_JOIN is dropped with a
 * warning.
 */
#define FOLD_MAX_JOIN 8

static void
frame_join(struct fold *f, const char *p, size_t n)
{
	struct foldsym_line fl;

	sbuf_addc(&f->join, '\n');
	sbuf_add(&f->join, p, n);
	if (!foldsym_parse_frame(f->join.buf, f->join.len, 0, &fl)) {
		if (!f->dropped && !f->skip_rest)
			frame_line(f, &fl);
	} else if (++f->njoin < FOLD_MAX_JOIN &&
		   frame_cut(f->join.buf, f->join.len)) {
		return;
	} else if (!f->dropped && !f->skip_rest) {
		fold_warn_kind(f, FOLD_W_STACK, "unrecognized frame line "
			       "skipped (further ones are not reported)");
	}
	sbuf_reset(&f->join);
	f->njoin = 0;
}

static void
frame_cut_start(struct fold *f, const char *p, size_t n)
{
	sbuf_reset(&f->join);
	sbuf_add(&f->join, p, n);
	f->njoin = 0;
}

void
foldperf_line(struct fold *f, const char *p, size_t n)
{
	struct foldsym_line fl;
	struct foldsym_event ev;

	if (!n) {
		foldperf_flush(f);
		return;
	}
	if (p[0] == '#')
		return;
	if (f->in_event) {
		if (f->join.len) {
			frame_join(f, p, n);
			return;
		}
		if (is_space(p[0]) && (f->dropped || f->skip_rest)) {
			if (frame_cut(p, n))
				frame_cut_start(f, p, n);
			return;
		}
		if (!foldsym_parse_frame(p, n, 0, &fl)) {
			if (!f->dropped && !f->skip_rest)
				frame_line(f, &fl);
			return;
		}
		if (frame_cut(p, n)) {
			frame_cut_start(f, p, n);
			return;
		}
		if (foldlines_is_src(p, n)) {
			/* perf script -F +srcline */
			if (f->o.flags & FOLD_LINES)
				foldlines_src(f, p, n);
			return;
		}
		/* A header without the blank line before it. */
		if (!is_space(p[0]) && !foldsym_parse_event(p, n, &ev)) {
			foldperf_flush(f);
			start_event(f, &ev);
			return;
		}
		fold_warn_kind(f, FOLD_W_STACK, "unrecognized frame line "
			       "skipped (further ones are not reported)");
		return;
	}
	if (!foldsym_parse_event(p, n, &ev)) {
		start_event(f, &ev);
		return;
	}
	if (foldlines_is_src(p, n))
		return;		/* a srcline after a frame on the header */
	fold_warn_kind(f, FOLD_W_EVENT, "unrecognized line outside a "
		       "sample skipped (further ones are not reported)");
}

