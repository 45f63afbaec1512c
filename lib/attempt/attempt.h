#ifndef PESQ_ATTEMPT_H
#define PESQ_ATTEMPT_H

#include <git2.h>

#include "base/jsonl.h"
#include "base/sbuf.h"

/*
 * An attempt as pesq-apply makes it: a candidate spliced into the bytes
 * [def.start, def.end) of def.file as of a base commit, on the branch
 * refs/heads/pesq/<enc fn>/<n> (enc: repo_fn_encode).
 */
struct attempt {
	struct sbuf fn, enc, file, summary, model, prompt;
	struct sbuf data;	/* the file's new content */
	git_oid base;		/* the commit the splice is made on */
	git_oid parent;		/* base, or for a correction the branch tip */
	long n;			/* attempt number; 0 until allocated */
	long long ncorr;	/* corrections so far, this one included */
	int correction;
};

void attempt_init(struct attempt *a);
void attempt_release(struct attempt *a);

/*
 * Read and check a record (fn, def, candidate, llm.model, prompt.id, and
 * for a correction, a record whose build.ok is false, attempt) and make
 * the spliced content in a. base is the commit for a first try; a
 * correction uses attempt.base, stacks on attempt.commit (which must
 * still be the branch's tip) and keeps attempt.id's number. The file's
 * blob at the base must be def.blob; the candidate must pass candidate_splice
 * and, unless allow_sig, keep the signature (that of def.code, else
 * def.signature); the result must differ from the parent's file. Returns
 * 0, or -1 with the reason appended to err (a record-level failure); a
 * repository failure is also -1, with libgit2's message.
 */
int attempt_prepare(git_repository *repo, const struct jsonl_rec *rec,
		    const git_oid *base, int allow_sig, struct attempt *a,
		    struct sbuf *err);

/* Append "<fn>/<n>" / "pesq/<enc>/<n>" / "refs/heads/pesq/<enc>/<n>". */
void attempt_id(const struct attempt *a, struct sbuf *out);
void attempt_branch(const struct attempt *a, struct sbuf *out);
void attempt_ref(const struct attempt *a, struct sbuf *out);

/*
 * Append the commit message: "pesq: <fn>: <summary>", a blank line and
 * the trailers Pesq-Attempt, Pesq-Model, Pesq-Prompt (the last two when
 * known) and, for corrections, Pesq-Correction.
 */
void attempt_message(const struct attempt *a, struct sbuf *out);

/*
 * Set a->n to the next free attempt number: one more than the largest
 * <n> of refs/heads/pesq/<enc>/<n>. Returns 0 or a libgit2 code. Another
 * process may take it before our ref exists; the ref is created with
 * force=0 so that the loser sees GIT_EEXISTS and tries n+1.
 */
int attempt_next_n(git_repository *repo, struct attempt *a);

/*
 * Write the members of the note's "apply" line after event, attempt and
 * time: fn, file, base, parent, n_corrections, model, prompt.
 */
void attempt_note_apply(const struct attempt *a, struct jw *w);

/* The same for the "build" line: ok, ms, cmd, slot, log. */
void attempt_note_build(struct jw *w, int ok, long long ms, const char *cmd,
			const char *slot, const struct sbuf *log);

/*
 * A line of the attempt commit's note: start it in line with w, as
 * {"event","attempt","time" (the committer time)...; end it and append
 * it to the note of commit (notes_append's flags). Both return 0 or a
 * libgit2 code.
 */
int attempt_note_start(git_repository *repo, struct jw *w, struct sbuf *line,
		       const char *event, const char *id);
int attempt_note_end(git_repository *repo, const git_oid *commit,
		     struct jw *w, struct sbuf *line, int flags);

/*
 * Append pesq-apply's output line for rec to out: every member of rec but
 * attempt and build, copied byte for byte, then attempt {id, branch,
 * base, commit, n_corrections} and build {ok, ms, log}, and a newline.
 */
void attempt_record(const struct jsonl_rec *rec, const struct attempt *a,
		    const git_oid *commit, int ok, long long ms,
		    const struct sbuf *log, struct sbuf *out);

#endif
