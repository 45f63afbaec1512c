#!/bin/sh
test_description='pesq-fold: input edge cases, errors, a real perf recording'
. ./test-lib.sh

test_expect_success 'empty input gives empty output' '
	pesq-fold </dev/null >actual 2>err &&
	test_must_be_empty actual &&
	test_must_be_empty err &&
	: >empty &&
	pesq-fold empty empty >actual &&
	test_must_be_empty actual
'

test_expect_success 'comments and blank lines only' '
	printf "# perf header\n\n#\n" >in &&
	pesq-fold in >actual &&
	test_must_be_empty actual
'

test_expect_success 'input without a trailing newline' '
	printf "a 1 1.0: 3 cycles:\n\t1 f (/m)" >in &&
	pesq-fold in >actual &&
	echo "a;f 3" >expect &&
	test_cmp expect actual &&
	printf "a;b 4" >in &&
	pesq-fold in >actual &&
	echo "a;b 4" >expect &&
	test_cmp expect actual
'

test_expect_success 'CRLF line ends' '
	printf "a 1 1.0: 3 cycles:\r\n\t1 f (/m)\r\n\r\na 1 1.0: 2 cycles:\r\n\t1 f (/m)\r\n" >in &&
	pesq-fold in >actual &&
	echo "a;f 5" >expect &&
	test_cmp expect actual &&
	printf "a;b 4\r\na;b 1\r\n" >in &&
	pesq-fold in >actual &&
	echo "a;b 5" >expect &&
	test_cmp expect actual
'

test_expect_success 'invalid UTF-8 bytes pass through' '
	printf "a\377 1 1.0: 3 cycles:\n\t1 f\300\200g (/m)\n" >in &&
	pesq-fold in >actual &&
	printf "a\377;f\300\200g 3\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a 10 MiB line' '
	awk "BEGIN { s = \"x\"; while (length(s) < 10485760) s = s s; print \"a;\" s \" 7\" }" >in &&
	pesq-fold in >actual &&
	test_cmp in actual &&
	{
		echo "a 1 1.0: 2 cycles:" &&
		awk "BEGIN { s = \"y\"; while (length(s) < 10485760) s = s s; print \"\\t1 \" s \" (/m)\" }"
	} >in &&
	pesq-fold in >actual &&
	test_line_count = 1 actual &&
	test $(wc -c <actual) = $((2 + 16777216 + 2 + 1))
'

test_expect_success 'a perf.data-like binary file: clear message, exit 1' '
	printf "PERFILE2\0\0\0\150\0\0\0garbage\n" >perf.data &&
	test_expect_code 1 pesq-fold perf.data >actual 2>err &&
	test_must_be_empty actual &&
	test_grep "pesq-fold: perf.data:1: binary data" err &&
	test_grep "perf script" err
'

test_expect_success 'standard input is named <stdin> in messages' '
	printf "a;b 1\nno count\n" >in &&
	test_expect_code 1 pesq-fold <in >actual 2>err &&
	test_grep "^pesq-fold: <stdin>:2: " err &&
	test_expect_code 1 pesq-fold - <in >actual 2>err &&
	test_grep "^pesq-fold: <stdin>:2: " err
'

test_expect_success 'binary garbage after good input: the good part stays' '
	printf "a;b 1\nc 2\n" >good &&
	{ cat good && head -c 4096 /dev/urandom; } >mixed &&
	printf "\0" >>mixed &&
	test_expect_code 1 pesq-fold mixed good >actual 2>err &&
	test_grep "pesq-fold: mixed:[0-9]*: binary data" err &&
	grep "^a;b 2\$" actual &&
	grep "^c 4\$" actual
'

test_expect_success 'a missing file is a system error' '
	test_expect_code 3 pesq-fold no-such-file >actual 2>err &&
	test_grep "no-such-file" err &&
	test_must_be_empty actual
'

test_expect_success 'stdout errors are reported' '
	if test -w /dev/full
	then
		printf "a;b 1\n" >in &&
		test_expect_code 3 pesq-fold in >/dev/full 2>err &&
		test_grep "stdout" err
	fi
'

test_expect_success CC 'build the fixture' '
	cc -O0 -g -fno-omit-frame-pointer -o spin "$SRC_ROOT/t/fixtures/spin.c"
'

test_expect_success PERF,CC 'a recording of the fixture folds to its call chain' '
	perf record -q -g -F 999 -o rec.data -- ./spin 0.3 >/dev/null 2>&1 &&
	perf script -i rec.data >perf.txt 2>/dev/null &&
	pesq-fold perf.txt >folded &&
	grep "^spin;.*main;outer;inner [0-9]*\$" folded >chain &&
	test_line_count -ge 1 chain &&
	pesq-fold -q --samples --skip-after main perf.txt >skipped &&
	grep "^main;outer;inner [0-9]*\$" skipped &&
	pesq-fold --pid perf.txt >pid &&
	grep "^spin-[0-9?]*;.*;main;outer;inner " pid
'

test_expect_success PERF,CC 'a recording without call graphs (frame on the event line)' '
	perf record -q -F 999 -o flat.data -- ./spin 0.2 >/dev/null 2>&1 &&
	perf script -i flat.data >flat.txt 2>/dev/null &&
	pesq-fold flat.txt >flat &&
	grep "^spin;inner [0-9]*\$" flat
'

test_done
