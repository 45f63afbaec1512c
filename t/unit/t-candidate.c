#include <string.h>

#include "attempt/buildlog.h"
#include "source/candidate.h"
#include "source/candrules.h"
#include "tap.h"

static const char orig[] =
	"#include <stdio.h>\n"
	"#include \"util.h\"\n"
	"\n"
	"#define LIMIT 10\n"
	"static int count;\n"
	"\n"
	"/* The sum of v[0..n). */\n"
	"long\nsum(const int *v, int n)\n{\n\tlong s = 0;\n"
	"\tfor (int i = 0; i < n; i++)\n\t\ts += v[i];\n\treturn s;\n}\n"
	"\n"
	"int\ntwice(int x)\n{\n\treturn 2 * x + count + LIMIT;\n}\n";

#define F "long sum(const int *v, int n) { return v[0] + n; }"

/*
 * fn, code; then err (NULL for accepted) or, when accepted, the
 * signature and a piece of the new file (the text around the splice).
 */
static const struct {
	const char *fn, *code, *err, *sig, *has;
} cases[] = {
	{ "sum", F, NULL, "long sum(const int*v,int n)",
	  "static int count;\n\n/* The sum of v[0..n). */\n" F "\n\nint\n" },
	{ "sum", "\n\n  static int *\nsum ( int a,\tchar  *b )\n{ return 0; }\n\n",
	  NULL, "static int*sum(int a,char*b)", "). */\nstatic int *\nsum (" },
	{ "sum", "/* doc; { */\nlong sum(int a) // }\n{ return a; } /* end */\n",
	  NULL, "long sum(int a)", "). */\n/* doc; { */\nlong sum(int a) // }" },
	{ "sum", "long sum(void) { char *s = \"}\"; char c = '{'; return 0; }",
	  NULL, "long sum(void)", "char c = '{'" },
	{ "sum.cold", F, NULL, "long sum(const int*v,int n)", F },
	{ "ns::sum", F, NULL, "long sum(const int*v,int n)", F },
	/* helpers, tables, types, macros, includes */
	{ "sum", "#include <string.h>\n\nstatic int h1(int x) { return x; }\n"
	  "static inline int h2(int x) { return h1(x); }\n"
	  "static const int tab[4] = { 1, 2, 3, 4 };\n" F,
	  NULL, "long sum(const int*v,int n)",
	  "#include <stdio.h>\n#include <string.h>\n#include \"util.h\"\n" },
	{ "sum", "#include <string.h>\nstatic int h1(int x) { return x; }\n" F,
	  NULL, NULL, "static int count;\n\nstatic int h1(int x) { return x; }"
	  "\n\n/* The sum of v[0..n). */\n" F "\n\nint\n" },
	/* the original's comment stays right above it, once */
	{ "sum", "static int h1(int x) { return x; }\n\n"
	  "/* The sum of v[0..n). */\n" F, NULL, NULL,
	  "static int count;\n\nstatic int h1(int x) { return x; }"
	  "\n\n/* The sum of v[0..n). */\n" F "\n\nint\n" },
	{ "sum", "/* The sum of v[0..n). */\n" F, NULL, NULL,
	  "static int count;\n\n/* The sum of v[0..n). */\n" F "\n\nint\n" },
	{ "sum", "#include <stdio.h>\n#include <stdio.h>\n" F, NULL, NULL,
	  "#include <stdio.h>\n#include \"util.h\"\n\n#define" },
	{ "sum", "typedef struct pair { int a, b; } pair_t;\n"
	  "enum mode { M_FAST, M_SLOW = 3 };\nstatic pair_t cache[8];\n"
	  "static int (*hook)(int);\nstruct node;\n" F, NULL, NULL,
	  "enum mode { M_FAST" },
	{ "sum", "#define SQ(x) ((x) * (x))\n" F "\n#undef SQ\n", NULL, NULL,
	  "#define SQ(x) ((x) * (x))\n\n/* The sum of v[0..n). */\n" F
	  "\n#undef SQ\n\nint" },
	{ "sum", "static int h(int);\n" F "\nstatic int h(int x) { return x; }",
	  "candidate has 'h' (line 3 of the reply) after the body of 'sum': "
	  "new items go before it", NULL, NULL },
	{ "sum", "static int h(int);\nstatic int h(int x) { return x; }\n" F,
	  NULL, NULL, "static int h(int);\n" },
	{ "sum", "long sum(const int *v, int n);\n" F, NULL, NULL, NULL },
	{ "sum", "static __attribute__((unused)) int hx[2] = {0};\n"
	  "static int __attribute__((noinline)) hf(void) { return 1; }\n" F,
	  NULL, NULL, NULL },
	/* refusals, each naming the item */
	{ "sum", "", "empty candidate", NULL, NULL },
	{ "sum", " \n\t", "empty candidate", NULL, NULL },
	{ "sum", "int helper(int x) { return x; }\n" F,
	  "candidate adds a non-static function 'helper' (line 1 of the "
	  "reply): new helpers must be static", NULL, NULL },
	{ "sum", "static int a;\nint g = 3;\n" F,
	  "candidate adds a non-static variable 'g' (line 2 of the reply): "
	  "new variables must be static", NULL, NULL },
	{ "sum", "extern int count;\n" F,
	  "candidate declares 'count' extern (line 1 of the reply): only "
	  "static items may be added", NULL, NULL },
	{ "sum", "static int count;\n" F,
	  "candidate redefines 'count' (line 1 of the reply), which 'sum.c' "
	  "already has (line 5): new items need new names, and what the "
	  "file has is not repeated", NULL, NULL },
	{ "sum", "static int twice(int x) { return x + x; }\n" F,
	  "candidate redefines 'twice'", NULL, NULL },
	{ "sum", "static int LIMIT(void) { return 1; }\n" F,
	  "candidate redefines 'LIMIT' (line 1 of the reply), which 'sum.c' "
	  "already has (line 4)", NULL, NULL },
	{ "sum", "#define LIMIT 20\n" F "\n#undef LIMIT",
	  "candidate redefines the macro 'LIMIT' (line 1 of the reply), "
	  "which 'sum.c' already has (line 4)", NULL, NULL },
	{ "sum", "#define SQ(x) ((x) * (x))\n" F,
	  "candidate leaves the macro 'SQ' defined (line 1 of the reply): "
	  "#undef it after its last use", NULL, NULL },
	{ "sum", F "\n#undef LIMIT",
	  "candidate undefines 'LIMIT' (line 2 of the reply), which it did "
	  "not define", NULL, NULL },
	{ "sum", "long sum(const int *v, int n) {\n#define T 1\nreturn T; }",
	  "candidate leaves the macro 'T' defined (line 2", NULL, NULL },
	{ "sum", "static int a;\nstatic int a;\n" F,
	  "candidate defines 'a' twice (lines 1 and 2 of the reply)", NULL,
	  NULL },
	{ "sum", "#include \"util.h\"\n" F,
	  "candidate includes \"util.h\" (line 1 of the reply): only system "
	  "headers (#include <name>) may be added", NULL, NULL },
	{ "sum", "#include </etc/passwd>\n" F,
	  "candidate includes </etc/passwd> (line 1 of the reply): a "
	  "header's name may not be absolute or hold '..'", NULL, NULL },
	{ "sum", "#include <../x.h>\n" F, "hold '..'", NULL, NULL },
	{ "sum", "#pragma GCC optimize(\"O3\")\n" F,
	  "candidate has the directive '#pragma' (line 1 of the reply): only "
	  "#include <...>, #define and #undef may be added", NULL, NULL },
	{ "sum", "static int g(int);\n" F,
	  "candidate declares the function 'g' (line 1 of the reply) but "
	  "does not define it as a static function", NULL, NULL },
	{ "sum", "int g(void) { return 1; }",
	  "candidate does not define 'sum' (it defines 'g')", NULL, NULL },
	{ "sum", "long summ(void) { return 1; }",
	  "candidate does not define 'sum' (it defines 'summ')", NULL, NULL },
	{ "sum", "long sum(void) { return 1; ",
	  "candidate body of 'sum' has unbalanced braces", NULL, NULL },
	{ "sum", "long sum(void)", "candidate has no body for 'sum'", NULL,
	  NULL },
	{ "sum", "long sum(void);", "candidate does not define 'sum'", NULL,
	  NULL },
	{ "sum", F "\nint g(void) { return 1; }",
	  "candidate has 'g' (line 2 of the reply) after the body of 'sum': "
	  "new items go before it", NULL, NULL },
	{ "sum", F "\n" F, "candidate defines 'sum' twice (lines 1 and 2 "
	  "of the reply)", NULL, NULL },
	{ "sum", "```c\n" F "\n```",
	  "candidate has '`' (line 1 of the reply): a Markdown fence is not "
	  "code", NULL, NULL },
	{ "sum", "namespace fast { static int h(int x) { return x; } }\n" F,
	  "candidate opens the namespace 'fast' (line 1 of the reply): helpers "
	  "are static or in an anonymous namespace", NULL, NULL },
	{ "sum", "using namespace std;\n" F,
	  "candidate has 'using' at file scope (line 1 of the reply)", NULL,
	  NULL },
	{ "sum", "} " F, "candidate has unbalanced braces (line 1 of the "
	  "reply)", NULL, NULL },
	/* prose before the function is its head: the signature differs */
	{ "sum", "Here is the faster version\n" F, NULL,
	  "Here is the faster version long sum(const int*v,int n)", NULL },
};

/* C++: anonymous namespaces. */
static const struct {
	const char *code, *err;
} cxx[] = {
	{ "namespace {\nint h(int x) { return x; }\nconst int k = 3;\n}\n" F,
	  NULL },
	{ "namespace {\n" F "\n}", "candidate puts 'sum' in an anonymous "
	  "namespace (line 2 of the reply): that changes its linkage" },
	{ "template <typename T> static T hmax(T a, T b) { return a < b ? b : a; }\n" F,
	  NULL },
	{ "int h(int x) { return x; }\n" F,
	  "candidate adds a non-static function 'h'" },
	{ "int Box::get() const { return 1; }\n" F,
	  "candidate adds a non-static function 'Box::get'" },
};

static void
one(const char *fn, const char *code, int cxxfile, const char *err,
    const char *sig, const char *has, size_t i)
{
	const char *st = strstr(orig, "long\nsum(");
	const char *en = strstr(orig, "}\n\nint\ntwice") + 1;
	struct cand_splice cs = { fn, "sum.c", orig, sizeof(orig) - 1,
				  (size_t)(st - orig), (size_t)(en - orig),
				  cxxfile };
	struct sbuf out = SBUF_INIT, s = SBUF_INIT, e = SBUF_INIT;
	int r = candidate_splice(&cs, code, strlen(code), &out, &s, &e);

	if (err) {
		ok(r < 0, "case %zu refused", i);
		ok(strstr(e.buf, err) != NULL, "case %zu message: got '%s', "
		   "want '%s'", i, e.buf, err);
		ok(out.len == 0, "case %zu: nothing written", i);
	} else {
		ok(r == 0, "case %zu accepted (%s)", i, e.buf);
		if (sig)
			is_str(s.buf, sig, "case %zu signature", i);
		if (has)
			ok(strstr(out.buf, has) != NULL, "case %zu spliced: "
			   "'%s'", i, out.buf);
		ok(out.len > 100 && strstr(out.buf, "twice(int x)\n{\n") &&
		   !strstr(out.buf, "\ts += v[i];"), "case %zu: the rest kept",
		   i);
	}
	sbuf_release(&out);
	sbuf_release(&s);
	sbuf_release(&e);
}

int
main(void)
{
	struct sbuf log = SBUF_INIT, rules = SBUF_INIT;
	size_t i;
	const char *out;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		one(cases[i].fn, cases[i].code, 0, cases[i].err,
		    cases[i].sig, cases[i].has, i);
	for (i = 0; i < sizeof(cxx) / sizeof(cxx[0]); i++)
		one("sum", cxx[i].code, 1, cxx[i].err, NULL, NULL, 100 + i);
	one("sum", "namespace {\nstatic int h(int x) { return x; }\n}\n" F,
	    0, "candidate opens the namespace ''", NULL, NULL, 200);
	candrules_text(&rules);
	ok(!strncmp(rules.buf, "- ", 2) && rules.buf[rules.len - 1] == '\n' &&
	   !strchr(rules.buf, '*') && !strchr(rules.buf, '_'),
	   "the rules: lines, no scdoc markup");
	sbuf_release(&rules);

	out = "CC a.c\nCC b.c\nb.c: In function 'g':\n"
		"/w/slot-0/b.c:3:5: error: 'x' undeclared\n"
		"    3 |   x = 1;\n      |   ^\n"
		"b.c:3:5: note: each undeclared identifier\n"
		"make: *** [Makefile:2: b.o] Error 1\n";
	buildlog_extract(out, strlen(out), "/w/slot-0/", 4096, &log);
	is_str(log.buf, "b.c: In function 'g':\n"
	       "b.c:3:5: error: 'x' undeclared\n"
	       "    3 |   x = 1;\n      |   ^\n"
	       "make: *** [Makefile:2: b.o] Error 1\n",
	       "error lines first with context, paths stripped");
	sbuf_reset(&log);
	out = "line 1\nline 2\nline 3\nFAIL: something\n";
	buildlog_extract(out, strlen(out), NULL, 4096, &log);
	is_str(log.buf, out, "no error lines: the output's tail");
	sbuf_reset(&log);
	buildlog_extract(out, strlen(out), NULL, 30, &log);
	is_str(log.buf, "...\nFAIL: something\n", "the tail, bounded");
	sbuf_reset(&log);
	out = "a.c:1:1: error: one two three four five six seven\n"
		"a.c:2:1: error: one two three four five six seven\n";
	buildlog_extract(out, strlen(out), NULL, 70, &log);
	is_str(log.buf, "a.c:1:1: error: one two three four five six seven\n"
	       "...\n", "error lines, bounded");
	ok(log.len <= 70, "within the bound");
	sbuf_release(&log);
	return done_testing();
}
