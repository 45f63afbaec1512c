#!/bin/sh
test_description='pesq-bench: instructions and cycles in the record, never in the verdict

Under the sandbox pesq-measure counts each run (pesq-measure(1)); the
bench object gets the medians of both sides in "counters", or the
reason there are none, and the line for people mentions them. This
machine may have no hardware counters: PESQ_MEASURE_COUNTERS=sw puts
software events in their place to follow the whole path.'
. ./test-lib.sh

if ! test_have_prereq BWRAP
then
	skip_all='bubblewrap cannot run here'
	test_done
fi
if ! test_have_prereq JQ
then
	skip_all='jq is missing'
	test_done
fi

test_lazy_prereq DENYPERF 'deny-perf true'
test_lazy_prereq SWCOUNT '
	PESQ_MEASURE_COUNTERS=sw pesq-measure -f 7 true 7>rep &&
	test "$(awk "{ print \$8 }" rep)" = sw
'

# A candidate four times as fast, so that the verdict does not hang on
# the machine's noise: accepted whatever the counters say.
bench() {
	pesq-bench --base-dir base --candidate-dir cand --bench ./run \
		--seed 7 --min-rounds 8 --max-rounds 8 "$@" <in
}

test_expect_success 'setup' '
	git config --global pesq.sandbox.readOnly "$PESQ_BIN/t/helper" &&
	mkdir base cand &&
	printf "#!/bin/sh\nexec spin 8\n" >base/run &&
	printf "#!/bin/sh\nexec spin 2\n" >cand/run &&
	chmod +x base/run cand/run &&
	echo "{\"attempt\":{\"id\":\"c/1\"}}" >in
'

test_expect_success SWCOUNT 'sw: medians of both sides in the record, and in the line' '
	PESQ_MEASURE_COUNTERS=sw bench --sandbox on >sw.out 2>err &&
	jq -e ".verdict == \"accepted\" and
		(.bench.counters | keys) ==
			[\"events\", \"page_faults\", \"task_clock_ns\"] and
		.bench.counters.events == \"sw\" and
		(.bench.counters.task_clock_ns | .base > 0 and .cand > 0) and
		(.bench.counters.page_faults | .base > 0 and .cand > 0)" sw.out &&
	# four times the work: more task-clock on the base (an ordering)
	jq -e ".bench.counters.task_clock_ns | .base > .cand" sw.out &&
	test_grep "^c/1: .*x faster (.*cpu time; task-clock ns [0-9.]*[kMG]* -> [0-9.]*[kMG]*, page faults [0-9.]*[kMG]* -> [0-9.]*[kMG]*, for information.*): accepted$" err
'

test_expect_success 'without the switch: the counters, or why there are none' '
	bench --sandbox on >hw.out 2>err &&
	jq -e ".verdict == \"accepted\"" hw.out &&
	if jq -e ".bench.counters.events == \"hw\"" hw.out >/dev/null
	then
		jq -e ".bench.counters | (keys == [\"cycles\", \"events\",
			\"instructions\"]) and .instructions.base > 0 and
			.cycles.cand > 0" hw.out &&
		test_grep "; instructions .* -> .*, cycles .* -> .*, for information" err
	else
		jq -e ".bench.counters | keys == [\"unavailable\"] and
			(.unavailable | test(\"^perf_event_open: .\"))" hw.out &&
		test_grep -v "instructions\|for information" err
	fi
'

test_expect_success SWCOUNT 'the verdict is the same either way' '
	jq -r .verdict sw.out >expect &&
	jq -r .verdict hw.out >actual &&
	test_cmp expect actual
'

# perf_event_open is not blocked in pesq's sandbox (bubblewrap installs
# no seccomp filter); a container's filter, or perf_event_paranoid at 3,
# blocks it: deny-perf does that around bubblewrap.
test_expect_success SWCOUNT,DENYPERF 'blocked around the sandbox: why, and the same verdict' '
	printf "#!/bin/sh\nexec deny-perf bwrap \"\$@\"\n" >denied-bwrap &&
	chmod +x denied-bwrap &&
	PESQ_BWRAP=$PWD/denied-bwrap PESQ_MEASURE_COUNTERS=sw \
		bench --sandbox on >denied.out 2>err &&
	jq -r ".verdict, .bench.counters.unavailable" denied.out >actual &&
	cat >expect <<-\EOF &&
	accepted
	perf_event_open: Permission denied: not allowed (kernel.perf_event_paranoid above 2, or a seccomp filter)
	EOF
	test_cmp expect actual &&
	test_grep -v "task-clock\|for information" err
'

test_expect_success 'off, or no sandbox: why there are none' '
	PESQ_MEASURE_COUNTERS=off bench --sandbox on >off.out 2>err &&
	jq -r ".bench.counters.unavailable" off.out >actual &&
	echo "turned off (PESQ_MEASURE_COUNTERS=off)" >expect &&
	test_cmp expect actual &&
	PESQ_MEASURE_COUNTERS=sw bench --sandbox off >nosb.out 2>err &&
	jq -r ".bench.counters.unavailable" nosb.out >actual &&
	test_grep "^the runs were not sandboxed" actual
'

test_expect_success SWCOUNT 'the counters come after the samples, before the outcome' '
	jq -r ".bench | keys_unsorted | .[-7:] | join(\" \")" sw.out >actual &&
	echo "load counters speedup ci p decision reason" >expect &&
	test_cmp expect actual
'

test_expect_success SWCOUNT '--recompute keeps them and does not read them' '
	pesq-bench --recompute sw.out >again &&
	test_cmp sw.out again &&
	# a candidate that counts ten times more decides the same
	jq -c ".bench.counters.task_clock_ns.cand *= 10 |
		.bench.counters.page_faults.cand *= 10" sw.out >worse &&
	pesq-bench --recompute worse >again &&
	test_cmp worse again
'

test_done
