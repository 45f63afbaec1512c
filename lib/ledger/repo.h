#ifndef PESQ_REPO_H
#define PESQ_REPO_H

#include <git2.h>

#include "base/sbuf.h"

/*
 * Git plumbing over libgit2 shared by the pesq tools: opening the
 * repository, resolving revisions, reading blobs and `pesq.*` settings,
 * ref-safe names for functions, and compare-and-swap ref updates.
 *
 * Functions returning int return 0 on success and a negative libgit2
 * error code (GIT_ENOTFOUND, GIT_EEXISTS, GIT_EMODIFIED, GIT_ELOCKED, ...)
 * on failure, with the message available from repo_errmsg() until the
 * next libgit2 call in this thread. Nothing here prints or exits.
 */

/*
 * Open the repository containing dir (discovered upwards like git does,
 * stopping at GIT_CEILING_DIRECTORIES; dir NULL: from the current
 * directory, honouring GIT_DIR and friends).
 * Initializes libgit2 on first use; close with repo_close, which also
 * shuts libgit2 down again.
 */
int repo_open(git_repository **out, const char *dir);
void repo_close(git_repository *repo);

/*
 * The message of the last libgit2 error in this thread, or "unknown
 * error". Static or libgit2-owned: copy it before the next libgit2 call.
 */
const char *repo_errmsg(void);

/*
 * The common git directory (for a linked worktree, the main repository's
 * $GIT_DIR), with a trailing '/', owned by repo. pesq keeps its worktrees
 * and locks under <commondir>pesq/.
 */
const char *repo_commondir(git_repository *repo);

/*
 * Resolve rev (anything git rev-parse takes: "HEAD", "pesq/best", a hex
 * id, "main~2") to a commit id. GIT_ENOTFOUND when it does not exist or
 * does not name a commit.
 */
int repo_resolve(git_repository *repo, const char *rev, git_oid *out);

/*
 * Read the blob at path (repo-relative, '/'-separated) in commit's tree:
 * its bytes are appended to out (when out is not NULL) and its id stored
 * in *blob_id (when not NULL). GIT_ENOTFOUND when the path is absent or
 * not a file.
 */
int repo_read_blob(git_repository *repo, const git_oid *commit,
		   const char *path, struct sbuf *out, git_oid *blob_id);

/*
 * Settings: `git config pesq.<key>` (key without the "pesq." prefix, e.g.
 * "build"), from the repository's configuration with the usual global and
 * system fallbacks (repo NULL: from those alone). Each returns 1 when set (value stored), 0 when unset
 * (*out untouched), or a negative code when set but invalid (e.g. not a
 * number). repo_config_str resets out before storing.
 */
int repo_config_str(git_repository *repo, const char *key, struct sbuf *out);
int repo_config_int(git_repository *repo, const char *key, long long *out);
int repo_config_bool(git_repository *repo, const char *key, int *out);

/*
 * A function name as one ref component, reversibly: bytes in
 * [A-Za-z0-9_-] are kept; '.' is kept unless it is the first byte, follows
 * another '.', or is the last byte or the '.' of a final ".lock"; every
 * other byte (including '%', '/', '@', ':', spaces and non-ASCII) becomes
 * %XX with two upper-case hex digits. So "foo" stays "foo", "ns::f" is
 * "ns%3A%3Af", "f.cold" stays "f.cold". The result is appended to out.
 * repo_fn_decode undoes it (any %XX becomes its byte; other bytes are
 * kept), appending to out; it returns -1 for a malformed '%' escape.
 * repo_fn_encode refuses ("" not encodable) only the empty name: -1.
 */
int repo_fn_encode(const char *fn, struct sbuf *out);
int repo_fn_decode(const char *enc, struct sbuf *out);

/*
 * Point ref name at id atomically. With old NULL the ref must not exist
 * yet (GIT_EEXISTS otherwise: someone else created it); with old set the
 * ref must currently point at old (GIT_EMODIFIED otherwise, or
 * GIT_ENOTFOUND when it vanished). GIT_ELOCKED when another writer holds
 * the ref's lock at this moment; callers retry. log is the reflog message.
 */
int repo_ref_cas(git_repository *repo, const char *name, const git_oid *id,
		 const git_oid *old, const char *log);

/*
 * The id a ref points at (peeled through symbolic refs): 0, or
 * GIT_ENOTFOUND when it does not exist.
 */
int repo_ref_get(git_repository *repo, const char *name, git_oid *out);

/*
 * Make a commit whose tree is the tree of commit tree_of with the file at
 * path (which must exist there; its mode is kept) holding data[0..len),
 * with parent as its only parent and message msg; author and committer
 * from repo_signature. Only objects are written, no ref: *out receives
 * the new commit's id.
 */
int repo_commit_file(git_repository *repo, const git_oid *tree_of,
		     const git_oid *parent, const char *path,
		     const char *data, size_t len, const char *msg,
		     git_oid *out);

/*
 * Take an exclusive flock(2) on <commondir>pesq/<name>.lock (making the
 * directory when needed), waiting for another holder. Returns the file
 * descriptor to give to repo_unlock, or -1 with errno set. The kernel
 * releases the lock when the process dies.
 */
int repo_lock(git_repository *repo, const char *name);
void repo_unlock(int fd);

/*
 * A signature for commits pesq makes: GIT_COMMITTER_NAME/_EMAIL/_DATE
 * (or GIT_AUTHOR_* when author is set) from the environment like git,
 * else user.name/user.email from the configuration, else "pesq
 * <pesq@localhost>"; the date is now unless the environment gives one
 * as "<seconds> <+-hhmm>" (optionally with a leading '@'). Free with
 * git_signature_free.
 */
int repo_signature(git_repository *repo, int author, git_signature **out);

#endif
