#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "measure/bench.h"
#include "run/proc.h"
#include "measure/stats.h"
#include "base/xalloc.h"

#define LOG_MAX 4096		/* bytes of a failing test's output kept */
#define OUT_MAX (1 << 20)	/* bytes of the benchmark's stdout compared */
#define LINE_MAX_ 200		/* bytes of a differing line shown */

static const char *const names[] = {
	"accepted", "rejected", "inconclusive", "build-failed",
	"test-failed", "output-differs", "unsafe", "differs", "error"
};

const char *
bench_verdict_name(enum bench_verdict v)
{
	return names[v];
}

void
bench_result_release(struct bench_result *r)
{
	sbuf_release(&r->reason);
	sbuf_release(&r->test);
	sbuf_release(&r->bench);
	sbuf_release(&r->checks);
	sbuf_release(&r->checks_note);
	sbuf_release(&r->counted);
}

/*
 * Run cmd in dir in the sandbox; 0 or -1 (errno). What it printed is
 * redacted of known secrets before anything looks at it (its SHA-256,
 * for the output check, is of what it really printed).
 */
static int
run(const struct bench_opt *o, const char *dir, const char *cmd,
    size_t out_max, size_t err_max, struct proc_res *res)
{
	struct proc_opt po = { 0 };

	po.cmd = cmd;
	po.dir = dir;
	po.timeout = o->timeout;
	po.out_max = out_max;
	po.err_max = err_max;
	if (sandbox_run(o->sb, &po, res, NULL) < 0)
		return -1;
	if (o->redact) {
		redact_apply(o->redact, &res->out);
		redact_apply(o->redact, &res->err);
	}
	return 0;
}

/* The last LOG_MAX bytes of s, from a line start when one is near. */
static void
tail(struct jw *w, const struct sbuf *s)
{
	const char *p = s->buf;
	size_t n = s->len;

	if (n > LOG_MAX) {
		const char *nl;

		p += n - LOG_MAX;
		n = LOG_MAX;
		if ((nl = memchr(p, '\n', n)) && nl - p < 512) {
			n -= (size_t)(nl + 1 - p);
			p = nl + 1;
		}
	}
	jw_strn(w, p, n);
}

/* The test command on the candidate; returns 0 when it passed. */
static int
test(const struct bench_opt *o, const char *dir, struct bench_result *r)
{
	struct sbuf cmd = SBUF_INIT, lim = SBUF_INIT;
	struct proc_res res;
	struct jw w;
	int ok;

	jw_init(&w, &r->test);
	jw_obj(&w);
	if (!o->test_cmd) {
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "skipped");
		jw_bool(&w, 1);
		jw_obj_end(&w);
		jw_release(&w);
		return 0;
	}
	/* one stream, in the order written: the log reads as on a terminal */
	sbuf_addf(&cmd, "exec 2>&1\n%s", o->test_cmd);
	if (run(o, dir, cmd.buf, OUT_MAX, 0, &res) < 0) {
		sbuf_addf(&r->reason, "cannot run the test command: %s",
			  strerror(errno));
		sbuf_release(&cmd);
		jw_release(&w);
		sbuf_reset(&r->test);
		r->verdict = BENCH_ERROR;
		return -1;
	}
	ok = !res.timed_out && !res.stopped && res.exit_code == 0;
	jw_key(&w, "ok");
	jw_bool(&w, ok);
	jw_key(&w, "ms");
	jw_int(&w, (long long)(res.wall * 1000 + 0.5));
	if (!ok) {
		r->verdict = BENCH_TEST_FAILED;
		if (res.timed_out)
			sbuf_addf(&r->reason, "the test command timed out "
				  "after %g s and was killed", o->timeout);
		else if (sandbox_limit_message(o->sb, &res, &lim))
			sbuf_addf(&r->reason, "the test command failed: %s",
				  lim.buf);
		else
			sbuf_addf(&r->reason, "the test command exited with "
				  "status %d", res.exit_code);
		if (lim.len)
			sbuf_addf(&res.out, "\npesq: %s\n", lim.buf);
	}
	jw_key(&w, "log");
	if (ok)
		jw_str(&w, "");
	else
		tail(&w, &res.out);
	jw_obj_end(&w);
	proc_res_release(&res);
	sbuf_release(&cmd);
	sbuf_release(&lim);
	jw_release(&w);
	return ok ? 0 : -1;
}

/* Length of the line at p (without its newline), at most n. */
static size_t
linelen(const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);

	return nl ? (size_t)(nl - p) : n;
}

static void
bounded(struct jw *w, const char *p, size_t n)
{
	jw_strn(w, p, n < LINE_MAX_ ? n : LINE_MAX_);
}

/*
 * Where do the two outputs first differ? Writes the "output" member of
 * the bench object and the reason.
 */
static void
output_diff(struct jw *w, const struct proc_res *a, const struct proc_res *b,
	    struct sbuf *reason)
{
	const char *pa = a->out.buf, *pb = b->out.buf;
	size_t na = a->out.len, nb = b->out.len, line = 1;

	jw_key(w, "output");
	jw_obj(w);
	jw_key(w, "base_status");
	jw_int(w, a->exit_code);
	jw_key(w, "cand_status");
	jw_int(w, b->exit_code);
	if (a->exit_code != b->exit_code)
		sbuf_addf(reason, "exit status %d on the base, %d on the "
			  "candidate", a->exit_code, b->exit_code);
	if (memcmp(a->out_sha, b->out_sha, sizeof(a->out_sha))) {
		for (;;) {
			size_t la = linelen(pa, na), lb = linelen(pb, nb);

			if (la != lb || memcmp(pa, pb, la) ||
			    la == na || lb == nb)
				break;
			pa += la + 1, na -= la + 1;
			pb += lb + 1, nb -= lb + 1;
			line++;
		}
		jw_key(w, "line");
		jw_uint(w, line);
		jw_key(w, "base");
		bounded(w, pa, linelen(pa, na));
		jw_key(w, "cand");
		bounded(w, pb, linelen(pb, nb));
		sbuf_addf(reason, "%sstdout differs at line %zu",
			  reason->len ? "; " : "", line);
	}
	jw_obj_end(w);
}

static void
machine(struct jw *w)
{
	static struct sbuf cc = SBUF_INIT;
	static int have_cc;
	struct sbuf s = SBUF_INIT;
	struct utsname u;
	double load[3];
	FILE *fp;

	jw_key(w, "machine");
	jw_obj(w);
	jw_key(w, "cpu");
	if (sbuf_read_file(&s, "/proc/cpuinfo") == 0) {
		const char *m = strstr(s.buf, "model name");
		const char *c = m ? strchr(m, ':') : NULL;

		if (c) {
			c++;
			while (*c == ' ' || *c == '\t')
				c++;
			jw_strn(w, c, strcspn(c, "\n"));
		} else {
			jw_null(w);
		}
	} else {
		jw_null(w);
	}
	jw_key(w, "cores");
	jw_int(w, sysconf(_SC_NPROCESSORS_ONLN));
	jw_key(w, "kernel");
	if (uname(&u) == 0) {
		sbuf_reset(&s);
		sbuf_addf(&s, "%s %s %s", u.sysname, u.release, u.machine);
		jw_str(w, s.buf);
	} else {
		jw_null(w);
	}
	if (!have_cc) {
		struct proc_opt po = { 0 };
		struct proc_res r;
		const char *c = getenv("CC");

		sbuf_reset(&s);
		sbuf_addf(&s, "%s --version", c && *c ? c : "cc");
		po.cmd = s.buf;
		po.timeout = 10;
		po.out_max = 512;
		if (proc_run(&po, &r) == 0) {
			if (r.exit_code == 0)
				sbuf_add(&cc, r.out.buf,
					 linelen(r.out.buf, r.out.len));
			proc_res_release(&r);
		}
		have_cc = 1;
	}
	jw_key(w, "compiler");
	if (cc.len)
		jw_str(w, cc.buf);
	else
		jw_null(w);
	jw_key(w, "load");
	if ((fp = fopen("/proc/loadavg", "r")) &&
	    fscanf(fp, "%lf %lf %lf", &load[0], &load[1], &load[2]) == 3) {
		jw_arr(w);
		for (int i = 0; i < 3; i++)
			jw_num(w, load[i]);
		jw_arr_end(w);
	} else {
		jw_null(w);
	}
	if (fp)
		fclose(fp);
	jw_obj_end(w);
	sbuf_release(&s);
}

static void
params(struct jw *w, const struct bench_opt *o, const struct timing_param *p)
{
	jw_key(w, "metric_asked");
	jw_str(w, timing_metric_name(p->metric));
	jw_key(w, "confidence");
	jw_num(w, p->confidence);
	jw_key(w, "min_gain");
	jw_num(w, p->min_gain);
	jw_key(w, "seed");
	jw_uint(w, p->seed);
	jw_key(w, "boot");
	jw_uint(w, p->nboot);
	jw_key(w, "min_rounds");
	jw_uint(w, p->min_rounds);
	jw_key(w, "max_rounds");
	jw_uint(w, p->max_rounds);
	jw_key(w, "max_rss_growth");
	if (o->max_rss_growth >= 0)
		jw_num(w, o->max_rss_growth);
	else
		jw_null(w);
	jw_key(w, "warmup");
	jw_int(w, o->warmup);
	jw_key(w, "order");
	jw_str(w, "ABBA,BAAB");
	jw_key(w, "sandbox");
	jw_bool(w, o->sb->on);
}

static void
side(struct jw *w, const char *key, const double *wall, const double *cpu,
     size_t n)
{
	jw_key(w, key);
	jw_obj(w);
	jw_key(w, "wall");
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_num(w, wall[i]);
	jw_arr_end(w);
	jw_key(w, "cpu");
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_num(w, cpu[i]);
	jw_arr_end(w);
	jw_obj_end(w);
}

/* Medians of one metric on both sides and their ratio. */
static void
figures(struct jw *w, const char *key, double *const v[2], size_t n)
{
	double b = stats_median(v[0], n), c = stats_median(v[1], n);

	jw_key(w, key);
	jw_obj(w);
	jw_key(w, "base");
	jw_num(w, b);
	jw_key(w, "cand");
	jw_num(w, c);
	jw_key(w, "speedup");
	if (n && c > 0)
		jw_num(w, b / c);
	else
		jw_null(w);
	jw_obj_end(w);
}

/*
 * The metric the timing uses (auto: wall when a side's first run used
 * more than one CPU at a time), and what decided it, into w.
 */
static void
resolve(const struct bench_opt *o, struct jw *w, struct bench_result *r)
{
	r->metric = o->param.metric;
	if (r->metric == TIMING_AUTO)
		r->metric = r->par[0] > BENCH_PARALLEL ||
			r->par[1] > BENCH_PARALLEL ? TIMING_WALL : TIMING_CPU;
	jw_key(w, "metric");
	jw_str(w, timing_metric_name(r->metric));
	jw_key(w, "parallel");
	jw_arr(w);
	jw_numg(w, r->par[0], 3);
	jw_numg(w, r->par[1], 3);
	jw_arr_end(w);
}

/* Peak memory and the machine's load, into w. */
static void
resources(struct jw *w, struct bench_result *r)
{
	jw_key(w, "rss");
	jw_obj(w);
	jw_key(w, "base");
	jw_int(w, r->rss[0]);
	jw_key(w, "cand");
	jw_int(w, r->rss[1]);
	jw_obj_end(w);
	r->cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	jw_key(w, "load");
	jw_obj(w);
	jw_key(w, "avg");
	jw_numg(w, r->load, 3);
	jw_key(w, "cpus");
	jw_int(w, r->cpus);
	jw_obj_end(w);
}

/*
 * --max-rss-growth: a candidate whose first run's peak resident set is
 * above the base's times 1 + the limit is rejected untimed. Returns 0 to
 * go on.
 */
static int
rss_grows(const struct bench_opt *o, struct jw *w, struct bench_result *r)
{
	double lim = (double)r->rss[0] * (1 + o->max_rss_growth);

	if (o->max_rss_growth < 0 || r->rss[0] <= 0 || r->rss[1] <= lim)
		return 0;
	r->verdict = BENCH_REJECTED;
	sbuf_addf(&r->reason, "peak memory grows by %.0f%% (%ld KiB on the "
		  "base, %ld KiB on the candidate), more than the %g%% "
		  "allowed", ((double)r->rss[1] / (double)r->rss[0] - 1) * 100,
		  r->rss[0], r->rss[1], o->max_rss_growth * 100);
	resources(w, r);
	jw_key(w, "reason");
	jw_str(w, r->reason.buf);
	return -1;
}

enum bench_verdict
bench_decided(enum timing_decision d)
{
	return d == TIMING_ACCEPT ? BENCH_ACCEPTED :
		d == TIMING_REJECT ? BENCH_REJECTED : BENCH_INCONCLUSIVE;
}

void
bench_outcome(struct jw *w, const struct timing_stats *st, const struct timing_param *p,
	const char *limit, struct sbuf *reason)
{
	jw_key(w, "speedup");
	jw_num(w, st->speedup);
	jw_key(w, "ci");
	jw_arr(w);
	jw_num(w, st->lo);
	jw_num(w, st->hi);
	jw_arr_end(w);
	jw_key(w, "p");
	jw_num(w, st->p);
	jw_key(w, "decision");
	jw_str(w, bench_verdict_name(bench_decided(st->decision)));
	timing_reason(st, p, limit, reason);
	jw_key(w, "reason");
	jw_str(w, reason->buf);
}

/* The timing proper; the bench object is open in w. */
static void
timing(const struct bench_opt *o, const struct timing_param *p,
       const char *base_dir, const char *cand_dir, int status[2],
       struct jw *w, struct bench_result *r)
{
	struct timing_samples s = TIMING_SAMPLES_INIT;
	struct counters ctr = COUNTERS_INIT(o->sb->on);
	struct timing_run_opt ro = { 0 };
	struct timing_param pr = *p;
	const char *dirs[2] = { base_dir, cand_dir }, *limit = NULL;
	int ret;

	for (int i = 0; i < 2; i++) {
		ro.side[i].name = i ? "candidate" : "base";
		ro.side[i].dir = dirs[i];
		ro.side[i].cmd = o->bench_cmd;
		ro.side[i].status = status[i];
	}
	pr.metric = r->metric;
	ro.param = &pr;
	ro.sb = o->sb;
	ro.timeout = o->timeout;
	ro.budget = o->budget;
	ro.warmup = o->warmup;
	ro.counters = &ctr;
	ro.progress = o->progress;
	ro.arg = o->arg;
	ret = timing_run(&ro, &s, &r->st, &limit, &r->reason);
	jw_key(w, "rounds");
	jw_uint(w, s.n / TIMING_PER_ROUND);
	jw_key(w, "limit");
	if (limit)
		jw_str(w, limit);
	else
		jw_null(w);
	side(w, "base", s.wall[0], s.cpu[0], s.n);
	side(w, "cand", s.wall[1], s.cpu[1], s.n);
	figures(w, "cpu", s.cpu, s.n);
	figures(w, "wall", s.wall, s.n);
	for (int i = 0; i < 2; i++)
		if (s.rss[i] > r->rss[i])
			r->rss[i] = s.rss[i];
	r->load = s.load;
	resources(w, r);
	counters_write(&ctr, w, &r->counted);
	counters_release(&ctr);
	if (ret < 0) {
		r->verdict = BENCH_ERROR;
		jw_key(w, "reason");
		jw_str(w, r->reason.buf);
	} else {
		r->timed = 1;
		r->verdict = bench_decided(r->st.decision);
		bench_outcome(w, &r->st, &pr, limit, &r->reason);
	}
	timing_samples_release(&s);
}

/*
 * The benchmark once on each side: the exit status each side must keep,
 * and the output compared. Returns 0 to go on to the timing.
 */
static int
check(const struct bench_opt *o, const char *base_dir, const char *cand_dir,
      int status[2], struct jw *w, struct bench_result *r)
{
	struct proc_res res[2];
	struct sbuf lim = SBUF_INIT;
	const char *dirs[2] = { base_dir, cand_dir };
	int ret = 0, n;

	for (n = 0; n < 2; n++) {
		if (run(o, dirs[n], o->bench_cmd, OUT_MAX, 0, &res[n]) < 0) {
			sbuf_addf(&r->reason, "cannot run the benchmark: %s",
				  strerror(errno));
			ret = -1;
			break;
		}
		status[n] = res[n].exit_code;
		r->par[n] = res[n].wall > 0 ?
			(res[n].user + res[n].sys) / res[n].wall : 0;
		r->rss[n] = res[n].maxrss;
		if (res[n].timed_out) {
			sbuf_addf(&r->reason, "the %s's benchmark timed out "
				  "after %g s and was killed",
				  n ? "candidate" : "base", o->timeout);
			n++;
			ret = -1;
			break;
		}
		if (sandbox_limit_message(o->sb, &res[n], &lim)) {
			sbuf_addf(&r->reason, "the %s's benchmark failed: %s",
				  n ? "candidate" : "base", lim.buf);
			n++;
			ret = -1;
			break;
		}
	}
	if (ret == 0 && status[0] != 0) {
		/* a base that fails measures nothing: a mistake in the setup */
		sbuf_addf(&r->reason, "the base's benchmark exited with status "
			  "%d", status[0]);
		ret = -1;
	}
	if (ret < 0) {
		r->verdict = BENCH_ERROR;
	} else if (o->output_check &&
		   (status[0] != status[1] ||
		    memcmp(res[0].out_sha, res[1].out_sha, 32))) {
		output_diff(w, &res[0], &res[1], &r->reason);
		r->verdict = BENCH_OUTPUT_DIFFERS;
		ret = -1;
	}
	while (n-- > 0)
		proc_res_release(&res[n]);
	sbuf_release(&lim);
	return ret;
}

void
bench_judge(const struct bench_opt *o, const char *base_dir,
	    const char *cand_dir, struct bench_result *r)
{
	struct jw w;
	int status[2], k;

	if (test(o, cand_dir, r) < 0)
		return;
	if (o->refresh && o->refresh(o->refresh_arg, &r->reason) < 0) {
		r->verdict = BENCH_ERROR;
		return;
	}
	jw_init(&w, &r->bench);
	jw_obj(&w);
	params(&w, o, &o->param);
	machine(&w);
	k = check(o, base_dir, cand_dir, status, &w, r);
	resolve(o, &w, r);
	if (k == 0 && rss_grows(o, &w, r) == 0 &&
	    (!o->gate || o->gate(o->gate_arg, r) == 0))
		timing(o, &o->param, base_dir, cand_dir, status, &w, r);
	else if (r->verdict == BENCH_ERROR) {
		jw_key(&w, "reason");
		jw_str(&w, r->reason.buf);
	}
	jw_obj_end(&w);
	jw_release(&w);
}

void
bench_calibrate(const struct bench_opt *o, const char *base_dir,
		struct bench_result *r, double *noise)
{
	struct bench_opt c = *o;
	struct jw w;
	int status[2], k;

	c.output_check = 0;
	c.param.min_rounds = c.param.max_rounds;
	jw_init(&w, &r->bench);
	jw_obj(&w);
	params(&w, &c, &c.param);
	machine(&w);
	k = check(&c, base_dir, base_dir, status, &w, r);
	resolve(&c, &w, r);
	if (k == 0) {
		timing(&c, &c.param, base_dir, base_dir, status, &w, r);
		if (r->timed) {
			double a = r->st.hi - 1, b = 1 - r->st.lo;

			*noise = a > b ? a : b;
		}
	} else {
		jw_key(&w, "reason");
		jw_str(&w, r->reason.buf);
	}
	jw_obj_end(&w);
	jw_release(&w);
}
