#!/bin/sh
test_description='pesq-prompt --parallel: a version on threads, and its rules

The request names the thread count and the rules that make a parallel
version safe and measurable (ThreadSanitizer, wall time, the order of
floating-point sums, a serial fallback); which threads it may use follows
the flags the build compiles the file with (ctx.flags).'
. ./test-lib.sh

FIX=$SRC_ROOT/t/fixtures/prompt

# user FILE: the user message of the record in FILE.
user() {
	jq -r ".prompt.messages[1].content" "$1"
}

# with_flags FLAGS: the leaf record with ctx.flags set to FLAGS (JSON).
with_flags() {
	jq -c --argjson f "$1" ".ctx.flags = \$f" "$FIX/leaf.jsonl"
}

test_expect_success JQ '--parallel --threads 3: the template asks for 3 threads' '
	pesq-prompt --parallel --threads 3 "$FIX/leaf.jsonl" >out &&
	jq -r ".prompt.mode, .prompt.threads" out >actual &&
	printf "optimize\n3\n" >expect &&
	test_cmp expect actual &&
	user out >msg &&
	head -n 1 msg >first &&
	echo "Task: make the function \`dist2\` (src/geom.c:12) faster by running the independent iterations of its hot loop on 3 threads." >expect &&
	test_cmp expect first &&
	test_grep "At most 3 threads in all, the calling thread included" msg &&
	test_grep "ThreadSanitizer" msg &&
	test_grep "wall-clock time" msg &&
	test_grep "never change the order of the" msg &&
	test_grep "combine the$" msg &&
	test_grep "run the serial loop" msg &&
	test_grep "Nothing beyond the C library and POSIX threads" msg
'

test_expect_success JQ 'the serial prompt is unchanged, and has no threads member' '
	pesq-prompt "$FIX/leaf.jsonl" >serial &&
	jq -r ".prompt.threads" serial >actual &&
	echo null >expect &&
	test_cmp expect actual &&
	user serial | head -n 1 >first &&
	echo "Task: make the function \`dist2\` (src/geom.c:12) faster." >expect &&
	test_cmp expect first &&
	jq -r .prompt.id out >a && jq -r .prompt.id serial >b &&
	! test_cmp a b
'

test_expect_success JQ 'OpenMP only when the file is compiled with -fopenmp' '
	with_flags "[\"-O2\",\"-fopenmp\"]" >omp.jsonl &&
	pesq-prompt --parallel --threads 2 omp.jsonl >omp.out &&
	user omp.out >omp &&
	test_grep "compiled with -fopenmp, so an" omp &&
	with_flags "[\"-O2\",\"-pthread\"]" >pth.jsonl &&
	pesq-prompt --parallel --threads 2 pth.jsonl >pth.out &&
	user pth.out >pth &&
	test_grep "compiled with -pthread: use POSIX" pth &&
	test_grep "no OpenMP" pth &&
	test_grep ! "pragma" pth &&
	with_flags "\"-O2 -g\"" >none.jsonl &&
	pesq-prompt --parallel --threads 2 none.jsonl >none.out &&
	user none.out >none &&
	test_grep "no OpenMP" none &&
	test_grep "linked with -pthread, which your" none
'

test_expect_success JQ 'the thread count defaults to the online CPUs' '
	pesq-prompt --parallel "$FIX/leaf.jsonl" >def &&
	jq -r .prompt.threads def >actual &&
	getconf _NPROCESSORS_ONLN >expect &&
	test_cmp expect actual
'

test_expect_success JQ 'a correction of a parallel version says what was asked' '
	pesq-prompt --parallel --threads 2 "$FIX/unsafe.jsonl" >corr &&
	jq -r ".prompt.mode, .prompt.threads" corr >actual &&
	printf "correct\n2\n" >expect &&
	test_cmp expect actual &&
	user corr | head -n 1 >first &&
	test_grep "^Task: you were asked to make .* faster by running the independent iterations of its hot loop on 2 threads" first
'

test_expect_success 'usage errors' '
	test_expect_code 2 pesq-prompt --parallel --check "$FIX/leaf.jsonl" 2>err &&
	test_grep "exclude each other" err &&
	test_expect_code 2 pesq-prompt --threads 2 "$FIX/leaf.jsonl" 2>err &&
	test_grep "needs --parallel" err &&
	test_expect_code 2 pesq-prompt --parallel --threads 0 "$FIX/leaf.jsonl" 2>err &&
	test_grep "invalid thread count" err
'

test_expect_success 'the template is dumped and read back' '
	pesq-prompt --dump-templates tpl &&
	test_cmp "$FIX/templates/optimize-parallel.txt" tpl/optimize-parallel.txt &&
	printf "Use {{threads}} threads for {{fn}}: {{threading}}\n" \
		>tpl/optimize-parallel.txt &&
	pesq-prompt -t tpl --parallel --threads 4 "$FIX/leaf.jsonl" >own &&
	user own >msg &&
	test_grep "^Use 4 threads for dist2: use POSIX threads" msg
'

test_done
