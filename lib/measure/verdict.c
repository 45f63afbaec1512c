#include <stdlib.h>
#include <string.h>

#include "measure/verdict.h"
#include "base/xalloc.h"

/* Numbers of the array at tok into a new array; -1 when not numbers. */
static int
numbers(const struct jsonl_rec *rec, int tok, double **out, size_t *n)
{
	int cnt = jsonl_is_array(rec, tok) ? jsonl_count(rec, tok) : -1;

	if (cnt < 0)
		return -1;
	*out = xmalloc(((size_t)cnt + 1) * sizeof(**out));
	for (int i = 0; i < cnt; i++)
		if (jsonl_num(rec, jsonl_at(rec, tok, i), &(*out)[i]) < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
	*n = (size_t)cnt;
	return 0;
}

static int
get_num(const struct jsonl_rec *rec, int obj, const char *key, double *v)
{
	return jsonl_num(rec, jsonl_get(rec, obj, key), v);
}

static int
get_size(const struct jsonl_rec *rec, int obj, const char *key, size_t *v)
{
	long long x;

	if (jsonl_int(rec, jsonl_get(rec, obj, key), &x) < 0 || x < 0)
		return -1;
	*v = (size_t)x;
	return 0;
}

int
verdict_recompute(const struct jsonl_rec *rec, int tok, struct jw *w,
		  int *same, struct sbuf *msg)
{
	static const char *const computed[] = {
		"speedup", "ci", "p", "decision", "reason", NULL
	};
	struct timing_param p = { 0 };
	struct timing_samples s = TIMING_SAMPLES_INIT;
	struct timing_stats st;
	struct sbuf limit = SBUF_INIT, key = SBUF_INIT, reason = SBUF_INIT;
	double *v[4] = { NULL, NULL, NULL, NULL }, seed, lo, hi;
	size_t n[4], min_r, max_r, nboot, i;
	const char *paths[4][2] = {
		{ "base", "wall" }, { "base", "cpu" },
		{ "cand", "wall" }, { "cand", "cpu" }
	};
	int dec = jsonl_get(rec, tok, "decision"), ci, ret = -1;

	if (dec < 0 || !jsonl_is_string(rec, dec)) {
		sbuf_adds(msg, "no 'decision' in 'bench'");
		return -1;
	}
	if (jsonl_streq(rec, jsonl_get(rec, tok, "metric"), "cpu"))
		p.metric = TIMING_CPU;
	else if (!jsonl_streq(rec, jsonl_get(rec, tok, "metric"), "wall")) {
		sbuf_adds(msg, "'bench.metric' is neither 'wall' nor 'cpu'");
		return -1;
	}
	if (get_num(rec, tok, "confidence", &p.confidence) < 0 ||
	    get_num(rec, tok, "min_gain", &p.min_gain) < 0 ||
	    get_num(rec, tok, "seed", &seed) < 0 ||
	    get_size(rec, tok, "boot", &nboot) < 0 ||
	    get_size(rec, tok, "min_rounds", &min_r) < 0 ||
	    get_size(rec, tok, "max_rounds", &max_r) < 0) {
		sbuf_adds(msg, "'bench' lacks a parameter (confidence, "
			  "min_gain, seed, boot, min_rounds, max_rounds)");
		return -1;
	}
	p.seed = (uint64_t)seed;
	p.nboot = nboot;
	p.min_rounds = min_r;
	p.max_rounds = max_r;
	for (i = 0; i < 4; i++) {
		int t = jsonl_get(rec, jsonl_get(rec, tok, paths[i][0]),
				  paths[i][1]);

		if (numbers(rec, t, &v[i], &n[i]) < 0) {
			sbuf_addf(msg, "'bench.%s.%s' is not an array of "
				  "numbers", paths[i][0], paths[i][1]);
			goto out;
		}
	}
	if (n[1] != n[0] || n[2] != n[0] || n[3] != n[0]) {
		sbuf_adds(msg, "the sample arrays of 'bench' differ in length");
		goto out;
	}
	for (i = 0; i < n[0]; i++)
		timing_samples_add(&s, v[0][i], v[1][i], v[2][i], v[3][i]);
	jsonl_str(rec, jsonl_get(rec, tok, "limit"), &limit);
	if (!strcmp(limit.buf, "budget"))
		timing_analyze_last(&s, &p, &st);
	else
		timing_analyze(&s, &p, &st);
	jw_obj(w);
	for (int k = tok + 1; k < jsonl_skip(rec, tok);
	     k = jsonl_skip(rec, k + 1)) {
		int skip = 0;

		sbuf_reset(&key);
		jsonl_str(rec, k, &key);
		for (const char *const *c = computed; *c; c++)
			skip |= !strcmp(key.buf, *c);
		if (skip)
			continue;
		jw_key(w, key.buf);
		jw_tok(w, rec, k + 1);
	}
	bench_outcome(w, &st, &p, limit.len ? limit.buf : NULL, &reason);
	jw_obj_end(w);
	ci = jsonl_get(rec, tok, "ci");
	*same = jsonl_streq(rec, dec, bench_verdict_name(bench_decided(st.decision)))
		&& jsonl_num(rec, jsonl_at(rec, ci, 0), &lo) == 0 &&
		jsonl_num(rec, jsonl_at(rec, ci, 1), &hi) == 0 &&
		lo == st.lo && hi == st.hi;
	ret = 0;
out:
	for (i = 0; i < 4; i++)
		free(v[i]);
	timing_samples_release(&s);
	sbuf_release(&limit);
	sbuf_release(&key);
	sbuf_release(&reason);
	return ret;
}

void
verdict_summary(const struct bench_result *r, const struct timing_param *p,
		const char *id, struct sbuf *out)
{
	const struct timing_stats *st = &r->st;

	if (!r->timed) {
		sbuf_addf(out, "%s: %s%s%s", id, bench_verdict_name(r->verdict),
			  r->reason.len ? ": " : "", r->reason.buf);
		return;
	}
	if (st->speedup >= 1)
		sbuf_addf(out, "%s: %.2fx faster", id, st->speedup);
	else
		sbuf_addf(out, "%s: %.2fx (slower)", id, st->speedup);
	sbuf_addf(out, " (%g%% CI %.2f-%.2f, %zu rounds, %s time",
		  p->confidence * 100, st->lo, st->hi, st->rounds,
		  timing_metric_name(r->metric));
	if (r->counted.len)
		sbuf_addf(out, "; %s, for information", r->counted.buf);
	if (r->cpus > 0 && r->load > r->cpus)
		sbuf_addf(out, "; warning: load %.2f above the %d CPUs during "
			  "the rounds", r->load, r->cpus);
	sbuf_addf(out, "): %s", bench_verdict_name(r->verdict));
}

int
verdict_recompute_line(const struct jsonl_rec *rec, struct sbuf *out,
		       struct sbuf *msg)
{
	int tok = jsonl_get(rec, 0, "bench"), same = 1, ret = 0;
	struct sbuf b = SBUF_INIT, key = SBUF_INIT;
	struct jw w;

	jw_init(&w, &b);
	if (tok < 0 || jsonl_get(rec, tok, "decision") < 0) {
		sbuf_add(out, rec->buf, rec->len);
	} else if (verdict_recompute(rec, tok, &w, &same, msg) < 0) {
		sbuf_add(out, rec->buf, rec->len);
		ret = -1;
	} else {
		struct jw o;

		/* every member in its place, bench replaced */
		jw_init(&o, out);
		jw_obj(&o);
		for (int k = 1; k < rec->ntok; k = jsonl_skip(rec, k + 1)) {
			sbuf_reset(&key);
			jsonl_str(rec, k, &key);
			jw_key(&o, key.buf);
			if (k + 1 == tok)
				jw_raw(&o, b.buf, b.len);
			else
				jw_tok(&o, rec, k + 1);
		}
		jw_obj_end(&o);
		jw_release(&o);
		ret = !same;
	}
	sbuf_addc(out, '\n');
	jw_release(&w);
	sbuf_release(&b);
	sbuf_release(&key);
	return ret;
}

void
verdict_calibrate_record(const struct bench_result *r, const char *base,
			 double noise, int stored, struct sbuf *out)
{
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "calibrate");
	jw_obj(&w);
	jw_key(&w, "base");
	jw_str(&w, base);
	jw_key(&w, "noise");
	if (noise >= 0)
		jw_numg(&w, noise, 4);
	else
		jw_null(&w);
	jw_key(&w, "stored");
	jw_bool(&w, stored);
	jw_obj_end(&w);
	jw_key(&w, "bench");
	jw_raw(&w, r->bench.buf, r->bench.len);
	if (r->verdict == BENCH_ERROR) {
		jw_key(&w, "verdict_reason");
		jw_str(&w, r->reason.buf);
	}
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
}

uint64_t
verdict_seed(const char *id)
{
	uint32_t h = 2166136261u;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return h;
}

void
verdict_record(const struct jsonl_rec *rec, const struct bench_result *r,
	       struct sbuf *out)
{
	static const char *const mine[] = {
		"test", "bench", "checks", "verdict", "verdict_reason", NULL
	};
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jsonl_copy_except(rec, &w, mine);
	if (r->test.len) {
		jw_key(&w, "test");
		jw_raw(&w, r->test.buf, r->test.len);
	}
	if (r->bench.len) {
		jw_key(&w, "bench");
		jw_raw(&w, r->bench.buf, r->bench.len);
	}
	if (r->checks.len) {
		jw_key(&w, "checks");
		jw_raw(&w, r->checks.buf, r->checks.len);
	}
	jw_key(&w, "verdict");
	jw_str(&w, bench_verdict_name(r->verdict));
	jw_key(&w, "verdict_reason");
	jw_str(&w, r->reason.buf);
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
}
