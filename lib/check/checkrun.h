#ifndef PESQ_CHECKRUN_H
#define PESQ_CHECKRUN_H

#include <stddef.h>
#include <time.h>

#include "base/sbuf.h"
#include "run/proc.h"
#include "run/sandbox.h"

/*
 * Running the commands of the checks: a build or a run of candidate or
 * check code goes through the sandbox (run/sandbox.h), as every command
 * that runs candidate code, with the directory it works in writable and
 * the trees it reads (a worktree whose objects a differential check
 * links) visible read-only; the variables it needs (the sanitizers'
 * options) are exported by the command itself, whatever the caller's
 * environment has.
 */
struct checkrun {
	const struct sandbox *sb;	/* how commands run */
	double timeout;			/* each command, seconds; <= 0: none */
	const char *ro;			/* a tree read, or NULL */
};

/*
 * Run `sh -c cmd` in dir, stdout and stderr merged into res->out (at
 * most out_max bytes kept), after `export` of each "NAME=value" of set
 * (NULL-terminated; may be NULL). Returns 0 when it ran (whatever its
 * status), -1 when it could not be started (errno set); res is the
 * caller's to release on 0.
 */
int checkrun(const struct checkrun *c, const char *dir, const char *cmd,
	     const char *const *set, size_t out_max, struct proc_res *res);

/* Milliseconds since t0 (CLOCK_MONOTONIC), for the checks' times. */
long checkrun_ms_since(const struct timespec *t0);

/* Append s to out quoted for sh (single quotes). */
void checkrun_quote(struct sbuf *out, const char *s);

#endif
