#!/bin/sh
test_description='pesq-bench on directories: verdicts, checks, records'
. ./test-lib.sh

# Units of work: more under the sanitizers, whose start-up costs would
# otherwise hide the differences in work.
scale=1
if test_have_prereq SANITIZE; then scale=4; fi
u() {
	echo $(($1 * scale))
}

# A program in a directory: ./run does UNITS of busy work (t/helper/spin)
# with whatever else is asked.
prog() {
	mkdir -p "$1" &&
	printf '#!/bin/sh\n%s\nexec spin %s\n' "${3:-}" "$2" >"$1/run" &&
	chmod +x "$1/run"
}

# Is process $1 gone? A zombie left to an init that does not reap counts.
dead() {
	! kill -0 "$1" 2>/dev/null ||
	test "$(ps -o stat= -p "$1" | cut -c1)" = Z
}

bench() {
	pesq-bench --sandbox off --base-dir base --bench ./run \
		--max-rounds 30 "$@"
}

# Without the sandbox pesq-bench says so before it runs anything; the
# rest of stderr.
unwarned() {
	sed "/candidate code runs without the sandbox/d" "$1"
}

test_expect_success 'setup' '
	prog base $(u 6) &&
	prog same $(u 6) &&
	prog fast $(u 4) &&
	prog slow $(u 8) &&
	prog other "-o other $(u 6)" &&
	prog status "-x 3 $(u 6)" &&
	prog hang --hang "echo \$\$ >\"$HOME/hang.pid\"" &&
	echo "{\"attempt\":{\"id\":\"f/1\"},\"x\":[1,{\"y\":\"\\u00e9\"}]}" >in
'

test_expect_success 'a candidate 30% faster is accepted' '
	bench --candidate-dir fast --max-rounds 50 <in >out 2>err &&
	jq -r .verdict out >actual &&
	echo accepted >expect &&
	test_cmp expect actual &&
	jq -e ".bench.speedup > 1.02 and .bench.ci[0] > 1.02 and .bench.p < 0.01" out
'

test_expect_success 'one line on stderr for people, after the warning' '
	head -n 1 err >first &&
	test_grep "^pesq-bench: candidate code runs without the sandbox (sandbox mode off)" first &&
	unwarned err >msgs &&
	test_line_count = 1 msgs &&
	grep -E "^f/1: [0-9]+\.[0-9]{2}x faster \(99% CI [0-9.]+-[0-9.]+, [0-9]+ rounds, cpu time(; warning: load [0-9.]+ above the [0-9]+ CPUs during the rounds)?\): accepted$" msgs
'

test_expect_success 'the record keeps what it had and gains test, bench, verdict' '
	jq -c "{attempt, x, test, v: .verdict, r: (.verdict_reason | length > 0)}" out >actual &&
	echo "{\"attempt\":{\"id\":\"f/1\"},\"x\":[1,{\"y\":\"é\"}],\"test\":{\"ok\":true,\"skipped\":true},\"v\":\"accepted\",\"r\":true}" >expect &&
	test_cmp expect actual
'

test_expect_success 'bench holds raw samples of both sides, parameters and the machine' '
	jq -e ".bench | (.base.wall | length) == 2 * .rounds and
		(.base.cpu | length) == 2 * .rounds and
		(.cand.wall | length) == 2 * .rounds and
		(.cand.cpu | length) == 2 * .rounds and
		.metric == \"cpu\" and .metric_asked == \"auto\" and
		.parallel[0] < 1.1 and .parallel[1] < 1.1 and
		.cpu.speedup > 1 and .wall.speedup > 0 and
		.cpu.base > .cpu.cand and .wall.base > 0 and
		.rss.base > 0 and .rss.cand > 0 and
		.load.cpus > 0 and .load.avg >= 0 and
		.confidence == 0.99 and
		.min_gain == 0.02 and (.seed | type) == \"number\" and
		.boot > 0 and .order == \"ABBA,BAAB\" and .decision == \"accepted\" and
		(.machine | .cores > 0 and (.kernel | length) > 0 and
		 (.load | length) == 3)" out
'

test_expect_success 'identical programs are not accepted' '
	echo "{\"attempt\":{\"id\":\"same/1\"}}" >in2 &&
	bench --candidate-dir same --max-rounds 10 <in2 >out 2>err &&
	jq -r .verdict out >actual &&
	test_grep -v accepted actual
'

test_expect_success 'a slower candidate is rejected' '
	bench --candidate-dir slow <in2 >out 2>err &&
	jq -r .verdict out >actual &&
	echo rejected >expect &&
	test_cmp expect actual &&
	grep ": rejected$" err
'

test_expect_success 'the wall metric decides when asked' '
	bench --candidate-dir slow -m wall --max-rounds 8 <in2 >out 2>err &&
	jq -r ".bench.metric" out >actual &&
	echo wall >expect &&
	test_cmp expect actual &&
	jq -r .verdict out >actual &&
	test_grep -v accepted actual
'

test_expect_success 'differing output gives output-differs with the lines' '
	bench --candidate-dir other <in2 >out 2>err &&
	jq -c "[.verdict, .bench.output, .verdict_reason]" out >actual &&
	echo "[\"output-differs\",{\"base_status\":0,\"cand_status\":0,\"line\":1,\"base\":\"spin\",\"cand\":\"other\"},\"stdout differs at line 1\"]" >expect &&
	test_cmp expect actual &&
	jq -e ".bench | has(\"base\") | not" out
'

test_expect_success 'a differing exit status gives output-differs' '
	bench --candidate-dir status <in2 >out 2>err &&
	jq -c "[.verdict, .bench.output, .verdict_reason]" out >actual &&
	echo "[\"output-differs\",{\"base_status\":0,\"cand_status\":3},\"exit status 0 on the base, 3 on the candidate\"]" >expect &&
	test_cmp expect actual
'

test_expect_success '--no-output-check times a candidate whose output differs' '
	bench --candidate-dir other --no-output-check --max-rounds 6 \
		<in2 >out 2>err &&
	jq -e ".bench.rounds >= 5 and (.verdict | test(\"accepted|rejected|inconclusive\"))" out
'

test_expect_success 'a failing test gives test-failed with its output' '
	bench --candidate-dir fast --test "echo one; echo two >&2; exit 4" \
		<in2 >out 2>err &&
	jq -c "[.verdict, .test.ok, .test.log, .verdict_reason, has(\"bench\")]" out >actual &&
	cat >expect <<-\EOF &&
	["test-failed",false,"one\ntwo\n","the test command exited with status 4",false]
	EOF
	test_cmp expect actual
'

test_expect_success 'a passing test is recorded' '
	bench --candidate-dir slow --test "test -x run" <in2 >out 2>err &&
	jq -c "[.verdict, .test.ok, .test.log]" out >actual &&
	echo "[\"rejected\",true,\"\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'the test log is bounded' '
	bench --candidate-dir fast --test "seq 1 100000; exit 1" <in2 >out &&
	jq -e ".test.log | length <= 4096 and endswith(\"100000\\n\")" out
'

test_expect_success 'a hung run is killed with its process group: error' '
	bench --candidate-dir hang --timeout 1 <in2 >out 2>err &&
	jq -c "[.verdict, .verdict_reason]" out >actual &&
	echo "[\"error\",\"the candidate'"'"'s benchmark timed out after 1 s and was killed\"]" >expect &&
	test_cmp expect actual &&
	test_path_is_file hang.pid &&
	dead "$(cat hang.pid)"
'

test_expect_success 'a hung test is killed: test-failed' '
	bench --candidate-dir fast --timeout 1 --test "spin --hang" \
		<in2 >out 2>err &&
	jq -c "[.verdict, .verdict_reason]" out >actual &&
	echo "[\"test-failed\",\"the test command timed out after 1 s and was killed\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'a failing base is an error, not a verdict on the candidate' '
	prog broken "-x 1 5" &&
	pesq-bench --sandbox off --base-dir broken --candidate-dir broken \
		--bench ./run <in2 >out 2>err &&
	jq -r .verdict_reason out >actual &&
	echo "the base'"'"'s benchmark exited with status 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'build.ok false gives build-failed and runs nothing' '
	echo "{\"attempt\":{\"id\":\"b/1\"},\"build\":{\"ok\":false,\"ms\":1,\"log\":\"x\"}}" >bf &&
	bench --candidate-dir hang --timeout 1 <bf >out 2>err &&
	jq -c "[.verdict, has(\"test\"), has(\"bench\"), .build.log]" out >actual &&
	echo "[\"build-failed\",false,false,\"x\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'records with error pass through untouched' '
	printf "%s\n" "{\"error\" : {\"stage\":\"llm\",\"msg\":\"m\"},  \"fn\":\"f\"}" >er &&
	bench --candidate-dir hang --timeout 1 <er >out 2>err &&
	test_cmp er out &&
	test_must_be_empty err
'

test_expect_success 'an invalid line is reported and skipped: exit 1' '
	printf "%s\n" "{\"attempt\":" "{\"error\":{\"stage\":\"x\",\"msg\":\"m\"}}" >bad &&
	test_expect_code 1 bench --candidate-dir hang <bad >out 2>err &&
	test_line_count = 1 out &&
	grep "^pesq-bench: <stdin>:1: " err
'

test_expect_success 'empty input gives empty output' '
	bench --candidate-dir fast </dev/null >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success 'named files are read in order' '
	bench --candidate-dir hang er - er <er >out &&
	cat er er er >expect &&
	test_cmp expect out
'

test_expect_success 'usage errors: no benchmark, half a pair of directories, bad values' '
	test_expect_code 2 pesq-bench --base-dir base --candidate-dir fast </dev/null 2>err &&
	grep "no benchmark command" err &&
	test_expect_code 2 pesq-bench --candidate-dir fast --bench x </dev/null &&
	test_expect_code 2 pesq-bench --base-dir base --bench x </dev/null &&
	test_expect_code 2 bench --candidate-dir fast -m fast </dev/null &&
	test_expect_code 2 bench --candidate-dir fast -c 2 </dev/null &&
	test_expect_code 2 bench --candidate-dir fast --sandbox maybe </dev/null &&
	test_expect_code 3 bench --candidate-dir nowhere </dev/null
'

test_expect_success '--sandbox on fails when bubblewrap cannot run' '
	PESQ_BWRAP=/nonexistent/bwrap test_expect_code 3 \
		pesq-bench --sandbox on --base-dir base --candidate-dir fast \
		--bench ./run </dev/null 2>err &&
	grep "sandbox on" err &&
	PESQ_BWRAP=/nonexistent/bwrap pesq-bench --base-dir base \
		--candidate-dir fast --bench ./run </dev/null
'

test_done
