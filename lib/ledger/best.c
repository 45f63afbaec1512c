#include <string.h>

#include "ledger/best.h"
#include "ledger/notes.h"
#include "ledger/repo.h"

/* Append the lines of msg that start with "Pesq-" to out. */
static void
pesq_trailers(const char *msg, struct sbuf *out)
{
	const char *p = msg;

	while (p && *p) {
		size_t n = strcspn(p, "\n");

		if (!strncmp(p, "Pesq-", 5)) {
			sbuf_add(out, p, n);
			sbuf_addc(out, '\n');
		}
		p += n;
		if (*p)
			p++;
	}
}

int
best_made_from(git_repository *repo, const git_oid *cur, const git_oid *attempt,
	       const git_oid *base)
{
	git_commit *c = NULL, *a = NULL;
	struct sbuf t = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int yes = 0;

	git_oid_tostr(hex, sizeof(hex), attempt);
	sbuf_addf(&t, "\nPesq-Commit: %s\n", hex);
	if (git_commit_lookup(&c, repo, cur) == 0 &&
	    git_commit_lookup(&a, repo, attempt) == 0 &&
	    git_commit_parentcount(c) == 1 &&
	    git_oid_equal(git_commit_parent_id(c, 0), base) &&
	    git_oid_equal(git_commit_tree_id(c), git_commit_tree_id(a)) &&
	    strstr(git_commit_message(c), t.buf))
		yes = 1;
	git_commit_free(c);
	git_commit_free(a);
	sbuf_release(&t);
	return yes;
}

/* Append s->note to the note of c unless a line with note_key is there. */
static int
note_once(git_repository *repo, const git_oid *c, const struct best_step *s,
	  struct sbuf *err)
{
	struct sbuf have = SBUF_INIT;
	int r;

	if (!s->note)
		return 0;
	r = notes_read(repo, c, &have);
	if (r >= 0 && !(r > 0 && s->note_key && strstr(have.buf, s->note_key)))
		r = notes_append(repo, c, s->note, strlen(s->note), 0);
	sbuf_release(&have);
	if (r < 0) {
		sbuf_addf(err, "cannot write the note of pesq/best: %s",
			  repo_errmsg());
		return -1;
	}
	if (s->hook)
		s->hook("note");
	return 0;
}

static int
moved(struct sbuf *err, const git_oid *base, const git_oid *now)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	git_oid_tostr(a, sizeof(a), base);
	if (now)
		git_oid_tostr(b, sizeof(b), now);
	sbuf_addf(err, "pesq/best moved: it is at %s, the attempt was made "
		  "on %.12s", now ? b : "(created meanwhile)", a);
	return 1;
}

int
best_prepare(git_repository *repo, const struct best_step *s, git_oid *out,
	     struct sbuf *err)
{
	git_commit *ac = NULL, *bc = NULL;
	git_tree *tree = NULL;
	git_signature *author = NULL, *committer = NULL;
	struct sbuf msg = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid cur;
	int ret = -1;

	if (repo_ref_get(repo, BEST_REF, &cur) == 0 &&
	    !git_oid_equal(&cur, s->base)) {
		if (best_made_from(repo, &cur, s->attempt, s->base)) {
			git_oid_cpy(out, &cur);
			return note_once(repo, &cur, s, err) < 0 ? -1 : 2;
		}
		return moved(err, s->base, &cur);
	}
	if (git_commit_lookup(&ac, repo, s->attempt) < 0 ||
	    git_commit_lookup(&bc, repo, s->base) < 0 ||
	    git_commit_tree(&tree, ac) < 0 ||
	    repo_signature(repo, 1, &author) < 0 ||
	    repo_signature(repo, 0, &committer) < 0) {
		sbuf_addf(err, "cannot make the commit: %s", repo_errmsg());
		goto out;
	}
	sbuf_addf(&msg, "%s\n\n", s->subject);
	pesq_trailers(git_commit_message(ac), &msg);
	if (s->trailers)
		sbuf_adds(&msg, s->trailers);
	git_oid_tostr(hex, sizeof(hex), s->attempt);
	sbuf_addf(&msg, "Pesq-Commit: %s\n", hex);
	if (git_commit_create(out, repo, NULL, author, committer, NULL,
			      msg.buf, tree, 1,
			      (const git_commit **)&bc) < 0) {
		sbuf_addf(err, "cannot make the commit: %s", repo_errmsg());
		goto out;
	}
	if (note_once(repo, out, s, err) == 0)
		ret = 0;
out:
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tree);
	git_commit_free(ac);
	git_commit_free(bc);
	sbuf_release(&msg);
	return ret;
}

int
best_move(git_repository *repo, const struct best_step *s, const git_oid *to,
	  struct sbuf *err)
{
	struct sbuf log = SBUF_INIT;
	git_oid cur;
	int have, r = GIT_ELOCKED, ret = -1, tries;

	have = repo_ref_get(repo, BEST_REF, &cur) == 0;
	sbuf_addf(&log, "pesq-bench: %s", s->subject);
	for (tries = 0; tries < 50 && r == GIT_ELOCKED; tries++)
		r = repo_ref_cas(repo, BEST_REF, to, have ? s->base : NULL,
				 log.buf);
	if (r == 0) {
		ret = 0;
		if (s->hook)
			s->hook("ref");
	} else if (r == GIT_EMODIFIED || r == GIT_EEXISTS ||
		   r == GIT_ENOTFOUND) {
		have = repo_ref_get(repo, BEST_REF, &cur) == 0;
		ret = moved(err, s->base, have ? &cur : NULL);
	} else {
		sbuf_addf(err, "cannot move pesq/best: %s", repo_errmsg());
	}
	sbuf_release(&log);
	return ret;
}
