#!/bin/sh
test_description='pesq-prompt: hot lines marked in the code, where the function is inlined'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

FIX=$SRC_ROOT/t/fixtures/prompt

# user REC: the user message of the prompt made for REC.
user() {
	pesq-prompt "$1" >out.$$ &&
	jq -r ".prompt.messages[1].content" out.$$ &&
	rm -f out.$$
}

test_expect_success 'setup: dist2 (lines 12-18) with hot lines, inlined twice' '
	jq -c ".def.hot_lines = [{line: 17, count: 60, share: 0.6},
		{line: 15, count: 30, share: 0.3},
		{line: 16, count: 2, share: 0.02},
		{line: 99, count: 8, share: 0.08}]
		| .hot.inlined_into = [\"nearest\", \"run\"]" \
		"$FIX/leaf.jsonl" >hot.jsonl
'

test_expect_success 'the hot lines are marked, the rest left as it is' '
	user hot.jsonl >msg &&
	sed -n "/^## The function/,/^\`\`\`\$/p" msg | sed 1,3d >actual &&
	printf "%s\n" "static double" \
		"dist2(const struct point *a, const struct point *b)" "{" \
		"	double dx = a->x - b->x, dy = a->y - b->y; /* hot: 30% */" \
		"" \
		"	return SQ(dx) * scale + sq(dy) * scale; /* hot: 60% */" \
		"}" "\`\`\`" >expect &&
	test_cmp expect actual
'

test_expect_success 'the profile says what the marks are and where it is inlined' '
	test_grep "^The lines marked \`/\* hot: N% \*/\` in the code below hold N% of the samples in its own code" msg &&
	test_grep "^\`dist2\` is inlined into \`nearest\` and \`run\`: its samples were taken in the copies" msg
'

test_expect_success 'the same record gives the same bytes' '
	pesq-prompt hot.jsonl >one &&
	pesq-prompt hot.jsonl >two &&
	test_cmp one two
'

test_expect_success 'no hot lines: the code as it is, no word of marks' '
	user "$FIX/leaf.jsonl" >msg &&
	test_grep ! "hot:" msg &&
	test_grep ! "inlined" msg
'

test_expect_success 'a line that ends inside a block comment is not marked' '
	jq -c ".def.code = \"int\\nf(int x)\\n{\\n\\t/* x is\\n\\t * hot */ return x\\n\\t\\t+ 1;\\n}\" | .def.line = 1 |
		.def.signature = \"int\\nf(int x)\" | .fn = \"f\" |
		.def.hot_lines = [{line: 4, count: 5, share: 0.5}, {line: 5, count: 3, share: 0.3}, {line: 6, count: 2, share: 0.2}]" \
		"$FIX/leaf.jsonl" >comment.jsonl &&
	user comment.jsonl >msg &&
	test_grep "^	/\* x is\$" msg &&
	test_grep "^	 \* hot \*/ return x /\* hot: 30% \*/\$" msg &&
	test_grep "^		+ 1; /\* hot: 20% \*/\$" msg
'

test_expect_success 'a correction shows the original unmarked' '
	jq -c ".build = {ok: false, log: \"f.c:1: error\"} |
		.candidate = {code: \"int f(void) { return 0; }\", summary: \"s\"}" \
		hot.jsonl >correct.jsonl &&
	user correct.jsonl >msg &&
	test_grep ! "hot: " msg
'

test_done
