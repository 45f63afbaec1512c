#ifndef PESQ_CHECKRUN_H
#define PESQ_CHECKRUN_H

#include <stddef.h>
#include <time.h>

#include "run/proc.h"

/*
 * Running the commands of the checks: a build or a run of candidate or
 * check code, in the sandbox (sandbox.h) when it is on, with a
 * worktree's environment (no git or outer make variables) and the
 * sanitizers' options pesq needs, whatever the caller's environment had.
 */
struct checkrun {
	int sandbox;		/* run under bubblewrap */
	double timeout;		/* each command, seconds; <= 0: none */
};

/*
 * Run `sh -c cmd` in dir (the one writable place when sandboxed), stdout
 * and stderr merged into res->out (at most out_max bytes kept), with the
 * variables of set ("NAME=value", NULL-terminated; may be NULL) added to
 * the environment. Returns 0 when it ran (whatever its status), -1 when
 * it could not be started (errno set); res is the caller's to release
 * on 0.
 */
int checkrun(const struct checkrun *c, const char *dir, const char *cmd,
	     const char *const *set, size_t out_max, struct proc_res *res);

/* Milliseconds since t0 (CLOCK_MONOTONIC), for the checks' times. */
long checkrun_ms_since(const struct timespec *t0);

/* Append s to out quoted for sh (single quotes). */
void checkrun_quote(struct sbuf *out, const char *s);

#endif
