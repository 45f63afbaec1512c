#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/timing.h"
#include "measure/bench.h"
#include "measure/verdict.h"
#include "tap.h"

/* rounds of base time b and candidate time c, with a little jitter */
static void
fill(struct timing_samples *s, size_t rounds, double b, double c)
{
	for (size_t i = 0; i < rounds * TIMING_PER_ROUND; i++) {
		double j = 1 + 0.002 * (double)((i * 7919) % 11);

		timing_samples_add(s, b * j, b * j, c * j, c * j);
	}
}

static enum timing_decision
decide(size_t rounds, double b, double c, size_t min_rounds, double *sp)
{
	struct timing_param p = { TIMING_CPU, 0.99, 0.02, 1, 2000, min_rounds, 50 };
	struct timing_samples s = TIMING_SAMPLES_INIT;
	struct timing_stats st;

	fill(&s, rounds, b, c);
	timing_analyze(&s, &p, &st);
	if (sp)
		*sp = st.speedup;
	timing_samples_release(&s);
	return st.decision;
}

int
main(void)
{
	struct sbuf r = SBUF_INIT;
	double sp;

	is_int(decide(10, 1.3, 1.0, 5, &sp), TIMING_ACCEPT,
	       "30%% faster over 10 rounds: accept");
	ok(fabs(sp - 1.3) < 1e-9, "the speedup is the ratio of medians");
	is_int(decide(6, 1.3, 1.0, 5, NULL), TIMING_CONTINUE,
	       "6 rounds cannot give p < 0.01: go on");
	is_int(decide(10, 1.3, 1.0, 20, NULL), TIMING_CONTINUE,
	       "no decision before min_rounds");
	is_int(decide(10, 1.0, 1.0, 5, NULL), TIMING_REJECT,
	       "identical: the interval lies below 1.02: reject");
	is_int(decide(10, 1.0, 1.2, 5, NULL), TIMING_REJECT, "slower: reject");
	is_int(decide(10, 1.015, 1.0, 5, NULL), TIMING_REJECT,
	       "1.5%% faster is below the minimum gain: reject");
	is_int(decide(10, 1.02, 1.0, 5, NULL), TIMING_CONTINUE,
	       "at the minimum gain exactly: undecided");
	{
		struct timing_param p = { TIMING_CPU, 0.99, 0.02, 1, 2000, 5, 50 };
		struct timing_stats st = { 0 };

		st.decision = TIMING_CONTINUE;
		st.rounds = 50;
		st.lo = 0.99;
		st.hi = 1.05;
		st.p = 0.2;
		timing_reason(&st, &p, "budget", &r);
		is_str(r.buf, "time budget spent after 50 rounds: interval "
		       "0.99-1.05 around 1.02, p = 0.2", "reason for the budget");
	}
	is_str(bench_verdict_name(BENCH_OUTPUT_DIFFERS), "output-differs",
	       "verdict names");
	ok(verdict_seed("slow/2") == verdict_seed("slow/2") &&
	   verdict_seed("slow/2") != verdict_seed("slow/3"), "seeds per attempt");
	sbuf_release(&r);
	return done_testing();
}
