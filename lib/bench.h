#ifndef PESQ_BENCH_H
#define PESQ_BENCH_H

#include <stdint.h>

#include "ab.h"
#include "jsonl.h"
#include "sbuf.h"

/*
 * Judging one candidate against its base, given the two directories they
 * are built in: the test command on the candidate, the benchmark's output
 * and exit status on both, then interleaved timing (ab.h). The result is
 * a verdict, a reason for people, and the `test` and `bench` objects of
 * the record as JSON text. No git here: pesq-bench finds the directories.
 */

enum bench_verdict {
	BENCH_ACCEPTED, BENCH_REJECTED, BENCH_INCONCLUSIVE,
	BENCH_BUILD_FAILED, BENCH_TEST_FAILED, BENCH_OUTPUT_DIFFERS,
	BENCH_ERROR
};

/* "accepted", "rejected", ..., "error": static strings. */
const char *bench_verdict_name(enum bench_verdict v);

struct bench_opt {
	const char *bench_cmd;		/* required */
	const char *test_cmd;		/* NULL: no test */
	struct ab_param param;
	double timeout;			/* each run, seconds; <= 0: none */
	double budget;			/* the timing, seconds; <= 0: none */
	int warmup;			/* rounds thrown away */
	int output_check;		/* compare stdout and exit status */
	int sandbox;			/* run commands under bubblewrap */
	void (*progress)(void *arg, const struct ab_stats *st);
	void *arg;
};

struct bench_result {
	enum bench_verdict verdict;
	struct sbuf reason;	/* one line for people */
	struct sbuf test;	/* the `test` object (JSON), empty if none */
	struct sbuf bench;	/* the `bench` object (JSON), empty if none */
	struct ab_stats st;	/* valid when timing happened */
	int timed;		/* timing happened (accepted/rejected/inconclusive) */
};

#define BENCH_RESULT_INIT { BENCH_ERROR, SBUF_INIT, SBUF_INIT, SBUF_INIT, \
	{ 0 }, 0 }

void bench_result_release(struct bench_result *r);

/*
 * Judge the candidate built in cand_dir against the base built in
 * base_dir. Fills r (initialised with BENCH_RESULT_INIT, owned by the
 * caller). Every outcome is a verdict; this does not fail.
 */
void bench_judge(const struct bench_opt *o, const char *base_dir,
		 const char *cand_dir, struct bench_result *r);

/*
 * Measure the base against itself for max_rounds rounds (the budget
 * still applies) without deciding early. On success r->verdict is the
 * decision the statistics would have made, r->bench holds the bench
 * object, and *noise = max(hi - 1, 1 - lo): how far from 1 the interval
 * of a speedup that is none reaches. On failure r->verdict is
 * BENCH_ERROR and *noise is untouched.
 */
void bench_calibrate(const struct bench_opt *o, const char *base_dir,
		     struct bench_result *r, double *noise);

/* FNV-1a of an attempt's id: a bootstrap seed of its own, stable. */
uint64_t bench_seed(const char *id);

/*
 * The output record, and a newline, appended to out: every member of rec
 * except test, bench, verdict and verdict_reason, then r's test and
 * bench objects (when there are), verdict and verdict_reason.
 */
void bench_record(const struct jsonl_rec *rec, const struct bench_result *r,
		  struct sbuf *out);

/*
 * The record --calibrate writes, and a newline, appended to out:
 * {"calibrate": {"base": base, "noise": noise (null when < 0), "stored":
 * stored}, "bench": r's bench object, "verdict_reason" on error}.
 */
void bench_calibrate_record(const struct bench_result *r, const char *base,
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
int bench_recompute(const struct jsonl_rec *rec, int tok, struct jw *w,
		    int *same, struct sbuf *msg);

/*
 * --recompute for one line: rec with its bench object (when it has one
 * with a decision) recomputed in place, and a newline, appended to out;
 * lines without such an object are copied. Returns 0, 1 when the
 * recomputed decision or interval differs from the stored one, -1 when
 * the bench object lacks something (msg says what; the line is copied).
 */
int bench_recompute_line(const struct jsonl_rec *rec, struct sbuf *out,
			 struct sbuf *msg);

/*
 * The one line for people: "<id>: 1.23x faster (99% CI 1.18-1.29, 14
 * rounds): accepted", or "<id>: <verdict>: <reason>" when there was no
 * timing. Appended to out, without a newline.
 */
void bench_summary(const struct bench_result *r, const struct ab_param *p,
		   const char *id, struct sbuf *out);

#endif
