#include <string.h>

#include "clang/makelog.h"
#include "base/sbuf.h"
#include "tap.h"

/* The commands of log, one line each: "dir|file|arg arg ...". */
static void
parse_case(const char *log, const char *want, const char *what)
{
	struct makelog_cmd *v;
	struct sbuf got = SBUF_INIT;
	size_t i, j, n = makelog_parse(log, strlen(log), "/top", &v);

	for (i = 0; i < n; i++) {
		sbuf_addf(&got, "%s|%s|", v[i].dir, v[i].file);
		for (j = 0; j < v[i].argc; j++)
			sbuf_addf(&got, "%s%s", j ? " " : "", v[i].argv[j]);
		sbuf_addc(&got, '\n');
	}
	is_str(got.buf, want, "%s", what);
	makelog_free(v, n);
	sbuf_release(&got);
}

int
main(void)
{
	parse_case("make: Entering directory '/w/mk'\n"
		   "cc -O2 -DFEATURE -Iinclude -c -o src/core.o src/core.c\n"
		   "make -C lib\n"
		   "make[1]: Entering directory '/w/mk/lib'\n"
		   "cc -I../include '-DUTIL_NAME=\"util lib\"' -c util.c\n"
		   "ar rcs libutil.a util.o\n"
		   "make[1]: Leaving directory '/w/mk/lib'\n"
		   "cc -o prog src/core.o lib/libutil.a\n",
		   "/w/mk|src/core.c|cc -O2 -DFEATURE -Iinclude -c -o "
		   "src/core.o src/core.c\n"
		   "/w/mk/lib|util.c|cc -I../include -DUTIL_NAME=\"util lib\" "
		   "-c util.c\n",
		   "directories, quotes, links and archives left out");
	parse_case("cd build && /usr/bin/c++ -DX=1 -I/s/inc -o a.o -c "
		   "/s/a.cc\n",
		   "/top/build|/s/a.cc|/usr/bin/c++ -DX=1 -I/s/inc -o a.o -c "
		   "/s/a.cc\n", "cd before the compiler");
	parse_case("ccache x86_64-linux-gnu-gcc-12 -c \\\n  -DA a.c; "
		   "CC=1 clang-14 -c b.c && echo gcc -c c.c\n",
		   "/top|a.c|x86_64-linux-gnu-gcc-12 -c -DA a.c\n"
		   "/top|b.c|clang-14 -c b.c\n",
		   "wrappers, targets, versions, continuations; echo is no "
		   "compiler");
	parse_case("/bin/bash ../libtool --tag=CC --mode=compile gcc "
		   "-DHAVE_X -c -o x.lo x.c\n",
		   "/top|x.c|gcc -DHAVE_X -c -o x.lo x.c\n", "libtool");
	parse_case("gcc -c \"dir with space/f.c\" -I \"inc dir\"\n",
		   "/top|dir with space/f.c|gcc -c dir with space/f.c -I "
		   "inc dir\n", "double quotes");
	parse_case("", "", "empty");
	parse_case("printf 'cc -c x.c\\n'\nsed s/a/b/ gcc.c\n", "",
		   "a compiler only as the command");
	return done_testing();
}
