#!/bin/sh
test_description='the history verbs over a ledger the real filters made

git pesq run on the sample project with the fake provider writes the
ledger (pesq-apply, pesq-bench, the llm lines of the loop); log, report
and show read it back, the second run gets the first accepted attempt as
an example, and gc keeps the report.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

test_expect_success 'setup: the sample and the replies' '
	sample_repo r &&
	(
		cd r &&
		git config pesq.build "make BENCH_WORDS=20000" &&
		git config pesq.bench ./bench.sh &&
		git config pesq.provider openai &&
		git config pesq.model fake
	) &&
	echo "wordfreq;main;count_file;count_word 9000" >stacks.folded &&
	sed -n "/^\`\`\`c\$/,/^\`\`\`\$/p" \
		"$SRC_ROOT/t/fixtures/sample/pesq/replies/count_word.txt" |
		sed "1d;\$d" >fast.c &&
	sed "s/t->total++;/t->total += 2;/" fast.c >wrong.c
'

test_expect_success 'a run: one accepted attempt in the ledger' '
	reply "the function \`count_word\`" fast.c >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(cd r && git pesq run --no-chain -n 1 -S ../stacks.folded \
		>../out 2>../err) &&
	(cd r && git pesq log --json >../log.json) &&
	jq -r "[.id, .fn, .role, .verdict, .model, .tokens > 0,
	    .original != null] | map(tostring) | join(\" \")" log.json >actual &&
	grep "^count_word/1 count_word leaf " actual >/dev/null &&
	(cd r && git pesq report --json >../report.json) &&
	jq -r "[.attempts, .unfinished] | map(tostring) | join(\" \")" \
		report.json >actual &&
	echo "1 0" >expect &&
	test_cmp expect actual
'

test_expect_success 'show reads the real notes' '
	(cd r && git pesq show count_word/1 >../show) &&
	test_grep "^attempt    count_word/1" show &&
	test_grep "^build      try 1: ok" show &&
	test_grep "^diff --git a/count.c b/count.c" show
'

test_expect_success 'accepted: the next run has it as an example' '
	v=$(jq -r .verdict log.json) &&
	if [ "$v" = accepted ]
	then
		reply "the function \`count_word\`" wrong.c >script &&
		start_fake script &&
		test_when_finished stop_fake &&
		(cd r && git pesq run --no-chain --again -n 1 -a 0 \
			-S ../stacks.folded >../out 2>../err) &&
		jq -r ".body.messages[-1].content" fake.log >asked &&
		test_grep "accepted earlier" asked
	fi
'

test_expect_success 'gc keeps the report' '
	(cd r && git pesq report --json >../before.json &&
	 git pesq gc >../out && git pesq report --json >../after.json) &&
	test_cmp before.json after.json
'

test_done
