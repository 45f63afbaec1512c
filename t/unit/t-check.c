/*
 * Unit tests for lib/check: the text of a differential check's program
 * (harness), the flags it is built with, the hex of an input, and the
 * signs that threads are involved (sanitize_threads).
 */
#include <string.h>

#include "check/diffcheck.h"
#include "check/harness.h"
#include "check/sanitize.h"
#include "tap.h"

static const char *
renamed(const char *code, const char *from)
{
	static struct sbuf sb = SBUF_INIT;
	struct sbuf to = SBUF_INIT;

	sbuf_reset(&sb);
	harness_orig_name(from, &to);
	harness_rename(code, strlen(code), from, to.buf, &sb);
	sbuf_release(&to);
	return sb.buf;
}

static const char *
flags(const char *const *in, size_t n, const char *from, const char *to)
{
	static struct sbuf sb = SBUF_INIT;
	struct harness_argv a = { NULL, 0, 0 };

	harness_flags((char *const *)in, n, from, to, &a);
	sbuf_reset(&sb);
	for (size_t i = 0; i < a.n; i++)
		sbuf_addf(&sb, "%s%s", i ? " " : "", a.v[i]);
	harness_argv_release(&a);
	return sb.buf;
}

static int
threads(const char *json, const char *why)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct sbuf w = SBUF_INIT;
	const char *msg;
	size_t off;
	int r = -1;

	if (jsonl_parse(&rec, json, strlen(json), &off, &msg) == 0) {
		r = sanitize_threads(&rec, NULL, &w);
		if (why && strcmp(w.buf ? w.buf : "", why)) {
			printf("# why: '%s'\n", w.buf ? w.buf : "");
			r = -1;
		}
	}
	jsonl_rec_release(&rec);
	sbuf_release(&w);
	return r;
}

int
main(void)
{
	struct sbuf s = SBUF_INIT, in = SBUF_INIT;
	struct harness_parts p = { 0 };

	is_str(renamed("long\nf(int n)\n{\n\treturn n ? f(n - 1) + 1 : 0;"
		       "\n}", "f"),
	       "long\npesq_orig_f(int n)\n{\n\treturn n ? pesq_orig_f(n - 1) "
	       "+ 1 : 0;\n}", "the name and the recursive call are renamed");
	is_str(renamed("int f2(int f) { /* f */ return g(\"f\", 'f', f_x, "
		       "f); } // f", "f"),
	       "int f2(int pesq_orig_f) { /* f */ return g(\"f\", 'f', f_x, "
	       "pesq_orig_f); } // f",
	       "only whole identifiers outside comments and literals; the "
	       "parameter f is renamed");
	ok(strstr(renamed("int f(int f) { return f; }", "f"),
		  "pesq_orig_f(int pesq_orig_f)") != NULL,
	   "a parameter of the same name is renamed with it (harmless)");
	is_str(renamed("char *s = \"a\\\"f\"; f();", "f"),
	       "char *s = \"a\\\"f\"; pesq_orig_f();",
	       "escaped quotes do not end a literal");

	p.fn = "f";
	p.file = "src/a.c";
	p.unit = "int f(void) { return 1; }";
	p.unit_len = strlen(p.unit);
	p.orig = "inline int\nf(void)\n{\n\treturn 2;\n}";
	p.orig_line = 7;
	p.check = "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)\n"
	    "{ return f() - pesq_orig_f(); }\n";
	p.check_name = "pesq/check/f.c";
	harness_source(&p, &s);
	{
		const char *head = "#line 1 \"src/a.c\"\nint f(void) { "
		    "return 1; }\n";

		ok(!strncmp(s.buf, head, strlen(head)),
		   "the unit comes first, named as itself");
	}
	ok(strstr(s.buf, "#line 7 \"src/a.c@orig\"\nstatic inline int\n"
		  "pesq_orig_f(void)") != NULL,
	   "then the original, renamed, static when it was C99 inline");
	ok(strstr(s.buf, "\nint LLVMFuzzerTestOneInput(const uint8_t *data, "
		  "size_t size);\n#line 1 \"pesq/check/f.c\"\nint "
		  "LLVMFuzzerTestOneInput") != NULL,
	   "then the entry point declared, and the check");
	sbuf_reset(&s);
	p.cxx = 1;
	p.orig = "static int\nf(void)\n{\n\treturn 2;\n}";
	harness_source(&p, &s);
	ok(strstr(s.buf, "\"src/a.c@orig\"\nstatic int\npesq_orig_f") &&
	   strstr(s.buf, "extern \"C\" int LLVMFuzzerTestOneInput"),
	   "C++: the entry point is extern \"C\"; a static original stays");

	{
		const char *f1[] = {
			"-x", "c", "-std=gnu11", "-I/home/u/proj/include",
			"-Iinclude", "-I", "/usr/include/foo", "-DNDEBUG",
			"-D", "X=1", "-O2", "-g", "-Wall", "-fsanitize=address",
			"-fno-strict-aliasing", "-ferror-limit=0", "-w",
			"-working-directory=/home/u/proj/build", "-include",
			"/home/u/proj/config.h", "-march=native", "-pthread",
		};

		is_str(flags(f1, sizeof(f1) / sizeof(*f1), "/home/u/proj",
			     "/w/slot-0"),
		       "-std=gnu11 -I/w/slot-0/include -I/w/slot-0/build/include "
		       "-I /usr/include/foo -DNDEBUG -D X=1 -fno-strict-aliasing "
		       "-include /w/slot-0/config.h -march=native -pthread",
		       "flags: kept what builds the unit, paths moved to the "
		       "worktree, relative ones from -working-directory");
	}

	sbuf_reset(&in);
	sbuf_add(&in, "\x00\x01\xfe\xff", 4);
	sbuf_reset(&s);
	diffcheck_hex(&in, 4, &s);
	is_str(s.buf, "0001feff", "an input in hex");
	sbuf_reset(&s);
	diffcheck_hex(&in, 2, &s);
	is_str(s.buf, "0001...", "cut, and said so");

	is_int(threads("{\"def\":{\"code\":\"int f(void) { return 0; }\"}}",
		       ""), 0, "no threads in plain code");
	is_int(threads("{\"candidate\":{\"code\":\"#pragma omp parallel for\\n"
		       "\"},\"def\":{\"code\":\"x\"}}",
		       "the candidate uses #pragma omp"), 1,
	       "threads in the candidate");
	is_int(threads("{\"def\":{\"code\":\"pthread_create(&t, 0, g, 0);\"}}",
		       "the original uses pthread_create"), 1,
	       "threads in the original");
	is_int(threads("{\"ctx\":{\"flags\":[\"-O2\",\"-pthread\"]}}",
		       "the file is compiled with -pthread"), 1,
	       "threads in the flags");
	sbuf_release(&s);
	sbuf_release(&in);
	return done_testing();
}
