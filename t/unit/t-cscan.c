#include <stdlib.h>
#include <string.h>

#include "source/cscan.h"
#include "tap.h"

static void
name_case(const char *in, const char *want, int nparams)
{
	struct sbuf q = SBUF_INIT;
	int n = cscan_fn_name(in, &q);

	is_str(q.buf, want, "name of '%s'", in);
	is_int(n, nparams, "parameters of '%s'", in);
	sbuf_release(&q);
}

int
main(void)
{
	static const char src[] =
		"#include <x.h>\n"
		"/* f( */ static int a(int x) { return b(x) + \"c(\"[0]; }\n"
		"struct s { int (*fp)(int); };\n"
		"int t[] = { 1, 2 };\n"
		"int A::m(int y) const : z(y), w(2) { if (y) { g(); } }\n"
		"#define M(x) b(x)\n"
		"void h(void) { p->b(1); q.b(2); b (3); }\n";
	size_t n = strlen(src), *calls, k;
	struct cscan_fn *fns;
	const char *attr = "int x;\n/* doc */\n__attribute__((hot)) [[gnu::cold]] HOT static int f(void) {}";
	const char *mac = "int x;\nDECLARE(y)\nstatic int f(void) {}";

	k = cscan_functions(src, n, &fns);
	is_int((int)k, 3, "three functions");
	ok(k == 3 && fns[0].name_len == 1 && src[fns[0].name_off] == 'a',
	   "the first is a");
	ok(k == 3 && !strncmp(src + fns[0].start, "static int a", 12),
	   "it starts after the comment");
	ok(k == 3 && fns[1].name_len == 4 &&
	   !strncmp(src + fns[1].name_off, "A::m", 4),
	   "a qualified name, past the initialisers");
	ok(k == 3 && src[fns[1].end - 1] == '}' &&
	   src[fns[1].end] == '\n', "the body ends at its brace");
	ok(k == 3 && cscan_name_is(src, &fns[1], "m") &&
	   !cscan_name_is(src, &fns[1], "A"), "name_is takes the last part");
	free(fns);

	k = cscan_calls(src, n, "b", 0, &calls);
	is_int((int)k, 2, "calls of b, not members, not in strings or macros");
	free(calls);
	k = cscan_calls(src, n, "b", 1, &calls);
	is_int((int)k, 4, "calls of b, members too");
	free(calls);

	ok(cscan_has_word(src, n, "fp") && !cscan_has_word(src, n, "truct"),
	   "whole words only");
	is_int((int)cscan_decl_prefix(attr, strlen(attr),
				      (size_t)(strstr(attr, "static") - attr)),
	       (int)(strstr(attr, "__attr") - attr),
	       "the prefix takes attributes and macros, not the comment");
	is_int((int)cscan_decl_prefix(mac, strlen(mac),
				      (size_t)(strstr(mac, "static") - mac)),
	       (int)(strstr(mac, "static") - mac),
	       "a macro call is not part of the prefix");
	is_int((int)cscan_line(src, (size_t)(strstr(src, "struct") - src)), 3,
	       "line numbers");

	name_case("foo", "foo", -1);
	name_case("foo.isra.0", "foo", -1);
	name_case("foo.constprop.0.cold", "foo", -1);
	name_case("ns::Box<int, std::less<int> >::get() const",
		  "ns::Box::get", 0);
	name_case("int ns::max<int>(int, int)", "ns::max", 2);
	name_case("(anonymous namespace)::f(char const*)", "f", 1);
	name_case("f(void)", "f", 0);
	name_case("foo [clone .isra.0]", "foo", -1);
	name_case("A::operator()(int)", "A::operator()", 1);
	is_str(cscan_last_component("a::b::c"), "c", "last component");
	return done_testing();
}
