#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "run/proc.h"
#include "ledger/repo.h"
#include "attempt/slot.h"

#define LOG_TAIL 4000

/* Is the worktree's HEAD at hex? */
static int
at(const struct worktree *wt, const char *hex)
{
	git_repository *r;
	git_oid id, want;
	int yes = 0;

	if (git_oid_fromstr(&want, hex) < 0 ||
	    git_repository_open(&r, wt->path) < 0)
		return 0;
	if (git_reference_name_to_id(&id, r, "HEAD") == 0)
		yes = git_oid_equal(&id, &want);
	git_repository_free(r);
	return yes;
}

static int
build(const struct worktree *wt, const char *cmd, double timeout,
      struct sbuf *err)
{
	struct proc_opt po = { 0 };
	struct proc_res res;
	struct sbuf c = SBUF_INIT;
	char **env = worktree_env();
	int ret;

	sbuf_addf(&c, "exec 2>&1\n%s", cmd);
	po.cmd = c.buf;
	po.dir = wt->path;
	po.env = env;
	po.timeout = timeout;
	po.out_max = 1 << 20;
	if (proc_run(&po, &res) < 0) {
		sbuf_addf(err, "cannot run the build: %s", strerror(errno));
		ret = -1;
	} else if (res.timed_out || res.exit_code != 0) {
		const char *p = res.out.buf;
		size_t n = res.out.len;

		if (n > LOG_TAIL) {
			p += n - LOG_TAIL;
			n = LOG_TAIL;
		}
		if (res.timed_out)
			sbuf_addf(err, "the build timed out after %g s\n",
				  timeout);
		else
			sbuf_addf(err, "the build exited with status %d\n",
				  res.exit_code);
		sbuf_add(err, p, n);
		ret = 1;
	} else {
		ret = 0;
	}
	if (ret >= 0)
		proc_res_release(&res);
	proc_env_free(env);
	sbuf_release(&c);
	return ret;
}

int
slot_prepare(struct worktree *wt, git_repository *repo, const char *name,
	     const char *hex, const char *cmd, int stamp, double timeout,
	     struct sbuf *err)
{
	struct sbuf path = SBUF_INIT, want = SBUF_INIT, have = SBUF_INIT;
	int ret = -1;

	if (worktree_open(wt, repo_commondir(repo), name, err) < 0)
		return -1;
	sbuf_addf(&path, "%spesq/%s.built", wt->commondir, name);
	sbuf_addf(&want, "%s\n%s\n", hex, cmd);
	if (at(wt, hex) && (!stamp || (sbuf_read_file(&have, path.buf) == 0 &&
				       !strcmp(have.buf, want.buf)))) {
		ret = 0;
		goto out;
	}
	if (stamp && unlink(path.buf) < 0 && errno != ENOENT) {
		sbuf_addf(err, "cannot remove '%s': %s", path.buf,
			  strerror(errno));
		goto out;
	}
	if (worktree_checkout(wt, hex, err) < 0)
		goto out;
	if ((ret = build(wt, cmd, timeout, err)) != 0)
		goto out;
	if (stamp && sbuf_write_file(&want, path.buf) < 0) {
		sbuf_addf(err, "cannot write '%s': %s", path.buf,
			  strerror(errno));
		ret = -1;
	}
out:
	if (ret != 0)
		worktree_close(wt);
	sbuf_release(&path);
	sbuf_release(&want);
	sbuf_release(&have);
	return ret;
}
