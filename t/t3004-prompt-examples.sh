#!/bin/sh
test_description='pesq-prompt --examples: accepted attempts shown to the model'
. ./test-lib.sh

FIX=$SRC_ROOT/t/fixtures/prompt

test_expect_success 'setup examples' '
	cat >ex.jsonl <<-\EOT &&
	{"fn":"sum","original":"int\nsum(int *a, int n)\n{\n\treturn n ? a[0] + sum(a + 1, n - 1) : 0;\n}\n","accepted":"int\nsum(int *a, int n)\n{\n\tint s = 0;\n\n\tfor (int i = 0; i < n; i++)\n\t\ts += a[i];\n\treturn s;\n}","speedup":1.7349,"summary":"Turn the recursion into a loop."}

	{"original":"int f(void) { return 1; }","accepted":"int f(void) { return 2 - 1; }"}
	EOT
	pesq-prompt "$FIX/leaf.jsonl" >plain
'

test_expect_success JQ 'examples appear in the optimize prompt, in file order' '
	pesq-prompt -e ex.jsonl "$FIX/leaf.jsonl" >out 2>err &&
	test_must_be_empty err &&
	jq -r ".prompt.messages[1].content" out >user &&
	sed -n "/^## Optimizations accepted earlier/,/^Reply with/p" user >got &&
	cat >expect <<\EOT &&
## Optimizations accepted earlier in this code base

Each was measured to be faster here and kept; similar ideas may apply.

### Example 1: `sum`, 1.73x as fast

Turn the recursion into a loop.

Before:

```c
int
sum(int *a, int n)
{
	return n ? a[0] + sum(a + 1, n - 1) : 0;
}
```

After:

```c
int
sum(int *a, int n)
{
	int s = 0;

	for (int i = 0; i < n; i++)
		s += a[i];
	return s;
}
```

### Example 2

Before:

```c
int f(void) { return 1; }
```

After:

```c
int f(void) { return 2 - 1; }
```

Reply with one ```c block holding the new `dist2` and any static
EOT
	test_cmp expect got
'

test_expect_success 'examples change the prompt id, not the other fields' '
	sed "s/.*\"id\":\"\([0-9a-f]*\)\".*/\1/" plain >a &&
	sed "s/.*\"id\":\"\([0-9a-f]*\)\".*/\1/" out >b &&
	! cmp -s a b &&
	sed "s/,\"prompt\":{.*//" plain >a &&
	sed "s/,\"prompt\":{.*//" out >b &&
	test_cmp a b
'

test_expect_success JQ 'the parent template shows examples too' '
	pesq-prompt -e ex.jsonl "$FIX/parent.jsonl" >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^### Example 1: \`sum\`, 1.73x as fast$" user
'

test_expect_success JQ 'a correction prompt has no examples, and trims none' '
	pesq-prompt -e ex.jsonl "$FIX/build-failed.jsonl" >out &&
	pesq-prompt "$FIX/build-failed.jsonl" >noex &&
	test_cmp noex out &&
	pesq-prompt -e ex.jsonl -m 100000 "$FIX/build-failed.jsonl" >out &&
	jq -c .prompt.trimmed out >got &&
	echo "[]" >expect &&
	test_cmp expect got
'

test_expect_success JQ 'whole pesq records: only accepted attempts count' '
	jq -c ". + {candidate: {code: \"int fast(void) { return 0; }\", summary: \"Return at once.\"}, bench: {speedup: 2.5}, verdict: {status: \"accepted\"}}" \
		"$FIX/leaf.jsonl" >rec.jsonl &&
	jq -c ".verdict = \"rejected\" | .candidate.summary = \"REJECTED\"" rec.jsonl >>rec.jsonl &&
	jq -c -s ".[0] | .error = {stage: \"apply\", msg: \"x\"} | .candidate.summary = \"FAILED\"" rec.jsonl >>rec.jsonl &&
	pesq-prompt -e rec.jsonl "$FIX/parent.jsonl" >out 2>err &&
	test_must_be_empty err &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^### Example 1: \`dist2\`, 2.50x as fast$" user &&
	test_grep "^Return at once\.$" user &&
	test_grep "^int fast(void) { return 0; }$" user &&
	test_grep -v "REJECTED" user &&
	test_grep -v "FAILED" user &&
	test_grep -v "### Example 2" user
'

test_expect_success 'invalid example lines are reported, exit 1, prompts still made' '
	{ cat ex.jsonl && echo "{oops" && echo "{\"original\":\"x\"}"; } >bad.jsonl &&
	test_expect_code 1 pesq-prompt -e bad.jsonl "$FIX/leaf.jsonl" >out 2>err &&
	test_line_count = 1 out &&
	test_grep "\"prompt\":{" out &&
	test_grep "^pesq-prompt: bad.jsonl:4: " err &&
	test_grep "^pesq-prompt: bad.jsonl:5: no .accepted. code$" err
'

test_expect_success 'a missing examples file is a system error' '
	test_expect_code 3 pesq-prompt -e no-such.jsonl "$FIX/leaf.jsonl" >out 2>err &&
	test_must_be_empty out &&
	test_grep "cannot open .no-such.jsonl." err
'

test_expect_success 'an empty examples file changes nothing' '
	: >empty.jsonl &&
	pesq-prompt -e empty.jsonl "$FIX/leaf.jsonl" >out &&
	test_cmp plain out
'

test_done
