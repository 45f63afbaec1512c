#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attempt/buildcache.h"
#include "base/path.h"
#include "base/xalloc.h"
#include "ledger/repo.h"

/*
 * Where distributions put ccache's links named like the compilers
 * (Debian and Ubuntu, Fedora, Arch). All under /usr, which the sandbox
 * shows.
 */
static const char *const masq_dirs[] = {
	"/usr/lib/ccache", "/usr/lib64/ccache", "/usr/lib/ccache/bin", NULL
};

/* The first of masq_dirs with a cc or a gcc in it, or NULL. */
static const char *
masquerade(void)
{
	struct sbuf s = SBUF_INIT;
	const char *found = NULL;

	for (int i = 0; masq_dirs[i] && !found; i++) {
		sbuf_reset(&s);
		sbuf_addf(&s, "%s/cc", masq_dirs[i]);
		if (access(s.buf, X_OK) == 0)
			found = masq_dirs[i];
		sbuf_reset(&s);
		sbuf_addf(&s, "%s/gcc", masq_dirs[i]);
		if (!found && access(s.buf, X_OK) == 0)
			found = masq_dirs[i];
	}
	sbuf_release(&s);
	return found;
}

int
buildcache_load(git_repository *repo, struct buildcache *bc, struct sbuf *err)
{
	struct sbuf s = SBUF_INIT;
	const char *m;
	int on = 1, r = repo_config_bool(repo, "ccache", &on);

	*bc = (struct buildcache)BUILDCACHE_INIT;
	if (r < 0) {
		sbuf_adds(err, "invalid pesq.ccache: true or false");
		return -1;
	}
	if (!repo || !on || !path_on_path("ccache") || !(m = masquerade()))
		return 0;
	sbuf_addf(&s, "%spesq/ccache", repo_commondir(repo));
	bc->dir = sbuf_detach(&s, NULL);
	bc->masq = xstrdup(m);
	bc->rw[0] = bc->dir;
	return 0;
}

void
buildcache_release(struct buildcache *bc)
{
	free(bc->dir);
	free(bc->masq);
	*bc = (struct buildcache)BUILDCACHE_INIT;
}

/* "NAME=abc", malloc'd. */
static char *
var(const char *name, const char *a, const char *b, const char *c)
{
	struct sbuf s = SBUF_INIT;

	sbuf_addf(&s, "%s=%s%s%s", name, a, b, c);
	return sbuf_detach(&s, NULL);
}

char **
buildcache_env(const struct buildcache *bc, const char *dir, struct sbuf *err)
{
	const char *path = getenv("PATH");
	char **env, *base;

	if (path_mkdirs(bc->dir) < 0) {
		sbuf_addf(err, "cannot make '%s': %s", bc->dir,
			  strerror(errno));
		return NULL;
	}
	/* ccache compares it with the compiler's working directory */
	base = realpath(dir, NULL);
	env = xcalloc(6, sizeof(*env));
	env[0] = var("PATH", bc->masq, path && *path ? ":" : "",
		     path ? path : "");
	env[1] = var("CCACHE_DIR", bc->dir, "", "");
	env[2] = var("CCACHE_BASEDIR", base ? base : dir, "", "");
	env[3] = var("CCACHE_TEMPDIR", bc->dir, "/tmp", "");
	env[4] = var("CCACHE_CONFIGPATH", bc->dir, "/ccache.conf", "");
	free(base);
	return env;
}
