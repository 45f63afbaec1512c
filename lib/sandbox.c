#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "sandbox.h"
#include "xalloc.h"

const char *
sandbox_program(void)
{
	const char *p = getenv("PESQ_BWRAP");

	return p && *p ? p : "bwrap";
}

char **
sandbox_argv(const char *dir, const char *cmd)
{
	/*
	 * Order matters: later mounts lie over earlier ones, so the private
	 * /tmp comes before the writable dir, which may be inside /tmp.
	 */
	const char *fixed[] = {
		"--ro-bind", "/", "/",
		"--dev", "/dev",
		"--proc", "/proc",
		"--tmpfs", "/tmp",
		"--unshare-net", "--unshare-ipc",
		"--die-with-parent",
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]), n = 0, i;
	char **argv = xcalloc(nfixed + 12, sizeof(*argv));

	argv[n++] = xstrdup(sandbox_program());
	for (i = 0; i < nfixed; i++)
		argv[n++] = xstrdup(fixed[i]);
	argv[n++] = xstrdup("--bind");
	argv[n++] = xstrdup(dir);
	argv[n++] = xstrdup(dir);
	argv[n++] = xstrdup("--chdir");
	argv[n++] = xstrdup(dir);
	argv[n++] = xstrdup("--");
	argv[n++] = xstrdup("/bin/sh");
	argv[n++] = xstrdup("-c");
	argv[n++] = xstrdup(cmd);
	argv[n] = NULL;
	return argv;
}

void
sandbox_argv_free(char **argv)
{
	char **a;

	if (!argv)
		return;
	for (a = argv; *a; a++)
		free(*a);
	free(argv);
}

int
sandbox_probe(struct sbuf *why)
{
	struct proc_opt o = { 0 };
	struct proc_res r;
	char **argv = sandbox_argv("/tmp", "true");
	int ok;

	o.argv = argv;
	o.timeout = 30;
	o.err_max = 512;
	if (proc_run(&o, &r) < 0) {
		if (why)
			sbuf_addf(why, "cannot run '%s'", argv[0]);
		sandbox_argv_free(argv);
		return 0;
	}
	ok = r.exit_code == 0;
	if (!ok && why) {
		sbuf_rtrim(&r.err);
		sbuf_addf(why, "'%s' does not work here (status %d%s%s)",
			  argv[0], r.exit_code, r.err.len ? ": " : "",
			  r.err.buf);
	}
	proc_res_release(&r);
	sandbox_argv_free(argv);
	return ok;
}
