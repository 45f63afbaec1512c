/*
 * pesq-measure: run a command and report its own wall and CPU time, and
 * its instructions and cycles where the machine counts them, on a file
 * descriptor. pesq starts it inside the sandbox, as the sandbox's
 * first process, so that the times are the command's, not the
 * sandbox's; its exit ends the sandbox. Links nothing but libc: it must
 * start fast and be visible in the sandbox's minimal view. See
 * pesq-measure(1).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/version.h"

static const char usage_line[] =
	"usage: pesq-measure [-f fd] [--] command [argument ...]\n";

static void
usage(FILE *fp, int code)
{
	fputs(usage_line, fp);
	exit(code);
}

/* Close every descriptor above 2 but keep (> 2). */
static void
close_others(int keep)
{
	long max;

#ifdef SYS_close_range
	if ((keep == 3 ||
	     syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0) == 0) &&
	    syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (long fd = 3; fd < max; fd++)
		if (fd != keep)
			close((int)fd);
}

/*
 * The counters of the command and of everything it starts, in user
 * space: instructions and cycles ("hw"), or with PESQ_MEASURE_COUNTERS=sw
 * task-clock (ns) and page faults standing in for them, so that tests
 * can follow the numbers on machines without hardware counters; "off"
 * opens none. They are opened on us, disabled, and inherited by the
 * child, where its exec enables them: neither we nor the child before
 * its exec are counted, and a child's counts are added to ours when it
 * exits.
 */
struct counters {
	const char *kind;	/* "hw", "sw", or "none" */
	int fd[2];
	int err;		/* none: perf_event_open's errno; 0: off */
};

static int
counter_open(unsigned type, unsigned long long config)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = type;
	a.config = config;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
		PERF_FORMAT_TOTAL_TIME_RUNNING;
	a.disabled = 1;
	a.enable_on_exec = 1;
	a.inherit = 1;
	a.exclude_kernel = 1;	/* what an unprivileged user may count */
	a.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static void
counters_open(struct counters *c)
{
	static const unsigned long long hw[2] = {
		PERF_COUNT_HW_INSTRUCTIONS, PERF_COUNT_HW_CPU_CYCLES
	}, sw[2] = {
		PERF_COUNT_SW_TASK_CLOCK, PERF_COUNT_SW_PAGE_FAULTS
	};
	const char *e = getenv("PESQ_MEASURE_COUNTERS");
	int soft = e && !strcmp(e, "sw");

	c->fd[0] = c->fd[1] = -1;
	c->kind = "none";
	c->err = 0;
	if (e && *e && !soft && strcmp(e, "hw") && strcmp(e, "off"))
		errx(2, "invalid PESQ_MEASURE_COUNTERS '%s'", e);
	/* ours, not the command's */
	unsetenv("PESQ_MEASURE_COUNTERS");
	if (e && !strcmp(e, "off"))
		return;
	for (int i = 0; i < 2; i++)
		if ((c->fd[i] = counter_open(soft ? PERF_TYPE_SOFTWARE :
					     PERF_TYPE_HARDWARE,
					     soft ? sw[i] : hw[i])) < 0) {
			c->err = errno;
			if (i)
				close(c->fd[0]);
			c->fd[0] = -1;
			return;
		}
	c->kind = soft ? "sw" : "hw";
}

/*
 * The counts, scaled up when the kernel had to share the PMU among more
 * events than it has counters; -1 when there are none (err set: errno,
 * or -1 when the counters never ran).
 */
static int
counters_read(struct counters *c, unsigned long long v[2])
{
	unsigned long long r[3];	/* value, time enabled, time running */

	if (c->fd[0] < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		errno = 0;
		if (read(c->fd[i], r, sizeof(r)) != (ssize_t)sizeof(r)) {
			c->err = errno ? errno : EIO;
			return -1;
		}
		if (r[2] == 0 && r[1] > 0) {
			c->err = -1;
			return -1;
		}
		v[i] = r[2] < r[1] ?
			(unsigned long long)((double)r[0] * (double)r[1] /
					     (double)r[2]) : r[0];
	}
	return 0;
}

static long long
usec(const struct timeval *t)
{
	return (long long)t->tv_sec * 1000000 + t->tv_usec;
}

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fd", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		PESQ_LONGOPTS_END
	};
	struct rusage ru;
	struct counters ctr;
	unsigned long long v[2];
	long long t0, t1;
	char *end;
	int c, fd = 3, status = 0, code;
	pid_t pid, w;
	FILE *rep;

	while ((c = getopt_long(argc, argv, "+f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fd = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || fd < 3)
				errx(2, "invalid descriptor '%s'", optarg);
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			PESQ_VERSION_IF(c, "pesq-measure");
			usage(stderr, 2);
		}
	}
	if (optind == argc)
		usage(stderr, 2);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		err(127, "descriptor %d", fd);
	close_others(fd);
	/*
	 * Not dumpable: the command, though it runs as our user, can then
	 * neither trace us nor open our descriptors through /proc, so it
	 * cannot write a report of its own.
	 */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	counters_open(&ctr);
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		err(127, "fork");
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		warn("cannot run '%s'", argv[optind]);
		_exit(errno == ENOENT ? 127 : 126);
	}
	/*
	 * As the first process of a pid namespace we also reap what the
	 * command leaves orphaned; our own exit then ends them all.
	 */
	for (;;) {
		w = wait4(getpid() == 1 ? -1 : pid, &status, 0, &ru);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			err(127, "wait");
	}
	t1 = now_ns();
	rep = fdopen(fd, "w");
	if (!rep || fprintf(rep, "pesq-measure 2 %d %lld %lld %lld %ld ",
			    status, usec(&ru.ru_utime), usec(&ru.ru_stime),
			    t1 - t0, ru.ru_maxrss) < 0 ||
	    (counters_read(&ctr, v) == 0 ?
	     fprintf(rep, "%s %llu %llu\n", ctr.kind, v[0], v[1]) :
	     fprintf(rep, "none %d\n", ctr.err)) < 0 || fclose(rep) == EOF)
		warn("cannot write the report");
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status);
	return code;
}
