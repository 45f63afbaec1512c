#!/bin/sh
test_description='pesq-hot: empty input, malformed lines, bad options, I/O errors'
. ./test-lib.sh

test_expect_success 'empty input: no output, exit 0' '
	pesq-hot </dev/null >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	printf "\n\n" >blank &&
	pesq-hot blank >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	pesq-hot --table </dev/null >out &&
	echo "rank   self%  total%  self        function  called by" >expect &&
	test_cmp expect out
'

test_expect_success 'malformed lines: reported with file:line, skipped, exit 1' '
	cat >in <<-\EOF &&
	main;a 1
	no-count-here
	main;b x
	 5
	main;;c 2
	main;c; 2
	main;d -3
	main;d 3
	main;e 99999999999999999999
	EOF
	test_expect_code 1 pesq-hot -f 0 in >out 2>err &&
	cat >expect <<-\EOF &&
	pesq-hot: in:2: no count after the stack
	pesq-hot: in:3: count is not a non-negative integer
	pesq-hot: in:4: empty stack
	pesq-hot: in:5: empty frame
	pesq-hot: in:6: empty frame
	pesq-hot: in:7: count is not a non-negative integer
	pesq-hot: in:9: count is not a non-negative integer
	EOF
	test_cmp expect err &&
	cat >expect <<-\EOF &&
	{"fn":"d","role":"leaf","hot":{"self":3,"total":3,"all":4,"self_share":0.75,"total_share":0.75,"rank":1,"chain":["main","d"],"callers":[],"callees":[]}}
	{"fn":"a","role":"leaf","hot":{"self":1,"total":1,"all":4,"self_share":0.25,"total_share":0.25,"rank":2,"chain":["main","a"],"callers":[],"callees":[]}}
	EOF
	test_cmp expect out
'

test_expect_success 'line numbers count per file; stdin is <stdin>' '
	printf "a 1\nbad\n" >f1 &&
	printf "a 1\n\nb 1\nworse\n" >f2 &&
	test_expect_code 1 pesq-hot f1 f2 >out 2>err &&
	printf "pesq-hot: f1:2: no count after the stack\npesq-hot: f2:4: no count after the stack\n" >expect &&
	test_cmp expect err &&
	test_expect_code 1 pesq-hot <f2 >out 2>err &&
	echo "pesq-hot: <stdin>:4: no count after the stack" >expect &&
	test_cmp expect err
'

test_expect_success 'a last line without newline is read' '
	printf "a;b 2\na;c 1" >nonl &&
	pesq-hot -f 0 nonl >out &&
	test_grep "\"fn\":\"c\".*\"all\":3," out
'

test_expect_success '-q: no messages, still exit 1' '
	test_expect_code 1 pesq-hot -q in >out 2>err &&
	test_must_be_empty err &&
	test_line_count = 2 out
'

test_expect_success 'a long line (beyond the read block) is one stack' '
	awk "BEGIN { printf \"root\"; for (i = 0; i < 400000; i++) printf \";f%d\", i % 7; print \" 4\" }" >long &&
	test $(wc -c <long) -gt 1048576 &&
	pesq-hot -n 1 -f 1 long >out &&
	test_grep "^{\"fn\":\"f5\",\"role\":\"leaf\",\"hot\":{\"self\":4,\"total\":4,\"all\":4," out
'

test_expect_success 'a missing file: exit 3' '
	test_expect_code 3 pesq-hot nope >out 2>err &&
	test_must_be_empty out &&
	test_grep "^pesq-hot: .nope.: No such file or directory" err
'

test_expect_success 'a directory: exit 3' '
	mkdir dir &&
	test_expect_code 3 pesq-hot dir >out 2>err &&
	test_grep "^pesq-hot: .dir.: Is a directory" err
'

# option and value, separated by the first space
for bad in "-n x" "-n -1" "--sort size" "-m 2" "-m x" "-p 1.5" "-f q" \
	"-d -2" "--exclude (" "--only [z-a]"
do
	test_expect_success "bad option value '$bad': exit 2 with usage" '
		test_expect_code 2 pesq-hot "${bad%% *}" "${bad#* }" \
			</dev/null >out 2>err &&
		test_must_be_empty out &&
		test_grep "^usage: pesq-hot" err &&
		head -n 1 err >first &&
		test_grep "^pesq-hot: --[a-z-]*: " first
	'
done

test_done
