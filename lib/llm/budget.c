#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/sbuf.h"
#include "llm/budget.h"

/* Read the counts of fd (empty: zeros) into b. 0, or -1 with errno. */
static int
load(struct budget *b, int fd)
{
	struct sbuf sb = SBUF_INIT;
	char *line, *save = NULL;
	int ret = 0;

	b->tokens = b->requests = 0;
	b->cost = 0;
	b->priced = 0;
	if (lseek(fd, 0, SEEK_SET) < 0 || sbuf_read_fd(&sb, fd) < 0) {
		sbuf_release(&sb);
		return -1;
	}
	for (line = strtok_r(sb.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[16], *end;
		const char *v;
		size_t n = strcspn(line, " ");

		if (n == 0 || n >= sizeof(name) || !line[n])
			goto bad;
		memcpy(name, line, n);
		name[n] = '\0';
		v = line + n + 1;
		/* every value is a number; names we do not know are kept
		 * for nobody (a later pesq's) */
		if (!strcmp(name, "tokens"))
			b->tokens = strtoll(v, &end, 10);
		else if (!strcmp(name, "requests"))
			b->requests = strtoll(v, &end, 10);
		else
			(void)strtod(v, &end);
		if (end == v || *end)
			goto bad;
		if (!strcmp(name, "cost")) {
			b->cost = strtod(v, NULL);
			b->priced = 1;
		}
	}
	goto out;
bad:
	errno = EINVAL;
	ret = -1;
out:
	sbuf_release(&sb);
	return ret;
}

static int
store(const struct budget *b, int fd)
{
	struct sbuf sb = SBUF_INIT;
	ssize_t w;
	int ret = 0;

	sbuf_addf(&sb, "tokens %lld\nrequests %lld\n", b->tokens, b->requests);
	if (b->priced)
		sbuf_addf(&sb, "cost %.6f\n", b->cost);
	w = pwrite(fd, sb.buf, sb.len, 0);
	if (w < 0 || (size_t)w != sb.len || ftruncate(fd, (off_t)sb.len) < 0)
		ret = -1;
	sbuf_release(&sb);
	return ret;
}

/*
 * Apply f to the counts: in memory, or in the file under an exclusive
 * lock (read, f, write). f returns 1 to leave the counts unchanged.
 */
static int
update(struct budget *b, int (*f)(struct budget *, void *), void *arg)
{
	int fd, r, e;

	if (!b->path)
		return f(b, arg);
	if ((fd = open(b->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0)
		return -1;
	if (flock(fd, LOCK_EX) < 0 || load(b, fd) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	r = f(b, arg);
	if (r == 0 && store(b, fd) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (close(fd) < 0)
		return -1;
	return r;
}

static int
take(struct budget *b, void *arg)
{
	if (b->limit && b->tokens >= b->limit)
		return 1;
	b->tokens += *(long long *)arg;
	b->requests++;
	return 0;
}

int
budget_take(struct budget *b, long long est)
{
	return update(b, take, &est);
}

struct settle {
	long long delta;
	int failed, priced;
	double cost;
};

static int
settle(struct budget *b, void *arg)
{
	const struct settle *s = arg;

	b->tokens += s->delta;
	if (b->tokens < 0)
		b->tokens = 0;
	if (s->failed && b->requests > 0)
		b->requests--;
	if (s->priced) {
		b->cost += s->cost;
		b->priced = 1;
	}
	return 0;
}

int
budget_settle(struct budget *b, long long est, long long tokens, int failed,
	      int priced, double cost)
{
	struct settle s = { tokens - est, failed, priced, cost };

	return update(b, settle, &s);
}
