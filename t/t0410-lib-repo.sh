#!/bin/sh
test_description='lib/repo: open, resolve, blobs, pesq.* settings, ref CAS'
. ./test-lib.sh

test_expect_success 'setup' '
	git init -q r &&
	cd r &&
	mkdir src &&
	test_commit one src/a.c "int a;" &&
	test_tick &&
	test_commit two src/a.c "int a, b;" &&
	mkdir sub &&
	cd ..
'

test_expect_success 'resolve revisions to commits, also from a subdirectory' '
	git -C r rev-parse HEAD >expect &&
	(cd r/sub && test-git resolve HEAD) >actual &&
	test_cmp expect actual &&
	git -C r rev-parse HEAD~1 >expect &&
	(cd r && test-git resolve main~1) >actual &&
	test_cmp expect actual &&
	git -C r rev-parse "HEAD^{tree}" >tree &&
	(cd r && test_must_fail test-git resolve $(cat ../tree)) &&
	(cd r && test_must_fail test-git resolve nosuch)
'

test_expect_success 'outside a repository: exit 3' '
	mkdir -p norepo &&
	(cd norepo && GIT_CEILING_DIRECTORIES=$HOME test_expect_code 3 test-git resolve HEAD)
'

test_expect_success 'read a blob and its id at a commit' '
	(cd r && test-git blob HEAD~1 src/a.c) >actual 2>id &&
	echo "int a;" >expect &&
	test_cmp expect actual &&
	git -C r rev-parse HEAD~1:src/a.c >expect &&
	test_cmp expect id &&
	(cd r && test_must_fail test-git blob HEAD src/none.c) &&
	(cd r && test_must_fail test-git blob HEAD src)
'

test_expect_success 'pesq.* settings' '
	git -C r config pesq.build "make -j2" &&
	git -C r config pesq.runs 12k &&
	git -C r config pesq.chains off &&
	git -C r config pesq.bad notanumber &&
	(cd r && test-git config-str build && test-git config-int runs &&
	 test-git config-bool chains) >actual &&
	printf "%s\n" "make -j2" 12288 0 >expect &&
	test_cmp expect actual &&
	(cd r && test_must_fail test-git config-str nosuch 2>err) &&
	test_grep unset r/err &&
	(cd r && test_must_fail test-git config-int bad)
'

test_expect_success 'encoded names are valid refs and decode back' '
	for f in foo "ns::f" "a/b" "100%" ".x" "a..b" "x.lock" "@" "f@{1}" \
		"a b" "[unknown]" "x~1^2:?*\\"
	do
		e=$(cd r && test-git encode "$f") &&
		git check-ref-format "refs/heads/pesq/$e/1" &&
		d=$(cd r && test-git decode "$e") &&
		test "$d" = "$f" || return 1
	done
'

test_expect_success 'ref CAS: create only when absent, move only from old' '
	cd r &&
	test-git ref-cas refs/heads/pesq/x HEAD~1 - &&
	test_must_fail test-git ref-cas refs/heads/pesq/x HEAD - 2>err &&
	test_grep "^test-git: -4:" err &&
	test_must_fail test-git ref-cas refs/heads/pesq/x HEAD HEAD 2>err &&
	test_grep "^test-git: -15:" err &&
	git rev-parse HEAD~1 >expect &&
	git rev-parse pesq/x >actual &&
	test_cmp expect actual &&
	test-git ref-cas refs/heads/pesq/x HEAD HEAD~1 &&
	git rev-parse HEAD >expect &&
	git rev-parse pesq/x >actual &&
	test_cmp expect actual
'

test_done
