#ifndef PESQ_MANIFEST_H
#define PESQ_MANIFEST_H

#include "base/hmap.h"
#include "base/sbuf.h"

/*
 * What the last trusted build left in a slot. A slot's build products
 * are untracked (or ignored) files; they are kept between uses so that
 * builds stay incremental, but a test or a benchmark, which runs
 * candidate code, may have changed them or planted files of its own (a
 * GNUmakefile that the next build would run). So after every
 * successful build the untracked entries of the worktree are recorded
 * (path, type and mode, size, mtime, ctime and inode: a file written
 * since has a new ctime, which no process can set back), and before
 * every use every untracked entry that is not recorded, or differs from
 * its record, is removed.
 *
 * The record lives outside the slot (<commondir>pesq/<name>.manifest),
 * with the commit and the SHA-256 of the build command it was made for.
 * Tracked paths are the index's (manifest_tracked); the worktree's .git
 * file at its top is neither.
 */
struct manifest {
	char commit[41];	/* "" when none */
	char build[65];		/* hex SHA-256 of the build command */
	struct hmap files;	/* path -> struct manifest_ent * */
};

/*
 * The tracked paths of the worktree at wt (from its index) into set:
 * files map to MANIFEST_FILE, the directories holding them to
 * MANIFEST_DIR, submodules to MANIFEST_GITLINK. Returns 0, or -1 with
 * libgit2's message in err.
 */
#define MANIFEST_FILE ((void *)1)
#define MANIFEST_DIR ((void *)2)
#define MANIFEST_GITLINK ((void *)3)
int manifest_tracked(const char *wt, struct hmap *set, struct sbuf *err);

/*
 * Read the record at path into m (manifest_release it). A missing or
 * unreadable record is an empty one (then every untracked file goes).
 */
void manifest_read(struct manifest *m, const char *path);
void manifest_release(struct manifest *m);

/*
 * Record the untracked entries of wt for commit and build (hex
 * SHA-256) into path, atomically. Returns 0, or -1 with the reason in
 * err.
 */
int manifest_write(const char *wt, const struct hmap *tracked,
		   const char *commit, const char *build, const char *path,
		   struct sbuf *err);

/*
 * Remove from wt every untracked entry that m does not record as it is
 * now (a directory of the wrong type at a tracked path too). *intact
 * is set to 1 when every entry of m is still there unchanged, else 0;
 * *removed (may be NULL) counts what was removed. Returns 0, or -1 with
 * the reason in err when something could not be removed.
 */
int manifest_clean(const char *wt, const struct hmap *tracked,
		   const struct manifest *m, int *intact, size_t *removed,
		   struct sbuf *err);

#endif
