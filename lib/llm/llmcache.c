#include <string.h>

#include <git2.h>

#include "llm/llmcache.h"
#include "base/xalloc.h"

struct llmcache {
	git_repository *repo;
};

static int
lg2err(struct sbuf *err, const char *what)
{
	const git_error *e = git_error_last();

	sbuf_addf(err, "%s: %s", what, e && e->message ? e->message :
		  "unknown libgit2 error");
	return -1;
}

int
llmcache_open(struct llmcache **out, const char *dir, struct sbuf *err)
{
	git_repository *repo;
	int r;

	*out = NULL;
	git_libgit2_init();
	r = git_repository_open_ext(&repo, dir, dir ? 0 :
	    GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (r == GIT_ENOTFOUND)
		return 1;
	if (r < 0)
		return lg2err(err, "cannot open repository");
	*out = xcalloc(1, sizeof(**out));
	(*out)->repo = repo;
	return 0;
}

void
llmcache_close(struct llmcache *c)
{
	if (c) {
		git_repository_free(c->repo);
		free(c);
	}
	git_libgit2_shutdown();
}

const char *
llmcache_workdir(struct llmcache *c)
{
	return c ? git_repository_workdir(c->repo) : NULL;
}

int
llmcache_config(struct llmcache *c, const char *name, struct sbuf *out)
{
	git_config *cfg = NULL, *snap = NULL;
	git_buf buf = { 0 };
	int r;

	git_libgit2_init();
	r = c ? git_repository_config_snapshot(&snap, c->repo) :
	    git_config_open_default(&cfg);
	if (!r && cfg)
		r = git_config_snapshot(&snap, cfg);
	if (!r) {
		r = git_config_get_string_buf(&buf, snap, name);
		if (!r)
			sbuf_add(out, buf.ptr, buf.size);
	}
	git_buf_dispose(&buf);
	git_config_free(snap);
	git_config_free(cfg);
	git_libgit2_shutdown();
	if (r == GIT_ENOTFOUND)
		return 0;
	return r < 0 ? -1 : 1;
}

/* The note in ref on the blob of key[0..len): 1 with it in val, 0, -1. */
static int
note_get(struct llmcache *c, const char *ref, const char *key, size_t len,
	 struct sbuf *val, struct sbuf *err)
{
	git_note *note;
	git_oid oid;
	int r;

	if (git_odb_hash(&oid, key, len, GIT_OBJECT_BLOB) < 0)
		return lg2err(err, "cannot hash request");
	r = git_note_read(&note, c->repo, ref, &oid);
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0)
		return lg2err(err, "cannot read cache");
	sbuf_reset(val);
	sbuf_adds(val, git_note_message(note));
	git_note_free(note);
	return 1;
}

static int
signature(git_signature **sig, git_repository *repo)
{
	if (git_signature_default(sig, repo) == 0)
		return 0;
	return git_signature_now(sig, "pesq", "pesq@localhost");
}

int
llmcache_get(struct llmcache *c, const char *req, size_t len,
	     struct sbuf *val, struct sbuf *err)
{
	return note_get(c, LLMCACHE_REF, req, len, val, err);
}

/* Store val as the note in ref on the blob of key[0..len) (written too). */
static int
note_put(struct llmcache *c, const char *ref, const char *key, size_t len,
	 const char *val, struct sbuf *err)
{
	git_signature *sig = NULL;
	git_oid oid, old, commit, blob;
	int tries, r = -1;

	if (git_blob_create_from_buffer(&oid, c->repo, key, len) < 0)
		return lg2err(err, "cannot store request");
	if (signature(&sig, c->repo) < 0)
		return lg2err(err, "cannot make a signature");
	for (tries = 0; tries < 100; tries++) {
		git_commit *parent = NULL;
		git_reference *refp = NULL;
		int have;

		have = git_reference_name_to_id(&old, c->repo, ref);
		if (have < 0 && have != GIT_ENOTFOUND)
			break;
		if (have == 0 && git_commit_lookup(&parent, c->repo, &old) < 0)
			break;
		r = git_note_commit_create(&commit, &blob, c->repo, parent,
					   sig, sig, &oid, val, 1);
		git_commit_free(parent);
		if (r < 0)
			break;
		r = have == 0 ?
		    git_reference_create_matching(&refp, c->repo, ref,
			&commit, 1, &old, "pesq-llm: cache reply") :
		    git_reference_create(&refp, c->repo, ref, &commit,
			0, "pesq-llm: cache reply");
		git_reference_free(refp);
		if (r != GIT_EMODIFIED && r != GIT_EEXISTS && r != GIT_ELOCKED)
			break;
	}
	git_signature_free(sig);
	if (r < 0) {
		struct sbuf what = SBUF_INIT;

		sbuf_addf(&what, "cannot update %s", ref);
		lg2err(err, what.buf);
		sbuf_release(&what);
		return -1;
	}
	return 0;
}

int
llmcache_put(struct llmcache *c, const char *req, size_t len,
	     const char *val, struct sbuf *err)
{
	return note_put(c, LLMCACHE_REF, req, len, val, err);
}

/* The blob a model's entry hangs on: its name and a newline. */
static void
model_key(struct sbuf *k, const char *model)
{
	sbuf_adds(k, model);
	sbuf_addc(k, '\n');
}

/*
 * The entry of a model: read into val (put NULL), or val written from
 * put. As note_get and note_put return.
 */
static int
model_note(struct llmcache *c, const char *model, const char *put,
	   struct sbuf *val, struct sbuf *err)
{
	struct sbuf k = SBUF_INIT;
	int r;

	model_key(&k, model);
	r = put ? note_put(c, LLMCACHE_MODELS_REF, k.buf, k.len, put, err) :
	    note_get(c, LLMCACHE_MODELS_REF, k.buf, k.len, val, err);
	sbuf_release(&k);
	return r;
}

int
llmcache_model_get(struct llmcache *c, const char *model, struct sbuf *val,
		   struct sbuf *err)
{
	return model_note(c, model, NULL, val, err);
}

int
llmcache_model_put(struct llmcache *c, const char *model, const char *val,
		   struct sbuf *err)
{
	return model_note(c, model, val, NULL, err);
}
