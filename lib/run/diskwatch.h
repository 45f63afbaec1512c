#ifndef PESQ_DISKWATCH_H
#define PESQ_DISKWATCH_H

#include <time.h>

/*
 * How much a running command has written into a directory, checked
 * cheaply: statvfs(2) of the directory's file system first, and only
 * when that lost more than half the limit since the start (or every few
 * seconds) a walk of the directory that adds up the disk blocks of the
 * files changed since the start (by their ctime, which a process cannot
 * set back). The walk neither follows symbolic links nor leaves the
 * file system. For proc_opt.watch (proc.h).
 */
struct diskwatch {
	char *dir;
	unsigned long long limit;	/* bytes */
	struct timespec start;		/* coarse realtime, as file times */
	unsigned long long free0;	/* free bytes of the fs at the start */
	double last_walk;		/* monotonic seconds */
	unsigned long long found;	/* bytes the last walk found */
};

/* Start watching dir (copied) for more than limit bytes written. */
void diskwatch_start(struct diskwatch *dw, const char *dir,
		     unsigned long long limit);
void diskwatch_release(struct diskwatch *dw);

/* proc_opt.watch: 1 when more than the limit was written, else 0. */
int diskwatch_check(void *dw);

#endif
