#ifndef PESQ_FOLD_INT_H
#define PESQ_FOLD_INT_H

/*
 * Internal to the fold module: the state shared by fold.c (inputs, the
 * format, folded lines) and foldperf.c (perf script samples).
 */
#include <stdint.h>

#include "fold/fold.h"
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

/* Forget the current sample, counting nothing. */
void foldperf_reset(struct fold *f);

/* End the current sample: count its stack, if any. */
void foldperf_flush(struct fold *f);

#endif
