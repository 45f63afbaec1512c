#!/bin/sh
test_description='pesq-llm: retries, timeouts, faults, extraction errors'
. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-llm.sh

# entries N: the "entry" of each logged request, one a line
entries() {
	sed 's/.*"entry":\(-*[0-9]*\)}$/\1/' fake.log
}

test_expect_success 'setup' '
	git init -q repo &&
	prompt_rec f >in
'

test_expect_success '429 with Retry-After, then a reply' '
	{
		printf "%s\n" "{\"seq\":0,\"fault\":\"429\",\"retry_after\":0}" &&
		reply_entry f
	} >script &&
	start_fake script &&
	llm -v &&
	entries >actual &&
	printf "0\n1\n" >expect &&
	test_cmp expect actual &&
	test_grep "\"candidate\":{\"code\":\"int f(int x)" out &&
	test_grep "http 429; retry 1 of 3 in 0 ms" err
'

test_expect_success 'Retry-After is honoured (the retry comes no sooner)' '
	{
		printf "%s\n" "{\"seq\":0,\"fault\":\"429\",\"retry_after\":1}" &&
		reply_entry f
	} >script &&
	start_fake script &&
	llm &&
	test_line_count = 2 fake.log &&
	t0=$(sed -n "1s/.*\"t_ms\":\([0-9]*\),.*/\1/p" fake.log) &&
	t1=$(sed -n "2s/.*\"t_ms\":\([0-9]*\),.*/\1/p" fake.log) &&
	test $((t1 - t0)) -ge 990 &&
	test_grep "\"candidate\"" out
'

test_expect_success '500 until the retries run out' '
	printf "%s\n" "{\"fault\":\"500\"}" >script &&
	start_fake script &&
	llm --retries 2 &&
	test_line_count = 3 fake.log &&
	test_grep "\"error\":{\"stage\":\"llm\",\"msg\":\"http 500 from 127.0.0.1:$FAKE_PORT: fake failure (2 retries exhausted)\"}" out &&
	test_grep -v "\"candidate\"" out
'

test_expect_success '401, 400 and 403 are not retried' '
	for s in 401 400 403
	do
		printf "%s\n" "{\"status\":$s,\"message\":\"nope $s\"}" >script &&
		start_fake script &&
		llm || return 1
		test_line_count = 1 fake.log &&
		test_grep "\"msg\":\"http $s from 127.0.0.1:$FAKE_PORT: nope $s (not retried)\"" out &&
		kill $(cat fake.pid) || return 1
	done
'

test_expect_success 'a hang past the timeout is retried' '
	{
		printf "%s\n" "{\"seq\":0,\"fault\":\"hang\"}" &&
		reply_entry f
	} >script &&
	start_fake script &&
	llm --timeout 0.3 &&
	entries >actual &&
	printf "0\n1\n" >expect &&
	test_cmp expect actual &&
	test_grep "\"candidate\"" out
'

test_expect_success 'a server that always hangs: timeout error' '
	printf "%s\n" "{\"fault\":\"hang\"}" >script &&
	start_fake script &&
	llm --timeout 0.2 --retries 1 &&
	test_line_count = 2 fake.log &&
	test_grep "\"msg\":\"no reply from 127.0.0.1:$FAKE_PORT within 200 ms (1 retry exhausted)\"" out
'

test_expect_success 'a truncated body is retried' '
	{
		printf "%s\n" "{\"seq\":0,\"fault\":\"truncate\",\"reply\":\"~~~c\\nint f(void) { return 0; }\\n~~~\"}" &&
		reply_entry f
	} >script &&
	start_fake script &&
	llm &&
	test_line_count = 2 fake.log &&
	test_grep "\"code\":\"int f(int x)" out
'

test_expect_success 'invalid JSON: an error, not retried' '
	printf "%s\n" "{\"fault\":\"badjson\"}" >script &&
	start_fake script &&
	llm &&
	test_line_count = 1 fake.log &&
	test_grep "\"msg\":\"http 200 from 127.0.0.1:$FAKE_PORT: invalid JSON in reply at offset 13: unexpected end of line (not retried)\"" out
'

test_expect_success 'a reply without code: error, reply kept' '
	printf "%s\n" "{\"fault\":\"nocode\"}" >script &&
	start_fake script &&
	llm &&
	test_grep "\"reply\":\"The function is already optimal" out &&
	test_grep "\"error\":{\"stage\":\"llm\",\"msg\":\"reply has no code block defining .f.\"}" out
'

test_expect_success 'a reply whose code does not define the function: error' '
	printf "%s\n" "{\"reply\":\"~~~c\\nint g(int x) { return f(x) + 1; }\\n~~~\\n\"}" >script &&
	start_fake script &&
	llm &&
	test_grep "\"msg\":\"reply has no code block defining .f.\"" out
'

test_expect_success 'a truncated or refused reply: error' '
	printf "%s\n" "{\"reply\":\"~~~c\\nint f(int x) {\\n\",\"finish\":\"length\"}" >script &&
	start_fake script &&
	llm &&
	test_grep "\"msg\":\"reply truncated at the output token limit\"" out &&
	kill $(cat fake.pid) &&
	printf "%s\n" "{\"reply\":\"I cannot help.\",\"finish\":\"refusal\"}" >script &&
	start_fake script &&
	llm &&
	test_grep "\"msg\":\"model refused: I cannot help.\"" out
'

test_expect_success 'anthropic: truncated and refused replies' '
	printf "%s\n" "{\"reply\":\"x\",\"finish\":\"length\"}" >script &&
	start_fake script &&
	(cd repo && ANTHROPIC_API_KEY=k pesq-llm --no-cache --base-url \
		$FAKE_URL <../in >../out) &&
	test_grep "\"msg\":\"reply truncated at the output token limit\"" out
'

test_expect_success 'the fallback model after the retries run out' '
	{
		printf "%s\n" "{\"match\":\"\\\"model\\\":\\\"big\\\"\",\"fault\":\"500\"}" &&
		reply_entry f
	} >script &&
	start_fake script &&
	llm -m big --fallback-model small --retries 1 &&
	sed "s/.*\"body\":{\"model\":\"\([a-z]*\)\".*/\1/" fake.log >actual &&
	printf "big\nbig\nsmall\n" >expect &&
	test_cmp expect actual &&
	test_grep "\"llm\":{\"provider\":\"openai\",\"model\":\"small\"" out &&
	test_grep "\"candidate\"" out
'

test_expect_success 'no fallback after an error that is not retried' '
	printf "%s\n" "{\"status\":401}" >script &&
	start_fake script &&
	llm -m big --fallback-model small &&
	test_line_count = 1 fake.log &&
	test_grep "(not retried)" out
'

test_expect_success 'connection refused: retried, then an error' '
	start_fake script &&
	pid=$(cat fake.pid) &&
	kill $pid &&
	i=0 &&
	while kill -0 $pid 2>/dev/null && test $i -lt 100000
	do
		i=$((i + 1))
	done &&
	llm --retries 1 &&
	test_grep "\"msg\":\"127.0.0.1:$FAKE_PORT: Couldn.t connect to server (1 retry exhausted)\"" out
'

test_done
