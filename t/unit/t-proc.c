/* Unit tests for lib/proc: status, capture, timeout, process groups. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/proc.h"
#include "base/sha256.h"
#include "tap.h"

/*
 * Has pid died? proc_run returns only after every holder of the output
 * pipe closed it, which a killed process does while exiting: it is gone,
 * a zombie, or about to become one; yield until it is (bounded).
 */
static int
gone(int pid)
{
	char path[64], buf[256], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 100000; i++) {
		FILE *fp = fopen(path, "r");

		if (!fp)
			return 1;
		p = fgets(buf, sizeof(buf), fp);
		fclose(fp);
		if (!p || !(p = strrchr(buf, ')')))
			return 1;
		if (p[2] == 'Z' || p[2] == 'X')
			return 1;
		sched_yield();
	}
	return 0;
}

static int
stop_now(void *arg)
{
	(void)arg;
	return 1;
}

static int
run(const char *cmd, double timeout, size_t max, struct proc_res *r)
{
	struct proc_opt o;

	memset(&o, 0, sizeof(o));
	o.cmd = cmd;
	o.timeout = timeout;
	o.out_max = o.err_max = max;
	return proc_run(&o, r);
}

int
main(void)
{
	struct proc_opt o;
	struct proc_res r;
	char hex[65], want[65], path[64];
	const char *set[] = { "PESQ_T=v1", "HOME", NULL };
	char **env;
	FILE *fp;
	int pid = 0;

	ok(run("echo out; echo err >&2; exit 3", 0, 1024, &r) == 0, "runs");
	is_int(r.exit_code, 3, "exit status");
	is_str(r.out.buf, "out\n", "stdout captured");
	is_str(r.err.buf, "err\n", "stderr captured");
	ok(!r.signaled && !r.timed_out, "not signaled, not timed out");
	sha256_tohex(r.out_sha, hex);
	sha256_hex("out\n", 4, want);
	is_str(hex, want, "sha256 of stdout");
	proc_res_release(&r);

	run("kill -TERM $$", 0, 1024, &r);
	ok(r.signaled && r.termsig == SIGTERM && r.exit_code == 128 + SIGTERM,
	   "death by signal is reported");
	proc_res_release(&r);

	run("head -c 100000 /dev/zero", 0, 1000, &r);
	ok(r.out.len == 1000 && r.out_total == 100000,
	   "capture is bounded, the total counted");
	proc_res_release(&r);

	run("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done", 0, 0, &r);
	ok(r.user + r.sys > 0 && r.wall >= r.user * 0.5,
	   "user and sys time from wait4 (%.3f+%.3f s, wall %.3f s)",
	   r.user, r.sys, r.wall);
	proc_res_release(&r);

	/*
	 * The timeout must kill the whole group: the shell's background
	 * child writes its pid, then both wait forever.
	 */
	snprintf(path, sizeof(path), "t-proc.%ld.pid", (long)getpid());
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd),
			 "sh -c 'echo $$ >%s; exec tail -f /dev/null' & wait",
			 path);
		run(cmd, 0.5, 1024, &r);
	}
	ok(r.timed_out && r.signaled && r.termsig == SIGKILL,
	   "a hung command is killed at the timeout");
	fp = fopen(path, "r");
	ok(fp && fscanf(fp, "%d", &pid) == 1, "the grandchild left its pid");
	if (fp)
		fclose(fp);
	unlink(path);
	ok(pid > 0 && gone(pid),
	   "the grandchild in the same process group is gone too");
	proc_res_release(&r);

	memset(&o, 0, sizeof(o));
	o.cmd = "tr a-z A-Z; pwd";
	o.in = "hello\n";
	o.in_len = 6;
	o.dir = "/";
	o.out_max = 100;
	proc_run(&o, &r);
	is_str(r.out.buf, "HELLO\n/\n", "stdin is fed, dir is honoured");
	proc_res_release(&r);

	/* a command that does not read a large input must not kill us */
	{
		static char big[1 << 20];

		memset(&o, 0, sizeof(o));
		o.cmd = "exit 0";
		o.in = big;
		o.in_len = sizeof(big);
		ok(proc_run(&o, &r) == 0 && r.exit_code == 0,
		   "unread stdin does not raise SIGPIPE in the caller");
		proc_res_release(&r);
	}

	setenv("HOME", "/somewhere", 1);
	env = proc_env(set);
	memset(&o, 0, sizeof(o));
	o.cmd = "echo \"$PESQ_T:${HOME-unset}\"";
	o.env = env;
	o.out_max = 100;
	proc_run(&o, &r);
	is_str(r.out.buf, "v1:unset\n", "proc_env sets and removes variables");
	proc_res_release(&r);
	proc_env_free(env);

	/* a descriptor left open without FD_CLOEXEC (git pesq's lock) */
	{
		int fd = open("/dev/null", O_RDONLY);

		ok(fd >= 0 && dup2(fd, 9) == 9, "fd 9 open here");
		run("if [ -e /proc/$$/fd/9 ]; then echo leaked; else echo closed; fi",
		    0, 100, &r);
		is_str(r.out.buf, "closed\n", "a command does not inherit fd 9");
		proc_res_release(&r);
		close(9);
		close(fd);
	}

	memset(&o, 0, sizeof(o));
	o.cmd = "echo measured >&3; [ -e /proc/$$/fd/4 ] && echo fd 4 >&3; :";
	o.report = 1;
	o.out_max = 100;
	proc_run(&o, &r);
	is_str(r.report.buf, "measured\n", "the report pipe is fd 3, alone");
	proc_res_release(&r);

	memset(&o, 0, sizeof(o));
	o.fsize_max = 1000;
	snprintf(path, sizeof(path), "t-proc.%ld.big", (long)getpid());
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "exec head -c 100000 /dev/zero >%s",
			 path);
		o.cmd = cmd;
		proc_run(&o, &r);
	}
	ok(r.signaled && r.termsig == SIGXFSZ,
	   "a file past fsize_max: SIGXFSZ");
	unlink(path);
	proc_res_release(&r);

	memset(&o, 0, sizeof(o));
	o.cmd = "exec tail -f /dev/null";
	o.watch = stop_now;
	o.watch_ms = 1;
	proc_run(&o, &r);
	ok(r.stopped && !r.timed_out && r.signaled && r.termsig == SIGKILL,
	   "a watch that says stop kills the command");
	proc_res_release(&r);

	/*
	 * A child that left the process group (setsid) and holds the
	 * output: the run ends at the timeout, not when it lets go.
	 */
	snprintf(path, sizeof(path), "t-proc.%ld.pid", (long)getpid());
	{
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "setsid sh -c 'echo $$ >%s.tmp; "
			 "mv %s.tmp %s; exec sleep 60' & "
			 "while ! [ -s %s ]; do :; done", path, path, path,
			 path);
		run(cmd, 0.5, 1024, &r);
	}
	pid = 0;
	fp = fopen(path, "r");
	if (fp) {
		if (fscanf(fp, "%d", &pid) != 1)
			pid = 0;
		fclose(fp);
	}
	ok(r.timed_out && pid > 0 && kill(pid, 0) == 0,
	   "ends at the timeout while an escaped child holds the output");
	if (pid > 0)
		kill(pid, SIGKILL);
	unlink(path);
	proc_res_release(&r);

	memset(&o, 0, sizeof(o));
	o.cmd = "exit 0";
	o.dir = "/no/such/dir";
	o.err_max = 100;
	proc_run(&o, &r);
	ok(r.exit_code == 127 && strstr(r.err.buf, "/no/such/dir"),
	   "a missing directory gives 127 and a message");
	proc_res_release(&r);

	return done_testing();
}
