#!/bin/sh
test_description='pesq-llm: models as the services have them

OpenAI reasoning models refuse max_tokens and a temperature other than 1
(the fake provider answers with the error bodies OpenAI sends); pesq-llm
knows the families, learns the rest from the 400, asks again once, says
so once and remembers it in refs/notes/pesq-models. Anthropic: refusals,
the stop reasons, its error bodies. --settings and --check.'
. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-llm.sh

test_lazy_prereq CURL 'command -v curl'

# start_reasoning SCRIPT: fake-llm whose gpt-5*, o3* and my-reasoner*
# models behave as OpenAI's reasoning models do.
start_reasoning() {
	rm -f fake.port fake.pid fake.log &&
	fake-llm --daemon --idle 60 --port-file fake.port --pid-file fake.pid \
		--script "$1" --log fake.log --reasoning gpt-5,o3,my-reasoner &&
	FAKE_PORT=$(cat fake.port) &&
	FAKE_URL=http://127.0.0.1:$FAKE_PORT &&
	test_when_finished "kill \$(cat '$PWD/fake.pid') 2>/dev/null || :"
}

# bodies: the body of each logged request, one a line
bodies() {
	sed 's/.*"body":\({.*}\),\("refused":[0-9]*,\)*"entry":.*/\1/' fake.log
}

test_expect_success 'setup' '
	git init -q repo &&
	prompt_rec add >in &&
	prompt_rec mul >>in &&
	{ reply_entry add && reply_entry mul; } >script
'

test_expect_success CURL,JQ 'the fake refuses as OpenAI does' '
	start_reasoning script &&
	prompt_rec add >in1 &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --no-cache \
		-m my-reasoner-0 -t 0.2 <../in1 >../out 2>../err) &&
	test_grep "\"refused\":400" fake.log &&
	cat >expect <<-\EOF &&
	{"error":{"message":"Unsupported value: '"'"'temperature'"'"' does not support 0.2 with this model. Only the default (1) value is supported.","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}}
	EOF
	sed -n 1p fake.log >req &&
	jq -c .body req >body &&
	curl -s -o actual -H "Content-Type: application/json" \
		--data-binary @body $FAKE_URL/v1/chat/completions &&
	echo >>actual &&
	test_cmp expect actual
'

test_expect_success 'a known family: no temperature; max_tokens learned' '
	start_reasoning script &&
	llm -j 1 -m gpt-5 -t 0.7 --max-output-tokens 100 &&
	test_line_count = 3 fake.log &&
	bodies >bodies &&
	sed -n 1p bodies >first &&
	test_grep "^{\"model\":\"gpt-5\",\"max_tokens\":100,\"messages\":" first &&
	sed -n 2p bodies >second &&
	test_grep "^{\"model\":\"gpt-5\",\"max_completion_tokens\":100,\"messages\":" second &&
	test_grep -v "\"temperature\"" bodies &&
	test_grep "\"max_completion_tokens\":100" fake.log &&
	test_line_count = 2 out &&
	test_grep "\"candidate\":{\"code\":\"int add(int x)" out &&
	test_grep "\"llm\":{\"provider\":\"openai\",\"model\":\"gpt-5\",\"temperature\":null," out &&
	cat >expect <<-\EOF &&
	pesq-llm: model '"'"'gpt-5'"'"' takes no '"'"'max_tokens'"'"' (Unsupported parameter: '"'"'max_tokens'"'"' is not supported with this model. Use '"'"'max_completion_tokens'"'"' instead.): asking again with '"'"'max_completion_tokens'"'"', and from now on (refs/notes/pesq-models)
	EOF
	test_cmp expect err
'

test_expect_success 'what was learned is in git; the next run asks right away' '
	git -C repo notes --ref=pesq-models show \
		$(echo gpt-5 | git hash-object --stdin) >note &&
	echo "{\"model\":\"gpt-5\",\"temperature\":false,\"limit\":\"max_completion_tokens\",\"learned\":\"Unsupported parameter: '"'"'max_tokens'"'"' is not supported with this model. Use '"'"'max_completion_tokens'"'"' instead.\"}" >expect &&
	test_cmp expect note &&
	start_reasoning script &&
	llm -m gpt-5 --max-output-tokens 100 &&
	test_line_count = 2 fake.log &&
	test_grep -v "\"refused\"" fake.log &&
	test_grep -v "\"max_tokens\"" fake.log &&
	test_must_be_empty err
'

test_expect_success 'an unknown model refusing a temperature: asked again, said once' '
	start_reasoning script &&
	llm -j 2 -m my-reasoner-1 -t 0.2 &&
	test_line_count = 4 fake.log &&
	test_line_count = 2 out &&
	test_grep "\"candidate\":{\"code\":\"int mul(int x)" out &&
	grep "\"refused\"" fake.log >refused &&
	test_line_count = 2 refused &&
	grep -v "\"refused\"" fake.log >ok &&
	test_grep -v "\"temperature\"" ok &&
	test_line_count = 1 err &&
	test_grep "model .my-reasoner-1. takes no .temperature. (Unsupported value: .temperature. does not support 0.2 with this model. Only the default (1) value is supported.): asking again without it, and from now on (refs/notes/pesq-models)" err &&
	start_reasoning script &&
	llm -m my-reasoner-1 -t 0.2 &&
	test_line_count = 2 fake.log &&
	test_grep -v "\"temperature\"" fake.log &&
	test_must_be_empty err
'

test_expect_success 'a parameter refused with no replacement named is left out' '
	{
		printf "%s\n" "{\"seq\":0,\"status\":400,\"code\":\"unsupported_parameter\",\"param\":\"max_tokens\",\"message\":\"Unsupported parameter: max_tokens.\"}" &&
		reply_entry add
	} >script2 &&
	start_fake script2 &&
	prompt_rec add >in1 &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --no-cache \
		-m local-x --max-output-tokens 10 <../in1 >../out 2>../err) &&
	test_line_count = 2 fake.log &&
	sed -n 2p fake.log >second &&
	test_grep -v "max_tokens" second &&
	test_grep -v "max_completion_tokens" second &&
	test_grep "asking again without it" err &&
	test_grep "\"candidate\"" out
'

test_expect_success 'any other 400 is an error, not asked again' '
	printf "%s\n" "{\"status\":400,\"code\":\"invalid_value\",\"param\":\"messages\",\"message\":\"bad messages\"}" >script2 &&
	start_fake script2 &&
	llm -m my-other &&
	test_line_count = 2 fake.log &&
	test_grep "\"msg\":\"http 400 from 127.0.0.1:$FAKE_PORT: bad messages (not retried)\"" out
'

test_expect_success 'older models: temperature and max_tokens as before' '
	start_reasoning script &&
	llm -m gpt-4o -t 0.5 --max-output-tokens 50 &&
	test_line_count = 2 fake.log &&
	test_grep "\"body\":{\"model\":\"gpt-4o\",\"max_tokens\":50,\"temperature\":0.5,\"messages\"" fake.log &&
	test_grep -v "\"refused\"" fake.log &&
	test_must_be_empty err
'

test_expect_success 'the cache key says no temperature for such a model' '
	start_reasoning script &&
	prompt_rec add >in1 &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm -m o3 -t 0.2 \
		<../in1 >../out 2>../err) &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm -m o3 -t 0.9 \
		<../in1 >../out 2>../err) &&
	test_line_count = 1 fake.log &&
	test_grep "\"cached\":true" out &&
	(cd repo && pesq-llm -p replay -m o3 <../in1 >../out) &&
	test_grep "\"cached\":true" out
'

test_expect_success '--settings: OpenAI$SQ_s own API takes max_completion_tokens' '
	OPENAI_API_KEY=sk-x pesq-llm --settings -m gpt-5 --max-output-tokens 100 \
		--base-url https://api.openai.com/v1 >out &&
	test_grep "^endpoint: https://api.openai.com/v1/chat/completions$" out &&
	test_grep "^key: OPENAI_API_KEY from the environment$" out &&
	test_grep "^temperature: not sent (the model takes only its own)$" out &&
	test_grep "^output limit: max_completion_tokens 100$" out &&
	OPENAI_API_KEY=sk-x pesq-llm --settings -m gpt-4.1 \
		--max-output-tokens 100 >out &&
	test_grep "^temperature: 0.2$" out &&
	test_grep "^output limit: max_completion_tokens 100$" out &&
	OPENAI_BASE_URL=http://127.0.0.1:11434/v1 pesq-llm --settings \
		-m qwen2.5-coder --max-output-tokens 100 >out &&
	test_grep "^output limit: max_tokens 100$" out &&
	test_grep "^key: OPENAI_API_KEY not set$" out &&
	test_grep -v "sk-x" out
'

test_expect_success '--settings: a missing key or endpoint is exit 2' '
	test_expect_code 2 pesq-llm --settings -p openai >out 2>err &&
	test_must_be_empty out &&
	test_grep "needs OPENAI_API_KEY" err
'

test_expect_success '--check: one small request, past the cache' '
	printf "%s\n" "{\"match\":\"ready\",\"reply\":\"ready\",\"usage\":{\"in\":5,\"out\":1}}" >script3 &&
	start_fake script3 &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --check -m gpt-4o \
		>../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "^pesq-llm: openai .gpt-4o. at 127.0.0.1:$FAKE_PORT answered in [0-9]* ms (6 tokens)$" err &&
	test_grep "\"max_tokens\":64" fake.log &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --check -m gpt-4o \
		>../out 2>../err) &&
	test_line_count = 2 fake.log
'

test_expect_success '--check: an endpoint that does not answer is exit 3' '
	printf "%s\n" "{\"status\":401,\"message\":\"Incorrect API key provided: sk-bad.\"}" >script3 &&
	start_fake script3 &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 OPENAI_API_KEY=sk-bad \
		test_expect_code 3 pesq-llm --check -m gpt-4o 2>../err) &&
	test_grep "^pesq-llm: openai .gpt-4o. at 127.0.0.1:$FAKE_PORT: http 401 from 127.0.0.1:$FAKE_PORT: Incorrect API key provided: \[redacted\]. (not retried)$" err
'

test_expect_success 'anthropic: the current default model and version' '
	start_fake script &&
	(cd repo && ANTHROPIC_API_KEY=k ANTHROPIC_BASE_URL=$FAKE_URL \
		pesq-llm --no-cache <../in >../out) &&
	test_grep "\"anthropic-version\":\"2023-06-01\"" fake.log &&
	test_grep "\"body\":{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"temperature\":0.2," fake.log &&
	test_grep "\"candidate\"" out
'

test_expect_success 'anthropic: a refusal and a full context window are errors' '
	printf "%s\n" "{\"reply\":\"\",\"finish\":\"refusal\"}" >script4 &&
	start_fake script4 &&
	(cd repo && ANTHROPIC_API_KEY=k pesq-llm --no-cache --base-url \
		$FAKE_URL <../in >../out) &&
	test_grep "\"msg\":\"model refused: no reason given\"" out &&
	test_grep -v "\"candidate\"" out &&
	kill $(cat fake.pid) &&
	printf "%s\n" "{\"reply\":\"~~~c\\nint add(int x) {\",\"finish\":\"model_context_window_exceeded\"}" >script4 &&
	start_fake script4 &&
	(cd repo && ANTHROPIC_API_KEY=k pesq-llm --no-cache --base-url \
		$FAKE_URL <../in >../out) &&
	test_grep "\"msg\":\"reply cut off: the model.s context window is full\"" out
'

test_expect_success 'anthropic: its error bodies, overloaded retried' '
	{
		printf "%s\n" "{\"seq\":0,\"status\":529,\"message\":\"Overloaded\"}" &&
		reply_entry add
	} >script4 &&
	start_fake script4 &&
	prompt_rec add >in1 &&
	(cd repo && ANTHROPIC_API_KEY=k pesq-llm --no-cache --base-url \
		$FAKE_URL <../in1 >../out) &&
	test_line_count = 2 fake.log &&
	test_grep "\"candidate\"" out &&
	printf "%s\n" "{\"status\":401,\"message\":\"invalid x-api-key\"}" >script4 &&
	start_fake script4 &&
	(cd repo && ANTHROPIC_API_KEY=sk-ant-1 pesq-llm --no-cache --base-url \
		$FAKE_URL <../in1 >../out) &&
	test_grep "\"msg\":\"http 401 from 127.0.0.1:[0-9]*: invalid x-api-key (not retried)\"" out
'

test_expect_success 'reasoning tokens: said when the reply was cut' '
	printf "%s\n" "{\"reply\":\"\",\"finish\":\"length\",\"usage\":{\"in\":5,\"out\":64}}" >script5 &&
	start_reasoning script5 &&
	prompt_rec add >in1 &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --no-cache -m o3 \
		<../in1 >../out) &&
	test_grep "\"msg\":\"reply truncated at the output token limit (32 of its 64 tokens went to the model.s reasoning)\"" out
'

test_done
