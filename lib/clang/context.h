#ifndef PESQ_CONTEXT_H
#define PESQ_CONTEXT_H

#include <stddef.h>

#include <clang-c/Index.h>

#include "clang/cparse.h"
#include "source/gitsrc.h"
#include "base/sbuf.h"

/*
 * The context of a function definition found by cparse: what it uses
 * (types, callees, globals, macros, read from libclang's AST of the
 * translation unit that holds it) and who calls it (read from the text of
 * every file of the snapshot). Internal to pesq-deps; cparse.c drives it.
 */

/* Where a cursor's extent lies in a file of the snapshot. */
struct context_loc {
	struct gitsrc_file *f;	/* NULL: outside the repository */
	CXFile file;
	unsigned start, end;	/* byte offsets, end exclusive */
	unsigned line;
	char *path;		/* the file's name as libclang gives it */
};

/*
 * Fill loc for c's extent (expansion locations). Returns 0, or -1 when the
 * cursor has no location in a file. loc->path is owned by loc: release it
 * with context_loc_release.
 */
int context_locate(const struct gitsrc *gs, CXCursor c, struct context_loc *loc);
void context_loc_release(struct context_loc *loc);

/* Qualified name of a declaration ("ns::Class::method"), into out. */
void context_qualname(CXCursor c, struct sbuf *out);

/* Offset of the body ('{') of a function definition, or end when none. */
unsigned context_body_start(CXCursor fn, const struct context_loc *loc);

/*
 * A definition chosen by cparse: the function's cursor in tu, its file
 * and [start, end) after extending the start back over its specifiers.
 */
struct context_def {
	CXTranslationUnit tu;
	CXCursor cur;
	struct gitsrc_file *f;
	unsigned start, end;
	const char *qual;	/* qualified name */
	const char *word;	/* its last component */
	int is_static;		/* internal linkage: callers in f only */
	int is_member;		/* a C++ method: calls may follow '.' */
};

/*
 * A hot child of a parent record, whose definition is written in full to
 * ctx.callees: found by cparse in another translation unit when need be.
 */
struct context_child {
	const char *name;	/* as the record gives it */
	const char *word;	/* last component of the normalised name */
	struct gitsrc_file *f;	/* NULL: not found */
	unsigned start, end;
};

/*
 * Write the "ctx" object for def to out: types, callees, callers,
 * globals, macros, then flags (nflags strings), flags_guessed, flags_from
 * (where they come from: see cflags_args), tu (the
 * repository path of the parsed file) and diagnostics (error count).
 */
void context_write(const struct gitsrc *gs, const struct cparse_opts *opts,
		const struct context_def *def, const struct context_child *child,
		char *const *flags, size_t nflags, const char *from,
		const char *tu_path, struct sbuf *out);

/*
 * Write to j the "callers" array of def: call sites across the snapshot
 * (only def's own file for a static function), found in the text, at
 * most o->max_callers, each caller's code whole or, above
 * o->caller_limit bytes, as an excerpt around the call. Used by
 * context_write.
 */
struct jw;
void context_write_callers(struct jw *j, const struct gitsrc *gs,
			const struct cparse_opts *o,
			const struct context_def *def);

#endif
