#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attempt/manifest.h"
#include "base/xalloc.h"

#define MAX_DEPTH 256

struct manifest_ent {
	unsigned mode;
	unsigned long long size, ino;
	long long mtime, ctime;		/* nanoseconds */
};

static const char header[] = "pesq-manifest 1\n";

int
manifest_tracked(const char *wt, struct hmap *set, struct sbuf *err)
{
	git_repository *r = NULL;
	git_index *idx = NULL;
	size_t i, n;
	int ret = -1;

	if (git_repository_open(&r, wt) < 0 ||
	    git_repository_index(&idx, r) < 0 ||
	    git_index_read(idx, 0) < 0) {
		const git_error *e = git_error_last();

		sbuf_addf(err, "cannot read the index of '%s': %s", wt,
			  e && e->message ? e->message : "unknown error");
		goto out;
	}
	n = git_index_entrycount(idx);
	for (i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		const char *p = e->path, *s;
		void **v;

		*hmap_put(set, p, strlen(p), NULL) =
			e->mode == GIT_FILEMODE_COMMIT ? MANIFEST_GITLINK :
			MANIFEST_FILE;
		for (s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
			v = hmap_put(set, p, (size_t)(s - p), NULL);
			if (!*v)
				*v = MANIFEST_DIR;
		}
	}
	ret = 0;
out:
	git_index_free(idx);
	git_repository_free(r);
	return ret;
}

void
manifest_read(struct manifest *m, const char *path)
{
	struct sbuf s = SBUF_INIT;
	const char *p, *end;

	memset(m, 0, sizeof(*m));
	if (sbuf_read_file(&s, path) < 0 || strncmp(s.buf, header,
						    strlen(header)))
		goto out;
	p = s.buf + strlen(header);
	end = s.buf + s.len;
	if (sscanf(p, "commit %40s\nbuild %64s\n", m->commit, m->build) != 2)
		goto bad;
	for (int k = 0; k < 2; k++) {
		if (!(p = memchr(p, '\n', (size_t)(end - p))))
			goto bad;
		p++;
	}
	while (p < end) {
		struct manifest_ent e;
		const char *nul;
		int n = 0;

		if (sscanf(p, "%o %llu %lld %lld %llu %n", &e.mode, &e.size,
			   &e.mtime, &e.ctime, &e.ino, &n) != 5 || n == 0 ||
		    !(nul = memchr(p + n, '\0', (size_t)(end - p - n))) ||
		    nul == p + n)
			goto bad;
		*hmap_put(&m->files, p + n, (size_t)(nul - p - n), NULL) =
			xmemdupz(&e, sizeof(e));
		p = nul + 1;
		if (p < end && *p == '\n')
			p++;
	}
	goto out;
bad:
	/* a record we cannot read keeps nothing */
	manifest_release(m);
	memset(m, 0, sizeof(*m));
out:
	sbuf_release(&s);
}

void
manifest_release(struct manifest *m)
{
	hmap_free(&m->files, free);
}

static void
ent_of(const struct stat *st, struct manifest_ent *e)
{
	e->mode = (unsigned)st->st_mode;
	e->size = (unsigned long long)st->st_size;
	e->ino = (unsigned long long)st->st_ino;
	e->mtime = (long long)st->st_mtim.tv_sec * 1000000000 +
		st->st_mtim.tv_nsec;
	e->ctime = (long long)st->st_ctim.tv_sec * 1000000000 +
		st->st_ctim.tv_nsec;
}

/* Does the entry still match? Directories by type and inode only. */
static int
same(const struct manifest_ent *e, const struct stat *st)
{
	struct manifest_ent now;

	ent_of(st, &now);
	if (S_ISDIR(st->st_mode))
		return S_ISDIR(e->mode) && e->ino == now.ino;
	return e->mode == now.mode && e->size == now.size &&
		e->ino == now.ino && e->mtime == now.mtime &&
		e->ctime == now.ctime;
}

struct walk {
	const struct hmap *tracked;
	const struct manifest *m;	/* clean: what may stay */
	struct sbuf *out;		/* write: entries appended */
	struct sbuf path;		/* of the directory walked, with '/' */
	size_t matched, removed;
	struct sbuf *err;
	int failed;
};

/* The names in the directory fd (not . and ..); NULL-terminated. */
static char **
names(int fd)
{
	DIR *d = fdopendir(dup(fd));
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		XGROW(v, n + 2, cap);
		v[n++] = xstrdup(e->d_name);
		v[n] = NULL;
	}
	closedir(d);
	if (!v)
		v = xcalloc(1, sizeof(*v));
	return v;
}

static void
free_names(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Open the directory name in dirfd, making it ours to enter if need be. */
static int
open_dir(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);

	if (fd < 0 && errno == EACCES && fchmodat(dirfd, name, 0700, 0) == 0)
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
	return fd;
}

/* Remove name (of type st) in dirfd, a directory with all it holds. */
static int
remove_at(int dirfd, const char *name, const struct stat *st, int depth)
{
	char **v;
	struct stat s2;
	int fd, r = 0;

	if (!S_ISDIR(st->st_mode))
		return unlinkat(dirfd, name, 0);
	if (depth > MAX_DEPTH || (fd = open_dir(dirfd, name)) < 0)
		return -1;
	/* what is inside must go, whatever its mode */
	fchmod(fd, 0700);
	v = names(fd);
	for (size_t i = 0; v && v[i]; i++)
		if (fstatat(fd, v[i], &s2, AT_SYMLINK_NOFOLLOW) < 0 ||
		    remove_at(fd, v[i], &s2, depth + 1) < 0)
			r = -1;
	free_names(v);
	close(fd);
	return r < 0 ? -1 : unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void walk_dir(struct walk *w, int fd, int depth);

static void
drop(struct walk *w, int fd, const char *name, const struct stat *st,
     int depth)
{
	if (remove_at(fd, name, st, depth) < 0) {
		if (!w->failed)
			sbuf_addf(w->err, "cannot remove '%s%s': %s",
				  w->path.buf, name, strerror(errno));
		w->failed = 1;
		return;
	}
	w->removed++;
}

static void
enter(struct walk *w, int fd, const char *name, int depth)
{
	size_t len = w->path.len;
	int sub = open_dir(fd, name);

	if (sub < 0) {
		if (!w->failed)
			sbuf_addf(w->err, "cannot open '%s%s': %s", w->path.buf,
				  name, strerror(errno));
		w->failed = 1;
		return;
	}
	sbuf_addf(&w->path, "%s/", name);
	walk_dir(w, sub, depth + 1);
	sbuf_setlen(&w->path, len);
	close(sub);
}

static void
record(struct walk *w, const char *rel, const struct stat *st)
{
	struct manifest_ent e;

	ent_of(st, &e);
	sbuf_addf(w->out, "%o %llu %lld %lld %llu ", e.mode, e.size, e.mtime,
		  e.ctime, e.ino);
	sbuf_adds(w->out, rel);
	sbuf_addc(w->out, '\0');
	sbuf_addc(w->out, '\n');
}

static void
walk_one(struct walk *w, int fd, const char *name, int depth)
{
	struct stat st;
	size_t len = w->path.len;
	const struct manifest_ent *e;
	void *t;

	if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	sbuf_adds(&w->path, name);
	t = hmap_get(w->tracked, w->path.buf, w->path.len);
	e = w->m ? hmap_get(&w->m->files, w->path.buf, w->path.len) : NULL;
	if (w->out && !t)
		record(w, w->path.buf, &st);
	sbuf_setlen(&w->path, len);
	if (t == MANIFEST_GITLINK)
		return;
	if (t == MANIFEST_DIR || (!t && S_ISDIR(st.st_mode) && w->out)) {
		if (S_ISDIR(st.st_mode))
			enter(w, fd, name, depth);
		else if (w->m)
			drop(w, fd, name, &st, depth);
	} else if (t == MANIFEST_FILE) {
		/* git puts tracked files back; a directory there it cannot */
		if (S_ISDIR(st.st_mode) && w->m)
			drop(w, fd, name, &st, depth);
	} else if (w->m) {
		if (e && same(e, &st)) {
			w->matched++;
			if (S_ISDIR(st.st_mode))
				enter(w, fd, name, depth);
		} else {
			drop(w, fd, name, &st, depth);
		}
	}
}

static void
walk_dir(struct walk *w, int fd, int depth)
{
	char **v;

	if (depth > MAX_DEPTH)
		return;
	v = names(fd);
	for (size_t i = 0; v && v[i]; i++) {
		if (depth == 0 && !strcmp(v[i], ".git"))
			continue;
		walk_one(w, fd, v[i], depth);
	}
	free_names(v);
}

static int
walk(struct walk *w, const char *wt)
{
	int fd = open(wt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		sbuf_addf(w->err, "cannot open '%s': %s", wt, strerror(errno));
		return -1;
	}
	walk_dir(w, fd, 0);
	close(fd);
	sbuf_release(&w->path);
	return w->failed ? -1 : 0;
}

int
manifest_write(const char *wt, const struct hmap *tracked,
	       const char *commit, const char *build, const char *path,
	       struct sbuf *err)
{
	struct sbuf out = SBUF_INIT;
	struct walk w = { tracked, NULL, &out, SBUF_INIT, 0, 0, err, 0 };
	int r;

	sbuf_addf(&out, "%scommit %s\nbuild %s\n", header, commit, build);
	r = walk(&w, wt);
	if (r == 0 && sbuf_write_file(&out, path) < 0) {
		sbuf_addf(err, "cannot write '%s': %s", path, strerror(errno));
		r = -1;
	}
	sbuf_release(&out);
	return r;
}

int
manifest_clean(const char *wt, const struct hmap *tracked,
	       const struct manifest *m, int *intact, size_t *removed,
	       struct sbuf *err)
{
	struct walk w = { tracked, m, NULL, SBUF_INIT, 0, 0, err, 0 };
	int r = walk(&w, wt);

	*intact = r == 0 && w.matched == m->files.n;
	if (removed)
		*removed = w.removed;
	return r;
}
