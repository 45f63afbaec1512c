#include <stdlib.h>
#include <string.h>

#include "run/proc.h"
#include "run/sandbox.h"
#include "base/xalloc.h"

const char *
sandbox_program(void)
{
	const char *p = getenv("PESQ_BWRAP");

	return p && *p ? p : "bwrap";
}

/* Append a copy of s to the argument vector being built. */
static void
push(char ***argv, size_t *n, size_t *cap, const char *s)
{
	XGROW(*argv, *n + 2, *cap);
	(*argv)[(*n)++] = xstrdup(s);
	(*argv)[*n] = NULL;
}

/* Keep path (a directory under /tmp) visible, read-only, over the tmpfs. */
static void
keep_ro(char ***argv, size_t *n, size_t *cap, const char *path, size_t len)
{
	char *p = xmemdupz(path, len);

	if (!strncmp(p, "/tmp/", 5)) {
		push(argv, n, cap, "--ro-bind-try");
		push(argv, n, cap, p);
		push(argv, n, cap, p);
	}
	free(p);
}

char **
sandbox_argv(const char *dir, const char *cmd)
{
	/*
	 * Order matters: later mounts lie over earlier ones, so the private
	 * /tmp comes before what must stay visible inside it, and the
	 * writable dir, which may be inside /tmp, comes last.
	 */
	const char *fixed[] = {
		"--ro-bind", "/", "/",
		"--dev", "/dev",
		"--proc", "/proc",
		"--tmpfs", "/tmp",
		"--unshare-net", "--unshare-ipc",
		"--die-with-parent",
	};
	const char *path = getenv("PATH"), *p, *pesq;
	size_t n = 0, cap = 0, i;
	char **argv = NULL;

	push(&argv, &n, &cap, sandbox_program());
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		push(&argv, &n, &cap, fixed[i]);
	/*
	 * Programs the command runs from PATH, and the repository a pesq
	 * worktree ($GIT_DIR/pesq/NAME) belongs to, stay visible when they
	 * live under /tmp.
	 */
	for (p = path; p && *p; ) {
		size_t len = strcspn(p, ":");

		keep_ro(&argv, &n, &cap, p, len);
		p += len + (p[len] == ':');
	}
	if ((pesq = strstr(dir, "/pesq/")))
		keep_ro(&argv, &n, &cap, dir, (size_t)(pesq - dir));
	push(&argv, &n, &cap, "--bind");
	push(&argv, &n, &cap, dir);
	push(&argv, &n, &cap, dir);
	push(&argv, &n, &cap, "--chdir");
	push(&argv, &n, &cap, dir);
	push(&argv, &n, &cap, "--");
	push(&argv, &n, &cap, "/bin/sh");
	push(&argv, &n, &cap, "-c");
	push(&argv, &n, &cap, cmd);
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
