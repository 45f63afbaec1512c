#!/bin/sh
test_description='pesq-llm: the size of a reply is capped; NUL bytes in code are refused'
. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-llm.sh

test_expect_success 'setup' '
	git init -q repo &&
	prompt_rec f >in
'

test_expect_success 'a reply under the cap is read' '
	reply_entry f >script &&
	start_fake script &&
	llm --max-reply-bytes 2000 &&
	test_grep "\"candidate\":{\"code\":\"int f(int x)" out
'

test_expect_success 'a reply whose Content-Length passes the cap: error, not retried' '
	printf "%s\n" "{\"fault\":\"huge\",\"bytes\":1000000}" >script &&
	start_fake script &&
	llm --max-reply-bytes 100000 &&
	test_line_count = 1 fake.log &&
	test_grep "\"error\":{\"stage\":\"llm\",\"msg\":\"127.0.0.1:$FAKE_PORT: reply larger than 100000 bytes; not read (--max-reply-bytes)\"}" out &&
	test_grep -v "\"candidate\"" out
'

test_expect_success 'an endless body ends at the cap' '
	printf "%s\n" "{\"fault\":\"endless\"}" >script &&
	start_fake script &&
	llm --max-reply-bytes 100000 &&
	test_line_count = 1 fake.log &&
	test_grep "\"msg\":\"127.0.0.1:$FAKE_PORT: reply larger than 100000 bytes; not read (--max-reply-bytes)\"" out
'

test_expect_success 'the cap is 4 MiB unless set' '
	printf "%s\n" "{\"fault\":\"huge\",\"bytes\":4194305}" >script &&
	start_fake script &&
	llm &&
	test_grep "reply larger than 4194304 bytes" out &&
	kill $(cat fake.pid) &&
	printf "%s\n" "{\"fault\":\"huge\",\"bytes\":4194304}" >script &&
	start_fake script &&
	llm &&
	test_grep "\"msg\":\"reply has no code block defining .f.\"" out
'

test_expect_success 'anthropic: the same cap' '
	printf "%s\n" "{\"fault\":\"endless\"}" >script &&
	start_fake script &&
	(cd repo && ANTHROPIC_API_KEY=k pesq-llm --no-cache --base-url \
		$FAKE_URL --max-reply-bytes 5000 <../in >../out) &&
	test_grep "reply larger than 5000 bytes" out
'

test_expect_success 'the command provider: the same cap' '
	(cd repo && pesq-llm -p command --command "yes aaaaaaaa | head -c 100000" \
		--max-reply-bytes 5000 <../in >../out) &&
	test_grep "\"msg\":\"command.s reply larger than 5000 bytes; not read (--max-reply-bytes)\"" out
'

test_expect_success 'a bad --max-reply-bytes is a usage error' '
	test_expect_code 2 pesq-llm -p replay -m x --max-reply-bytes 0 \
		</dev/null 2>err &&
	test_grep "invalid --max-reply-bytes .0." err
'

test_expect_success 'a NUL byte in the code: error, no candidate' '
	printf "%s\n" "{\"reply\":\"\`\`\`c\\nint f(int x)\\n{\\n\\treturn x;\\u0000 }\\n\`\`\`\\n\"}" >script &&
	start_fake script &&
	llm &&
	test_grep "\"error\":{\"stage\":\"llm\",\"msg\":\"reply.s code for .f. holds a NUL byte (at offset 25)\"}" out &&
	test_grep -v "\"candidate\"" out &&
	test_grep "\"reply\":\"\`\`\`c\\\\nint f(int x)\\\\n{\\\\n\\\\treturn x;\\\\u0000 }" out
'

test_expect_success 'a NUL byte outside the code does no harm' '
	printf "%s\n" "{\"reply\":\"Summary: faster\\u0000\\n\`\`\`c\\nint f(int x)\\n{\\n\\treturn x;\\n}\\n\`\`\`\\n\"}" >script &&
	start_fake script &&
	llm &&
	test_grep "\"candidate\":{\"code\":\"int f(int x)\\\\n{\\\\n\\\\treturn x;\\\\n}\\\\n\"" out
'

test_expect_success 'the command provider: a NUL byte in the code' '
	printf "\`\`\`c\nint f(void) { return 0; }\000\n\`\`\`\n" >reply.txt &&
	(cd repo && pesq-llm -p command --command "cat ../reply.txt" \
		<../in >../out) &&
	test_grep "holds a NUL byte" out
'

test_done
