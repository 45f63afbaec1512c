#ifndef PESQ_BEST_H
#define PESQ_BEST_H

#include <git2.h>

#include "base/sbuf.h"

/*
 * Advancing refs/heads/pesq/best, the newest accepted state, by one
 * squashed commit per accepted attempt.
 */
#define BEST_REF "refs/heads/pesq/best"

/* What best_advance needs: the attempt and what to say about it. */
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
 * Make a commit with the tree of s->attempt, parent s->base and message
 * `subject`, a blank line, the "Pesq-" trailer lines of attempt's own
 * message, `trailers` and "Pesq-Commit: <attempt>"; append s->note to its
 * note; then move pesq/best from base to it with compare-and-swap (when
 * pesq/best does not exist it is created, and must still not exist at
 * that moment). The note is written before the ref moves, so pesq/best
 * never stands on a commit without its line. The new commit's id goes to
 * *out. Returns 0 (also when pesq/best already is such a commit of this
 * attempt on base: a run cut short after the move; its note gets the line
 * unless a line with note_key is there); 1 when pesq/best is not at base
 * (it moved since the attempt was made, or moves meanwhile): nothing
 * moves, and err says so; -1 on other failures (err says why).
 */
int best_advance(git_repository *repo, const struct best_step *s,
		 git_oid *out, struct sbuf *err);

#endif
