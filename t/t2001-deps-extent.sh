#!/bin/sh
test_description='pesq-deps: the extent of every function of the fixtures is exact'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ,CC; then
	skip_all='jq and a compiler are needed'
	test_done
fi

# check_extents REPO COMPILE: for each record of out, splicing code back
# gives the file unchanged, and splicing a rewritten body (the same code
# in one more block) gives a tree for which COMPILE still succeeds.
check_extents() {
	n=$(wc -l <out) &&
	test "$n" -gt 0 &&
	i=1 &&
	while [ $i -le "$n" ]
	do
		sed -n "${i}p" out >rec &&
		! jq -e .error rec >/dev/null &&
		file=$(jq -r .def.file rec) &&
		start=$(jq .def.start rec) &&
		end=$(jq .def.end rec) &&
		jq -j .def.code rec >code &&
		splice "$1/$file" $start $end code >spliced &&
		test_cmp "$1/$file" spliced &&
		jq -j ".def.signature + \"\n{\n\t/* rewritten */\n\" +
			.def.code[(.def.signature | length):] + \"\n}\"" \
			rec >new &&
		cp "$1/$file" orig &&
		splice orig $start $end new >"$1/$file" &&
		! test_cmp orig "$1/$file" 2>/dev/null &&
		(cd "$1" && eval "$2") >compile.log 2>&1 ||
		{ cat compile.log; cp orig "$1/$file"; return 1; }
		cp orig "$1/$file" &&
		i=$((i + 1)) || return 1
	done
}

test_expect_success 'setup' '
	deps_repo c &&
	deps_repo cxx
'

test_expect_success 'C: every function' '
	cat >in <<-\EOT &&
	{"fn":"vec_len"}
	{"fn":"grow"}
	{"fn":"vec_push"}
	{"fn":"max2"}
	{"fn":"vec_reduce"}
	{"fn":"vec_fold"}
	{"fn":"vec_sort"}
	{"fn":"helper","hot":{"chain":["a_entry","helper"]}}
	{"fn":"helper","hot":{"chain":["b_entry","helper"]}}
	{"fn":"a_entry"}
	{"fn":"b_entry"}
	{"fn":"add"}
	{"fn":"cmp_real"}
	{"fn":"main"}
	EOT
	pesq-deps -C c in >out &&
	test_line_count = 14 out &&
	check_extents c "for f in src/*.c; do cc -fsyntax-only -Iinclude \$f || exit 1; done"
'

test_expect_success 'C++: every function' '
	cat >in <<-\EOT &&
	{"fn":"geo::Shape::perimeter() const"}
	{"fn":"geo::detail::dist"}
	{"fn":"geo::Box<int>::get"}
	{"fn":"geo::Box<int>::Box(int)"}
	{"fn":"geo::Shape::size"}
	{"fn":"geo::Shape::Shape"}
	{"fn":"int geo::clamp_to<int>(int, int, int)"}
	{"fn":"(anonymous namespace)::twice"}
	{"fn":"run_shapes"}
	EOT
	pesq-deps -C cxx in >out &&
	test_line_count = 9 out &&
	check_extents cxx "c++ -std=c++17 -fsyntax-only shapes.cpp"
'

test_done
