#!/bin/sh
test_description='git pesq run --parallel: a loop on threads, judged on wall time

The sample project with its second program, blocksum, whose hot function
sum_blocks sums independent blocks; the model, played by fake-llm,
answers with the race-free 2-thread version shipped with the sample. The
targets are the hot functions that hold a loop; the request asks for
threads; the candidate goes through ThreadSanitizer and is then judged
on wall time, with its CPU time beside it.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
if [ "$cpus" -lt 2 ]; then
	skip_all="only $cpus CPU online: a 2-thread version cannot be faster on wall time here"
	test_done
fi

REPLIES=$SRC_ROOT/t/fixtures/sample/pesq/replies

# code_of_reply FILE: the code block of a canned reply.
code_of_reply() {
	sed -n "/^\`\`\`c\$/,/^\`\`\`\$/p" "$1" | sed "1d;\$d"
}

test_expect_success 'pesq-loops.jq: a loop holding the heaviest hot line' '
	loops="$SRC_ROOT/scripts/pesq-loops.jq" &&
	for f in a b c d e
	do
		echo "{\"fn\":\"$f\",\"def\":{\"line\":10,\"code\":\"\"}}" ||
		return 1
	done >recs &&
	jq -c --arg a "int
a(void)
{
	/* for ( */
	while (getopt(c, v) != -1) {
		x();
	}
	sum(&j);
	for (i = 0; i < n; i++)
		y(i);
}" --arg b "int b(void) { return g(\"for (\"); }" \
	   "if .fn == \"a\" or .fn == \"c\" or .fn == \"d\" then .def.code = \$a
	    else .def.code = \$b end
	    | if .fn == \"c\" then .def.hot_lines = [{line: 17, count: 9},
		{line: 19, count: 1}]
	      elif .fn == \"d\" then .def.hot_lines = [{line: 19, count: 9},
		{line: 17, count: 1}] else . end
	    | if .fn == \"e\" then .role = \"parent\" | .def.code = \$a
	      else . end" recs >in.jsonl &&
	jq -r -f "$loops" in.jsonl | jq -r .fn >kept &&
	printf "a\nd\n" >expect &&
	test_cmp expect kept &&
	jq -r --arg what dropped -f "$loops" in.jsonl >dropped &&
	printf "b\nc\ne\n" >expect &&
	test_cmp expect dropped
'

test_expect_success 'setup' '
	code_of_reply "$REPLIES/sum_blocks.txt" >par.c &&
	grep pthread_create par.c &&
	# count_word is hottest but holds no loop; sum_blocks does
	cat >stacks.folded <<-\EOF &&
	wordfreq;main;count_file;count_line;count_word 9500
	blocksum;main;sum_blocks 9000
	EOF
	new_repo r1 &&
	git -C r1 config pesq.bench "./blocksum -r 1000 bench.txt" &&
	git -C r1 config pesq.test "make test" &&
	git -C r1 config --unset pesq.sanitize &&
	reply "Task: make the function \`sum_blocks\`" par.c >script
'

test_expect_success 'the loop-holding target, asked for 2 threads, timed on wall time' '
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r1 &&
		git pesq run -v --parallel --threads 2 --no-chain -n 1 \
			-S ../stacks.folded >../out 2>../err
	) &&
	test_grep "targets: skipped, no loop to run on threads: .*count_word" err &&
	test_grep "sum_blocks: ask the model (fake) for a version on 2 threads" err &&
	(cd r1 && git pesq log --json) >log.jsonl &&
	jq -r "[.fn, .metric, .threads] | @tsv" log.jsonl >actual &&
	printf "sum_blocks\twall\t2\n" >expect &&
	test_cmp expect actual &&
	# did its two threads get two CPUs at once in the A/B? Not when
	# other sessions keep the CPUs busy (the scheduler shares them out
	# by session, not by thread): then no speedup can be asked for.
	r=$(jq -r ".cpu_median.cand / .bench_median.cand" log.jsonl) &&
	echo "# the candidate ran with CPU time / wall time $r in the A/B" &&
	if jq -n -e "$r >= 1.5" >/dev/null
	then
		test_set_prereq TWO_CPUS_IN_THE_AB
	fi
'

test_expect_success TWO_CPUS_IN_THE_AB 'it is accepted on wall time (where its threads had 2 CPUs)' '
	grep "^sum_blocks  *leaf  *1  accepted" out &&
	jq -r .verdict log.jsonl >actual &&
	echo accepted >expect &&
	test_cmp expect actual
'

test_expect_success 'the request asked for threads' '
	jq -r ".body.messages[-1].content" fake.log >asked &&
	test_grep "^Task: make the function .sum_blocks. (sums.c:[0-9]*) faster by running the independent iterations of its hot loop on 2 threads" asked &&
	test_grep "compiled with -pthread: use POSIX" asked &&
	test_grep "At most 2 threads in all" asked
'

test_expect_success 'ThreadSanitizer ran on it before the A/B, and found nothing' '
	jq -r ".checks.sanitize | [.outcome, (.kinds | join(\",\"))] | @tsv" \
		log.jsonl >actual &&
	printf "clean\taddress,undefined,thread\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'git pesq show: wall time, CPU time beside it, efficiency' '
	id=$(jq -r .id log.jsonl) &&
	(cd r1 && git pesq show --no-color "$id") >show &&
	test_grep "^checks     sanitize clean (address,undefined, thread)" show &&
	test_grep "^bench      [0-9.]*x .*wall time" show &&
	test_grep "CPU time [0-9.]* s -> [0-9.]* s" show &&
	test_grep "2 threads, efficiency [0-9.]*" show &&
	s=$(jq -r .speedup log.jsonl) &&
	e=$(sed -n "s/.*efficiency \([0-9.]*\).*/\1/p" show) &&
	jq -n -e "($s / 2 - $e | fabs) < 0.001"
'

test_expect_success 'git pesq report gives the efficiency' '
	(cd r1 && git pesq report) >report &&
	test_grep "efficiency" report
'

test_done
