#!/bin/sh
test_description='git pesq run leaves what no filter records in the ledger

Over the stand-in filters of t9001: each try gets an llm line (role,
mode, tokens, where the definition was) in its note, so log and report
see roles and tokens; the accepted attempts become examples for the
next prompt unless --no-examples.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

PATH=$SRC_ROOT/t/fixtures/loop-stubs:$PATH
STUB_HOT=$HOME/hot.jsonl STUB_REPLIES=$HOME/replies STUB_LOG=$HOME/log
export STUB_HOT STUB_REPLIES STUB_LOG

test_expect_success 'setup: a run with a correction' '
	cat >hot.jsonl <<-\EOT &&
	{"fn":"child","role":"leaf","hot":{"rank":1}}
	{"fn":"parent","role":"parent","child":"child","hot":{"rank":2}}
	EOT
	echo "main;parent;child 10" >stacks.folded &&
	mkdir replies &&
	printf "%s\n" "FAST parent" >replies/parent &&
	printf "%s\n" "BROKEN child" "SLOW child" >replies/child &&
	git init -q r &&
	(
		cd r &&
		echo "int parent(void);" >parent.c &&
		echo "int child(void);" >child.c &&
		git add . && git commit -q -m base &&
		git config pesq.bench true && git config pesq.build true &&
		git config pesq.sanitize false && git config pesq.differential false &&
		git pesq run -S ../stacks.folded >../out 2>../err
	)
'

test_expect_success 'each try has an llm line in its note' '
	git -C r notes --ref=pesq show pesq/child/1 >note &&
	jq -c "select(.event == \"llm\") | [.attempt, .role, .mode,
	    .in_tokens, .out_tokens, .summary]" note >actual &&
	echo "[\"child/1\",\"leaf\",\"correct\",10,5,\"stub\"]" >expect &&
	test_cmp expect actual &&
	git -C r notes --ref=pesq show pesq/child/1^ >note1 &&
	jq -c "select(.event == \"llm\") | [.role, .mode]" note1 >actual &&
	echo "[\"leaf\",\"optimize\"]" >expect &&
	test_cmp expect actual &&
	git -C r for-each-ref refs/notes/ >refs &&
	test_line_count = 1 refs
'

test_expect_success 'log and report see roles, corrections and tokens' '
	(cd r && git pesq log --json >../log.json &&
	 git pesq report --json >../report.json) &&
	jq -r "[.id, .role, .verdict, .corrections, .tokens]
	    | map(tostring) | join(\" \")" log.json >actual &&
	printf "%s\n" "child/1 leaf rejected 1 30" \
	    "parent/1 parent accepted 0 15" >expect &&
	sort expect >expect.s && sort actual >actual.s &&
	test_cmp expect.s actual.s &&
	jq -c "[.attempts, .accepted, .roles.parent.accepted,
	    .corrections.total, .tokens.total]" report.json >actual &&
	echo "[2,1,1,1,45]" >expect &&
	test_cmp expect actual
'

test_done
