#ifndef PESQ_VERDICT_H
#define PESQ_VERDICT_H

#include <stdint.h>

#include "measure/bench.h"
#include "base/jsonl.h"

/*
 * The records and lines pesq-bench writes about a verdict, and their
 * recomputation from the samples they hold.
 */

/* FNV-1a of an attempt's id: a bootstrap seed of its own, stable. */
uint64_t verdict_seed(const char *id);

/*
 * The output record, and a newline, appended to out: every member of rec
 * except test, bench, checks, verdict and verdict_reason, then r's test,
 * bench and checks objects (when there are), verdict and verdict_reason.
 */
void verdict_record(const struct jsonl_rec *rec, const struct bench_result *r,
		    struct sbuf *out);

/*
 * The record --calibrate writes, and a newline, appended to out:
 * {"calibrate": {"base": base, "noise": noise (null when < 0), "stored":
 * stored}, "bench": r's bench object, "verdict_reason" on error}.
 */
void verdict_calibrate_record(const struct bench_result *r, const char *base,
			      double noise, int stored, struct sbuf *out);

/*
 * Recompute the decision of the bench object at token `tok` of rec from
 * its raw samples and parameters, and write the object to w again: every
 * member as it was, except speedup, ci, p, decision and reason, which are
 * recomputed (and written last, where pesq-bench writes them, so that an
 * unchanged object comes out byte for byte the same). *same is 1 when the
 * recomputed decision and interval equal the stored ones. Returns 0, or
 * -1 when the object lacks what is needed (msg says what; w untouched).
 */
int verdict_recompute(const struct jsonl_rec *rec, int tok, struct jw *w,
		      int *same, struct sbuf *msg);

/*
 * --recompute for one line: rec with its bench object (when it has one
 * with a decision) recomputed in place, and a newline, appended to out;
 * lines without such an object are copied. Returns 0, 1 when the
 * recomputed decision or interval differs from the stored one, -1 when
 * the bench object lacks something (msg says what; the line is copied).
 */
int verdict_recompute_line(const struct jsonl_rec *rec, struct sbuf *out,
			   struct sbuf *msg);

/*
 * The one line for people: "<id>: 1.23x faster (99% CI 1.18-1.29, 14
 * rounds, cpu time): accepted", or "<id>: <verdict>: <reason>" when there
 * was no timing. Where the runs were counted, the medians follow the
 * metric ("; instructions 12.3M -> 10.1M, cycles 20.1M -> 16.0M, for
 * information"): they never change the verdict. Appended to out, without
 * a newline.
 */
void verdict_summary(const struct bench_result *r, const struct timing_param *p,
		     const char *id, struct sbuf *out);

#endif
