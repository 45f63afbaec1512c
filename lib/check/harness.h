#ifndef PESQ_HARNESS_H
#define PESQ_HARNESS_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * The text of a differential check's program (see pesq-check(5)): the
 * translation unit that defines F, then a copy of F's original
 * definition renamed pesq_orig_F, then the check, which defines
 * LLVMFuzzerTestOneInput. And the compiler flags it is built with, from
 * the ones pesq-deps recorded. Pure functions on text; no I/O.
 */

/* The name the original gets: "pesq_orig_" and the bare name. */
void harness_orig_name(const char *fn, struct sbuf *out);

/*
 * Copy code[0..n) to out (appending) with every whole identifier `from`
 * outside comments and string and character literals replaced by `to`:
 * the definition's own name and its recursive calls alike.
 */
void harness_rename(const char *code, size_t n, const char *from,
		    const char *to, struct sbuf *out);

struct harness_parts {
	const char *fn;		/* the bare name, F */
	const char *file;	/* repo-relative path of the unit, for #line */
	const char *unit;	/* the unit's text (candidate's or base's) */
	size_t unit_len;
	const char *orig;	/* F's original definition */
	long orig_line;		/* its first line in the base's file */
	const char *check;	/* the check's source */
	const char *check_name;	/* where it comes from, for #line */
	int cxx;		/* C++: LLVMFuzzerTestOneInput is extern "C" */
};

/*
 * The program's source into out (appending): the unit, the renamed
 * original (static when the original is a C99 inline definition, which
 * would emit no symbol), the declarations the contract promises (stdint,
 * stddef, LLVMFuzzerTestOneInput), and the check, each behind a #line
 * directive so that reports name the real files.
 */
void harness_source(const struct harness_parts *p, struct sbuf *out);

/* A growable argument vector, NULL-terminated. */
struct harness_argv {
	char **v;
	size_t n, cap;
};

void harness_argv_push(struct harness_argv *a, const char *s);
void harness_argv_release(struct harness_argv *a);

/*
 * The flags from pesq-deps's ctx.flags (nflags strings) that matter for
 * building the unit again: macros, include paths, language standard,
 * -f and -m options (not sanitizers, coverage, optimization, warnings,
 * diagnostics or output options), pushed onto out. A path under
 * from_root (the repository's work tree, as pesq-deps saw it; may be
 * NULL) is moved under to_root (the worktree the unit is built in);
 * relative paths are read from -working-directory when given.
 */
void harness_flags(char *const *flags, size_t nflags, const char *from_root,
		   const char *to_root, struct harness_argv *out);

#endif
