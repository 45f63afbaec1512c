/*
 * pesq-measure: run a command and report its own wall and CPU time on a
 * file descriptor. pesq starts it inside the sandbox, as the sandbox's
 * first process, so that the times are the command's, not the
 * sandbox's; its exit ends the sandbox. Links nothing but libc: it must
 * start fast and be visible in the sandbox's minimal view. See
 * pesq-measure(1).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
	if (!rep || fprintf(rep, "pesq-measure 1 %d %lld %lld %lld %ld\n",
			    status, usec(&ru.ru_utime), usec(&ru.ru_stime),
			    t1 - t0, ru.ru_maxrss) < 0 || fclose(rep) == EOF)
		warn("cannot write the report");
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status);
	return code;
}
