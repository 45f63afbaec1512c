#ifndef PESQ_SLOT_H
#define PESQ_SLOT_H

#include <git2.h>

#include "attempt/buildcache.h"
#include "base/redact.h"
#include "base/sbuf.h"
#include "ledger/worktree.h"
#include "run/proc.h"
#include "run/sandbox.h"

/*
 * A worktree (worktree.h) made to hold a commit exactly, and built in
 * the sandbox. pesq-bench uses "base" for the base of the attempts and
 * pesq-apply's "slot-<k>" for the candidate; git pesq (through
 * pesq-sandbox) "profile", "final-start" and "final-best".
 *
 * Before every use a slot is restored to its commit: untracked and
 * ignored files removed except the products of its last successful
 * build, and only while they are unchanged (manifest.h), tracked files
 * reset, HEAD detached at the commit. A build is trusted: it runs the
 * project's own build scripts (the candidate only changed C code, which
 * pesq-apply checked for #include and .incbin), so what it leaves is
 * recorded and kept, which keeps the next build incremental. A test or
 * a benchmark runs candidate code and is not trusted: whatever it
 * leaves is gone before the next use. For the same reason only a build
 * may write the compiler cache (buildcache.h), which slots share.
 */
struct slot_opt {
	const char *build_cmd;		/* run as sh -c, stderr into stdout */
	double timeout;			/* of a build; <= 0: none */
	const struct sandbox *sb;	/* how the build runs */
	const struct redact *redact;	/* secrets kept out of logs; or NULL */
	const struct buildcache *cache;	/* the compiler cache; or NULL */
};

/*
 * Lock worktree name (worktree_open) and restore it to commit hex. *built
 * says whether the products of o->build_cmd on hex are all there and
 * unchanged. Returns 0 with wt locked (worktree_close it), or -1 with
 * the reason in err and wt closed.
 */
int slot_open(struct worktree *wt, git_repository *repo, const char *name,
	      const char *hex, const char *build_cmd, int *built,
	      struct sbuf *err);

/*
 * Restore the open slot wt to hex again (after candidate code ran in
 * it). *built as for slot_open. Returns 0, or -1 with the reason in err.
 */
int slot_restore(struct worktree *wt, const char *hex, const char *build_cmd,
		 int *built, struct sbuf *err);

/*
 * Build the open slot wt (at hex) with o in the sandbox, through the
 * compiler cache when o->cache has one (buildcache.h: the cache is
 * writable in this run alone). res is the
 * build's result (owned by the caller: proc_res_release), its output
 * redacted; when the build succeeded its products are recorded for
 * slot_open. Returns 1 when it succeeded, 0 when it failed (exit
 * status, timeout, a limit; *why, when not NULL, says which in a line
 * for people), -1 when it could not be run or recorded (err).
 */
int slot_build(struct worktree *wt, const char *hex, const struct slot_opt *o,
	       struct proc_res *res, struct sbuf *why, struct sbuf *err);

/*
 * slot_open, then slot_build unless built. Returns 0 with wt locked; 1
 * when the build failed, with why and the last lines of its output in
 * err and wt closed; -1 on other failures (err says why; wt closed).
 */
int slot_prepare(struct worktree *wt, git_repository *repo, const char *name,
		 const char *hex, const struct slot_opt *o, struct sbuf *err);

/*
 * slot_restore, then slot_build when the products are no longer all
 * there. Returns as slot_prepare, but wt stays open.
 */
int slot_refresh(struct worktree *wt, const char *hex,
		 const struct slot_opt *o, struct sbuf *err);

/*
 * Remove what candidate code left in the open slot (untracked files not
 * of its last build), so that it takes no disk until its next use.
 * Returns 0, or -1 with the reason in err.
 */
int slot_clean(struct worktree *wt, struct sbuf *err);

#endif
