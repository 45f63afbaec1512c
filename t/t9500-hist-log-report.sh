#!/bin/sh
test_description='git pesq log, show, report: the ledger read back

A repository with five finished attempts and one cut short, their notes
written by hand in the format of pesq-apply, pesq-bench and git pesq run
(t/lib-history.sh); every number below is worked out from that ledger.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }
. "$TEST_DIRECTORY/lib-history.sh"

test_expect_success 'setup: the ledger' '
	mkdir repo &&
	(cd repo && make_ledger)
'

test_expect_success 'log: one line per attempt, newest first' '
	(cd repo && git pesq log >../out 2>../err) &&
	test_must_be_empty err &&
	sed "s/^[0-9a-f]\{7\}  /C  /" out >actual &&
	cat >expect <<-\EOF &&
	commit   attempt       function    role    verdict         speedup   interval  fixes  model  tokens  date
	C  count_file/2  count_file  leaf    none                  -          -      0  fake       15  2023-11-14 22:23
	C  main/1        main        parent  output-differs        -          -      0  other     165  2023-11-14 22:21
	C  hash/1        hash        leaf    build-failed          -          -      1  fake      230  2023-11-14 22:20
	C  count_file/1  count_file  leaf    rejected          0.98x  0.95-1.01      0  fake      130  2023-11-14 22:18
	C  table_find/1  table_find  parent  accepted           1.6x    1.5-1.7      1  fake      380  2023-11-14 22:17
	C  count_word/1  count_word  leaf    accepted          1.25x    1.2-1.3      0  fake      150  2023-11-14 22:15
	EOF
	test_cmp expect actual &&
	git -C repo rev-parse --short pesq/table_find/1 >expect &&
	sed -n "6s/ .*//p" out >actual &&
	test_cmp expect actual
'

test_expect_success 'log: --accepted, --rejected, --verdict, --fn, -n' '
	(
		cd repo &&
		git pesq log --accepted >../acc &&
		git pesq log --rejected >../rej &&
		git pesq log --verdict none >../none &&
		git pesq log --fn count_file >../fn &&
		git pesq log --fn=count_file --verdict=rejected >../both &&
		git pesq log -n 2 >../two
	) &&
	awk "NR > 1 { print \$2, \$5 }" acc >actual &&
	printf "%s\n" "table_find/1 accepted" "count_word/1 accepted" >expect &&
	test_cmp expect actual &&
	awk "NR > 1 { print \$2 }" rej >actual &&
	printf "%s\n" main/1 hash/1 count_file/1 >expect &&
	test_cmp expect actual &&
	awk "NR > 1 { print \$2 }" none >actual &&
	echo count_file/2 >expect && test_cmp expect actual &&
	awk "NR > 1 { print \$2 }" fn >actual &&
	printf "%s\n" count_file/2 count_file/1 >expect &&
	test_cmp expect actual &&
	awk "NR > 1 { print \$2 }" both >actual &&
	echo count_file/1 >expect && test_cmp expect actual &&
	test_line_count = 3 two
'

test_expect_success 'log --json: the records, with the code of accepted ones' '
	(cd repo && git pesq log --json >../all.json) &&
	test_line_count = 6 all.json &&
	jq -r "[.id, .verdict, .speedup, .corrections, .tries, .tokens,
	    .in_tokens, .out_tokens, .ms.build, .ms.bench, .role]
	    | map(tostring) | join(\" \")" all.json >actual &&
	cat >expect <<-\EOF &&
	count_file/2 null null 0 1 15 10 5 1000 0 leaf
	main/1 output-differs null 0 1 165 110 55 1000 0 parent
	hash/1 build-failed null 1 2 230 165 65 2000 0 leaf
	count_file/1 rejected 0.98 0 1 130 90 40 1000 2020 leaf
	table_find/1 accepted 1.6 1 2 380 250 130 2000 1600 parent
	count_word/1 accepted 1.25 0 1 150 100 50 1000 1800 leaf
	EOF
	test_cmp expect actual &&
	(cd repo && git pesq log --accepted --json >../acc.json) &&
	jq -r ".fn, .original, .accepted, .summary" acc.json >actual &&
	cat >expect <<-\EOF &&
	table_find
	int table_find(const char *w) { return hash(w) % 7; }
	int table_find(const char *w) { return hash(w) & 7; }
	faster table_find
	count_word
	int count_word(const char *w) { return table_find(w); }
	int count_word(const char *w) { return table_find(w) + 0; }
	faster count_word
	EOF
	test_cmp expect actual
'

test_expect_success 'log --accepted --json is an examples file for pesq-prompt' '
	command -v pesq-prompt >/dev/null || return 0
	echo "{\"fn\":\"count_file\",\"role\":\"leaf\",\"def\":{\"file\":\"count.c\",\"line\":4,\"code\":\"int count_file(const char *f) { return count_word(f); }\",\"signature\":\"int count_file(const char *f)\"}}" >rec &&
	pesq-prompt --examples acc.json <rec >prompted &&
	jq -r ".prompt.messages[-1].content" prompted >text &&
	test_grep "table_find.*1.6" text &&
	test_grep "return hash(w) & 7" text &&
	test_grep "return table_find(w) + 0" text
'

test_expect_success 'show: the outcome, the statistics and the diff' '
	(cd repo && git pesq show table_find/1 >../out 2>../err) &&
	test_must_be_empty err &&
	sed -n "/^attempt/s/(.*,/(C,/p; /^attempt/!p" out |
		sed "s/^base .*/base B/; s/^index .*/index I/" >actual &&
	cat >expect <<-\EOF &&
	attempt    table_find/1  (C, pesq/table_find/1)
	function   table_find (parent)
	base B
	date       2023-11-14 22:17:00 UTC
	summary    faster table_find
	prompt     ptable_find1, correct
	model      openai/fake, 250 in + 130 out tokens
	build      try 1: failed (1 s): count.c:1:5: error: expected ; before }
	           try 2: ok (1 s)
	test       passed (300 ms)
	bench      1.6x (CI 1.5-1.7), p 0.001, 1 rounds, cpu time, medians 0.5 s -> 0.3 s
	machine    Test CPU, 2 cores, Linux 6.1 x86_64
	verdict    accepted: because
	time       llm 200 ms, build 2 s, test 300 ms, check 0 ms, bench 1.6 s

	diff --git a/count.c b/count.c
	index I
	--- a/count.c
	+++ b/count.c
	@@ -1,5 +1,5 @@
	 int hash(const char *s) { return *s; }
	-int table_find(const char *w) { return hash(w) % 7; }
	+int table_find(const char *w) { return hash(w) & 7; }
	 int count_word(const char *w) { return table_find(w) + 0; }
	 int count_file(const char *f) { return count_word(f); }
	 int main(void) { return count_file("x"); }
	EOF
	test_cmp expect actual
'

test_expect_success 'show: by branch, by commit, an output that differs' '
	(
		cd repo &&
		git pesq show pesq/main/1 >../by-branch &&
		git pesq show "$(git rev-parse pesq/main/1)" >../by-commit &&
		git pesq show --stat "$(git rev-parse pesq/table_find/1^)" \
			>../by-first
	) &&
	test_cmp by-branch by-commit &&
	test_grep "^bench      the output differs at line 2: base \"a 2\", candidate \"a 3\"" by-branch &&
	test_grep "^verdict    output-differs: because" by-branch &&
	test_grep "^attempt    table_find/1" by-first &&
	test_grep "count.c | 2 +-" by-first
'

test_expect_success 'show: colour with --color and with color.ui=always' '
	(
		cd repo &&
		git pesq show count_word/1 >../plain &&
		git pesq show --color count_word/1 >../forced &&
		git -c color.ui=always pesq show count_word/1 >../ui &&
		git -c color.ui=always pesq show --no-color count_word/1 >../off
	) &&
	test_grep ! "$(printf "\033")" plain &&
	test_grep "$(printf "\033")\[32maccepted" forced &&
	test_grep "$(printf "\033")\[32maccepted" ui &&
	test_cmp plain off
'

test_expect_success 'show: unknown and ambiguous attempts' '
	(cd repo && test_expect_code 2 git pesq show nosuch/1 2>../err) &&
	test_grep "no attempt .nosuch/1. in the ledger" err &&
	(cd repo && test_expect_code 2 git pesq show 2>../err) &&
	test_grep "^usage: git pesq show" err
'

test_expect_success 'report: totals worked out by hand' '
	(cd repo && git pesq report >../out 2>../err) &&
	test_must_be_empty err &&
	sed "s/ ([0-9a-f]\{7\})\$//" out >actual &&
	cat >expect <<-\EOF &&
	attempts     5 (and 1 unfinished)
	verdicts     accepted 2, rejected 1, build-failed 1, output-differs 1
	accepted     2 of 5 (40%)
	  by role    leaf 1 of 3 (33%), parent 1 of 2 (50%)
	  by model   fake 2 of 4 (50%), other 0 of 1 (0%)
	corrections  2 in 2 attempts, 1 of them built in the end
	speedup      median 1.425x, best 1.6x
	pesq/best    2x, the product of its 2 accepted steps
	tokens       1070 (725 in, 345 out)
	time         llm 0.8 s, build 8 s, test 1.2 s, check 0 s, bench 5.4 s
	EOF
	test_cmp expect actual
'

test_expect_success 'report --json: the same numbers for jq' '
	(cd repo && git pesq report --json >../report.json) &&
	jq -c "[.attempts, .unfinished, .accepted, .rate, .verdicts.rejected,
	    .roles.leaf.attempts, .models.other.accepted,
	    .corrections.total, .speedup.median, .speedup.best,
	    .speedup.cumulative, (.best.steps | map(.attempt)),
	    .tokens.total, .seconds.bench]" report.json >actual &&
	echo "[5,1,2,0.4,1,3,0,2,1.425,1.6,2,[\"count_word/1\",\"table_find/1\"],1070,5.42]" >expect &&
	test_cmp expect actual
'

test_expect_success XMLLINT 'report --svg: well-formed, one point per accepted attempt' '
	(cd repo && git pesq report --svg ../report.svg >../out) &&
	test_grep "^attempts     5" out &&
	xmllint --noout report.svg &&
	test "$(grep -c "class=\"point\"" report.svg)" = 2 &&
	test "$(grep -c "class=\"bar\"" report.svg)" = 9 &&
	test_grep "<title>table_find/1 1.6x, cumulative 2x</title>" report.svg
'

test_expect_success XMLLINT 'report --svg with no attempts at all' '
	git init -q empty &&
	(cd empty && test_commit one && git pesq report --svg ../empty.svg \
		>../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "no attempts yet" err &&
	xmllint --noout empty.svg &&
	test_grep "no accepted attempt yet" empty.svg &&
	(cd empty && git pesq log >../out) &&
	test_must_be_empty out
'

test_expect_success 'a note line that is not JSON is skipped with a warning' '
	git clone -q repo bad &&
	git -C repo push -q ../bad "refs/notes/pesq:refs/notes/pesq" &&
	(
		cd bad &&
		c=$(git rev-parse origin/pesq/main/1) &&
		{ git notes --ref=pesq show $c && echo "{oops"; } >note &&
		git notes --ref=pesq add -f -F note $c &&
		git pesq report --json >../bad.json 2>../err
	) &&
	test_grep "1 lines of the notes in .refs/notes/pesq. are not JSON objects" err &&
	jq .attempts bad.json >actual &&
	echo 5 >expect && test_cmp expect actual
'

test_expect_success 'show: the counters for information, or why there are none' '
	(
		cd repo &&
		c=$(git rev-parse pesq/count_word/1) &&
		git notes --ref=pesq show $c | grep "\"event\":\"bench\"" |
		jq -c ".bench.counters = {events: \"hw\",
			instructions: {base: 41234567, cand: 33000000},
			cycles: {base: 1500000000, cand: 987}}" | put_note $c &&
		git pesq show count_word/1 >../counted &&
		git notes --ref=pesq show $c | grep "\"event\":\"bench\"" |
		tail -n 1 | jq -c ".bench.counters = {unavailable:
			\"perf_event_open: No such file or directory\"}" |
		put_note $c &&
		git pesq show count_word/1 >../uncounted
	) &&
	sed -n "/^bench/,/^machine/p" counted >actual &&
	cat >expect <<-\EOF &&
	bench      1.25x (CI 1.2-1.3), p 0.001, 1 rounds, cpu time, medians 0.5 s -> 0.4 s
	counters   instructions 41.23M -> 33M, cycles 1.5G -> 987 (for information)
	machine    Test CPU, 2 cores, Linux 6.1 x86_64
	EOF
	test_cmp expect actual &&
	test_grep "^counters   unavailable: perf_event_open: No such file or directory$" uncounted &&
	test_grep "^verdict    accepted" uncounted
'

test_expect_success 'show: a small p as printf %.2g writes it' '
	(
		cd repo &&
		c=$(git rev-parse pesq/count_word/1) &&
		git notes --ref=pesq show $c | grep "\"event\":\"bench\"" |
		tail -n 1 | jq -c ".bench.p = 9.536743e-07" | put_note $c &&
		git pesq show count_word/1 >../small
	) &&
	test_grep "^bench      1.25x (CI 1.2-1.3), p 9.5e-07, 1 rounds" small
'

test_expect_success 'usage: -h, bad options, bad values' '
	(
		cd repo &&
		for v in log show report accept gc push pull
		do
			git pesq $v -h >../out 2>../err &&
			test_must_be_empty ../err &&
			grep "^usage: git pesq $v" ../out || exit 1
			test_expect_code 2 git pesq $v --no-such >../out 2>../err &&
			test_must_be_empty ../out &&
			grep "^usage: git pesq $v" ../err || exit 1
		done &&
		test_expect_code 2 git pesq log --verdict great 2>../err &&
		grep "great. is not a verdict" ../err &&
		test_expect_code 2 git pesq log -n many &&
		test_expect_code 2 git pesq report --svg &&
		test_expect_code 2 git pesq show --color=pink x
	)
'

test_done
