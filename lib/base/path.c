/*
 * Paths: lexical normalisation, shared by the code that compares the
 * paths a compiler, a build or debug information give; and making a
 * directory with its parent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/path.h"
#include "base/sbuf.h"
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

int
path_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		access(path, X_OK) == 0;
}

int
path_on_path(const char *prog)
{
	const char *path = getenv("PATH");
	struct sbuf f = SBUF_INIT;
	int yes = 0;

	for (const char *p = path ? path : ""; *p && !yes;) {
		size_t n = strcspn(p, ":");

		sbuf_reset(&f);
		sbuf_addf(&f, "%.*s/%s", n ? (int)n : 1, n ? p : ".", prog);
		yes = path_executable(f.buf);
		p += n + (p[n] == ':');
	}
	sbuf_release(&f);
	return yes;
}
