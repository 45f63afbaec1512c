#!/bin/sh
test_description='pesq-prompt: each mode with the built-in templates (golden files)'
. ./test-lib.sh

# The golden files under t/fixtures/prompt/expect/ show each prompt as
# text. After a deliberate change of wording, regenerate one with
#   pesq-prompt t/fixtures/prompt/leaf.jsonl >o && <show o> >expect/leaf.txt
# and review the diff like code.
FIX=$SRC_ROOT/t/fixtures/prompt

. "$TEST_DIRECTORY"/lib-prompt.sh

# The output minus the prompt is the input, byte for byte.
check_copy() {
	sed "s/}\$/,\"prompt\":{/" "$1" >prefix &&
	n=$(wc -c <prefix) &&
	head -c $((n - 1)) "$2" >got &&
	head -c $((n - 1)) prefix >want &&
	test_cmp want got
}

for f in leaf parent build-failed test-failed output-differs
do
	test_expect_success JQ "$f: the prompt matches expect/$f.txt" "
		pesq-prompt '$FIX/$f.jsonl' >$f.out &&
		show $f.out >$f.txt &&
		test_cmp '$FIX/expect/$f.txt' $f.txt
	"
	test_expect_success "$f: every other field is copied byte for byte" "
		check_copy '$FIX/$f.jsonl' $f.out
	"
done

test_expect_success JQ 'leaf: optimize mode, the leaf task and guidance' '
	jq -r .prompt.mode leaf.out >mode &&
	echo optimize >expect &&
	test_cmp expect mode &&
	jq -r ".prompt.messages[1].content" leaf.out >user &&
	test_grep "^Task: make the function \`dist2\` (src/geom.c:12) faster\.$" user &&
	test_grep "^- algorithmic cost" user &&
	test_grep "^- loops the compiler can vectorize" user &&
	test_grep "^- independent iterations: the build enables neither OpenMP" user &&
	test_grep -v "hot callee" user
'

test_expect_success JQ 'leaf: the profile facts are shown' '
	test_grep "^\`dist2\` has 42.0% of all samples in its own code and 43.0%" user &&
	test_grep "^Heaviest call chain: \`main\` -> \`run\` -> \`nearest\` -> \`dist2\`\.$" user
'

test_expect_success JQ 'leaf: include paths and warnings are left out of the flags' '
	test_grep "^\`-O2 -DNDEBUG\`$" user
'

test_expect_success JQ 'no role is a leaf; no hot, no profile section' '
	jq -c "del(.role, .hot)" "$FIX/leaf.jsonl" >bare &&
	pesq-prompt bare >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^Task: make the function \`dist2\`" user &&
	test_grep -v "## Profile" user &&
	test_grep "^## The function$" user
'

test_expect_success JQ 'a chain given as one string' '
	jq -c ".hot.chain = \"main;run;dist2\"" "$FIX/leaf.jsonl" >chain &&
	pesq-prompt chain >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^Heaviest call chain: \`main\` -> \`run\` -> \`dist2\`\.$" user
'

test_expect_success JQ 'parent: the child is named, shown, and left out of callees' '
	jq -r ".prompt.messages[1].content" parent.out >user &&
	test_grep "^Task: make \`nearest\` (src/geom.c:21) faster by calling \`dist2\` less\.$" user &&
	test_grep "^## The hot callee \`dist2\`$" user &&
	test_grep -v "^## Functions it calls" user &&
	test_grep "^\`dist2\` takes 4300 of its 4600 samples (93.5%)\.$" user &&
	test_grep "^- hoist calls" user &&
	test_grep "^- cache or reuse results" user &&
	test_grep "^- batch many small calls" user &&
	test_grep "^- skip calls" user
'

test_expect_success JQ 'parent: a child that is a compiler clone is still found' '
	sed "s/\"child\":\"dist2\"/\"child\":\"dist2.part.0\"/" "$FIX/parent.jsonl" >clone &&
	pesq-prompt clone >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^\`dist2\` (src/geom.c:12):$" user
'

test_expect_success JQ 'parent: a child without code (a library function) is said so' '
	sed "s/\"child\":\"dist2\"/\"child\":\"memcpy\"/" "$FIX/parent.jsonl" >lib &&
	pesq-prompt lib >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^## The hot callee \`memcpy\`$" user &&
	test_grep "^Its code is not available here" user &&
	test_grep "^## Functions it calls" user
'

test_expect_success JQ 'flags with -fopenmp allow OpenMP; guessed flags are marked' '
	sed "s/\"role\":\"parent\",\"child\":\"dist2\"/\"role\":\"leaf\"/" "$FIX/parent.jsonl" >omp &&
	pesq-prompt omp >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^- independent iterations: the build compiles with -fopenmp" user &&
	test_grep "^\`-O2 -fopenmp\` (guessed" user
'

test_expect_success JQ 'flags as one string are split and filtered' '
	sed "s/\"flags\":\[[^]]*\]/\"flags\":\"-O3 -I src -Wextra -fopenmp -c x.c\"/" "$FIX/leaf.jsonl" >str &&
	pesq-prompt str >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^\`-O3 -fopenmp\`$" user
'

test_expect_success JQ 'the flags pesq-deps and libclang add are left out' '
	jq -c ".ctx.flags += [\"-working-directory=$PWD\", \"-working-directory\",
		\"/elsewhere\", \"-ferror-limit=0\", \"-w\", \"-fcolor-diagnostics\",
		\"--driver-mode=g++\"]" \
		"$FIX/leaf.jsonl" >wd &&
	pesq-prompt wd >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^\`-O2 -DNDEBUG\`$" user &&
	pesq-prompt "$FIX/leaf.jsonl" >plain &&
	jq -r .prompt.id out >actual &&
	jq -r .prompt.id plain >expect &&
	test_cmp expect actual
'

test_expect_success JQ 'context items with an empty name are ignored' '
	jq -c ".ctx.types += [{\"name\": \"\", \"file\": \"src/x.h\",
		\"line\": 9, \"code\": \"enum { A };\"}]" "$FIX/leaf.jsonl" >anon &&
	pesq-prompt anon >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep -v "src/x.h" user &&
	test_grep -v "^\`\` (" user
'

test_expect_success JQ 'build failure: correct mode with the compiler errors' '
	jq -r ".prompt.mode" build-failed.out >mode &&
	echo correct >expect &&
	test_cmp expect mode &&
	jq -r ".prompt.messages[1].content" build-failed.out >user &&
	test_grep "Your version was rejected: it does not compile\.$" user &&
	test_grep "^src/geom.c:15:2: error: expected" user &&
	test_grep "^## The original function$" user &&
	test_grep "^## Your version$" user &&
	test_grep "return fma(a->x - b->x" user
'

test_expect_success JQ 'build failure: the verdict build-failed alone is enough' '
	sed "s/\"build\":{\"ok\":false/\"verdict\":\"build-failed\",\"build\":{\"ok\":true/" "$FIX/build-failed.jsonl" >bf &&
	pesq-prompt bf >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "it does not compile" user
'

test_expect_success JQ 'test failure: correct mode with the test output' '
	jq -r ".prompt.messages[1].content" test-failed.out >user &&
	test_grep "rejected: it compiles, but the tests fail\.$" user &&
	test_grep "^FAIL t-geom: nearest of (1,1) is 0, want 2$" user
'

test_expect_success JQ 'output differs: the verdict object, its reason and the diff' '
	jq -r ".prompt.messages[1].content" output-differs.out >user &&
	test_grep "the program.s output changed" user &&
	test_grep "^The verdict says: stdout differs in round 1$" user &&
	test_grep "^+4$" user &&
	test_grep "^Task: you were asked to make \`nearest\` faster by calling \`dist2\` less\." user
'

test_expect_success JQ 'output differs: bench.log when there is no bench.diff' '
	sed "s/\"bench\":{\"diff\"/\"bench\":{\"log\"/" "$FIX/output-differs.jsonl" >od &&
	pesq-prompt od >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^+4$" user
'

test_expect_success JQ 'other verdicts give an optimize prompt' '
	for v in accepted rejected inconclusive
	do
		sed "s/\"verdict\":\"test-failed\"/\"verdict\":\"$v\"/" \
			"$FIX/test-failed.jsonl" >v.jsonl &&
		pesq-prompt v.jsonl >out &&
		jq -r .prompt.mode out >mode &&
		echo optimize >expect &&
		test_cmp expect mode || return 1
	done
'

test_expect_success JQ 'correction keeps candidate, attempt and build for the next stages' '
	jq -c "[.candidate.summary, .attempt.id, .build.ok]" build-failed.out >got &&
	echo "[\"Use fma.\",\"dist2/1\",false]" >expect &&
	test_cmp expect got
'

test_done
