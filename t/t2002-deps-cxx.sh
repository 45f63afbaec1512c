#!/bin/sh
test_description='pesq-deps on C++: namespaces, methods, templates, perf names'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_done
fi

test_expect_success 'setup' '
	deps_repo cxx
'

test_expect_success 'names as perf prints them' '
	cat >in <<-\EOT &&
	{"fn":"geo::Shape::perimeter"}
	{"fn":"geo::Shape::perimeter() const"}
	{"fn":"geo::detail::dist"}
	{"fn":"dist"}
	{"fn":"geo::Box<int>::get"}
	{"fn":"geo::Shape::size() const"}
	{"fn":"int geo::clamp_to<int>(int, int, int)"}
	{"fn":"(anonymous namespace)::twice"}
	{"fn":"run_shapes"}
	{"fn":"geo::Shape::Shape(std::vector<geo::Point, std::allocator<geo::Point> >)"}
	{"fn":"geo::Nowhere::perimeter"}
	EOT
	pesq-deps -C cxx in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	geo::Shape::perimeter shapes.cpp 16 24
	geo::Shape::perimeter() const shapes.cpp 16 24
	geo::detail::dist shapes.cpp 8 12
	dist shapes.cpp 8 12
	geo::Box<int>::get shapes.hpp 29 29
	geo::Shape::size() const shapes.hpp 14 14
	int geo::clamp_to<int>(int, int, int) shapes.hpp 19 23
	(anonymous namespace)::twice shapes.cpp 29 33
	run_shapes shapes.cpp 36 43
	geo::Shape::Shape(std::vector<geo::Point, std::allocator<geo::Point> >) shapes.hpp 12 12
	geo::Nowhere::perimeter error: '"'"'geo::Nowhere::perimeter'"'"' has no definition in the repository
	EOT
	test_cmp expect actual
'

test_expect_success 'C++ attributes and template heads start the extent' '
	sed -n "3p;7p" out | jq -r ".def.code" | sed -n "/^\[\[/p;/^template/p" >actual &&
	cat >expect <<-\EOT &&
	[[nodiscard]] double
	template <typename T>
	EOT
	test_cmp expect actual
'

test_expect_success 'methods: types, callees with qualified names, callers' '
	sed -n 1p out >rec &&
	jq -r ".ctx.types[] | .name" rec >actual &&
	echo geo::Shape >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.callees[] | .name" rec >actual &&
	cat >expect <<-\EOT &&
	std::vector::size
	geo::detail::dist
	std::vector::operator[]
	EOT
	test_cmp expect actual &&
	jq -r ".ctx.callers[] | \"\(.name) \(.line)\"" rec >actual &&
	echo "run_shapes 42" >expect &&
	test_cmp expect actual
'

test_expect_success 'a method defined in its class body; members it uses' '
	sed -n 5p out >rec &&
	jq -r ".def.code" rec >actual &&
	echo "T get() const { return clamp_to<T>(v_, T(0), T(100)); }" >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.types[] | .name" rec >actual &&
	echo geo::Box >expect &&
	test_cmp expect actual
'

test_expect_success 'the header is parsed through a file that includes it' '
	sed -n 6p out >rec &&
	jq -r ".ctx.tu, .ctx.flags[0:3][]" rec >actual &&
	printf "%s\n" shapes.cpp -x c++ -std=gnu++17 >expect &&
	test_cmp expect actual
'

test_done
