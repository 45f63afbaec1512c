#ifndef PESQ_PROC_H
#define PESQ_PROC_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * Run a shell command and measure it. The command runs as `/bin/sh -c cmd`
 * in its own process group (so a timeout, or the end of the command, can
 * kill everything it started), with stdin from `in` (or /dev/null), and
 * stdout and stderr captured up to a bound each. It inherits no file
 * descriptor but 0, 1 and 2 (and 3, the report pipe, when asked for),
 * whatever the caller has open without FD_CLOEXEC. Times come from
 * wait4(2): wall from a monotonic clock around fork and reap, user and
 * sys from the child's rusage (which includes the processes it waited
 * for).
 *
 * The run ends when the command has been reaped and its output pipes are
 * closed; at the timeout its group is killed, and if something outside
 * the group (a process that called setsid(2)) still holds the pipes
 * then, they are closed on our side and the run ends anyway.
 */
struct proc_opt {
	const char *cmd;
	const char *dir;		/* working directory; NULL: ours */
	char *const *env;		/* whole environment; NULL: ours */
	const char *in;			/* bytes for stdin; NULL: /dev/null */
	size_t in_len;
	double timeout;			/* seconds; <= 0: none */
	size_t out_max, err_max;	/* bytes kept of each; the rest counted */
	int out_fd, err_fd;		/* > 0: pass through to this fd instead */
	char *const *argv;		/* if set: execvp(argv[0], argv), no sh */
	unsigned long long fsize_max;	/* > 0: RLIMIT_FSIZE, and no core */
	int report;			/* a pipe on the command's fd 3 */
	/*
	 * Called about every watch_ms milliseconds while the command runs
	 * (and once after it ended); a nonzero return kills its group and
	 * sets res->stopped. NULL: none.
	 */
	int (*watch)(void *arg);
	void *watch_arg;
	int watch_ms;
};

struct proc_res {
	int status;		/* raw wait status */
	int exit_code;		/* exit status, or 128 + signal */
	int signaled;		/* killed by a signal (number in termsig) */
	int termsig;
	int timed_out;		/* we killed it at the timeout */
	int stopped;		/* watch asked to stop it */
	double wall, user, sys;	/* seconds */
	long maxrss;		/* peak resident set, KiB (ru_maxrss) */
	/*
	 * What pesq-measure counted (sandbox.h); PROC_COUNTERS_UNSAID when
	 * nothing reported on counters (no sandbox, an older pesq-measure).
	 * PROC_COUNTERS_NONE: it could not count; counters_err is then
	 * perf_event_open's errno, 0 when they were turned off, -1 when
	 * they never ran.
	 */
	enum proc_counters {
		PROC_COUNTERS_UNSAID, PROC_COUNTERS_NONE,
		PROC_COUNTERS_HW,	/* count: instructions, cycles */
		PROC_COUNTERS_SW	/* count: task-clock ns, page faults */
	} counters;
	int counters_err;
	unsigned long long count[2];
	struct sbuf out, err;	/* captured (at most out_max/err_max) */
	size_t out_total, err_total;	/* bytes written in all */
	unsigned char out_sha[32];	/* SHA-256 of all of stdout */
	struct sbuf report;	/* what it wrote to fd 3 (report set), bounded */
};

/*
 * Run it. res is initialized here and owned by the caller afterwards
 * (proc_res_release). Returns 0 when the command ran (whatever its status),
 * -1 when it could not be started or watched (errno set).
 */
int proc_run(const struct proc_opt *opt, struct proc_res *res);

void proc_res_release(struct proc_res *res);

/* Set exit_code, signaled and termsig from res->status. */
void proc_status(struct proc_res *res);

/*
 * A copy of environ with each "NAME=value" of set added or replacing, and
 * each bare "NAME" in set removed; NULL-terminated, freed with
 * proc_env_free.
 */
char **proc_env(const char *const *set);
void proc_env_free(char **env);

#endif
