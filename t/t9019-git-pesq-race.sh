#!/bin/sh
test_description='git pesq run --parallel: a data race is refused by ThreadSanitizer

The sample project with blocksum; the model, played by fake-llm, answers
with the racy 2-thread version shipped with the sample: a count of the
blocks done, shared by the threads without a lock. The race never
changes the output, so the tests and the output check pass; the
ThreadSanitizer build refuses it before any timing, its first report is
in git pesq show, and it is what a correction prompt shows the model.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

REPLIES=$SRC_ROOT/t/fixtures/sample/pesq/replies

test_lazy_prereq TSAN '
	printf "%s\n" "#include <pthread.h>" \
	    "static void *f(void *a) { return a; }" \
	    "int main(void) { pthread_t t; pthread_create(&t, 0, f, 0);" \
	    "return pthread_join(t, 0); }" >t.c &&
	clang -fsanitize=thread -pthread t.c -o t && ./t
'
test_have_prereq TSAN || {
	skip_all='clang cannot build ThreadSanitizer programs here'
	test_done
}

test_expect_success 'setup' '
	sed -n "/^\`\`\`c\$/,/^\`\`\`\$/p" "$REPLIES/sum_blocks.1.txt" |
		sed "1d;\$d" >racy.c &&
	grep "static volatile size_t done" racy.c &&
	echo "blocksum;main;sum_blocks 9000" >stacks.folded &&
	new_repo r1 &&
	git -C r1 config pesq.bench ./bench-sums.sh &&
	git -C r1 config pesq.test "make test" &&
	git -C r1 config --unset pesq.sanitize &&
	reply "Task: make the function \`sum_blocks\`" racy.c >script
'

test_expect_success 'the racy version is refused as unsafe, never timed' '
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r1 &&
		git pesq run -v --parallel --threads 2 -a 0 -n 1 \
			-S ../stacks.folded >../out 2>../err
	) &&
	grep "^sum_blocks  *leaf  *1  unsafe" out &&
	(cd r1 && git pesq log --json) >log.jsonl &&
	jq -r "[.verdict, .checks.sanitize.outcome, .ms.bench] | @tsv" \
		log.jsonl >actual &&
	printf "unsafe\tunsafe\t0\n" >expect &&
	test_cmp expect actual &&
	jq -r ".checks.sanitize.summary" log.jsonl >summary &&
	test_grep "data race" summary &&
	jq -r ".reason" log.jsonl >reason &&
	test_grep "ThreadSanitizer\|data race" reason
'

test_expect_success 'the output was the same: only ThreadSanitizer saw the race' '
	jq -r ".test.ok, .output" log.jsonl >actual &&
	printf "true\nnull\n" >expect &&
	test_cmp expect actual &&
	jq -r ".checks.sanitize.kinds | join(\" \")" log.jsonl >kinds &&
	echo "address,undefined thread" >expect &&
	test_cmp expect kinds
'

test_expect_success 'git pesq show gives ThreadSanitizer report, trimmed' '
	id=$(jq -r .id log.jsonl) &&
	(cd r1 && git pesq show --no-color "$id") >show &&
	test_grep "^checks     sanitize unsafe: .*data race" show &&
	test_grep "^             WARNING: ThreadSanitizer: data race" show &&
	test_grep "^               *Previous write of size 8 .* by \(main thread\|thread T[0-9]*\):" show &&
	test_grep "sum_blocks.done" show &&
	test_grep "^verdict    unsafe" show
'

test_expect_success 'a correction of it shows the model the report' '
	jq -c "select(.fn == \"sum_blocks\")" \
		r1/.git/pesq/run/t1/bench.jsonl >bench.jsonl &&
	test_line_count = 1 bench.jsonl &&
	pesq-prompt -q --parallel --threads 2 bench.jsonl >corr.jsonl &&
	jq -r ".prompt.mode" corr.jsonl >mode &&
	echo correct >expect &&
	test_cmp expect mode &&
	jq -r ".prompt.messages[1].content" corr.jsonl >corr &&
	test_grep "on 2 threads. Your version was rejected" corr &&
	test_grep "WARNING: ThreadSanitizer: data race" corr &&
	test_grep "sum_blocks.done" corr
'

test_done
