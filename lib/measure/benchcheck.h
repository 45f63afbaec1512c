#ifndef PESQ_BENCHCHECK_H
#define PESQ_BENCHCHECK_H

#include <git2.h>

#include "check/checks.h"
#include "measure/bench.h"
#include "measure/benchrepo.h"

/*
 * pesq-bench's side of the checks (lib/check): their settings, and the
 * gate bench_judge calls between the output check and the timing.
 */

/*
 * Fill o from pesq-bench's settings (bo, whose sandbox and secrets o
 * takes, build_cmd, slot, which must outlive o) and from git config
 * (repo may be NULL): pesq.sanitize,
 * pesq.sanitizeBuild, pesq.differential, pesq.checkSeconds,
 * pesq.buildTimeout,
 * pesq.attempts, for those not set already (o->sanitize or
 * o->differential < 0, o->seconds < 0, o->san_build NULL,
 * o->corrections < 0). Returns 0, or -1 with err set for a value that
 * is not valid.
 */
int benchcheck_settings(git_repository *repo, const struct bench_opt *bo,
			const char *build_cmd, const char *slot,
			struct checks_opt *o, struct sbuf *err);

/* The gate's state: one attempt. */
struct benchcheck {
	struct checks_opt opt;
	const struct jsonl_rec *rec;
	char base[GIT_OID_HEXSZ + 1], commit[GIT_OID_HEXSZ + 1];
	const char *base_dir, *cand_dir;
	struct sbuf said;		/* lines for people */
	long ms;			/* the checks' time */
};

/*
 * Arm o's gate with g for the attempt rec placed in pl, when checks are
 * on in c (copied into g, with o's seed).
 */
void benchcheck_arm(struct benchcheck *g, const struct checks_opt *c,
		    const struct jsonl_rec *rec,
		    const struct benchrepo_place *pl, struct bench_opt *o);

/*
 * The gate (bench_opt.gate, arg a struct benchcheck): run the checks,
 * put `checks` into r, and on a finding set r's verdict (unsafe,
 * differs, build-failed, error) and reason and return 1; else 0.
 */
int benchcheck_gate(void *arg, struct bench_result *r);

#endif
