#ifndef PESQ_GITSRC_H
#define PESQ_GITSRC_H

#include <stddef.h>

#include "base/hmap.h"
#include "base/sbuf.h"

/*
 * The C and C++ sources of one commit, read from git objects with libgit2
 * (never from the working tree, which may be dirty). Each file has a
 * repository-relative path, an absolute path under root (the repository's
 * working directory, or a made-up directory inside a bare repository)
 * under which the content is handed to the compiler, its blob id, and its
 * content as of the commit.
 */
struct gitsrc_file {
	char *path;		/* repository-relative, '/'-separated */
	char *abspath;		/* root + path */
	char blob[41];		/* hex blob id */
	char *data;		/* content, NUL-terminated */
	size_t len;
	int is_header;		/* .h, .hpp, ...: not a translation unit */
	int is_cxx;		/* C++ by its extension (.cc, .cpp, .hpp ...) */
};

struct gitsrc {
	char *root;		/* absolute, ends with '/' */
	char *gitdir;		/* absolute, ends with '/' */
	char commit[41];	/* hex commit id of rev */
	struct gitsrc_file *files;	/* sorted by path */
	size_t nfiles;
	struct hmap byabs;	/* abspath -> struct gitsrc_file * */
	int has_cxx;		/* some .cc/.cpp/... file exists */
	int best_missing;	/* pesq/best was asked for (or the default)
				   and does not exist: HEAD was read */
};

/*
 * Open the repository containing dir (searching upwards, like git) and
 * read every C or C++ source or header of the tree of rev (a revision as
 * git rev-parse takes it; NULL means pesq/best). When rev is pesq/best
 * (or NULL) and that branch does not exist yet, HEAD is read and
 * best_missing set. Returns a snapshot the caller frees with gitsrc_free,
 * or NULL with a message in err (no repository, unknown revision,
 * unreadable object).
 */
struct gitsrc *gitsrc_open(const char *dir, const char *rev,
			   struct sbuf *err);

void gitsrc_free(struct gitsrc *gs);

/* The file at an absolute path (as handed to the compiler), or NULL. */
struct gitsrc_file *gitsrc_by_abspath(const struct gitsrc *gs,
				      const char *abspath);

/* The file at a repository-relative path, or NULL. */
struct gitsrc_file *gitsrc_by_path(const struct gitsrc *gs,
				   const char *path);

/*
 * Does the name end with an extension of C or C++ code? Sets *header and
 * *cxx (either may be NULL) for a recognised name.
 */
int gitsrc_is_source(const char *name, int *header, int *cxx);

#endif
