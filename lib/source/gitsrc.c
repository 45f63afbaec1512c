/*
 * The sources of a commit, read from git objects: what pesq-deps hands to
 * libclang as unsaved files so that a dirty working tree never leaks in.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "source/gitsrc.h"
#include "base/xalloc.h"

struct walk {
	struct gitsrc *gs;
	git_repository *repo;
	size_t cap;
	struct sbuf *err;
};

int
gitsrc_is_source(const char *name, int *header, int *cxx)
{
	static const struct {
		const char *ext;
		int header, cxx;
	} exts[] = {
		{ "c", 0, 0 }, { "h", 1, 0 }, { "cc", 0, 1 }, { "cpp", 0, 1 },
		{ "cxx", 0, 1 }, { "c++", 0, 1 }, { "C", 0, 1 },
		{ "hh", 1, 1 }, { "hpp", 1, 1 }, { "hxx", 1, 1 },
		{ "h++", 1, 1 }, { "H", 1, 1 }, { "ipp", 1, 1 },
		{ "tcc", 1, 1 }, { "inl", 1, 1 }, { "inc", 1, 0 },
		{ "def", 1, 0 },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (!dot || dot == name || strchr(dot, '/'))
		return 0;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		if (strcmp(dot + 1, exts[i].ext))
			continue;
		if (header)
			*header = exts[i].header;
		if (cxx)
			*cxx = exts[i].cxx;
		return 1;
	}
	return 0;
}

static void
lg2_error(struct sbuf *err, const char *what)
{
	const git_error *e = git_error_last();

	sbuf_reset(err);
	sbuf_addf(err, "%s: %s", what, e && e->message ? e->message :
		  "unknown error");
}

static int
walk_cb(const char *root, const git_tree_entry *entry, void *payload)
{
	struct walk *wk = payload;
	struct gitsrc *gs = wk->gs;
	struct gitsrc_file *f;
	const char *name = git_tree_entry_name(entry);
	git_blob *blob;
	int header = 0, cxx = 0;

	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
	    git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK ||
	    !gitsrc_is_source(name, &header, &cxx))
		return 0;
	if (git_blob_lookup(&blob, wk->repo, git_tree_entry_id(entry))) {
		lg2_error(wk->err, name);
		return -1;
	}
	XGROW(gs->files, gs->nfiles + 1, wk->cap);
	f = &gs->files[gs->nfiles++];
	memset(f, 0, sizeof(*f));
	{
		struct sbuf p = SBUF_INIT;

		sbuf_addf(&p, "%s%s", root, name);
		f->path = sbuf_detach(&p, NULL);
	}
	f->abspath = xmalloc(strlen(gs->root) + strlen(f->path) + 1);
	strcpy(f->abspath, gs->root);
	strcat(f->abspath, f->path);
	git_oid_tostr(f->blob, sizeof(f->blob), git_tree_entry_id(entry));
	f->len = (size_t)git_blob_rawsize(blob);
	f->data = xmemdupz(git_blob_rawcontent(blob), f->len);
	f->is_header = header;
	f->is_cxx = cxx;
	if (cxx && !header)
		gs->has_cxx = 1;
	git_blob_free(blob);
	return 0;
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct gitsrc_file *)a)->path,
		      ((const struct gitsrc_file *)b)->path);
}

static char *
with_slash(const char *dir)
{
	size_t n = strlen(dir);
	char *s = xmalloc(n + 2);

	memcpy(s, dir, n + 1);
	if (!n || s[n - 1] != '/') {
		s[n] = '/';
		s[n + 1] = '\0';
	}
	return s;
}

struct gitsrc *
gitsrc_open(const char *dir, const char *rev, struct sbuf *err)
{
	struct gitsrc *gs = xcalloc(1, sizeof(*gs));
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	struct walk wk;
	char *abs;
	size_t i;

	git_libgit2_init();
	abs = realpath(dir, NULL);
	if (!abs) {
		sbuf_reset(err);
		sbuf_addf(err, "cannot open '%s'", dir);
		goto fail;
	}
	if (git_repository_open_ext(&repo, abs, 0,
				    getenv("GIT_CEILING_DIRECTORIES"))) {
		sbuf_reset(err);
		sbuf_addf(err, "not a git repository: '%s'", dir);
		goto fail;
	}
	gs->gitdir = with_slash(git_repository_path(repo));
	if (git_repository_workdir(repo)) {
		gs->root = with_slash(git_repository_workdir(repo));
	} else {
		/* bare: the files exist only for the compiler */
		struct sbuf p = SBUF_INIT;

		sbuf_addf(&p, "%spesq/src/", gs->gitdir);
		gs->root = sbuf_detach(&p, NULL);
	}
	if ((!rev || !strcmp(rev, "pesq/best") ||
	     !strcmp(rev, "refs/heads/pesq/best")) &&
	    git_revparse_single(&obj, repo, "refs/heads/pesq/best")) {
		/* no pesq/best yet: the fresh repository's HEAD */
		gs->best_missing = 1;
		rev = NULL;
	}
	if (!obj && git_revparse_single(&obj, repo, rev ? rev : "HEAD")) {
		sbuf_reset(err);
		if ((!rev || !strcmp(rev, "HEAD")) &&
		    git_repository_head_unborn(repo) == 1)
			sbuf_addf(err, "no commit yet in '%s': the sources "
				  "are read from a commit (HEAD)", gs->root);
		else
			sbuf_addf(err, "unknown revision '%s'",
				  rev ? rev : "HEAD");
		goto fail;
	}
	if (git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT)) {
		sbuf_reset(err);
		sbuf_addf(err, "'%s' is not a commit", rev ? rev : "HEAD");
		goto fail;
	}
	git_oid_tostr(gs->commit, sizeof(gs->commit), git_commit_id(commit));
	if (git_commit_tree(&tree, commit)) {
		lg2_error(err, "cannot read tree");
		goto fail;
	}
	wk.gs = gs;
	wk.repo = repo;
	wk.cap = 0;
	wk.err = err;
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &wk))
		goto fail;
	qsort(gs->files, gs->nfiles, sizeof(*gs->files), cmp_file);
	for (i = 0; i < gs->nfiles; i++)
		*hmap_put(&gs->byabs, gs->files[i].abspath,
			  strlen(gs->files[i].abspath), NULL) = &gs->files[i];
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	git_repository_free(repo);
	free(abs);
	git_libgit2_shutdown();
	return gs;
fail:
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	git_repository_free(repo);
	free(abs);
	gitsrc_free(gs);
	git_libgit2_shutdown();
	return NULL;
}

void
gitsrc_free(struct gitsrc *gs)
{
	size_t i;

	if (!gs)
		return;
	for (i = 0; i < gs->nfiles; i++) {
		free(gs->files[i].path);
		free(gs->files[i].abspath);
		free(gs->files[i].data);
	}
	free(gs->files);
	hmap_free(&gs->byabs, NULL);
	free(gs->root);
	free(gs->gitdir);
	free(gs);
}

struct gitsrc_file *
gitsrc_by_abspath(const struct gitsrc *gs, const char *abspath)
{
	return hmap_get(&gs->byabs, abspath, strlen(abspath));
}

struct gitsrc_file *
gitsrc_by_path(const struct gitsrc *gs, const char *path)
{
	size_t lo = 0, hi = gs->nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, gs->files[mid].path);

		if (!c)
			return &gs->files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
