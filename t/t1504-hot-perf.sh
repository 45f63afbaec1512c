#!/bin/sh
test_description='pesq-hot on a real profile: a known parent -> child hotspot'
. ./test-lib.sh

test_expect_success PERF,CC 'record the fixture' '
	cc -O1 -fno-omit-frame-pointer -fno-inline \
		-o hot-chain "$SRC_ROOT/t/fixtures/hot-chain.c" &&
	perf record -q -g -o perf.data ./hot-chain 20000 >/dev/null 2>&1 &&
	perf script -i perf.data >perf.txt 2>/dev/null &&
	pesq-fold --samples perf.txt >folded &&
	test_grep ";parent;child " folded
'

test_expect_success PERF,CC 'the child ranks first by self, called by the parent' '
	pesq-hot -n 1 folded >out &&
	test_grep "^{\"fn\":\"child\",\"role\":\"leaf\",\"hot\":{" out &&
	test_grep "\"rank\":1,\"chain\":\\[[^]]*\"main\",\"parent\",\"child\"\\]" out &&
	test_grep "\"callers\":\\[{\"fn\":\"parent\"," out
'

test_expect_success PERF,CC '--chain: the parent comes first, with child set' '
	pesq-hot --chain -n 1 folded >out &&
	test_line_count = 2 out &&
	head -n 1 out >first &&
	test_grep "^{\"fn\":\"parent\",\"role\":\"parent\",\"child\":\"child\",\"hot\":{" first &&
	tail -n 1 out >second &&
	test_grep "^{\"fn\":\"child\",\"role\":\"leaf\"," second
'

test_expect_success PERF,CC 'every sample is accounted for' '
	pesq-hot --all --top 1000000 folded >out &&
	sed "s/.*\"hot\":{\"self\":\([0-9]*\),.*/\1/" out |
	awk "{ s += \$1 } END { print s }" >sum &&
	awk "{ s += \$NF } END { print s }" folded >expect &&
	test_cmp expect sum &&
	sed -n "1s/.*\"all\":\([0-9]*\),.*/\1/p" out >all &&
	test_cmp expect all
'

test_expect_success PERF,CC '--table names the hotspot' '
	COLUMNS=100 pesq-hot -t -n 1 folded >out &&
	test_grep "^   1 .* child .*main > parent\$" out
'

test_done
