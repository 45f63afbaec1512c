#ifndef PESQ_TIMING_H
#define PESQ_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "base/sbuf.h"
#include "run/sandbox.h"
#include "measure/counters.h"

/*
 * Interleaved A/B timing and the decision on it. A is the base, B the
 * candidate. A round is four runs, ABBA on even rounds and BAAB on odd
 * ones, so that each side goes first equally often and a drift in the
 * machine's speed during a round hits both sides alike. A warm-up round
 * is run first and thrown away. Each run's wall time (monotonic clock
 * around fork and reap) and CPU time (user + sys from wait4) are kept;
 * the metric chosen decides, both are recorded. Under the sandbox they
 * are the command's own, measured inside it by pesq-measure, so that
 * the sandbox's start-up is not counted (sandbox.h).
 */

/*
 * TIMING_AUTO is resolved before the timing (bench.h): wall when the base
 * or the candidate uses more than one CPU at a time, CPU time otherwise.
 */
enum timing_metric { TIMING_WALL, TIMING_CPU, TIMING_AUTO };
struct timing_stats;

/* "wall", "cpu", "auto": static strings. */
const char *timing_metric_name(enum timing_metric m);

/* The metric named s into *m: 0, or -1 when s names none. */
int timing_metric_parse(const char *s, enum timing_metric *m);

/* A progress line on stderr, arg the attempt's name (timing_run_opt). */
void timing_progress(void *arg, const struct timing_stats *st);
enum timing_decision { TIMING_CONTINUE, TIMING_ACCEPT, TIMING_REJECT };

#define TIMING_PER_ROUND 2		/* runs of each side in a round */

struct timing_param {
	enum timing_metric metric;
	double confidence;	/* of the interval; the test's level is 1 - it */
	double min_gain;	/* accept only a speedup above 1 + min_gain */
	uint64_t seed;		/* of the bootstrap */
	size_t nboot;		/* bootstrap resamples */
	size_t min_rounds, max_rounds;
};

/* Samples of both sides ([0] base, [1] candidate), in the order run. */
struct timing_samples {
	double *wall[2], *cpu[2];
	size_t n, cap;		/* samples of each side: TIMING_PER_ROUND a round */
	long rss[2];		/* peak resident set of a run, KiB; 0: unknown */
	double load;		/* highest 1-minute load average, read each round */
};

#define TIMING_SAMPLES_INIT { { NULL, NULL }, { NULL, NULL }, 0, 0, { 0, 0 }, 0 }

/* The 1-minute load average (/proc/loadavg), or -1. */
double timing_load(void);

/* Append one sample of each side (wall and CPU seconds). */
void timing_samples_add(struct timing_samples *s, double bwall, double bcpu,
		    double cwall, double ccpu);
void timing_samples_release(struct timing_samples *s);

struct timing_stats {
	size_t rounds;
	double base_med, cand_med;	/* of the metric */
	double speedup;			/* base_med / cand_med */
	double lo, hi;			/* bootstrap interval of the speedup */
	double p;			/* signed-rank test, one-sided */
	enum timing_decision decision;
};

/*
 * The statistics of the complete rounds in s and what they decide:
 * TIMING_ACCEPT when at least min_rounds are in, the interval's low end is
 * above 1 + min_gain and p < 1 - confidence; TIMING_REJECT when at least
 * min_rounds are in and the interval's high end is below 1 + min_gain
 * (the candidate cannot be that much faster); TIMING_CONTINUE otherwise.
 * The pairs of the rank test are, for each round, the log of the ratio
 * of the base's sum to the candidate's sum. Pure: the same samples and
 * parameters always give the same result.
 */
void timing_analyze(const struct timing_samples *s, const struct timing_param *p,
		struct timing_stats *st);

/*
 * A sentence for people saying why st decided as it did (appended to
 * out); `limit` is what ended an undecided measurement ("budget",
 * "rounds"), or NULL.
 */
void timing_reason(const struct timing_stats *st, const struct timing_param *p,
	       const char *limit, struct sbuf *out);

/* One side of the comparison. */
struct timing_side {
	const char *name;	/* "base", "candidate": for messages */
	const char *dir;	/* where the command runs */
	const char *cmd;	/* run with sh -c */
	int status;		/* the exit status every run must give */
};

struct timing_run_opt {
	struct timing_side side[2];		/* [0] base, [1] candidate */
	const struct timing_param *param;
	double timeout;			/* a run, seconds; <= 0: none */
	double budget;			/* all runs, seconds; <= 0: none */
	const struct sandbox *sb;	/* how the runs run */
	int warmup;			/* rounds run and thrown away */
	/* what the runs counted, warm-up excepted, added; may be NULL */
	struct counters *counters;
	/* called after each round with the statistics so far; may be NULL */
	void (*progress)(void *arg, const struct timing_stats *st);
	void *arg;
};

/*
 * Run rounds until timing_analyze decides, max_rounds are done, or the budget
 * is spent (checked before each round). Samples are appended to s (owned
 * by the caller), and *st holds the final statistics; *limit (when not
 * NULL) is set to "rounds" or "budget" when the measurement ended
 * undecided, NULL otherwise. Returns 0, or -1 when a run could not be
 * started, timed out (its process group is killed), hit a limit of the
 * sandbox, gave no measurement of its own under the sandbox, or gave
 * another exit status than the side's, with the reason in err.
 */
int timing_run(const struct timing_run_opt *o, struct timing_samples *s,
	   struct timing_stats *st, const char **limit, struct sbuf *err);

#endif
