#ifndef PESQ_SBUF_H
#define PESQ_SBUF_H

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>

/*
 * A growable byte buffer. buf always points to len bytes followed by a NUL
 * (so it can be used as a C string when it holds none itself); an empty
 * buffer that never grew points to a shared read-only "" and owns nothing.
 * Allocation failure is fatal (see xalloc.h); nothing else can fail except
 * the I/O functions, which say so in their return value.
 */
struct sbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char sbuf_empty[];
#define SBUF_INIT { sbuf_empty, 0, 0 }

void sbuf_init(struct sbuf *sb, size_t hint);

/* Free the memory and leave sb empty and reusable. */
void sbuf_release(struct sbuf *sb);

/* Hand the string to the caller (who frees it) and leave sb empty. */
char *sbuf_detach(struct sbuf *sb, size_t *len);

/* Make room for extra more bytes (plus the NUL). */
void sbuf_grow(struct sbuf *sb, size_t extra);

/* Set the length to n, which must not exceed len + available room. */
void sbuf_setlen(struct sbuf *sb, size_t n);
#define sbuf_reset(sb) sbuf_setlen((sb), 0)

void sbuf_add(struct sbuf *sb, const void *p, size_t n);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_addc(struct sbuf *sb, int c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);

/* Remove trailing whitespace (space, \t, \n, \r, \v, \f). */
void sbuf_rtrim(struct sbuf *sb);

/*
 * Read one line from fp into sb, replacing its contents; the newline is
 * not stored (a '\r' before it is kept: callers decide about CRLF). Lines
 * of any length. Returns 1 when a line was read (also a last line without
 * a newline), 0 at end of file, -1 on a read error (errno set).
 */
int sbuf_getline(struct sbuf *sb, FILE *fp);

/* Append all of fd / the file at path. 0 on success, -1 with errno set. */
int sbuf_read_fd(struct sbuf *sb, int fd);
int sbuf_read_file(struct sbuf *sb, const char *path);

/*
 * Write the buffer to path atomically: to a temporary file in the same
 * directory, then rename(2). 0 on success, -1 with errno set (and no
 * temporary left behind).
 */
int sbuf_write_file(const struct sbuf *sb, const char *path);

#endif
