#!/bin/sh
test_description='pesq-bench --metric auto: wall time for programs that run side by side

auto takes wall time when the first run of the base or of the candidate
used more than one CPU at a time (CPU time above 1.1 times wall time),
CPU time otherwise; the record keeps the metric used, what was asked,
the two ratios, and the medians of both metrics.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

bench() {
	pesq-bench --sandbox off --base-dir base --bench ./run \
		--max-rounds 6 "$@" <in
}

test_expect_success 'setup' '
	mkdir base par &&
	printf "#!/bin/sh\nexec spin 8\n" >base/run &&
	cat >par/run <<-\EOF &&
	#!/bin/sh
	for i in 1 2 3 4 5 6 7 8
	do
		spin 2 >/dev/null &
	done
	wait
	echo spin
	EOF
	chmod +x base/run par/run &&
	echo "{\"attempt\":{\"id\":\"p/1\"}}" >in
'

test_expect_success 'auto: the metric follows the rule, both recorded' '
	bench --candidate-dir par --metric auto >out 2>err &&
	jq -e ".bench | .metric_asked == \"auto\" and
		(.parallel | length) == 2 and .parallel[0] < 1.1 and
		.metric == (if .parallel[1] > 1.1 then \"wall\" else \"cpu\" end) and
		(.cpu | .base > 0 and .cand > 0 and .speedup > 0) and
		(.wall | .base > 0 and .cand > 0 and .speedup > 0)" out &&
	m=$(jq -r .bench.metric out) &&
	grep "rounds, $m time" err
'

test_expect_success 'auto on the base against itself: CPU time' '
	bench --candidate-dir base --metric auto >out 2>err &&
	jq -r .bench.metric out >actual &&
	echo cpu >expect &&
	test_cmp expect actual
'

test_expect_success 'auto is the default' '
	bench --candidate-dir base >out 2>err &&
	jq -r .bench.metric_asked out >actual &&
	echo auto >expect &&
	test_cmp expect actual
'

test_expect_success 'cpu and wall are taken as asked' '
	bench --candidate-dir par --metric cpu >out 2>err &&
	jq -r ".bench | [.metric_asked, .metric] | @tsv" out >actual &&
	bench --candidate-dir base --metric wall >out 2>err &&
	jq -r ".bench | [.metric_asked, .metric] | @tsv" out >>actual &&
	printf "cpu\tcpu\nwall\twall\n" >expect &&
	test_cmp expect actual &&
	test_expect_code 2 bench --candidate-dir base --metric fast 2>err &&
	test_grep "usage: pesq-bench" err
'

test_expect_success 'a record of auto recomputes to itself' '
	bench --candidate-dir par --metric auto >out 2>err &&
	pesq-bench --recompute out >again &&
	test_cmp out again
'

test_expect_success 'peak memory of both sides; --max-rss-growth refuses growth' '
	mkdir fat &&
	cat >fat/run <<-\EOF &&
	#!/bin/sh
	# one line of 60 MB: sort holds it in memory
	head -c 60000000 /dev/zero | sort >/dev/null &&
	exec spin 8
	EOF
	chmod +x fat/run &&
	bench --candidate-dir fat >out 2>err &&
	jq -e ".bench | .rss.cand > 1.5 * .rss.base and .max_rss_growth == null" out &&
	jq -e ".verdict != \"rejected\" or (.verdict_reason | test(\"memory\") | not)" out &&
	bench --candidate-dir fat --max-rss-growth 0.5 >out 2>err &&
	jq -r ".verdict, .bench.max_rss_growth, (.bench | has(\"rounds\"))" out >actual &&
	printf "rejected\n0.5\nfalse\n" >expect &&
	test_cmp expect actual &&
	jq -r .verdict_reason out >reason &&
	test_grep "^peak memory grows by [0-9]*% ([0-9]* KiB on the base, [0-9]* KiB on the candidate), more than the 50% allowed$" reason &&
	# the base against itself may be rejected by its timing (not
	# faster), never for its memory
	bench --candidate-dir base --max-rss-growth 0.5 >out 2>err &&
	jq -e ".bench | has(\"rounds\")" out &&
	jq -e ".verdict != \"rejected\" or (.verdict_reason | test(\"memory\") | not)" out
'

test_done
