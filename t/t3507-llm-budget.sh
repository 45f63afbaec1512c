#!/bin/sh
test_description='pesq-llm --budget TOKENS --spent FILE: a token budget shared by processes'
. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-llm.sh

llm() {
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm -m gpt-4o "$@")
}

test_expect_success 'setup' '
	git init -q repo &&
	for f in a b c d
	do
		prompt_rec $f >>in &&
		reply_entry $f >>script || return 1
	done &&
	prompt_rec a >in1
'

test_expect_success 'no new request once the budget is spent' '
	start_fake script &&
	llm --no-cache -j 1 --budget 1 --spent ../spent <in >out &&
	test_line_count = 1 fake.log &&
	test_line_count = 4 out &&
	sed -n 1p out >first &&
	test_grep "\"candidate\"" first &&
	sed 1d out >rest &&
	grep -c "\"error\":{\"stage\":\"llm\",\"msg\":\"token budget reached: 30 of 1 tokens spent (--budget)\"}" rest >n &&
	echo 3 >expect &&
	test_cmp expect n &&
	printf "tokens 30\nrequests 1\n" >expect &&
	test_cmp expect spent
'

test_expect_success 'requests in flight together see each other' '
	start_fake script &&
	rm -f spent &&
	llm --no-cache -j 4 --budget 1 --spent ../spent <in >out &&
	test_line_count = 1 fake.log &&
	grep -c "token budget reached" out >n &&
	echo 3 >expect &&
	test_cmp expect n
'

test_expect_success 'the file is the budget of every process that shares it' '
	start_fake script &&
	llm --no-cache --budget 30 --spent ../spent <in1 >out &&
	test_line_count = 0 fake.log &&
	test_grep "token budget reached: 30 of 30 tokens spent" out &&
	llm --no-cache --budget 31 --spent ../spent <in1 >out &&
	test_line_count = 1 fake.log &&
	printf "tokens 60\nrequests 2\n" >expect &&
	test_cmp expect spent
'

test_expect_success 'cached replies cost nothing and are not refused' '
	start_fake script &&
	rm -f spent &&
	llm --budget 1000 --spent ../spent <in1 >out &&
	llm --budget 1 --spent ../spent <in1 >out &&
	test_line_count = 1 fake.log &&
	test_grep "\"cached\":true" out &&
	printf "tokens 30\nrequests 1\n" >expect &&
	test_cmp expect spent
'

test_expect_success 'a failed request gives its tokens back' '
	printf "%s\n" "{\"fault\":\"500\"}" >script500 &&
	start_fake script500 &&
	rm -f spent &&
	llm --no-cache --retries 0 --budget 1000 --spent ../spent <in >out &&
	printf "tokens 0\nrequests 0\n" >expect &&
	test_cmp expect spent
'

test_expect_success 'the cost, when prices are set' '
	start_fake script &&
	rm -f spent &&
	git -C repo config pesq.price.gpt-4o.in 2 &&
	git -C repo config pesq.price.gpt-4o.out 10 &&
	test_when_finished "git -C repo config --remove-section pesq.price.gpt-4o" &&
	llm --no-cache -j 1 --spent ../spent <in >out &&
	printf "tokens 120\nrequests 4\ncost 0.000880\n" >expect &&
	test_cmp expect spent
'

test_expect_success 'processes side by side lose no count' '
	start_fake script &&
	rm -f spent &&
	for f in a b c d
	do
		prompt_rec $f >in.$f &&
		(llm --no-cache --budget 100000 --spent ../spent <in.$f >out.$f) &
	done &&
	wait &&
	test_line_count = 4 fake.log &&
	printf "tokens 120\nrequests 4\n" >expect &&
	test_cmp expect spent
'

test_expect_success 'without --spent the budget is the process$SQ_s own' '
	start_fake script &&
	llm --no-cache -j 1 --budget 50 <in >out &&
	test_line_count = 2 fake.log &&
	grep -c "token budget reached: 60 of 50" out >n &&
	echo 2 >expect &&
	test_cmp expect n
'

test_expect_success 'a file that is not a counter: exit 3' '
	start_fake script &&
	echo "hello world" >bad &&
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 test_expect_code 3 \
		pesq-llm --no-cache --spent ../bad <../in1 >../out 2>../err) &&
	test_grep "^pesq-llm: ../bad: not a file of token counts$" err &&
	test_expect_code 2 pesq-llm -p replay -m x --budget 0 </dev/null 2>err &&
	test_grep "invalid --budget .0." err
'

test_done
