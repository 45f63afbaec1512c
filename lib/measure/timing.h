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
	double level;			/* the look's level; 0: no look */
	double look_lo;			/* the low end of the look's interval */
	enum timing_decision decision;
};

/*
 * The looks: the rounds at which a candidate may be accepted, so that
 * stopping early stays honest. The first is the first round from
 * min_rounds on at which the rank test can pass at the level of a look
 * (n rounds all faster give p = 2^-n); each next one comes after 7/5
 * as many rounds (rounded up); max_rounds is the last. Each look tests at the
 * level (1 - confidence) / looks: the chance that any look accepts a
 * candidate no faster than 1 + min_gain stays below 1 - confidence
 * (Bonferroni over the looks). Returns the number of looks; *first gets
 * the first. With the defaults (99%, 5 to 50 rounds): 10, 14, 20, 28,
 * 40 and 50, each at 0.00167.
 */
size_t timing_looks(const struct timing_param *p, size_t *first);

/*
 * The statistics of the complete rounds in s and what they decide:
 * TIMING_ACCEPT at a look (timing_looks) when the look's interval (at
 * confidence 1 - 2 level, so its low end is a one-sided bound at the
 * look's level) has its low end above 1 + min_gain and p < the look's
 * level; TIMING_REJECT, after any round from min_rounds on, when the
 * interval's high end (at `confidence`) is below 1 + min_gain (the
 * candidate cannot be that much faster: stopping for that never
 * accepts anything); TIMING_CONTINUE otherwise. lo and hi are the
 * interval at `confidence`, for people. The pairs of the rank test are,
 * for each round, the log of the ratio of the base's sum to the
 * candidate's sum. Pure: the same samples and parameters always give
 * the same result.
 */
void timing_analyze(const struct timing_samples *s, const struct timing_param *p,
		struct timing_stats *st);

/*
 * The same with a look at this round whatever the schedule: for a
 * measurement the time budget stops before its next look, which is
 * taken now instead (it comes at most once, so the levels still add up).
 */
void timing_analyze_last(const struct timing_samples *s,
		     const struct timing_param *p, struct timing_stats *st);

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
 * is spent (checked before each round: then a last look is taken with
 * timing_analyze_last). Samples are appended to s (owned by the caller),
 * and *st holds the final statistics; *limit (when not NULL) is set to
 * "rounds" when max_rounds ended it undecided, "budget" whenever the
 * budget ended it (decided by that last look or not), NULL otherwise.
 * Returns 0, or -1 when a run could not be started, timed out (its
 * process group is killed), hit a limit of the sandbox, gave no
 * measurement of its own under the sandbox, or gave another exit status
 * than the side's, with the reason in err.
 */
int timing_run(const struct timing_run_opt *o, struct timing_samples *s,
	   struct timing_stats *st, const char **limit, struct sbuf *err);

#endif
