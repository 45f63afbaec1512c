#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/benchfinish.h"
#include "ledger/best.h"
#include "ledger/notes.h"
#include "ledger/repo.h"

/*
 * The last line of the note text `note` whose event is `event` and whose
 * attempt is id, parsed into rec. Returns 1, or 0 when there is none.
 */
static int
last_line(const struct sbuf *note, const char *event, const char *id,
	  struct jsonl_rec *rec)
{
	struct jsonl_rec r = JSONL_REC_INIT;
	const char *p = note->buf, *found = NULL, *msg;
	size_t n, off, flen = 0;

	for (; p && *p; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		if (jsonl_parse(&r, p, n, &off, &msg) == 0 &&
		    jsonl_streq(&r, jsonl_get(&r, 0, "event"), event) &&
		    jsonl_streq(&r, jsonl_get(&r, 0, "attempt"), id)) {
			found = p;
			flen = n;
		}
	}
	jsonl_rec_release(&r);
	return found && jsonl_parse(rec, found, flen, &off, &msg) == 0;
}

/* The member key of the note's last `event` line of id into out (JSON). */
static void
member_of(const struct sbuf *note, const char *event, const char *id,
	  const char *key, struct sbuf *out)
{
	struct jsonl_rec r = JSONL_REC_INIT;
	const char *raw;
	size_t len;

	if (last_line(note, event, id, &r) &&
	    (raw = jsonl_raw(&r, jsonl_get(&r, 0, key), &len)))
		sbuf_add(out, raw, len);
	jsonl_rec_release(&r);
}

int
benchfinish(git_repository *repo, const struct jsonl_rec *rec, const char *id,
	    struct bench_result *r)
{
	struct sbuf err = SBUF_INIT;
	struct sbuf s = SBUF_INIT, note = SBUF_INIT, v = SBUF_INIT;
	struct best_step st = { NULL };
	struct jsonl_rec line = JSONL_REC_INIT;
	git_oid commit, base, best, cur;
	int ret = 0, k;

	if (!jsonl_path_str(rec, "attempt.commit", &s) ||
	    repo_resolve(repo, s.buf, &commit) < 0)
		goto out;
	sbuf_reset(&s);
	if (!jsonl_path_str(rec, "attempt.base", &s) ||
	    repo_resolve(repo, s.buf, &base) < 0)
		goto out;
	if (notes_read(repo, &commit, &note) <= 0 ||
	    !last_line(&note, "verdict", id, &line) ||
	    !jsonl_streq(&line, jsonl_get(&line, 0, "verdict"), "accepted"))
		goto out;
	sbuf_reset(&s);
	if (!jsonl_path_str(&line, "best", &s) ||
	    git_oid_fromstrn(&best, s.buf, s.len) < 0 ||
	    !best_made_from(repo, &best, &commit, &base))
		goto out;
	if (repo_ref_get(repo, BEST_REF, &cur) == 0 &&
	    !git_oid_equal(&cur, &base))
		goto out;	/* moved there already, or elsewhere */
	st.attempt = &commit;
	st.base = &base;
	st.subject = "accepted before a kill, moved by a rerun";
	if ((k = best_move(repo, &st, &best, &err)) > 0)
		goto out;	/* moved meanwhile: judge it */
	if (k < 0) {
		r->verdict = BENCH_ERROR;
		sbuf_add(&r->reason, err.buf, err.len);
		ret = 1;
		goto out;
	}
	sbuf_reset(&err);
	sbuf_addf(&err, "judged before a kill cut the run short; pesq/best "
		  "moved to %.12s now", s.buf);
	ret = 1;
	r->verdict = BENCH_ACCEPTED;
	jsonl_path_str(&line, "reason", &v);
	sbuf_addf(&r->reason, "%s%s%s", v.buf, v.len ? "; " : "", err.buf);
	member_of(&note, "test", id, "test", &r->test);
	member_of(&note, "bench", id, "bench", &r->bench);
	member_of(&note, "checks", id, "checks", &r->checks);
out:
	sbuf_release(&err);
	jsonl_rec_release(&line);
	sbuf_release(&s);
	sbuf_release(&note);
	sbuf_release(&v);
	return ret;
}
