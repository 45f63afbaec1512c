/*
 * The fold module: inputs, format detection, folded lines; perf script
 * samples are in foldperf.c. See fold.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fold/fold_int.h"
#include "fold/foldsym.h"
#include "base/xalloc.h"

#define RBUF_SIZE (1 << 20)

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
	sbuf_init(&f->join, 0);
	sbuf_init(&f->inl_pc, 0);
	sbuf_init(&f->cut_ex, 0);
	sbuf_init(&f->leaf_mod, 0);
	sbuf_init(&f->leaf_pc, 0);
	sbuf_init(&f->leaf_src, 0);
	sbuf_init(&f->err, 128);
	f->kcap = f->kpos = 8192;
	f->kbuf = xmalloc(f->kcap);
	if (opts->event_filter) {
		f->event_len = foldperf_event_base(opts->event_filter,
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
	sbuf_release(&f->join);
	sbuf_release(&f->inl_pc);
	sbuf_release(&f->cut_ex);
	sbuf_release(&f->leaf_mod);
	sbuf_release(&f->leaf_pc);
	sbuf_release(&f->leaf_src);
	stackmap_release(&f->lines);
	elfaddr_free(f->ea);
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

void
fold_depth(const struct fold *f, struct fold_depth *d)
{
	d->n = f->depth_n;
	d->user = f->depth_user;
	d->cut = f->depth_cut;
	d->example = f->cut_ex.len ? f->cut_ex.buf : NULL;
}

/* Is the frame s[0, n) the name of an unnamed address of base? */
static int
unnamed_of(const char *s, size_t n, const char *base, size_t bn)
{
	if (n < bn + 2 || s[0] != '[' || memcmp(s + 1, base, bn))
		return 0;
	return n == bn + 2 ? s[n - 1] == ']' : s[bn + 1] == ' ';
}

int
fold_unnamed(struct fold *f, size_t i, struct fold_unnamed *u)
{
	enum elfaddr_why why;
	const char *base, *sl;
	size_t k, bn;

	memset(u, 0, sizeof(*u));
	if (!f->ea || !(u->path = elfaddr_file(f->ea, i, &u->addrs, &why)))
		return -1;
	u->why = why;
	u->why_str = elfaddr_why_str(why);
	u->dwarf = elfaddr_has_dwarf(f->ea, i);
	sl = strrchr(u->path, '/');
	base = sl ? sl + 1 : u->path;
	bn = strlen(base);
	for (k = 0; k < f->map.n; k++) {
		const struct stackmap_ent *e = &f->map.ent[k];
		const char *s = stackmap_key(&f->map, e);
		const char *semi = memrchr(s, ';', e->len);
		size_t b = semi ? (size_t)(semi - s) + 1 : 0;

		u->all += e->count;
		if (u->addrs && unnamed_of(s + b, e->len - b, base, bn))
			u->leaf += e->count;
	}
	return 0;
}

int
fold_write(struct fold *f, FILE *out)
{
	stackmap_sort(&f->map);
	return stackmap_write(&f->map, out);
}

static void
input_error(struct fold *f, const char *msg)
{
	sbuf_reset(&f->err);
	sbuf_addf(&f->err, "%s:%ju: %s", f->name, f->lineno, msg);
	f->failed = 1;
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
			fold_warn_kind(f, FOLD_W_FOLDED, "not a folded stack "
				       "line ('frame;frame count'), skipped "
				       "(further ones are not reported)");
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
		fold_warn_kind(f, FOLD_W_OVERFLOW,
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
		foldperf_line(f, p, n);
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
	foldperf_reset(f);
}

static int
end_input(struct fold *f)
{
	if (f->failed) {
		foldperf_reset(f);
		return FOLD_EINPUT;
	}
	foldperf_flush(f);
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
