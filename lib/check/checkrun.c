/*
 * The commands of the checks, sandboxed, with a known environment.
 */
#include <stdlib.h>
#include <string.h>

#include "check/checkrun.h"
#include "ledger/worktree.h"
#include "run/sandbox.h"
#include "base/xalloc.h"

int
checkrun(const struct checkrun *c, const char *dir, const char *cmd,
	 const char *const *set, size_t out_max, struct proc_res *res)
{
	struct proc_opt po = { 0 };
	struct sbuf full = SBUF_INIT;
	char **env = worktree_env(), **argv;
	size_t n = 0, k = 0;
	int ret;

	/* our variables replace any of the same name */
	while (env[n])
		n++;
	for (const char *const *s = set; s && *s; s++)
		k++;
	env = xreallocarray(env, n + k + 1, sizeof(*env));
	for (const char *const *s = set; s && *s; s++) {
		size_t len = strcspn(*s, "=");

		for (size_t i = 0; i < n; i++)
			if (!strncmp(env[i], *s, len) && env[i][len] == '=') {
				free(env[i]);
				env[i] = env[--n];
				break;
			}
		env[n++] = xstrdup(*s);
	}
	env[n] = NULL;
	sbuf_addf(&full, "exec 2>&1\n%s", cmd);
	argv = c->sandbox ? sandbox_argv(dir, full.buf) : NULL;
	po.cmd = full.buf;
	po.argv = argv;
	po.env = env;
	po.dir = dir;
	po.timeout = c->timeout;
	po.out_max = out_max;
	ret = proc_run(&po, res);
	sandbox_argv_free(argv);
	proc_env_free(env);
	sbuf_release(&full);
	return ret;
}

void
checkrun_quote(struct sbuf *out, const char *s)
{
	sbuf_addc(out, '\'');
	for (; *s; s++)
		if (*s == '\'')
			sbuf_adds(out, "'\\''");
		else
			sbuf_addc(out, *s);
	sbuf_addc(out, '\'');
}

long
checkrun_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L +
	    (t.tv_nsec - t0->tv_nsec) / 1000000L;
}
