#!/bin/sh
test_description='pesq-prompt: records in and out, pass-through, errors, exit status'
. ./test-lib.sh

FIX=$SRC_ROOT/t/fixtures/prompt

# The raw bytes of prompt.messages: the last member of the last member.
raw_messages() {
	sed 's/.*"messages":\(.*\)}}$/\1/' "$1"
}

test_expect_success 'empty input gives empty output' '
	pesq-prompt </dev/null >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success 'blank lines only give empty output' '
	printf "\n\n" >blank &&
	pesq-prompt blank >out &&
	test_must_be_empty out
'

test_expect_success 'a record gets a prompt appended, other fields byte for byte' '
	pesq-prompt "$FIX/leaf.jsonl" >out &&
	test_line_count = 1 out &&
	sed "s/}\$/,\"prompt\":{/" "$FIX/leaf.jsonl" >prefix &&
	n=$(wc -c <prefix) &&
	head -c $((n - 1)) out >got &&
	head -c $((n - 1)) prefix >want &&
	test_cmp want got
'

test_expect_success 'prompt has id, mode, est_tokens, trimmed, messages in order' '
	grep "\"prompt\":{\"id\":\"[0-9a-f]\{64\}\",\"mode\":\"optimize\",\"est_tokens\":[0-9]*,\"trimmed\":\[\],\"messages\":\[{\"role\":\"system\",\"content\":\"" out &&
	grep "},{\"role\":\"user\",\"content\":\"Task: make the function \`dist2\`" out
'

test_expect_success 'same input gives byte-identical output' '
	pesq-prompt "$FIX/leaf.jsonl" "$FIX/parent.jsonl" >one &&
	pesq-prompt <"$FIX/leaf.jsonl" >two.1 &&
	pesq-prompt - <"$FIX/parent.jsonl" >two.2 &&
	cat two.1 two.2 >two &&
	test_cmp one two
'

test_expect_success 'id is sha256 of the mode, a newline and the messages bytes' '
	raw_messages out >msgs &&
	test -s msgs &&
	{ printf "optimize\n"; tr -d "\n" <msgs; } | sha256sum | cut -c1-64 >want &&
	sed "s/.*\"prompt\":{\"id\":\"\([0-9a-f]*\)\".*/\1/" out >got &&
	test_cmp want got
'

test_expect_success JQ 'est_tokens is the content bytes over 4, rounded up' '
	jq -j ".prompt.messages[].content" out >content &&
	bytes=$(wc -c <content) &&
	echo $(( (bytes + 3) / 4 )) >want &&
	jq ".prompt.est_tokens" out >got &&
	test_cmp want got
'

test_expect_success 'a different record gives a different id' '
	pesq-prompt "$FIX/parent.jsonl" >p &&
	sed "s/.*\"id\":\"\([0-9a-f]*\)\".*/\1/" out >a &&
	sed "s/.*\"id\":\"\([0-9a-f]*\)\".*/\1/" p >b &&
	! cmp -s a b
'

test_expect_success 'an earlier prompt is replaced, not duplicated' '
	pesq-prompt "$FIX/leaf.jsonl" >once &&
	pesq-prompt once >twice &&
	test_cmp once twice
'

test_expect_success 'a record with error passes through untouched' '
	printf "%s\n" "{\"fn\":\"f\", \"error\":{\"stage\":\"deps\",\"msg\":\"x\"}, \"z\":[1, 2]}" >in &&
	pesq-prompt in >out 2>err &&
	test_cmp in out &&
	test_must_be_empty err
'

test_expect_success 'no def: the record gets an error and exit is 0' '
	printf "%s\n" "{\"fn\":\"f\",\"role\":\"leaf\"}" >in &&
	pesq-prompt in >out 2>err &&
	cat >expect <<-\EOT &&
	{"fn":"f","role":"leaf","error":{"stage":"prompt","msg":"no '"'"'def.code'"'"' for '"'"'f'"'"' (run pesq-deps first)"}}
	EOT
	test_cmp expect out &&
	test_grep "^pesq-prompt: in:1: no .def.code. for .f." err
'

test_expect_success '-q silences the warning about a failed record' '
	pesq-prompt -q in >out 2>err &&
	test_must_be_empty err &&
	test_grep "\"stage\":\"prompt\"" out
'

test_expect_success 'no fn: an error' '
	printf "%s\n" "{\"def\":{\"code\":\"int f(void) { return 0; }\"}}" >in &&
	pesq-prompt -q in >out &&
	test_grep "\"error\":{\"stage\":\"prompt\",\"msg\":\"no .fn.\"}" out
'

test_expect_success 'an unknown role is an error' '
	printf "%s\n" "{\"fn\":\"f\",\"role\":\"cousin\",\"def\":{\"code\":\"int f(void) { return 0; }\"}}" >in &&
	pesq-prompt -q in >out &&
	test_grep "\"msg\":\"unknown role .cousin.\"" out
'

test_expect_success 'a parent without child is an error' '
	printf "%s\n" "{\"fn\":\"f\",\"role\":\"parent\",\"def\":{\"code\":\"int f(void) { return 0; }\"}}" >in &&
	pesq-prompt -q in >out &&
	test_grep "\"msg\":\".f. has role .parent. but no .child.\"" out
'

test_expect_success 'a failed build without candidate code is an error' '
	printf "%s\n" "{\"fn\":\"f\",\"def\":{\"code\":\"int f(void) { return 0; }\"},\"build\":{\"ok\":false,\"log\":\"e\"}}" >in &&
	pesq-prompt -q in >out &&
	test_grep "\"msg\":\"nothing to correct: no .candidate.code. for .f.\"" out
'

test_expect_success 'invalid lines are reported and skipped, exit 1' '
	{ cat "$FIX/leaf.jsonl" && echo "{not json" && echo "[1]" &&
	  cat "$FIX/parent.jsonl"; } >in &&
	test_expect_code 1 pesq-prompt in >out 2>err &&
	test_line_count = 2 out &&
	test_grep "^pesq-prompt: in:2: " err &&
	test_grep "^pesq-prompt: in:3: " err &&
	test_line_count = 2 err
'

test_expect_success 'invalid lines on stdin are named <stdin>' '
	echo "{" >bad &&
	test_expect_code 1 pesq-prompt <bad >out 2>err &&
	test_grep "^pesq-prompt: <stdin>:1: " err
'

test_expect_success 'a binary file (perf.data): one message, exit 1' '
	{ printf "PERFILE2\0\0\0h\n" && printf "x\n%.0s" 1 2 3 4 5; } >perf.data &&
	test_expect_code 1 pesq-prompt perf.data "$FIX/leaf.jsonl" >out 2>err &&
	test_line_count = 1 out &&
	echo "pesq-prompt: perf.data:1: binary data (a NUL byte), not JSON lines: rest of input skipped" >expect &&
	test_cmp expect err &&
	test_expect_code 1 pesq-prompt -e perf.data "$FIX/leaf.jsonl" >out 2>err &&
	test_line_count = 1 out &&
	test_line_count = 1 err &&
	test_grep "^pesq-prompt: perf.data:1: binary data" err
'

test_expect_success 'folded stacks: one message with a hint, exit 1' '
	printf "main;f 10\nmain;g 3\n" >folded &&
	test_expect_code 1 pesq-prompt <folded >out 2>err &&
	test_must_be_empty out &&
	echo "pesq-prompt: <stdin>:1: folded stacks (pesq-hot makes records of them), not JSON lines: rest of input skipped" >expect &&
	test_cmp expect err
'

test_expect_success 'a file that cannot be opened: exit 3, the others still run' '
	test_expect_code 3 pesq-prompt no-such-file "$FIX/leaf.jsonl" >out 2>err &&
	test_line_count = 1 out &&
	test_grep "cannot open .no-such-file." err
'

test_expect_success 'a bad token budget is a usage error' '
	test_expect_code 2 pesq-prompt -m lots </dev/null >out 2>err &&
	test_must_be_empty out &&
	test_grep "invalid token budget .lots." err &&
	test_expect_code 2 pesq-prompt --max-tokens=-5 </dev/null 2>err &&
	test_grep "usage: pesq-prompt" err
'

test_expect_success JQ '-v says what each record got' '
	pesq-prompt -v "$FIX/leaf.jsonl" "$FIX/build-failed.jsonl" >out 2>err &&
	cat >expect <<-EOT &&
	pesq-prompt: $FIX/leaf.jsonl:1: dist2: optimize, $(jq -s ".[0].prompt.est_tokens" out) tokens
	pesq-prompt: $FIX/build-failed.jsonl:1: dist2: correct, $(jq -s ".[1].prompt.est_tokens" out) tokens
	EOT
	test_cmp expect err
'

test_expect_success 'without -v and a terminal, stderr stays quiet' '
	pesq-prompt "$FIX/leaf.jsonl" >out 2>err &&
	test_must_be_empty err
'

test_expect_success JQ 'C++ files get C++ wording and fences' '
	sed "s|\"file\":\"src/geom.c\"|\"file\":\"src/geom.cpp\"|" "$FIX/leaf.jsonl" >cxx &&
	pesq-prompt cxx >out &&
	jq -r ".prompt.messages[0].content" out >sys &&
	test_grep "working on C++ code" sys &&
	test_grep "^- Exactly one fenced code block, \`\`\`cpp" sys
'

test_done
