#include <stdlib.h>
#include <string.h>

#include "attempt/admit.h"
#include "source/includes.h"
#include "base/xalloc.h"

/* The files of the base commit, listed on first need. */
struct tree_files {
	git_repository *repo;
	const git_oid *base;
	char **path;
	size_t n, cap;
	int listed, failed;
};

static int
add_path(const char *root, const git_tree_entry *e, void *arg)
{
	struct tree_files *tf = arg;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	XGROW(tf->path, tf->n + 1, tf->cap);
	tf->path[tf->n] = xmalloc(strlen(root) + strlen(git_tree_entry_name(e))
				  + 1);
	strcpy(tf->path[tf->n], root);
	strcat(tf->path[tf->n], git_tree_entry_name(e));
	tf->n++;
	return 0;
}

static void
list(struct tree_files *tf)
{
	git_commit *c = NULL;
	git_tree *t = NULL;

	tf->listed = 1;
	if (git_commit_lookup(&c, tf->repo, tf->base) < 0 ||
	    git_commit_tree(&t, c) < 0 ||
	    git_tree_walk(t, GIT_TREEWALK_PRE, add_path, tf) < 0)
		tf->failed = 1;
	git_tree_free(t);
	git_commit_free(c);
}

/* includes_check's question: a tracked file named name, or .../name? */
static int
is_header(void *arg, const char *name)
{
	struct tree_files *tf = arg;
	size_t k = strlen(name);

	while (!strncmp(name, "./", 2)) {
		name += 2;
		k -= 2;
	}
	if (!tf->listed)
		list(tf);
	for (size_t i = 0; i < tf->n; i++) {
		size_t n = strlen(tf->path[i]);

		if (n == k ? !strcmp(tf->path[i], name) :
		    n > k && tf->path[i][n - k - 1] == '/' &&
		    !strcmp(tf->path[i] + n - k, name))
			return 1;
	}
	return 0;
}

int
admit_candidate(git_repository *repo, const git_oid *base, const char *code,
		size_t len, struct sbuf *err)
{
	struct tree_files tf = { repo, base, NULL, 0, 0, 0, 0 };
	struct sbuf why = SBUF_INIT;
	int r = includes_check(code, len, is_header, &tf, &why);

	if (r < 0)
		sbuf_addf(err, "candidate refused: %s%s", why.buf, tf.failed ?
			  " (the base commit's files could not be listed)" :
			  "");
	for (size_t i = 0; i < tf.n; i++)
		free(tf.path[i]);
	free(tf.path);
	sbuf_release(&why);
	return r;
}
