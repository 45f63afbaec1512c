#ifndef PESQ_BENCH_H
#define PESQ_BENCH_H

#include <stdint.h>

#include "measure/timing.h"
#include "base/jsonl.h"
#include "base/redact.h"
#include "base/sbuf.h"
#include "run/sandbox.h"

/*
 * Judging one candidate against its base, given the two directories they
 * are built in: the test command on the candidate, the benchmark's output
 * and exit status on both, then interleaved timing (timing.h). The result is
 * a verdict, a reason for people, and the `test` and `bench` objects of
 * the record as JSON text. No git here: pesq-bench finds the directories.
 */

enum bench_verdict {
	BENCH_ACCEPTED, BENCH_REJECTED, BENCH_INCONCLUSIVE,
	BENCH_BUILD_FAILED, BENCH_TEST_FAILED, BENCH_OUTPUT_DIFFERS,
	BENCH_UNSAFE, BENCH_DIFFERS, BENCH_ERROR
};

/* "accepted", "rejected", ..., "error": static strings. */
const char *bench_verdict_name(enum bench_verdict v);

struct bench_result;

struct bench_opt {
	const char *bench_cmd;		/* required */
	const char *test_cmd;		/* NULL: no test */
	struct timing_param param;
	double timeout;			/* each run, seconds; <= 0: none */
	double budget;			/* the timing, seconds; <= 0: none */
	int warmup;			/* rounds thrown away */
	int output_check;		/* compare stdout and exit status */
	double max_rss_growth;		/* refuse a peak RSS above the base's
					   times 1 + this; < 0: no limit */
	const struct sandbox *sb;	/* how every command runs */
	const struct redact *redact;	/* secrets kept out of logs; or NULL */
	/*
	 * Called after the test command and before the benchmark to give
	 * the candidate's directory back as it was built (what the test
	 * planted removed): 0, or -1 with the reason in err. May be NULL.
	 */
	int (*refresh)(void *arg, struct sbuf *err);
	void *refresh_arg;
	void (*progress)(void *arg, const struct timing_stats *st);
	void *arg;
	/*
	 * The checks between the output check and the timing (lib/check,
	 * through pesq-bench): when set and it returns nonzero, it has set
	 * r's verdict and reason and nothing is timed. May be NULL.
	 */
	int (*gate)(void *arg, struct bench_result *r);
	void *gate_arg;
};

struct bench_result {
	enum bench_verdict verdict;
	struct sbuf reason;	/* one line for people */
	struct sbuf test;	/* the `test` object (JSON), empty if none */
	struct sbuf bench;	/* the `bench` object (JSON), empty if none */
	struct sbuf checks;	/* the `checks` object (JSON), empty if none */
	struct sbuf checks_note;	/* the same for the ledger */
	struct timing_stats st;	/* valid when timing happened */
	int timed;		/* timing happened (accepted/rejected/inconclusive) */
	enum timing_metric metric;	/* the metric used (auto resolved) */
	double par[2];		/* CPU / wall of the first run of each side */
	long rss[2];		/* peak resident set of each side, KiB */
	double load;		/* highest 1-minute load average seen */
	int cpus;		/* CPUs online */
	/* the counters' medians for people (counters.h), or empty */
	struct sbuf counted;
};

#define BENCH_RESULT_INIT { BENCH_ERROR, SBUF_INIT, SBUF_INIT, SBUF_INIT, \
	SBUF_INIT, SBUF_INIT, { 0 }, 0, TIMING_CPU, { 0, 0 }, { 0, 0 }, 0, 0, \
	SBUF_INIT }

/*
 * A run using more than one CPU at a time: its CPU time (user + sys)
 * above this many times its wall time. --metric auto then takes wall.
 */
#define BENCH_PARALLEL 1.1

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

/* The verdict a decision of the statistics gives. */
enum bench_verdict bench_decided(enum timing_decision d);

/*
 * Write the statistics of st as the last members of the open bench
 * object in w: speedup, ci, p, decision, and reason (timing_reason, also
 * appended to reason). verdict_recompute relies on them being last.
 */
void bench_outcome(struct jw *w, const struct timing_stats *st,
		   const struct timing_param *p, const char *limit,
		   struct sbuf *reason);

#endif
