#ifndef PESQ_BEST_H
#define PESQ_BEST_H

#include <git2.h>

#include "base/sbuf.h"

/*
 * Advancing refs/heads/pesq/best, the newest accepted state, by one
 * squashed commit per accepted attempt.
 */
#define BEST_REF "refs/heads/pesq/best"

/* What best_prepare and best_move need: the attempt, what to say. */
struct best_step {
	const git_oid *attempt, *base;	/* attempt.commit, attempt.base */
	const char *subject;
	const char *trailers;	/* lines, each ending in a newline; or NULL */
	/*
	 * A line (JSON, no newline) for the note of the new commit in
	 * refs/notes/pesq, or NULL; note_key is a substring that only such
	 * a line about this attempt has (to find it there already).
	 */
	const char *note, *note_key;
	/* test hook, called with "note" and "ref" after each step; or NULL */
	void (*hook)(const char *step);
};

/*
 * The first half of moving pesq/best: make a commit with the tree of
 * s->attempt, parent s->base and message `subject`, a blank line, the
 * "Pesq-" trailer lines of attempt's own message, `trailers` and
 * "Pesq-Commit: <attempt>", and append s->note to its note; the new
 * commit's id goes to *out. pesq/best does not move yet: the caller
 * records the verdict (naming *out) and then calls best_move, so that a
 * kill in between leaves a verdict whose move a rerun can finish, never
 * a pesq/best ahead of its ledger. Returns 0; 2 when pesq/best already
 * is such a commit of this attempt on base (a run cut short after the
 * move: *out is it, its note gets the line unless a line with note_key
 * is there), nothing left to move; 1 when pesq/best is neither base nor
 * absent (it moved since the attempt was made): err says so; -1 on other
 * failures (err says why).
 */
int best_prepare(git_repository *repo, const struct best_step *s,
		 git_oid *out, struct sbuf *err);

/*
 * The second half: move pesq/best from s->base to `to` with
 * compare-and-swap (when pesq/best does not exist it is created, and
 * must still not exist at that moment). Returns 0; 1 when it moved
 * meanwhile (err says where it is); -1 on other failures.
 */
int best_move(git_repository *repo, const struct best_step *s,
	      const git_oid *to, struct sbuf *err);

/*
 * Is c the commit best_prepare makes for attempt on base: one parent,
 * base; attempt's tree; a "Pesq-Commit: <attempt>" trailer?
 */
int best_made_from(git_repository *repo, const git_oid *c,
		   const git_oid *attempt, const git_oid *base);

#endif
