#!/bin/sh
test_description='pesq-deps: names made by token pasting, types named by a typedef'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_done
fi

test_expect_success 'setup' '
	deps_repo paste
'

test_expect_success 'a name pasted by a macro (lz_##x) is found, exactly' '
	cat >in <<-\EOT &&
	{"fn":"lz_update"}
	{"fn":"zx_step"}
	{"fn":"lz_run"}
	{"fn":"lz_nothing"}
	EOT
	pesq-deps -q -C paste in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	lz_update src/stream.c 4 9
	zx_step src/stream.c 11 15
	lz_run src/stream.c 17 21
	lz_nothing error: '"'"'lz_nothing'"'"' has no definition in the repository
	EOT
	test_cmp expect actual &&
	sed -n 1p out | jq -r .def.signature >actual &&
	printf "%s\n" int "NS(update)(struct lz_state *st, int n)" >expect &&
	test_cmp expect actual
'

test_expect_success 'and its callees, by their pasted names' '
	sed -n 3p out | jq -r ".ctx.callees[] | .name" >actual &&
	printf "%s\n" lz_update zx_step >expect &&
	test_cmp expect actual
'

test_expect_success 'a typedef'"'"'d anonymous enum: named by its typedef, with it' '
	echo "{\"fn\":\"is_fast\"}" >in &&
	pesq-deps -q -C paste in >out &&
	jq -r ".ctx.types[] | .name, .line, .code" out >actual &&
	printf "lz_mode\n4\ntypedef enum {\n\tMODE_FAST,\n\tMODE_SMALL\n} lz_mode;\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'reached by the typedef and by a constant: listed once' '
	echo "{\"fn\":\"pick\"}" >in &&
	pesq-deps -q -C paste in >out &&
	jq -r ".ctx.types[] | .name" out >actual &&
	printf "%s\n" lz_params lz_mode >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.types[0].code" out >actual &&
	printf "typedef struct {\n\tint level;\n\tlz_mode mode;\n} lz_params;\n" >expect &&
	test_cmp expect actual
'

test_done
