#!/bin/sh
test_description='git pesq run and the model: settings checked first, failures said, a budget

The sample project with the stacks given as folded lines and the model
played by fake-llm over the OpenAI protocol.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

# new_repo NAME: the sample, a model named and no provider set.
new_repo() {
	sample_repo "$1" &&
	git -C "$1" config pesq.model gpt-4o
}

# nothing_made REPO: no trace of a run: no pesq/best, no run directory,
# no worktree.
nothing_made() {
	test_must_fail git -C "$1" rev-parse -q --verify refs/heads/pesq/best &&
	test_path_is_missing "$1/.git/pesq/run" &&
	test_path_is_missing "$1/.git/pesq/profile"
}

test_expect_success 'setup' '
	sample_replies &&
	{
		reply "Task: make \`count_word\`" parent-fast.c &&
		reply "Task: make the function \`table_find\`" child-fast.c
	} >script
'

test_expect_success 'no key and no endpoint: refused before the profile' '
	new_repo r1 &&
	(cd r1 && test_expect_code 2 git pesq run >../out 2>../err) &&
	test_grep "^pesq-llm: no provider: set OPENAI_API_KEY" err &&
	test_grep "^git-pesq: no usable model (see above): nothing was run$" err &&
	nothing_made r1 &&
	git -C r1 config pesq.provider anthropic &&
	(cd r1 && test_expect_code 2 git pesq run -S ../stacks.folded \
		>../out 2>../err) &&
	test_grep "ANTHROPIC_API_KEY" err &&
	nothing_made r1 &&
	(cd r1 && test_expect_code 2 git pesq step plan -S ../stacks.folded \
		>../out 2>../err) &&
	nothing_made r1
'

test_expect_success 'OPENAI_BASE_URL from .env' '
	new_repo r2 &&
	start_fake script &&
	test_when_finished stop_fake &&
	echo "OPENAI_BASE_URL=$OPENAI_BASE_URL" >r2/.env &&
	(
		unset OPENAI_BASE_URL OPENAI_API_KEY &&
		cd r2 &&
		git pesq run -n 1 -S ../stacks.folded >../out 2>../err
	) &&
	test_line_count = 2 fake.log &&
	test_grep -v authorization fake.log &&
	grep "^count_word  *parent  *1  accepted" out
'

test_expect_success '--budget 1: exactly one request, and the run says so' '
	new_repo r3 &&
	start_fake script &&
	test_when_finished stop_fake &&
	(cd r3 && git pesq run -n 2 --no-chain --budget 1 \
		-S ../stacks.folded >../out 2>../err) &&
	test_line_count = 1 fake.log &&
	test_grep "^git-pesq: stopped for the token budget: [0-9]* of 1 tokens spent (--budget, pesq.budget); 1 of 2 targets not tried$" err &&
	test_grep "^model: 1 requests, [0-9]* tokens$" out &&
	test_line_count = 4 out
'

test_expect_success 'pesq.budget does the same; continuing keeps the count' '
	new_repo r4 &&
	start_fake script &&
	test_when_finished stop_fake &&
	git -C r4 config pesq.budget 1 &&
	(cd r4 && git pesq run -n 2 --no-chain -S ../stacks.folded \
		>../out 2>../err) &&
	test_line_count = 1 fake.log &&
	test_grep "stopped for the token budget" err &&
	(cd r4 && test_expect_code 2 git pesq run --budget 0 -S ../stacks.folded \
		>../out 2>../err) &&
	test_grep "budget. takes a count of tokens, not .0." err
'

test_expect_success 'cost, when prices are set' '
	new_repo r5 &&
	start_fake script &&
	test_when_finished stop_fake &&
	git -C r5 config pesq.price.gpt-4o.in 2 &&
	git -C r5 config pesq.price.gpt-4o.out 10 &&
	(cd r5 && git pesq run -n 1 --no-chain -S ../stacks.folded \
		>../out 2>../err) &&
	test_grep "^model: 1 requests, 30 tokens, cost 0.000220$" out
'

test_expect_success 'an endpoint that fails: each failure said, and the run exits 1' '
	new_repo r6 &&
	printf "%s\n" "{\"fault\":\"500\"}" >script500 &&
	start_fake script500 &&
	test_when_finished stop_fake &&
	(cd r6 && test_expect_code 1 git pesq run -n 2 --no-chain \
		-S ../stacks.folded >../out 2>../err) &&
	grep "^git-pesq: " err >said &&
	test_grep "^git-pesq: table_find: llm: http 500 from 127.0.0.1:[0-9]*: fake failure (3 retries exhausted)$" said &&
	test_grep "^git-pesq: count_file: llm: http 500 from" said &&
	test_grep "^git-pesq: no attempt reached a verdict: 2 failed before it (the reasons are above)$" said &&
	test_line_count = 3 said
'

test_expect_success 'one attempt with a verdict: exit 0, the failure still said' '
	new_repo r7 &&
	{
		reply "Task: make \`count_word\`" parent-fast.c &&
		printf "%s\n" "{\"fault\":\"500\"}"
	} >script7 &&
	start_fake script7 &&
	test_when_finished stop_fake &&
	(cd r7 && git pesq run -n 1 -S ../stacks.folded >../out 2>../err) &&
	grep "^count_word  *parent  *1  accepted" out &&
	test_grep "^git-pesq: table_find: llm: http 500" err
'

test_expect_success '--check: one small request first' '
	new_repo r8 &&
	{
		printf "%s\n" "{\"match\":\"one word: ready\",\"reply\":\"ready\"}" &&
		cat script
	} >script8 &&
	start_fake script8 &&
	test_when_finished stop_fake &&
	(cd r8 && git pesq run -n 1 --no-chain --check -S ../stacks.folded \
		>../out 2>../err) &&
	test_grep "^pesq-llm: openai .gpt-4o. at 127.0.0.1:[0-9]* answered in" err &&
	sed -n 1p fake.log >first &&
	test_grep "one word: ready" first &&
	test_line_count = 2 fake.log
'

test_expect_success '--check: no answer, nothing run' '
	new_repo r9 &&
	start_fake script500 &&
	test_when_finished stop_fake &&
	(cd r9 && test_expect_code 3 git pesq run -n 1 --check \
		-S ../stacks.folded >../out 2>../err) &&
	test_grep "^git-pesq: the model did not answer (see above): nothing was run$" err &&
	nothing_made r9
'

test_expect_success 'pesq.mk: PESQ_BUDGET shared by the samples of make -j' '
	new_repo r10 &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r10 &&
		unset MAKEFLAGS MFLAGS MAKELEVEL &&
		{
			printf "PESQ_BENCH = ./bench.sh\nPESQ_SAMPLES = 2\n" &&
			printf "PESQ_FUNCTIONS = 1\nPESQ_BUDGET = 1\n" &&
			printf "PESQ_BUILD = make BENCH_WORDS=20000\n" &&
			printf "include %s/pesq.mk\n" "$SRC_ROOT"
		} >pesq-test.mk &&
		mkdir .pesq &&
		git rev-parse HEAD >.pesq/base &&
		cp ../stacks.folded .pesq/stacks.folded &&
		touch -d "+1 minute" .pesq/stacks.folded &&
		make -j2 -f pesq-test.mk pesq >../out 2>../err
	) &&
	test_line_count = 1 fake.log &&
	test_grep "token budget reached" err &&
	test_grep "^git-pesq: the token budget (1 tokens) stopped some requests of this run$" err
'

test_done
