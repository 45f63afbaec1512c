#ifndef PESQ_SANITIZE_H
#define PESQ_SANITIZE_H

#include <git2.h>

#include "attempt/buildcache.h"
#include "base/jsonl.h"
#include "base/redact.h"
#include "base/sbuf.h"
#include "run/sandbox.h"
#include "check/sanreport.h"

/*
 * Sanitized runs: the base and the candidate built with AddressSanitizer
 * and UndefinedBehaviorSanitizer (and, when threads are involved, with
 * ThreadSanitizer too) in worktrees of their own ("san-H-base",
 * "san-H-slot-K"; "tsan-H-..."; H from the build command, so that a new
 * command builds afresh), so that the build pesq-bench times is never
 * touched; the test command and one benchmark run under them; and the
 * candidate's reports compared with the base's, which are recorded once
 * per base in refs/notes/pesq-check and do not count against candidates.
 */

/* The sanitizers of one kind of build. */
#define SANITIZE_ASAN "address,undefined"
#define SANITIZE_TSAN "thread"

struct sanitize_opt {
	git_repository *repo;
	const char *build_cmd;	/* pesq.build: the default builds with it */
	const char *user_cmd;	/* pesq.sanitizeBuild, or NULL */
	const char *test_cmd;	/* may be NULL */
	const char *bench_cmd;
	const char *slot;	/* the candidate's worktree: "slot-0" */
	double build_timeout;	/* a build's, seconds; <= 0: none */
	double run_timeout;	/* a sanitized run's */
	const struct sandbox *sb;	/* how builds and runs go */
	const struct redact *redact;	/* secrets kept out of logs; or NULL */
	const struct buildcache *cache;	/* the builds' compiler cache; or NULL */
};

enum sanitize_outcome {
	SANITIZE_CLEAN,		/* nothing new against the base */
	SANITIZE_UNSAFE,	/* a report the base does not have */
	SANITIZE_BUILD_FAILED,	/* the candidate's sanitized build failed */
	SANITIZE_SKIPPED,	/* could not be done here (reason says why) */
	SANITIZE_ERROR
};

struct sanitize_result {
	enum sanitize_outcome outcome;
	struct sbuf reason;	/* one line for people */
	struct sbuf json;	/* the `sanitize` object of `checks` */
	struct sbuf said;	/* lines for people (the base's own reports) */
	struct sbuf log;	/* a failed build's output */
	long ms;
};

#define SANITIZE_RESULT_INIT { SANITIZE_ERROR, SBUF_INIT, SBUF_INIT, \
	SBUF_INIT, SBUF_INIT, 0 }

void sanitize_result_release(struct sanitize_result *r);

/*
 * The command that builds with the sanitizers of kind (SANITIZE_ASAN,
 * SANITIZE_TSAN): CC, CXX, CFLAGS, CXXFLAGS, LDFLAGS and PESQ_SANITIZERS
 * exported for them (clang when there is one), then o->user_cmd; or,
 * when there is none, o->build_cmd with MAKEFLAGS also naming the
 * sanitizing CC and CXX, which GNU make prefers to a Makefile's own.
 * Appended to out. The sanitized runs of the test and benchmark
 * commands get the same variables.
 */
void sanitize_build_cmd(const struct sanitize_opt *o, const char *kind,
			struct sbuf *out);

/*
 * Are threads involved? The record's flags (-pthread, -fopenmp), the
 * code of the candidate and the original (pthread_create, thrd_create,
 * std::thread, std::async, #pragma omp), or the base's programs built in
 * base_dir (that call pthread_create or GOMP_). Returns 1 with the
 * reason in why, else 0.
 */
int sanitize_threads(const struct jsonl_rec *rec, const char *base_dir,
		     struct sbuf *why);

/*
 * The sanitized runs of the candidate commit (hex) on base (hex). Fills
 * r (initialised with SANITIZE_RESULT_INIT, released by the caller);
 * every outcome is in r; this does not fail.
 */
void sanitize_judge(const struct sanitize_opt *o, const struct jsonl_rec *rec,
		    const char *base, const char *commit, const char *base_dir,
		    struct sanitize_result *r);

#endif
