#!/bin/sh
test_description='the candidate rules: one source for pesq-apply --rules, pesq-apply(1) and the prompt'
. ./test-lib.sh

test_expect_success '--rules reads nothing, needs no repository, one rule a line' '
	mkdir empty &&
	(cd empty && GIT_CEILING_DIRECTORIES=$PWD/.. &&
	 export GIT_CEILING_DIRECTORIES && pesq-apply --rules </dev/null) >rules &&
	test "$(wc -l <rules)" -ge 5 &&
	! grep -v "^- " rules &&
	test_grep "static" rules &&
	test_grep "#undef" rules &&
	test_grep "#include <name>" rules
'

test_expect_success 'pesq-apply(1) lists exactly these rules' '
	sed -n "/^# CANDIDATE RULES/,/^# /p" "$SRC_ROOT/man/pesq-apply.1.scd" |
		grep "^- " >man &&
	test_cmp rules man
'

test_expect_success 'the usage names --rules' '
	pesq-apply --help >usage &&
	test_grep "pesq-apply --rules" usage
'

test_expect_success JQ 'the system message of every prompt carries them' '
	for f in leaf build-failed test-failed
	do
		pesq-prompt "$SRC_ROOT/t/fixtures/prompt/$f.jsonl" >out &&
		jq -r ".prompt.messages[0].content" out >sys &&
		while IFS= read -r line
		do
			grep -F -x -e "$line" sys >/dev/null ||
				{ echo "$f: missing: $line"; return 1; }
		done <rules || return 1
	done
'

test_expect_success 'the built-in system template has the rules placeholder' '
	pesq-prompt --dump-templates tpl &&
	test_grep "^{{rules}}\$" tpl/system.txt &&
	test_cmp "$SRC_ROOT/t/fixtures/prompt/templates/system.txt" tpl/system.txt
'

test_done
