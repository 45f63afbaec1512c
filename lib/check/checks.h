#ifndef PESQ_CHECKS_H
#define PESQ_CHECKS_H

#include <git2.h>

#include "attempt/buildcache.h"
#include "base/jsonl.h"
#include "base/redact.h"
#include "base/sbuf.h"
#include "run/sandbox.h"

/*
 * The checks pesq-bench runs on a candidate before it is timed (the
 * sanitized runs, then the differential check of its function), and the
 * validation of a differential check on the original (pesq-bench
 * --validate-check). What they find goes into the record (`checks`, `check`) and
 * the ledger; see pesq-bench(1) and pesq-check(5).
 */
struct checks_opt {
	git_repository *repo;
	const char *build_cmd;	/* pesq.build */
	const char *san_build;	/* pesq.sanitizeBuild, or NULL */
	const char *test_cmd;	/* may be NULL */
	const char *bench_cmd;
	const char *slot;	/* the candidate's worktree, "slot-0" */
	double build_timeout, run_timeout;
	double seconds;		/* pesq.checkSeconds: each fuzzing run */
	int sanitize, differential;
	const struct sandbox *sb;	/* how commands run */
	const struct redact *redact;	/* secrets kept out of logs; or NULL */
	const struct buildcache *cache;	/* the builds' compiler cache; or NULL */
	unsigned long seed;
	int corrections;	/* --validate-check: corrections allowed */
};

/* Everything from the settings (benchcheck_settings): none given yet. */
#define CHECKS_OPT_INIT { .sanitize = -1, .differential = -1, \
	.seconds = -1, .corrections = -1, .build_timeout = 600 }

enum checks_outcome {
	CHECKS_PASSED,		/* nothing against the candidate */
	CHECKS_UNSAFE,		/* a sanitizer report of its own */
	CHECKS_DIFFERS,		/* the differential check found an input */
	CHECKS_BUILD_FAILED,	/* its sanitized build failed */
	CHECKS_ERROR
};

struct checks_result {
	enum checks_outcome outcome;
	struct sbuf reason;	/* one line: the verdict's reason */
	struct sbuf json;	/* the `checks` object of the record */
	struct sbuf note;	/* the same for the ledger, without sources */
	struct sbuf said;	/* lines for people, each ending in '\n' */
	struct sbuf log;	/* a failed sanitized build's output */
	long ms;
};

#define CHECKS_RESULT_INIT { CHECKS_ERROR, SBUF_INIT, SBUF_INIT, \
	SBUF_INIT, SBUF_INIT, SBUF_INIT, 0 }

void checks_result_release(struct checks_result *r);

/*
 * Run the checks on the attempt in rec: the candidate commit (hex) on
 * base (hex), built normally in cand_dir and base_dir (locked by the
 * caller). Fills r (initialised with CHECKS_RESULT_INIT, released by the
 * caller); every outcome is in r; this does not fail.
 */
void checks_judge(const struct checks_opt *o, const struct jsonl_rec *rec,
		  const char *base, const char *commit, const char *base_dir,
		  const char *cand_dir, struct checks_result *r);

/*
 * pesq-bench --validate-check for one record (fn, def, ctx at def.rev): the check
 * the model just wrote (candidate.code, when prompt.mode is "check"), or
 * else the function's check in git, built and fuzzed on the original.
 * A model's check that holds is stored in refs/pesq/checks; one that
 * fails is counted (check.tries) and, past o->corrections corrections,
 * dropped. The output record (rec with `check`, and a newline) is
 * appended to out; lines for people to said. Returns 0, or -1 when the
 * ledger could not be written (said tells).
 */
int checks_validate(const struct checks_opt *o, const struct jsonl_rec *rec,
		    struct sbuf *out, struct sbuf *said);

#endif
