#ifndef PESQ_CFLAGS_H
#define PESQ_CFLAGS_H

#include <stddef.h>

#include "source/gitsrc.h"

/*
 * Compile flags for parsing a file of a gitsrc snapshot with libclang:
 * from compile_commands.json when there is one (in the build directory
 * given, else the repository root, else root/build), otherwise guessed:
 * -I for each directory that holds headers, the language from the file's
 * extension. The arguments exclude the compiler, the input file, -c, -o
 * and dependency-file options, and end with pesq's own (-ferror-limit=0,
 * -w, and -working-directory when the database gives a directory).
 */
struct cflags;

struct cflags_args {
	char **v;		/* owned strings */
	size_t n, cap;
	int guessed;		/* 1 when no database entry was used */
};

/*
 * Look for a compilation database (build_dir may be NULL) and prepare to
 * answer for files of gs, which must outlive the result. Never fails: no
 * database means guessing. extra (n_extra strings, copied) is appended to
 * every answer.
 */
struct cflags *cflags_open(const struct gitsrc *gs, const char *build_dir,
			   char *const *extra, size_t n_extra);
void cflags_free(struct cflags *cf);

/* Path of the database in use, or NULL when guessing. */
const char *cflags_database(const struct cflags *cf);

/* Fill out (reset first) with the arguments for parsing f. */
void cflags_for(struct cflags *cf, const struct gitsrc_file *f,
		struct cflags_args *out);

void cflags_args_release(struct cflags_args *a);

#endif
