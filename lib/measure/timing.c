#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "measure/timing.h"
#include "run/proc.h"
#include "measure/stats.h"
#include "base/xalloc.h"

const char *
timing_metric_name(enum timing_metric m)
{
	return m == TIMING_CPU ? "cpu" : m == TIMING_WALL ? "wall" : "auto";
}

int
timing_metric_parse(const char *s, enum timing_metric *m)
{
	for (int i = TIMING_WALL; i <= TIMING_AUTO; i++)
		if (!strcmp(s, timing_metric_name((enum timing_metric)i))) {
			*m = (enum timing_metric)i;
			return 0;
		}
	return -1;
}

void
timing_progress(void *arg, const struct timing_stats *st)
{
	fprintf(stderr, "%s: round %zu: %.4fx (CI %.4f-%.4f, p %.2g)",
		(const char *)arg, st->rounds, st->speedup, st->lo, st->hi,
		st->p);
	if (st->level > 0)
		fprintf(stderr, "; a look: low end %.4f, p below %.2g?",
			st->look_lo, st->level);
	fputc('\n', stderr);
}

void
timing_samples_add(struct timing_samples *s, double bwall, double bcpu,
	       double cwall, double ccpu)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		for (int i = 0; i < 2; i++) {
			s->wall[i] = xreallocarray(s->wall[i], cap,
						   sizeof(double));
			s->cpu[i] = xreallocarray(s->cpu[i], cap,
						  sizeof(double));
		}
		s->cap = cap;
	}
	s->wall[0][s->n] = bwall;
	s->cpu[0][s->n] = bcpu;
	s->wall[1][s->n] = cwall;
	s->cpu[1][s->n] = ccpu;
	s->n++;
}

void
timing_samples_release(struct timing_samples *s)
{
	for (int i = 0; i < 2; i++) {
		free(s->wall[i]);
		free(s->cpu[i]);
		s->wall[i] = s->cpu[i] = NULL;
	}
	s->n = s->cap = 0;
}

/* The look after one at round n: 7/5 as many rounds (rounded up), one more at least. */
static size_t
next_look(size_t n)
{
	size_t m = (n * 7 + 4) / 5;

	return m > n ? m : n + 1;
}

/* How many looks there are from round first to max (which is one). */
static size_t
count_looks(size_t first, size_t max)
{
	size_t k = 1;

	for (size_t n = first; n < max; n = next_look(n))
		k++;
	return k;
}

size_t
timing_looks(const struct timing_param *p, size_t *first)
{
	double alpha = 1 - p->confidence;
	size_t max = p->max_rounds ? p->max_rounds : 1, n, k;

	/*
	 * The first look is the first round from which the rank test can
	 * pass at the level of a look: with n rounds all faster p = 2^-n.
	 */
	for (n = p->min_rounds ? p->min_rounds : 1; n < max; n++) {
		k = count_looks(n, max);
		if (ldexp(1, -(int)(n < 60 ? n : 60)) < alpha / (double)k)
			break;
	}
	if (n > max)
		n = max;
	*first = n;
	return count_looks(n, max);
}

/* Is round r a look? The level of each look into *level. */
static int
is_look(const struct timing_param *p, size_t r, double *level)
{
	size_t first, k = timing_looks(p, &first), n;

	*level = (1 - p->confidence) / (double)k;
	for (n = first; n < p->max_rounds; n = next_look(n))
		if (n == r)
			return 1;
	return r == p->max_rounds;
}

/* timing_analyze, with a look at this round when force is set. */
static void
analyze(const struct timing_samples *s, const struct timing_param *p,
	struct timing_stats *st, int force)
{
	const double *b = p->metric == TIMING_CPU ? s->cpu[0] : s->wall[0];
	const double *c = p->metric == TIMING_CPU ? s->cpu[1] : s->wall[1];
	size_t rounds = s->n / TIMING_PER_ROUND, n = rounds * TIMING_PER_ROUND, i, k;
	double g = 1 + p->min_gain, *d, level, hi;

	memset(st, 0, sizeof(*st));
	st->rounds = rounds;
	st->decision = TIMING_CONTINUE;
	st->base_med = stats_median(b, n);
	st->cand_med = stats_median(c, n);
	st->speedup = st->base_med / st->cand_med;
	stats_boot_ratio(b, c, rounds, TIMING_PER_ROUND, p->confidence, p->nboot,
			 p->seed, &st->lo, &st->hi);
	d = xmalloc((rounds ? rounds : 1) * sizeof(*d));
	for (i = 0; i < rounds; i++) {
		double sb = 0, sc = 0;

		for (k = 0; k < TIMING_PER_ROUND; k++) {
			sb += b[i * TIMING_PER_ROUND + k];
			sc += c[i * TIMING_PER_ROUND + k];
		}
		d[i] = sb > 0 && sc > 0 ? log(sb / sc) : 0;
	}
	st->p = stats_signed_rank(d, rounds, NULL);
	free(d);
	if (rounds == 0 || rounds < p->min_rounds)
		return;
	if (is_look(p, rounds, &level) || force) {
		/* the look's own interval: its low end at the look's level */
		st->level = level;
		stats_boot_ratio(b, c, rounds, TIMING_PER_ROUND, 1 - 2 * level,
				 p->nboot, p->seed, &st->look_lo, &hi);
		if (st->look_lo > g && st->p < level) {
			st->decision = TIMING_ACCEPT;
			return;
		}
	}
	if (st->hi < g)
		st->decision = TIMING_REJECT;
}

void
timing_analyze(const struct timing_samples *s, const struct timing_param *p,
	       struct timing_stats *st)
{
	analyze(s, p, st, 0);
}

void
timing_analyze_last(const struct timing_samples *s,
		    const struct timing_param *p, struct timing_stats *st)
{
	analyze(s, p, st, 1);
}

void
timing_reason(const struct timing_stats *st, const struct timing_param *p,
	  const char *limit, struct sbuf *out)
{
	double g = 1 + p->min_gain, alpha = 1 - p->confidence;

	switch (st->decision) {
	case TIMING_ACCEPT:
		sbuf_addf(out, "at a look after %zu rounds, the interval's low "
			  "end %.4g (%.4g%% CI) above %.4g and p = %.2g below "
			  "%.2g (%.2g spread over the looks)", st->rounds,
			  st->look_lo, 100 * (1 - 2 * st->level), g, st->p,
			  st->level, alpha);
		return;
	case TIMING_REJECT:
		sbuf_addf(out, "interval high end %.4g below %.4g: not "
			  "faster by the minimum gain", st->hi, g);
		return;
	case TIMING_CONTINUE:
		break;
	}
	if (limit && !strcmp(limit, "budget"))
		sbuf_addf(out, "time budget spent after %zu rounds",
			  st->rounds);
	else
		sbuf_addf(out, "no decision after %zu rounds", st->rounds);
	sbuf_addf(out, ": interval %.4g-%.4g around %.4g, p = %.2g",
		  st->lo, st->hi, g, st->p);
}

double
timing_load(void)
{
	FILE *fp = fopen("/proc/loadavg", "r");
	double l = -1;

	if (fp) {
		if (fscanf(fp, "%lf", &l) != 1)
			l = -1;
		fclose(fp);
	}
	return l;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One timed run of a side; its output goes to /dev/null. */
static int
run_one(const struct timing_run_opt *o, int side, int devnull, int warm,
	double *wall, double *cpu, long *rss, struct sbuf *err)
{
	const struct timing_side *sd = &o->side[side];
	struct proc_opt po = { 0 };
	struct proc_res r;
	struct sbuf lim = SBUF_INIT;
	int measured, ret = -1;

	po.cmd = sd->cmd;
	po.dir = sd->dir;
	po.timeout = o->timeout;
	po.out_fd = devnull;
	po.err_fd = devnull;
	if (sandbox_run(o->sb, &po, &r, &measured) < 0) {
		sbuf_addf(err, "cannot run the %s's benchmark: %s", sd->name,
			  strerror(errno));
		return -1;
	}
	if (r.timed_out) {
		sbuf_addf(err, "the %s's benchmark run timed out after %g s "
			  "and was killed", sd->name, o->timeout);
	} else if (sandbox_limit_message(o->sb, &r, &lim)) {
		sbuf_addf(err, "a run of the %s's benchmark failed: %s",
			  sd->name, lim.buf);
	} else if (o->sb->on && !measured) {
		sbuf_addf(err, "a run of the %s's benchmark gave no "
			  "measurement of its own (status %d)", sd->name,
			  r.exit_code);
	} else if (r.exit_code != sd->status) {
		sbuf_addf(err, "a run of the %s's benchmark exited with "
			  "status %d, not %d as before", sd->name,
			  r.exit_code, sd->status);
	} else {
		*wall = r.wall;
		*cpu = r.user + r.sys;
		if (r.maxrss > *rss)
			*rss = r.maxrss;
		if (o->counters && !warm)
			counters_add(o->counters, side, &r);
		ret = 0;
	}
	proc_res_release(&r);
	sbuf_release(&lim);
	return ret;
}

int
timing_run(const struct timing_run_opt *o, struct timing_samples *s,
       struct timing_stats *st, const char **limit, struct sbuf *err)
{
	const struct timing_param *p = o->param;
	double start = now(), load;
	int devnull, ret = 0;
	size_t round;

	if (limit)
		*limit = NULL;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0) {
		sbuf_addf(err, "cannot open '/dev/null': %s", strerror(errno));
		return -1;
	}
	memset(st, 0, sizeof(*st));
	for (round = 0;; round++) {
		int warm = round < (size_t)o->warmup;
		/* ABBA, then BAAB: each side opens every other round */
		int first = (int)(round % 2), order[4], k[2] = { 0, 0 };
		double w[2][TIMING_PER_ROUND], c[2][TIMING_PER_ROUND];

		if (!warm) {
			timing_analyze(s, p, st);
			if (o->progress && st->rounds > 0)
				o->progress(o->arg, st);
			if (st->decision != TIMING_CONTINUE)
				break;
			if (st->rounds >= p->max_rounds) {
				if (limit)
					*limit = "rounds";
				break;
			}
			if (o->budget > 0 && now() - start >= o->budget) {
				/* the look the budget leaves no time for */
				timing_analyze_last(s, p, st);
				if (limit)
					*limit = "budget";
				break;
			}
		}
		order[0] = order[3] = first;
		order[1] = order[2] = !first;
		for (int i = 0; i < 4; i++) {
			int sd = order[i];

			if (run_one(o, sd, devnull, warm, &w[sd][k[sd]],
				    &c[sd][k[sd]], &s->rss[sd], err) < 0) {
				ret = -1;
				goto out;
			}
			k[sd]++;
		}
		if ((load = timing_load()) > s->load)
			s->load = load;
		if (!warm)
			for (int i = 0; i < TIMING_PER_ROUND; i++)
				timing_samples_add(s, w[0][i], c[0][i], w[1][i],
					       c[1][i]);
	}
out:
	close(devnull);
	return ret;
}
