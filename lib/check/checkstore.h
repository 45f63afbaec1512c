#ifndef PESQ_CHECKSTORE_H
#define PESQ_CHECKSTORE_H

#include <git2.h>

#include "base/jsonl.h"
#include "base/sbuf.h"

/*
 * Where differential checks live in git (pesq-check(5)):
 *
 *  - a check the user committed: pesq/check/<name>.c (.cc, .cpp or .cxx
 *    for C++) in the base commit, with an optional seed corpus in the
 *    directory pesq/check/<name>.corpus/; it wins over the model's;
 *  - a check the model wrote: <name>.c (or .cc) in the tree of
 *    refs/pesq/checks, a chain of commits, one per check written,
 *    corrected or dropped (the history is the story of each check);
 *  - what was learnt about a base commit: JSON lines in the note on it
 *    in refs/notes/pesq-check ("check": did this check pass on the
 *    original here; "sanitize-base": the base's own sanitizer reports).
 *
 * <name> is the function's name made safe for a ref (repo_fn_encode).
 */
#define CHECKSTORE_REF "refs/pesq/checks"
#define CHECKSTORE_NOTES "refs/notes/pesq-check"

struct checkstore_check {
	struct sbuf code;	/* the source */
	struct sbuf path;	/* "pesq/check/f.c" or "refs/pesq/checks:f.c" */
	struct sbuf seeds;	/* the seed corpus directory at the base, or "" */
	char blob[GIT_OID_HEXSZ + 1];	/* the source's blob id */
	int user;		/* committed by the user */
};

#define CHECKSTORE_CHECK_INIT { SBUF_INIT, SBUF_INIT, SBUF_INIT, "", 0 }

void checkstore_check_release(struct checkstore_check *c);

/* The file name of fn's check, "<name>.c" or "<name>.cc", into out. */
void checkstore_name(const char *fn, int cxx, struct sbuf *out);

/*
 * fn's check for the unit at commit base: the user's (pesq/check/ at
 * base), else the model's (refs/pesq/checks). Returns 1 with c filled
 * (released first), 0 when there is none, or a negative libgit2 code.
 */
int checkstore_find(git_repository *repo, const git_oid *base,
		    const char *fn, int cxx, struct checkstore_check *c);

/*
 * Make code fn's model-written check (len 0: remove it) with one commit
 * on refs/pesq/checks (message msg), moved by compare-and-swap and
 * retried when another writer moved it. blob (may be NULL) gets the
 * id of the code's blob. Returns 0, or -1 with err set.
 */
int checkstore_put(git_repository *repo, const char *fn, int cxx,
		   const char *code, size_t len, const char *msg,
		   char blob[GIT_OID_HEXSZ + 1], struct sbuf *err);

/*
 * Call fn(rec, arg) for each line of base's note in refs/notes/pesq-check
 * that is a JSON object whose "event" is event, in their order. Returns
 * how many there were (0 also when there is no note).
 */
int checkstore_lines(git_repository *repo, const git_oid *base,
		     const char *event,
		     void (*fn)(const struct jsonl_rec *rec, void *arg),
		     void *arg);

/* Append line (JSON, no newline) to base's note in refs/notes/pesq-check. */
int checkstore_note(git_repository *repo, const git_oid *base,
		    const char *line, size_t len, struct sbuf *err);

/*
 * The verdict base's note holds on check blob for fn: the status of the
 * last "check" line there for that blob ("valid", "invalid", "dropped")
 * into status (reset first), and its reason into reason (may be NULL).
 * Returns 1 when there is one, 0 when not.
 */
int checkstore_status(git_repository *repo, const git_oid *base,
		      const char *fn, const char *blob, struct sbuf *status,
		      struct sbuf *reason);

/*
 * Write the files of c's seed corpus (at base) into the directory dir,
 * which exists, named by their blob ids. Returns how many, or -1 with
 * err set.
 */
int checkstore_seeds(git_repository *repo, const git_oid *base,
		     const struct checkstore_check *c, const char *dir,
		     struct sbuf *err);

#endif
