#!/bin/sh
test_description='git pesq: every attempt in the ledger, and its readers agree

Failures before pesq-apply made a commit (no code in the reply, the
endpoint down) are attempts in the ledger with their stage, reason and
tokens; the run table, git pesq log, show and report read the same
records and give the same figures; --again and --no-cache ask the model
afresh (requests counted at the fake provider), and a resumed run keeps
them. The filters but pesq-llm are the stand-ins of t/fixtures/loop-stubs.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

. "$TEST_DIRECTORY"/lib-llm.sh
. "$TEST_DIRECTORY"/lib-stubs.sh

PATH=$SRC_ROOT/t/fixtures/loop-stubs:$PATH
STUB_HOT=$HOME/hot.jsonl STUB_REPLIES=$HOME/replies STUB_LOG=$HOME/log
export STUB_HOT STUB_REPLIES STUB_LOG

# new_repo NAME: a repository with a parent and a child function.
new_repo() {
	stub_repo "$1" parent child &&
	rm -rf replies log.* && mkdir replies
}

# figures DIR TABLE: per attempt, "fn tries verdict tokens" as the run
# table TABLE, git pesq log --json, git pesq show and git pesq report
# --json say them, into table.fig, log.fig, show.fig and report.fig.
figures() {
	sed 1d "$2" | grep -v "^pesq/best" |
	    awk "{ print \$1, \$3, \$4, \$6 }" | sort >table.fig &&
	git -C "$1" pesq log --json >log.json &&
	jq -r "[.fn, .corrections + 1, .verdict, .tokens] | join(\" \")" \
	    log.json | sort >log.fig &&
	jq -r .id log.json | while read -r id
	do
		git -C "$1" pesq show --no-color "$id" >show.out &&
		fn=$(sed -n "s/^function *\([^ ]*\).*/\1/p" show.out) &&
		tries=$(grep -c "try [0-9]*:" show.out) &&
		v=$(sed -n "s/^verdict *\([^ :]*\).*/\1/p" show.out) &&
		tok=$(sed -n "s/.*, \([0-9]*\) in + \([0-9]*\) out tokens.*/\1 \2/p" show.out) &&
		echo "$fn $tries $v $((${tok% *} + ${tok#* }))" || return 1
	done | sort >show.fig &&
	git -C "$1" pesq report --json >report.json &&
	jq -r "\"\(.attempts) \(.corrections.total) \(.tokens.total)\",
	    (.verdicts | to_entries[] | select(.value > 0)
	     | \"\(.key)=\(.value)\")" report.json | sort >report.fig &&
	{
		awk "{ n++; c += \$2 - 1; t += \$4 } END { print n, c, t }" \
		    table.fig &&
		awk "{ print \$3 }" table.fig | sort | uniq -c |
		    awk "{ print \$2 \"=\" \$1 }"
	} | sort >table.sum
}

test_expect_success 'setup' '
	cat >hot.jsonl <<-\EOT &&
	{"fn":"child","role":"leaf","hot":{"rank":1}}
	{"fn":"parent","role":"parent","child":"child","hot":{"rank":2}}
	EOT
	echo "main;parent;child 10" >stacks.folded
'

test_expect_success 'a reply without code and an endpoint down are attempts' '
	new_repo r1 &&
	echo NOCODE >replies/parent &&
	echo DOWN >replies/child &&
	(cd r1 && test_expect_code 1 git pesq run -S ../stacks.folded \
		>../out 2>../err) &&
	test_grep "parent: llm: reply has no code block" err &&
	git -C r1 pesq log >log &&
	test_grep "parent/1  *parent  *parent  *error" log &&
	test_grep "child/1  *child  *leaf  *error" log &&
	git -C r1 pesq show --no-color parent/1 >show &&
	test_grep "^verdict  *error: llm: reply has no code block defining .parent.$" show &&
	test_grep "10 in + 5 out tokens" show &&
	git -C r1 pesq show --no-color child/1 >show &&
	test_grep "^verdict  *error: llm: cannot connect to 127.0.0.1:9" show &&
	test_grep " 0 in + 0 out tokens" show &&
	git -C r1 pesq report --json >report.json &&
	test "$(jq .verdicts.error report.json)" = 2 &&
	test "$(jq .tokens.total report.json)" = 15 &&
	git -C r1 pesq report >report &&
	test_grep "error 2" report &&
	cat >expect <<-\EOT &&
	function  role    attempts  verdict  speedup  tokens
	parent    parent         1  error          -      15
	child     leaf           1  error          -       0
	EOT
	test_cmp expect out
'

test_expect_success 'a rerun asks nothing again for a failed attempt' '
	: >log.llm &&
	(cd r1 && test_expect_code 1 git pesq run -S ../stacks.folded \
		>../out 2>../err) &&
	test_must_be_empty log.llm &&
	test_line_count = 3 out
'

test_expect_success 'table, log, show and report agree: a failed build corrected, a failed request' '
	new_repo r2 &&
	printf "%s\n" "BROKEN child" "FAST child" >replies/child &&
	printf "%s\n" "slow parent" >replies/parent &&
	(cd r2 && git pesq run -S ../stacks.folded >../out 2>../err) &&
	figures r2 out &&
	cat >expect <<-\EOT &&
	child 2 accepted 30
	parent 1 rejected 15
	EOT
	test_cmp expect table.fig &&
	test_cmp table.fig log.fig &&
	test_cmp table.fig show.fig &&
	printf "%s\n" "2 1 45" accepted=1 rejected=1 >expect &&
	test_cmp expect report.fig &&
	test_cmp report.fig table.sum
'

test_expect_success 'a correction whose request fails: one attempt, two tries' '
	new_repo r3 &&
	printf "%s\n" "BROKEN child" "NOCODE" >replies/child &&
	printf "%s\n" "slow parent" >replies/parent &&
	(cd r3 && git pesq run -S ../stacks.folded >../out 2>../err) &&
	figures r3 out &&
	cat >expect <<-\EOT &&
	child 2 error 30
	parent 1 rejected 15
	EOT
	test_cmp expect table.fig &&
	test_cmp table.fig log.fig &&
	test_cmp table.fig show.fig &&
	printf "%s\n" "2 1 45" error=1 rejected=1 >expect &&
	test_cmp expect report.fig &&
	test_cmp report.fig table.sum
'

test_done
