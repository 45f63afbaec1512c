#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "run/diskwatch.h"
#include "base/xalloc.h"

#define WALK_EVERY 4.0		/* seconds between walks regardless */

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long
fs_free(const char *dir)
{
	struct statvfs v;

	if (statvfs(dir, &v) < 0)
		return 0;
	return (unsigned long long)v.f_bavail * v.f_frsize;
}

void
diskwatch_start(struct diskwatch *dw, const char *dir,
		unsigned long long limit)
{
	memset(dw, 0, sizeof(*dw));
	dw->dir = xstrdup(dir);
	dw->limit = limit;
	/* file times come from the coarse clock: compare with it */
	clock_gettime(CLOCK_REALTIME_COARSE, &dw->start);
	dw->free0 = fs_free(dir);
	dw->last_walk = mono();
}

void
diskwatch_release(struct diskwatch *dw)
{
	free(dw->dir);
	dw->dir = NULL;
}

static int
changed(const struct stat *st, const struct timespec *t)
{
	return st->st_ctim.tv_sec > t->tv_sec ||
		(st->st_ctim.tv_sec == t->tv_sec &&
		 st->st_ctim.tv_nsec >= t->tv_nsec);
}

/* Add up the blocks of files under dirfd changed since the start. */
static void
walk(struct diskwatch *dw, int dirfd, dev_t dev, int depth)
{
	DIR *d;
	struct dirent *e;
	struct stat st;

	if (depth > 64 || !(d = fdopendir(dirfd))) {
		close(dirfd);
		return;
	}
	while ((e = readdir(d)) && dw->found <= dw->limit) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    st.st_dev != dev)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd, e->d_name, O_RDONLY |
					O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0)
				walk(dw, fd, dev, depth + 1);
		} else if (changed(&st, &dw->start)) {
			dw->found += (unsigned long long)st.st_blocks * 512;
		}
	}
	closedir(d);
}

int
diskwatch_check(void *arg)
{
	struct diskwatch *dw = arg;
	unsigned long long fr = fs_free(dw->dir);
	double t = mono();
	struct stat st;
	int fd;

	if (!(dw->free0 > fr && dw->free0 - fr > dw->limit / 2) &&
	    t - dw->last_walk < WALK_EVERY)
		return 0;
	dw->last_walk = t;
	dw->found = 0;
	fd = open(dw->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	walk(dw, fd, st.st_dev, 0);
	return dw->found > dw->limit;
}
