#!/bin/sh
test_description='the final A/B beside the product of the steps

An accepted step measured by the real pesq-bench (pesq/best moves with
its Pesq-Speedup trailer), then the run'"'"'s end (git pesq step finish on a
run made by hand): the final A/B of pesq/best against the start with
the same options as the attempts, its line beside the product of the
steps; a benchmark whose speed the test controls makes the two
disagree, which the line says instead of calling it a real gain.
git pesq report names the same figures as report --last.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

scale=1
if test_have_prereq SANITIZE; then scale=4; fi
u() {
	awk -v u="$1" -v s="$scale" "BEGIN { print u * s }"
}

# run_by_hand: the state of a run that started at base.id and did its
# one target, for git pesq step finish.
run_by_hand() {
	rd=repo/.git/pesq/run &&
	mkdir -p "$rd" &&
	cp base.id "$rd/start" &&
	cat >"$rd/settings" <<-EOF &&
	build=true
	test=
	bench=./run
	functions=1
	attempts=0
	samples=1
	chain=true
	examples=true
	sanitize=false
	differential=false
	metric=auto
	maxRounds=$1
	minGain=0.02
	outputCheck=true
	benchBudget=600
	provider=
	model=
	temperature=
	budget=
	again=
	verbose=
	quiet=
	run_t0=0
	EOF
	echo "{\"fn\":\"work\",\"role\":\"leaf\"}" >"$rd/targets.jsonl" &&
	echo "{\"fn\":\"work\",\"role\":\"leaf\",\"tries\":1,\"verdict\":\"accepted\",\"speedup\":2,\"tokens\":null}" >"$rd/results.jsonl" &&
	touch "$rd/active"
}

test_expect_success 'setup: a step measured faster moves pesq/best' '
	git init -q repo &&
	(
	cd repo &&
	cat >run <<-EOF &&
	#!/bin/sh
	# the test controls the speed of both sides with this file
	if test -f "$HOME/override"; then exec spin -f "$HOME/override"; fi
	exec spin -f knob
	EOF
	chmod +x run &&
	u 16 >knob &&
	git add run knob &&
	git commit -q -m base &&
	git rev-parse HEAD >../base.id &&
	git config pesq.bench ./run &&
	git config pesq.build true &&
	git config pesq.sanitize false &&
	git config pesq.differential false &&
	git config pesq.sandbox off &&
	git checkout -q -b pesq/work/1 &&
	u 8 >knob &&
	git commit -q -a -m "pesq: work: less work" &&
	git rev-parse HEAD >../fast.id &&
	git checkout -q main
	) &&
	printf "{\"fn\":\"work\",\"attempt\":{\"id\":\"work/1\",\"branch\":\"pesq/work/1\",\"base\":\"%s\",\"commit\":\"%s\",\"n_corrections\":0},\"build\":{\"ok\":true,\"ms\":1,\"log\":\"\"},\"candidate\":{\"summary\":\"less work\"}}\n" \
		"$(cat base.id)" "$(cat fast.id)" >in &&
	pesq-bench -C repo --sandbox off -q --max-rounds 30 <in >out &&
	jq -r .verdict out >actual &&
	echo accepted >expect &&
	test_cmp expect actual &&
	git -C repo log -1 --format=%B pesq/best >msg &&
	test_grep "^Pesq-Speedup: " msg
'

test_expect_success 'the final A/B agrees with the step: both named, a real gain' '
	run_by_hand 30 &&
	(cd repo && git pesq step finish >../out 2>../err) &&
	tail -n 1 out >line &&
	test_grep "^pesq/best [0-9a-f]\{7\} against the start [0-9a-f]\{7\}: final A/B [0-9.]*x (99% CI [0-9.]*-[0-9.]*, [0-9]* rounds, cpu time); product of the 1 accepted step [0-9.]*x (CI [0-9.]*-[0-9.]*)" line &&
	jq -e ".final.steps.n == 1 and .final.steps.speedup > 1.1 and
		.bench.max_rounds == 30 and .bench.metric_asked == \"auto\"" \
		repo/.git/pesq/run/final.jsonl &&
	v=$(jq -r .verdict repo/.git/pesq/run/final.jsonl) &&
	if test "$v" = accepted
	then
		test_grep "a real gain; the two agree$" line
	else
		test_grep ! "real gain" line
	fi &&
	test_grep ! "disagree" line
'

test_expect_success 'a final A/B that disagrees with its steps is reported as such' '
	u 16 >override &&
	run_by_hand 30 &&
	(cd repo && git pesq step finish >../out 2>../err) &&
	tail -n 1 out >line &&
	jq -e ".bench.ci[1] < .final.steps.ci[0]" \
		repo/.git/pesq/run/final.jsonl &&
	test_grep "the two disagree beyond their intervals, so neither is a sure figure" line &&
	test_grep ! "real gain" line
'

test_expect_success 'report and report --last name the same figures' '
	(cd repo && git pesq report --last >../last && git pesq report >../all) &&
	tail -n 1 last >final-last &&
	sed -n "s/^final A\/B *//p" all >final-all &&
	test_cmp final-last final-all &&
	test_grep "^pesq/best  *[0-9.]*x, the product of its 1 accepted step" all &&
	(cd repo && git pesq report --json >../all.json) &&
	jq -e ".final.steps.n == 1 and (.final.ci | length) == 2 and
		.final.best == .best.commit" all.json
'

test_expect_success 'report leaves the final A/B out once pesq/best moved on' '
	git -C repo update-ref refs/heads/pesq/best "$(cat base.id)" &&
	(cd repo && git pesq report >../all) &&
	test_grep ! "^final A/B" all &&
	git -C repo update-ref refs/heads/pesq/best \
		"$(jq -r .final.best repo/.git/pesq/run/final.jsonl)"
'

test_done
