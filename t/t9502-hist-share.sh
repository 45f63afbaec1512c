#!/bin/sh
test_description='git pesq push and pull: ledgers travel and merge

Two clones of one bare repository each make attempts; push and pull move
refs/notes/pesq, pesq/best and the attempt branches, the notes merge with
cat_sort_uniq, and the report of either side counts both.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }
. "$TEST_DIRECTORY/lib-history.sh"

test_expect_success 'setup: a bare repository, clone a with a ledger' '
	git init -q --bare bare.git &&
	mkdir a &&
	(
		cd a &&
		make_ledger &&
		git remote add origin ../bare.git &&
		git push -q origin main
	) &&
	git clone -q bare.git b
'

test_expect_success 'b: its own attempt count_word/1 before it pulls' '
	(
		cd b &&
		B0=$(git rev-parse HEAD) &&
		git update-ref refs/heads/pesq/best $B0 "" &&
		try count_word 1 $B0 $B0 0 true 1700000700 fake leaf 1000 500 \
		    "int count_word(const char *w) { return 1 * table_find(w); }" &&
		judge $c count_word/1 1700000710 rejected 1.0 0.9 1.1 0.5 0.5 &&
		git update-ref refs/heads/pesq/count_word/1 $c "" &&
		echo $c >../b-attempt
	)
'

test_expect_success 'a pushes its ledger, best and attempts' '
	(cd a && git pesq push >../out 2>../err) &&
	test_grep "pushed to origin" out &&
	git -C a rev-parse refs/notes/pesq >expect &&
	git -C bare.git rev-parse refs/notes/pesq >actual &&
	test_cmp expect actual &&
	git -C a rev-parse pesq/best >expect &&
	git -C bare.git rev-parse pesq/best >actual &&
	test_cmp expect actual &&
	git -C bare.git for-each-ref --format="%(refname:short)" refs/heads/pesq/ >actual &&
	cat >expect <<-\EOF &&
	pesq/best
	pesq/count_file/1
	pesq/count_word/1
	pesq/hash/1
	pesq/main/1
	pesq/table_find/1
	EOF
	test_cmp expect actual
'

test_expect_success 'b pulls: notes merged, best fast-forwarded, a name taken kept apart' '
	(cd b && git pesq pull >../out 2>../err) &&
	test_grep "count_word/1 from origin is pesq/count_word/2 here" err &&
	test_grep "pesq/best: fast-forward" out &&
	git -C a rev-parse pesq/best >expect &&
	git -C b rev-parse pesq/best >actual &&
	test_cmp expect actual &&
	git -C b rev-parse pesq/count_word/1 >actual &&
	test_cmp b-attempt actual &&
	git -C a rev-parse pesq/count_word/1 >expect &&
	git -C b rev-parse pesq/count_word/2 >actual &&
	test_cmp expect actual &&
	(cd b && git pesq report --json >../b.json) &&
	jq -c "[.attempts, .unfinished, .accepted, .verdicts.rejected, .tokens.total]" b.json >actual &&
	echo "[6,1,2,2,2570]" >expect &&
	test_cmp expect actual
'

test_expect_success 'b pushes: its attempt goes under a free name' '
	(cd b && git pesq push >../out 2>../err) &&
	test_grep "pesq/count_word/1 is pesq/count_word/2 on origin" err &&
	git -C bare.git rev-parse pesq/count_word/2 >actual &&
	test_cmp b-attempt actual &&
	git -C b rev-parse refs/notes/pesq >expect &&
	git -C bare.git rev-parse refs/notes/pesq >actual &&
	test_cmp expect actual
'

test_expect_success 'a pulls: one ledger with both machines'"'"' attempts' '
	(cd a && git pesq pull >../out 2>../err) &&
	git -C a rev-parse pesq/count_word/2 >actual &&
	test_cmp b-attempt actual &&
	(cd a && git pesq report --json >../a.json && git pesq log >../a.log) &&
	test_cmp a.json b.json &&
	test_line_count = 8 a.log &&
	(cd a && test_expect_code 2 git pesq show count_word/1 2>../err) &&
	test_grep "attempt .count_word/1. is ambiguous" err &&
	(cd a && git pesq show pesq/count_word/2 >../show) &&
	test_grep "^verdict    rejected" show &&
	c=$(cat b-attempt) &&
	git -C a notes --ref=pesq show $c >note &&
	test_line_count = 6 note
'

test_expect_success 'the same notes on both sides merge to one copy of each line' '
	(cd a && git pesq pull >../out && git pesq report --json >../a2.json) &&
	test_cmp a.json a2.json &&
	(cd b && git pesq pull >../out && git pesq push >../out2) &&
	git -C bare.git for-each-ref refs/heads/pesq/ >refs &&
	test_line_count = 7 refs
'

test_expect_success 'pull from a remote with no pesq refs yet, and a bad remote' '
	git init -q --bare empty.git &&
	(cd a && git pesq pull ../empty.git >../out) &&
	test_grep "0 attempt branches new" out &&
	(cd a && test_expect_code 3 git pesq pull ../nowhere.git 2>../err) &&
	test_grep "cannot reach .../nowhere.git." err
'

test_done
