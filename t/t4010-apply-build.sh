#!/bin/sh
test_description='pesq-apply: builds in a reused worktree, logs, timeouts, corrections'
. ./test-lib.sh
. "$TEST_DIRECTORY"/apply-lib.sh

if ! test_have_prereq CC
then
	skip_all='no C compiler'
	test_done
fi

test_expect_success 'setup' '
	apply_setup r &&
	(cd r && test-apply-rec sum sum.c ../good.c "unroll") >good.in &&
	(cd r && test-apply-rec sum sum.c ../bad.c "broken") >bad.in &&
	(cd r && test-apply-rec other other.c ../other-good.c "swap") >other.in &&
	echo "/* dirty */" >>r/sum.c &&
	snapshot r before
'

test_expect_success 'a clean first build compiles everything' '
	pesq-apply -C r --build "make >make.out" <good.in >out &&
	test_grep "\"build\":{\"ok\":true" out &&
	cat >expect <<-\EOF &&
	CC main.c
	CC sum.c
	CC other.c
	LD prog
	EOF
	test_cmp expect r/.git/pesq/slot-0/make.out
'

test_expect_success 'the next attempt recompiles only the changed file' '
	sed "s/s0 + s1/s1 + s0/" good.c >good2.c &&
	(cd r && test-apply-rec sum sum.c ../good2.c "swap") >good2.in &&
	pesq-apply -C r --build "make >make.out" <good2.in >out &&
	test_grep "\"id\":\"sum/2\"" out &&
	test_grep "\"build\":{\"ok\":true" out &&
	printf "CC sum.c\nLD prog\n" >expect &&
	test_cmp expect r/.git/pesq/slot-0/make.out
'

test_expect_success 'an attempt on another file: that file and the reverted one' '
	pesq-apply -C r --build "make >make.out" <other.in >out &&
	printf "CC sum.c\nCC other.c\nLD prog\n" >expect &&
	test_cmp expect r/.git/pesq/slot-0/make.out
'

test_expect_success 'a failed build: the error line first, with its context' '
	pesq-apply -C r <bad.in >bad.out &&
	test_grep "\"build\":{\"ok\":false" bad.out &&
	test_grep "\"id\":\"sum/3\"" bad.out &&
	test-apply-rec -p build.log bad.out >log &&
	head -n 1 log >actual &&
	echo "build exited with 2" >expect &&
	test_cmp expect actual &&
	grep -n "^sum.c:[0-9]*:[0-9]*: error: " log >first &&
	test_grep "^3:sum.c:10:.*undeclared_thing" first &&
	test_grep "In function" log &&
	test_grep -v "^CC " log &&
	test_grep -v "/.git/pesq/" log &&
	git -C r notes --ref=pesq show pesq/sum/3 >note &&
	test_grep "\"event\":\"build\".*\"ok\":false.*undeclared_thing" note
'

test_expect_success 'a correction adds a commit on the same branch' '
	sed "s/undeclared_thing/still_undeclared/" bad.c >bad2.c &&
	test-apply-rec -f bad.out bad2.c >c1.in &&
	test_tick &&
	pesq-apply -C r <c1.in >c1.out &&
	test_grep "\"attempt\":{\"id\":\"sum/3\",\"branch\":\"pesq/sum/3\",\"base\":\"$(git -C r rev-parse main)\",\"commit\":\"$(git -C r rev-parse pesq/sum/3)\",\"n_corrections\":1}" c1.out &&
	test_grep "\"build\":{\"ok\":false" c1.out &&
	test-apply-rec -p build.log c1.out >log &&
	test_grep "still_undeclared" log &&
	git -C r rev-list main..pesq/sum/3 >commits &&
	test_line_count = 2 commits &&
	git -C r show -s --format=%s%n%b pesq/sum/3 >msg &&
	test_grep "^Pesq-Correction: 1\$" msg &&
	test_grep "^Pesq-Attempt: sum/3\$" msg &&
	git -C r notes --ref=pesq show pesq/sum/3 >note &&
	test_grep "\"event\":\"apply\",\"attempt\":\"sum/3\".*\"n_corrections\":1" note
'

test_expect_success 'a second correction that builds: the branch shows every try' '
	test-apply-rec -f c1.out good.c >c2.in &&
	test_tick &&
	pesq-apply -C r <c2.in >c2.out &&
	test_grep "\"n_corrections\":2},\"build\":{\"ok\":true" c2.out &&
	git -C r rev-list main..pesq/sum/3 >commits &&
	test_line_count = 3 commits &&
	git -C r log --format=%s main..pesq/sum/3 >subjects &&
	cat >expect <<-\EOF &&
	pesq: sum: corrected
	pesq: sum: corrected
	pesq: sum: broken
	EOF
	test_cmp expect subjects &&
	git -C r diff --name-only pesq/sum/3~1 pesq/sum/3 >files &&
	echo sum.c >expect &&
	test_cmp expect files &&
	git -C r show pesq/sum/3:sum.c >actual &&
	git -C r show pesq/sum/1:sum.c >expect &&
	test_cmp expect actual
'

test_expect_success 'a stale correction is refused and writes nothing' '
	test-apply-rec -f bad.out good.c >stale.in &&
	pesq_refs r >refs-before &&
	pesq-apply -C r <stale.in >stale.out &&
	test_grep "\"msg\":\"branch .pesq/sum/3. moved since the attempt was made\"" stale.out &&
	pesq_refs r >refs-after &&
	test_cmp refs-before refs-after
'

test_expect_success 'a correction may not name a branch of another function' '
	sed "s/\"id\":\"sum\\/3\"/\"id\":\"other\\/1\"/" c1.out >x.in &&
	test-apply-rec -f x.in good.c >y.in &&
	pesq-apply -C r <y.in >y.out &&
	test_grep "\"msg\":\".attempt.id. .other/1. is not an attempt of .sum.\"" y.out
'

test_expect_success 'a build that runs too long is killed' '
	pesq-apply -C r --timeout 0.5 --build "sleep 30 & sleep 30; wait" \
		<good.in >out &&
	test_grep "\"build\":{\"ok\":false" out &&
	test-apply-rec -p build.log out >log &&
	head -n 1 log >actual &&
	echo "build timed out after 0.5 s" >expect &&
	test_cmp expect actual
'

test_expect_success 'pesq.build and pesq.buildTimeout are read' '
	git -C r config pesq.build "echo from-config; exit 3" &&
	pesq-apply -C r <good.in >out &&
	test-apply-rec -p build.log out >log &&
	printf "build exited with 3\nfrom-config\n" >expect &&
	test_cmp expect log &&
	git -C r config pesq.build "sleep 30" &&
	git -C r config pesq.buildTimeout 1 &&
	pesq-apply -C r <good.in >out &&
	test-apply-rec -p build.log out >log &&
	test_grep "^build timed out after 1 s" log &&
	git -C r config --unset pesq.build &&
	git -C r config --unset pesq.buildTimeout
'

test_expect_success 'slots are separate worktrees' '
	pesq-apply -C r --slot 1 --build "make >make.out" <good.in >out &&
	test_line_count = 4 r/.git/pesq/slot-1/make.out
'

test_expect_success 'nothing was built or changed in the user tree' '
	snapshot r after &&
	test_cmp before after &&
	test_path_is_missing r/prog &&
	test_path_is_missing r/sum.o
'

test_done
