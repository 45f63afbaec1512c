#include <string.h>
#include <time.h>

#include "ledger/notes.h"
#include "ledger/repo.h"

#define NOTES_TRIES 200

int
notes_read(git_repository *repo, const git_oid *commit, struct sbuf *out)
{
	return notes_read_ref(repo, NOTES_REF, commit, out);
}

int
notes_read_ref(git_repository *repo, const char *ref, const git_oid *commit,
	       struct sbuf *out)
{
	git_note *note = NULL;
	int r;

	r = git_note_read(&note, repo, ref, commit);
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0)
		return r;
	sbuf_adds(out, git_note_message(note));
	git_note_free(note);
	return 1;
}

/* One try: read the ref, make the notes commit, move the ref by CAS. */
static int
append_once(git_repository *repo, const char *ref, const git_oid *commit,
	    const char *line, size_t len, int flags, const git_signature *sig)
{
	git_oid old, new;
	git_commit *parent = NULL;
	git_note *note = NULL;
	struct sbuf text = SBUF_INIT;
	int have_old, r;

	r = repo_ref_get(repo, ref, &old);
	if (r < 0 && r != GIT_ENOTFOUND)
		return r;
	have_old = r == 0;
	if (have_old) {
		if ((r = git_commit_lookup(&parent, repo, &old)) < 0)
			goto done;
		r = git_note_commit_read(&note, repo, parent, commit);
		if (r < 0 && r != GIT_ENOTFOUND)
			goto done;
		if (r == 0 && !(flags & NOTES_FRESH)) {
			sbuf_adds(&text, git_note_message(note));
			if (text.len && text.buf[text.len - 1] != '\n')
				sbuf_addc(&text, '\n');
		}
	}
	sbuf_add(&text, line, len);
	sbuf_addc(&text, '\n');
	r = git_note_commit_create(&new, NULL, repo, parent, sig, sig, commit,
				   text.buf, 1);
	if (r < 0)
		goto done;
	r = repo_ref_cas(repo, ref, &new, have_old ? &old : NULL,
			 "pesq: note");
done:
	git_note_free(note);
	git_commit_free(parent);
	sbuf_release(&text);
	return r;
}

int
notes_append(git_repository *repo, const git_oid *commit, const char *line,
	     size_t len, int flags)
{
	return notes_append_ref(repo, NOTES_REF, commit, line, len, flags);
}

int
notes_append_ref(git_repository *repo, const char *ref, const git_oid *commit,
		 const char *line, size_t len, int flags)
{
	git_signature *sig = NULL;
	int r, i;

	if ((r = repo_signature(repo, 0, &sig)) < 0)
		return r;
	for (i = 0; i < NOTES_TRIES; i++) {
		r = append_once(repo, ref, commit, line, len, flags, sig);
		if (r != GIT_EEXISTS && r != GIT_EMODIFIED && r != GIT_ELOCKED)
			break;
		if (r == GIT_ELOCKED) {
			/* the other writer is between lock and rename */
			struct timespec ts = { 0, 1000000L * (1 + i % 8) };

			nanosleep(&ts, NULL);
		}
	}
	git_signature_free(sig);
	return r;
}
