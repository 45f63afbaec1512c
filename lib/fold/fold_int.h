#ifndef PESQ_FOLD_INT_H
#define PESQ_FOLD_INT_H

/*
 * Internal to the fold module: the state shared by fold.c (inputs, the
 * format, folded lines) and foldperf.c (perf script samples).
 */
#include <stdint.h>

#include "fold/fold.h"
#include "debuginfo/elfaddr.h"
#include "fold/foldcache.h"
#include "base/sbuf.h"

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
	struct sbuf join;	/* a frame line cut by a newline in a path */
	int njoin;		/* lines joined into it */

	struct elfaddr *ea;	/* binaries read (FOLD_RESOLVE, FOLD_INLINE) */
	size_t nlines;		/* frame lines of the current sample */
	struct sbuf inl_pc;	/* pc of perf's last "(inlined)" frame */
	uint32_t linfo;		/* the cache's info word of the last line */
	int oneline;		/* the sample's frame is on its header */
	uint64_t depth_n, depth_user, depth_cut;
	struct sbuf cut_ex;
	uint64_t cut_votes, depth_ncut;

	struct stackmap lines;	/* "fn\0file\0line" -> count (FOLD_LINES) */
	struct sbuf leaf_mod, leaf_pc;	/* of the sample's leaf frame */
	struct sbuf leaf_src;	/* perf's srcline of the leaf frame */

	char *event;		/* the event type kept; NULL: none yet */
	size_t event_len;

	int warned[FOLD_W_NKINDS];
	uintmax_t counts[FOLD_W_NKINDS];
	struct sbuf err;

	char *rbuf;
	size_t rcap;
};

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

/* Hex digits s[0, n) (at most 16) into *v: 0, or -1. */
static inline int
fold_parse_hex(const char *s, size_t n, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (!n || n > 16)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return -1;
		*v = *v << 4 | c;
	}
	return 0;
}

/*
 * Count a warning of kind; report it through opts.warn the first time.
 * Inline so that foldperf.c, which fold.c calls, never calls back into
 * fold.c.
 */
static inline void
fold_warn_kind(struct fold *f, enum fold_warn kind, const char *msg)
{
	f->counts[kind]++;
	if (f->warned[kind])
		return;
	f->warned[kind] = 1;
	if (f->o.warn)
		f->o.warn(f->o.warn_ctx, kind, f->name, f->lineno, msg);
}

/*
 * An event's name without perf's modifiers (cycles:u, cpu-clock:ppp): the
 * length of its base in s[0, n).
 */
size_t foldperf_event_base(const char *s, size_t n);

/* One line of perf script text, without its line end. */
void foldperf_line(struct fold *f, const char *p, size_t n);

/* Is p[0, n) a source line perf script -F +srcline puts after a frame? */
int foldlines_is_src(const char *p, size_t n);

/* Keep a srcline line of the current sample (only the leaf's is used). */
void foldlines_src(struct fold *f, const char *p, size_t n);

/* Keep the module and address of the sample's leaf frame line. */
struct foldsym_line;
void foldlines_leaf(struct fold *f, const struct foldsym_line *fl);

/* The sample ends with weight w: count its leaf's source line. */
void foldlines_sample(struct fold *f, uint64_t w);

/* Forget the current sample, counting nothing. */
void foldperf_reset(struct fold *f);

/* End the current sample: count its stack, if any. */
void foldperf_flush(struct fold *f);

#endif
