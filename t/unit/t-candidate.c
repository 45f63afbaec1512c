#include <string.h>

#include "attempt/buildlog.h"
#include "source/candidate.h"
#include "tap.h"

static const struct {
	const char *fn, *code, *sig, *err;	/* err: NULL for accepted */
} cases[] = {
	{ "f", "int f(void) { return 1; }", "int f(void)", NULL },
	{ "f", "\n\n  static int *\nf ( int a,\tchar  *b )\n{ return 0; }\n\n",
	  "static int*f(int a,char*b)", NULL },
	{ "f", "/* doc; { */\nint f(int a) // }\n{ return a; } /* end */\n",
	  "int f(int a)", NULL },
	{ "f", "int f(void) { char *s = \"}\"; char c = '{'; return 0; }",
	  "int f(void)", NULL },
	{ "f.cold", "int f(void) { return 1; }", "int f(void)", NULL },
	{ "ns::f", "int f(void) { return 1; }", "int f(void)", NULL },
	{ "f", "void __attribute__((x(\"a;b\"))) f(int a[static 4]) { }",
	  "void __attribute__((x(\"a;b\")))f(int a[static 4])", NULL },
	{ "f", "", NULL, "empty candidate" },
	{ "f", " \n\t", NULL, "empty candidate" },
	{ "f", "#include <x.h>\nint f(void) { return 1; }", NULL,
	  "candidate has '#' before the body of 'f': text outside the function" },
	{ "f", "int g; int f(void) { return 1; }", NULL,
	  "candidate has ';' before the body of 'f': text outside the function" },
	{ "f", "int g(void) { return 1; }", NULL,
	  "candidate does not define 'f'" },
	{ "f", "int ff(void) { return 1; }", NULL,
	  "candidate does not define 'f'" },
	{ "f", "int f(void) { return 1; ", NULL,
	  "candidate body of 'f' has unbalanced braces" },
	{ "f", "int f(void);", NULL,
	  "candidate has ';' before the body of 'f': text outside the function" },
	{ "f", "int f(void)", NULL, "candidate has no body for 'f'" },
	{ "f", "int f(void) { } int g(void) { }", NULL,
	  "candidate has text after the body of 'f': text outside the function" },
	{ "f", "```c\nint f(void) { }\n```", NULL,
	  "candidate has '`' before the body of 'f': text outside the function" },
	{ "f", "int x = 1, f(void) { }", NULL,
	  "candidate has '=' before the body of 'f': text outside the function" },
};

int
main(void)
{
	struct sbuf sig = SBUF_INIT, err = SBUF_INIT, log = SBUF_INIT;
	size_t i, off, n;
	const char *out;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *c = cases[i].code;
		int r;

		sbuf_reset(&sig);
		sbuf_reset(&err);
		r = candidate_check(cases[i].fn, c, strlen(c), &off, &n, &sig, &err);
		if (cases[i].err) {
			ok(r < 0, "case %zu refused", i);
			is_str(err.buf, cases[i].err, "case %zu message", i);
		} else {
			ok(r == 0, "case %zu accepted (%s)", i, err.buf);
			is_str(sig.buf, cases[i].sig, "case %zu signature", i);
			ok(off < strlen(c) && strchr("}/", c[off + n - 1]) &&
			   (c[off] == 's' || c[off] == 'i' || c[off] == '/' ||
			    c[off] == 'v'), "case %zu trimmed", i);
		}
	}

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
	sbuf_release(&sig);
	sbuf_release(&err);
	sbuf_release(&log);
	return done_testing();
}
