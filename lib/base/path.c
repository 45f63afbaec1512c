/*
 * Paths: lexical normalisation, shared by the code that compares the
 * paths a compiler, a build or debug information give; and making a
 * directory with its parent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/path.h"
#include "base/xalloc.h"

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

int
path_mkdirs(const char *dir)
{
	char *p = xstrdup(dir), *s = strrchr(p, '/');

	if (s && s != p) {
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
	}
	free(p);
	return mkdir(dir, 0777) < 0 && errno != EEXIST ? -1 : 0;
}
