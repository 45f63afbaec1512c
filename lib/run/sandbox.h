#ifndef PESQ_SANDBOX_H
#define PESQ_SANDBOX_H

#include "base/sbuf.h"

/*
 * Running a candidate's commands under bubblewrap(1): the whole file
 * system read-only, a fresh /dev and /proc, a private empty /tmp, the
 * one directory `dir` writable, no network (a network namespace of its
 * own, with nothing but a loopback device of its own) and no shared IPC.
 * The processes stay in the caller's pid namespace and process group, so
 * that killing the group ends them and their CPU time reaches wait4(2)
 * (a pid namespace of their own loses it); --die-with-parent ends them
 * should bubblewrap itself be killed.
 */

/*
 * The bubblewrap program: $PESQ_BWRAP when set (tests use it to name a
 * missing one), otherwise "bwrap" from PATH. Static storage.
 */
const char *sandbox_program(void);

/*
 * A NULL-terminated argv that runs `/bin/sh -c cmd` sandboxed with dir as
 * its working directory and its one writable place. The directories of
 * $PATH under /tmp, and the repository when dir is a pesq worktree
 * ($GIT_DIR/pesq/NAME) under /tmp, stay visible read-only over the
 * private /tmp. The caller owns the
 * array and its strings (sandbox_argv_free). Cannot fail.
 */
char **sandbox_argv(const char *dir, const char *cmd);
void sandbox_argv_free(char **argv);

/*
 * Can bubblewrap run here? Runs `true` in the sandbox (with /tmp as dir).
 * Returns 1 when it can, 0 when it cannot, with the reason in *why
 * (appended; may be NULL).
 */
int sandbox_probe(struct sbuf *why);

#endif
