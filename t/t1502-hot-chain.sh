#!/bin/sh
test_description='pesq-hot --chain: parents worth calling their hot child less'
. ./test-lib.sh

# all = 100. child: self 80, chain main>run>parent>child (60 of 80).
# parent: total 65, of which 60 in child (0.92). run: total 100, 65 in
# parent (0.65), 35 in other. other: self 15.
test_expect_success 'setup' '
	cat >b.folded <<-\EOF
	main;run;parent;child 60
	main;run;parent 5
	main;run;other;child 20
	main;run;other 15
	EOF
'

brief() {
	sed 's/,"hot":{"self":\([0-9]*\),"total":\([0-9]*\),.*"rank":\([0-9]*\),.*/ self=\1 total=\2 rank=\3/' "$@"
}

test_expect_success 'default depth 1: the direct caller, before its child' '
	pesq-hot --chain b.folded >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"parent","role":"parent","child":"child" self=5 total=65 rank=3
	{"fn":"child","role":"leaf" self=80 total=80 rank=1
	{"fn":"other","role":"leaf" self=15 total=35 rank=2
	EOF
	test_cmp expect actual
'

test_expect_success 'a parent record is complete' '
	head -n 1 out >first &&
	cat >expect <<-\EOF &&
	{"fn":"parent","role":"parent","child":"child","hot":{"self":5,"total":65,"all":100,"self_share":0.05,"total_share":0.65,"rank":3,"chain":["main","run","parent"],"callers":[{"fn":"run","count":65}],"callees":[{"fn":"child","count":60}]}}
	EOF
	test_cmp expect first
'

test_expect_success '--depth 2 adds run (0.65 of it calls parent), root first' '
	pesq-hot -c --depth 2 b.folded >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"run","role":"parent","child":"parent" self=0 total=100 rank=5
	{"fn":"parent","role":"parent","child":"child" self=5 total=65 rank=3
	{"fn":"child","role":"leaf" self=80 total=80 rank=1
	{"fn":"other","role":"leaf" self=15 total=35 rank=2
	EOF
	test_cmp expect actual
'

test_expect_success '--depth 0 goes to the root, but never makes a root-only function a parent' '
	pesq-hot -c -d 0 b.folded >out0 &&
	test_cmp out out0
'

test_expect_success '--parent-share: a parent not dominated by the call is not one' '
	pesq-hot -c --parent-share 0.95 b.folded >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"child","role":"leaf" self=80 total=80 rank=1
	{"fn":"other","role":"leaf" self=15 total=35 rank=2
	{"fn":"parent","role":"leaf" self=5 total=65 rank=3
	EOF
	test_cmp expect actual &&
	pesq-hot -c -d 2 -p 0.66 b.folded >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"parent","role":"parent","child":"child" self=5 total=65 rank=3
	{"fn":"child","role":"leaf" self=80 total=80 rank=1
	{"fn":"other","role":"leaf" self=15 total=35 rank=2
	EOF
	test_cmp expect actual
'

test_expect_success '--min-share applies to the hotspots and the parents'\'' total' '
	pesq-hot -c -m 0.7 b.folded >out &&
	brief out >actual &&
	echo "{\"fn\":\"child\",\"role\":\"leaf\" self=80 total=80 rank=1" >expect &&
	test_cmp expect actual &&
	pesq-hot -c -m 0.6 b.folded >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"parent","role":"parent","child":"child" self=5 total=65 rank=3
	{"fn":"child","role":"leaf" self=80 total=80 rank=1
	EOF
	test_cmp expect actual
'

test_expect_success 'excluded functions are not parents; the next one up names its callee' '
	printf "main;run;[unknown];child 10\nmain;run 1\n" >unk &&
	pesq-hot -c -d 2 unk >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"run","role":"parent","child":"[unknown]" self=1 total=11 rank=2
	{"fn":"child","role":"leaf" self=10 total=10 rank=1
	EOF
	test_cmp expect actual &&
	pesq-hot -c -d 2 -x "^run\$" unk >out &&
	brief out >actual &&
	echo "{\"fn\":\"child\",\"role\":\"leaf\" self=10 total=10 rank=1" >expect &&
	test_cmp expect actual
'

test_expect_success 'each function once: a parent of two hotspots, a hot parent' '
	cat >two.folded <<-\EOF &&
	main;hub;a 50
	main;hub;b 30
	main;hub 5
	main;c 15
	EOF
	pesq-hot -c two.folded >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"hub","role":"parent","child":"a" self=5 total=85 rank=4
	{"fn":"a","role":"leaf" self=50 total=50 rank=1
	{"fn":"b","role":"leaf" self=30 total=30 rank=2
	{"fn":"c","role":"leaf" self=15 total=15 rank=3
	EOF
	test_cmp expect actual &&
	printf "main;big;small 30\nmain;big 60\nmain;z 10\n" >hot-parent &&
	pesq-hot -c hot-parent >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"big","role":"leaf" self=60 total=90 rank=1
	{"fn":"small","role":"leaf" self=30 total=30 rank=2
	{"fn":"z","role":"leaf" self=10 total=10 rank=3
	EOF
	test_cmp expect actual
'

test_expect_success 'a parent needs no self time and may rank beyond --top' '
	pesq-hot -c -n 1 b.folded >out &&
	brief out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"parent","role":"parent","child":"child" self=5 total=65 rank=3
	{"fn":"child","role":"leaf" self=80 total=80 rank=1
	EOF
	test_cmp expect actual
'

test_done
