#ifndef PESQ_CFLAGS_H
#define PESQ_CFLAGS_H

#include <stddef.h>

#include "source/gitsrc.h"
#include "base/sbuf.h"

/*
 * Compile flags for parsing a file of a gitsrc snapshot with libclang,
 * from the first of:
 *
 * - compile_commands.json (in the build directory given, else the
 *   repository root, else root/build), read through libclang;
 * - the output of a dry run of the build (`make -n -B -w`, see
 *   makelog.h);
 * - a guess: -I for each directory that holds headers, the language from
 *   the file's extension.
 *
 * Commands made in another checkout of the same sources (pesq's profile
 * worktree, a build directory of another clone) are moved to the
 * snapshot's root: a command's file "/else/where/lib/a.c" is the
 * snapshot's "lib/a.c" when that is the longest tail that names a file
 * of the snapshot, and "/else/where" in its directory and in path
 * arguments (-I/else/where/inc) becomes the root where the path names
 * sources of the snapshot (a directory only the build made, with
 * generated headers, stays where it is). The arguments exclude
 * the compiler, the input file, -c, -o and dependency-file options, and
 * end with pesq's own (-ferror-limit=0, -w, and -working-directory when
 * the command gives a directory).
 */
struct cflags;

struct cflags_args {
	char **v;		/* owned strings */
	size_t n, cap;
	const char *from;	/* "compile_commands.json" (or the label
				   given), "make -n", or "guessed" */
};

/*
 * Look for the compile commands and prepare to answer for files of gs,
 * which must outlive the result: build_dir (may be NULL) as above;
 * makelog (may be NULL) a file holding a make dry run, read when no
 * database is found; label (may be NULL) what a database's answers are
 * called in cflags_args.from. extra (n_extra strings, copied) is
 * appended to every answer. Returns NULL with a message in err (reset
 * first) when makelog cannot be read; no database means guessing.
 */
struct cflags *cflags_open(const struct gitsrc *gs, const char *build_dir,
			   const char *makelog, const char *label,
			   char *const *extra, size_t n_extra,
			   struct sbuf *err);
void cflags_free(struct cflags *cf);

/*
 * What the answers come from, for people: the database's path, "make -n
 * output in FILE", or NULL when guessing. Then the number of source
 * files the commands cover.
 */
const char *cflags_source(const struct cflags *cf);
size_t cflags_count(const struct cflags *cf);

/* Is there a compilation database (as opposed to a make log or none)? */
int cflags_database(const struct cflags *cf);

/* Fill out (reset first) with the arguments for parsing f. */
void cflags_for(struct cflags *cf, const struct gitsrc_file *f,
		struct cflags_args *out);

void cflags_args_release(struct cflags_args *a);

#endif
