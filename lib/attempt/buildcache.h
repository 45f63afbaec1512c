#ifndef PESQ_BUILDCACHE_H
#define PESQ_BUILDCACHE_H

#include <git2.h>

#include "base/sbuf.h"

/*
 * The compiler cache of pesq's builds: ccache(1), when it is installed
 * and pesq.ccache is not false. A build (slot_build) runs with ccache's
 * masquerade directory first in PATH, so that the compilers it finds by
 * PATH (cc, gcc, clang ...) go through ccache, and with the cache,
 * $GIT_COMMON_DIR/pesq/ccache, bound read-write into its sandbox. Only
 * builds get it: a test, a benchmark or a check runs candidate code and
 * never sees the cache.
 *
 * The variables a build gets: CCACHE_DIR (the cache), CCACHE_BASEDIR
 * (the worktree, so that paths under it are hashed relative and
 * worktrees share entries; not those of compiles with debug
 * information, whose directory ccache hashes, and pesq lets it: see
 * pesq-apply(1)), CCACHE_TEMPDIR (in the cache: the same everywhere,
 * visible in the sandbox) and CCACHE_CONFIGPATH (the cache's own
 * ccache.conf: no configuration from /etc or $HOME, which the sandbox
 * does not show). The host's CCACHE_* variables are not passed (the
 * sandbox's allowlist).
 */
struct buildcache {
	char *dir;		/* the cache; NULL: builds go without */
	char *masq;		/* ccache's masquerade directory */
	const char *rw[2];	/* { dir, NULL }: for sandbox.rw */
};

#define BUILDCACHE_INIT { NULL, NULL, { NULL, NULL } }

/*
 * Set bc up from pesq.ccache (a boolean; default true) and the machine:
 * the cache is used when the setting is true, a `ccache` program is on
 * PATH and its masquerade directory is found (/usr/lib/ccache,
 * /usr/lib64/ccache ...), and there is a repository (repo; the cache
 * is in its common directory). Otherwise bc->dir stays NULL, and so
 * after a failure. Release with buildcache_release. Returns 0, or -1
 * with the reason in err for a setting that is not a boolean.
 */
int buildcache_load(git_repository *repo, struct buildcache *bc,
		    struct sbuf *err);
void buildcache_release(struct buildcache *bc);

/*
 * The variables (sandbox.set) of a build in the worktree dir, PATH
 * first (the masquerade directory before the caller's PATH), after
 * making the cache directory when it is missing. Returns a
 * NULL-terminated array to free with proc_env_free, or NULL with the
 * reason in err when the directory cannot be made.
 */
char **buildcache_env(const struct buildcache *bc, const char *dir,
		      struct sbuf *err);

#endif
