#!/bin/sh
test_description='pesq-hot: inlined functions (hot.inlined_into) and hot lines (hot.lines)'
. ./test-lib.sh

test_lazy_prereq ADDR2LINE 'command -v addr2line'

test_expect_success 'setup' '
	cat >a.folded <<-\EOF &&
	p;main;count;hash_[i];mix_[i] 30
	p;main;count;hash_[i] 50
	p;main;scan;hash_[i] 15
	p;main;other;hash 5
	p;main;count 10
	EOF
	cat >lines.jsonl <<-\EOF
	{"fn":"hash","file":"/src/h.c","line":25,"count":40}
	{"fn":"hash","file":"/src/h.c","line":26,"count":20}
	{"fn":"hash","file":"h.c","line":27,"count":5}
	{"fn":"mix","file":"/src/h.c","line":15,"count":20}
	{"fn":"mix","file":"/src/h.c","line":14,"count":10}
	{"fn":"hash","file":"/src/h.c","line":26,"count":25}
	EOF
'

test_expect_success 'inlined_into: the callers a function was inlined into, heaviest first' '
	pesq-hot -n 3 a.folded >out &&
	jq -c "[.fn, .hot.inlined_into]" out >actual &&
	cat >expect <<-\EOF &&
	["hash",["count","scan"]]
	["mix",["hash"]]
	["count",null]
	EOF
	test_cmp expect actual &&
	jq -c "[.fn, .hot.callers]" out >actual &&
	cat >expect <<-\EOF &&
	["hash",[{"fn":"count","count":80},{"fn":"scan","count":15},{"fn":"other","count":5}]]
	["mix",[{"fn":"hash","count":30}]]
	["count",[{"fn":"main","count":90}]]
	EOF
	test_cmp expect actual
'

test_expect_success 'no inlined_into without _[i] frames' '
	sed "s/_\[i\]//g" a.folded >plain &&
	pesq-hot -n 3 plain >out &&
	test_grep ! inlined_into out
'

test_expect_success '--lines: hot.lines heaviest first, repeats summed' '
	pesq-hot -n 3 --lines lines.jsonl a.folded >out 2>err &&
	test_must_be_empty err &&
	jq -c "[.fn, .hot.lines]" out >actual &&
	cat >expect <<-\EOF &&
	["hash",[{"file":"/src/h.c","line":26,"count":45},{"file":"/src/h.c","line":25,"count":40},{"file":"h.c","line":27,"count":5}]]
	["mix",[{"file":"/src/h.c","line":15,"count":20},{"file":"/src/h.c","line":14,"count":10}]]
	["count",null]
	EOF
	test_cmp expect actual &&
	pesq-hot -n 3 --lines lines.jsonl --max-lines 1 a.folded >out &&
	jq -c "[.fn, (.hot.lines | length?)]" out >actual &&
	printf "[\"hash\",1]\n[\"mix\",1]\n[\"count\",0]\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--lines: the other fields are unchanged' '
	pesq-hot -n 3 a.folded >without &&
	pesq-hot -n 3 --lines lines.jsonl a.folded >with &&
	jq -c "del(.hot.lines)" with >actual &&
	test_cmp without actual
'

test_expect_success '--lines: bad lines are skipped with a message, exit 1' '
	{
		echo "{\"fn\":\"hash\",\"file\":\"/src/h.c\",\"line\":25,\"count\":40}" &&
		echo "{\"fn\":\"hash\",\"line\":26,\"count\":20}" &&
		echo "not json"
	} >bad.jsonl &&
	test_expect_code 1 pesq-hot -n 1 --lines bad.jsonl a.folded >out 2>err &&
	test_grep "^pesq-hot: bad.jsonl:2: not a line of pesq-fold --lines" err &&
	test_grep "^pesq-hot: bad.jsonl:3: " err &&
	jq -c ".hot.lines" out >actual &&
	echo "[{\"file\":\"/src/h.c\",\"line\":25,\"count\":40}]" >expect &&
	test_cmp expect actual &&
	test_expect_code 3 pesq-hot --lines no-such-file a.folded >out 2>err &&
	test_grep "no-such-file" err &&
	test_expect_code 2 pesq-hot --max-lines x a.folded 2>err
'

test_expect_success '--lines with an empty file' '
	: >empty &&
	pesq-hot -n 1 --lines empty a.folded >out &&
	test_grep ! "\"lines\"" out
'

test_expect_success PERF,CC,ADDR2LINE 'a recording of the inline fixture: hash is a target, inlined into count, with its lines' '
	cc -O2 -g -fno-omit-frame-pointer -o inline \
		"$SRC_ROOT/t/fixtures/inline.c" &&
	perf record -q -g -o rec.data -- ./inline 3000 >/dev/null 2>&1 &&
	perf script -i rec.data >perf.txt 2>/dev/null &&
	pesq-fold -k perf.txt >plain &&
	pesq-hot -n 2 plain >before &&
	test_grep ! "\"fn\":\"hash\"" before &&
	pesq-fold -k --inline --lines lines perf.txt >folded &&
	pesq-hot -n 2 --lines lines folded >after &&
	jq -c "select(.fn == \"hash\") | .hot.inlined_into" after >into &&
	echo "[\"count\"]" >expect &&
	test_cmp expect into &&
	# the lines of hash in the fixture: between its { and }
	b=$(grep -n "^hash(" "$SRC_ROOT/t/fixtures/inline.c" | cut -d: -f1) &&
	jq -e -s --argjson b "$b" "map(select(.fn == \"hash\"))[0].hot.lines | length > 0 and all(.line > \$b and .line < \$b + 10)" after
'

test_done
