#ifndef PESQ_SLOT_H
#define PESQ_SLOT_H

#include <git2.h>

#include "base/sbuf.h"
#include "ledger/worktree.h"

/*
 * A worktree (worktree.h) made to hold a commit, built. pesq-bench uses
 * "base" for the base of the attempts, built once per base commit, and
 * pesq-apply's "slot-<k>" for the candidate, which apply has usually
 * built already.
 */

/*
 * Lock worktree `name` and make it hold commit `hex` built with `cmd`
 * (run as `sh -c` in the worktree, stderr into stdout, without GIT_DIR
 * and friends, killed after timeout seconds when > 0). It counts as
 * built already when its HEAD is hex and, with stamp set, the file
 * <commondir>pesq/<name>.built says that cmd succeeded on hex (the
 * stamp is removed before and written after each build, so a build cut
 * short never counts). Then nothing is checked out or built.
 *
 * Returns 0 with wt locked (the caller closes it); 1 when the build
 * failed, with the last lines of its output in err and wt closed; -1 on
 * other failures (err says why; wt closed).
 */
int slot_prepare(struct worktree *wt, git_repository *repo, const char *name,
		 const char *hex, const char *cmd, int stamp, double timeout,
		 struct sbuf *err);

#endif
