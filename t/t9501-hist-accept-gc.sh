#!/bin/sh
test_description='git pesq accept and gc

accept brings pesq/best into the current branch (fast-forward, a merge,
or one squashed commit) and refuses a dirty tree or conflicting changes;
gc deletes the branches of attempts not accepted and the report keeps
its numbers.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }
. "$TEST_DIRECTORY/lib-history.sh"

test_expect_success 'setup: the ledger' '
	mkdir repo &&
	(cd repo && make_ledger && git rev-parse HEAD >../start)
'

test_expect_success 'accept refuses a dirty tree and a staged change' '
	(
		cd repo &&
		echo "/* mine */" >>count.c &&
		test_expect_code 1 git pesq accept 2>../err1 &&
		git checkout count.c &&
		echo new >new.t && git add new.t &&
		test_expect_code 1 git pesq accept 2>../err2 &&
		git rm -q --cached new.t && rm new.t
	) &&
	test_grep "working tree or the index has changes" err1 &&
	test_grep "working tree or the index has changes" err2 &&
	git -C repo rev-parse HEAD >actual &&
	test_cmp start actual
'

test_expect_success 'accept: fast-forward' '
	(cd repo && git pesq accept >../out) &&
	test_grep "fast-forward to pesq/best" out &&
	git -C repo rev-parse pesq/best >expect &&
	git -C repo rev-parse HEAD >actual &&
	test_cmp expect actual &&
	git -C repo status --porcelain >st &&
	test_must_be_empty st &&
	(cd repo && git pesq accept >../out) &&
	test_grep "already has pesq/best" out
'

test_expect_success 'accept --squash: one commit, trailers and speedups' '
	(
		cd repo &&
		git reset -q --hard "$(cat ../start)" &&
		git pesq accept --squash >../out
	) &&
	test_grep "one commit with pesq/best" out &&
	git -C repo rev-parse HEAD^ >actual &&
	test_cmp start actual &&
	git -C repo diff --quiet HEAD pesq/best &&
	git -C repo log -1 --format=%B >msg &&
	sed -n "1,7p" msg >actual &&
	cat >expect <<-\EOF &&
	pesq: 2 accepted attempts, 2x

	Measured speedups, each against the step before (2x in all):

	  count_word: faster count_word (1.25x)  [1.2-1.3]
	  table_find: faster table_find (1.60x)  [1.5-1.7]

	EOF
	test_cmp expect actual &&
	git -C repo log -1 --format="%(trailers:key=Pesq-Attempt,valueonly)" >actual &&
	printf "%s\n" count_word/1 table_find/1 "" >expect &&
	test_cmp expect actual &&
	git -C repo log -1 --format="%(trailers:key=Pesq-Speedup,valueonly)" >actual &&
	test_line_count = 3 actual
'

test_expect_success 'accept on a branch that moved on: a merge' '
	(
		cd repo &&
		git reset -q --hard "$(cat ../start)" &&
		test_commit other &&
		git pesq accept -m "take pesq" >../out
	) &&
	test_grep "merged pesq/best" out &&
	git -C repo log -1 --format=%s >actual &&
	echo "take pesq" >expect && test_cmp expect actual &&
	git -C repo rev-parse HEAD^2 >expect &&
	git -C repo rev-parse pesq/best >actual2 &&
	test_cmp expect actual2
'

test_expect_success 'accept refuses changes that conflict, touching nothing' '
	(
		cd repo &&
		git reset -q --hard "$(cat ../start)" &&
		sed "s/table_find(w); }/table_find(w) - 0; }/" count.c >c.new &&
		mv c.new count.c &&
		git commit -q -am mine &&
		git rev-parse HEAD >../mine &&
		test_expect_code 1 git pesq accept 2>../err &&
		test_expect_code 1 git pesq accept --squash 2>../err2 &&
		git status --porcelain >../st
	) &&
	test_grep "have diverged and their changes conflict in" err &&
	test_grep "git-pesq:     count.c" err &&
	test_grep "nothing changed" err2 &&
	test_must_be_empty st &&
	git -C repo rev-parse HEAD >actual &&
	test_cmp mine actual
'

test_expect_success 'accept: detached HEAD, no pesq/best' '
	(
		cd repo &&
		git checkout -q --detach &&
		test_expect_code 1 git pesq accept 2>../err &&
		git checkout -q main
	) &&
	test_grep "HEAD is detached" err &&
	git init -q bare-one &&
	(cd bare-one && test_commit one &&
	 test_expect_code 1 git pesq accept 2>../err) &&
	test_grep "no pesq/best" err
'

test_expect_success 'gc -n says what would go, and nothing goes' '
	(cd repo && git pesq report --json >../before.json &&
	 git pesq gc -n >../out) &&
	cat >expect <<-\EOF &&
	would delete pesq/count_file/1
	would delete pesq/hash/1
	would delete pesq/main/1
	EOF
	test_cmp expect out &&
	git -C repo rev-parse -q --verify pesq/hash/1
'

test_expect_success 'gc --keep-rejected keeps what was measured' '
	git clone -q --mirror repo mirror &&
	(cd mirror && git pesq gc --keep-rejected >../out) &&
	sed "s/ (.*//" out >actual &&
	printf "%s\n" "deleted pesq/hash/1" "deleted pesq/main/1" >expect &&
	test_cmp expect actual &&
	git -C mirror rev-parse -q --verify pesq/count_file/1
'

test_expect_success 'gc deletes the attempts not accepted; report keeps its numbers' '
	(
		cd repo &&
		git pesq gc >../out &&
		git gc -q --prune=now &&
		git pesq report --json >../after.json &&
		git for-each-ref --format="%(refname:short)" refs/heads/pesq/ >../left
	) &&
	test_line_count = 3 out &&
	cat >expect <<-\EOF &&
	pesq/best
	pesq/count_word/1
	pesq/table_find/1
	EOF
	test_cmp expect left &&
	test_cmp before.json after.json &&
	test_must_fail git -C repo cat-file -e "$(git -C mirror rev-parse pesq/main/1 2>/dev/null || echo x)^{commit}" &&
	(cd repo && git pesq show main/1 >../show) &&
	test_grep "no branch, commit not here" show &&
	test_grep "^verdict    output-differs" show
'

test_expect_success 'gc refuses while a run is going on' '
	mkdir -p repo/.git/pesq/run.lock &&
	echo $$ >repo/.git/pesq/run.lock/pid &&
	(cd repo && test_expect_code 1 git pesq gc 2>../err) &&
	test_grep "is going on" err &&
	rm -rf repo/.git/pesq/run.lock
'

test_done
