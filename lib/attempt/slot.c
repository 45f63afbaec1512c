#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attempt/manifest.h"
#include "attempt/slot.h"
#include "base/sha256.h"
#include "ledger/repo.h"

#define LOG_TAIL 4000
#define OUT_MAX (1 << 20)

static void
manifest_path(const struct worktree *wt, struct sbuf *out)
{
	sbuf_addf(out, "%spesq/%s.manifest", wt->commondir, wt->name);
}

/*
 * Remove what the manifest does not keep, by the worktree's index as it
 * is (the commit it held last); *intact as manifest_clean. A worktree
 * that is not there yet (or broken: worktree_checkout makes it anew)
 * has nothing to clean and nothing intact.
 */
static int
clean(const struct worktree *wt, struct manifest *m, int *intact,
      struct sbuf *err)
{
	struct hmap tracked = HMAP_INIT;
	struct sbuf path = SBUF_INIT, ignored = SBUF_INIT, git = SBUF_INIT;
	struct stat st;
	int r = 0;

	*intact = 0;
	manifest_path(wt, &path);
	manifest_read(m, path.buf);
	sbuf_addf(&git, "%s/.git", wt->path);
	if (lstat(git.buf, &st) == 0 && S_ISREG(st.st_mode) &&
	    manifest_tracked(wt->path, &tracked, &ignored) == 0)
		r = manifest_clean(wt->path, &tracked, m, intact, NULL, err);
	hmap_free(&tracked, NULL);
	sbuf_release(&path);
	sbuf_release(&ignored);
	sbuf_release(&git);
	return r;
}

static void
build_hash(const char *cmd, char hex[65])
{
	sha256_hex(cmd, strlen(cmd), hex);
}

int
slot_restore(struct worktree *wt, const char *hex, const char *build_cmd,
	     int *built, struct sbuf *err)
{
	struct manifest m;
	char h[65];
	int intact, r = -1;

	*built = 0;
	/*
	 * Untracked files go first: git reads some of them
	 * (.gitattributes) while it checks out.
	 */
	if (clean(wt, &m, &intact, err) < 0 ||
	    worktree_checkout(wt, hex, err) < 0)
		goto out;
	build_hash(build_cmd, h);
	*built = intact && !strcmp(m.commit, hex) && !strcmp(m.build, h);
	r = 0;
out:
	manifest_release(&m);
	return r;
}

int
slot_open(struct worktree *wt, git_repository *repo, const char *name,
	  const char *hex, const char *build_cmd, int *built,
	  struct sbuf *err)
{
	if (worktree_open(wt, repo_commondir(repo), name, err) < 0)
		return -1;
	if (slot_restore(wt, hex, build_cmd, built, err) < 0) {
		worktree_close(wt);
		return -1;
	}
	return 0;
}

int
slot_build(struct worktree *wt, const char *hex, const struct slot_opt *o,
	   struct proc_res *res, struct sbuf *why, struct sbuf *err)
{
	struct proc_opt po = { 0 };
	struct sbuf c = SBUF_INIT, path = SBUF_INIT, lim = SBUF_INIT;
	struct hmap tracked = HMAP_INIT;
	struct sandbox sb = *o->sb;	/* with the cache: for this run */
	char h[65], **set = NULL;
	int ok = -1;

	if (o->cache && o->cache->dir) {
		if (!(set = buildcache_env(o->cache, wt->path, err)))
			goto out;
		sb.rw = o->cache->rw;
		sb.set = (const char *const *)set;
	}
	sbuf_addf(&c, "exec 2>&1\n%s", o->build_cmd);
	po.cmd = c.buf;
	po.dir = wt->path;
	po.timeout = o->timeout;
	po.out_max = OUT_MAX;
	if (sandbox_run(&sb, &po, res, NULL) < 0) {
		sbuf_addf(err, "cannot run the build: %s", strerror(errno));
		goto out;
	}
	if (o->redact)
		redact_apply(o->redact, &res->out);
	ok = !res->timed_out && !res->stopped && res->exit_code == 0;
	if (!ok && why) {
		if (res->timed_out)
			sbuf_addf(why, "the build timed out after %g s",
				  o->timeout);
		else if (sandbox_limit_message(o->sb, res, &lim))
			sbuf_addf(why, "the build failed: %s", lim.buf);
		else
			sbuf_addf(why, "the build exited with status %d",
				  res->exit_code);
	}
	if (ok) {
		manifest_path(wt, &path);
		build_hash(o->build_cmd, h);
		if (manifest_tracked(wt->path, &tracked, err) < 0 ||
		    manifest_write(wt->path, &tracked, hex, h, path.buf,
				   err) < 0) {
			proc_res_release(res);
			ok = -1;
		}
	} else {
		ok = 0;
	}
out:
	proc_env_free(set);
	hmap_free(&tracked, NULL);
	sbuf_release(&c);
	sbuf_release(&path);
	sbuf_release(&lim);
	return ok;
}

/* Build, and on failure put why and the end of the output into err. */
static int
build_or_say(struct worktree *wt, const char *hex, const struct slot_opt *o,
	     struct sbuf *err)
{
	struct proc_res res;
	int k = slot_build(wt, hex, o, &res, err, err);

	if (k < 0)
		return -1;
	if (k == 0) {
		const char *p = res.out.buf;
		size_t n = res.out.len;

		if (n > LOG_TAIL) {
			p += n - LOG_TAIL;
			n = LOG_TAIL;
		}
		sbuf_addc(err, '\n');
		sbuf_add(err, p, n);
	}
	proc_res_release(&res);
	return k ? 0 : 1;
}

int
slot_prepare(struct worktree *wt, git_repository *repo, const char *name,
	     const char *hex, const struct slot_opt *o, struct sbuf *err)
{
	int built, k;

	if (slot_open(wt, repo, name, hex, o->build_cmd, &built, err) < 0)
		return -1;
	if (built)
		return 0;
	if ((k = build_or_say(wt, hex, o, err)) != 0)
		worktree_close(wt);
	return k;
}

int
slot_refresh(struct worktree *wt, const char *hex, const struct slot_opt *o,
	     struct sbuf *err)
{
	int built;

	if (slot_restore(wt, hex, o->build_cmd, &built, err) < 0)
		return -1;
	return built ? 0 : build_or_say(wt, hex, o, err);
}

int
slot_clean(struct worktree *wt, struct sbuf *err)
{
	struct manifest m;
	int intact, r = clean(wt, &m, &intact, err);

	manifest_release(&m);
	return r;
}
