#!/bin/sh
test_description='pesq-prompt --max-tokens: what is trimmed, in which order'
. ./test-lib.sh

FIX=$SRC_ROOT/t/fixtures/prompt

# budget.jsonl has large context items, so that each trimming step
# frees a few hundred tokens: untrimmed the prompt is about 3200 tokens.
# trimmed BUDGET: the prompt.trimmed list at that budget, one a line.
trimmed() {
	pesq-prompt -m "$1" "$FIX/budget.jsonl" >out.$1 &&
	jq -r ".prompt.trimmed[]" out.$1 >trimmed.$1 &&
	jq -r ".prompt.est_tokens" out.$1 >est.$1 &&
	test "$(cat est.$1)" -le "$1"
}

test_expect_success JQ 'no budget, or a large one: nothing trimmed' '
	pesq-prompt "$FIX/budget.jsonl" >none &&
	jq -c .prompt.trimmed none >got &&
	echo "[]" >expect &&
	test_cmp expect got &&
	trimmed 100000 &&
	test_must_be_empty trimmed.100000 &&
	pesq-prompt -m 0 "$FIX/budget.jsonl" >zero &&
	test_cmp none zero
'

test_expect_success JQ 'a large budget changes nothing at all' '
	test_cmp none out.100000
'

test_expect_success JQ 'caller code goes first, the last caller first' '
	trimmed 3100 &&
	echo caller:preview >expect &&
	test_cmp expect trimmed.3100 &&
	trimmed 2800 &&
	printf "%s\n" caller:preview caller:render >expect &&
	test_cmp expect trimmed.2800
'

test_expect_success JQ 'trimmed callers keep their names and places' '
	jq -r ".prompt.messages[1].content" out.2800 >user &&
	test_grep "^By name only: \`render\` (lib/render.c:7), \`preview\` (lib/preview.c:9)\.$" user &&
	test_grep -v "^render(int v)" user
'

test_expect_success JQ 'then macro detail, then global detail' '
	trimmed 2550 &&
	printf "%s\n" caller:preview caller:render macro:LUT >expect &&
	test_cmp expect trimmed.2550 &&
	trimmed 2450 &&
	printf "%s\n" caller:preview caller:render macro:LUT global:gain >expect &&
	test_cmp expect trimmed.2450
'

test_expect_success JQ 'then callee code, cut to the declaration' '
	trimmed 2200 &&
	printf "%s\n" caller:preview caller:render macro:LUT global:gain \
		callee:mix_b >expect &&
	test_cmp expect trimmed.2200 &&
	jq -r ".prompt.messages[1].content" out.2200 >user &&
	test_grep "^\`mix_b\` (lib/mix.c:40), declaration only:$" user &&
	test_grep "^mix_b(int v);$" user &&
	test_grep "^mix_a(int v)$" user
'

test_expect_success JQ 'then types the signature does not name' '
	trimmed 1500 &&
	printf "%s\n" caller:preview caller:render macro:LUT global:gain \
		callee:mix_b callee:mix_a "type:struct canvas" >expect &&
	test_cmp expect trimmed.1500 &&
	trimmed 1300 &&
	printf "%s\n" caller:preview caller:render macro:LUT global:gain \
		callee:mix_b callee:mix_a "type:struct canvas" \
		"type:struct palette" >expect &&
	test_cmp expect trimmed.1300
'

test_expect_success JQ 'a type the signature names is never trimmed' '
	jq -r ".prompt.messages[1].content" out.1300 >user &&
	test_grep "^struct pixel {$" user &&
	test_grep -v "struct canvas {" user &&
	test_grep -v "struct palette {" user
'

test_expect_success JQ 'without def.signature, the code before the body decides' '
	jq -c "del(.def.signature)" "$FIX/budget.jsonl" >nosig &&
	pesq-prompt -m 1300 nosig >out &&
	jq -r ".prompt.trimmed[]" out >got &&
	test_cmp trimmed.1300 got &&
	jq -r ".prompt.messages[1].content" out >user2 &&
	test_grep "^struct pixel {$" user2
'

test_expect_success JQ 'the function itself is never trimmed' '
	jq -r ".def.code" "$FIX/budget.jsonl" >code &&
	jq -r ".prompt.messages[1].content" out.1300 >user &&
	test_grep "acc += mix_a(px\[i\].r) + mix_b(px\[i\].g) + LUT(px\[i\].b) + gain;" user
'

test_expect_success JQ 'the prompt says what was left out and why' '
	test_grep "^## Left out$" user &&
	test_grep "^To fit a budget of 1300 tokens, this prompt leaves out the code of caller \`preview\`; the code of caller \`render\`; the definition of macro \`LUT\`; the definition of global \`gain\`; the body of callee \`mix_b\`; the body of callee \`mix_a\`; type \`struct canvas\`; type \`struct palette\`\.$" user
'

test_expect_success JQ 'the golden budget prompt' '
	pesq-prompt -m 1800 "$FIX/budget.jsonl" >out &&
	jq -r "\"mode: \(.prompt.mode)\", \"est_tokens: \(.prompt.est_tokens)\",
		\"trimmed:\(.prompt.trimmed | map(\" \" + .) | add // \"\")\",
		\"--- system\", .prompt.messages[0].content,
		\"--- user\", .prompt.messages[1].content" out >got &&
	test_cmp "$FIX/expect/budget-1800.txt" got
'

test_expect_success 'over the budget with everything trimmed: an error record' '
	pesq-prompt -q -m 1100 "$FIX/budget.jsonl" >out 2>err &&
	test_must_be_empty err &&
	test_grep "\"error\":{\"stage\":\"prompt\",\"msg\":\"the prompt for .blend. needs [0-9]* tokens with all context trimmed, over the budget of 1100\"}}\$" out &&
	test_grep -v "\"prompt\":{" out
'

test_expect_success 'the function alone over the budget: a clear error' '
	pesq-prompt -m 20 "$FIX/budget.jsonl" >out 2>err &&
	test_grep "\"msg\":\"function .blend. alone needs 40 tokens, over the budget of 20\"" out &&
	test_grep "budget.jsonl:1: function .blend. alone needs 40 tokens" err
'

test_expect_success 'a failed record keeps its other fields byte for byte' '
	sed "s/}\$/,\"error\":{/" "$FIX/budget.jsonl" >prefix &&
	n=$(wc -c <prefix) &&
	head -c $((n - 1)) out >got &&
	head -c $((n - 1)) prefix >want &&
	test_cmp want got
'

test_expect_success JQ 'the hot child of a parent is trimmed after the other callees' '
	jq -c ".role = \"parent\" | .child = \"mix_a\"" "$FIX/budget.jsonl" >parent &&
	pesq-prompt -m 1900 parent >out &&
	jq -r ".prompt.trimmed[]" out >got &&
	printf "%s\n" caller:preview caller:render macro:LUT global:gain \
		callee:mix_b callee:mix_a >expect &&
	test_cmp expect got &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^\`mix_a\` (lib/mix.c:10), declaration only (its body was left out to fit the budget):$" user
'

test_expect_success JQ 'examples are trimmed before any context, the last first' '
	jq -c "{fn, original: .def.code, accepted: .def.code, speedup: 1.5}" \
		"$FIX/budget.jsonl" >one &&
	cat one one one >ex &&
	pesq-prompt -e ex "$FIX/budget.jsonl" >out &&
	full=$(jq .prompt.est_tokens out) &&
	pesq-prompt -e ex -m $((full - 10)) "$FIX/budget.jsonl" >out &&
	jq -r ".prompt.trimmed[]" out >got &&
	echo example:3 >expect &&
	test_cmp expect got &&
	pesq-prompt -e ex -m 3100 "$FIX/budget.jsonl" >out &&
	jq -r ".prompt.trimmed[]" out >got &&
	printf "%s\n" example:3 example:2 example:1 caller:preview >expect &&
	test_cmp expect got
'

test_expect_success 'the same budget gives the same bytes' '
	pesq-prompt -m 1500 "$FIX/budget.jsonl" >a &&
	pesq-prompt -m 1500 "$FIX/budget.jsonl" >b &&
	test_cmp a b
'

test_done
