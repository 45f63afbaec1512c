#ifndef PESQ_SANDBOXCONF_H
#define PESQ_SANDBOXCONF_H

#include <git2.h>

#include "attempt/buildcache.h"
#include "base/redact.h"
#include "base/sbuf.h"
#include "run/sandbox.h"

/*
 * The sandbox (run/sandbox.h) as the user configured it, for the
 * programs that run candidate code (pesq-apply, pesq-bench,
 * pesq-sandbox):
 *
 *   pesq.sandbox              auto (the default), on or off
 *   pesq.sandbox.readOnly     more paths visible read-only, ':'-separated
 *   pesq.sandbox.env          more variable names passed in, separated
 *                             by blanks or commas
 *   pesq.sandbox.maxFileSize  the largest file a command may write
 *                             (git's k, m, g suffixes; 0: no limit)
 *   pesq.sandbox.maxDisk      the most a command may write into its
 *                             directory, and the size of its /tmp
 *   pesq.ccache               whether builds, and builds alone, get the
 *                             compiler cache (buildcache.h)
 *
 * Read from repo's configuration, or from the global and system files
 * when repo is NULL.
 */

/*
 * Set sb up (sandbox_init first, then the settings), and cache when
 * it is not NULL (buildcache_load; the cache of builds). mode is the
 * --sandbox option, NULL when not given (then pesq.sandbox decides).
 * auto and on probe bubblewrap: on fails when it does not work, auto
 * falls back to running without it. Whenever candidate code is going
 * to run without the sandbox (off, or auto without bubblewrap), a
 * sentence saying so and why is appended to notice, for the program to
 * print. Returns 0; -2 with the reason in err for a setting that is not
 * valid (a usage error); -1 with the reason in err for `on` without a
 * working bubblewrap. sb and cache are released on failure.
 */
int sandboxconf_load(git_repository *repo, const char *mode,
		     struct sandbox *sb, struct buildcache *cache,
		     struct sbuf *notice, struct sbuf *err);

/* Release what sandboxconf_load set up (cache may be NULL). */
void sandboxconf_release(struct sandbox *sb, struct buildcache *cache);

/*
 * The secrets to keep out of logs (base/redact.h): those of the
 * environment, of ./.env and of the .env at the top of repo's work tree
 * (repo may be NULL).
 */
void sandboxconf_secrets(git_repository *repo, struct redact *r);

/* Is s a sandbox mode (auto, on, off)? */
int sandboxconf_mode_ok(const char *s);

#endif
