#!/bin/sh
test_description='pesq-hot --diff (where time moved) and --table (for people)'
. ./test-lib.sh

test_expect_success 'setup' '
	cat >before <<-\EOF &&
	main;parent;child 60
	main;parent 10
	main;other;child 20
	main;rec;rec;rec 5
	main;rec;x;rec 5
	EOF
	cat >after <<-\EOF
	main;parent;child 20
	main;parent 10
	main;other;child 10
	main;rec;rec;rec 5
	main;rec;x;rec 5
	EOF
'

test_expect_success '--diff: change of self share, largest first, ties by name' '
	pesq-hot --diff before after >out 2>err &&
	test_must_be_empty err &&
	cat >expect <<-\EOF &&
	{"fn":"child","hot":{"rank":1,"delta":{"self_share":-0.2,"total_share":-0.2},"before":{"self":80,"total":80,"all":100,"self_share":0.8,"total_share":0.8},"after":{"self":30,"total":30,"all":50,"self_share":0.6,"total_share":0.6}}}
	{"fn":"parent","hot":{"rank":2,"delta":{"self_share":0.1,"total_share":-0.1},"before":{"self":10,"total":70,"all":100,"self_share":0.1,"total_share":0.7},"after":{"self":10,"total":30,"all":50,"self_share":0.2,"total_share":0.6}}}
	{"fn":"rec","hot":{"rank":3,"delta":{"self_share":0.1,"total_share":0.1},"before":{"self":10,"total":10,"all":100,"self_share":0.1,"total_share":0.1},"after":{"self":10,"total":10,"all":50,"self_share":0.2,"total_share":0.2}}}
	EOF
	test_cmp expect out
'

test_expect_success '--diff --sort total, --top, --min-share' '
	pesq-hot -D before -s total after >out &&
	sed "s/,\"hot\":{\"rank\":\([0-9]*\),\"delta\":\([^}]*}\).*/ \1 \2/" out >actual &&
	cat >expect <<-\EOF &&
	{"fn":"child" 1 {"self_share":-0.2,"total_share":-0.2}
	{"fn":"parent" 2 {"self_share":0.1,"total_share":-0.1}
	{"fn":"rec" 3 {"self_share":0.1,"total_share":0.1}
	{"fn":"x" 4 {"self_share":0,"total_share":0.05}
	EOF
	test_cmp expect actual &&
	pesq-hot -D before -s total -n 2 after >out &&
	test_line_count = 2 out &&
	pesq-hot -D before -s total -m 0.15 after >out &&
	test_line_count = 1 out
'

test_expect_success '--diff: functions in one profile only; no change, no record' '
	printf "m;a 1\nm;b 1\n" >b1 &&
	printf "m;c 1\nm;a 1\n" >a1 &&
	pesq-hot --diff b1 a1 >out &&
	cat >expect <<-\EOF &&
	{"fn":"b","hot":{"rank":1,"delta":{"self_share":-0.5,"total_share":-0.5},"before":{"self":1,"total":1,"all":2,"self_share":0.5,"total_share":0.5},"after":{"self":0,"total":0,"all":2,"self_share":0,"total_share":0}}}
	{"fn":"c","hot":{"rank":2,"delta":{"self_share":0.5,"total_share":0.5},"before":{"self":0,"total":0,"all":2,"self_share":0,"total_share":0},"after":{"self":1,"total":1,"all":2,"self_share":0.5,"total_share":0.5}}}
	EOF
	test_cmp expect out &&
	pesq-hot --diff b1 b1 >out &&
	test_must_be_empty out
'

test_expect_success '--diff: equal changes tie exactly, even for huge counts' '
	printf "m;a 9223372036854775807\nm;b 1\n" >hb &&
	printf "m;b 9223372036854775807\nm;a 1\n" >ha &&
	pesq-hot -D hb ha >out &&
	sed "s/\",\"hot\":{\"rank\":\([0-9]*\),\"delta\":{\"self_share\":\([^,]*\),.*/ \1 \2/" out >actual &&
	printf "{\"fn\":\"a 1 -1\n{\"fn\":\"b 2 1\n" >expect &&
	test_cmp expect actual &&
	pesq-hot -D ha hb >out &&
	sed "s/\",\"hot\":{\"rank\":\([0-9]*\),\"delta\":{\"self_share\":\([^,]*\),.*/ \1 \2/" out >actual &&
	printf "{\"fn\":\"a 1 1\n{\"fn\":\"b 2 -1\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--diff: errors in either profile are reported' '
	printf "m;a 1\nbad\n" >bb &&
	test_expect_code 1 pesq-hot --diff bb a1 >out 2>err &&
	echo "pesq-hot: bb:2: no count after the stack" >expect &&
	test_cmp expect err &&
	test_expect_code 3 pesq-hot --diff nope a1 >out 2>err &&
	test_grep "nope" err
'

test_expect_success '--diff --table' '
	COLUMNS=80 pesq-hot -D before --table after >out &&
	cat >expect <<-\EOF &&
	rank  before   after   change  function
	   1   80.00   60.00   -20.00  child
	   2   10.00   20.00   +10.00  parent
	   3   10.00   20.00   +10.00  rec
	EOF
	test_cmp expect out
'

test_expect_success '--table: rank, self %, total %, bar, function, its callers' '
	COLUMNS=80 pesq-hot --table before >out &&
	cat >expect <<-\EOF &&
	rank   self%  total%  self        function  called by
	   1   80.00   80.00  ########..  child     main > parent
	   2   10.00   70.00  #.........  parent    main
	   3   10.00   10.00  #.........  rec       main
	EOF
	test_cmp expect out
'

test_expect_success '--table --chain --sort total: parents marked ^, bar of total' '
	COLUMNS=80 pesq-hot -t -c -s total -n 2 before >out &&
	cat >expect <<-\EOF &&
	rank   self%  total%  total       function  called by
	   1    0.00  100.00  ##########  main
	   ^   10.00   70.00  #######...  parent    main
	   2   80.00   80.00  ########..  child     main > parent
	EOF
	test_cmp expect out
'

test_expect_success '--table fits the width: long names and chains are cut' '
	long=ns::VeryLongClassName::very_long_method_name &&
	printf "%s\n" "main;driver;stage_one;stage_two;$long 9" "main;x 1" >wide &&
	COLUMNS=60 pesq-hot -t wide >out &&
	cat >expect <<-\EOF &&
	rank   self%  total%  self        function       called by
	   1   90.00   90.00  #########.  ns::VeryLo...  ...tage_two
	   2   10.00   10.00  #.........  x              main
	EOF
	test_cmp expect out &&
	awk "length > 60 { bad = 1 } END { exit bad }" out &&
	COLUMNS=200 pesq-hot -t wide >out &&
	test_grep "  $long  main > driver > stage_one > stage_two\$" out &&
	COLUMNS=30 pesq-hot -t wide >out &&
	test_grep "^   2   10.00   10.00  #.........  x\$" out
'

test_expect_success '--table cuts UTF-8 names at character boundaries' '
	printf "main;\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273 1\n" >utf &&
	COLUMNS=60 pesq-hot -t utf >out &&
	printf "   1  100.00  100.00  ##########  \316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273\316\273...  main\n" >expect &&
	tail -n 1 out >actual &&
	test_cmp expect actual
'

test_done
