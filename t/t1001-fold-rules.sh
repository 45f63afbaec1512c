#!/bin/sh
test_description='pesq-fold: the folding rules, on small hand-written inputs'
. ./test-lib.sh

# sample COMM PERIOD FRAME...: one perf script sample, leaf frame first,
# each FRAME "symbol (module)".
sample() {
	printf '%s 1234 [000] 100.000001: %s cycles:\n' "$1" "$2"
	shift 2
	for fr
	do
		printf '\t    7f0000001000 %s\n' "$fr"
	done
	echo
}

test_expect_success 'periods are summed, stacks sorted bytewise' '
	{
		sample prog 10 "leaf (/bin/prog)" "main (/bin/prog)" &&
		sample prog 5 "Zeta (/bin/prog)" "main (/bin/prog)" &&
		sample prog 7 "leaf (/bin/prog)" "main (/bin/prog)"
	} >in &&
	pesq-fold in >actual &&
	cat >expect <<-\EOT &&
	prog;main;Zeta 5
	prog;main;leaf 17
	EOT
	test_cmp expect actual
'

test_expect_success '--samples counts samples' '
	pesq-fold --samples in >actual &&
	printf "prog;main;Zeta 1\nprog;main;leaf 2\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a missing period counts 1; no trailing blank line' '
	printf "a 1 cycles:\n\t1 f (/x)\n\na 1 cycles:\n\t1 f (/x)" >in &&
	pesq-fold in >actual &&
	echo "a;f 2" >expect &&
	test_cmp expect actual
'

test_expect_success 'offsets, ; in symbols, argument lists, quotes' '
	q=$(printf "\047") &&
	sample p 1 "f+0x1a (/m)" "a;b+0x0 (/m)" "g(int, char) const (/m)" \
		"h\"q$q (/m)" >in &&
	pesq-fold in >actual &&
	echo "p;hq;g;a:b;f 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'Go methods, anonymous namespaces, templates, operators' '
	sample p 1 "net/http.(*Client).Do (/m)" \
		"ns::(anonymous namespace)::run(int) (/m)" \
		"std::function<int (int)>::operator()(int) const (/m)" \
		"std::operator<< <char>(std::ostream&, char const*) (/m)" \
		"{lambda(int)#1}::_M_invoke(int) (/m)" >in &&
	pesq-fold in >actual &&
	echo "p;{lambda(int)#1}::_M_invoke;std::operator<< <char>;std::function<int (int)>::operator;ns::(anonymous namespace)::run;net/http.(*Client).Do 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'unknown symbols: [dso], [unknown], --addrs' '
	sample p 1 "[unknown] (/usr/lib/libc.so.6)" "[unknown] ([unknown])" >in &&
	pesq-fold in >actual &&
	echo "p;[unknown];[libc.so.6] 1" >expect &&
	test_cmp expect actual &&
	pesq-fold --addrs in >actual &&
	echo "p;[unknown <7f0000001000>];[libc.so.6 <7f0000001000>] 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'frames starting with ( are skipped' '
	sample p 1 "f (/m)" "(anonymous namespace)::g() (/m)" >in &&
	pesq-fold in >actual &&
	echo "p;f 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'Java: L prefix, inlined frames' '
	sample java 1 "Lfoo/Bar;::baz (/tmp/perf-1.map)" \
		"Lfoo/A;::a->Lfoo/B;::b->Lfoo/C;::c+0x0 (/tmp/perf-1.map)" \
		"LNoSlash;::x (/tmp/perf-1.map)" >in &&
	pesq-fold in >actual &&
	echo "java;LNoSlash:::x;foo/A:::a;foo/B:::b_[i];foo/C:::c_[i];foo/Bar:::baz 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'Rust legacy symbols, and --no-demangle' '
	sample r 1 "_\$LT\$alloc..vec..Vec\$LT\$T\$GT\$\$GT\$::push::h0123456789abcdef (/m)" >in &&
	pesq-fold in >actual &&
	echo "r;<alloc::vec::Vec<T>>::push 1" >expect &&
	test_cmp expect actual &&
	pesq-fold --no-demangle in >actual &&
	echo "r;_\$LT\$alloc..vec..Vec\$LT\$T\$GT\$\$GT\$::push::h0123456789abcdef 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'root names: spaces, --pid, --tid' '
	printf "V8 Worker 10/11 [001] 1.5: 3 cycles:\n\t1 f (/m)\n" >in &&
	pesq-fold in >actual &&
	echo "V8_Worker;f 3" >expect &&
	test_cmp expect actual &&
	pesq-fold --pid in >actual &&
	echo "V8_Worker-10;f 3" >expect &&
	test_cmp expect actual &&
	pesq-fold --tid in >actual &&
	echo "V8_Worker-10/11;f 3" >expect &&
	test_cmp expect actual &&
	printf "a 7 1.5: 3 cycles:\n\t1 f (/m)\n" >in &&
	pesq-fold --tid in >actual &&
	echo "a-?/7;f 3" >expect &&
	test_cmp expect actual
'

test_expect_success '--kernel, --jit, --all' '
	sample p 1 "k1 ([kernel.kallsyms])" "k2 (/boot/vmlinux-6.1.0)" \
		"k3 (/lib/modules/x.ko)" "j1 (/tmp/perf-9.map)" \
		"j2 (/tmp/jitted-1-2.so)" "u ([unknown])" >in &&
	pesq-fold --kernel in >actual &&
	echo "p;u;j2;j1;k3_[k];k2_[k];k1_[k] 1" >expect &&
	test_cmp expect actual &&
	pesq-fold --jit in >actual &&
	echo "p;u;j2_[j];j1_[j];k3;k2;k1 1" >expect &&
	test_cmp expect actual &&
	pesq-fold --all in >actual &&
	echo "p;u;j2_[j];j1_[j];k3_[k];k2_[k];k1_[k] 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'only the first event type, unless --event-filter' '
	{
		printf "a 1 1.0: 5 cycles:u:\n\t1 f (/m)\n\n" &&
		printf "a 1 1.1: 7 instructions:u:\n\t1 g (/m)\n\n" &&
		printf "a 1 1.2: 9 cycles:k:\n\t1 f (/m)\n\n"
	} >in &&
	pesq-fold in >actual 2>err &&
	echo "a;f 14" >expect &&
	test_cmp expect actual &&
	test_line_count = 1 err &&
	test_grep "in:4: dropping samples of event .instructions:u." err &&
	pesq-fold -q --event-filter instructions in >actual 2>err &&
	echo "a;g 7" >expect &&
	test_cmp expect actual &&
	test_must_be_empty err
'

test_expect_success 'an --event-filter that matches no sample: exit 1, saying so' '
	test_expect_code 1 pesq-fold -e cylces in >actual 2>err &&
	test_must_be_empty actual &&
	test_grep "^pesq-fold: no samples of event .cylces. in the input$" err &&
	pesq-fold -e cycles </dev/null >actual 2>err &&
	test_must_be_empty actual &&
	test_must_be_empty err
'

test_expect_success 'the frame on the event line (no call graph)' '
	cat >in <<-\EOT &&
	            true  8819   404.020809:     250000 cpu-clock:ppp:      7f1d911d862a handle_amd+0xa (/usr/lib/ld.so)
	            true  8819   404.021071:     250000 cpu-clock:ppp:  ffffffff81688025 [unknown] ([kernel.kallsyms])
	            true  8819   404.021072:     250000 cpu-clock:ppp:      7f1d911d862a handle_amd+0xb (/usr/lib/ld.so)
	EOT
	pesq-fold in >actual &&
	cat >expect <<-\EOT &&
	true;[[kernel.kallsyms]] 250000
	true;handle_amd 500000
	EOT
	test_cmp expect actual
'

test_expect_success '--skip-after makes a function the root' '
	{
		sample p 1 "leaf (/m)" "mid (/m)" "main (/m)" "_start (/m)" &&
		sample p 2 "mid(int) (/m)" "main (/m)" &&
		sample p 4 "other (/m)" "_start (/m)"
	} >in &&
	pesq-fold --skip-after mid --skip-after nothing in >actual &&
	cat >expect <<-\EOT &&
	mid 2
	mid;leaf 1
	p;_start;other 4
	EOT
	test_cmp expect actual &&
	printf "p;main;mid;x;mid;y 3\np;z 1\n" >f.folded &&
	pesq-fold -S mid f.folded >actual &&
	printf "mid;y 3\np;z 1\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'folded inputs are merged, equal stacks summed' '
	printf "a;b 1\nc 2\n" >one &&
	printf "c 5\na;b 10\n\na;b;c 1\n" >two &&
	pesq-fold one two >actual &&
	printf "a;b 11\na;b;c 1\nc 7\n" >expect &&
	test_cmp expect actual &&
	cat one two >both &&
	pesq-fold <both >actual &&
	test_cmp expect actual
'

test_expect_success 'perf and folded inputs merge too' '
	sample a 4 "b (/m)" >p.txt &&
	pesq-fold p.txt one >actual &&
	printf "a;b 5\nc 2\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'unrecognized lines: one warning per kind, exit 1' '
	{
		sample a 1 "f (/m)" &&
		printf "stray 1\n\tnot a frame\n" &&
		printf "a 1 1.0: 1 cycles:\n\tbad frame\n\tbad again\n\t1 g (/m)\n\n"
	} >in &&
	test_expect_code 1 pesq-fold in >actual 2>err &&
	printf "a;f 1\na;g 1\n" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOT &&
	pesq-fold: in:4: unrecognized line outside a sample skipped (further ones are not reported)
	pesq-fold: in:7: unrecognized frame line skipped (further ones are not reported)
	EOT
	test_cmp expect err &&
	test_expect_code 1 pesq-fold -q in >actual 2>err &&
	test_must_be_empty err &&
	test_expect_code 1 pesq-fold -v in >actual 2>err &&
	test_grep "2 stacks; 4 lines skipped" err
'

test_expect_success 'a folded line without a count is skipped with a warning' '
	printf "a;b 1\nno count\n# comment\na;b 2\n" >in &&
	test_expect_code 1 pesq-fold in >actual 2>err &&
	echo "a;b 3" >expect &&
	test_cmp expect actual &&
	test_grep "in:2: not a folded stack line" err &&
	test_line_count = 1 err
'

test_expect_success '--format forces the format' '
	printf "a 1 1.0: 1 cycles:\n\t1 f (/m)\n" >in &&
	test_expect_code 1 pesq-fold --format folded in >actual 2>err &&
	test_must_be_empty actual &&
	pesq-fold --format perf in >actual &&
	echo "a;f 1" >expect &&
	test_cmp expect actual &&
	test_expect_code 2 pesq-fold --format json in 2>err &&
	test_grep "unknown format .json." err
'

test_done
