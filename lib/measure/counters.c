#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/counters.h"
#include "measure/stats.h"
#include "base/xalloc.h"

#define MIXED (-2)	/* err: runs with hw counts and runs with sw ones */

/* Names of the events: in the record, and for people. */
static const char *const keys[2][2] = {
	{ "instructions", "cycles" }, { "task_clock_ns", "page_faults" }
};
static const char *const words[2][2] = {
	{ "instructions", "cycles" }, { "task-clock ns", "page faults" }
};

void
counters_add(struct counters *c, int side, const struct proc_res *r)
{
	int first = c->runs++ == 0;

	if (!first && c->kind != PROC_COUNTERS_HW &&
	    c->kind != PROC_COUNTERS_SW)
		return;			/* unavailable already */
	if (r->counters != PROC_COUNTERS_HW &&
	    r->counters != PROC_COUNTERS_SW) {
		c->kind = r->counters;
		c->err = r->counters_err;
		return;
	}
	if (!first && r->counters != c->kind) {
		/* events that cannot be compared: none at all */
		c->kind = PROC_COUNTERS_NONE;
		c->err = MIXED;
		return;
	}
	c->kind = r->counters;
	if (c->n[side] == c->cap[side]) {
		c->cap[side] = c->cap[side] ? 2 * c->cap[side] : 16;
		for (int i = 0; i < 2; i++)
			c->v[side][i] = xreallocarray(c->v[side][i],
						      c->cap[side],
						      sizeof(double));
	}
	for (int i = 0; i < 2; i++)
		c->v[side][i][c->n[side]] = (double)r->count[i];
	c->n[side]++;
}

void
counters_release(struct counters *c)
{
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < 2; i++)
			free(c->v[s][i]);
	memset(c->v, 0, sizeof(c->v));
	c->n[0] = c->n[1] = c->cap[0] = c->cap[1] = 0;
}

void
counters_why(const struct counters *c, struct sbuf *out)
{
	int e = c->err;

	if (!c->sandboxed) {
		sbuf_adds(out, "the runs were not sandboxed, and only "
			  "pesq-measure, the sandbox's first process, counts");
		return;
	}
	if (c->kind == PROC_COUNTERS_UNSAID) {
		sbuf_adds(out, "pesq-measure reported no counters (an older "
			  "one?)");
		return;
	}
	if (e == 0) {
		sbuf_adds(out, "turned off (PESQ_MEASURE_COUNTERS=off)");
		return;
	}
	if (e == -1) {
		sbuf_adds(out, "the counters never ran (every hardware "
			  "counter taken?)");
		return;
	}
	if (e == MIXED) {
		sbuf_adds(out, "the runs counted different events");
		return;
	}
	sbuf_addf(out, "perf_event_open: %s", strerror(e));
	if (e == ENOENT || e == EOPNOTSUPP || e == ENODEV)
		sbuf_adds(out, ": no hardware counters here (a virtual "
			  "machine without a virtual PMU?)");
	else if (e == EACCES || e == EPERM)
		sbuf_adds(out, ": not allowed (kernel.perf_event_paranoid "
			  "above 2, or a seccomp filter)");
	else if (e == ENOSYS)
		sbuf_adds(out, ": no perf events in this kernel, or a "
			  "seccomp filter");
}

/* n with a unit for people: 950, 12.3k, 4.56M, 7.89G. */
static void
human(struct sbuf *out, double n)
{
	static const char unit[] = " kMGTP";
	int u = 0;

	while (n >= 999.5 && u < 5) {
		n /= 1000;
		u++;
	}
	if (u == 0)
		sbuf_addf(out, "%.0f", n);
	else
		sbuf_addf(out, "%.3g%c", n, unit[u]);
}

void
counters_write(const struct counters *c, struct jw *w, struct sbuf *said)
{
	int sw = c->kind == PROC_COUNTERS_SW;
	struct sbuf why = SBUF_INIT;

	if (c->runs == 0)
		return;
	jw_key(w, "counters");
	jw_obj(w);
	if ((c->kind != PROC_COUNTERS_HW && !sw) || !c->n[0] || !c->n[1]) {
		if (c->kind == PROC_COUNTERS_HW || sw)
			sbuf_adds(&why, "a side has no timed run");
		else
			counters_why(c, &why);
		jw_key(w, "unavailable");
		jw_str(w, why.buf);
		jw_obj_end(w);
		sbuf_release(&why);
		return;
	}
	jw_key(w, "events");
	jw_str(w, sw ? "sw" : "hw");
	for (int i = 0; i < 2; i++) {
		double m[2];

		for (int s = 0; s < 2; s++)
			m[s] = round(stats_median(c->v[s][i], c->n[s]));
		jw_key(w, keys[sw][i]);
		jw_obj(w);
		jw_key(w, "base");
		jw_uint(w, (unsigned long long)m[0]);
		jw_key(w, "cand");
		jw_uint(w, (unsigned long long)m[1]);
		jw_obj_end(w);
		sbuf_addf(said, "%s%s ", i ? ", " : "", words[sw][i]);
		human(said, m[0]);
		sbuf_adds(said, " -> ");
		human(said, m[1]);
	}
	jw_obj_end(w);
}
