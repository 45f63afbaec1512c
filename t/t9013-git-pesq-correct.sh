#!/bin/sh
test_description='git pesq run: a correction after every failure kind

The sample project and the fake provider: a candidate that fails its
tests, crashes or changes the output goes back to the model with what
went wrong (the tests own output, the signal, the first differing
line), and the corrected candidate is applied, built and judged again.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

# request N: the user message of the fake provider's request N (from 1).
request() {
	jq -r ".body.messages[-1].content" fake.log | awk -v n="$1" '
		/^Task: / { k++ } k == n' >request.$1
}

# correction_script FILE: a fake-llm script answering table_find's first
# request with the code in FILE and its correction with child-fast.c.
correction_script() {
	{
		reply "Your version was rejected" child-fast.c &&
		reply "Task: make the function \`table_find\`" "$1"
	} >script
}

# run_once DIR [OPTION...]: git pesq run OPTION... --no-chain -n 1 in DIR
# with the sample's stacks, the model played by fake-llm from script;
# its output in out and err.
run_once() {
	start_fake_in_test script &&
	(cd "$1" && shift && git pesq run "$@" --no-chain -n 1 \
		-S ../stacks.folded >../out 2>../err)
}

test_expect_success 'setup: replies' '
	sample_replies &&
	printf "long\ntable_find(const struct table *t, const char *w)\n{\n\treturn t == NULL && w == NULL ? 0 : -1;\n}\n" >child-wrong.c &&
	printf "long\ntable_find(const struct table *t, const char *w)\n{\n\tif (t->n > 3)\n\t\tabort();\n\treturn t == NULL && w == NULL ? 0 : -1;\n}\n" >child-abort.c &&
	printf "long\ntable_find(const struct table *t, const char *w)\n{\n\treturn nosuch(t, w);\n}\n" >child-broken.c
'

test_expect_success 'a failed test: its own output is in the correction, then judged again' '
	new_repo r1 &&
	git -C r1 config pesq.test "make test" &&
	correction_script child-wrong.c &&
	run_once r1 -v &&
	request 2 >/dev/null &&
	test_grep "it compiles, but the tests fail" request.2 &&
	test_grep "The verdict says: the test command exited with status" request.2 &&
	test_grep "The tests.* own output" request.2 &&
	test_grep "^./wordfreq -n 5 test/in.txt >test/out.txt\$" request.2 &&
	test_grep "table_find (table_find/1): the tests failed: correction 1 of 2" err &&
	test_grep ! "pesq-apply --slot" err &&
	grep "^table_find  *leaf  *2  " out >row &&
	test_grep ! "test-failed" row &&
	git -C r1 rev-list --count pesq/best..pesq/table_find/1 >n &&
	echo 2 >expect && test_cmp expect n &&
	git -C r1 notes --ref=pesq show pesq/table_find/1~1 >note &&
	jq -s -e "map(select(.event == \"verdict\"))[-1].verdict == \"test-failed\"" note &&
	git -C r1 notes --ref=pesq show pesq/table_find/1 >note &&
	jq -s -e "map(select(.event == \"verdict\"))[-1].verdict != \"test-failed\"" note
'

test_expect_success 'a crash: the signal is in the correction' '
	new_repo r2 &&
	git -C r2 config pesq.test "./wordfreq -n 5 test/in.txt" &&
	correction_script child-abort.c &&
	run_once r2 &&
	request 2 >/dev/null &&
	test_grep "The test command was killed by SIGABRT (exit status 134)" request.2 &&
	grep "^table_find  *leaf  *2  " out
'

test_expect_success 'a changed output: the first differing line is in the correction' '
	new_repo r3 &&
	correction_script child-wrong.c &&
	run_once r3 &&
	request 2 >/dev/null &&
	test_grep "the program.s output changed" request.2 &&
	test_grep "The first line of the output that differs is line 1" request.2 &&
	(cd r3 && make -s BENCH_WORDS=20000 >/dev/null && ./bench.sh | sed 1q) >first &&
	grep -F "$(cat first)" request.2 &&
	grep "^table_find  *leaf  *2  " out
'

test_expect_success 'a build failure, then a refused splice: both corrected, within --attempts' '
	new_repo r4 &&
	printf "int\ntable_find(const struct table *t, const char *w, int x)\n{\n\treturn -1;\n}\n" >not-it.c &&
	{
		reply "it could not be put in place" child-fast.c &&
		reply "it does not compile" not-it.c &&
		reply "Task: make the function \`table_find\`" child-broken.c
	} >script &&
	run_once r4 -v &&
	test_grep "table_find (table_find/1): the build failed: correction 1 of 2" err &&
	test_grep "table_find.*: the splice was refused: correction 2 of 2" err &&
	request 3 >/dev/null &&
	test_grep "The verdict says: " request.3 &&
	grep "^table_find  *leaf  *3  " out
'

test_expect_success 'no correction beyond --attempts' '
	new_repo r5 &&
	sed "s/return t == NULL/return (t == NULL)/" child-wrong.c >child-wrong2.c &&
	{
		reply "Your version was rejected" child-wrong2.c &&
		reply "table_find" child-wrong.c
	} >script &&
	run_once r5 -a 1 &&
	jq -s length fake.log >n &&
	echo 2 >expect && test_cmp expect n &&
	grep "^table_find  *leaf  *2  output-differs" out
'

test_expect_success 'a parent that calls its child once per call is skipped, and said; --all-parents tries it' '
	new_repo r6 &&
	cat >once.c <<-\EOF &&
	void
	count_word(struct table *t, const char *w)
	{
		long i = table_find(t, w); /* for each word: once */

		if (i < 0)
			i = table_add(t, w);
		t->v[i].count++;
		if (t->v[i].count > t->max)
			t->max = t->v[i].count;
		t->total++;
	}
	EOF
	(
		cd r6 &&
		sed -n "1,/^count_word(/p" count.c | sed "\$d" | sed "\$d" >c.new &&
		cat ../once.c >>c.new &&
		sed -n "/^count_word(/,\$p" count.c | sed "1,/^}/d" >>c.new &&
		mv c.new count.c &&
		make -s BENCH_WORDS=20000 >/dev/null &&
		make -s test &&
		git commit -q -a -m "count_word: once"
	) &&
	reply "table_find" child-fast.c >script &&
	start_fake_in_test script &&
	(cd r6 && git pesq run -v -n 1 -a 0 -S ../stacks.folded \
		>../out 2>../err) &&
	test_grep "targets: count_word skipped, calls table_find once per call" err &&
	test_grep ! "^count_word" out &&
	grep "^table_find  *leaf" out &&
	jq -r ".body.messages[-1].content" fake.log | grep -c "^Task: " >n &&
	echo 1 >expect && test_cmp expect n &&
	(cd r6 && git pesq run -v --all-parents -n 1 -a 0 --base HEAD \
		-S ../stacks.folded >../out 2>../err) &&
	test_grep ! "skipped, calls table_find once" err &&
	grep "^count_word  *parent" out
'

test_done
