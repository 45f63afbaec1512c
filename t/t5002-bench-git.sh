#!/bin/sh
test_description='pesq-bench on a repository: worktrees, notes, pesq/best'
. ./test-lib.sh

# Units of work: more under the sanitizers, whose start-up costs would
# otherwise hide the differences in work.
scale=1
if test_have_prereq SANITIZE; then scale=4; fi
u() {
	awk -v u="$1" -v s="$scale" "BEGIN { print u * s }"
}

pb() {
	pesq-bench --sandbox off "$@"
}

# attempt ID BASE COMMIT [SUMMARY]: an input record
attempt() {
	printf '{"fn":"%s","attempt":{"id":"%s","branch":"pesq/%s","base":"%s","commit":"%s","n_corrections":0},"build":{"ok":true,"ms":1,"log":""},"candidate":{"summary":"%s"}}\n' \
		"${1%/*}" "$1" "$1" "$2" "$3" "${4:-less work}"
}

# branch NAME FROM KNOB [FILE]: an attempt commit on pesq/NAME
branch() {
	git checkout -q -b "pesq/$1" "$2" &&
	u "$3" >knob &&
	if [ -n "${4:-}" ]; then echo x >"$4" && git add "$4"; fi &&
	git commit -q -a -m "pesq: ${1%/*}: less work

Pesq-Attempt: $1
Pesq-Model: fake-model" &&
	git rev-parse HEAD >"$HOME/$(echo "$1" | tr / -).id" &&
	git checkout -q main
}

test_expect_success 'setup' '
	git init -q repo &&
	(
	cd repo &&
	printf "#!/bin/sh\nexec spin -f knob\n" >run &&
	chmod +x run &&
	u 6 >knob &&
	git add run knob &&
	git commit -q -m base &&
	git rev-parse HEAD >../base.id &&
	git config pesq.bench ./run &&
	# the checks have tests of their own (t5004)
	git config pesq.sanitize false &&
	git config pesq.differential false &&
	git config pesq.test "test -f knob" &&
	git config pesq.build "test ! -f broken && cat knob >>\"\$HOME/builds.log\"" &&
	branch slow/1 main 4 &&
	branch slow/2 main 4 other &&
	branch broken/1 main 4 broken &&
	attempt slow/1 "$(cat ../base.id)" "$(cat ../slow-1.id)" >../in1 &&
	attempt slow/2 "$(cat ../base.id)" "$(cat ../slow-2.id)" >../in2 &&
	attempt broken/1 "$(cat ../base.id)" "$(cat ../broken-1.id)" >../in3
	)
'

test_expect_success 'a faster attempt is accepted and pesq/best made' '
	(
	cd repo &&
	pb <../in1 >../out 2>../err &&
	jq -r .verdict ../out >actual &&
	echo accepted >expect &&
	test_cmp expect actual &&
	git rev-parse pesq/best^ >actual &&
	test_cmp ../base.id actual &&
	git rev-parse pesq/best^{tree} >expect &&
	git rev-parse "$(cat ../slow-1.id)^{tree}" >actual &&
	test_cmp expect actual
	)
'

test_expect_success 'the squashed commit says what and how much' '
	(
	cd repo &&
	git log -1 --format=%s pesq/best >subject &&
	grep -E "^pesq: slow: less work \([0-9]+\.[0-9]{2}x\)$" subject &&
	git log -1 --format=%b pesq/best >body &&
	grep "^Pesq-Attempt: slow/1$" body &&
	grep "^Pesq-Model: fake-model$" body &&
	grep -E "^Pesq-Speedup: [0-9.]+ \(99% CI [0-9.]+-[0-9.]+, [0-9]+ rounds, cpu\)$" body &&
	grep "^Pesq-Commit: $(cat ../slow-1.id)$" body
	)
'

test_expect_success 'the base was built once, the candidate in its slot' '
	{ u 6 && u 4; } >expect &&
	test_cmp expect builds.log &&
	test_path_is_dir repo/.git/pesq/base &&
	test_path_is_dir repo/.git/pesq/slot-0
'

test_expect_success 'the note holds test, bench and verdict lines' '
	(
	cd repo &&
	git notes --ref=pesq show "$(cat ../slow-1.id)" >../note &&
	jq -r ".event + \" \" + .attempt" ../note >actual &&
	printf "test slow/1\nbench slow/1\nverdict slow/1\n" >expect &&
	test_cmp expect actual &&
	tail -n 1 ../note | jq -r ".verdict, .best" >actual &&
	{ echo accepted && git rev-parse pesq/best; } >expect &&
	test_cmp expect actual
	)
'

test_expect_success 'git log --notes=pesq pesq/best shows what was accepted' '
	(
	cd repo &&
	git log --notes=pesq -1 pesq/best >../log &&
	sed -n "/^Notes (pesq):\$/,\$p" ../log >../notes &&
	test_line_count = 2 ../notes &&
	sed -n "2s/^    //p" ../notes >../line &&
	jq -r ".event, .attempt, .attempt_commit, .metric, .model, .rounds, .confidence" ../line >actual &&
	{
		printf "accepted\nslow/1\n" && cat ../slow-1.id &&
		printf "cpu\nfake-model\n" &&
		jq -r ".bench.rounds, .bench.confidence" ../out
	} >expect &&
	test_cmp expect actual &&
	jq -e --slurpfile r ../out "(.speedup - \$r[0].bench.speedup | fabs) < 0.001
		and .ci[0] > 1 and .ci[0] < .speedup and .speedup < .ci[1]
		and .p < 0.01" ../line
	)
'

test_expect_success '--recompute reaches the same verdict and interval' '
	pb --recompute note >re 2>err &&
	test_cmp note re &&
	test_must_be_empty err
'

test_expect_success '--recompute reports a stored interval that does not hold' '
	jq -c "if .bench then .bench.ci[0] = 1.5 else . end" note >bad &&
	test_expect_code 1 pb --recompute bad >re 2>err &&
	grep "^pesq-bench: bad:2: the recomputed decision or interval differs" err &&
	test_cmp note re
'

test_expect_success '--recompute with other samples decides again' '
	jq -c "if .bench then .bench.cand.cpu = .bench.base.cpu else . end" note >same &&
	test_expect_code 1 pb --recompute same >re 2>err &&
	sed -n 2p re | jq -r ".bench.decision, .bench.speedup" >actual &&
	printf "rejected\n1\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'an attempt on a base that is no longer pesq/best is an error' '
	(
	cd repo &&
	git rev-parse pesq/best >../best.before &&
	pb <../in2 >../out 2>../err &&
	jq -r ".verdict, .bench.decision, (.verdict_reason | startswith(\"pesq/best moved\"))" ../out >actual &&
	printf "error\naccepted\ntrue\n" >expect &&
	test_cmp expect actual &&
	git rev-parse pesq/best >actual &&
	test_cmp ../best.before actual &&
	git notes --ref=pesq show "$(cat ../slow-2.id)" | tail -n 1 | jq -r .verdict >actual &&
	echo error >expect &&
	test_cmp expect actual
	)
'

test_expect_success '--no-advance leaves pesq/best alone' '
	(
	cd repo &&
	best=$(git rev-parse pesq/best) &&
	branch slow/3 "$best" 2.5 &&
	attempt slow/3 "$best" "$(cat ../slow-3.id)" >../in4 &&
	pb --no-advance <../in4 >../out 2>../err &&
	jq -r .verdict ../out >actual &&
	echo accepted >expect &&
	test_cmp expect actual &&
	git rev-parse pesq/best >actual &&
	echo "$best" >expect &&
	test_cmp expect actual
	)
'

test_expect_success 'the same program on a new base is not accepted' '
	(
	cd repo &&
	best=$(git rev-parse pesq/best) &&
	branch same/1 "$best" 4 unrelated &&
	attempt same/1 "$best" "$(cat ../same-1.id)" >../in5 &&
	pb -n 8 <../in5 >../out 2>../err &&
	jq -r .verdict ../out >actual &&
	test_grep -v accepted actual &&
	git rev-parse pesq/best >actual &&
	echo "$best" >expect &&
	test_cmp expect actual
	)
'

test_expect_success 'a candidate that does not build gets build-failed' '
	(
	cd repo &&
	pb <../in3 >../out 2>../err &&
	jq -r ".verdict, .verdict_reason" ../out >actual &&
	printf "build-failed\nthe build exited with status 1\n" >expect &&
	test_cmp expect actual &&
	git notes --ref=pesq show "$(cat ../broken-1.id)" | jq -r .event >actual &&
	echo verdict >expect &&
	test_cmp expect actual
	)
'

test_expect_success 'a record without attempt.commit gets error' '
	(
	cd repo &&
	echo "{\"attempt\":{\"id\":\"x/1\"}}" >../in6 &&
	pb <../in6 >../out 2>../err &&
	jq -r ".verdict, .verdict_reason" ../out >actual &&
	printf "error\nno '"'"'attempt.commit'"'"' in the record\n" >expect &&
	test_cmp expect actual
	)
'

test_expect_success '--calibrate stores the noise floor, and it is used' '
	(
	cd repo &&
	pb --calibrate -n 6 >../cal 2>../err &&
	jq -e ".calibrate.stored and (.calibrate.noise | type) == \"number\" and .bench.rounds == 6" ../cal &&
	git config pesq.noise >noise &&
	grep -E "^[0-9]+\.[0-9]{4}$" noise &&
	grep "^calibrate: noise floor" ../err &&
	git config pesq.noise 0.25 &&
	pb -n 6 <../in5 >../out 2>../err &&
	jq -r .bench.min_gain ../out >actual &&
	echo 0.25 >expect &&
	test_cmp expect actual
	)
'

test_expect_success 'outside a repository without directories: exit 3' '
	mkdir nogit &&
	(cd nogit && GIT_CEILING_DIRECTORIES=$HOME test_expect_code 3 \
		pb --bench true </dev/null 2>../err) &&
	grep "not a git repository" err
'

test_done
