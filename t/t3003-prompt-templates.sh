#!/bin/sh
test_description='pesq-prompt templates: built in, dumped, overridden, placeholders'
. ./test-lib.sh

FIX=$SRC_ROOT/t/fixtures/prompt

test_expect_success '--dump-templates writes the built-in templates (golden)' '
	pesq-prompt --dump-templates tpl >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	for t in system optimize-leaf optimize-parent correct check-system check \
		optimize-parallel
	do
		test_cmp "$FIX/templates/$t.txt" tpl/$t.txt || return 1
	done &&
	ls tpl >got &&
	printf "%s\n" check-system.txt check.txt correct.txt \
		optimize-leaf.txt optimize-parallel.txt \
		optimize-parent.txt system.txt >expect &&
	test_cmp expect got
'

test_expect_success '--dump-templates refuses to overwrite, and writes nothing' '
	mkdir tpl2 &&
	echo mine >tpl2/correct.txt &&
	test_expect_code 2 pesq-prompt --dump-templates tpl2 2>err &&
	test_grep "tpl2/correct.txt. exists" err &&
	echo mine >expect &&
	test_cmp expect tpl2/correct.txt &&
	ls tpl2 >got &&
	echo correct.txt >expect &&
	test_cmp expect got
'

test_expect_success '--dump-templates takes no other arguments' '
	test_expect_code 2 pesq-prompt --dump-templates x in.jsonl 2>err &&
	test_grep "^usage: pesq-prompt" err &&
	test_path_is_missing x
'

test_expect_success 'the dumped templates read back give the same bytes' '
	pesq-prompt "$FIX/leaf.jsonl" "$FIX/parent.jsonl" "$FIX/build-failed.jsonl" >builtin &&
	pesq-prompt -t tpl "$FIX/leaf.jsonl" "$FIX/parent.jsonl" "$FIX/build-failed.jsonl" >fromdir &&
	test_cmp builtin fromdir
'

test_expect_success JQ 'a directory with one template replaces only that one' '
	mkdir one &&
	printf "Speed up {{fn}} in {{file}} at line {{line}} ({{where}}, {{lang}}).\n" >one/optimize-leaf.txt &&
	pesq-prompt --template one "$FIX/leaf.jsonl" >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	echo "Speed up dist2 in src/geom.c at line 12 (src/geom.c:12, C)." >expect &&
	test_cmp expect user &&
	jq -r ".prompt.messages[0].content" out >sys &&
	jq -s -r ".[0].prompt.messages[0].content" builtin >expect &&
	test_cmp expect sys
'

test_expect_success JQ 'a custom template changes the id' '
	jq -r .prompt.id out >a &&
	jq -s -r ".[0].prompt.id" builtin >b &&
	! cmp -s a b
'

test_expect_success JQ 'values are not scanned again; other braces are literal' '
	mkdir lit &&
	printf "{{code}}|{{Fn}}|{{ fn }}|{{fn|{{0}}|{{signature}}\n" >lit/optimize-leaf.txt &&
	jq -c ".def.code = \"int f(void) { return {{fn}}; }\" | .def.signature = \"{{child}}\"" \
		"$FIX/leaf.jsonl" >in &&
	pesq-prompt -t lit in >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	echo "int f(void) { return {{fn}}; }|{{Fn}}|{{ fn }}|{{fn|{{0}}|{{child}}" >expect &&
	test_cmp expect user
'

test_expect_success JQ 'an empty placeholder alone on its line takes the line and one gap' '
	mkdir gap &&
	printf "A\n\n{{examples}}\n\n{{trimmed}}\n\nB {{child}}.\n{{child}}\nC\n" >gap/optimize-leaf.txt &&
	pesq-prompt -t gap "$FIX/leaf.jsonl" >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	printf "A\n\nB .\nC\n" >expect &&
	test_cmp expect user
'

test_expect_success 'an unknown placeholder is an error before any output' '
	mkdir bad &&
	printf "line one\n{{fn}} and {{nope}}\n" >bad/correct.txt &&
	test_expect_code 2 pesq-prompt -t bad "$FIX/leaf.jsonl" >out 2>err &&
	test_must_be_empty out &&
	echo "pesq-prompt: bad/correct.txt:2: unknown placeholder '"'"'{{nope}}'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'a missing template directory is an error' '
	test_expect_code 2 pesq-prompt -t no-such-dir "$FIX/leaf.jsonl" >out 2>err &&
	test_must_be_empty out &&
	test_grep "template directory .no-such-dir.: No such file or directory" err &&
	test_expect_code 2 pesq-prompt -t "$FIX/leaf.jsonl" "$FIX/leaf.jsonl" >out 2>err &&
	test_grep "Not a directory" err
'

test_expect_success JQ 'git config pesq.template is used, with ~ expanded' '
	git init -q repo &&
	mkdir "$HOME/mytpl" &&
	echo "From config: {{fn}}" >"$HOME/mytpl/optimize-leaf.txt" &&
	git -C repo config pesq.template "~/mytpl" &&
	(cd repo && pesq-prompt "$FIX/leaf.jsonl") >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	echo "From config: dist2" >expect &&
	test_cmp expect user
'

test_expect_success JQ '--template overrides the configuration' '
	(cd repo && pesq-prompt -t ../one "$FIX/leaf.jsonl") >out &&
	jq -r ".prompt.messages[1].content" out >user &&
	test_grep "^Speed up dist2" user
'

test_expect_success 'a configured directory that is missing is an error' '
	git -C repo config pesq.template "$HOME/gone" &&
	(cd repo && test_expect_code 2 pesq-prompt "$FIX/leaf.jsonl") >out 2>err &&
	test_must_be_empty out &&
	test_grep "template directory .*gone.: No such file" err
'

test_expect_success 'outside a repository the global configuration counts' '
	git config --global pesq.template "$HOME/one" &&
	test_when_finished "git config --global --unset pesq.template" &&
	mkdir -p elsewhere &&
	(cd elsewhere && pesq-prompt "$FIX/leaf.jsonl") >out &&
	test_grep "Speed up dist2" out
'

test_done
