/*
 * Paths as text: lexical normalisation, shared by the code that compares
 * the paths a compiler, a build or debug information give.
 */
#include "base/path.h"

void
path_normalise(char *p)
{
	char *out = p, *s = p;
	int abs = *p == '/';

	while (*s) {
		if (s[0] == '/' && s[1] == '.' && (s[2] == '/' || !s[2])) {
			s += 2;
		} else if (s[0] == '/' && s[1] == '.' && s[2] == '.' &&
			   (s[3] == '/' || !s[3])) {
			while (out > p && *--out != '/')
				;
			s += 3;
		} else if (s[0] == '/' && s[1] == '/') {
			s++;
		} else {
			*out++ = *s++;
		}
	}
	if (out == p && abs)
		*out++ = '/';
	*out = '\0';
}
