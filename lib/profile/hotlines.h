#ifndef PESQ_HOTLINES_H
#define PESQ_HOTLINES_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

#include "base/hmap.h"

/*
 * The source lines that hold each function's samples, as pesq-fold
 * --lines writes them: JSON lines {"fn", "file", "line", "count"}. Read
 * into a map from the function's name to its lines, heaviest first (ties
 * by file, then line), the counts of a function, file and line given
 * twice summed. pesq-hot puts them into its records as hot.lines.
 * Allocation failure is fatal; nothing here prints or exits.
 */
struct hotline {
	char *file;
	unsigned long line;
	uint64_t count;
};

struct hotlines {
	struct hmap fns;	/* name -> struct hotline_list */
	int sorted;
};

#define HOTLINES_INIT { HMAP_INIT, 0 }

/*
 * Read the lines of fp (named name in messages). A line that is not such
 * an object is skipped and reported through bad(arg, lineno, why), why a
 * message owned by the reader. Returns 0, or -1 on a read error (errno
 * set).
 */
int hotlines_read(struct hotlines *hl, FILE *fp, const char *name,
		  void (*bad)(void *arg, unsigned long lineno,
			      const char *why),
		  void *arg);

/*
 * The lines of the function name[0, n), heaviest first, and their number
 * in *count (0 and NULL when it has none). Owned by hl.
 */
const struct hotline *hotlines_get(struct hotlines *hl, const char *name,
				   size_t n, size_t *count);

void hotlines_release(struct hotlines *hl);

#endif
