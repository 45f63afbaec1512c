#ifndef PESQ_HOT_H
#define PESQ_HOT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/hotlines.h"
#include "profile/prof.h"
#include "base/sbuf.h"

/*
 * Choosing and describing targets from a finished profile (prof.h): the
 * ranking of functions, the parents worth a call-chain change, the
 * comparison of two profiles, and the record and table writers of
 * pesq-hot(1). Nothing here prints or exits; output is appended to sbufs.
 */

struct hot_opts {
	size_t top;		/* records wanted (parents not counted) */
	int by_total;		/* rank by total instead of self */
	double min_share;	/* of the sort key; of the change with diff */
	int all;		/* keep placeholder and kernel frames */
	regex_t *exclude, *only;
	size_t nexclude, nonly;
	size_t fanout;		/* callers/callees listed */
	int chain;		/* add parents */
	size_t depth;		/* how far up the chain (0: no limit) */
	double parent_share;	/* child's share of the parent's total */
	int table;
	int width;		/* terminal columns for the table */
	struct hotlines *lines;	/* source lines of the functions, or NULL */
	size_t max_lines;	/* lines per record (0: all) */
};

/* Default options. */
void hot_opts_init(struct hot_opts *o);

/*
 * Can fn be a target under o (name filters and the default exclusion of
 * placeholders like "[unknown]" and of kernel-only functions)?
 */
int hot_eligible(const struct prof *p, uint32_t fn, const struct hot_opts *o);

/*
 * A selection: the functions in output order, each with its role
 * (0 leaf, 1 parent), the child of a parent, and its rank.
 */
struct hot_item {
	uint32_t fn;
	uint32_t child;		/* of a parent; else PROF_NONE */
	int parent;
	size_t rank;
};

struct hot_sel {
	struct hot_item *item;
	size_t n, cap;
};

/*
 * Rank the eligible functions of p (finished) by o's key, descending,
 * ties by name, and select the top ones with a non-zero key of at least
 * min_share, preceded in chain mode by their parents worth it (see
 * pesq-hot(1)). sel must be zeroed; hot_sel_release frees it.
 */
void hot_select(const struct prof *p, const struct hot_opts *o,
		struct hot_sel *sel);
void hot_sel_release(struct hot_sel *sel);

/*
 * Append the JSON record of selection entry i and a newline to out: hot
 * has inlined_into when the function's frames were marked "_[i]" (the
 * callers it was inlined into) and lines when o->lines has its lines.
 */
void hot_write_record(const struct prof *p, const struct hot_opts *o,
		      const struct hot_sel *sel, size_t i, struct sbuf *out);

/* Append the table of the whole selection to out. */
void hot_write_table(const struct prof *p, const struct hot_opts *o,
		     const struct hot_sel *sel, struct sbuf *out);

/*
 * Compare two finished profiles and append the records (or the table)
 * of the functions whose share of o's key changed most, largest change
 * first, to out.
 */
void hot_write_diff(const struct prof *before, const struct prof *after,
		    const struct hot_opts *o, struct sbuf *out);

#endif
