/*
 * The checks of lib/check as a gate of pesq-bench's judgement.
 */
#include <string.h>

#include "measure/benchcheck.h"
#include "ledger/repo.h"

int
benchcheck_settings(git_repository *repo, const struct bench_opt *bo,
		    const char *build_cmd, const char *slot,
		    struct checks_opt *o, struct sbuf *err)
{
	struct sbuf s = SBUF_INIT;
	long long v;
	int b, k;

	o->repo = repo;
	o->build_cmd = build_cmd;
	o->test_cmd = bo->test_cmd;
	o->bench_cmd = bo->bench_cmd;
	o->slot = slot;
	o->run_timeout = bo->timeout > 0 ? 3 * bo->timeout : 0;
	o->sb = bo->sb;
	o->redact = bo->redact;
	if (!repo)
		return 0;

	if (o->sanitize < 0) {
		if ((k = repo_config_bool(repo, "sanitize", &b)) < 0)
			goto bad_bool;
		o->sanitize = k > 0 ? b : 1;
	}
	if (o->differential < 0) {
		if ((k = repo_config_bool(repo, "differential", &b)) < 0)
			goto bad_bool;
		o->differential = k > 0 ? b : 1;
	}
	if (!o->san_build && repo_config_str(repo, "sanitizeBuild", &s) > 0)
		o->san_build = sbuf_detach(&s, NULL);
	if (o->seconds < 0) {
		k = repo_config_int(repo, "checkSeconds", &v);
		if (k < 0 || (k > 0 && (v < 1 || v > 86400))) {
			sbuf_adds(err, "invalid pesq.checkSeconds: a count of "
				  "seconds (1-86400) is needed");
			return -1;
		}
		o->seconds = k > 0 ? (double)v : 10;
	}
	if (repo_config_int(repo, "buildTimeout", &v) > 0 && v > 0)
		o->build_timeout = (double)v;
	if (o->corrections < 0)
		o->corrections = repo_config_int(repo, "attempts", &v) > 0 &&
		    v >= 0 ? (int)v : 2;
	sbuf_release(&s);
	return 0;
bad_bool:
	sbuf_adds(err, "invalid pesq.sanitize or pesq.differential: true or "
		  "false is needed");
	return -1;
}

void
benchcheck_arm(struct benchcheck *g, const struct checks_opt *c,
	       const struct jsonl_rec *rec, const struct benchrepo_place *pl,
	       struct bench_opt *o)
{
	if (!c->sanitize && !c->differential)
		return;
	g->opt = *c;
	g->opt.seed = o->param.seed;
	g->rec = rec;
	git_oid_tostr(g->base, sizeof(g->base), &pl->base);
	git_oid_tostr(g->commit, sizeof(g->commit), &pl->commit);
	g->base_dir = pl->base_dir;
	g->cand_dir = pl->cand_dir;
	o->gate = benchcheck_gate;
	o->gate_arg = g;
}

int
benchcheck_gate(void *arg, struct bench_result *r)
{
	struct benchcheck *g = arg;
	struct checks_result c = CHECKS_RESULT_INIT;
	int stop = 1;

	checks_judge(&g->opt, g->rec, g->base, g->commit, g->base_dir,
		     g->cand_dir, &c);
	sbuf_add(&r->checks, c.json.buf, c.json.len);
	sbuf_add(&r->checks_note, c.note.buf, c.note.len);
	sbuf_add(&g->said, c.said.buf, c.said.len);
	g->ms = c.ms;
	switch (c.outcome) {
	case CHECKS_PASSED: stop = 0; break;
	case CHECKS_UNSAFE: r->verdict = BENCH_UNSAFE; break;
	case CHECKS_DIFFERS: r->verdict = BENCH_DIFFERS; break;
	case CHECKS_BUILD_FAILED: r->verdict = BENCH_BUILD_FAILED; break;
	default: r->verdict = BENCH_ERROR; break;
	}
	if (stop)
		sbuf_add(&r->reason, c.reason.buf, c.reason.len);
	checks_result_release(&c);
	return stop;
}
