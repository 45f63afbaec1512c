#!/bin/sh
test_description='pesq-deps: flags of a make-built project from its build (make -n, bear)'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_done
fi
command -v make >/dev/null 2>&1 && test_set_prereq MAKE
command -v bear >/dev/null 2>&1 && test_set_prereq BEAR

test_expect_success 'setup: -D flags only the Makefile knows; a checkout elsewhere' '
	deps_repo makeproj &&
	git clone -q makeproj other &&
	root=$(cd makeproj && pwd -P) &&
	cat >in <<-\EOT
	{"fn":"feature_sum"}
	{"fn":"extra_level"}
	{"fn":"util_hash"}
	EOT
'

test_expect_success 'guessed flags: the #ifdef function is missing, #error stops the parse' '
	pesq-deps -C makeproj in >out 2>err &&
	jq -r "if .error then .error.msg else [.fn, .ctx.flags_from, .ctx.diagnostics] | @tsv end" out >actual &&
	cat >expect <<-EOT &&
	'"'"'feature_sum'"'"' has no definition in the repository
	extra_level	guessed	1
	'"'"'util_hash'"'"' has no definition in the repository
	EOT
	test_cmp expect actual &&
	test_grep "the flags are guessed; .bear -- make. makes compile_commands.json" err
'

test_expect_success MAKE 'a dry run made in another checkout: its flags, moved here' '
	(cd other && make -n -B -w) >dry.log &&
	pesq-deps -C makeproj --make-log dry.log in >out 2>err &&
	test_must_be_empty err &&
	jq -r "[.fn, .def.file, .def.line, .ctx.flags_from, .ctx.flags_guessed, .ctx.diagnostics] | @tsv" out >actual &&
	printf "%s\t%s\t%s\tmake -n\tfalse\t0\n" \
		feature_sum src/core.c 6 \
		extra_level src/extra.c 3 \
		util_hash lib/util.c 6 >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.flags | join(\" \")" out >actual &&
	cat >expect <<-EOT &&
	-O2 -DFEATURE -DLEVEL=3 -Iinclude -working-directory=$root -ferror-limit=0 -w
	-O2 -DFEATURE -DLEVEL=3 -Iinclude -working-directory=$root -ferror-limit=0 -w
	-O2 -DUTIL_WIDE -I../include -DLEVEL=1 -DUTIL_NAME="util lib" -working-directory=$root/lib -ferror-limit=0 -w
	EOT
	test_cmp expect actual &&
	sed -n 2p out | jq -r ".def.code" >actual &&
	test_grep "return LEVEL \* 2;" actual
'

test_expect_success MAKE '-v says where the flags come from' '
	pesq-deps -v -C makeproj -m dry.log in >out 2>err &&
	test_grep "flags make -n output in dry.log$" err
'

test_expect_success MAKE 'a header is parsed with a neighbour'"'"'s flags' '
	echo "{\"fn\":\"main\"}" | pesq-deps -C makeproj -m dry.log >out &&
	jq -r ".ctx.types[0].name, .ctx.flags_from" out >actual &&
	printf "%s\n" state_t "make -n" >expect &&
	test_cmp expect actual
'

test_expect_success BEAR 'bear'"'"'s compile_commands.json, called so' '
	mkdir bear &&
	(cd other && bear --output ../bear/compile_commands.json -- make -B) >bear.log 2>&1 &&
	pesq-deps -C makeproj -p bear --flags-from bear in >out 2>err &&
	test_must_be_empty err &&
	jq -r "[.fn, .def.file, .ctx.flags_from, .ctx.diagnostics] | @tsv" out >actual &&
	printf "%s\t%s\tbear\t0\n" feature_sum src/core.c extra_level src/extra.c \
		util_hash lib/util.c >expect &&
	test_cmp expect actual
'

test_expect_success 'a database of another checkout: generated directories stay there' '
	other=$(cd other && pwd -P) &&
	mkdir -p other/gen db &&
	echo "#define GENERATED 1" >other/gen/gen.h &&
	cat >db/compile_commands.json <<-EOT &&
	[{"directory": "$other",
	  "command": "cc -DFEATURE -DLEVEL=3 -I$other/include -I$other/gen -c -o src/core.o $other/src/core.c",
	  "file": "$other/src/core.c"}]
	EOT
	echo "{\"fn\":\"feature_sum\"}" | pesq-deps -C makeproj -p db >out &&
	jq -r ".ctx.flags | join(\" \")" out >actual &&
	echo "-DFEATURE -DLEVEL=3 -I$root/include -I$other/gen -working-directory=$root -ferror-limit=0 -w" >expect &&
	test_cmp expect actual
'

test_expect_success 'a make log with no compile command: guessed, and said' '
	echo "make: Nothing to be done for '"'"'all'"'"'." >empty.log &&
	pesq-deps -C makeproj -m empty.log in >out 2>err &&
	test_grep "the flags are guessed" err &&
	jq -r ".ctx.flags_from // empty" out >actual &&
	echo guessed >expect &&
	test_cmp expect actual
'

test_expect_success 'a make log that cannot be read: exit 3' '
	test_expect_code 3 pesq-deps -C makeproj -m no-such.log in >out 2>err &&
	test_must_be_empty out &&
	test_grep "pesq-deps: cannot open '"'"'no-such.log'"'"'" err
'

test_done
