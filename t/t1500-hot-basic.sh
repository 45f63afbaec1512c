#!/bin/sh
test_description='pesq-hot: self, total, shares, chains, callers and callees'
. ./test-lib.sh

# all = 100; child self 80 (60 + 20); parent and rec self 10 each; rec
# recurses (total 10, not 25); main total 100.
test_expect_success 'setup' '
	cat >a.folded <<-\EOF &&
	main;parent;child 60
	main;parent 10
	main;other;child 20
	main;rec;rec;rec 5
	main;rec;x;rec 5
	EOF
	cat >expect-a <<-\EOF
	{"fn":"child","role":"leaf","hot":{"self":80,"total":80,"all":100,"self_share":0.8,"total_share":0.8,"rank":1,"chain":["main","parent","child"],"callers":[{"fn":"parent","count":60},{"fn":"other","count":20}],"callees":[]}}
	{"fn":"parent","role":"leaf","hot":{"self":10,"total":70,"all":100,"self_share":0.1,"total_share":0.7,"rank":2,"chain":["main","parent"],"callers":[{"fn":"main","count":70}],"callees":[{"fn":"child","count":60}]}}
	{"fn":"rec","role":"leaf","hot":{"self":10,"total":10,"all":100,"self_share":0.1,"total_share":0.1,"rank":3,"chain":["main","rec"],"callers":[{"fn":"main","count":10},{"fn":"x","count":5}],"callees":[{"fn":"x","count":5}]}}
	EOF
'

test_expect_success 'records: self, total (recursion once), shares, chains, links' '
	pesq-hot a.folded >out 2>err &&
	test_must_be_empty err &&
	test_cmp expect-a out
'

test_expect_success 'standard input, and "-" for it' '
	pesq-hot <a.folded >out &&
	test_cmp expect-a out &&
	pesq-hot - <a.folded >out &&
	test_cmp expect-a out
'

test_expect_success 'line order does not matter (same bytes)' '
	sed -n "5p;3p;1p;4p;2p" a.folded >shuffled &&
	pesq-hot shuffled >out &&
	test_cmp expect-a out
'

test_expect_success 'several files add up' '
	head -n 2 a.folded >one &&
	tail -n 3 a.folded >two &&
	pesq-hot one two >out &&
	test_cmp expect-a out
'

test_expect_success '--sort total ranks by total, ties by name' '
	pesq-hot --sort total -f 0 a.folded >out &&
	sed "s/\"chain.*//" out >brief &&
	cat >expect <<-\EOF &&
	{"fn":"main","role":"leaf","hot":{"self":0,"total":100,"all":100,"self_share":0,"total_share":1,"rank":1,
	{"fn":"child","role":"leaf","hot":{"self":80,"total":80,"all":100,"self_share":0.8,"total_share":0.8,"rank":2,
	{"fn":"parent","role":"leaf","hot":{"self":10,"total":70,"all":100,"self_share":0.1,"total_share":0.7,"rank":3,
	{"fn":"other","role":"leaf","hot":{"self":0,"total":20,"all":100,"self_share":0,"total_share":0.2,"rank":4,
	{"fn":"rec","role":"leaf","hot":{"self":10,"total":10,"all":100,"self_share":0.1,"total_share":0.1,"rank":5,
	{"fn":"x","role":"leaf","hot":{"self":0,"total":5,"all":100,"self_share":0,"total_share":0.05,"rank":6,
	EOF
	test_cmp expect brief &&
	test_grep "\"chain\":\\[\"main\",\"rec\",\"x\"\\],\"callers\":\\[\\],\"callees\":\\[\\]" out
'

test_expect_success '--top, --min-share, --fanout' '
	pesq-hot -n 1 -f 1 a.folded >out &&
	cat >expect <<-\EOF &&
	{"fn":"child","role":"leaf","hot":{"self":80,"total":80,"all":100,"self_share":0.8,"total_share":0.8,"rank":1,"chain":["main","parent","child"],"callers":[{"fn":"parent","count":60}],"callees":[]}}
	EOF
	test_cmp expect out &&
	pesq-hot --min-share 0.1 a.folded >out &&
	test_line_count = 3 out &&
	pesq-hot --min-share 0.11 a.folded >out &&
	test_line_count = 1 out &&
	pesq-hot --top 0 a.folded >out &&
	test_must_be_empty out
'

test_expect_success 'non-adjacent recursion: the chain ends at the first f' '
	printf "a;f;g;f 3\na;h;f 2\n" >rec.folded &&
	pesq-hot --only "^f\$" rec.folded >out &&
	cat >expect <<-\EOF &&
	{"fn":"f","role":"leaf","hot":{"self":5,"total":5,"all":5,"self_share":1,"total_share":1,"rank":1,"chain":["a","f"],"callers":[{"fn":"a","count":3},{"fn":"g","count":3},{"fn":"h","count":2}],"callees":[{"fn":"g","count":3}]}}
	EOF
	test_cmp expect out
'

test_expect_success 'equal chains: the first by name, whatever the order' '
	printf "m;b;f 5\nm;a;f 5\n" >tie1 &&
	printf "m;a;f 5\nm;b;f 5\n" >tie2 &&
	pesq-hot tie1 >out1 &&
	pesq-hot tie2 >out2 &&
	test_cmp out1 out2 &&
	test_grep "\"chain\":\\[\"m\",\"a\",\"f\"\\]" out1
'

test_expect_success 'shares have 6 significant digits' '
	printf "m;a 1\nm;b 2\n" >thirds &&
	pesq-hot thirds >out &&
	test_grep "\"fn\":\"b\".*\"self_share\":0.666667,\"total_share\":0.666667" out &&
	test_grep "\"fn\":\"a\".*\"self_share\":0.333333," out
'

test_expect_success 'frames with spaces; CRLF; blank lines' '
	printf "main;operator new(unsigned long) 7\r\n\n  \nmain;std::vector<int, std::allocator<int> >::push_back(int const&) 3\n" >sp &&
	pesq-hot -f 0 sp >out &&
	sed "s/,\"all\".*//" out >brief &&
	cat >expect <<-\EOF &&
	{"fn":"operator new(unsigned long)","role":"leaf","hot":{"self":7,"total":7
	{"fn":"std::vector<int, std::allocator<int> >::push_back(int const&)","role":"leaf","hot":{"self":3,"total":3
	EOF
	test_cmp expect brief
'

test_expect_success 'annotations: kept in frames, stripped from fn' '
	cat >ann.folded <<-\EOF &&
	main;foo_[i] 3
	main;foo 1
	main;sys_read_[k] 4
	main;[unknown] 2
	main;jitfn_[j] 5
	EOF
	pesq-hot -f 0 ann.folded >out &&
	sed "s/,\"hot\".*//" out >brief &&
	cat >expect <<-\EOF &&
	{"fn":"jitfn","role":"leaf","frames":["jitfn_[j]"]
	{"fn":"foo","role":"leaf","frames":["foo","foo_[i]"]
	EOF
	test_cmp expect brief
'

test_expect_success '--all keeps placeholders and kernel frames' '
	pesq-hot --all -f 0 ann.folded >out &&
	sed "s/,\"total\".*//" out >brief &&
	cat >expect <<-\EOF &&
	{"fn":"jitfn","role":"leaf","frames":["jitfn_[j]"],"hot":{"self":5
	{"fn":"foo","role":"leaf","frames":["foo","foo_[i]"],"hot":{"self":4
	{"fn":"sys_read","role":"leaf","frames":["sys_read_[k]"],"hot":{"self":4
	{"fn":"[unknown]","role":"leaf","hot":{"self":2
	EOF
	test_cmp expect brief
'

test_expect_success 'excluded functions still count in shares, ranks skip them' '
	pesq-hot -x jitfn ann.folded >out &&
	test_line_count = 1 out &&
	test_grep "^{\"fn\":\"foo\".*\"all\":15,\"self_share\":0.266667,.*\"rank\":1," out
'

test_expect_success '--exclude and --only (POSIX extended, repeatable)' '
	pesq-hot --exclude "^par" -f 0 a.folded >out &&
	sed "s/\"role.*rank\"//; s/,\"chain.*//" out >brief &&
	cat >expect <<-\EOF &&
	{"fn":"child",:1
	{"fn":"rec",:2
	EOF
	test_cmp expect brief &&
	pesq-hot --only "^(child|main)\$" a.folded >out &&
	test_line_count = 1 out &&
	test_grep "^{\"fn\":\"child\"" out &&
	pesq-hot -o "^rec\$" -o "^parent\$" a.folded >out &&
	sed "s/\",\"role.*//" out >brief &&
	printf "{\"fn\":\"parent\n{\"fn\":\"rec\n" >expect &&
	test_cmp expect brief &&
	pesq-hot -x child -x "p|r" a.folded >out &&
	test_must_be_empty out
'

test_expect_success '-v says what was read, on stderr' '
	pesq-hot -v -n 0 a.folded >out 2>err &&
	test_must_be_empty out &&
	echo "pesq-hot: input: 5 stacks, 100 samples, 6 frames, 6 functions, 8 nodes, 7 edges" >expect &&
	test_cmp expect err &&
	pesq-hot -v -n 0 -D a.folded a.folded >out 2>err &&
	test_line_count = 2 err &&
	test_grep "^pesq-hot: a.folded: 5 stacks" err
'

test_expect_success 'a write error is a system failure' '
	test_expect_code 3 pesq-hot a.folded >/dev/full 2>err &&
	test_grep "^pesq-hot: stdout" err
'

test_expect_success JQ 'the self counts add up to the input total' '
	pesq-hot --all --top 100000 ann.folded a.folded sp rec.folded >out &&
	jq -s "map(.hot.self) | add" out >sum &&
	cat ann.folded a.folded sp rec.folded |
	awk "NF { s += \$NF } END { print s }" >expect &&
	test_cmp expect sum &&
	jq -s "map(.hot.all) | unique" out >all &&
	printf "[\n  %s\n]\n" "$(cat expect)" >expect-all &&
	test_cmp expect-all all
'

test_done
