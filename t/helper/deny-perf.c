/*
 * deny-perf: run a command where perf_event_open(2) fails, as it does
 * under a container's seccomp filter or with kernel.perf_event_paranoid
 * above 2, for the tests of pesq-measure's counters.
 *
 *	deny-perf [-e ERRNO] command [argument ...]
 *
 * Installs a seccomp filter that makes perf_event_open fail with ERRNO
 * (a number; default EACCES) and allows every other system call, then
 * runs command (execvp). The filter holds for the command and
 * everything it starts: a bubblewrap sandbox and what runs in it.
 * Exit status: the command's; 2 usage; 3 when the filter cannot be
 * installed; 127 when the command cannot be run.
 */
#include <err.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int e = EACCES, i = 1;

	if (argc > 2 && !strcmp(argv[1], "-e")) {
		e = atoi(argv[2]);
		i = 3;
	}
	if (i >= argc || e <= 0 || e > 4095)
		errx(2, "usage: deny-perf [-e ERRNO] command [argument ...]");
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_perf_event_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K,
			 SECCOMP_RET_ERRNO | ((unsigned)e & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		err(3, "cannot install the filter");
	execvp(argv[i], argv + i);
	err(127, "cannot run '%s'", argv[i]);
}
