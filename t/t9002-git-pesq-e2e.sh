#!/bin/sh
test_description='git pesq run end to end: the real filters, the fake provider

The sample project (t/fixtures/sample) with a small benchmark, the stacks
given as folded lines (t9004 profiles with perf), and the model played by
fake-llm over the OpenAI protocol, answering from a script per test.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

snapshot() {
	git rev-parse HEAD &&
	git symbolic-ref HEAD &&
	git status --porcelain &&
	git diff --cached
}

test_expect_success 'setup: replies' '
	sample_replies &&
	sed "s/return -1;/return -1/" child-fast.c >child-broken.c &&
	printf "long\ntable_find(const struct table *t, const char *w)\n{\n\treturn t == NULL && w == NULL ? 0 : -1;\n}\n" >child-wrong.c &&
	sed "s/t->total++;/t->total += 2;/" parent-fast.c >parent-wrong.c &&
	grep "total += 2" parent-wrong.c &&
	grep "return -1\$" child-broken.c
'

test_expect_success 'accepted parent first, then a child corrected once' '
	new_repo r1 &&
	{
		reply "Task: make \`count_word\`" parent-fast.c &&
		reply "Your version was rejected" child-wrong.c &&
		reply "Task: make the function \`table_find\`" child-broken.c
	} >script &&
	start_fake_in_test script &&
	(
		cd r1 &&
		snapshot >../before &&
		git pesq run -n 1 -a 1 -S ../stacks.folded >../out 2>../err &&
		snapshot >../after
	) &&
	test_cmp before after &&
	jq -r ".body.messages[-1].content" fake.log | sed -n "s/^Task: //p" |
		cut -c1-20 >asked &&
	cat >expect <<-\EOF &&
	make `count_word` (c
	make the function `t
	you were asked to ma
	EOF
	test_cmp expect asked &&
	grep "^count_word  *parent  *1  accepted" out &&
	grep "^table_find  *leaf  *2  output-differs" out &&
	git -C r1 rev-parse pesq/count_word/1^ >expect &&
	git -C r1 rev-parse HEAD >actual &&
	test_cmp expect actual &&
	git -C r1 rev-list --count pesq/best..pesq/table_find/1 >n &&
	echo 2 >expect && test_cmp expect n &&
	git -C r1 notes --ref=pesq show pesq/table_find/1 >note &&
	jq -s -e "map(select(.event == \"build\"))[-1].ok" note &&
	git -C r1 notes --ref=pesq show pesq/table_find/1~1 >note &&
	jq -s -e "map(select(.event == \"build\"))[-1].ok == false" note
'

test_expect_success 'pesq/best moved by one squashed commit that says why' '
	git -C r1 rev-list --count HEAD..pesq/best >n &&
	echo 1 >expect && test_cmp expect n &&
	git -C r1 log --notes=pesq -1 pesq/best >log &&
	test_grep "count_word" log &&
	git -C r1 diff --stat HEAD pesq/best >stat &&
	test_grep "count.c" stat
'

test_expect_success 'a candidate that changes the output is rejected' '
	new_repo r2 &&
	reply "Task: make \`count_word\`" parent-wrong.c >script &&
	reply "Task: make the function \`table_find\`" parent-wrong.c \
		>>script &&
	start_fake_in_test script &&
	(cd r2 && git pesq run -n 1 -a 0 -S ../stacks.folded >../out 2>../err) &&
	grep "^count_word  *parent  *1  output-differs" out &&
	git -C r2 rev-parse HEAD >expect &&
	git -C r2 rev-parse pesq/best >actual &&
	test_cmp expect actual
'

test_expect_success 'an identical candidate is not accepted' '
	new_repo r3 &&
	sed -n "/^table_find(/,/^}/p" r3/table.c >same.c &&
	{ echo long && cat same.c; } >child-same.c &&
	reply "Task: make the function \`table_find\`" child-same.c >script &&
	start_fake_in_test script &&
	(cd r3 && test_expect_code 1 git pesq run --no-chain -n 1 \
		-S ../stacks.folded >../out 2>../err) &&
	test_grep "^git-pesq: table_find: apply: candidate does not change .table_find.$" err &&
	test_grep "^git-pesq: no attempt reached a verdict" err &&
	test_grep ! "accepted" out &&
	git -C r3 rev-parse HEAD >expect &&
	git -C r3 rev-parse pesq/best >actual &&
	test_cmp expect actual
'

test_expect_success 'kill -9 of git pesq mid-build, then a rerun finishes' '
	new_repo r4 &&
	cat >killer.sh <<-EOF &&
	if mkdir "$HOME/killed" 2>/dev/null
	then
		kill -9 \$(cat "$HOME/r4/.git/pesq/run.lock.pid")
	fi
	exec make BENCH_WORDS=20000
	EOF
	{
		reply "Task: make \`count_word\`" parent-wrong.c &&
		reply "Task: make the function \`table_find\`" child-wrong.c
	} >script &&
	start_fake_in_test script &&
	(
		cd r4 &&
		snapshot >../before &&
		git config pesq.build "sh $HOME/killer.sh" &&
		# a sandboxed build can neither read killer.sh nor see git pesq
		git config pesq.sandbox off &&
		# no correction of the output: a reply for each target alone
		git config pesq.attempts 0 &&
		test_expect_code 137 git pesq run -n 1 -S ../stacks.folded \
			>../out 2>../err
	) &&
	test_path_is_dir killed &&
	(
		cd r4 &&
		git pesq run -n 1 -S ../stacks.folded >../out 2>../err &&
		snapshot >../after &&
		git fsck --no-progress
	) &&
	test_cmp before after &&
	grep "^count_word  *parent  *1  output-differs" out &&
	grep "^table_find  *leaf  *1  output-differs" out &&
	git -C r4 for-each-ref --format="%(refname)" refs/heads/pesq/ >refs &&
	# the kill stopped the build too (the run'"'"'s session): nothing of
	# the attempt was left, and the rerun made it whole
	cat >expect <<-\EOF &&
	refs/heads/pesq/best
	refs/heads/pesq/count_word/1
	refs/heads/pesq/table_find/1
	EOF
	test_cmp expect refs &&
	# the killed attempt is finished by the rerun, not made again
	git -C r4 notes --ref=pesq show pesq/count_word/1 >note &&
	test_grep "\"event\":\"verdict\"" note &&
	git -C r4 rev-parse HEAD >expect &&
	git -C r4 rev-parse pesq/best >actual &&
	test_cmp expect actual
'

test_expect_success PERF 'pesq.mk in the project Makefile runs the same loop' '
	new_repo r5 &&
	{
		reply "Task: make \`count_word\`" parent-wrong.c &&
		reply "Task: make the function \`table_find\`" child-wrong.c
	} >script &&
	start_fake_in_test script &&
	cat >>r5/Makefile <<-EOF &&
	PESQ_BUILD = make BENCH_WORDS=20000
	PESQ_BENCH = ./bench.sh
	PESQ_FUNCTIONS = 1
	PESQ_ATTEMPTS = 0
	include $SRC_ROOT/pesq.mk
	EOF
	echo .pesq/ >>r5/.gitignore &&
	# count_word and table_find as the targets: not same, which clang
	# inlines into table_find (t9010 profiles with inlined functions)
	git -C r5 config pesq.inline false &&
	# the builds include pesq.mk from outside the repository
	git -C r5 config pesq.sandbox.readOnly "$SRC_ROOT/pesq.mk" &&
	(
		cd r5 &&
		git commit -q -a -m "include pesq.mk" &&
		env -u PESQ_BUILD -u MAKEFLAGS -u MAKELEVEL make -s pesq \
			>../out 2>../err
	) &&
	grep "^count_word  *parent  *1  output-differs" out &&
	grep "^table_find  *leaf  *1  output-differs" out &&
	test_path_is_file r5/.pesq/stacks.folded &&
	test_path_is_file r5/.pesq/hot.jsonl &&
	test_cmp out r5/.pesq/report.txt
'

test_done
