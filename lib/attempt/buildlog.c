#include <stdlib.h>
#include <string.h>

#include "attempt/buildlog.h"
#include "base/xalloc.h"

#define CONTEXT 3

static const char *
memstr(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(s + i, needle, k))
			return s + i;
	return NULL;
}

static int
is_error(const char *s, size_t n)
{
	return memstr(s, n, "error:") || memstr(s, n, "Error:") ||
		memstr(s, n, "undefined reference") ||
		(memstr(s, n, "make") && memstr(s, n, "*** ") &&
		 memstr(s, n, "Error"));
}

/* "file:123:" at the start of a line (a diagnostic of its own). */
static int
is_diag(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != ':' && s[i] != ' ')
		i++;
	if (i == 0 || i + 1 >= n || s[i] != ':' ||
	    s[i + 1] < '0' || s[i + 1] > '9')
		return 0;
	return 1;
}

/* Append line s[0..n) with strip removed and a newline, within max. */
static int
add_line(struct sbuf *log, size_t base, size_t max, const char *s, size_t n,
	 const char *strip)
{
	size_t k = strip ? strlen(strip) : 0, start = log->len, i = 0;
	const char *p;

	while (i < n) {
		p = k ? memstr(s + i, n - i, strip) : NULL;
		if (!p) {
			sbuf_add(log, s + i, n - i);
			break;
		}
		sbuf_add(log, s + i, (size_t)(p - (s + i)));
		i = (size_t)(p - s) + k;
	}
	sbuf_addc(log, '\n');
	if (log->len - base > max) {
		sbuf_setlen(log, start);
		return -1;
	}
	return 0;
}

struct line {
	const char *s;
	size_t n;
};

void
buildlog_extract(const char *out, size_t len, const char *strip,
		 size_t max, struct sbuf *log)
{
	struct line *l = NULL;
	size_t nl = 0, cap = 0, i, j, base = log->len, room;
	unsigned char *take;
	const char *p = out, *end = out + len, *q;
	int found = 0;

	if (max < 8)
		return;
	room = max - 4;	/* for "...\n" */
	while (p < end) {
		q = memchr(p, '\n', (size_t)(end - p));
		if (!q)
			q = end;
		if (cap == nl) {
			cap = cap ? 2 * cap : 64;
			l = xreallocarray(l, cap, sizeof(*l));
		}
		l[nl].s = p;
		l[nl++].n = (size_t)(q - p);
		p = q + 1;
	}
	take = xcalloc(nl + 1, 1);
	for (i = 0; i < nl; i++) {
		if (!is_error(l[i].s, l[i].n))
			continue;
		found = 1;
		take[i] = 1;
		if (i > 0 && memstr(l[i - 1].s, l[i - 1].n, "In function"))
			take[i - 1] = 1;
		for (j = i + 1; j < nl && j <= i + CONTEXT; j++) {
			if (is_diag(l[j].s, l[j].n) || is_error(l[j].s, l[j].n))
				break;
			take[j] = 1;
		}
	}
	if (!found) {
		/* the tail: as many last lines as fit */
		size_t sum = 0;

		for (i = nl; i > 0 && sum + l[i - 1].n + 1 <= room - 4; i--)
			sum += l[i - 1].n + 1;
		for (j = i; j < nl; j++)
			take[j] = 1;
		if (i > 0)
			sbuf_adds(log, "...\n");
	}
	for (i = 0; i < nl; i++) {
		if (!take[i])
			continue;
		if (add_line(log, base, room, l[i].s, l[i].n, strip) < 0) {
			sbuf_adds(log, "...\n");
			break;
		}
	}
	free(take);
	free(l);
}
