#ifndef PESQ_XALLOC_H
#define PESQ_XALLOC_H

#include <stddef.h>

/*
 * Allocation wrappers. Running out of memory is the one failure pesq does
 * not try to recover from: each of these prints "pesq: out of memory" to
 * stderr and exits with status 3 when the allocator fails. The caller owns
 * what they return and releases it with free(3).
 */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);

/* realloc for arrays: fails (fatally) on nmemb * size overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);

char *xstrdup(const char *s);

/* Copy at most n bytes of s into a new NUL-terminated string. */
char *xstrndup(const char *s, size_t n);

/* Copy exactly n bytes of p (which may hold NULs) and add a NUL after them. */
char *xmemdupz(const void *p, size_t n);

/*
 * Grow the array *pp of *cap elements of size sz so that it holds at least
 * need elements; growth is geometric.
 */
#define XGROW(pp, need, cap) \
	do { \
		if ((size_t)(need) > (cap)) { \
			size_t xg_n_ = (cap) ? (cap) : 8; \
			while (xg_n_ < (size_t)(need)) \
				xg_n_ *= 2; \
			(pp) = xreallocarray((pp), xg_n_, sizeof(*(pp))); \
			(cap) = xg_n_; \
		} \
	} while (0)

#endif
