#include <stdlib.h>
#include <string.h>

#include "attempt/attempt.h"
#include "source/candidate.h"
#include "ledger/notes.h"
#include "ledger/repo.h"

void
attempt_init(struct attempt *a)
{
	memset(a, 0, sizeof(*a));
	sbuf_init(&a->fn, 0);
	sbuf_init(&a->enc, 0);
	sbuf_init(&a->file, 0);
	sbuf_init(&a->summary, 0);
	sbuf_init(&a->model, 0);
	sbuf_init(&a->prompt, 0);
	sbuf_init(&a->data, 0);
}

void
attempt_release(struct attempt *a)
{
	sbuf_release(&a->fn);
	sbuf_release(&a->enc);
	sbuf_release(&a->file);
	sbuf_release(&a->summary);
	sbuf_release(&a->model);
	sbuf_release(&a->prompt);
	sbuf_release(&a->data);
}

void
attempt_id(const struct attempt *a, struct sbuf *out)
{
	sbuf_addf(out, "%s/%ld", a->fn.buf, a->n);
}

void
attempt_branch(const struct attempt *a, struct sbuf *out)
{
	sbuf_addf(out, "pesq/%s/%ld", a->enc.buf, a->n);
}

void
attempt_ref(const struct attempt *a, struct sbuf *out)
{
	sbuf_adds(out, "refs/heads/");
	attempt_branch(a, out);
}

void
attempt_message(const struct attempt *a, struct sbuf *out)
{
	size_t i, start;

	sbuf_addf(out, "pesq: %s: ", a->fn.buf);
	start = out->len;
	/* one line, whatever the model sent */
	for (i = 0; i < a->summary.len; i++) {
		char c = a->summary.buf[i];

		sbuf_addc(out, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
	}
	sbuf_rtrim(out);
	if (out->len == start)
		sbuf_adds(out, "candidate");
	sbuf_adds(out, "\n\nPesq-Attempt: ");
	attempt_id(a, out);
	if (a->model.len)
		sbuf_addf(out, "\nPesq-Model: %s", a->model.buf);
	if (a->prompt.len)
		sbuf_addf(out, "\nPesq-Prompt: %s", a->prompt.buf);
	if (a->correction)
		sbuf_addf(out, "\nPesq-Correction: %lld", a->ncorr);
	sbuf_addc(out, '\n');
}

/* Is path a C++ source (anonymous namespaces allowed)? */
static int
is_cxx(const char *path)
{
	static const char *const ext[] = {
		".cc", ".cpp", ".cxx", ".c++", ".C", ".hh", ".hpp", ".hxx",
		".H", ".ipp", NULL,
	};
	const char *dot = strrchr(path, '.');

	for (int i = 0; dot && ext[i]; i++)
		if (!strcmp(dot, ext[i]))
			return 1;
	return 0;
}

/* A required string field; -1 with a message when absent. */
static int
need_str(const struct jsonl_rec *rec, const char *path, struct sbuf *out,
	 struct sbuf *err)
{
	if (jsonl_path_str(rec, path, out))
		return 0;
	sbuf_addf(err, "missing '%s'", path);
	return -1;
}

static int
need_int(const struct jsonl_rec *rec, const char *path, long long *out,
	 struct sbuf *err)
{
	int t = jsonl_path(rec, path);

	if (t >= 0 && jsonl_int(rec, t, out) == 0 && *out >= 0)
		return 0;
	sbuf_addf(err, "missing or invalid '%s'", path);
	return -1;
}

/* The correction fields: base, parent, n, ncorr; checks the branch tip. */
static int
prepare_correction(git_repository *repo, const struct jsonl_rec *rec,
		   struct attempt *a, struct sbuf *s, struct sbuf *err)
{
	struct sbuf want = SBUF_INIT;
	git_oid tip;
	const char *slash;
	char *end;
	int r = -1;

	if (need_str(rec, "attempt.id", s, err) < 0)
		return -1;
	slash = strrchr(s->buf, '/');
	a->n = slash ? strtol(slash + 1, &end, 10) : 0;
	if (!slash || *end || a->n <= 0 ||
	    (size_t)(slash - s->buf) != a->fn.len ||
	    memcmp(s->buf, a->fn.buf, a->fn.len)) {
		sbuf_addf(err, "'attempt.id' '%s' is not an attempt of '%s'",
			  s->buf, a->fn.buf);
		return -1;
	}
	attempt_branch(a, &want);
	if (jsonl_path_str(rec, "attempt.branch", s) &&
	    strcmp(s->buf, want.buf)) {
		sbuf_addf(err, "'attempt.branch' is '%s', not '%s'", s->buf,
			  want.buf);
		goto done;
	}
	if (need_str(rec, "attempt.base", s, err) < 0)
		goto done;
	if (git_oid_fromstr(&a->base, s->buf) < 0) {
		sbuf_addf(err, "invalid 'attempt.base' '%s'", s->buf);
		goto done;
	}
	if (need_str(rec, "attempt.commit", s, err) < 0)
		goto done;
	if (git_oid_fromstr(&a->parent, s->buf) < 0) {
		sbuf_addf(err, "invalid 'attempt.commit' '%s'", s->buf);
		goto done;
	}
	a->ncorr = jsonl_path_int(rec, "attempt.n_corrections", 0) + 1;
	sbuf_reset(s);
	sbuf_addf(s, "refs/heads/%s", want.buf);
	if (repo_ref_get(repo, s->buf, &tip) < 0) {
		sbuf_addf(err, "branch '%s' does not exist", want.buf);
		goto done;
	}
	if (!git_oid_equal(&tip, &a->parent)) {
		sbuf_addf(err, "branch '%s' moved since the attempt was made",
			  want.buf);
		goto done;
	}
	r = 0;
done:
	sbuf_release(&want);
	return r;
}

int
attempt_prepare(git_repository *repo, const struct jsonl_rec *rec,
		const git_oid *base, int allow_sig, struct attempt *a,
		struct sbuf *err)
{
	struct sbuf s = SBUF_INIT, orig = SBUF_INIT, code = SBUF_INIT;
	struct sbuf want = SBUF_INIT, got = SBUF_INIT, prev = SBUF_INIT;
	long long start, end;
	git_oid blob, blob_want;
	int r = -1;

	if (need_str(rec, "fn", &a->fn, err) < 0 ||
	    need_str(rec, "def.file", &a->file, err) < 0 ||
	    need_int(rec, "def.start", &start, err) < 0 ||
	    need_int(rec, "def.end", &end, err) < 0 ||
	    need_str(rec, "def.blob", &s, err) < 0)
		goto done;
	if (git_oid_fromstr(&blob_want, s.buf) < 0) {
		sbuf_addf(err, "invalid 'def.blob' '%s'", s.buf);
		goto done;
	}
	if (need_str(rec, "candidate.code", &code, err) < 0)
		goto done;
	if (repo_fn_encode(a->fn.buf, &a->enc) < 0) {
		sbuf_adds(err, "empty 'fn'");
		goto done;
	}
	jsonl_path_str(rec, "candidate.summary", &a->summary);
	jsonl_path_str(rec, "llm.model", &a->model);
	jsonl_path_str(rec, "prompt.id", &a->prompt);
	a->correction = jsonl_path(rec, "attempt") >= 0 &&
		(!jsonl_path_bool(rec, "build.ok", 1) ||
		 jsonl_streq(rec, jsonl_path(rec, "prompt.mode"), "correct"));
	git_oid_cpy(&a->base, base);
	git_oid_cpy(&a->parent, base);
	if (a->correction && prepare_correction(repo, rec, a, &s, err) < 0)
		goto done;

	if (repo_read_blob(repo, &a->base, a->file.buf, &orig, &blob) < 0) {
		sbuf_addf(err, "'%s' is not in the base commit", a->file.buf);
		goto done;
	}
	if (!git_oid_equal(&blob, &blob_want)) {
		sbuf_addf(err, "'%s' changed since pesq-deps read it",
			  a->file.buf);
		goto done;
	}
	if (start > end || (size_t)end > orig.len) {
		sbuf_addf(err, "'def' offsets %lld-%lld are outside '%s'",
			  start, end, a->file.buf);
		goto done;
	}
	if (jsonl_path_str(rec, "def.code", &s) &&
	    (s.len != (size_t)(end - start) ||
	     memcmp(s.buf, orig.buf + start, s.len))) {
		sbuf_addf(err, "'def.code' is not the text at 'def' offsets "
			  "in '%s'", a->file.buf);
		goto done;
	}
	{
		struct cand_splice cs = { a->fn.buf, a->file.buf, orig.buf,
					  orig.len, (size_t)start, (size_t)end,
					  is_cxx(a->file.buf) };

		if (candidate_splice(&cs, code.buf, code.len, &a->data, &got,
				     err) < 0)
			goto done;
	}
	if (!allow_sig) {
		if (jsonl_path_str(rec, "def.code", &s))
			candidate_signature(s.buf, s.len, &want);
		else if (jsonl_path_str(rec, "def.signature", &s))
			candidate_signature(s.buf, s.len, &want);
		if (want.len && strcmp(want.buf, got.buf)) {
			sbuf_addf(err, "candidate changes the signature of "
				  "'%s' (see --allow-signature-change)",
				  a->fn.buf);
			goto done;
		}
	}

	if (a->correction) {
		if (repo_read_blob(repo, &a->parent, a->file.buf, &prev,
				   NULL) < 0) {
			sbuf_adds(err, repo_errmsg());
			goto done;
		}
	} else {
		sbuf_add(&prev, orig.buf, orig.len);
	}
	if (prev.len == a->data.len && !memcmp(prev.buf, a->data.buf,
					       prev.len)) {
		sbuf_addf(err, "candidate does not change '%s'%s", a->fn.buf,
			  a->correction ? " since the last try" : "");
		goto done;
	}
	r = 0;
done:
	sbuf_release(&s);
	sbuf_release(&orig);
	sbuf_release(&code);
	sbuf_release(&want);
	sbuf_release(&got);
	sbuf_release(&prev);
	return r;
}

int
attempt_next_n(git_repository *repo, struct attempt *a)
{
	git_reference_iterator *it;
	const char *name;
	struct sbuf glob = SBUF_INIT;
	long v;
	char *end;
	int r;

	a->n = 0;
	sbuf_addf(&glob, "refs/heads/pesq/%s/*", a->enc.buf);
	r = git_reference_iterator_glob_new(&it, repo, glob.buf);
	sbuf_release(&glob);
	if (r < 0)
		return r;
	while ((r = git_reference_next_name(&name, it)) == 0) {
		v = strtol(strrchr(name, '/') + 1, &end, 10);
		if (!*end && v > a->n)
			a->n = v;
	}
	git_reference_iterator_free(it);
	a->n++;
	return r == GIT_ITEROVER ? 0 : r;
}

void
attempt_note_apply(const struct attempt *a, struct jw *w)
{
	char hex[GIT_OID_HEXSZ + 1];

	jw_key(w, "fn");
	jw_str(w, a->fn.buf);
	jw_key(w, "file");
	jw_str(w, a->file.buf);
	jw_key(w, "base");
	jw_str(w, git_oid_tostr(hex, sizeof(hex), &a->base));
	jw_key(w, "parent");
	jw_str(w, git_oid_tostr(hex, sizeof(hex), &a->parent));
	jw_key(w, "n_corrections");
	jw_int(w, a->correction ? a->ncorr : 0);
	jw_key(w, "model");
	jw_str(w, a->model.buf);
	jw_key(w, "prompt");
	jw_str(w, a->prompt.buf);
}

void
attempt_note_build(struct jw *w, int ok, long long ms, const char *cmd,
		   const char *slot, const struct sbuf *log)
{
	jw_key(w, "ok");
	jw_bool(w, ok);
	jw_key(w, "ms");
	jw_int(w, ms);
	jw_key(w, "cmd");
	jw_str(w, cmd);
	jw_key(w, "slot");
	jw_str(w, slot);
	jw_key(w, "log");
	jw_strn(w, log->buf, log->len);
}

void
attempt_record(const struct jsonl_rec *rec, const struct attempt *a,
	       const git_oid *commit, int ok, long long ms,
	       const struct sbuf *log, struct sbuf *out)
{
	static const char *const skip[] = { "attempt", "build", NULL };
	char hex[GIT_OID_HEXSZ + 1];
	struct sbuf s = SBUF_INIT;
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jsonl_copy_except(rec, &w, skip);
	jw_key(&w, "attempt");
	jw_obj(&w);
	jw_key(&w, "id");
	attempt_id(a, &s);
	jw_str(&w, s.buf);
	sbuf_reset(&s);
	jw_key(&w, "branch");
	attempt_branch(a, &s);
	jw_str(&w, s.buf);
	jw_key(&w, "base");
	jw_str(&w, git_oid_tostr(hex, sizeof(hex), &a->base));
	jw_key(&w, "commit");
	jw_str(&w, git_oid_tostr(hex, sizeof(hex), commit));
	jw_key(&w, "n_corrections");
	jw_int(&w, a->correction ? a->ncorr : 0);
	jw_obj_end(&w);
	jw_key(&w, "build");
	jw_obj(&w);
	jw_key(&w, "ok");
	jw_bool(&w, ok);
	jw_key(&w, "ms");
	jw_int(&w, ms);
	jw_key(&w, "log");
	jw_strn(&w, log->buf, log->len);
	jw_obj_end(&w);
	jw_obj_end(&w);
	sbuf_addc(out, '\n');
	jw_release(&w);
	sbuf_release(&s);
}

int
attempt_note_start(git_repository *repo, struct jw *w, struct sbuf *line,
		   const char *event, const char *id)
{
	git_signature *sig;
	int r = repo_signature(repo, 0, &sig);

	if (r < 0)
		return r;
	jw_init(w, line);
	jw_obj(w);
	jw_key(w, "event");
	jw_str(w, event);
	jw_key(w, "attempt");
	jw_str(w, id);
	jw_key(w, "time");
	jw_int(w, (long long)sig->when.time);
	git_signature_free(sig);
	return 0;
}

int
attempt_note_end(git_repository *repo, const git_oid *commit, struct jw *w,
		 struct sbuf *line, int flags)
{
	int r;

	jw_obj_end(w);
	r = notes_append(repo, commit, line->buf, line->len, flags);
	jw_release(w);
	sbuf_reset(line);
	return r;
}
