/*
 * The commands of the checks, in the sandbox, with their own variables.
 */
#include <stdlib.h>
#include <string.h>

#include "check/checkrun.h"
#include "base/xalloc.h"

/* sb with one more read-only path, into out (sandbox_release it). */
static void
widened(const struct sandbox *sb, const char *ro, struct sandbox *out)
{
	sandbox_init(out);
	free(out->measure);
	out->measure = sb->measure ? xstrdup(sb->measure) : NULL;
	out->on = sb->on;
	out->max_file = sb->max_file;
	out->max_disk = sb->max_disk;
	for (size_t i = 0; i < sb->nro; i++)
		sandbox_add_ro(out, sb->ro[i]);
	for (size_t i = 0; i < sb->nenv; i++)
		sandbox_add_env(out, sb->env[i]);
	sandbox_add_ro(out, ro);
}

int
checkrun(const struct checkrun *c, const char *dir, const char *cmd,
	 const char *const *set, size_t out_max, struct proc_res *res)
{
	struct proc_opt po = { 0 };
	struct sbuf full = SBUF_INIT;
	struct sandbox wide;
	const struct sandbox *sb = c->sb;
	int ret;

	sbuf_adds(&full, "exec 2>&1\n");
	for (const char *const *s = set; s && *s; s++) {
		size_t n = strcspn(*s, "=");

		sbuf_addf(&full, "%.*s=", (int)n, *s);
		checkrun_quote(&full, (*s)[n] ? *s + n + 1 : "");
		sbuf_addf(&full, "; export %.*s\n", (int)n, *s);
	}
	sbuf_adds(&full, cmd);
	if (c->ro) {
		widened(c->sb, c->ro, &wide);
		sb = &wide;
	}
	po.cmd = full.buf;
	po.dir = dir;
	po.timeout = c->timeout;
	po.out_max = out_max;
	ret = sandbox_run(sb, &po, res, NULL);
	if (c->ro)
		sandbox_release(&wide);
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
