#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fold.h"
#include "foldcache.h"
#include "foldsym.h"
#include "sbuf.h"
#include "xalloc.h"

/*
 * The collapser's state. A sample's frames arrive leaf first and are
 * written backwards into kbuf (each preceded by ';'), so that when the
 * sample ends the key is already in root-first order: only the root
 * frame (pname) is put in front before it is counted.
 */
struct fold {
	struct fold_opts o;
	struct stackmap map;
	struct foldcache cache;

	const char *name;	/* current input */
	uintmax_t lineno;
	enum fold_format fmt;	/* of the current input */
	int failed;

	int in_event, dropped, skip_rest, is_java;
	size_t nframes;
	uint64_t period;
	struct sbuf pname;
	char *kbuf;
	size_t kcap, kpos;
	struct sbuf tmp;	/* scratch for [unknown] and Rust names */
	struct sbuf tidy;	/* scratch for tidied names */
	struct sbuf rust;	/* scratch for demangled Rust names */

	char *event;		/* the event type kept; NULL: none yet */
	size_t event_len;

	int warned[FOLD_W_NKINDS];
	uintmax_t counts[FOLD_W_NKINDS];
	struct sbuf err;

	char *rbuf;
	size_t rcap;
};

#define RBUF_SIZE (1 << 20)

static inline int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static inline int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * An event's name without perf's modifiers (cycles:u, cpu-clock:ppp):
 * the same event counted in other modes is the same type of sample.
 */
static size_t
event_base(const char *s, size_t n)
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

struct fold *
fold_new(const struct fold_opts *opts)
{
	struct fold *f = xcalloc(1, sizeof(*f));

	f->o = *opts;
	if (f->o.flags & FOLD_TID)
		f->o.flags |= FOLD_PID;
	sbuf_init(&f->pname, 64);
	sbuf_init(&f->tmp, 256);
	sbuf_init(&f->tidy, 256);
	sbuf_init(&f->rust, 256);
	sbuf_init(&f->err, 128);
	f->kcap = f->kpos = 8192;
	f->kbuf = xmalloc(f->kcap);
	if (opts->event_filter) {
		f->event_len = event_base(opts->event_filter,
					  strlen(opts->event_filter));
		f->event = xmemdupz(opts->event_filter, f->event_len);
	}
	return f;
}

void
fold_free(struct fold *f)
{
	if (!f)
		return;
	stackmap_release(&f->map);
	foldcache_release(&f->cache);
	sbuf_release(&f->pname);
	sbuf_release(&f->tmp);
	sbuf_release(&f->tidy);
	sbuf_release(&f->rust);
	sbuf_release(&f->err);
	free(f->kbuf);
	free(f->event);
	free(f->rbuf);
	free(f);
}

const char *
fold_error(const struct fold *f)
{
	return f->err.buf;
}

uintmax_t
fold_count(const struct fold *f, enum fold_warn kind)
{
	return f->counts[kind];
}

struct stackmap *
fold_stacks(struct fold *f)
{
	return &f->map;
}

int
fold_write(struct fold *f, FILE *out)
{
	stackmap_sort(&f->map);
	return stackmap_write(&f->map, out);
}

static void
warn_kind(struct fold *f, enum fold_warn kind, const char *msg)
{
	f->counts[kind]++;
	if (f->warned[kind])
		return;
	f->warned[kind] = 1;
	if (f->o.warn)
		f->o.warn(f->o.warn_ctx, kind, f->name, f->lineno, msg);
}

static void
input_error(struct fold *f, const char *msg)
{
	sbuf_reset(&f->err);
	sbuf_addf(&f->err, "%s:%ju: %s", f->name, f->lineno, msg);
	f->failed = 1;
}

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

static void
reset_sample(struct fold *f)
{
	f->in_event = f->dropped = f->skip_rest = 0;
	f->nframes = 0;
	f->kpos = f->kcap;
}

/* End of a sample: count its stack. */
static void
flush(struct fold *f)
{
	const char *key;
	size_t len;

	if (f->in_event && !f->dropped) {
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
		stackmap_add(&f->map, key, len,
			     f->o.flags & FOLD_SAMPLES ? 1 : f->period);
		if (f->map.overflow && !f->warned[FOLD_W_OVERFLOW])
			warn_kind(f, FOLD_W_OVERFLOW,
				  "a count passed 2^64-1 and was capped");
	}
	reset_sample(f);
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

/* A parsed frame line of the current sample. */
static void
add_frame(struct fold *f, const struct foldsym_line *fl)
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
 * A frame line of the current sample, through the cache: a line seen
 * before costs a hash, a compare and a copy.
 */
static void
frame_line(struct fold *f, const struct foldsym_line *fl)
{
	const char *k = f->o.flags & FOLD_ADDRS ? fl->pc : fl->fn;
	size_t kn = fl->mod + fl->modn - k, used, vn;
	uint64_t h, seed = f->is_java ? 0x9e3779b97f4a7c15ULL : 0;
	const struct foldcache_ent *e;
	size_t nf = f->nframes;

	e = foldcache_get(&f->cache, k, kn, seed, &h);
	if (e) {
		vn = e->vlen;
		if (vn > f->kpos)
			kbuf_grow(f, vn);
		f->kpos -= vn;
		memcpy(f->kbuf + f->kpos, foldcache_val(&f->cache, e), vn);
		f->nframes += e->info >> 1;
		f->skip_rest = e->info & 1;
		return;
	}
	used = f->kcap - f->kpos;
	add_frame(f, fl);
	vn = f->kcap - f->kpos - used;
	foldcache_put(&f->cache, k, kn, h, f->kbuf + f->kpos, vn,
		      (uint32_t)(f->nframes - nf) << 1 | f->skip_rest);
}

static int
event_kept(struct fold *f, const struct foldsym_event *ev)
{
	size_t n;

	if (!ev->evn)
		return 1;
	n = event_base(ev->ev, ev->evn);
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
		warn_kind(f, FOLD_W_FILTER, m.buf);
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

	reset_sample(f);
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
		add_frame(f, &fl);
		flush(f);
	}
}

static void
perf_line(struct fold *f, const char *p, size_t n)
{
	struct foldsym_line fl;
	struct foldsym_event ev;

	if (!n) {
		flush(f);
		return;
	}
	if (p[0] == '#')
		return;
	if (f->in_event) {
		if (is_space(p[0]) && (f->dropped || f->skip_rest))
			return;
		if (!foldsym_parse_frame(p, n, 0, &fl)) {
			if (!f->dropped && !f->skip_rest)
				frame_line(f, &fl);
			return;
		}
		/* A header without the blank line before it. */
		if (!is_space(p[0]) && !foldsym_parse_event(p, n, &ev)) {
			flush(f);
			start_event(f, &ev);
			return;
		}
		warn_kind(f, FOLD_W_STACK, "unrecognized frame line skipped "
			  "(further ones are not reported)");
		return;
	}
	if (!foldsym_parse_event(p, n, &ev)) {
		start_event(f, &ev);
		return;
	}
	warn_kind(f, FOLD_W_EVENT, "unrecognized line outside a sample "
		  "skipped (further ones are not reported)");
}

/* "stack count": the length of the stack, or -1. */
static long long
parse_folded(const char *p, size_t n, uint64_t *count)
{
	size_t k = n, d;
	uint64_t v = 0;

	while (k > 0 && is_digit(p[k - 1]))
		k--;
	if (k == n || k < 2 || !is_space(p[k - 1]))
		return -1;
	for (d = k; d < n; d++) {
		unsigned x = p[d] - '0';

		if (v > (UINT64_MAX - x) / 10)
			return -1;
		v = v * 10 + x;
	}
	*count = v;
	return (long long)k - 1;
}

static void
folded_line(struct fold *f, const char *p, size_t n)
{
	uint64_t count;
	long long len;
	const char *const *sa;

	if (!n)
		return;
	len = parse_folded(p, n, &count);
	if (len < 0) {
		if (p[0] != '#')
			warn_kind(f, FOLD_W_FOLDED, "not a folded stack line "
				  "('frame;frame count'), skipped (further "
				  "ones are not reported)");
		return;
	}
	/* --skip-after: the frame nearest the leaf becomes the root. */
	for (sa = f->o.skip_after; sa && *sa; sa++) {
		size_t sn = strlen(*sa), e = len, b;

		while (e > 0) {
			const char *semi = memrchr(p, ';', e);

			b = semi ? (size_t)(semi - p) + 1 : 0;
			if (e - b == sn && !memcmp(p + b, *sa, sn)) {
				p += b;
				len -= b;
				goto found;
			}
			e = b ? b - 1 : 0;
		}
	}
found:
	stackmap_add(&f->map, p, len, f->o.flags & FOLD_SAMPLES ? 1 : count);
	if (f->map.overflow && !f->warned[FOLD_W_OVERFLOW])
		warn_kind(f, FOLD_W_OVERFLOW,
			  "a count passed 2^64-1 and was capped");
}

static void
detect(struct fold *f, const char *p, size_t n)
{
	struct foldsym_event ev;
	uint64_t c;

	if (!n || p[0] == '#')
		return;
	if (parse_folded(p, n, &c) >= 0)
		f->fmt = FOLD_FOLDED;
	else if (!foldsym_parse_event(p, n, &ev) && ev.evn)
		f->fmt = FOLD_PERF;
	else
		input_error(f, "unrecognized input: neither 'perf script' "
			    "output nor folded stacks");
}

static inline void
one_line(struct fold *f, const char *p, size_t n)
{
	while (n && is_space(p[n - 1]))
		n--;
	if (f->fmt == FOLD_PERF) {
		perf_line(f, p, n);
	} else if (f->fmt == FOLD_FOLDED) {
		folded_line(f, p, n);
	} else {
		detect(f, p, n);
		if (f->fmt != FOLD_AUTO)
			one_line(f, p, n);
	}
}

/* Complete lines in [p, end), end just past a '\n'. */
static void
lines(struct fold *f, const char *p, const char *end)
{
	while (p < end && !f->failed) {
		const char *nl = memchr(p, '\n', end - p);

		f->lineno++;
		one_line(f, p, nl - p);
		p = nl + 1;
	}
}

static void
begin_input(struct fold *f, const char *name)
{
	f->name = name;
	f->lineno = 0;
	f->fmt = f->o.format;
	f->failed = 0;
	reset_sample(f);
}

static int
end_input(struct fold *f)
{
	if (f->failed) {
		reset_sample(f);
		return FOLD_EINPUT;
	}
	flush(f);
	return 0;
}

/* Lines of buf[0, len) up to a NUL byte, which fails the input. */
static size_t
chunk(struct fold *f, const char *buf, size_t len, int last)
{
	const char *z = memchr(buf, '\0', len), *end;

	const char *nl;

	end = z ? z : buf + len;
	nl = memrchr(buf, '\n', end - buf);
	end = nl ? nl + 1 : buf;
	lines(f, buf, end);
	if (z && !f->failed) {
		f->lineno++;
		input_error(f, "binary data (a NUL byte): not profiler text "
			    "(for perf.data, run 'perf script' first)");
	}
	if (last && !z && end < buf + len && !f->failed) {
		f->lineno++;
		one_line(f, end, buf + len - end);
		end = buf + len;
	}
	return end - buf;
}

int
fold_mem(struct fold *f, const char *buf, size_t len, const char *name)
{
	begin_input(f, name);
	chunk(f, buf, len, 1);
	return end_input(f);
}

int
fold_fd(struct fold *f, int fd, const char *name)
{
	size_t have = 0, used;
	ssize_t r;

	begin_input(f, name);
	if (!f->rbuf) {
		f->rcap = RBUF_SIZE;
		f->rbuf = xmalloc(f->rcap);
	}
	for (;;) {
		int eof = 0;

		if (have == f->rcap) {
			/* A line longer than the buffer. */
			f->rcap *= 2;
			f->rbuf = xrealloc(f->rbuf, f->rcap);
		}
		while (have < f->rcap) {
			r = read(fd, f->rbuf + have, f->rcap - have);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return -1;
			if (r == 0) {
				eof = 1;
				break;
			}
			have += r;
		}
		used = chunk(f, f->rbuf, have, eof);
		if (f->failed)
			return end_input(f);
		have -= used;
		memmove(f->rbuf, f->rbuf + used, have);
		if (eof)
			break;
	}
	if (f->rcap > RBUF_SIZE) {
		/* Do not keep one long line's memory for the next input. */
		free(f->rbuf);
		f->rbuf = NULL;
	}
	return end_input(f);
}
