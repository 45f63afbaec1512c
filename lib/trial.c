#include <string.h>

#include "trial.h"
#include "best.h"
#include "notes.h"
#include "repo.h"
#include "slot.h"

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
trial_place(git_repository *repo, const struct jsonl_rec *rec,
	      const struct trial_opt *o, struct trial_place *pl,
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
	k = slot_prepare(&pl->base_wt, repo, "base", hex[0], o->build_cmd, 1,
			 o->timeout, &e);
	if (k != 0) {
		first_line(&r->reason, k > 0 ? "the base does not build: " :
			   "the base's worktree: ", &e);
		goto fail;
	}
	pl->have_base = 1;
	k = slot_prepare(&pl->cand_wt, repo, o->slot, hex[1], o->build_cmd, 0,
			 o->timeout, &e);
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
trial_place_release(struct trial_place *pl)
{
	if (pl->have_cand)
		worktree_close(&pl->cand_wt);
	if (pl->have_base)
		worktree_close(&pl->base_wt);
	pl->have_cand = pl->have_base = 0;
}

static void
line_start(struct jw *w, struct sbuf *line, const char *event,
	   const char *id, long long when)
{
	sbuf_reset(line);
	jw_init(w, line);
	jw_obj(w);
	jw_key(w, "event");
	jw_str(w, event);
	jw_key(w, "attempt");
	jw_str(w, id);
	jw_key(w, "time");
	jw_int(w, when);
}

static int
line_end(git_repository *repo, const git_oid *commit, struct jw *w,
	 struct sbuf *line, struct sbuf *err)
{
	jw_obj_end(w);
	jw_release(w);
	if (notes_append(repo, commit, line->buf, line->len, 0) < 0) {
		sbuf_addf(err, "cannot write the note: %s", repo_errmsg());
		return -1;
	}
	return 0;
}

static int
advance(git_repository *repo, const struct jsonl_rec *rec,
	const struct trial_place *pl, const char *id,
	const struct ab_param *p, struct bench_result *r, git_oid *best)
{
	struct sbuf subj = SBUF_INIT, fn = SBUF_INIT, sum = SBUF_INIT;
	struct sbuf tr = SBUF_INIT, e = SBUF_INIT;
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
		  r->st.hi, r->st.rounds, p->metric == AB_CPU ? "cpu" : "wall");
	k = best_advance(repo, &pl->commit, &pl->base, subj.buf, tr.buf, best,
			 &e);
	if (k != 0) {
		r->verdict = BENCH_ERROR;
		sbuf_reset(&r->reason);
		sbuf_add(&r->reason, e.buf, e.len);
	}
	sbuf_release(&subj);
	sbuf_release(&fn);
	sbuf_release(&sum);
	sbuf_release(&tr);
	sbuf_release(&e);
	return k == 0;
}

int
trial_ledger(git_repository *repo, const struct jsonl_rec *rec,
	       const struct trial_place *pl, const char *id,
	       const struct ab_param *p, int adv, struct bench_result *r,
	       struct sbuf *err)
{
	struct sbuf line = SBUF_INIT;
	git_signature *sig = NULL;
	long long when = 0;
	git_oid best;
	int moved = 0, ret = -1;
	struct jw w;

	if (r->verdict == BENCH_ACCEPTED && adv)
		moved = advance(repo, rec, pl, id, p, r, &best);
	if (repo_signature(repo, 0, &sig) == 0)
		when = (long long)sig->when.time;
	git_signature_free(sig);
	if (r->test.len) {
		line_start(&w, &line, "test", id, when);
		jw_key(&w, "test");
		jw_raw(&w, r->test.buf, r->test.len);
		if (line_end(repo, &pl->commit, &w, &line, err) < 0)
			goto out;
	}
	if (r->bench.len) {
		line_start(&w, &line, "bench", id, when);
		jw_key(&w, "bench");
		jw_raw(&w, r->bench.buf, r->bench.len);
		if (line_end(repo, &pl->commit, &w, &line, err) < 0)
			goto out;
	}
	line_start(&w, &line, "verdict", id, when);
	jw_key(&w, "verdict");
	jw_str(&w, bench_verdict_name(r->verdict));
	jw_key(&w, "reason");
	jw_str(&w, r->reason.buf);
	if (r->timed) {
		jw_key(&w, "speedup");
		jw_num(&w, r->st.speedup);
	}
	if (moved) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &best);
		jw_key(&w, "best");
		jw_str(&w, hex);
	}
	if (line_end(repo, &pl->commit, &w, &line, err) < 0)
		goto out;
	ret = 0;
out:
	sbuf_release(&line);
	return ret;
}
