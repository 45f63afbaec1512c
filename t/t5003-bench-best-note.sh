#!/bin/sh
test_description='pesq-bench: the accepted line on pesq/best, killed and rerun'
. ./test-lib.sh

scale=1
if test_have_prereq SANITIZE; then scale=4; fi
u() {
	awk -v u="$1" -v s="$scale" "BEGIN { print u * s }"
}

# attempt ID BASE COMMIT: an input record
attempt() {
	printf '{"fn":"%s","attempt":{"id":"%s","branch":"pesq/%s","base":"%s","commit":"%s","n_corrections":0},"build":{"ok":true,"ms":1,"log":""},"candidate":{"summary":"less work"},"llm":{"model":"m-%s"}}\n' \
		"${1%/*}" "$1" "$1" "$2" "$3" "$1"
}

# branch NAME FROM KNOB: an attempt commit on pesq/NAME, its id in NAME.id
branch() {
	git checkout -q -b "pesq/$1" "$2" &&
	u "$3" >knob &&
	git commit -q -a -m "pesq: ${1%/*}: less work

Pesq-Attempt: $1" &&
	git rev-parse HEAD >"$HOME/$(echo "$1" | tr / -).id" &&
	git checkout -q main
}

# accepted_lines REV: the accepted lines in the note of REV
accepted_lines() {
	git -C repo notes --ref=pesq show "$1" >note &&
	grep "^{\"event\":\"accepted\"," note
}

# whole_note NAME: the note of NAME.id holds the attempt's lines, once:
# test, bench, verdict (in note, for more checks)
whole_note() {
	git -C repo notes --ref=pesq show "$(cat "$1.id")" >note &&
	jq -r .event note >actual &&
	printf "test\nbench\nverdict\n" >expect &&
	test_cmp expect actual
}

# killed_at STEP N BASE KNOB: attempt fast/N (knob KNOB) on the commit in
# the file BASE, its record in inN, judged by a pesq-bench killed at STEP
killed_at() {
	(
	cd repo &&
	branch "fast/$2" "$(cat "../$3")" "$4" &&
	attempt "fast/$2" "$(cat "../$3")" "$(cat "../fast-$2.id")" >"../in$2"
	) &&
	test_expect_code 137 env PESQ_BENCH_KILL_AT="$1" \
		pesq-bench -C repo --sandbox off <"in$2" >out
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
	git config pesq.build true &&
	branch fast/1 main 3 &&
	attempt fast/1 "$(cat ../base.id)" "$(cat ../fast-1.id)" >../in1
	)
'

test_expect_success 'killed after the note, before the ref: pesq/best does not move' '
	test_expect_code 137 env PESQ_BENCH_KILL_AT=note \
		pesq-bench -C repo --sandbox off <in1 >out &&
	test_must_be_empty out &&
	test_must_fail git -C repo rev-parse -q --verify pesq/best &&
	test_must_fail git -C repo notes --ref=pesq show "$(cat fast-1.id)"
'

test_expect_success 'the rerun makes pesq/best with one accepted line' '
	pesq-bench -C repo --sandbox off <in1 >out 2>err &&
	jq -r .verdict out >actual &&
	echo accepted >expect &&
	test_cmp expect actual &&
	git -C repo rev-parse pesq/best >best1 &&
	accepted_lines pesq/best >lines &&
	test_line_count = 1 lines &&
	jq -r ".attempt, .attempt_commit, .model" lines >actual &&
	{ echo fast/1 && cat fast-1.id && echo m-fast/1; } >expect &&
	test_cmp expect actual &&
	git -C repo notes --ref=pesq show "$(cat fast-1.id)" >note &&
	tail -n 1 note | jq -r .best >actual &&
	test_cmp best1 actual
'

test_expect_success 'killed after the attempt'"'"'s lines: they name the commit, pesq/best has not moved' '
	killed_at lines 2 best1 1.5 &&
	git -C repo rev-parse pesq/best >actual &&
	test_cmp best1 actual &&
	whole_note fast-2 &&
	tail -n 1 note | jq -r ".verdict, .best" >v &&
	sed -n 1p v >actual &&
	echo accepted >expect &&
	test_cmp expect actual &&
	sed -n 2p v >best2 &&
	git -C repo rev-parse "$(cat best2)^" >actual &&
	test_cmp best1 actual &&
	accepted_lines "$(cat best2)" >lines &&
	test_line_count = 1 lines
'

test_expect_success 'the rerun moves pesq/best there and judges nothing again' '
	pesq-bench -C repo --sandbox off <in2 >out 2>err &&
	jq -r .verdict out >actual &&
	echo accepted >expect &&
	test_cmp expect actual &&
	test_grep "judged before a kill cut the run short; pesq/best moved to $(cut -c1-12 best2) now" err &&
	jq -e ".bench.decision == \"accepted\" and .test != null" out &&
	git -C repo rev-parse pesq/best >actual &&
	test_cmp best2 actual &&
	accepted_lines pesq/best >lines &&
	test_line_count = 1 lines &&
	whole_note fast-2
'

test_expect_success 'a rerun adds the line to a pesq/best commit without it' '
	git -C repo notes --ref=pesq remove pesq/best 2>/dev/null &&
	pesq-bench -C repo --sandbox off <in2 >out 2>err &&
	git -C repo rev-parse pesq/best >actual &&
	test_cmp best2 actual &&
	accepted_lines pesq/best >lines &&
	test_line_count = 1 lines &&
	jq -r .attempt_commit lines >actual &&
	test_cmp fast-2.id actual
'

test_expect_success 'git log --notes=pesq pesq/best: a line on each step' '
	git -C repo log --notes=pesq --format="%s%n%N" pesq/best >log &&
	grep "^{\"event\":\"accepted\"," log >lines &&
	jq -r .attempt lines >actual &&
	printf "fast/2\nfast/1\n" >expect &&
	test_cmp expect actual
'

test_expect_success JQ 'git pesq log does not take the lines for attempts' '
	(cd repo && git pesq log --json >../log.json) &&
	jq -r ".id + \" \" + .verdict" log.json >actual &&
	printf "fast/2 accepted\nfast/1 accepted\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'killed after the ref: the attempt'"'"'s note is whole' '
	killed_at ref 3 best2 0.75 &&
	git -C repo rev-parse pesq/best^ >actual &&
	test_cmp best2 actual &&
	whole_note fast-3 &&
	tail -n 1 note | jq -r .best >actual &&
	git -C repo rev-parse pesq/best >expect &&
	test_cmp expect actual
'

test_done
