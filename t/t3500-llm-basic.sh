#!/bin/sh
test_description='pesq-llm: providers, request shapes, output, settings'
. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-llm.sh

test_expect_success 'setup' '
	git init -q repo &&
	prompt_rec add >in &&
	prompt_rec mul >>in &&
	{ reply_entry add && reply_entry mul; } >script
'

test_expect_success 'no provider configured: exit 2 naming what to set' '
	(cd repo && test_expect_code 2 pesq-llm <../in >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "OPENAI_API_KEY" err &&
	test_grep "ANTHROPIC_API_KEY" err &&
	test_grep "pesq.provider" err
'

test_expect_success 'anthropic without a key: exit 2' '
	(cd repo && test_expect_code 2 pesq-llm -p anthropic <../in 2>../err) &&
	test_grep "ANTHROPIC_API_KEY" err &&
	test_expect_code 2 pesq-llm -p nosuch <in 2>err &&
	test_grep "unknown provider .nosuch." err &&
	OPENAI_BASE_URL=http://127.0.0.1:1/v1 test_expect_code 2 \
		pesq-llm -n 0 <in 2>err &&
	test_grep "invalid --samples" err
'

test_expect_success 'empty input gives empty output' '
	start_fake script &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm </dev/null >../out) &&
	test_must_be_empty out &&
	test_must_be_empty fake.log
'

test_expect_success 'openai: request shape' '
	start_fake script &&
	(cd repo && OPENAI_API_KEY=sk-test-1 pesq-llm --no-cache \
		--base-url $FAKE_URL/v1 -m gpt-x <../in >../out) &&
	test_line_count = 2 out &&
	test_line_count = 2 fake.log &&
	grep "Make add faster" fake.log >req &&
	test_grep "\"path\":\"/v1/chat/completions\"" req &&
	test_grep "\"authorization\":\"Bearer sk-test-1\"" req &&
	test_grep "\"content-type\":\"application/json\"" req &&
	test_grep "\"body\":{\"model\":\"gpt-x\",\"temperature\":0.2,\"messages\":\[{\"role\":\"system\",\"content\":\"You make C faster.\"},{\"role\":\"user\",\"content\":\"Make add faster.\"}\]}" req
'

test_expect_success 'openai: --temperature and --max-output-tokens reach the body' '
	start_fake script &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --no-cache -t 0.7 \
		-m gpt-4.1 --max-output-tokens 100 <../in >../out) &&
	test_grep "\"model\":\"gpt-4.1\",\"max_tokens\":100,\"temperature\":0.7," fake.log &&
	test_grep -v authorization fake.log
'

test_expect_success 'openai: the default model takes no temperature' '
	start_fake script &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --no-cache -t 0.7 \
		--max-output-tokens 100 <../in >../out) &&
	test_grep "\"body\":{\"model\":\"gpt-5-mini\",\"max_tokens\":100,\"messages\":" fake.log &&
	test_grep -v "\"temperature\"" fake.log
'

test_expect_success 'output: fields copied, llm and candidate added' '
	start_fake script &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --no-cache \
		<../in >../out) &&
	sed -n 1p out >first &&
	test_grep "^{\"fn\":\"add\",\"def\":{\"file\":\"a.c\"},\"prompt\":{\"id\":\"p-add\"," first &&
	test_grep "\"llm\":{\"provider\":\"openai\",\"model\":\"gpt-5-mini\",\"temperature\":null,\"in_tokens\":10,\"out_tokens\":20,\"ms\":[0-9]*,\"cached\":false,\"reply\":\"Summary: add without" first &&
	test_grep "\"sample\":0}" first &&
	test_grep "\"candidate\":{\"code\":\"int add(int x)\\\\n{\\\\n\\\\treturn x + 1;\\\\n}\\\\n\",\"summary\":\"add without the branch\"}}$" first &&
	sed -n 2p out >second &&
	test_grep "\"fn\":\"mul\"" second &&
	test_grep "\"code\":\"int mul(int x)" second
'

test_expect_success JQ 'output: the candidate code, exactly' '
	jq -j .candidate.code out >actual &&
	{ code_of add && code_of mul; } >expect &&
	test_cmp expect actual
'

test_expect_success 'records with error pass through untouched; bad lines exit 1' '
	start_fake script &&
	printf "%s\n" "{\"fn\":\"x\", \"error\":{\"stage\":\"deps\",\"msg\":\"m\"}}" >in2 &&
	echo "not json" >>in2 &&
	prompt_rec add >>in2 &&
	echo "{\"fn\":\"y\"}" >>in2 &&
	echo "{\"prompt\":{\"messages\":[{\"role\":\"user\",\"content\":\"c\"}]}}" >>in2 &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 test_expect_code 1 \
		pesq-llm --no-cache ../in2 >../out 2>../err) &&
	test_line_count = 4 out &&
	sed -n 1p in2 >expect &&
	sed -n 1p out >actual &&
	test_cmp expect actual &&
	test_grep "^pesq-llm: ../in2:2: " err &&
	sed -n 2p out >r2 &&
	test_grep "\"candidate\"" r2 &&
	sed -n 3p out >r3 &&
	test_grep "\"error\":{\"stage\":\"llm\",\"msg\":\"record has no .prompt.messages.\"}" r3 &&
	sed -n 4p out >r4 &&
	test_grep "\"msg\":\"record has no .fn.\"" r4 &&
	test_line_count = 1 fake.log
'

test_expect_success 'anthropic: request shape and reply' '
	start_fake script &&
	(cd repo && ANTHROPIC_API_KEY=sk-ant-2 ANTHROPIC_BASE_URL=$FAKE_URL \
		pesq-llm --no-cache -m claude-x <../in >../out) &&
	grep "Make add faster" fake.log >req &&
	test_grep "\"path\":\"/v1/messages\"" req &&
	test_grep "\"x-api-key\":\"sk-ant-2\"" req &&
	test_grep "\"anthropic-version\":\"2023-06-01\"" req &&
	test_grep -v "authorization" req &&
	test_grep "\"body\":{\"model\":\"claude-x\",\"max_tokens\":4096,\"temperature\":0.2,\"system\":\"You make C faster.\",\"messages\":\[{\"role\":\"user\",\"content\":\"Make add faster.\"}\]}" req &&
	sed -n 1p out >first &&
	test_grep "\"llm\":{\"provider\":\"anthropic\",\"model\":\"claude-x\"" first &&
	test_grep "\"candidate\":{\"code\":\"int add(int x)" first
'

test_expect_success 'provider, model and base URL from git config' '
	start_fake script &&
	git -C repo config pesq.provider anthropic &&
	git -C repo config pesq.model claude-y &&
	git -C repo config pesq.baseUrl $FAKE_URL &&
	test_when_finished "git -C repo config --remove-section pesq" &&
	(cd repo && ANTHROPIC_API_KEY=k pesq-llm --no-cache <../in >../out) &&
	test_grep "\"path\":\"/v1/messages\"" fake.log &&
	test_grep "\"model\":\"claude-y\"" fake.log &&
	(cd repo && ANTHROPIC_API_KEY=k pesq-llm --no-cache -m claude-z \
		<../in >../out) &&
	test_grep "\"model\":\"claude-z\"" fake.log
'

test_expect_success 'keys from .env: current directory, then repository root' '
	start_fake script &&
	mkdir -p repo/sub &&
	echo "OPENAI_API_KEY=\"sk-root\" # the root one" >repo/.env &&
	test_when_finished "rm -f repo/.env repo/sub/.env" &&
	(cd repo/sub && pesq-llm --no-cache --base-url $FAKE_URL/v1 \
		<../../in >../../out) &&
	test_grep "\"authorization\":\"Bearer sk-root\"" fake.log &&
	echo "export OPENAI_API_KEY=sk-cwd" >repo/sub/.env &&
	(cd repo/sub && pesq-llm --no-cache --base-url $FAKE_URL/v1 \
		<../../in >../../out) &&
	test_grep "\"authorization\":\"Bearer sk-cwd\"" fake.log &&
	(cd repo/sub && OPENAI_API_KEY=sk-env pesq-llm --no-cache \
		--base-url $FAKE_URL/v1 <../../in >../../out) &&
	test_grep "\"authorization\":\"Bearer sk-env\"" fake.log
'

test_expect_success 'the provider follows the key that is set' '
	start_fake script &&
	echo "ANTHROPIC_API_KEY=sk-a" >repo/.env &&
	test_when_finished "rm -f repo/.env" &&
	(cd repo && pesq-llm --no-cache --base-url $FAKE_URL <../in >../out) &&
	test_grep "\"path\":\"/v1/messages\"" fake.log
'

test_expect_success 'cost from configured prices' '
	start_fake script &&
	git -C repo config pesq.price.gpt-5-mini.in 2 &&
	git -C repo config pesq.price.gpt-5-mini.out 10 &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --no-cache \
		<../in >../out) &&
	sed -n 1p out >first &&
	test_grep "\"sample\":0,\"cost\":0.00022}" first
'

test_done
