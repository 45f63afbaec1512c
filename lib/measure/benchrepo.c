#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/benchrepo.h"
#include "measure/verdict.h"
#include "ledger/best.h"
#include "ledger/notes.h"
#include "ledger/repo.h"
#include "attempt/slot.h"
#include "base/xalloc.h"

static int
resolve(git_repository *repo, const struct jsonl_rec *rec, const char *path,
	git_oid *out, struct bench_result *r)
{
	struct sbuf s = SBUF_INIT;
	int ret = 0;

	if (!jsonl_path_str(rec, path, &s)) {
		sbuf_addf(&r->reason, "no '%s' in the record", path);
		ret = -1;
	} else if (repo_resolve(repo, s.buf, out) < 0) {
		sbuf_addf(&r->reason, "'%s' is not a commit: %s", path,
			  repo_errmsg());
		ret = -1;
	}
	sbuf_release(&s);
	return ret;
}

/* The first line of s into reason. */
static void
first_line(struct sbuf *reason, const char *what, const struct sbuf *s)
{
	sbuf_addf(reason, "%s%.*s", what, (int)strcspn(s->buf, "\n"), s->buf);
}

int
benchrepo_place(git_repository *repo, const struct jsonl_rec *rec,
	      const struct benchrepo_opt *o, struct benchrepo_place *pl,
	      struct bench_result *r)
{
	char hex[2][GIT_OID_HEXSZ + 1];
	struct sbuf e = SBUF_INIT;
	int k;

	r->verdict = BENCH_ERROR;
	if (resolve(repo, rec, "attempt.commit", &pl->commit, r) < 0 ||
	    resolve(repo, rec, "attempt.base", &pl->base, r) < 0)
		return -1;
	pl->have_commit = 1;
	git_oid_tostr(hex[0], sizeof(hex[0]), &pl->base);
	git_oid_tostr(hex[1], sizeof(hex[1]), &pl->commit);
	pl->o = o;
	k = slot_prepare(&pl->base_wt, repo, "base", hex[0], &o->build, &e);
	if (k != 0) {
		first_line(&r->reason, k > 0 ? "the base does not build: " :
			   "the base's worktree: ", &e);
		goto fail;
	}
	pl->have_base = 1;
	k = slot_prepare(&pl->cand_wt, repo, o->slot, hex[1], &o->build, &e);
	if (k != 0) {
		if (k > 0)
			r->verdict = BENCH_BUILD_FAILED;
		first_line(&r->reason, k > 0 ? "" : "the candidate's worktree: ",
			   &e);
		goto fail;
	}
	pl->have_cand = 1;
	pl->base_dir = pl->base_wt.path;
	pl->cand_dir = pl->cand_wt.path;
	sbuf_release(&e);
	return 0;
fail:
	sbuf_release(&e);
	return -1;
}

void
benchrepo_place_release(struct benchrepo_place *pl)
{
	struct sbuf e = SBUF_INIT;

	/* a failure here is met again, and said, at the next use */
	if (pl->have_cand) {
		slot_clean(&pl->cand_wt, &e);
		worktree_close(&pl->cand_wt);
	}
	if (pl->have_base) {
		slot_clean(&pl->base_wt, &e);
		worktree_close(&pl->base_wt);
	}
	pl->have_cand = pl->have_base = 0;
	sbuf_release(&e);
}

int
benchrepo_refresh(void *arg, struct sbuf *err)
{
	struct benchrepo_place *pl = arg;
	char hex[GIT_OID_HEXSZ + 1];
	struct sbuf e = SBUF_INIT;
	int k;

	git_oid_tostr(hex, sizeof(hex), &pl->commit);
	k = slot_refresh(&pl->cand_wt, hex, &pl->o->build, &e);
	if (k != 0)
		first_line(err, k > 0 ? "the candidate did not build again "
			   "after its test: " : "the candidate's worktree: ",
			   &e);
	sbuf_release(&e);
	return k ? -1 : 0;
}

/*
 * Start a line of the ledger at the end of lines (after a newline when
 * lines holds one already): {"event":event,"attempt":id,"time":when,
 * and the caller's members; line_end closes it.
 */
static void
line_start(struct jw *w, struct sbuf *lines, const char *event,
	   const char *id, long long when)
{
	if (lines->len)
		sbuf_addc(lines, '\n');
	jw_init(w, lines);
	jw_obj(w);
	jw_key(w, "event");
	jw_str(w, event);
	jw_key(w, "attempt");
	jw_str(w, id);
	jw_key(w, "time");
	jw_int(w, when);
}

static void
line_end(struct jw *w)
{
	jw_obj_end(w);
	jw_release(w);
}

/* The model: the record's llm.model, else the attempt's Pesq-Model. */
static void
model_of(git_repository *repo, const struct jsonl_rec *rec,
	 const git_oid *commit, struct sbuf *out)
{
	git_commit *c = NULL;
	const char *m, *k = "\nPesq-Model: ";

	if (jsonl_path_str(rec, "llm.model", out))
		return;
	if (git_commit_lookup(&c, repo, commit) == 0 &&
	    (m = strstr(git_commit_message(c), k))) {
		m += strlen(k);
		sbuf_add(out, m, strcspn(m, "\n"));
	}
	git_commit_free(c);
}

/*
 * The line for the note of pesq/best's new commit: what was accepted and
 * how much faster, for people reading `git log --notes=pesq pesq/best`.
 */
static void
accepted_line(git_repository *repo, const struct jsonl_rec *rec,
	      const struct benchrepo_place *pl, const char *id,
	      const struct timing_param *p, const struct bench_result *r,
	      long long when, struct sbuf *line, struct sbuf *key)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct sbuf model = SBUF_INIT;
	struct jw w;

	git_oid_tostr(hex, sizeof(hex), &pl->commit);
	line_start(&w, line, "accepted", id, when);
	jw_key(&w, "speedup");
	jw_numg(&w, r->st.speedup, 5);
	jw_key(&w, "ci");
	jw_arr(&w);
	jw_numg(&w, r->st.lo, 5);
	jw_numg(&w, r->st.hi, 5);
	jw_arr_end(&w);
	jw_key(&w, "confidence");
	jw_num(&w, p->confidence);
	jw_key(&w, "p");
	jw_numg(&w, r->st.p, 2);
	jw_key(&w, "rounds");
	jw_uint(&w, r->st.rounds);
	jw_key(&w, "metric");
	jw_str(&w, timing_metric_name(p->metric));
	jw_key(&w, "min_gain");
	jw_num(&w, p->min_gain);
	model_of(repo, rec, &pl->commit, &model);
	if (model.len) {
		jw_key(&w, "model");
		jw_str(&w, model.buf);
	}
	jw_key(&w, "attempt_commit");
	jw_str(&w, hex);
	line_end(&w);
	sbuf_addf(key, "\"attempt_commit\":\"%s\"", hex);
	sbuf_release(&model);
}

/*
 * The accepted attempt's commit for pesq/best, made with its note's line
 * (best_prepare): *best gets it. Returns best_prepare's answer; on 1 or
 * -1, r becomes an error with the reason.
 */
static int
advance(git_repository *repo, const struct jsonl_rec *rec,
	const struct benchrepo_place *pl, const char *id,
	const struct timing_param *p, long long when, struct best_step *st,
	struct bench_result *r, git_oid *best)
{
	struct sbuf subj = SBUF_INIT, fn = SBUF_INIT, sum = SBUF_INIT;
	struct sbuf tr = SBUF_INIT, e = SBUF_INIT, note = SBUF_INIT;
	struct sbuf key = SBUF_INIT;
	int k;

	if (!jsonl_path_str(rec, "fn", &fn))
		sbuf_add(&fn, id, strrchr(id, '/') ? (size_t)(strrchr(id, '/')
							      - id) : strlen(id));
	if (!jsonl_path_str(rec, "candidate.summary", &sum))
		sbuf_adds(&sum, "faster");
	sbuf_addf(&subj, "pesq: %s: %s (%.2fx)", fn.buf, sum.buf,
		  r->st.speedup);
	sbuf_addf(&tr, "Pesq-Speedup: %.4f (%g%% CI %.4f-%.4f, %zu rounds, "
		  "%s)\n", r->st.speedup, p->confidence * 100, r->st.lo,
		  r->st.hi, r->st.rounds, timing_metric_name(p->metric));
	accepted_line(repo, rec, pl, id, p, r, when, &note, &key);
	st->subject = subj.buf;
	st->trailers = tr.buf;
	st->note = note.buf;
	st->note_key = key.buf;
	k = best_prepare(repo, st, best, &e);
	if (k == 1 || k < 0) {
		r->verdict = BENCH_ERROR;
		sbuf_reset(&r->reason);
		sbuf_add(&r->reason, e.buf, e.len);
	}
	/* best_move's reflog message: the subject, kept */
	st->subject = sbuf_detach(&subj, NULL);
	st->trailers = st->note = st->note_key = NULL;
	sbuf_release(&fn);
	sbuf_release(&sum);
	sbuf_release(&tr);
	sbuf_release(&e);
	sbuf_release(&note);
	sbuf_release(&key);
	return k;
}

/* A line "event" of the attempt, holding json under key, into lines. */
static void
add_line(struct sbuf *lines, const char *event, const char *id,
	 long long when, const char *key, const struct sbuf *json)
{
	struct jw w;

	if (!json->len)
		return;
	line_start(&w, lines, event, id, when);
	jw_key(&w, key);
	jw_raw(&w, json->buf, json->len);
	line_end(&w);
}

/* The verdict line of r (naming best when set) into lines. */
static void
add_verdict(struct sbuf *lines, const char *id, long long when,
	    const struct bench_result *r, const git_oid *best)
{
	struct jw w;

	line_start(&w, lines, "verdict", id, when);
	jw_key(&w, "verdict");
	jw_str(&w, bench_verdict_name(r->verdict));
	jw_key(&w, "reason");
	jw_str(&w, r->reason.buf);
	if (r->timed) {
		jw_key(&w, "speedup");
		jw_num(&w, r->st.speedup);
	}
	if (best) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), best);
		jw_key(&w, "best");
		jw_str(&w, hex);
	}
	line_end(&w);
}

int
benchrepo_ledger(git_repository *repo, const struct jsonl_rec *rec,
	     const struct benchrepo_place *pl, const char *id,
	     const struct timing_param *p, const struct benchrepo_opt *o,
	     struct bench_result *r, struct sbuf *err)
{
	struct sbuf lines = SBUF_INIT, e = SBUF_INIT;
	struct best_step st = { &pl->commit, &pl->base, NULL, NULL, NULL,
				NULL, o->hook };
	git_signature *sig = NULL;
	long long when = 0;
	git_oid best;
	int k = -1, ret = -1;

	if (repo_signature(repo, 0, &sig) == 0)
		when = (long long)sig->when.time;
	git_signature_free(sig);
	if (r->verdict == BENCH_ACCEPTED && o->advance)
		k = advance(repo, rec, pl, id, p, when, &st, r, &best);
	/* the attempt's lines in one notes commit: all of them or none */
	add_line(&lines, "test", id, when, "test", &r->test);
	add_line(&lines, "checks", id, when, "checks", &r->checks_note);
	add_line(&lines, "bench", id, when, "bench", &r->bench);
	add_verdict(&lines, id, when, r, k == 0 || k == 2 ? &best : NULL);
	if (notes_append(repo, &pl->commit, lines.buf, lines.len, 0) < 0) {
		sbuf_addf(err, "cannot write the note: %s", repo_errmsg());
		goto out;
	}
	if (o->hook)
		o->hook("lines");
	if (k == 0 && best_move(repo, &st, &best, &e) != 0) {
		/* moved by another run between the two halves */
		r->verdict = BENCH_ERROR;
		sbuf_reset(&r->reason);
		sbuf_add(&r->reason, e.buf, e.len);
		sbuf_reset(&lines);
		add_verdict(&lines, id, when, r, NULL);
		if (notes_append(repo, &pl->commit, lines.buf, lines.len,
				 0) < 0) {
			sbuf_addf(err, "cannot write the note: %s",
				  repo_errmsg());
			goto out;
		}
	}
	ret = 0;
out:
	free((char *)st.subject);
	sbuf_release(&lines);
	sbuf_release(&e);
	return ret;
}

int
benchrepo_best_base(git_repository *repo, const struct slot_opt *o,
		struct worktree *wt, char hex[GIT_OID_HEXSZ + 1],
		struct sbuf *err)
{
	struct sbuf e = SBUF_INIT;
	git_oid id;
	int k;

	if (repo_resolve(repo, "refs/heads/pesq/best", &id) < 0 &&
	    repo_resolve(repo, "HEAD", &id) < 0) {
		sbuf_adds(err, "no base: no 'pesq/best' and no HEAD commit");
		return -1;
	}
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &id);
	k = slot_prepare(wt, repo, "base", hex, o, &e);
	if (k != 0)
		sbuf_addf(err, "%s%s", k < 0 ? "worktree 'base': " :
			  "the base does not build: ", e.buf);
	sbuf_release(&e);
	return k;
}

int
benchrepo_read_noise(git_repository *repo, double *noise, struct sbuf *err)
{
	struct sbuf s = SBUF_INIT;
	char *end;
	double v;
	int r = 0;

	if (repo_config_str(repo, "noise", &s) > 0) {
		v = strtod(s.buf, &end);
		if (*end || !(v >= 0 && v < 10)) {
			sbuf_addf(err, "invalid pesq.noise '%s'", s.buf);
			r = -1;
		} else {
			*noise = v;
		}
	}
	sbuf_release(&s);
	return r;
}

int
benchrepo_store_noise(git_repository *repo, double noise, struct sbuf *err)
{
	git_config *cfg = NULL;
	char v[64];
	int r;

	snprintf(v, sizeof(v), "%.4f", noise);
	r = git_repository_config(&cfg, repo) < 0 ||
	    git_config_set_string(cfg, "pesq.noise", v) < 0 ? -1 : 0;
	if (r < 0)
		sbuf_addf(err, "cannot set pesq.noise: %s", repo_errmsg());
	git_config_free(cfg);
	return r;
}

int
benchrepo_settings(git_repository *repo, const char *bench, const char *test,
		   const char *build, struct bench_opt *bo,
		   struct sbuf *build_cmd, double *noise, struct sbuf *err)
{
	struct sbuf s = SBUF_INIT;
	int ret = 0;

	if (bench)
		bo->bench_cmd = xstrdup(bench);
	else if (repo && repo_config_str(repo, "bench", &s) > 0)
		bo->bench_cmd = sbuf_detach(&s, NULL);
	else {
		sbuf_adds(err, "no benchmark command: give --bench or set "
			  "pesq.bench");
		return -1;
	}
	if (test)
		bo->test_cmd = xstrdup(test);
	else if (repo && repo_config_str(repo, "test", &s) > 0)
		bo->test_cmd = sbuf_detach(&s, NULL);
	if (build)
		sbuf_adds(build_cmd, build);
	else if (!repo || repo_config_str(repo, "build", build_cmd) <= 0)
		sbuf_adds(build_cmd, "make");
	if (repo && benchrepo_read_noise(repo, noise, err) < 0)
		ret = -1;
	sbuf_release(&s);
	return ret;
}

int
benchrepo_calibrate(git_repository *repo, const struct bench_opt *o,
		    const char *base_dir, const struct slot_opt *builds,
		    struct sbuf *out, struct sbuf *msg)
{
	struct bench_result r = BENCH_RESULT_INIT;
	struct worktree wt;
	const char *dir = base_dir;
	char hex[GIT_OID_HEXSZ + 1] = "";
	double nz = -1;
	int stored = 0, k;

	if (!dir) {
		k = benchrepo_best_base(repo, builds, &wt, hex, msg);
		if (k != 0)
			return k < 0 ? 3 : 1;
		dir = wt.path;
	}
	bench_calibrate(o, dir, &r, &nz);
	if (r.verdict != BENCH_ERROR && !base_dir) {
		if (benchrepo_store_noise(repo, nz, msg) < 0) {
			worktree_close(&wt);
			bench_result_release(&r);
			return 3;
		}
		stored = 1;
	}
	if (!base_dir)
		worktree_close(&wt);
	verdict_calibrate_record(&r, base_dir ? base_dir : hex, nz, stored,
				 out);
	if (r.verdict == BENCH_ERROR)
		sbuf_add(msg, r.reason.buf, r.reason.len);
	else
		sbuf_addf(msg, "noise floor %.2f%% (%g%% CI %.4f-%.4f, %zu "
			  "rounds)%s", nz * 100, o->param.confidence * 100,
			  r.st.lo, r.st.hi, r.st.rounds, stored ?
			  ", stored in pesq.noise" : "");
	k = r.verdict == BENCH_ERROR;
	bench_result_release(&r);
	return k;
}
