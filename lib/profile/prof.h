#ifndef PESQ_PROF_H
#define PESQ_PROF_H

#include <stddef.h>
#include <stdint.h>

#include "base/hmap.h"
#include "base/sbuf.h"

/*
 * A profile aggregated from folded stacks ("a;b;c 123": frames root
 * first, separated by ';', the count after the last space). Frames are
 * interned; a frame's function is the frame less a trailing "_[k]",
 * "_[j]" or "_[i]" annotation. The stacks are kept as a prefix tree of
 * functions in which adjacent repeats (direct recursion) are collapsed,
 * so memory is proportional to the distinct stacks, not to the input.
 *
 * After prof_finish, for each function: self (the stacks ending in it),
 * total (the stacks containing it, once per stack however often it
 * recurs), the heaviest root-to-function path, and call edges weighted
 * by the stacks containing them (once per stack).
 *
 * Lines that share a prefix of frames with the line before (as sorted
 * collapser output does) only cost the frames after that prefix. Lines
 * are put in the tree a few lines after they are read, so that the
 * memory of their nodes can be fetched meanwhile; prof_flush puts the
 * rest in.
 *
 * Nothing here prints or exits; allocation failure is fatal (xalloc.h).
 * Ids are uint32_t indices into the arrays below; node 0 is the root.
 */

#define PROF_NONE UINT32_MAX

struct prof_frame {
	const char *name;	/* as in the input, NUL-terminated */
	uint32_t len;
	uint32_t fn;
	uint32_t hash;
};

struct prof_fn {
	const char *name;	/* annotation stripped, NUL-terminated */
	uint32_t len;
	uint32_t best;		/* node ending the heaviest chain, or 0 */
	uint64_t self, total;
	uint32_t inpath;	/* occurrences on the current path */
	unsigned nonroot : 1;	/* below the root of a stack (after finish) */
	unsigned plain : 1;	/* some frame of it has no "_[k]" */
	unsigned annotated : 1;	/* some frame of it differs from name */
};

struct prof_edge {
	uint32_t from, to;	/* function ids */
	uint32_t inpath;
	uint64_t count;
	uint64_t inl;		/* of count: where "to" was inlined ("_[i]") */
};

#define PROF_FIRST_FN 1u	/* first occurrence of fn on its path */
#define PROF_FIRST_EDGE 2u	/* first occurrence of the edge into it */

/*
 * Nodes are made after their parents: node[i].parent < i. The edge into
 * a node is the one from its parent's function to its own (prof_edge_get).
 */
struct prof_node {
	uint32_t parent;
	unsigned fn : 29;	/* function ids stay below PROF_MAX_FN */
	unsigned flags : 2;
	unsigned inl : 1;	/* its frame was an inlined one ("_[i]") */
	uint64_t w;		/* stacks ending here; after finish: through */
};

#define PROF_MAX_FN (1u << 29)

struct prof_link {
	uint32_t fn;
	uint64_t count;
};

/* A function on the stack of a line read. */
struct prof_lvl {
	uint32_t fn;
	uint32_t inl;		/* its frame was marked "_[i]" */
	size_t first_end;	/* offset of the end of the run's first frame */
	uint64_t hash;		/* of the functions from the root to here */
};

/* A function on the stack of the last line put in the tree. */
struct prof_path {
	uint32_t fn, node, edge;
};

/* A line read, not yet put in the tree: the functions after its first keep. */
struct prof_pending {
	uint64_t count;
	size_t keep;
	struct prof_lvl *lvl;
	size_t n, cap;
};

#define PROF_QUEUE 16	/* lines read ahead of the tree (a power of 2) */

/* Open addressing: slots hold hash << 32 | (id + 1), 0 when empty. */
struct prof_tab {
	uint64_t *slot;
	size_t mask, n;
};

struct prof {
	uint64_t all;		/* sum of the counts of the valid lines */
	uint64_t nlines;	/* valid stack lines */

	struct prof_frame *frame;
	uint32_t nframe, framecap;
	struct prof_fn *fn;
	uint32_t nfn, fncap;
	struct prof_edge *edge;
	uint32_t nedge, edgecap;
	struct prof_node *node;
	uint32_t nnode, nodecap;

	/* frames by name, edges by ends, nodes by path (prof-tree.c) */
	struct prof_tab ftab, etab, ntab;
	struct hmap fnmap;	/* function name -> id + 1 */

	struct prof_lvl *text;	/* the stack of the line read last */
	size_t tdepth, textcap;
	struct sbuf prev;	/* its stack text */
	struct prof_pending queue[PROF_QUEUE];
	size_t qhead, qn;
	struct prof_path *path;	/* the stack of the line put in last */
	size_t depth, pathcap;

	char *arena;		/* frame and function names */
	size_t arena_left;
	char **chunks;
	size_t nchunks, chunkcap;

	int finished;
};

void prof_init(struct prof *p);

/* Free everything p holds; it can be initialised again. */
void prof_release(struct prof *p);

/*
 * Add one folded line (without its newline; a trailing '\r' is ignored).
 * Returns 1 when a stack was added, 0 for a blank line (ignored), -1 for
 * a malformed line with *why a static description; a malformed line adds
 * nothing to any count or result (names it made known stay, unused). Not
 * after prof_finish.
 */
int prof_add_line(struct prof *p, const char *line, size_t len,
		  const char **why);

/*
 * Read folded lines from fd to its end, in large blocks, adding each.
 * Malformed lines are skipped and reported through bad(arg, lineno, why)
 * (lineno counts from 1 within this fd). Returns 0, or -1 on a read error
 * with errno set (what was read before stays added).
 */
int prof_read_fd(struct prof *p, int fd,
		 void (*bad)(void *arg, unsigned long lineno, const char *why),
		 void *arg);

/*
 * Put the lines read but still queued in the tree (prof_read_fd does at
 * the end of its input, prof_finish before all else). Only the node
 * count shows the difference.
 */
void prof_flush(struct prof *p);

/*
 * Compute the totals, edge weights and heaviest chains. Call once, after
 * the last line; the accessors below need it.
 */
void prof_finish(struct prof *p);

/* The id of the function named name[0..len), or PROF_NONE. */
uint32_t prof_lookup(const struct prof *p, const char *name, size_t len);

/* The edge from -> to, or NULL. */
const struct prof_edge *prof_edge_get(const struct prof *p, uint32_t from,
				      uint32_t to);

/*
 * The heaviest chain of fn: function ids, root first, ending with fn
 * (adjacent repeats collapsed). Stored in *out (grown with XGROW, the
 * caller frees it); returns the length (0 when fn has no weight).
 */
size_t prof_chain(const struct prof *p, uint32_t fn, uint32_t **out,
		  size_t *cap);

/*
 * Callers (dir PROF_CALLERS) or callees (PROF_CALLEES) of fn with a
 * non-zero count, or the callers fn was inlined into (PROF_INLINED_INTO:
 * the count of the stacks in which fn's frame below them was marked
 * "_[i]"), heaviest first, ties by name, into *out (caller frees);
 * returns the number found.
 */
#define PROF_CALLERS 0
#define PROF_CALLEES 1
#define PROF_INLINED_INTO 2

size_t prof_links(const struct prof *p, uint32_t fn, int dir,
		  struct prof_link **out, size_t *cap);

/*
 * The distinct input spellings of fn's frames, sorted bytewise, into
 * *out (the strings belong to p; the array to the caller).
 */
size_t prof_frames(const struct prof *p, uint32_t fn, const char ***out,
		   size_t *cap);

/* Byte order of two functions' names (for deterministic ties). */
int prof_fncmp(const struct prof *p, uint32_t a, uint32_t b);

#endif
