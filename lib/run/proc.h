#ifndef PESQ_PROC_H
#define PESQ_PROC_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * Run a shell command and measure it. The command runs as `/bin/sh -c cmd`
 * in its own process group (so a timeout, or the end of the command, can
 * kill everything it started), with stdin from `in` (or /dev/null), and
 * stdout and stderr captured up to a bound each. Times come from wait4(2):
 * wall from a monotonic clock around fork and reap, user and sys from the
 * child's rusage (which includes the processes it waited for).
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
};

struct proc_res {
	int status;		/* raw wait status */
	int exit_code;		/* exit status, or 128 + signal */
	int signaled;		/* killed by a signal (number in termsig) */
	int termsig;
	int timed_out;		/* we killed it at the timeout */
	double wall, user, sys;	/* seconds */
	struct sbuf out, err;	/* captured (at most out_max/err_max) */
	size_t out_total, err_total;	/* bytes written in all */
	unsigned char out_sha[32];	/* SHA-256 of all of stdout */
};

/*
 * Run it. res is initialized here and owned by the caller afterwards
 * (proc_res_release). Returns 0 when the command ran (whatever its status),
 * -1 when it could not be started or watched (errno set).
 */
int proc_run(const struct proc_opt *opt, struct proc_res *res);

void proc_res_release(struct proc_res *res);

/*
 * A copy of environ with each "NAME=value" of set added or replacing, and
 * each bare "NAME" in set removed; NULL-terminated, freed with
 * proc_env_free.
 */
char **proc_env(const char *const *set);
void proc_env_free(char **env);

#endif
