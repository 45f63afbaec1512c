/*
 * Unit tests for lib/measure/counters: the medians of what pesq-measure
 * counted, the phrase for people, and why there are none.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "measure/counters.h"
#include "tap.h"

/* A run's result as sandbox_report_parse leaves it. */
static struct proc_res
run(enum proc_counters kind, int err, unsigned long long a,
    unsigned long long b)
{
	struct proc_res r;

	memset(&r, 0, sizeof(r));
	r.counters = kind;
	r.counters_err = err;
	r.count[0] = a;
	r.count[1] = b;
	return r;
}

/* The "counters" member c writes, and what it says to people. */
static void
written(const struct counters *c, struct sbuf *json, struct sbuf *said)
{
	struct jw w;

	sbuf_reset(json);
	sbuf_reset(said);
	jw_init(&w, json);
	jw_obj(&w);
	counters_write(c, &w, said);
	jw_obj_end(&w);
	jw_release(&w);
}

static void
test_medians(void)
{
	struct counters c = COUNTERS_INIT(1);
	struct sbuf json = SBUF_INIT, said = SBUF_INIT;
	struct proc_res r;
	unsigned long long base[] = { 41200000, 41000000, 90000000, 41300000 };

	written(&c, &json, &said);
	is_str(json.buf, "{}", "no run: nothing written");
	for (int i = 0; i < 4; i++) {
		r = run(PROC_COUNTERS_HW, 0, base[i], 1500000000ULL);
		counters_add(&c, 0, &r);
		r = run(PROC_COUNTERS_HW, 0, 33000000 + (unsigned)i, 987);
		counters_add(&c, 1, &r);
	}
	written(&c, &json, &said);
	is_str(json.buf, "{\"counters\":{\"events\":\"hw\",\"instructions\":"
	       "{\"base\":41250000,\"cand\":33000002},\"cycles\":{\"base\":"
	       "1500000000,\"cand\":987}}}",
	       "medians of each side, rounded; an outlier does not move them");
	is_str(said.buf, "instructions 41.2M -> 33M, cycles 1.5G -> 987",
	       "the phrase for people");
	counters_release(&c);
	sbuf_release(&json);
	sbuf_release(&said);
}

/* The reason c gives after one run r of each side. */
static void
is_why(int sandboxed, struct proc_res r, const char *want, const char *what)
{
	struct counters c = COUNTERS_INIT(sandboxed);
	struct sbuf json = SBUF_INIT, said = SBUF_INIT, exp = SBUF_INIT;

	counters_add(&c, 0, &r);
	counters_add(&c, 1, &r);
	written(&c, &json, &said);
	sbuf_addf(&exp, "{\"counters\":{\"unavailable\":\"%s\"}}", want);
	is_str(json.buf, exp.buf, "%s", what);
	is_int((int)said.len, 0, "%s: nothing said to people", what);
	counters_release(&c);
	sbuf_release(&json);
	sbuf_release(&said);
	sbuf_release(&exp);
}

static void
test_why(void)
{
	char s[256];

	snprintf(s, sizeof(s), "perf_event_open: %s: no hardware counters "
		 "here (a virtual machine without a virtual PMU?)",
		 strerror(ENOENT));
	is_why(1, run(PROC_COUNTERS_NONE, ENOENT, 0, 0), s, "no PMU");
	snprintf(s, sizeof(s), "perf_event_open: %s: not allowed "
		 "(kernel.perf_event_paranoid above 2, or a seccomp filter)",
		 strerror(EACCES));
	is_why(1, run(PROC_COUNTERS_NONE, EACCES, 0, 0), s, "not allowed");
	is_why(1, run(PROC_COUNTERS_NONE, 0, 0, 0),
	       "turned off (PESQ_MEASURE_COUNTERS=off)", "turned off");
	is_why(1, run(PROC_COUNTERS_NONE, -1, 0, 0), "the counters never ran "
	       "(every hardware counter taken?)", "never ran");
	is_why(1, run(PROC_COUNTERS_UNSAID, 0, 0, 0), "pesq-measure reported "
	       "no counters (an older one?)", "an older pesq-measure");
	is_why(0, run(PROC_COUNTERS_UNSAID, 0, 0, 0), "the runs were not "
	       "sandboxed, and only pesq-measure, the sandbox's first "
	       "process, counts", "no sandbox");
}

static void
test_mixed(void)
{
	struct counters c = COUNTERS_INIT(1);
	struct sbuf json = SBUF_INIT, said = SBUF_INIT;
	struct proc_res r = run(PROC_COUNTERS_HW, 0, 5, 6);

	counters_add(&c, 0, &r);
	r = run(PROC_COUNTERS_NONE, EACCES, 0, 0);
	counters_add(&c, 1, &r);
	r = run(PROC_COUNTERS_HW, 0, 5, 6);
	counters_add(&c, 1, &r);
	written(&c, &json, &said);
	ok(strstr(json.buf, "\"unavailable\":\"perf_event_open: ") != NULL,
	   "one run without counters makes them all unavailable");
	counters_release(&c);
	c = (struct counters)COUNTERS_INIT(1);
	counters_add(&c, 0, &r);
	r = run(PROC_COUNTERS_SW, 0, 5, 6);
	counters_add(&c, 1, &r);
	written(&c, &json, &said);
	is_str(json.buf, "{\"counters\":{\"unavailable\":\"the runs counted "
	       "different events\"}}", "hw and sw runs are not compared");
	counters_release(&c);
	c = (struct counters)COUNTERS_INIT(1);
	counters_add(&c, 0, &r);
	written(&c, &json, &said);
	is_str(json.buf, "{\"counters\":{\"unavailable\":\"a side has no "
	       "timed run\"}}", "one side only: none");
	counters_release(&c);
	sbuf_release(&json);
	sbuf_release(&said);
}

int
main(void)
{
	test_medians();
	test_why();
	test_mixed();
	return done_testing();
}
