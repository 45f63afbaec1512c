#ifndef PESQ_BEST_H
#define PESQ_BEST_H

#include <git2.h>

#include "sbuf.h"

/*
 * Advancing refs/heads/pesq/best, the newest accepted state, by one
 * squashed commit per accepted attempt.
 */
#define BEST_REF "refs/heads/pesq/best"

/*
 * Make a commit with the tree of attempt, parent base and message
 * `subject`, a blank line, the "Pesq-" trailer lines of attempt's own
 * message, `trailers` (lines, each ending in a newline; may be NULL) and
 * "Pesq-Commit: <attempt>"; then move pesq/best from base to it with
 * compare-and-swap (when pesq/best does not exist it is created, and must
 * still not exist at that moment). The new commit's id goes to *out.
 * Returns 0 (also when pesq/best already is such a commit of this attempt
 * on base: a run cut short after the move); 1 when pesq/best is not at
 * base (it moved since the attempt was made, or moves meanwhile): nothing
 * moves, and err says so; -1 on other failures (err says why).
 */
int best_advance(git_repository *repo, const git_oid *attempt,
		 const git_oid *base, const char *subject,
		 const char *trailers, git_oid *out, struct sbuf *err);

#endif
