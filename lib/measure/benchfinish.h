#ifndef PESQ_BENCHFINISH_H
#define PESQ_BENCHFINISH_H

#include <git2.h>

#include "base/jsonl.h"
#include "base/sbuf.h"
#include "measure/bench.h"

/*
 * A judgement a kill cut short between its verdict and pesq/best's move
 * (benchrepo_ledger writes the attempt's lines, naming the new commit of
 * pesq/best, before it moves the ref): the note of the record's
 * attempt.commit ends in an accepted verdict line of attempt id naming a
 * commit `best` made from it on attempt.base, and pesq/best is still at
 * attempt.base (or absent). Then finish it: move pesq/best to `best`,
 * and fill r from the note (verdict, reason, the test, bench and checks
 * objects), so that nothing is judged again. Returns 1 when finished so
 * (r is an error, with the reason, when pesq/best could not be moved);
 * 0 when the record is no such attempt, or pesq/best is elsewhere:
 * judge it (as any rerun does).
 */
int benchfinish(git_repository *repo, const struct jsonl_rec *rec,
		const char *id, struct bench_result *r);

#endif
