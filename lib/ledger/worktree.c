#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/proc.h"
#include "ledger/worktree.h"
#include "base/xalloc.h"

static int
valid_name(const char *s)
{
	if (!*s || *s == '.' || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' ||
		      *s == '-'))
			return 0;
	return 1;
}

int
worktree_open(struct worktree *wt, const char *commondir, const char *name,
	      struct sbuf *err)
{
	struct sbuf p = SBUF_INIT;
	size_t n = strlen(commondir);

	memset(wt, 0, sizeof(*wt));
	wt->lock_fd = -1;
	if (!valid_name(name)) {
		sbuf_addf(err, "invalid worktree name '%s'", name);
		return -1;
	}
	sbuf_adds(&p, commondir);
	if (n == 0 || commondir[n - 1] != '/')
		sbuf_addc(&p, '/');
	wt->commondir = xstrdup(p.buf);
	sbuf_adds(&p, "pesq");
	if (mkdir(p.buf, 0777) < 0 && errno != EEXIST) {
		sbuf_addf(err, "cannot make '%s': %s", p.buf, strerror(errno));
		goto fail;
	}
	sbuf_addf(&p, "/%s", name);
	wt->path = xstrdup(p.buf);
	sbuf_adds(&p, ".lock");
	wt->lock_fd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (wt->lock_fd < 0) {
		sbuf_addf(err, "cannot open '%s': %s", p.buf, strerror(errno));
		goto fail;
	}
	while (flock(wt->lock_fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			sbuf_addf(err, "cannot lock '%s': %s", p.buf,
				  strerror(errno));
			goto fail;
		}
	}
	wt->name = xstrdup(name);
	sbuf_release(&p);
	return 0;
fail:
	sbuf_release(&p);
	worktree_close(wt);
	return -1;
}

char **
worktree_env(void)
{
	static const char *const unset[] = { "GIT_DIR", "GIT_WORK_TREE",
		"GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR", "MAKEFLAGS",
		"MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", NULL };

	return proc_env(unset);
}

void
worktree_close(struct worktree *wt)
{
	if (wt->lock_fd >= 0)
		close(wt->lock_fd);
	free(wt->name);
	free(wt->path);
	free(wt->commondir);
	memset(wt, 0, sizeof(*wt));
	wt->lock_fd = -1;
}

/*
 * Run git with args (after "git -c core.hooksPath=/dev/null", and
 * --git-dir=gitdir when given) in dir,
 * without the GIT_* variables that would redirect it to another
 * repository. 0, or -1 with its stderr in err.
 */
static int
run_git(const char *dir, const char *gitdir, const char *const *args,
	struct sbuf *err)
{
	static const char *const unset[] = {
		"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX",
		"GIT_COMMON_DIR", NULL
	};
	const char *argv[16], *what = args[0];
	struct sbuf gd = SBUF_INIT;
	struct proc_opt opt;
	struct proc_res res;
	char **env;
	size_t n = 0;
	int r;

	argv[n++] = "git";
	argv[n++] = "-c";
	argv[n++] = "core.hooksPath=/dev/null";
	if (gitdir) {
		sbuf_addf(&gd, "--git-dir=%s", gitdir);
		argv[n++] = gd.buf;
	}
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	env = proc_env(unset);
	memset(&opt, 0, sizeof(opt));
	opt.argv = (char *const *)argv;
	opt.cmd = "git";
	opt.dir = dir;
	opt.env = env;
	opt.out_max = 4096;
	opt.err_max = 8192;
	r = proc_run(&opt, &res);
	proc_env_free(env);
	sbuf_release(&gd);
	if (r < 0) {
		sbuf_addf(err, "cannot run git: %s", strerror(errno));
		return -1;
	}
	if (res.exit_code != 0) {
		sbuf_rtrim(&res.err);
		if (res.err.len)
			sbuf_add(err, res.err.buf, res.err.len);
		else
			sbuf_addf(err, "git %s exited with %d", what,
				  res.exit_code);
		r = -1;
	}
	proc_res_release(&res);
	return r;
}

/*
 * The worktree's private git directory named by its .git file, appended
 * to gd; 0 when the worktree looks usable (the .git file points at a
 * directory of our repository's that knows its common dir), -1
 * otherwise: a .git file moved elsewhere (by a command run in the
 * worktree without the sandbox) is never followed.
 */
static int
private_gitdir(const struct worktree *wt, struct sbuf *gd)
{
	struct sbuf s = SBUF_INIT;
	struct stat st;
	int r = -1;

	sbuf_addf(&s, "%s/.git", wt->path);
	if (sbuf_read_file(gd, s.buf) < 0)
		goto done;
	sbuf_rtrim(gd);
	if (strncmp(gd->buf, "gitdir: ", 8))
		goto done;
	memmove(gd->buf, gd->buf + 8, gd->len - 8 + 1);
	gd->len -= 8;
	if (strncmp(gd->buf, wt->commondir, strlen(wt->commondir)) ||
	    strstr(gd->buf, "/../"))
		goto done;
	sbuf_reset(&s);
	sbuf_addf(&s, "%s/commondir", gd->buf);
	if (stat(s.buf, &st) < 0)
		goto done;
	sbuf_reset(&s);
	sbuf_addf(&s, "%s/HEAD", gd->buf);
	if (stat(s.buf, &st) < 0)
		goto done;
	r = 0;
done:
	sbuf_release(&s);
	return r;
}

/* Remove what a killed git may have left locked in the private dir. */
static void
remove_stale_locks(const char *gitdir)
{
	static const char *const locks[] = { "index.lock", "HEAD.lock", NULL };
	struct sbuf s = SBUF_INIT;
	size_t i;

	for (i = 0; locks[i]; i++) {
		sbuf_reset(&s);
		sbuf_addf(&s, "%s/%s", gitdir, locks[i]);
		unlink(s.buf);
	}
	sbuf_release(&s);
}

static int
create_locked(struct worktree *wt, const char *commit, struct sbuf *err)
{
	const char *rm[] = { "rm", "-rf", "--", wt->path, NULL };
	const char *prune[] = { "worktree", "prune", NULL };
	const char *add[] = { "worktree", "add", "-q", "--detach", wt->path,
			      commit, NULL };
	struct proc_opt opt;
	struct proc_res res;
	struct stat st;

	if (lstat(wt->path, &st) == 0) {
		/* ours, half-made or orphaned: start again */
		memset(&opt, 0, sizeof(opt));
		opt.argv = (char *const *)rm;
		opt.cmd = "rm";
		if (proc_run(&opt, &res) < 0 || res.exit_code != 0) {
			sbuf_addf(err, "cannot remove '%s'", wt->path);
			proc_res_release(&res);
			return -1;
		}
		proc_res_release(&res);
	}
	if (run_git(wt->commondir, wt->commondir, prune, err) < 0)
		return -1;
	return run_git(wt->commondir, wt->commondir, add, err);
}

/*
 * `git worktree prune` removes an empty $GIT_DIR/worktrees while another
 * `git worktree add` is filling it, so creations are serialized by
 * <commondir>pesq/admin.lock.
 */
static int
create(struct worktree *wt, const char *commit, struct sbuf *err)
{
	struct sbuf p = SBUF_INIT;
	int fd, r;

	sbuf_addf(&p, "%spesq/admin.lock", wt->commondir);
	fd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	while (fd >= 0 && flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			fd = -1;
		}
	if (fd < 0) {
		sbuf_addf(err, "cannot lock '%s': %s", p.buf, strerror(errno));
		sbuf_release(&p);
		return -1;
	}
	r = create_locked(wt, commit, err);
	close(fd);
	sbuf_release(&p);
	return r;
}

int
worktree_checkout(struct worktree *wt, const char *commit, struct sbuf *err)
{
	const char *co[] = { "checkout", "-q", "--detach", "-f", commit, NULL };
	const char *refresh[] = { "update-index", "-q", "--refresh", NULL };
	struct sbuf gd = SBUF_INIT, ignored = SBUF_INIT;
	int r;

	if (private_gitdir(wt, &gd) < 0) {
		r = create(wt, commit, err);
	} else {
		remove_stale_locks(gd.buf);
		/*
		 * checkout -f rewrites every file whose stat data differs
		 * from the index; refresh first so that files touched but
		 * not changed keep their mtimes (it fails when files are
		 * modified, which is fine: checkout -f resets those).
		 */
		run_git(wt->path, NULL, refresh, &ignored);
		r = run_git(wt->path, NULL, co, err);
	}
	sbuf_release(&ignored);
	sbuf_release(&gd);
	return r;
}
