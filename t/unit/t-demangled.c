#include <string.h>

#include "source/demangled.h"
#include "tap.h"

static void
norm_case(const char *in, int want_ret, const char *want)
{
	struct sbuf out = SBUF_INIT;
	int r = demangled_norm(in, &out);

	is_int(r, want_ret, "kind of '%s'", in);
	is_str(out.buf, want, "normal form of '%s'", in);
	sbuf_release(&out);
}

static void
match_case(const char *pat, const char *in, int tail, int want)
{
	struct sbuf s = SBUF_INIT;

	demangled_norm(in, &s);
	is_int(demangled_match(pat, s.buf, tail), want, "'%s' against '%s'",
	       pat, in);
	sbuf_release(&s);
}

int
main(void)
{
	static const char str[] = "std::basic_string<char,std::char_traits"
		"<char>,std::allocator<char>>";
	char want[256];

	snprintf(want, sizeof(want),
		 "ns::Compress(char const*,unsigned long,%s*)", str);
	norm_case("ns::Compress(char const*, unsigned long, std::string*)",
		  1, want);
	norm_case("ns::Compress(char const*, unsigned long, std::__cxx11::"
		  "basic_string<char, std::char_traits<char>, "
		  "std::allocator<char> >*)", 1, want);
	norm_case("(anonymous namespace)::X(int)", 1,
		  "(anonymous namespace)::X(int)");
	norm_case("a::(anonymous namespace)::B<int>::X(int) const", 1,
		  "a::(anonymous namespace)::B<int>::X(int)const");
	norm_case("Foo<int>::bar() const", 1, "Foo<int>::bar()const");
	norm_case("int geo::clamp_to<int>(int, int, int)", 1,
		  "geo::clamp_to(int,int,int)");
	norm_case("unsigned long ns::g<std::vector<int> >(int) [clone .isra.0]",
		  1, "ns::g(int)");
	norm_case("f(void)", 1, "f()");
	norm_case("foo.isra.0", 0, "foo");
	norm_case("ns::Box<int>::get", 0, "ns::Box<int>::get");
	norm_case("std::__cxx11::basic_string<char, std::char_traits<char>, "
		  "std::allocator<char> > ns::f[abi:cxx11](int)", 1,
		  "ns::f(int)");
	norm_case("ns::A::operator<(ns::A const&) const", 1,
		  "ns::A::operator<(ns::A const&)const");
	norm_case("ns::A::operator()(int) &&", 1, "ns::A::operator()(int)&&");
	norm_case("ns::A::operator int() const", 1,
		  "ns::A::operator int()const");
	norm_case("ns::A::~A()", 1, "ns::A::~A()");
	norm_case("f(int", -1, "");

	snprintf(want, sizeof(want), "ns::Compress(char const*,unsigned long,"
		 "%s*)", str);
	match_case(want, "ns::Compress(char const*, unsigned long, "
		   "std::string*)", 0, 0);
	match_case("ns::Compress(char const*,unsigned long,std::vector<int,"
		   "std::allocator<int>>*)", "ns::Compress(char const*, "
		   "unsigned long, std::string*)", 0, -1);
	match_case("Foo<@>::bar()const", "Foo<long>::bar() const", 0, 1);
	match_case("Foo<@>::bar()const", "Foo<long>::bar()", 0, -1);
	match_case("Foo<int>::bar()const", "Foo<long>::bar() const", 0, -1);
	match_case("geo::clamp_to(?,?,?)", "int geo::clamp_to<int>(int, int, "
		   "int)", 0, 3);
	match_case("f(? const&)", "f(std::vector<int, std::allocator<int> > "
		   "const&)", 0, 1);
	match_case("f(?*)", "f(int const*)", 0, 1);
	match_case("f(?,int)", "f(long, double)", 0, -1);
	match_case("f(?,int)", "f(std::pair<int, int>, int)", 0, 1);
	match_case("f(@)", "f(int, char)", 0, 1);
	match_case("f(@)", "f()", 0, 1);
	match_case("(anonymous namespace)::Compress(int)", "ns::Compress(int)",
		   1, -1);
	match_case("(anonymous namespace)::Compress(int)",
		   "(anonymous namespace)::Compress(int)", 1, 0);
	match_case("ns::Compress(int)", "(anonymous namespace)::Compress(int)",
		   1, -1);
	match_case("ns::Compress(int)", "Compress(int)", 1, 1000);
	match_case("ns::Compress(int)", "Compress(int)", 0, -1);
	match_case("a::b::f(int)", "b::f(int)", 1, 1000);
	return done_testing();
}
