#ifndef PESQ_CPARSE_H
#define PESQ_CPARSE_H

#include <stddef.h>

#include "clang/cflags.h"
#include "source/gitsrc.h"
#include "base/sbuf.h"

/*
 * Finding a function's definition with libclang, in the sources of one
 * commit (a gitsrc snapshot handed to libclang as unsaved files), and the
 * context a model needs to rewrite it: types, callees, callers, globals,
 * macros. Translation units are parsed only when their text names the
 * function (see cscan.h), and kept for later queries of the same run.
 */
struct cparse;

struct binsrc;

struct cparse_opts {
	size_t callee_limit;	/* bytes: static callees shorter are shown */
	size_t caller_limit;	/* bytes: callers longer are excerpted */
	size_t max_callers;	/* call sites listed */
	size_t max_tus;		/* parsed translation units kept */
	struct binsrc *bin;	/* the profiled binaries, or NULL: ties
				   between files are broken by what they
				   were built from (debuginfo/binsrc.h) */
};

/*
 * A query: the function as perf names it, the names on its heaviest chain
 * (root first; may be empty) or its callers, used to tell apart static
 * functions of the same name, and for a parent record the hot child whose
 * definition is shown in full.
 */
struct cparse_line {
	const char *file;		/* as perf printed it */
	unsigned long line;
	double count;
};

struct cparse_query {
	const char *fn;
	const char *const *callers;	/* nearest first */
	size_t ncallers;
	const char *child;		/* or NULL */
	const struct cparse_line *lines;	/* hot.lines, or NULL */
	size_t nlines;
};

enum {
	CPARSE_OK = 0,
	CPARSE_MISSING = -1,	/* no definition in the repository */
	CPARSE_AMBIGUOUS = -2,	/* several, and the chain cannot decide */
	CPARSE_FAILED = -3,	/* libclang could not parse */
};

/*
 * A context over gs and cf (both must outlive it; neither is freed by
 * it). Allocation failure is fatal; nothing else can fail here.
 */
struct cparse *cparse_new(struct gitsrc *gs, struct cflags *cf,
			  const struct cparse_opts *opts);
void cparse_free(struct cparse *cp);

/*
 * Find q's definition and write the JSON objects "def" and "ctx" (see
 * pesq-deps(1)) to def and ctx (appended). def gets hot_lines when
 * q->lines holds lines of the definition's file inside it. Returns CPARSE_OK, or one of
 * the negative codes with a one-line message in err (reset first) and
 * nothing appended.
 */
int cparse_extract(struct cparse *cp, const struct cparse_query *q,
		   struct sbuf *def, struct sbuf *ctx, struct sbuf *err);

#endif
