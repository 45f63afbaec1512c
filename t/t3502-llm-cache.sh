#!/bin/sh
test_description='pesq-llm: the reply cache in git, replay, samples in parallel'
. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-llm.sh

llm() {
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm "$@")
}

test_expect_success 'setup' '
	git init -q repo &&
	git -C repo config pesq.model gpt-4o-mini &&
	prompt_rec add >in &&
	prompt_rec mul >>in &&
	{ reply_entry add && reply_entry mul; } >script
'

test_expect_success 'the first run asks, the second makes no request' '
	start_fake script &&
	llm <in >out1 &&
	test_line_count = 2 fake.log &&
	test_grep "\"cached\":false" out1 &&
	llm <in >out2 &&
	test_line_count = 2 fake.log &&
	test_grep -v "\"cached\":false" out2 &&
	sed "s/\"ms\":[0-9]*,\"cached\":false/\"ms\":0,\"cached\":true/" out1 >expect &&
	test_cmp expect out2
'

test_expect_success 'the cache is notes on request blobs' '
	git -C repo notes --ref=pesq-cache list >notes &&
	test_line_count = 2 notes &&
	key=$(sed -n "1s/.* //p" notes) &&
	git -C repo cat-file -p $key >request &&
	test_grep "^{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"max_output_tokens\":0,\"messages\":\[" request &&
	test_grep "\"sample\":0}$" request &&
	git -C repo notes --ref=pesq-cache show $key >entry &&
	test_grep "^{\"reply\":\"Summary: " entry &&
	test_grep "\"in_tokens\":10,\"out_tokens\":20," entry
'

test_expect_success 'a changed parameter misses; --no-cache asks again' '
	start_fake script &&
	llm -t 0.5 <in >out &&
	test_line_count = 2 fake.log &&
	test_grep "\"cached\":false" out &&
	llm -t 0.5 <in >out &&
	test_line_count = 2 fake.log &&
	llm -t 0.5 --no-cache <in >out &&
	test_line_count = 4 fake.log &&
	test_grep -v "\"cached\":true" out
'

test_expect_success 'replay answers from the cache, and a miss is an error' '
	(cd repo && pesq-llm -p replay -m gpt-4o-mini <../in >../out) &&
	test_grep "\"llm\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"" out &&
	test_grep "\"cached\":true" out &&
	(cd repo && pesq-llm -p replay -m other <../in >../out) &&
	test_grep "\"error\":{\"stage\":\"llm\",\"msg\":\"no cached reply for this request (provider .replay.)\"}" out &&
	(cd repo && git config --unset pesq.model &&
		test_expect_code 2 pesq-llm -p replay <../in 2>../err &&
		git config pesq.model gpt-4o-mini) &&
	test_grep "needs the model" err
'

test_expect_success 'outside a repository: no cache, and -v says so' '
	start_fake script &&
	mkdir norepo &&
	(cd norepo && GIT_CEILING_DIRECTORIES=$HOME \
		OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm -v <../in >../out 2>../err) &&
	test_grep "no reply cache" err &&
	test_line_count = 2 out &&
	(cd norepo && GIT_CEILING_DIRECTORIES=$HOME \
		OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm <../in >../out) &&
	test_line_count = 4 fake.log
'

test_expect_success 'samples: one record each, all in flight at once' '
	prompt_rec sq >in3 &&
	reply_entry sq ",\"barrier\":3" >script3 &&
	start_fake script3 &&
	llm -n 3 -j 3 --timeout 20 --retries 0 <in3 >out &&
	test_line_count = 3 fake.log &&
	test_line_count = 3 out &&
	sed "s/.*\"sample\":\([0-9]*\).*/\1/" out >actual &&
	printf "0\n1\n2\n" >expect &&
	test_cmp expect actual &&
	grep -c "\"candidate\":{\"code\":\"int sq(int x)" out >n &&
	echo 3 >expect &&
	test_cmp expect n
'

test_expect_success 'samples are cached one by one' '
	reply_entry sq >script4 &&
	start_fake script4 &&
	llm -n 4 -j 1 <in3 >out &&
	test_line_count = 1 fake.log &&
	test_line_count = 4 out &&
	grep -c "\"cached\":true" out >n &&
	echo 3 >expect &&
	test_cmp expect n
'

test_expect_success JQ '--first-sample: the same requests as the later samples of -n' '
	start_fake script4 &&
	llm --first-sample 2 <in3 >out &&
	llm -n 2 --first-sample 1 <in3 >out2 &&
	test_must_be_empty fake.log &&
	jq -r "\"\\(.llm.sample) \\(.llm.cached)\"" out out2 >actual &&
	cat >expect <<-\EOT &&
	2 true
	1 true
	2 true
	EOT
	test_cmp expect actual &&
	test_expect_code 2 llm --first-sample -1 <in3 2>err &&
	test_grep "invalid --first-sample" err
'

test_expect_success 'with -j 1 the barrier is never reached' '
	start_fake script3 &&
	llm -n 2 -j 1 --timeout 0.3 --retries 0 --no-cache <in3 >out &&
	test_line_count = 2 fake.log &&
	grep -c "within 300 ms\"" out >n &&
	echo 2 >expect &&
	test_cmp expect n
'

test_expect_success 'records come out in input order with many in flight' '
	for f in f1 f2 f3 f4 f5 f6
	do
		prompt_rec $f && reply_entry $f ",\"barrier\":2" >>script6 || return 1
	done >in6 &&
	start_fake script6 &&
	llm -j 2 --timeout 20 --no-cache <in6 >out &&
	sed "s/^{\"fn\":\"\([a-z0-9]*\)\".*/\1/" out >actual &&
	printf "f1\nf2\nf3\nf4\nf5\nf6\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'concurrent writers share the cache without losing entries' '
	for f in f1 f2 f3 f4 f5 f6
	do
		reply_entry $f || return 1
	done >script7 &&
	start_fake script7 &&
	git init -q repo2 &&
	head -n 3 in6 >a &&
	tail -n 3 in6 >b &&
	{
		(cd repo2 && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm -j 2 \
			<../a >../oa) &
	} &&
	(cd repo2 && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm -j 2 \
		<../b >../ob) &&
	wait &&
	test_line_count = 6 fake.log &&
	git -C repo2 notes --ref=pesq-cache list >notes &&
	test_line_count = 6 notes
'

test_done
