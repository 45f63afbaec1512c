#ifndef PESQ_DIFFCHECK_H
#define PESQ_DIFFCHECK_H

#include <git2.h>

#include "base/sbuf.h"
#include "run/sandbox.h"
#include "check/checkstore.h"
#include "check/harness.h"
#include "check/sanreport.h"

/*
 * The differential check of one function (pesq-check(5)): its program
 * built twice, once around the base's unit (F is the original, so any
 * crash is the check's fault) and once around the candidate's, both
 * fuzzed with libFuzzer; what the candidate's run finds is replayed on
 * the original's program, so that only an input the original survives
 * ever counts against a candidate.
 */
struct diffcheck_opt {
	git_repository *repo;
	const struct sandbox *sb;
	double seconds;		/* fuzzing time of each run */
	double build_timeout;
	unsigned long seed;
};

struct diffcheck_in {
	const char *fn;		/* the bare name, F */
	const char *file;	/* def.file */
	const char *orig;	/* def.code */
	long line;		/* def.line */
	const git_oid *base;	/* the base (def.rev) */
	const git_oid *commit;	/* the candidate; NULL: the original only */
	const char *objdir;	/* a built tree of that commit */
	const struct harness_argv *flags;
	int cxx;
	const struct checkstore_check *check;
	int validate;		/* fuzz the original first */
};

enum diffcheck_status {
	DIFFCHECK_PASSED,	/* nothing found in the time given */
	DIFFCHECK_DIFFERS,	/* the check aborted (or hung) on the candidate */
	DIFFCHECK_UNSAFE,	/* a sanitizer report in the candidate's run */
	DIFFCHECK_INVALID,	/* the check fails on the original */
	DIFFCHECK_SKIPPED,	/* cannot be run with this candidate */
	DIFFCHECK_ERROR
};

const char *diffcheck_status_name(enum diffcheck_status s);

struct diffcheck_result {
	enum diffcheck_status status;
	struct sbuf reason;	/* one line for people */
	struct sbuf report;	/* the report, trimmed; or a build's errors */
	struct sbuf said;	/* what the check printed before it stopped */
	struct sbuf input;	/* the input's bytes */
	long runs;		/* inputs the candidate's run executed */
	long orig_runs;		/* inputs the original's run executed */
	long build_ms, run_ms;
	int validated;		/* the original was fuzzed here, clean */
};

#define DIFFCHECK_RESULT_INIT { DIFFCHECK_ERROR, SBUF_INIT, SBUF_INIT, \
	SBUF_INIT, SBUF_INIT, 0, 0, 0, 0, 0 }

void diffcheck_result_release(struct diffcheck_result *r);

/*
 * Run the check in in->check as described above, in <commondir>pesq/check
 * (locked meanwhile; the corpus of F is kept there for later runs).
 * Fills r (initialised with DIFFCHECK_RESULT_INIT); every outcome is in
 * r; this does not fail.
 */
void diffcheck_run(const struct diffcheck_opt *o, const struct diffcheck_in *in,
		   struct diffcheck_result *r);

/* The input's first max bytes in hex ("0a1b..."), with "..." when cut. */
void diffcheck_hex(const struct sbuf *input, size_t max, struct sbuf *out);

#endif
