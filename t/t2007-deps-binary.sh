#!/bin/sh
test_description='pesq-deps --binary: ties between files go to what the profiled program was built from'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_done
fi

test_expect_success 'setup: main in three files, hot in two; the bench built elsewhere' '
	deps_repo mains &&
	git clone -q mains build &&
	(cd build && cc -g -O0 -Ilib -o bench prog/bench.c lib/hot.c &&
	 cc -g0 -O0 -Ilib -o bench-nodebug prog/bench.c lib/hot.c &&
	 cc -g -O2 -Ilib -o bench-O2 prog/bench.c lib/hot.c) &&
	cat >in <<-\EOT
	{"fn":"main"}
	{"fn":"hot","hot":{"chain":["main","hot"]}}
	EOT
'

test_expect_success 'without the binary: ambiguous, and main in the chain decides nothing' '
	pesq-deps -C mains in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	main error: '"'"'main'"'"' is ambiguous: defined in prog/bench.c:10, tools/check.c:8, tools/version.c:3
	hot error: '"'"'hot'"'"' is ambiguous: defined in lib/hot.c:9, tools/check.c:2
	EOT
	test_cmp expect actual
'

test_expect_success 'the compile units of the binary decide' '
	pesq-deps -C mains --binary build/bench in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	main prog/bench.c 10 14
	hot lib/hot.c 9 17
	EOT
	test_cmp expect actual
'

test_expect_success 'without debug information, the symbol table'"'"'s file names' '
	pesq-deps -C mains -b build/bench-nodebug in >out &&
	fields out >actual &&
	test_cmp expect actual
'

test_expect_success 'several binaries: the union of their sources' '
	pesq-deps -C mains -b build/bench-nodebug --binary build/bench in >out &&
	fields out >actual &&
	test_cmp expect actual
'

test_expect_success 'both files built in: the one whose function has code' '
	echo "{\"fn\":\"twice\"}" >in2 &&
	pesq-deps -C mains in2 >out &&
	fields out >actual &&
	echo "twice error: '"'"'twice'"'"' is ambiguous: defined in lib/hot.c:3, prog/bench.c:4" >expect &&
	test_cmp expect actual &&
	pesq-deps -C mains --binary build/bench-O2 in2 >out &&
	fields out >actual &&
	echo "twice lib/hot.c 3 7" >expect &&
	test_cmp expect actual
'

test_expect_success 'a binary that is not ELF, or missing: exit 3, named' '
	test_expect_code 3 pesq-deps -C mains --binary in in >out 2>err &&
	test_must_be_empty out &&
	echo "pesq-deps: '"'"'in'"'"' is not an ELF file" >expect &&
	test_cmp expect err &&
	test_expect_code 3 pesq-deps -C mains --binary nowhere in 2>err &&
	test_grep "cannot open '"'"'nowhere'"'"'" err
'

test_done
