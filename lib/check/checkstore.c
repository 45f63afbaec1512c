/*
 * Differential checks in git: the user's files, refs/pesq/checks, and
 * the notes in refs/notes/pesq-check.
 */
#include <stdio.h>
#include <string.h>

#include "check/checkstore.h"
#include "ledger/notes.h"
#include "ledger/repo.h"

#define PUT_TRIES 100

void
checkstore_check_release(struct checkstore_check *c)
{
	sbuf_release(&c->code);
	sbuf_release(&c->path);
	sbuf_release(&c->seeds);
	c->blob[0] = '\0';
	c->user = 0;
}

void
checkstore_name(const char *fn, int cxx, struct sbuf *out)
{
	repo_fn_encode(fn, out);
	sbuf_adds(out, cxx ? ".cc" : ".c");
}

int
checkstore_find(git_repository *repo, const git_oid *base, const char *fn,
		int cxx, struct checkstore_check *c)
{
	static const char *const c_ext[] = { ".c", NULL };
	static const char *const cxx_ext[] = { ".cc", ".cpp", ".cxx", NULL };
	const char *const *ext = cxx ? cxx_ext : c_ext;
	struct sbuf enc = SBUF_INIT, path = SBUF_INIT;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *ent = NULL;
	git_oid id, blob;
	int r = 0;

	checkstore_check_release(c);
	repo_fn_encode(fn, &enc);
	for (int i = 0; ext[i] && r == 0; i++) {
		sbuf_reset(&path);
		sbuf_addf(&path, "pesq/check/%s%s", enc.buf, ext[i]);
		r = repo_read_blob(repo, base, path.buf, &c->code, &blob);
		if (r == GIT_ENOTFOUND) {
			r = 0;
			continue;
		}
		if (r < 0)
			goto out;
		c->user = 1;
		sbuf_add(&c->path, path.buf, path.len);
		git_oid_tostr(c->blob, sizeof(c->blob), &blob);
		r = 1;
		/* a seed corpus beside it */
		sbuf_reset(&path);
		sbuf_addf(&path, "pesq/check/%s.corpus", enc.buf);
		if (git_commit_lookup(&commit, repo, base) == 0 &&
		    git_commit_tree(&tree, commit) == 0 &&
		    git_tree_entry_bypath(&ent, tree, path.buf) == 0 &&
		    git_tree_entry_type(ent) == GIT_OBJECT_TREE)
			sbuf_add(&c->seeds, path.buf, path.len);
		goto out;
	}
	if (repo_ref_get(repo, CHECKSTORE_REF, &id) < 0)
		goto out;	/* none written yet */
	sbuf_reset(&path);
	checkstore_name(fn, cxx, &path);
	r = repo_read_blob(repo, &id, path.buf, &c->code, &blob);
	if (r == GIT_ENOTFOUND) {
		r = 0;
	} else if (r == 0) {
		sbuf_addf(&c->path, "%s:%s", CHECKSTORE_REF, path.buf);
		git_oid_tostr(c->blob, sizeof(c->blob), &blob);
		r = 1;
	}
out:
	git_tree_entry_free(ent);
	git_tree_free(tree);
	git_commit_free(commit);
	sbuf_release(&enc);
	sbuf_release(&path);
	return r;
}

/* One try of checkstore_put: GIT_EMODIFIED and friends mean "again". */
static int
put_once(git_repository *repo, const char *name, const char *code,
	 size_t len, const char *msg, git_oid *blob)
{
	git_oid old, tid, cid;
	git_commit *parent = NULL;
	git_tree *tree = NULL, *newtree = NULL;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	const git_commit *parents[1];
	int have_old, r;

	r = repo_ref_get(repo, CHECKSTORE_REF, &old);
	if (r < 0 && r != GIT_ENOTFOUND)
		return r;
	have_old = r == 0;
	if (have_old && ((r = git_commit_lookup(&parent, repo, &old)) < 0 ||
			 (r = git_commit_tree(&tree, parent)) < 0))
		goto done;
	if ((r = git_treebuilder_new(&tb, repo, tree)) < 0)
		goto done;
	if (len) {
		if ((r = git_blob_create_from_buffer(blob, repo, code,
						     len)) < 0 ||
		    (r = git_treebuilder_insert(NULL, tb, name, blob,
						GIT_FILEMODE_BLOB)) < 0)
			goto done;
	} else if (git_treebuilder_get(tb, name) &&
		   (r = git_treebuilder_remove(tb, name)) < 0) {
		goto done;
	}
	if ((r = git_treebuilder_write(&tid, tb)) < 0 ||
	    (r = git_tree_lookup(&newtree, repo, &tid)) < 0 ||
	    (r = repo_signature(repo, 0, &sig)) < 0)
		goto done;
	parents[0] = parent;
	r = git_commit_create(&cid, repo, NULL, sig, sig, NULL, msg, newtree,
			      have_old, parents);
	if (r == 0)
		r = repo_ref_cas(repo, CHECKSTORE_REF, &cid,
				 have_old ? &old : NULL, "pesq: check");
done:
	git_signature_free(sig);
	git_tree_free(newtree);
	git_treebuilder_free(tb);
	git_tree_free(tree);
	git_commit_free(parent);
	return r;
}

int
checkstore_put(git_repository *repo, const char *fn, int cxx,
	       const char *code, size_t len, const char *msg,
	       char blob[GIT_OID_HEXSZ + 1], struct sbuf *err)
{
	struct sbuf name = SBUF_INIT;
	git_oid id;
	int r = 0;

	checkstore_name(fn, cxx, &name);
	memset(&id, 0, sizeof(id));
	for (int i = 0; i < PUT_TRIES; i++) {
		r = put_once(repo, name.buf, code, len, msg, &id);
		if (r != GIT_EEXISTS && r != GIT_EMODIFIED && r != GIT_ELOCKED)
			break;
	}
	if (r < 0)
		sbuf_addf(err, "cannot update '%s': %s", CHECKSTORE_REF,
			  repo_errmsg());
	else if (blob)
		git_oid_tostr(blob, GIT_OID_HEXSZ + 1, &id);
	sbuf_release(&name);
	return r < 0 ? -1 : 0;
}

int
checkstore_note(git_repository *repo, const git_oid *base, const char *line,
		size_t len, struct sbuf *err)
{
	if (notes_append_ref(repo, CHECKSTORE_NOTES, base, line, len, 0) < 0) {
		sbuf_addf(err, "cannot write a note in '%s': %s",
			  CHECKSTORE_NOTES, repo_errmsg());
		return -1;
	}
	return 0;
}

int
checkstore_lines(git_repository *repo, const git_oid *base, const char *event,
		 void (*fn)(const struct jsonl_rec *rec, void *arg), void *arg)
{
	struct sbuf note = SBUF_INIT;
	struct jsonl_rec rec = JSONL_REC_INIT;
	const char *msg;
	size_t off;
	int n = 0;

	if (notes_read_ref(repo, CHECKSTORE_NOTES, base, &note) <= 0)
		goto out;
	for (const char *p = note.buf, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (jsonl_parse(&rec, p, nl ? (size_t)(nl - p) : strlen(p),
				&off, &msg) == 0 &&
		    jsonl_streq(&rec, jsonl_get(&rec, 0, "event"), event)) {
			fn(&rec, arg);
			n++;
		}
		if (!nl)
			break;
	}
out:
	jsonl_rec_release(&rec);
	sbuf_release(&note);
	return n;
}

/* What checkstore_status looks for, and what it found. */
struct status_find {
	const char *fn, *blob;
	struct sbuf *status, *reason;
	int found;
};

static void
status_line(const struct jsonl_rec *rec, void *arg)
{
	struct status_find *f = arg;

	if (!jsonl_streq(rec, jsonl_get(rec, 0, "fn"), f->fn) ||
	    !jsonl_streq(rec, jsonl_get(rec, 0, "blob"), f->blob))
		return;
	sbuf_reset(f->status);
	jsonl_path_str(rec, "status", f->status);
	if (f->reason) {
		sbuf_reset(f->reason);
		jsonl_path_str(rec, "reason", f->reason);
	}
	f->found = 1;
}

int
checkstore_status(git_repository *repo, const git_oid *base, const char *fn,
		  const char *blob, struct sbuf *status, struct sbuf *reason)
{
	struct status_find f = { fn, blob, status, reason, 0 };

	sbuf_reset(status);
	checkstore_lines(repo, base, "check", status_line, &f);
	return f.found;
}

int
checkstore_seeds(git_repository *repo, const git_oid *base,
		 const struct checkstore_check *c, const char *dir,
		 struct sbuf *err)
{
	git_commit *commit = NULL;
	git_tree *root = NULL, *tree = NULL;
	git_tree_entry *ent = NULL;
	struct sbuf path = SBUF_INIT, data = SBUF_INIT;
	int n = 0, r;

	if (!c->seeds.len)
		return 0;
	if ((r = git_commit_lookup(&commit, repo, base)) < 0 ||
	    (r = git_commit_tree(&root, commit)) < 0 ||
	    (r = git_tree_entry_bypath(&ent, root, c->seeds.buf)) < 0 ||
	    (r = git_tree_lookup(&tree, repo, git_tree_entry_id(ent))) < 0)
		goto fail;
	for (size_t i = 0; i < git_tree_entrycount(tree); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		git_blob *b = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
			continue;
		if ((r = git_blob_lookup(&b, repo, git_tree_entry_id(e))) < 0)
			goto fail;
		git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(e));
		sbuf_reset(&path);
		sbuf_addf(&path, "%s/%s", dir, hex);
		sbuf_reset(&data);
		sbuf_add(&data, git_blob_rawcontent(b),
			 (size_t)git_blob_rawsize(b));
		git_blob_free(b);
		if (sbuf_write_file(&data, path.buf) < 0) {
			sbuf_addf(err, "cannot write '%s'", path.buf);
			n = -1;
			goto out;
		}
		n++;
	}
	goto out;
fail:
	sbuf_addf(err, "cannot read the seed corpus '%s': %s", c->seeds.buf,
		  repo_errmsg());
	n = -1;
out:
	git_tree_free(tree);
	git_tree_entry_free(ent);
	git_tree_free(root);
	git_commit_free(commit);
	sbuf_release(&path);
	sbuf_release(&data);
	return n;
}
