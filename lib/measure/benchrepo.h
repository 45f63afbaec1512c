#ifndef PESQ_BENCHREPO_H
#define PESQ_BENCHREPO_H

#include <git2.h>

#include "measure/bench.h"
#include "base/jsonl.h"
#include "attempt/slot.h"
#include "ledger/worktree.h"

/*
 * pesq-bench's side of git for one attempt record: where the base and
 * the candidate are built (worktrees), and what a verdict leaves behind
 * (pesq/best advanced, lines in the attempt's note).
 */
struct benchrepo_opt {
	struct slot_opt build;		/* the builds: command, timeout ... */
	const char *slot;		/* the candidate's worktree: "slot-0" */
	int advance;			/* move pesq/best on accepted */
	void (*hook)(const char *step);	/* test hook (best.h); or NULL */
};

struct benchrepo_place {
	struct worktree base_wt, cand_wt;
	int have_base, have_cand;	/* the worktrees are locked */
	git_oid commit, base;		/* attempt.commit, attempt.base */
	int have_commit;		/* commit and base were resolved */
	const char *base_dir, *cand_dir;	/* where to run */
	const struct benchrepo_opt *o;
};

#define BENCHREPO_PLACE_INIT { .have_base = 0 }

/*
 * Resolve the record's attempt.commit and attempt.base, and lock and
 * prepare the worktrees (slot.h): "base" restored to the base and built
 * unless its products are there, o->slot restored to the commit and
 * built unless they are there (as pesq-apply leaves it). Returns 0 with
 * pl->base_dir and pl->cand_dir set, or -1 with r's verdict (error, or
 * build-failed when the candidate does not build) and reason set.
 * Release pl with benchrepo_place_release either way: it removes what
 * the test and the benchmark left in the worktrees, then unlocks them.
 */
int benchrepo_place(git_repository *repo, const struct jsonl_rec *rec,
		  const struct benchrepo_opt *o, struct benchrepo_place *pl,
		  struct bench_result *r);
void benchrepo_place_release(struct benchrepo_place *pl);

/*
 * bench_opt.refresh with arg a placed struct benchrepo_place: the
 * candidate's worktree restored to its commit after the test, and
 * built again if the test changed what its build left.
 */
int benchrepo_refresh(void *arg, struct sbuf *err);

/*
 * Leave the verdict in git: when r is accepted and o->advance is set,
 * make pesq/best's next commit with its "accepted" line (best_prepare;
 * when pesq/best moved meanwhile, r becomes an error with that reason);
 * then append the test, checks, bench and verdict lines (the verdict
 * naming that commit as "best") to the note of the attempt's commit, in
 * one notes commit; then move pesq/best (best_move; when it moved in
 * between, r becomes an error and a second verdict line says so). The
 * hook sees "note", "lines" and "ref" after each step. Returns 0, or -1
 * when a note could not be written (err says why).
 */
int benchrepo_ledger(git_repository *repo, const struct jsonl_rec *rec,
		 const struct benchrepo_place *pl, const char *id,
		 const struct timing_param *p, const struct benchrepo_opt *o,
		 struct bench_result *r, struct sbuf *err);

/*
 * --calibrate's base: pesq/best, else HEAD, built in the worktree "base"
 * (locked: worktree_close it). hex gets the commit. Returns 0, 1 when it
 * does not build, -1 on other failures (err says why either way).
 */
int benchrepo_best_base(git_repository *repo, const struct slot_opt *o,
		    struct worktree *wt, char hex[GIT_OID_HEXSZ + 1],
		    struct sbuf *err);

/*
 * pesq.noise into *noise (untouched when unset). Returns 0, or -1 (err)
 * when it is not a number in [0, 10).
 */
int benchrepo_read_noise(git_repository *repo, double *noise,
			 struct sbuf *err);

/*
 * pesq-bench's settings, the options (NULL when not given) first, then
 * git config (repo may be NULL): bo->bench_cmd and bo->test_cmd
 * (malloc'd), the build command (default "make") into build, pesq.noise
 * into *noise. Returns 0, or -1 with err set (no benchmark command, a
 * noise that is not a number).
 */
int benchrepo_settings(git_repository *repo, const char *bench,
		       const char *test, const char *build, struct bench_opt *bo,
		       struct sbuf *build_cmd, double *noise, struct sbuf *err);

/*
 * --calibrate: the base (base_dir, or pesq/best built in the worktree
 * "base") against itself, and the noise floor stored in pesq.noise
 * (git mode). The record is appended to out, the line for people (or
 * what failed) to msg. Returns 0; 1 when the calibration failed; 3 (or
 * 1 when the base does not build) when there is no base to measure, then
 * nothing is in out.
 */
int benchrepo_calibrate(git_repository *repo, const struct bench_opt *o,
			const char *base_dir, const struct slot_opt *builds,
			struct sbuf *out, struct sbuf *msg);

/* Set pesq.noise in the repository's config. Returns 0 or -1 (err). */
int benchrepo_store_noise(git_repository *repo, double noise, struct sbuf *err);

#endif
