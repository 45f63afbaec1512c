#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/repo.h"
#include "base/xalloc.h"

int
repo_open(git_repository **out, const char *dir)
{
	int r;

	git_libgit2_init();
	if (dir)
		r = git_repository_open_ext(out, dir, 0,
					    getenv("GIT_CEILING_DIRECTORIES"));
	else
		r = git_repository_open_ext(out, NULL,
					    GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (r < 0) {
		*out = NULL;
		return r;
	}
	return 0;
}

void
repo_close(git_repository *repo)
{
	if (repo) {
		git_repository_free(repo);
		git_libgit2_shutdown();
	}
}

const char *
repo_errmsg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

const char *
repo_commondir(git_repository *repo)
{
	return git_repository_commondir(repo);
}

int
repo_resolve(git_repository *repo, const char *rev, git_oid *out)
{
	git_object *obj = NULL, *commit = NULL;
	int r;

	r = git_revparse_single(&obj, repo, rev);
	if (r < 0)
		return r;
	r = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (r < 0)
		return r == GIT_EINVALIDSPEC || r == GIT_EPEEL ?
			GIT_ENOTFOUND : r;
	git_oid_cpy(out, git_object_id(commit));
	git_object_free(commit);
	return 0;
}

int
repo_read_blob(git_repository *repo, const git_oid *commit,
	       const char *path, struct sbuf *out, git_oid *blob_id)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *ent = NULL;
	git_blob *blob = NULL;
	int r;

	if ((r = git_commit_lookup(&c, repo, commit)) < 0 ||
	    (r = git_commit_tree(&tree, c)) < 0 ||
	    (r = git_tree_entry_bypath(&ent, tree, path)) < 0)
		goto done;
	if (git_tree_entry_type(ent) != GIT_OBJECT_BLOB) {
		git_error_set_str(GIT_ERROR_INVALID, "not a file");
		r = GIT_ENOTFOUND;
		goto done;
	}
	if (blob_id)
		git_oid_cpy(blob_id, git_tree_entry_id(ent));
	if (out) {
		if ((r = git_blob_lookup(&blob, repo,
					 git_tree_entry_id(ent))) < 0)
			goto done;
		sbuf_add(out, git_blob_rawcontent(blob),
			 (size_t)git_blob_rawsize(blob));
	}
done:
	git_blob_free(blob);
	git_tree_entry_free(ent);
	git_tree_free(tree);
	git_commit_free(c);
	return r;
}

/*
 * Open a snapshot of the configuration (without a repository: the
 * global and system files) and make the full key name.
 */
static int
config_open(git_repository *repo, const char *key, git_config **cfg,
	    struct sbuf *name)
{
	git_config *all = NULL;
	int r;

	sbuf_addf(name, "pesq.%s", key);
	if (repo)
		return git_repository_config_snapshot(cfg, repo);
	git_libgit2_init();	/* once more: kept until exit */
	if ((r = git_config_open_default(&all)) == 0)
		r = git_config_snapshot(cfg, all);
	git_config_free(all);
	return r;
}

int
repo_config_str(git_repository *repo, const char *key, struct sbuf *out)
{
	struct sbuf name = SBUF_INIT;
	git_config *cfg = NULL;
	const char *v;
	int r;

	if ((r = config_open(repo, key, &cfg, &name)) == 0) {
		r = git_config_get_string(&v, cfg, name.buf);
		if (r == 0) {
			sbuf_reset(out);
			sbuf_adds(out, v);
			r = 1;
		} else if (r == GIT_ENOTFOUND) {
			r = 0;
		}
	}
	git_config_free(cfg);
	sbuf_release(&name);
	return r;
}

int
repo_config_int(git_repository *repo, const char *key, long long *out)
{
	struct sbuf name = SBUF_INIT;
	git_config *cfg = NULL;
	int64_t v;
	int r;

	if ((r = config_open(repo, key, &cfg, &name)) == 0) {
		r = git_config_get_int64(&v, cfg, name.buf);
		if (r == 0) {
			*out = (long long)v;
			r = 1;
		} else if (r == GIT_ENOTFOUND) {
			r = 0;
		}
	}
	git_config_free(cfg);
	sbuf_release(&name);
	return r;
}

int
repo_config_bool(git_repository *repo, const char *key, int *out)
{
	struct sbuf name = SBUF_INIT;
	git_config *cfg = NULL;
	int r, v;

	if ((r = config_open(repo, key, &cfg, &name)) == 0) {
		r = git_config_get_bool(&v, cfg, name.buf);
		if (r == 0) {
			*out = v;
			r = 1;
		} else if (r == GIT_ENOTFOUND) {
			r = 0;
		}
	}
	git_config_free(cfg);
	sbuf_release(&name);
	return r;
}

int
repo_fn_encode(const char *fn, struct sbuf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, n = strlen(fn);

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)fn[i];
		int keep;

		if (c == '.')
			keep = i > 0 && fn[i - 1] != '.' && i + 1 < n &&
				!(i + 5 == n && !strcmp(fn + i, ".lock"));
		else
			keep = (c < 128 && isalnum(c)) || c == '_' || c == '-';
		if (keep) {
			sbuf_addc(out, c);
		} else {
			sbuf_addc(out, '%');
			sbuf_addc(out, hex[c >> 4]);
			sbuf_addc(out, hex[c & 15]);
		}
	}
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
repo_fn_decode(const char *enc, struct sbuf *out)
{
	for (; *enc; enc++) {
		int hi, lo;

		if (*enc != '%') {
			sbuf_addc(out, *enc);
			continue;
		}
		if ((hi = hexval(enc[1])) < 0 || (lo = hexval(enc[2])) < 0)
			return -1;
		sbuf_addc(out, hi << 4 | lo);
		enc += 2;
	}
	return 0;
}

int
repo_ref_cas(git_repository *repo, const char *name, const git_oid *id,
	     const git_oid *old, const char *log)
{
	git_reference *ref = NULL;
	int r;

	if (old)
		r = git_reference_create_matching(&ref, repo, name, id, 1, old,
						  log);
	else
		r = git_reference_create(&ref, repo, name, id, 0, log);
	git_reference_free(ref);
	return r;
}

int
repo_ref_get(git_repository *repo, const char *name, git_oid *out)
{
	return git_reference_name_to_id(out, repo, name);
}

/* "<secs> <+-hhmm>" or "@<secs> <+-hhmm>": 0 and the parts, or -1. */
static int
parse_raw_date(const char *s, git_time_t *t, int *off)
{
	char *end;
	long long secs;
	long tz;

	if (*s == '@')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	secs = strtoll(s, &end, 10);
	if (*end != ' ' || (end[1] != '+' && end[1] != '-'))
		return -1;
	tz = strtol(end + 2, &end, 10);
	if (*end || tz > 2400)
		return -1;
	*t = (git_time_t)secs;
	*off = (int)(tz / 100 * 60 + tz % 100);
	if (s[strcspn(s, " ") + 1] == '-')
		*off = -*off;
	return 0;
}

int
repo_signature(git_repository *repo, int author, git_signature **out)
{
	const char *ename = getenv(author ? "GIT_AUTHOR_NAME" :
				   "GIT_COMMITTER_NAME");
	const char *email = getenv(author ? "GIT_AUTHOR_EMAIL" :
				   "GIT_COMMITTER_EMAIL");
	const char *edate = getenv(author ? "GIT_AUTHOR_DATE" :
				   "GIT_COMMITTER_DATE");
	git_signature *def = NULL;
	git_time_t t;
	int off, r;

	if (git_signature_default(&def, repo) < 0)
		def = NULL;
	if (!ename || !*ename)
		ename = def ? def->name : "pesq";
	if (!email || !*email)
		email = def ? def->email : "pesq@localhost";
	if (edate && parse_raw_date(edate, &t, &off) == 0)
		r = git_signature_new(out, ename, email, t, off);
	else
		r = git_signature_now(out, ename, email);
	git_signature_free(def);
	return r;
}

int
repo_commit_file(git_repository *repo, const git_oid *tree_of,
		 const git_oid *parent, const char *path, const char *data,
		 size_t len, const char *msg, git_oid *out)
{
	git_commit *base = NULL, *par = NULL;
	git_tree *tree = NULL, *newtree = NULL;
	git_tree_entry *ent = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_tree_update upd;
	git_oid blob, tid;
	const git_commit *parents[1];
	int r;

	if ((r = git_commit_lookup(&base, repo, tree_of)) < 0 ||
	    (r = git_commit_tree(&tree, base)) < 0 ||
	    (r = git_tree_entry_bypath(&ent, tree, path)) < 0 ||
	    (r = git_blob_create_from_buffer(&blob, repo, data, len)) < 0)
		goto done;
	memset(&upd, 0, sizeof(upd));
	upd.action = GIT_TREE_UPDATE_UPSERT;
	upd.id = blob;
	upd.filemode = git_tree_entry_filemode(ent);
	upd.path = path;
	if ((r = git_tree_create_updated(&tid, repo, tree, 1, &upd)) < 0 ||
	    (r = git_tree_lookup(&newtree, repo, &tid)) < 0 ||
	    (r = git_commit_lookup(&par, repo, parent)) < 0 ||
	    (r = repo_signature(repo, 1, &author)) < 0 ||
	    (r = repo_signature(repo, 0, &committer)) < 0)
		goto done;
	parents[0] = par;
	r = git_commit_create(out, repo, NULL, author, committer, NULL, msg,
			      newtree, 1, parents);
done:
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_entry_free(ent);
	git_tree_free(newtree);
	git_tree_free(tree);
	git_commit_free(par);
	git_commit_free(base);
	return r;
}

int
repo_lock(git_repository *repo, const char *name)
{
	struct sbuf p = SBUF_INIT;
	int fd, e;

	sbuf_addf(&p, "%spesq", repo_commondir(repo));
	if (mkdir(p.buf, 0777) < 0 && errno != EEXIST) {
		e = errno;
		sbuf_release(&p);
		errno = e;
		return -1;
	}
	sbuf_addf(&p, "/%s.lock", name);
	fd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	e = errno;
	sbuf_release(&p);
	if (fd < 0) {
		errno = e;
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	}
	return fd;
}

void
repo_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
