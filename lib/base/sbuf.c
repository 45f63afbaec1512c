#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sbuf.h"
#include "base/xalloc.h"

char sbuf_empty[1];

void
sbuf_init(struct sbuf *sb, size_t hint)
{
	sb->buf = sbuf_empty;
	sb->len = sb->alloc = 0;
	if (hint)
		sbuf_grow(sb, hint);
}

void
sbuf_release(struct sbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sbuf_init(sb, 0);
}

char *
sbuf_detach(struct sbuf *sb, size_t *len)
{
	char *p;

	sbuf_grow(sb, 0);
	p = sb->buf;
	if (len)
		*len = sb->len;
	sbuf_init(sb, 0);
	return p;
}

void
sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t need;

	if (sb->len > SIZE_MAX - extra - 1)
		xmalloc(SIZE_MAX);	/* reports out of memory */
	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	if (!sb->alloc) {
		sb->buf = NULL;
	}
	if (need < sb->alloc * 2)
		need = sb->alloc * 2;
	if (need < 64)
		need = 64;
	sb->buf = xrealloc(sb->buf, need);
	if (!sb->alloc)
		sb->buf[0] = '\0';
	sb->alloc = need;
}

void
sbuf_setlen(struct sbuf *sb, size_t n)
{
	if (!sb->alloc) {
		/* only 0 is possible for the shared empty buffer */
		return;
	}
	sb->len = n;
	sb->buf[n] = '\0';
}

void
sbuf_add(struct sbuf *sb, const void *p, size_t n)
{
	if (!n)
		return;
	sbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sbuf_adds(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void
sbuf_addc(struct sbuf *sb, int c)
{
	sbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void
sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	sbuf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		sbuf_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void
sbuf_rtrim(struct sbuf *sb)
{
	while (sb->len && strchr(" \t\n\r\v\f", sb->buf[sb->len - 1]))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

int
sbuf_getline(struct sbuf *sb, FILE *fp)
{
	int c;

	sbuf_reset(sb);
	for (;;) {
		/* getc_unlocked: one stream, one thread; much faster */
		c = getc_unlocked(fp);
		if (c == EOF)
			break;
		if (c == '\n') {
			sbuf_grow(sb, 0);
			sb->buf[sb->len] = '\0';
			return 1;
		}
		if (sb->len + 1 >= sb->alloc)
			sbuf_grow(sb, 1);
		sb->buf[sb->len++] = (char)c;
	}
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
	if (ferror(fp))
		return -1;
	return sb->len ? 1 : 0;
}

int
sbuf_read_fd(struct sbuf *sb, int fd)
{
	ssize_t n;

	for (;;) {
		sbuf_grow(sb, 65536);
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			sb->buf[sb->len] = '\0';
			return -1;
		}
		if (n == 0)
			break;
		sb->len += (size_t)n;
	}
	sb->buf[sb->len] = '\0';
	return 0;
}

int
sbuf_read_file(struct sbuf *sb, const char *path)
{
	int fd, r, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = sbuf_read_fd(sb, fd);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

int
sbuf_write_file(const struct sbuf *sb, const char *path)
{
	struct sbuf tmp = SBUF_INIT;
	size_t off = 0;
	int fd, saved;

	sbuf_addf(&tmp, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0)
		goto fail;
	while (off < sb->len) {
		ssize_t n = write(fd, sb->buf + off, sb->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail_unlink;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail_unlink;
	}
	fd = -1;
	if (rename(tmp.buf, path) < 0)
		goto fail_unlink;
	sbuf_release(&tmp);
	return 0;

fail_unlink:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
	errno = saved;
fail:
	saved = errno;
	sbuf_release(&tmp);
	errno = saved;
	return -1;
}
