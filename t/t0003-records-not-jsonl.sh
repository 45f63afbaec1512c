#!/bin/sh
test_description='every record filter reports input that is not JSON lines once'
. ./test-lib.sh

test_expect_success 'setup: a repository and inputs of the wrong kind' '
	git init -q repo &&
	(cd repo && test_commit one) &&
	printf "PERFILE2\0\0\0\1\0garbage\n{}\n" >repo/perf.data &&
	printf "main;f;g 10\nmain;f 3\n" >repo/stacks.folded
'

# filter and the options it needs to start in repo/
for f in "pesq-deps" "pesq-prompt" "pesq-llm --provider replay -m m" \
	"pesq-apply" "pesq-bench --sandbox off --bench true"
do
	name=${f%% *}
	test_expect_success "$name: binary input: one message, exit 1" "
		(cd repo && test_expect_code 1 $f perf.data >../out 2>../err) &&
		test_must_be_empty out &&
		echo '$name: perf.data:1: binary data (a NUL byte), not JSON lines: rest of input skipped' >expect &&
		test_cmp expect err
	"
	test_expect_success "$name: folded stacks: one message, exit 1" "
		(cd repo && test_expect_code 1 $f <stacks.folded >../out 2>../err) &&
		test_must_be_empty out &&
		test_line_count = 1 err &&
		test_grep 'folded stacks' err
	"
done

test_done
