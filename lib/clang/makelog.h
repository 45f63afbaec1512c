#ifndef PESQ_MAKELOG_H
#define PESQ_MAKELOG_H

#include <stddef.h>

/*
 * Compile commands read from what a build prints: the output of a dry
 * run, `make -n -B -w` (every command make would run, with "Entering
 * directory" lines saying where). Each line is split into commands at
 * ';', '&&', '||' and '|' and into words as sh would (quotes and
 * backslashes; no expansion), `cd DIR` is followed, and a command counts
 * when one of its words is a C or C++ compiler (cc, gcc, g++, c++,
 * clang, clang++, with a target prefix or a version suffix, after
 * ccache, distcc or libtool) and it names a C or C++ source file.
 */
struct makelog_cmd {
	char *dir;		/* absolute: where the command runs */
	char *file;		/* the source file, as written */
	char **argv;		/* the compiler and its arguments, owned */
	size_t argc;
};

/*
 * Parse text[0..len) run from directory dir (absolute; the first
 * "Entering directory" line wins) into *out (the caller frees it with
 * makelog_free). Returns the number of commands. Cannot fail but for
 * allocation, which is fatal.
 */
size_t makelog_parse(const char *text, size_t len, const char *dir,
		     struct makelog_cmd **out);

void makelog_free(struct makelog_cmd *v, size_t n);

#endif
