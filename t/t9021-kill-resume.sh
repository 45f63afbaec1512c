#!/bin/sh
test_description='git pesq run: kill -9 at each stage, then a rerun

kill -9 of git pesq run'"'"'s own pid stops everything the run started; a
rerun continues with the options the run was started with, asks the
model nothing it asked already (requests counted at fake-llm; replies
come from pesq-llm'"'"'s cache) and ends with the ledger of an
uninterrupted run. The kill comes from $PESQ_TEST_KILL_AT, read by the
stand-in pesq-apply (build), pesq-bench (test, bench, note: between the
"accepted" note and the attempt'"'"'s own notes, accept: before pesq/best
moves) and git pesq itself (row: a row written but not yet in the
table; fail-note: the note of a failed request written).'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

. "$TEST_DIRECTORY"/lib-llm.sh
. "$TEST_DIRECTORY"/lib-stubs.sh

STUB_HOT=$HOME/hot.jsonl STUB_LOG=$HOME/log
export STUB_HOT STUB_LOG

# reply FN MODE WORD: a fake-llm entry: a code block defining FN that
# says WORD (FAST, BROKEN, slow) for requests about FN in MODE.
reply() {
	printf '{"match":"Make %s faster (%s","reply":"```c\\nint %s(void)\\n{\\n\\treturn 2; /* %s */\\n}\\n```\\n","usage":{"in":10,"out":5}}\n' \
	    "$1" "$2" "$1" "$3"
}

# new_repo NAME: a repository with a parent and a child function.
new_repo() {
	stub_repo "$1" parent child &&
	git -C "$1" config pesq.provider openai &&
	git -C "$1" config pesq.model m
}

# ledger DIR: the ledger of DIR without what differs between two runs
# (commit ids, times, cached): the attempts as git pesq log --json has
# them, every note line, and pesq/best's subjects.
ledger() {
	git -C "$1" pesq log --json |
	    jq -c "{id, fn, verdict, reason, corrections, tries, tokens,
		    speedup}" | sort &&
	git -C "$1" notes --ref=pesq list | cut -d" " -f2 |
	while read -r c
	do
		git -C "$1" notes --ref=pesq show "$c" |
		    jq -c "del(.time, .ms, .cached, .parent, .base, .best,
			       .attempt_commit, .def, .prompt)" || return 1
	done | sort &&
	git -C "$1" log --format=%s pesq/best &&
	git -C "$1" for-each-ref --format="%(refname)" refs/heads/pesq/
}

# requests: how many requests fake-llm has had.
requests() {
	wc -l <fake.log | tr -d " "
}

test_expect_success 'setup' '
	mkdir stubs &&
	for s in pesq-prompt pesq-apply pesq-bench pesq-deps pesq-fold \
		pesq-hot pesq-stub-note
	do
		cp "$SRC_ROOT/t/fixtures/loop-stubs/$s" stubs/ || return 1
	done &&
	cat >hot.jsonl <<-\EOT &&
	{"fn":"child","role":"leaf","hot":{"rank":1}}
	{"fn":"parent","role":"parent","child":"child","hot":{"rank":2}}
	EOT
	echo "main;parent;child 10" >stacks.folded &&
	{
		reply parent optimize slow &&
		reply child optimize BROKEN &&
		reply child correct FAST
	} >script &&
	start_fake script &&
	new_repo ref &&
	(
		cd ref &&
		PATH=$HOME/stubs:$PATH OPENAI_BASE_URL=$FAKE_URL/v1 \
			git pesq run -S ../stacks.folded >../ref.out
	) &&
	test "$(requests)" = 3 &&
	ledger ref >ref.ledger &&
	grep "^child  *leaf  *2  accepted" ref.out &&
	grep "^parent  *parent  *1  rejected" ref.out
'

# killed_run STAGE [FN]: a run in kill-STAGE killed -9 at STAGE (of FN's
# attempt, else the first that gets there); then no process of its
# session is left; then a rerun: the ledger and the table of the
# uninterrupted run, and no request made twice.
killed_run() {
	new_repo kill-$1 &&
	start_fake script &&
	(
		cd kill-$1 &&
		PATH=$HOME/stubs:$PATH OPENAI_BASE_URL=$FAKE_URL/v1 \
		PESQ_TEST_KILL_AT=$1 STUB_KILL_FN=$2 &&
		export PATH OPENAI_BASE_URL PESQ_TEST_KILL_AT STUB_KILL_FN &&
		test_expect_code 137 git pesq run -S ../stacks.folded \
			>../out 2>../err
	) &&
	test_path_is_file kill-$1/.git/pesq/run/active &&
	# the lock is held by every process of the run: when it is free,
	# the run is gone; then its session has no live process (a zombie
	# not yet reaped is dead)
	flock kill-$1/.git/pesq/run.lock true &&
	sid=$(cat kill-$1/.git/pesq/run.lock.pid) &&
	ps -e -o sid=,stat=,args= |
	    awk -v s="$sid" "\$1 == s && \$2 !~ /^Z/" >left &&
	test_must_be_empty left &&
	(
		cd kill-$1 &&
		PATH=$HOME/stubs:$PATH OPENAI_BASE_URL=$FAKE_URL/v1 \
			git pesq run -v -S ../stacks.folded >../out 2>../err
	) &&
	test "$(requests)" = 3 &&
	ledger kill-$1 >ledger &&
	test_cmp ref.ledger ledger &&
	sed "s/[0-9a-f]\{7\}/X/g" ref.out >expect &&
	sed "s/[0-9a-f]\{7\}/X/g" out >actual &&
	test_cmp expect actual &&
	test_path_is_missing kill-$1/.git/pesq/run/active
}

test_expect_success 'kill -9 during a build' '
	killed_run build child
'

test_expect_success 'kill -9 before the test' '
	killed_run test child &&
	test_grep "pesq/child/1 was cut short before its verdict: made again" err
'

test_expect_success 'kill -9 during the bench' '
	killed_run bench child &&
	test_grep "pesq/child/1 was cut short before its verdict: made again" err
'

test_expect_success 'kill -9 between the accepted note and the attempt'"'"'s notes' '
	killed_run note child &&
	test_grep "pesq/child/1 was cut short before its verdict: made again" err
'

test_expect_success 'kill -9 after the verdict, before pesq/best moves' '
	killed_run accept child &&
	test_grep "child: pesq/best moved to .*, the accepted attempt of a run cut short" err
'

test_expect_success 'kill -9 after a row, before the table has it' '
	killed_run row
'

test_expect_success '--again asks afresh: no reply from the cache' '
	start_fake script &&
	(
		cd ref &&
		PATH=$HOME/stubs:$PATH OPENAI_BASE_URL=$FAKE_URL/v1 \
			git pesq run -q --again -S ../stacks.folded
	) &&
	test "$(requests)" = 3 &&
	git -C ref rev-parse -q --verify pesq/parent/2 &&
	git -C ref rev-parse -q --verify pesq/child/2
'

test_expect_success 'a killed --again --no-cache run resumes with them, repeating nothing it finished' '
	start_fake script &&
	(
		cd kill-row &&
		PATH=$HOME/stubs:$PATH OPENAI_BASE_URL=$FAKE_URL/v1 \
		PESQ_TEST_KILL_AT=bench STUB_KILL_FN=child &&
		export PATH OPENAI_BASE_URL PESQ_TEST_KILL_AT STUB_KILL_FN &&
		test_expect_code 137 git pesq run --again --no-cache \
			-S ../stacks.folded >../out 2>../err
	) &&
	test "$(requests)" = 3 &&
	grep "^again=.t.$" kill-row/.git/pesq/run/settings &&
	grep "^nocache=.t.$" kill-row/.git/pesq/run/settings &&
	flock kill-row/.git/pesq/run.lock true &&
	(
		cd kill-row &&
		PATH=$HOME/stubs:$PATH OPENAI_BASE_URL=$FAKE_URL/v1 \
			git pesq run -v -S ../stacks.folded >../out 2>../err
	) &&
	test_grep "with the options it was started with: --again --no-cache" err &&
	test_grep "parent: done already in this run" err &&
	# child/2 made again, asked afresh (2 requests); without --again
	# child/1 would count as done
	test "$(requests)" = 5 &&
	git -C kill-row pesq log --json >log.json &&
	jq -r "[.id, .verdict] | join(\" \")" log.json | sort >actual &&
	cat >expect <<-\EOT &&
	child/1 accepted
	child/2 accepted
	parent/1 rejected
	parent/2 rejected
	EOT
	test_cmp expect actual
'

test_done
