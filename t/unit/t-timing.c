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

/* decide at a budget's last look at this round */
static enum timing_decision
decide_last(size_t rounds, double b, double c)
{
	struct timing_param p = { TIMING_CPU, 0.99, 0.02, 1, 2000, 5, 50 };
	struct timing_samples s = TIMING_SAMPLES_INIT;
	struct timing_stats st;

	fill(&s, rounds, b, c);
	timing_analyze_last(&s, &p, &st);
	timing_samples_release(&s);
	return st.decision;
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
	is_int(decide(9, 1.3, 1.0, 5, NULL), TIMING_CONTINUE,
	       "9 rounds all faster: p = 0.002, above a look's level: go on");
	is_int(decide(12, 1.3, 1.0, 5, NULL), TIMING_CONTINUE,
	       "round 12 is no look: go on");
	is_int(decide_last(12, 1.3, 1.0), TIMING_ACCEPT,
	       "the budget's last look at round 12: accept");
	is_int(decide(14, 1.3, 1.0, 5, NULL), TIMING_ACCEPT,
	       "round 14 is a look: accept");
	{
		struct timing_param p = { TIMING_CPU, 0.99, 0.02, 1, 2000, 5, 50 };
		size_t first, k = timing_looks(&p, &first);

		ok(k == 6 && first == 10, "the defaults: 6 looks from round "
		   "10 (10, 14, 20, 28, 40, 50)");
		p.max_rounds = 8;
		k = timing_looks(&p, &first);
		ok(k == 1 && first == 8, "at most 8 rounds: one look, at 8");
		p.confidence = 0.95;
		p.max_rounds = 50;
		k = timing_looks(&p, &first);
		ok(first == 8 && k == 7, "95%%: 7 looks from round 8");
	}
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
