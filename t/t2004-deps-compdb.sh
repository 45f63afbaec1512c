#!/bin/sh
test_description='pesq-deps takes compile flags from compile_commands.json'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_done
fi

test_expect_success 'setup: a function whose body depends on -D' '
	mkdir -p d/inc d/lib &&
	cat >d/inc/conf.h <<-\EOT &&
	#ifdef FAST
	#define STEP 8
	typedef unsigned long word;
	#else
	#define STEP 1
	typedef unsigned char word;
	#endif
	EOT
	cat >d/lib/sum.c <<-\EOT &&
	#include "conf.h"

	#ifdef FAST
	static long
	sum(const word *p, long n)
	{
		long s = 0, i;

		for (i = 0; i < n; i += STEP)
			s += p[i];
		return s;
	}
	#else
	static long
	sum(const word *p, long n)
	{
		return n ? p[0] + sum(p + 1, n - 1) : 0;
	}
	#endif

	long
	total(const word *p, long n)
	{
		return sum(p, n);
	}
	EOT
	(cd d && git init -q && git add . && git commit -q -m d) &&
	echo "{\"fn\":\"sum\"}" >in
'

test_expect_success 'without a database: guessed flags, the #else branch' '
	pesq-deps -C d in >out &&
	jq -r ".def.line, .ctx.flags_guessed, (.ctx.types[] | .code), (.ctx.macros[] | .code)" out >actual &&
	cat >expect <<-\EOT &&
	14
	true
	typedef unsigned char word;
	EOT
	test_cmp expect actual
'

test_expect_success 'with compile_commands.json in build/: -DFAST is honoured' '
	root=$(cd d && pwd -P) &&
	mkdir d/build &&
	cat >d/build/compile_commands.json <<-EOT &&
	[{"directory": "$root/build",
	  "command": "cc -DFAST -I../inc -O2 -MMD -MF sum.d -c -o sum.o ../lib/sum.c",
	  "file": "../lib/sum.c"}]
	EOT
	pesq-deps -C d in >out &&
	jq -r ".def.line, .ctx.flags_guessed, (.ctx.types[] | .code), (.ctx.macros[] | .code)" out >actual &&
	cat >expect <<-\EOT &&
	4
	false
	typedef unsigned long word;
	#define STEP 8
	EOT
	test_cmp expect actual &&
	jq -r ".ctx.flags | join(\" \")" out >actual &&
	echo "-DFAST -I../inc -O2 -working-directory=$root/build -ferror-limit=0 -w" >expect &&
	test_cmp expect actual
'

test_expect_success '-p names the build directory' '
	mv d/build d/out &&
	pesq-deps -C d in >out &&
	jq -r ".def.line" out >actual &&
	echo 14 >expect &&
	test_cmp expect actual &&
	pesq-deps -C d -p d/out in >out &&
	jq -r ".def.line" out >actual &&
	echo 4 >expect &&
	test_cmp expect actual
'

test_expect_success '-v names the database it reads' '
	pesq-deps -v -C d -p d/out/ in >out 2>err &&
	test_grep "^pesq-deps: .*, flags d/out/compile_commands.json$" err
'

test_expect_success '-X adds a compiler argument' '
	pesq-deps -C d -X -DFAST -X -Id/inc in >out &&
	jq -r ".def.line" out >actual &&
	echo 4 >expect &&
	test_cmp expect actual
'

test_expect_success 'errors in unrelated code are counted, extraction goes on' '
	cat >>d/lib/sum.c <<-\EOT &&

	int broken(void) { return undeclared_thing + ; }
	EOT
	(cd d && git commit -q -a -m broken) &&
	pesq-deps -C d in >out &&
	jq -r ".def.line, .ctx.diagnostics" out >actual &&
	printf "%s\n" 14 2 >expect &&
	test_cmp expect actual
'

test_done
