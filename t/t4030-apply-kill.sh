#!/bin/sh
test_description='pesq-apply killed at any step: no half-made ref, and a rerun succeeds'
. ./test-lib.sh
. "$TEST_DIRECTORY"/apply-lib.sh

test_expect_success 'setup' '
	apply_setup r &&
	(cd r && test-apply-rec sum sum.c ../good.c "unroll") >in &&
	snapshot r before
'

# check_whole: every pesq/sum/* branch has its commit and a note with
# an apply and a build line for that very attempt.
check_whole() {
	git -C r for-each-ref --format="%(refname:short)" "refs/heads/pesq/sum/*" >branches &&
	while read b
	do
		a=${b#pesq/} &&
		git -C r notes --ref=pesq show "$b" >note &&
		test_line_count = 2 note &&
		test_grep "^{\"event\":\"apply\",\"attempt\":\"$a\"" note &&
		test_grep "^{\"event\":\"build\",\"attempt\":\"$a\"" note || return 1
	done <branches
}

for step in build commit note-apply note-build
do
	test_expect_success "killed at '$step': no branch; a rerun makes it whole" "
		git -C r for-each-ref refs/heads/pesq >refs-before &&
		test_expect_code 137 env PESQ_APPLY_KILL_AT=$step \
			pesq-apply -C r --build true <in >out &&
		git -C r for-each-ref refs/heads/pesq >refs-after &&
		test_cmp refs-before refs-after &&
		check_whole &&
		pesq-apply -C r --build true <in >out &&
		test_line_count = 1 out &&
		check_whole
	"
done

test_expect_success "killed at 'ref': the branch is whole" '
	test_expect_code 137 env PESQ_APPLY_KILL_AT=ref \
		pesq-apply -C r --build true <in >out &&
	test_must_be_empty out &&
	git -C r rev-parse --verify -q pesq/sum/5 &&
	check_whole
'

# A sandboxed build cannot see pesq-apply, let alone kill it: this one
# runs without the sandbox.
test_expect_success 'killed in the middle of a build: the slot is usable again' '
	test_expect_code 137 pesq-apply -C r --sandbox off \
		--build "kill -9 \$PPID; sleep 5" \
		<in >out &&
	pesq-apply -C r --build "make >/dev/null" <in >out &&
	test_grep "\"build\":{\"ok\":true" out &&
	check_whole
'

test_expect_success 'a correction killed before its ref: the branch stays' '
	pesq-apply -C r --build false <in >fail.out &&
	test-apply-rec -f fail.out good.c >corr.in &&
	b=$(grep -o "pesq/sum/[0-9]*" fail.out | sed 1q) &&
	git -C r rev-parse $b >tip-before &&
	sed "s/s0 + s1/s1 + s0/" good.c >good2.c &&
	test-apply-rec -f fail.out good2.c >corr.in &&
	test_expect_code 137 env PESQ_APPLY_KILL_AT=note-build \
		pesq-apply -C r --build true <corr.in >out &&
	git -C r rev-parse $b >tip-after &&
	test_cmp tip-before tip-after &&
	pesq-apply -C r --build true <corr.in >out &&
	test_grep "\"n_corrections\":1" out &&
	git -C r rev-parse $b~1 >actual &&
	test_cmp tip-before actual &&
	check_whole
'

test_expect_success 'the user tree is untouched throughout' '
	snapshot r after &&
	test_cmp before after
'

test_done
