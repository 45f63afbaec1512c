#ifndef PESQ_SANDBOX_H
#define PESQ_SANDBOX_H

#include "base/sbuf.h"
#include "run/proc.h"

/*
 * The sandbox every command that runs candidate code goes through:
 * builds, tests, benchmarks, profiles. Under bubblewrap(1) the command
 * sees a minimal view of the machine:
 *
 *   /usr and the /bin, /sbin, /lib* links or directories, read-only;
 *   from /etc only alternatives, ld.so.cache, localtime, passwd, group
 *   and hosts (no shadow, ssh or ssl keys, sudoers);
 *   the paths the user adds (pesq.sandbox.readOnly), read-only;
 *   pesq-measure, read-only, at its own path;
 *   for a build, its compiler cache read-write (rw below);
 *   its directory (the slot worktree) read-write, except its .git file;
 *   a fresh /dev, a /proc of its own pid namespace, a private /tmp (a
 *   tmpfs of at most max_disk bytes); nothing else: no $HOME, no
 *   repository but the slot, no /run, no /var, no host sockets.
 *
 * It has no network (a network namespace with only its own loopback),
 * no shared IPC, its own pid namespace, no capabilities, and cannot make
 * user namespaces. pesq-measure is the namespace's first
 * process: it runs `/bin/sh -c cmd`, reaps what that leaves behind and
 * reports the command's own wall and CPU time on fd 3; when the command
 * ends pesq-measure exits and the kernel ends everything else in the
 * namespace, so a daemon that called setsid(2) dies with it. Should
 * bubblewrap be killed (a timeout kills its process group), the whole
 * namespace dies with it (--die-with-parent).
 *
 * With the sandbox off (or unavailable) the command runs as
 * `/bin/sh -c cmd` directly; the environment and the limits below still
 * apply, the view and the namespaces do not.
 *
 * In both cases: the environment is built from an allowlist
 * (sandbox_env), no descriptor but 0-2 is inherited (proc.h), no file
 * may grow beyond max_file bytes (RLIMIT_FSIZE; no core files), and a
 * command that writes more than max_disk bytes into its directory is
 * stopped.
 */
struct sandbox {
	int on;			/* under bubblewrap */
	char *measure;		/* pesq-measure's absolute path, or NULL */
	char **ro;		/* more read-only paths (absolute) */
	size_t nro, ro_cap;
	char **env;		/* more variable names passed in */
	size_t nenv, env_cap;
	unsigned long long max_file;	/* bytes; 0: no limit */
	unsigned long long max_disk;	/* bytes; 0: no limit */
	/*
	 * For one run, set on a copy of the struct (neither is owned nor
	 * freed; both NULL-terminated, or NULL): more paths bound
	 * read-write (absolute; under bubblewrap only), and variables set
	 * over the allowlisted ones ("NAME=value"). A build's compiler
	 * cache comes in this way (attempt/buildcache.h).
	 */
	const char *const *rw;
	const char *const *set;
};

#define SANDBOX_MAX_FILE (1ULL << 30)
#define SANDBOX_MAX_DISK (4ULL << 30)

/*
 * Defaults: off, the limits above, pesq-measure looked for
 * (sandbox_find_measure). Release with sandbox_release.
 */
void sandbox_init(struct sandbox *sb);
void sandbox_release(struct sandbox *sb);

/* Add a read-only path / a variable name (copied). */
void sandbox_add_ro(struct sandbox *sb, const char *path);
void sandbox_add_env(struct sandbox *sb, const char *name);

/*
 * The bubblewrap program: $PESQ_BWRAP when set (tests use it to name a
 * missing one), otherwise "bwrap" from PATH. Static storage.
 */
const char *sandbox_program(void);

/*
 * pesq-measure: $PESQ_MEASURE when set, else beside the running program
 * (the build tree) or in ../libexec/pesq/ from it (an installation).
 * Returns a malloc'd absolute path, or NULL when there is none.
 */
char *sandbox_find_measure(void);

/*
 * The environment a command gets: the variables of ours whose names
 * are on the allowlist (PATH, the locale, TZ, TERM, USER, LOGNAME, the
 * compiler and linker variables, pkg-config's, the sanitizers' options,
 * OMP_NUM_THREADS, SOURCE_DATE_EPOCH, ...; see pesq-sandbox(1)) or in
 * sb->env, but never one whose name looks like a secret's
 * (redact_secret_name), even when listed. Under bubblewrap HOME and
 * TMPDIR are /tmp; without, HOME and TMPDIR are passed as they are.
 * Then sb->set, over any of those of the same name. NULL-terminated;
 * free with proc_env_free.
 */
char **sandbox_env(const struct sandbox *sb);

/*
 * The bubblewrap command line that runs `/bin/sh -c cmd` in dir (an
 * absolute path; bound read-write, as are sb->rw) under pesq-measure
 * reporting on fd 3. Caller frees with
 * sandbox_argv_free. sb->measure must be set.
 */
char **sandbox_argv(const struct sandbox *sb, const char *dir,
		    const char *cmd);
void sandbox_argv_free(char **argv);

/*
 * Run po->cmd in po->dir (NULL: the current directory) as sb says, with
 * po's input, output, timeout and capture settings (its argv, env,
 * limits, report and watch are ours). Under bubblewrap, status, wall,
 * user and sys are the command's own, from pesq-measure's report
 * (*measured set to 1; 0 when the report is missing, e.g. because
 * bubblewrap failed, and then they are bubblewrap's). Returns 0 when it
 * ran, -1 (errno) when it could not be started.
 */
int sandbox_run(const struct sandbox *sb, const struct proc_opt *po,
		struct proc_res *res, int *measured);

/*
 * Take the command's own status and times, and its counters, from
 * pesq-measure's report in buf (len bytes, NUL-terminated) into res:
 * the line of pesq-measure(1), or the older one without counters
 * ("pesq-measure 1 ...", counters then PROC_COUNTERS_UNSAID). Returns 1,
 * or 0 when buf is no such report (res untouched).
 */
int sandbox_report_parse(const char *buf, size_t len, struct proc_res *res);

/*
 * Why the run was cut short, if a limit did it: "it wrote more than N
 * into DIR ...", "a file it wrote reached N ...", appended to out
 * without a newline; nothing is appended otherwise. Returns 1 when
 * something was.
 */
int sandbox_limit_message(const struct sandbox *sb, const struct proc_res *res,
			  struct sbuf *out);

/*
 * Can sb run sandboxed here? Runs `true` in the sandbox in a fresh
 * temporary directory. Returns 1 when it can, 0 when it cannot, with
 * the reason appended to why (may be NULL).
 */
int sandbox_probe(const struct sandbox *sb, struct sbuf *why);

/* "1.5 GiB", "512 KiB", "17 bytes": a size for messages, appended. */
void sandbox_size(unsigned long long n, struct sbuf *out);

#endif
