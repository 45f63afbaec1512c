#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/proc.h"
#include "base/sha256.h"
#include "base/xalloc.h"

extern char **environ;

#define REPORT_MAX 4096	/* bytes kept of what the command writes to fd 3 */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
tv(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

static int
pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * Close every descriptor from first up: what the caller holds open
 * without FD_CLOEXEC (a lock on fd 9, say) is none of the command's
 * business.
 */
static void
close_from(int first)
{
	long max, fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = first; fd < max; fd++)
		close((int)fd);
}

/* In the child: set up fds, limits and exec. Never returns. */
static void
child(const struct proc_opt *opt, int in, int out, int err, int rep)
{
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	if (rep >= 0) {
		if (rep == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(rep, 3) < 0)
			_exit(127);
		close_from(4);
	} else {
		close_from(3);
	}
	if (opt->fsize_max) {
		struct rlimit rl = { (rlim_t)opt->fsize_max,
				     (rlim_t)opt->fsize_max };
		struct rlimit none = { 0, 0 };

		if (setrlimit(RLIMIT_FSIZE, &rl) < 0 ||
		    setrlimit(RLIMIT_CORE, &none) < 0)
			_exit(127);
	}
	if (opt->dir && chdir(opt->dir) < 0) {
		dprintf(2, "cannot change to '%s': %s\n", opt->dir,
			strerror(errno));
		_exit(127);
	}
	if (opt->env)
		environ = (char **)opt->env;
	if (opt->argv) {
		execvp(opt->argv[0], opt->argv);
		dprintf(2, "cannot run '%s': %s\n", opt->argv[0],
			strerror(errno));
	} else {
		execl("/bin/sh", "sh", "-c", opt->cmd, (char *)NULL);
	}
	_exit(127);
}

static void
keep(struct sbuf *sb, size_t max, const char *p, size_t n)
{
	if (sb->len < max)
		sbuf_add(sb, p, n < max - sb->len ? n : max - sb->len);
}

/* Read what is there from a pipe we are done waiting for, then close it. */
static void
drain(int *fd, struct proc_res *res, const struct proc_opt *opt, int which,
      struct sha256 *sha)
{
	char buf[65536];
	ssize_t n;

	if (*fd < 0)
		return;
	fcntl(*fd, F_SETFL, O_NONBLOCK);
	while ((n = read(*fd, buf, sizeof(buf))) > 0) {
		if (which == 1) {
			res->out_total += (size_t)n;
			sha256_update(sha, buf, (size_t)n);
			keep(&res->out, opt->out_max, buf, (size_t)n);
		} else if (which == 2) {
			res->err_total += (size_t)n;
			keep(&res->err, opt->err_max, buf, (size_t)n);
		} else {
			keep(&res->report, REPORT_MAX, buf, (size_t)n);
		}
	}
	close(*fd);
	*fd = -1;
}

int
proc_run(const struct proc_opt *opt, struct proc_res *res)
{
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int repp[2] = { -1, -1 };
	int pidfd = -1, saved, killed = 0, reaped = 0;
	size_t in_off = 0;
	struct sha256 sha;
	struct rusage ru;
	double start, deadline, next_watch = 0;
	pid_t pid;
	char buf[65536];

	struct sigaction ign, oldpipe;

	/* a command that exits without reading its input must not kill us */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &oldpipe);
	memset(res, 0, sizeof(*res));
	sbuf_init(&res->out, 0);
	sbuf_init(&res->err, 0);
	sbuf_init(&res->report, 0);
	sha256_init(&sha);

	if (pipe2(inp, O_CLOEXEC) < 0)
		goto fail;
	if ((opt->out_fd <= 0 && pipe2(outp, O_CLOEXEC) < 0) ||
	    (opt->err_fd <= 0 && pipe2(errp, O_CLOEXEC) < 0) ||
	    (opt->report && pipe2(repp, O_CLOEXEC) < 0))
		goto fail;

	start = now();
	deadline = opt->timeout > 0 ? start + opt->timeout : 0;
	if (opt->watch)
		next_watch = start + (opt->watch_ms > 0 ? opt->watch_ms : 250)
			/ 1000.0;
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		int in = inp[0];

		if (!opt->in) {
			in = open("/dev/null", O_RDONLY);
			if (in < 0)
				_exit(127);
		}
		child(opt, in, opt->out_fd > 0 ? opt->out_fd : outp[1],
		      opt->err_fd > 0 ? opt->err_fd : errp[1], repp[1]);
	}
	/* both sides call setpgid so that neither order races */
	setpgid(pid, pid);
	close(inp[0]);
	inp[0] = -1;
	if (outp[1] >= 0)
		close(outp[1]);
	if (errp[1] >= 0)
		close(errp[1]);
	if (repp[1] >= 0)
		close(repp[1]);
	outp[1] = errp[1] = repp[1] = -1;
	if (!opt->in || opt->in_len == 0) {
		close(inp[1]);
		inp[1] = -1;
	} else {
		fcntl(inp[1], F_SETFL, O_NONBLOCK);
	}
	pidfd = pidfd_open_(pid);

	while (!reaped || outp[0] >= 0 || errp[0] >= 0 || repp[0] >= 0) {
		struct pollfd pf[5];
		int npf = 0, ms = -1, r, i;
		double t;

		if (outp[0] >= 0)
			pf[npf++] = (struct pollfd){ outp[0], POLLIN, 0 };
		if (errp[0] >= 0)
			pf[npf++] = (struct pollfd){ errp[0], POLLIN, 0 };
		if (repp[0] >= 0)
			pf[npf++] = (struct pollfd){ repp[0], POLLIN, 0 };
		if (inp[1] >= 0)
			pf[npf++] = (struct pollfd){ inp[1], POLLOUT, 0 };
		if (!reaped && pidfd >= 0)
			pf[npf++] = (struct pollfd){ pidfd, POLLIN, 0 };
		t = now();
		if (deadline && !killed)
			ms = deadline <= t ? 0 : (int)((deadline - t) * 1000) + 1;
		if (next_watch && !killed && !reaped) {
			int wm = next_watch <= t ? 0 :
				(int)((next_watch - t) * 1000) + 1;

			if (ms < 0 || wm < ms)
				ms = wm;
		}
		if (!reaped && pidfd < 0 && (ms < 0 || ms > 10))
			ms = 10;	/* no pidfd: look for the exit now and then */
		r = poll(pf, (nfds_t)npf, ms);
		if (r < 0 && errno != EINTR)
			goto fail_kill;
		t = now();
		if (next_watch && !killed && !reaped && t >= next_watch) {
			if (opt->watch(opt->watch_arg)) {
				kill(-pid, SIGKILL);
				killed = 1;
				res->stopped = 1;
			}
			next_watch = t + (opt->watch_ms > 0 ? opt->watch_ms :
					  250) / 1000.0;
		}
		if (deadline && !killed && t >= deadline) {
			kill(-pid, SIGKILL);
			killed = 1;
			res->timed_out = 1;
		}
		for (i = 0; r > 0 && i < npf; i++) {
			ssize_t n;

			if (!pf[i].revents)
				continue;
			if (pf[i].fd == pidfd)
				continue;
			if (pf[i].fd == inp[1]) {
				n = write(inp[1], opt->in + in_off,
					  opt->in_len - in_off);
				if (n > 0)
					in_off += (size_t)n;
				if ((n < 0 && errno != EAGAIN &&
				     errno != EINTR) ||
				    in_off == opt->in_len ||
				    (pf[i].revents & (POLLERR | POLLHUP))) {
					close(inp[1]);
					inp[1] = -1;
				}
				continue;
			}
			n = read(pf[i].fd, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close(pf[i].fd);
				if (pf[i].fd == outp[0])
					outp[0] = -1;
				else if (pf[i].fd == errp[0])
					errp[0] = -1;
				else
					repp[0] = -1;
				continue;
			}
			if (pf[i].fd == outp[0]) {
				res->out_total += (size_t)n;
				sha256_update(&sha, buf, (size_t)n);
				keep(&res->out, opt->out_max, buf, (size_t)n);
			} else if (pf[i].fd == errp[0]) {
				res->err_total += (size_t)n;
				keep(&res->err, opt->err_max, buf, (size_t)n);
			} else {
				keep(&res->report, REPORT_MAX, buf, (size_t)n);
			}
		}
		if (!reaped) {
			pid_t w = wait4(pid, &res->status, WNOHANG, &ru);

			if (w == pid) {
				reaped = 1;
				res->wall = now() - start;
				/*
				 * Whatever the command left running in its
				 * group would hold our pipes open: end it.
				 */
				kill(-pid, SIGKILL);
			} else if (w < 0 && errno != EINTR) {
				goto fail_kill;
			}
		}
		if (reaped && killed) {
			/*
			 * Killed and reaped: what still holds the pipes
			 * escaped the group; take what is there and go.
			 */
			drain(&outp[0], res, opt, 1, &sha);
			drain(&errp[0], res, opt, 2, &sha);
			drain(&repp[0], res, opt, 3, &sha);
		}
	}
	if (opt->watch && !killed && opt->watch(opt->watch_arg))
		res->stopped = 1;	/* it wrote too much in the end */
	if (pidfd >= 0)
		close(pidfd);
	if (inp[1] >= 0)
		close(inp[1]);
	res->user = tv(&ru.ru_utime);
	res->sys = tv(&ru.ru_stime);
	res->maxrss = ru.ru_maxrss;
	proc_status(res);
	sha256_final(&sha, res->out_sha);
	sigaction(SIGPIPE, &oldpipe, NULL);
	return 0;

fail_kill:
	saved = errno;
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
	errno = saved;
fail:
	saved = errno;
	for (int i = 0; i < 2; i++) {
		if (inp[i] >= 0)
			close(inp[i]);
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
		if (repp[i] >= 0)
			close(repp[i]);
	}
	if (pidfd >= 0)
		close(pidfd);
	proc_res_release(res);
	sigaction(SIGPIPE, &oldpipe, NULL);
	errno = saved;
	return -1;
}

void
proc_status(struct proc_res *res)
{
	res->signaled = 0;
	res->termsig = 0;
	res->exit_code = 0;
	if (WIFEXITED(res->status)) {
		res->exit_code = WEXITSTATUS(res->status);
	} else if (WIFSIGNALED(res->status)) {
		res->signaled = 1;
		res->termsig = WTERMSIG(res->status);
		res->exit_code = 128 + res->termsig;
	}
}

void
proc_res_release(struct proc_res *res)
{
	sbuf_release(&res->out);
	sbuf_release(&res->err);
	sbuf_release(&res->report);
}

char **
proc_env(const char *const *set)
{
	size_t n = 0, k = 0, i;
	const char *const *s;
	char **env;

	while (environ[n])
		n++;
	for (s = set; s && *s; s++)
		k++;
	env = xcalloc(n + k + 1, sizeof(*env));
	k = 0;
	for (i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		int drop = 0;

		for (s = set; s && *s; s++) {
			const char *e2 = strchr(*s, '=');
			size_t l2 = e2 ? (size_t)(e2 - *s) : strlen(*s);

			if (l2 == len && !strncmp(*s, environ[i], len)) {
				drop = 1;
				break;
			}
		}
		if (!drop)
			env[k++] = xstrdup(environ[i]);
	}
	for (s = set; s && *s; s++)
		if (strchr(*s, '='))
			env[k++] = xstrdup(*s);
	env[k] = NULL;
	return env;
}

void
proc_env_free(char **env)
{
	char **e;

	if (!env)
		return;
	for (e = env; *e; e++)
		free(*e);
	free(env);
}
