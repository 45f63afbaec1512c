#!/bin/sh
test_description='pesq-llm: the command provider'
. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-llm.sh

test_expect_success 'setup' '
	git init -q repo &&
	prompt_rec add >in &&
	cat >model.sh <<-\EOF &&
	#!/bin/sh
	cat >"$HOME/request.json"
	printf "Summary: from a command\n\n~~~c\nint add(int x)\n{\n\treturn x + 1;\n}\n~~~\n"
	EOF
	chmod +x model.sh
'

test_expect_success 'the request on stdin, the reply on stdout' '
	(cd repo && pesq-llm -p command --command "$HOME/model.sh" \
		<../in >../out) &&
	test_grep "^{\"provider\":\"command\",\"model\":\"command\",\"temperature\":0.2,\"max_output_tokens\":0,\"messages\":\[{\"role\":\"system\",\"content\":\"You make C faster.\"},{\"role\":\"user\",\"content\":\"Make add faster.\"}\],\"sample\":0}$" request.json &&
	test_grep "\"llm\":{\"provider\":\"command\",\"model\":\"command\",\"temperature\":0.2,\"in_tokens\":12," out &&
	test_grep "\"candidate\":{\"code\":\"int add(int x)\\\\n{\\\\n\\\\treturn x + 1;\\\\n}\\\\n\",\"summary\":\"from a command\"}" out
'

test_expect_success 'command replies are cached' '
	rm request.json &&
	(cd repo && pesq-llm -p command --command "$HOME/model.sh" \
		<../in >../out) &&
	test_path_is_missing request.json &&
	test_grep "\"cached\":true" out
'

test_expect_success 'the command from git config; a failing command' '
	git -C repo config pesq.provider command &&
	git -C repo config pesq.command "echo broken >&2; exit 3" &&
	(cd repo && pesq-llm --no-cache <../in >../out) &&
	test_grep "\"error\":{\"stage\":\"llm\",\"msg\":\"command exited with status 3: broken\"}" out
'

test_expect_success 'a command past the timeout' '
	(cd repo && pesq-llm --no-cache --timeout 0.2 \
		--command "exec sleep 5" <../in >../out) &&
	test_grep "\"msg\":\"command timed out after 200 ms\"" out
'

test_expect_success 'the command provider needs a command' '
	GIT_CEILING_DIRECTORIES=$HOME &&
	export GIT_CEILING_DIRECTORIES &&
	test_expect_code 2 pesq-llm -p command <in 2>err &&
	test_grep "needs a command" err &&
	pesq-llm -C repo --no-cache <in >out &&
	test_grep "status 3: broken" out
'

test_done
