#!/bin/sh
test_description='pesq-fold: module paths with spaces, parentheses and newlines'
. ./test-lib.sh

# frames COMM FRAME...: one perf script sample, leaf first, each FRAME
# the text after the address ("symbol (module)"), written as printf
# would (\n in a FRAME is a newline in the module's path).
frames() {
	printf '%s 1234 [000] 100.000001: 1 cycles:\n' "$1"
	shift
	for fr
	do
		printf "\t    1a2b $fr\n"
	done
	echo
}

test_expect_success 'a module path with a space' '
	frames p "f+0x3 (/my dir/prog)" "main (/my dir/prog)" >in &&
	pesq-fold in >actual 2>err &&
	echo "p;main;f 1" >expect &&
	test_cmp expect actual &&
	test_must_be_empty err
'

test_expect_success 'a space and parentheses in the path; a C++ symbol' '
	frames p "g(int) const (/a (copy)/lib.so)" "h (/usr/lib/x.so)" \
		"[unknown] (/my dir/prog (2))" >in &&
	pesq-fold in >actual 2>err &&
	echo "p;[prog (2)];h;g 1" >expect &&
	test_cmp expect actual &&
	test_must_be_empty err &&
	pesq-fold --addrs in >actual &&
	echo "p;[prog (2) <1a2b>];h;g 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'newlines in a module path join the frame line again' '
	frames p "f+0x3 (/my\\ndir/prog)" "[unknown] (/my\\ndir/a\\nb)" \
		"main (/usr/lib/x.so)" >in &&
	test_line_count = 8 in &&
	pesq-fold in >actual 2>err &&
	echo "p;main;[a?b];f 1" >expect &&
	test_cmp expect actual &&
	test_must_be_empty err
'

test_expect_success 'a frame cut for good is one warning, the rest is read' '
	{
		frames p "f (/my\\n" &&
		frames p "g (/x)" "main (/x)"
	} >in &&
	test_expect_code 1 pesq-fold in >actual 2>err &&
	printf "p 1\np;main;g 1\n" >expect &&
	test_cmp expect actual &&
	test_line_count = 1 err &&
	test_grep "in:3: unrecognized frame line" err
'

test_expect_success PERF,CC 'a recording of a program whose path has a space, parentheses and a newline' '
	cc -O0 -g -fno-omit-frame-pointer -o spin "$SRC_ROOT/t/fixtures/spin.c" &&
	d="$(pwd)/a dir/b
c" &&
	mkdir -p "$d" &&
	cp spin "$d/spin (1)" &&
	perf record -q -g -F 999 -o rec.data -- "$d/spin (1)" 0.3 \
		>/dev/null 2>&1 &&
	perf script -i rec.data >perf.txt 2>/dev/null &&
	grep "(/.*/a dir/b\$" perf.txt >cut &&
	test_line_count -ge 1 cut &&
	pesq-fold perf.txt >folded 2>err &&
	test_must_be_empty err &&
	grep "^spin_(1);.*main;outer;inner [0-9]*\$" folded
'

test_done
