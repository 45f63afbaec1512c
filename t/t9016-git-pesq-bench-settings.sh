#!/bin/sh
test_description='git pesq run: the timing settings reach pesq-bench

--metric, --max-rounds, --min-gain, --no-output-check and --bench-budget,
their git config keys (pesq.metric, pesq.maxRounds, pesq.minGain,
pesq.outputCheck, pesq.benchBudget) and pesq.mk variables, seen in the
arguments of a stand-in pesq-bench (t/fixtures/loop-stubs), for the
attempts and the final A/B alike.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

. "$TEST_DIRECTORY"/lib-stubs.sh

PATH=$SRC_ROOT/t/fixtures/loop-stubs:$PATH
STUB_HOT=$HOME/hot.jsonl STUB_REPLIES=$HOME/replies STUB_LOG=$HOME/log
export STUB_HOT STUB_REPLIES STUB_LOG

# fresh: a repository with one target, whose reply is accepted, so that
# both an attempt and the final A/B run pesq-bench.
fresh() {
	rm -rf r replies log.* && mkdir replies &&
	stub_repo r child &&
	printf "%s\n" "FAST child" >replies/child
}

# args WHICH: the arguments of the attempts' (attempt) or the final A/B's
# (final) pesq-bench, one call a line.
args() {
	if test "$1" = final
	then
		grep -e "--base-dir" log.bench-args
	else
		grep -v -e "--base-dir" log.bench-args
	fi
}

test_expect_success 'setup' '
	echo "{\"fn\":\"child\",\"role\":\"leaf\",\"hot\":{\"rank\":1}}" >hot.jsonl &&
	echo "main;child 10" >stacks.folded
'

test_expect_success 'the defaults: auto metric, 50 rounds, 2%, 600 s, output checked' '
	fresh &&
	(cd r && git pesq run -q -S ../stacks.folded) &&
	args attempt >a && args final >f &&
	test_line_count = 1 a && test_line_count = 1 f &&
	for x in a f
	do
		grep -e "--metric auto --max-rounds 50 --min-gain 0.02 --budget 600" $x &&
		! grep -e "--no-output-check" $x &&
		! grep -e "--max-rss-growth" $x || return 1
	done
'

test_expect_success 'git pesq run --metric wall and the others reach pesq-bench' '
	fresh &&
	(cd r && git pesq run -q -S ../stacks.folded --metric wall \
		--max-rounds 7 --min-gain 0.05 --no-output-check \
		--bench-budget=30 --max-rss-growth 0.25) &&
	for x in attempt final
	do
		args $x >a &&
		grep -e "--metric wall --max-rounds 7 --min-gain 0.05 --budget 30 --no-output-check --max-rss-growth 0.25" a ||
			return 1
	done
'

test_expect_success 'git pesq config metric wall, maxRounds, minGain, outputCheck, benchBudget' '
	fresh &&
	(
		cd r &&
		git pesq config metric wall &&
		git pesq config maxRounds 9 &&
		git pesq config minGain 0.1 &&
		git pesq config outputCheck false &&
		git pesq config benchBudget 45 &&
		git pesq config maxRssGrowth 0.5 &&
		git pesq config metric >../actual &&
		git pesq run -q -S ../stacks.folded
	) &&
	echo wall >expect &&
	test_cmp expect actual &&
	args attempt >a &&
	grep -e "--metric wall --max-rounds 9 --min-gain 0.1 --budget 45 --no-output-check --max-rss-growth 0.5" a
'

test_expect_success 'an option beats git config' '
	fresh &&
	(
		cd r &&
		git pesq config metric wall &&
		git pesq config outputCheck false &&
		git pesq run -q -S ../stacks.folded --metric cpu --output-check
	) &&
	args attempt >a &&
	grep -e "--metric cpu " a &&
	! grep -e "--no-output-check" a
'

test_expect_success 'bad values are refused before anything runs' '
	fresh &&
	(
		cd r &&
		test_expect_code 2 git pesq run -S ../stacks.folded --metric fast 2>../err &&
		test_expect_code 2 git pesq run -S ../stacks.folded --max-rounds 0 2>>../err &&
		test_expect_code 2 git pesq run -S ../stacks.folded --min-gain lots 2>>../err &&
		test_expect_code 2 git pesq config metric fast 2>>../err &&
		test_expect_code 2 git pesq config maxRounds many 2>>../err
	) &&
	test_grep "metric. is cpu, wall or auto, not .fast." err &&
	test_grep "maxRounds. must be at least 1" err &&
	test_grep "minGain. takes a number, not .lots." err &&
	test_grep "maxRounds. takes a count, not .many." err &&
	test_path_is_missing log.bench-args
'

test_expect_success 'pesq.mk: PESQ_METRIC and the others become options of the run' '
	printf "include %s\nshow:\n\t@echo \$(pesq_run_opts)\n" \
		"$SRC_ROOT/pesq.mk" >Makefile &&
	make -s show PESQ_METRIC=wall PESQ_MAX_ROUNDS=8 PESQ_MIN_GAIN=0.03 \
		PESQ_OUTPUT_CHECK=false PESQ_BENCH_BUDGET=20 \
		PESQ_MAX_RSS_GROWTH=0.2 >out &&
	grep -e "--metric wall --max-rounds 8 --min-gain 0.03 --no-output-check --bench-budget 20 --max-rss-growth 0.2" out &&
	make -s show PESQ_OUTPUT_CHECK=true >out &&
	grep -e "--output-check" out &&
	! grep -e "--metric" out
'

test_done
