#ifndef PESQ_COUNTERS_H
#define PESQ_COUNTERS_H

#include <stddef.h>

#include "base/jsonl.h"
#include "base/sbuf.h"
#include "run/proc.h"

/*
 * The performance counters of the timed runs, as pesq-measure reports
 * them (pesq-measure(1), proc.h): instructions and cycles of every run
 * of each side, or the software events standing in for them in tests,
 * or why there are none. For people and the record only: no decision
 * reads them.
 */
struct counters {
	int sandboxed;		/* the runs ran under pesq-measure */
	int runs;		/* runs added */
	enum proc_counters kind;	/* HW or SW while every run counted */
	int err;		/* NONE: what pesq-measure said of the first
				   run without counters (its errno, 0 off,
				   -1 never ran), or -2: events differed */
	double *v[2][2];	/* [side][event] counts of each run */
	size_t n[2], cap[2];
};

#define COUNTERS_INIT(sandboxed) { (sandboxed), 0, PROC_COUNTERS_UNSAID, \
	0, { { NULL, NULL }, { NULL, NULL } }, { 0, 0 }, { 0, 0 } }

/*
 * Add what the run r of side (0 base, 1 candidate) counted. The first
 * run without counters, or with other events than the runs before,
 * makes them all unavailable, and says why.
 */
void counters_add(struct counters *c, int side, const struct proc_res *r);
void counters_release(struct counters *c);

/*
 * The "counters" member of the bench object, into w: {"events": "hw",
 * "instructions": {"base", "cand"}, "cycles": {"base", "cand"}}, medians
 * of each side's runs ("sw": "task_clock_ns" and "page_faults" in their
 * place), or {"unavailable": "<why>"}. And, when there are counts, a
 * phrase for people appended to said ("instructions 12.3M -> 10.1M,
 * cycles 20.1M -> 16.0M"); nothing is appended otherwise. Nothing at
 * all is written when no run was added.
 */
void counters_write(const struct counters *c, struct jw *w, struct sbuf *said);

/* Why there are no counters, appended to out (c->kind not HW or SW). */
void counters_why(const struct counters *c, struct sbuf *out);

#endif
