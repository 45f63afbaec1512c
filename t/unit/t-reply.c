/* Unit tests for lib/reply.c (extraction) and lib/dotenv.c. */
#include <string.h>

#include "base/dotenv.h"
#include "llm/reply.h"
#include "tap.h"

static const char *
name(const char *fn)
{
	static struct sbuf sb = SBUF_INIT;

	sbuf_reset(&sb);
	reply_fn_name(fn, &sb);
	return sb.buf;
}

static const char *
code(const char *text, const char *fn)
{
	static struct sbuf sb = SBUF_INIT;

	reply_code(text, strlen(text), fn, &sb);
	return sb.buf;
}

static const char *
summary(const char *text)
{
	static struct sbuf sb = SBUF_INIT;

	sbuf_reset(&sb);
	reply_summary(text, strlen(text), &sb);
	return sb.buf;
}

static const char *
dotenv(const char *line)
{
	static struct sbuf k = SBUF_INIT, v = SBUF_INIT, out = SBUF_INIT;
	int r = dotenv_parse_line(line, &k, &v);

	sbuf_reset(&out);
	sbuf_addf(&out, "%d %s=%s", r, k.buf, v.buf);
	return out.buf;
}

int
main(void)
{
	static const struct { const char *text, *fn, *want; } codes[] = {
		{ "```c\nint f(int x)\n{\n\treturn x;\n}\n```\n", "f",
		  "int f(int x)\n{\n\treturn x;\n}\n" },
		{ "no fences at all: int f(void) { }", "f", "" },
		{ "```\nint f(void) { return 0; }\n", "f", "" },
		{ "```c\nint g(void) { return f(1); }\n```\n", "f", "" },
		{ "```c\nint f(int);\n```\n", "f", "" },
		{ "```c\nif (f(x)) { y(); }\n```\n", "f", "" },
		{ "old:\n```c\nint f(void) { return 1; }\n```\nnew:\n"
		  "```c\nint f(void) { return 2; }\n```\n", "f",
		  "int f(void) { return 2; }\n" },
		{ "```c\nint f(void) { return 1; }\n```\nuse:\n"
		  "```c\nx = f();\n```\n", "f", "int f(void) { return 1; }\n" },
		{ "~~~cpp\nvoid Vec::push(int v) const noexcept\n{ }\n~~~\n",
		  "ns::Vec<int>::push(int) const", "void Vec::push(int v) const "
		  "noexcept\n{ }\n" },
		{ "````\nstatic int foo(int (*cb)(int), int n) {\n```\n}\n````\n",
		  "foo.constprop.0", "static int foo(int (*cb)(int), int n) "
		  "{\n```\n}\n" },
		{ "```c\nint ff(void) { }\nint f_(void) { }\n```\n", "f", "" },
	};
	static const struct { const char *text, *want; } sums[] = {
		{ "Summary: hoisted the load\n```c\nx\n```\n",
		  "hoisted the load" },
		{ "**Summary:** unrolled by 4.\n", "unrolled by 4." },
		{ "## Summary: vectorized\n", "vectorized" },
		{ "```c\nSummary: inside\n```\nSummary: outside\n", "outside" },
		{ "\nThe loop now runs backwards.\nSummary\n", "The loop now "
		  "runs backwards." },
		{ "Here's a faster version of `f`. It hoists the load. And "
		  "more.\n```c\nx\n```\n", "It hoists the load." },
		{ "Sure! Here is the code.\n", "Sure!" },
		{ "The main costs are the per-character `switch` in the "
		  "counting loop and the `sprintf` for control characters.\n",
		  "The main costs are the per-character `switch` in the "
		  "counting loop..." },
		{ "```c\nint f;\n```\n", "" },
		{ "", "" },
	};
	size_t i;

	is_str(name("foo"), "foo", "plain name");
	is_str(name("foo.isra.0"), "foo", "clone suffix dropped");
	is_str(name("ns::Vec<std::pair<int,int>>::push_back(int const&)"),
	       "push_back", "C++ qualified name");
	is_str(name("std::sort<int*>"), "sort", "template arguments dropped");
	is_str(name("operator<"), "operator<", "operators kept");
	ok(reply_defines("int f(void)\n{", 13, "f"), "defines: brace");
	ok(!reply_defines("f(1);", 5, "f"), "call is no definition");
	ok(!reply_defines("g(f(1)) {", 9, "f"), "argument is no definition");
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		is_str(code(codes[i].text, codes[i].fn), codes[i].want,
		       "code %zu", i);
	for (i = 0; i < sizeof(sums) / sizeof(sums[0]); i++)
		is_str(summary(sums[i].text), sums[i].want, "summary %zu", i);
	is_str(dotenv("A=b"), "1 A=b", "dotenv bare");
	is_str(dotenv("export  K_1 = v w  # c"), "1 K_1=v w", "dotenv export, "
	       "comment");
	is_str(dotenv("K='a # b'"), "1 K=a # b", "dotenv single quotes");
	is_str(dotenv("K=\"a\\nb\\\"\""), "1 K=a\nb\"", "dotenv double quotes");
	is_str(dotenv("K=a#b"), "1 K=a#b", "dotenv # inside a word");
	is_str(dotenv("# K=v"), "0 =", "dotenv comment");
	is_str(dotenv("   "), "0 =", "dotenv blank");
	is_str(dotenv("K"), "-1 K=", "dotenv no =");
	is_str(dotenv("K=\"open"), "-1 K=open", "dotenv unterminated");
	return done_testing();
}
