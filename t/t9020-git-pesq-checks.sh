#!/bin/sh
test_description='git pesq run: the checks in the loop

The sample project, the model played by fake-llm: before the first
candidate of a function, the model is asked once for its differential
check; the check is tried on the original and corrected, kept or
dropped; candidates are refused by it before any timing. t5004 tests the
checks of pesq-bench one by one.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

need_libfuzzer

FIX=$SRC_ROOT/t/fixtures/checks

# checks_repo NAME: the sample, committed, with settings for a quick run
# and the checks on.
checks_repo() {
	sample_repo "$1" &&
	(
		cd "$1" &&
		git config --unset pesq.sanitize &&
		git config --unset pesq.differential &&
		git config pesq.test "make test" &&
		git config pesq.bench ./bench.sh &&
		git config pesq.provider openai &&
		git config pesq.model fake &&
		git config pesq.checkSeconds 2
	)
}

# asked: what the model was asked, one line per request.
asked() {
	jq -r ".body.messages[-1].content" fake.log | sed -n "s/^Task: //p" |
		cut -c1-28
}

test_expect_success 'setup' '
	echo "wordfreq;main;count_file;count_word;table_find 9000" \
		>stacks.folded &&
	sed "/^	table_free(&t);/d" "$FIX/table_find-check.c" >leaky.c
'

test_expect_success 'the model writes the check once; the wrong candidate is refused by it' '
	checks_repo r1 &&
	{
		reply "Task: write a differential check" \
			"$FIX/table_find-check.c" &&
		reply "Task: make the function \`table_find\`" \
			"$FIX/table_find-long.c" &&
		reply "Your version was rejected" "$FIX/table_find-hash.c"
	} >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r1 &&
		# no correction: the refused candidate stays the last try
		git pesq run -v -a 0 --no-chain -n 1 -S ../stacks.folded \
			>../out 2>../err
	) &&
	asked >asked &&
	grep -c "^write a differential check" asked >n &&
	echo 1 >expect &&
	test_cmp expect n &&
	test_grep "table_find: ask the model for a differential check" err &&
	test_grep "table_find: differential check refs/pesq/checks:table_find.c holds on the original" err &&
	git -C r1 show refs/pesq/checks:table_find.c >stored &&
	test_cmp "$FIX/table_find-check.c" stored &&
	(cd r1 && git pesq log --json) >log.jsonl &&
	jq -r "select(.fn == \"table_find\" and .verdict == \"differs\")
		| .checks.differential | [.source, .status] | @tsv" \
		log.jsonl >actual &&
	printf "model\tdiffers\n" >expect &&
	test_cmp expect actual &&
	test_grep "^table_find/1: differs: the differential check (refs/pesq/checks:table_find.c)" err
'

test_expect_success 'the refused attempt was never timed; the report counts the checks' '
	jq -r "select(.verdict == \"differs\") | .ms.bench, (.ms.check > 0)" \
		log.jsonl >actual &&
	printf "0\ntrue\n" >expect &&
	test_cmp expect actual &&
	(cd r1 && git pesq report) >report &&
	test_grep "^verdicts .*differs 1" report &&
	test_grep "^time .* check [0-9.]* s, bench" report
'

test_expect_success 'git pesq show gives the checks, the input and the check' '
	id=$(jq -r "select(.verdict == \"differs\") | .id" log.jsonl) &&
	(cd r1 && git pesq show --no-color "$id") >show &&
	test_grep "^checks     sanitize clean (address,undefined)$" show &&
	test_grep "differential differs (refs/pesq/checks:table_find.c)" show &&
	test_grep "input: [0-9]* bytes, [0-9a-f]*" show &&
	test_grep "^the differential check refs/pesq/checks:table_find.c (blob " show &&
	test_grep "pesq_orig_table_find(t, w);" show
'

test_expect_success 'a check that fails on the original is corrected, then kept' '
	checks_repo r2 &&
	{
		reply "Your previous check" "$FIX/table_find-check.c" &&
		reply "Task: write a differential check" leaky.c &&
		reply "Task: make the function \`table_find\`" \
			"$FIX/table_find-hash.c"
	} >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r2 &&
		git pesq run -v --no-chain -n 1 -S ../stacks.folded \
			>../out 2>../err
	) &&
	test_grep "table_find: the check fails on the original: correction 1 of 2" err &&
	git -C r2 log --format=%s refs/pesq/checks >subjects &&
	test_grep "^pesq: check table_find: corrected by fake at [0-9a-f]* (try 2)$" subjects &&
	test_line_count = 1 subjects &&
	git -C r2 notes --ref=pesq-check show HEAD >note &&
	jq -r "select(.event == \"check\") | [.status, .tries] | @tsv" \
		note >actual &&
	printf "invalid\t1\nvalid\t2\n" >expect &&
	test_cmp expect actual &&
	grep "^table_find  *leaf  *1  accepted" out
'

test_expect_success 'a check that never holds is dropped; the candidate is judged without it' '
	checks_repo r3 &&
	{
		reply "differential check" leaky.c &&
		reply "Task: make the function \`table_find\`" \
			"$FIX/table_find-hash.c"
	} >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r3 &&
		git pesq run -v --no-chain -n 1 -a 1 -S ../stacks.folded \
			>../out 2>../err
	) &&
	test_grep "table_find: the model.s check still fails on the original: dropped" err &&
	git -C r3 log -1 --format=%s refs/pesq/checks >subject &&
	test_grep "^pesq: check table_find: dropped at " subject &&
	(cd r3 && git pesq log --json) >log.jsonl &&
	jq -r ".checks.differential.status, .verdict" log.jsonl >actual &&
	printf "none\naccepted\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a check reply without a check, from the cache the second time, is said as such' '
	checks_repo r5 &&
	{
		reply "Task: write a differential check" \
			"$FIX/table_find-long.c" &&
		reply "Task: make the function \`table_find\`" \
			"$FIX/table_find-long.c"
	} >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r5 &&
		git pesq run -v -a 0 --no-sanitize --no-chain -n 1 \
			-S ../stacks.folded >../out 2>../err &&
		test_grep "table_find: no differential check: the model.s reply failed: reply has no code block defining .LLVMFuzzerTestOneInput.$" ../err &&
		# the ledgers and the attempts gone, the cache kept: at the
		# same base, the same request again
		git update-ref -d refs/notes/pesq-check &&
		git update-ref -d refs/notes/pesq &&
		git for-each-ref --format="delete %(refname)" refs/heads/pesq/table_find/ |
			git update-ref --stdin &&
		git pesq run -v -a 0 --no-sanitize --no-chain -n 1 \
			--base HEAD -S ../stacks.folded >../out 2>../err
	) &&
	test_grep "table_find: no differential check: the model.s reply failed: reply has no code block defining .LLVMFuzzerTestOneInput. (a reply from pesq-llm.s cache, for the same request: --no-cache asks again)" err
'

test_expect_success '--no-differential --no-sanitize: no check asked, none run' '
	checks_repo r4 &&
	reply "Task: make the function \`table_find\`" \
		"$FIX/table_find-long.c" >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r4 &&
		git pesq run --no-differential --no-sanitize --no-chain -n 1 \
			-S ../stacks.folded >../out 2>../err
	) &&
	asked >asked &&
	test_grep ! "differential" asked &&
	grep "^table_find  *leaf  *1  accepted" out &&
	test_must_fail git -C r4 rev-parse -q --verify refs/pesq/checks
'

test_done
