/*
 * Recognise inputs that are not JSON lines, for one clear message.
 */
#include <string.h>

#include "base/notjson.h"

static int
isdigit_(int c)
{
	return (unsigned)c - '0' < 10;
}

/* "a;b;c 123": frames, a space, a count (perhaps a '\r'). */
static int
folded(const char *s, size_t n)
{
	size_t e = n, d;

	while (e > 0 && (s[e - 1] == '\r' || s[e - 1] == ' ' ||
			 s[e - 1] == '\t'))
		e--;
	d = e;
	while (d > 0 && isdigit_(s[d - 1]))
		d--;
	return d < e && d > 1 && s[d - 1] == ' ' && s[0] != '{' &&
		s[0] != '[' && s[0] != ' ' && s[0] != '\t';
}

/* "comm 123 [000] 1.5: 250000 cpu-clock:ppp: ": ends in a colon. */
static int
perf_header(const char *s, size_t n)
{
	size_t e = n, i;

	while (e > 0 && strchr(" \t\r", s[e - 1]))
		e--;
	if (!e || s[e - 1] != ':' || s[0] == '{' || s[0] == '[')
		return 0;
	for (i = 0; i < e; i++)
		if (isdigit_(s[i]))
			return 1;
	return 0;
}

const char *
notjson_kind(const char *line, size_t len, int first)
{
	if (memchr(line, '\0', len))
		return "binary data (a NUL byte)";
	if (!first)
		return NULL;
	if (folded(line, len))
		return "folded stacks (pesq-hot makes records of them)";
	if (perf_header(line, len))
		return "'perf script' output (fold it with pesq-fold, then "
			"pesq-hot)";
	return NULL;
}
