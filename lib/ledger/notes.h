#ifndef PESQ_NOTES_H
#define PESQ_NOTES_H

#include <git2.h>

#include "base/sbuf.h"

/*
 * The ledger: notes in refs/notes/pesq on attempt commits. A note is JSON
 * Lines, one line per event ({"event":"apply"|"build"|"test"|"bench"|
 * "verdict","attempt":"<fn>/<n>","time":<unix seconds>,...}), each ending
 * in a newline, so `git notes merge -s cat_sort_uniq` can merge ledgers.
 */
#define NOTES_REF "refs/notes/pesq"

/* Flags for notes_append. */
enum {
	/*
	 * Replace whatever note the commit has instead of appending. For the
	 * first event of a commit pesq has just made and not yet published
	 * on a branch: a note found there is debris of a killed earlier run
	 * that made the very same commit.
	 */
	NOTES_FRESH = 1
};

/*
 * Append line (len bytes, no newline; one is added) to the note of commit
 * in refs/notes/pesq, creating the note and the notes ref as needed, as
 * one atomic step: the new notes commit is made on top of the ref's value
 * read, and the ref moved with compare-and-swap on that value; when
 * another writer got there first (or holds the ref lock) it starts over,
 * up to a limit. Returns 0, or a negative libgit2 code (see repo_errmsg).
 */
int notes_append(git_repository *repo, const git_oid *commit,
		 const char *line, size_t len, int flags);

/*
 * Append the note of commit in refs/notes/pesq to out. Returns 1 when
 * there is one, 0 when not (also when the notes ref does not exist), or a
 * negative libgit2 code.
 */
int notes_read(git_repository *repo, const git_oid *commit, struct sbuf *out);

/*
 * The same for another notes ref (e.g. "refs/notes/pesq-check", where
 * the checks keep what they learn about a base commit).
 */
int notes_append_ref(git_repository *repo, const char *ref,
		     const git_oid *commit, const char *line, size_t len,
		     int flags);
int notes_read_ref(git_repository *repo, const char *ref,
		   const git_oid *commit, struct sbuf *out);

#endif
