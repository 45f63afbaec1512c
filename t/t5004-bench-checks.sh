#!/bin/sh
test_description='pesq-bench: sanitized runs and the differential check

The sample project (t/fixtures/sample) and hand-written candidates of
table_find (t/fixtures/checks): one wrong for words of more than 40
letters, one that overflows a heap buffer without changing any output,
and the correct hash index. The check of table_find is written by the
model, played by fake-llm, through pesq-prompt --check and pesq-llm.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

need_libfuzzer

FIX=$SRC_ROOT/t/fixtures/checks

pb() {
	pesq-bench --check-seconds 2 --max-rounds 12 "$@"
}

# candidate NAME: the attempt record of table_find-NAME.c, applied in
# slot 0 on pesq/best (or HEAD).
candidate() {
	jq -c --rawfile code "$FIX/table_find-$1.c" \
	    '.candidate = {code: $code, summary: "from the test"}' \
	    ../deps.jsonl >../cand-$1.jsonl &&
	pesq-apply --slot 0 <../cand-$1.jsonl >../att-$1.jsonl &&
	jq -e ".build.ok" ../att-$1.jsonl
}

test_expect_success 'setup: the sample, its table_find, the fake model' '
	sample_repo r &&
	(
		cd r &&
		git config --unset pesq.sanitize &&
		git config --unset pesq.differential &&
		git config pesq.test "make test" &&
		git config pesq.bench ./bench.sh &&
		git config pesq.provider openai &&
		git config pesq.model fake &&
		echo "{\"fn\":\"table_find\"}" | pesq-deps -q --rev HEAD \
			>../deps.jsonl
	) &&
	reply "Task: write a differential check for the function \`table_find\`" \
		"$FIX/table_find-check.c" >script &&
	start_fake script
'

test_expect_success 'the model writes the check; it holds on the original and is kept' '
	test_when_finished stop_fake &&
	(
		cd r &&
		pesq-prompt --check ../deps.jsonl >../ask.jsonl &&
		pesq-llm -q <../ask.jsonl >../reply.jsonl &&
		pb --validate-check <../reply.jsonl >../valid.jsonl 2>../err
	) &&
	jq -r ".prompt.mode, .check.status, .check.source, .check.tries" \
		valid.jsonl >actual &&
	printf "check\nvalid\nmodel\n1\n" >expect &&
	test_cmp expect actual &&
	git -C r show refs/pesq/checks:table_find.c >stored &&
	test_cmp "$FIX/table_find-check.c" stored &&
	git -C r log -1 --format=%s refs/pesq/checks >subject &&
	echo "pesq: check table_find: written by fake at $(git -C r rev-parse --short=7 HEAD) (try 1)" >expect &&
	test_cmp expect subject &&
	git -C r notes --ref=pesq-check show HEAD >note &&
	jq -r "select(.event == \"check\") | [.fn, .status, .model] | @tsv" \
		note >actual &&
	printf "table_find\tvalid\tfake\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the request named the contract and the original' '
	jq -r ".body.messages[1].content" fake.log >asked &&
	test_grep "LLVMFuzzerTestOneInput" asked &&
	test_grep "renamed \`pesq_orig_table_find\`" asked &&
	test_grep "^## Where it is called from" asked
'

test_expect_success 'the wrong-for-long-words candidate: differs, not timed' '
	(
		cd r &&
		candidate long &&
		pb <../att-long.jsonl >../out 2>../err
	) &&
	jq -r ".verdict, .checks.sanitize.outcome, .checks.differential.status,
		.checks.differential.source, (.bench.rounds // \"untimed\")" \
		out >actual &&
	printf "differs\nclean\ndiffers\nmodel\nuntimed\n" >expect &&
	test_cmp expect actual &&
	jq -r .verdict_reason out >reason &&
	test_grep "refs/pesq/checks:table_find.c" reason &&
	test_grep "the original says" reason &&
	jq -e ".checks.differential.input | test(\"^[0-9a-f]+$\")" out &&
	jq -e ".checks.differential.said | test(\"= -1, the original says\")" out &&
	test_grep "^table_find/1: differs: the differential check" err
'

test_expect_success 'its input, replayed, is long words; the ledger keeps it' '
	jq -r .checks.differential.said out >said &&
	sed -n "s/^table_find(\"\([a-z]*\)\").*/\1/p" said >word &&
	test $(wc -c <word) -gt 41 &&
	git -C r notes --ref=pesq show pesq/table_find/1 >note &&
	jq -r "select(.event == \"checks\") | .checks.differential
		| [.status, .input, (.code == null)] | @tsv" note >actual &&
	printf "differs\t%s\ttrue\n" "$(jq -r .checks.differential.input out)" \
		>expect &&
	test_cmp expect actual
'

test_expect_success 'the heap-overflowing candidate: unsafe from the sanitized tests' '
	(
		cd r &&
		candidate overflow &&
		pb <../att-overflow.jsonl >../out 2>../err
	) &&
	jq -r ".verdict, .checks.sanitize.outcome, .checks.sanitize.cmd,
		.checks.differential.status" out >actual &&
	printf "unsafe\nunsafe\ntest\nnot-run\n" >expect &&
	test_cmp expect actual &&
	jq -r .verdict_reason out >reason &&
	echo "the sanitized test run: AddressSanitizer: heap-buffer-overflow in table_find (table.c:38:2)" >expect &&
	test_cmp expect reason &&
	jq -r .checks.sanitize.report out >report &&
	test_grep "^WRITE of size" report &&
	test_grep "in table_find table.c:38" report &&
	test_grep ! "/.git/pesq/" report
'

test_expect_success 'its normal build passes the tests and prints the same output' '
	(
		cd r/.git/pesq/slot-0 &&
		make -s test BENCH_WORDS=20000 &&
		./bench.sh >../../../../cand.out
	) &&
	(cd r && make -s BENCH_WORDS=20000 && ./bench.sh >../base.out) &&
	test_cmp base.out cand.out
'

test_expect_success 'the correct hash-index candidate is accepted' '
	(
		cd r &&
		candidate hash &&
		pb <../att-hash.jsonl >../out 2>../err
	) &&
	jq -r ".verdict, .checks.sanitize.outcome, .checks.differential.status,
		.checks.differential.validated" out >actual &&
	printf "accepted\nclean\npassed\nfalse\n" >expect &&
	test_cmp expect actual &&
	jq -e ".checks.differential.runs > 0 and .checks.ms > 0" out &&
	git -C r notes --ref=pesq show pesq/table_find/3 >note &&
	jq -r ".event" note >events &&
	printf "apply\nbuild\ntest\nchecks\nbench\nverdict\n" >expect &&
	test_cmp expect events
'

test_expect_success 'a check that fails on the original is corrected, then dropped' '
	sed "/^	table_free(&t);/d" "$FIX/table_find-check.c" >leaky.c &&
	reply "write a differential check" leaky.c >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r &&
		git rev-parse pesq/best >../base &&
		echo "{\"fn\":\"table_find\"}" |
			pesq-deps -q --rev pesq/best >../deps2.jsonl &&
		pesq-prompt --check ../deps2.jsonl | pesq-llm -q |
			pb --validate-check --attempts 1 >../try1.jsonl 2>../err1 &&
		pesq-prompt --check ../try1.jsonl >../ask2.jsonl &&
		pesq-llm -q <../ask2.jsonl |
			pb --validate-check --attempts 1 >../try2.jsonl 2>../err2
	) &&
	jq -r ".check.status, .check.tries" try1.jsonl try2.jsonl >actual &&
	printf "invalid\n1\ndropped\n2\n" >expect &&
	test_cmp expect actual &&
	jq -r .check.reason try1.jsonl >reason &&
	test_grep "LeakSanitizer: detected memory leaks" reason &&
	jq -r ".prompt.messages[1].content" ask2.jsonl >asked &&
	test_grep "^## Your previous check" asked &&
	test_grep "it failed, so it was not used" asked &&
	test_grep "LeakSanitizer" asked &&
	git -C r notes --ref=pesq-check show "$(cat base)" >note &&
	jq -r "select(.event == \"check\") | .status" note >actual &&
	printf "invalid\ndropped\n" >expect &&
	test_cmp expect actual &&
	git -C r log -1 --format=%s refs/pesq/checks >subject &&
	test_grep "^pesq: check table_find: dropped at " subject &&
	test_must_fail git -C r cat-file -e refs/pesq/checks:table_find.c
'

test_expect_success 'a check that fails on the original never refuses a candidate' '
	(
		cd r &&
		blob=$(git hash-object -w ../leaky.c) &&
		tree=$(printf "100644 blob %s\ttable_find.c\n" "$blob" |
			git mktree) &&
		c=$(git commit-tree -p refs/pesq/checks -m leaky "$tree") &&
		git update-ref refs/pesq/checks "$c" &&
		git update-ref -d refs/heads/pesq/best &&
		candidate long &&
		pb --no-advance <../att-long.jsonl >../out 2>../err
	) &&
	jq -r ".verdict != \"differs\", .checks.differential.status" out >actual &&
	printf "true\nnot-used\n" >expect &&
	test_cmp expect actual &&
	jq -r .checks.differential.reason out >reason &&
	test_grep "the check fails on the original" reason &&
	test_grep "the check refs/pesq/checks:table_find.c is not used" err
'

test_expect_success 'a check committed in pesq/check/ wins over the model'"'"'s' '
	(
		cd r &&
		mkdir -p pesq/check &&
		cp "$FIX/table_find-check.c" pesq/check/table_find.c &&
		git add pesq &&
		git commit -q -m "pesq: the check of table_find" &&
		echo "{\"fn\":\"table_find\"}" |
			pesq-deps -q --rev HEAD >../deps.jsonl &&
		candidate long &&
		pb <../att-long.jsonl >../out 2>../err
	) &&
	jq -r ".verdict, .checks.differential.source,
		.checks.differential.path, .checks.differential.validated" \
		out >actual &&
	printf "differs\nuser\npesq/check/table_find.c\ntrue\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the base'"'"'s own sanitizer reports are recorded once and not counted' '
	(
		cd r &&
		sed "s/^	free(line);/	line = NULL; \/* leaked *\//" \
			wordfreq.c >w.c && mv w.c wordfreq.c &&
		grep leaked wordfreq.c &&
		git commit -q -a -m "leak the table" &&
		git rev-parse HEAD >../unclean &&
		echo "{\"fn\":\"table_find\"}" |
			pesq-deps -q --rev HEAD >../deps.jsonl &&
		candidate hash &&
		pb --no-differential --no-advance <../att-hash.jsonl >../out 2>../err &&
		candidate hash &&
		pb --no-differential --no-advance <../att-hash.jsonl >../out2 2>../err2
	) &&
	jq -r ".checks.sanitize.outcome, .checks.sanitize.baseline,
		.checks.differential.status" out >actual &&
	printf "clean\n1\noff\n" >expect &&
	test_cmp expect actual &&
	test_grep "is not clean under address,undefined: 1 report before any candidate (LeakSanitizer: detected memory leaks" err &&
	test_grep "they do not count against candidates" err &&
	test_grep ! "is not clean" err2 &&
	git -C r notes --ref=pesq-check show "$(cat unclean)" >note &&
	jq -r "select(.event == \"sanitize-base\") | .reports[].sig" note >sigs &&
	test_line_count = 1 sigs &&
	test_grep "^LeakSanitizer: detected memory leaks" sigs
'

test_expect_success '--no-sanitize and --no-differential: no checks, no checks line' '
	(
		cd r &&
		candidate overflow &&
		pb --no-sanitize --no-differential --no-advance <../att-overflow.jsonl \
			>../out 2>../err
	) &&
	jq -r ".checks // \"none\", .verdict" out >actual &&
	printf "none\n" >expect &&
	head -n 1 actual >first &&
	test_cmp expect first &&
	test_grep ! "unsafe" actual &&
	git -C r notes --ref=pesq show "$(jq -r .attempt.commit out)" >note &&
	jq -r .event note >events &&
	test_grep ! "^checks$" events
'

test_expect_success 'a sanitized build that instruments nothing is skipped, and said' '
	(
		cd r &&
		candidate hash &&
		pb --no-differential --no-advance --sanitize-build "make BENCH_WORDS=20000 CC=gcc" \
			<../att-hash.jsonl >../out 2>../err
	) &&
	jq -r ".checks.sanitize.outcome" out >actual &&
	echo skipped >expect &&
	test_cmp expect actual &&
	test_grep "sanitized runs skipped: the sanitized build made no program instrumented" err
'

test_done
