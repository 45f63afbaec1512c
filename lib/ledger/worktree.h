#ifndef PESQ_WORKTREE_H
#define PESQ_WORKTREE_H

#include "base/sbuf.h"

/*
 * Named build worktrees under <commondir>pesq/<name> (e.g. "slot-0",
 * "base"): linked git worktrees with a detached HEAD, created on first
 * use and then reused, so that build products (untracked files) stay and
 * builds are incremental. They are made and moved with the git command
 * (`git worktree add --detach`, `git checkout -q --detach -f`), run with
 * hooks disabled and without GIT_DIR/GIT_WORK_TREE/GIT_INDEX_FILE from our
 * environment; the user's working tree, index and HEAD are never touched.
 *
 * Locking: worktree_open takes an exclusive flock(2) on
 * <commondir>pesq/<name>.lock and holds it until worktree_close, so one
 * slot is used by one process at a time (others wait); different names
 * can be used concurrently. The kernel drops the lock when the holder
 * dies, and a worktree left half-made by a killed process is repaired
 * (stale index.lock removed, or the worktree made anew) by the next user.
 */
struct worktree {
	char *name;
	char *path;		/* <commondir>pesq/<name>, no trailing '/' */
	char *commondir;	/* with a trailing '/' */
	int lock_fd;
};

/*
 * Lock the worktree name of the repository whose common git directory is
 * commondir (repo_commondir()), waiting for another holder; creates
 * <commondir>pesq/ when needed. name must match [A-Za-z0-9_][A-Za-z0-9_.-]*.
 * The worktree itself is made by the first worktree_checkout. Returns 0,
 * or -1 with a message in err (appended); wt then holds nothing.
 */
int worktree_open(struct worktree *wt, const char *commondir,
		  const char *name, struct sbuf *err);

/*
 * Make the locked worktree hold exactly commit (a full hex id; a symbolic
 * revision would be resolved inside the worktree, where HEAD is the
 * worktree's own): HEAD detached at it, tracked files updated (git rewrites only
 * files that differ, so unchanged files keep their mtimes), local edits to
 * tracked files discarded, untracked files kept. Creates the worktree on
 * first use and repairs a broken one. Returns 0, or -1 with git's message
 * in err (appended).
 */
int worktree_checkout(struct worktree *wt, const char *commit,
		      struct sbuf *err);

/* Release the lock and free wt's strings; the worktree stays on disk. */
void worktree_close(struct worktree *wt);

/*
 * The environment for a build (or other user command) in a pesq
 * worktree: ours, without git's repository variables (which would point
 * the command at the user's repository) and without an outer make's
 * flags and jobserver (pesq.mk, make check -j). Free with proc_env_free.
 */
char **worktree_env(void);

#endif
