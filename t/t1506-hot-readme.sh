#!/bin/sh
test_description='the pipeline of README.md as written: no kernel function becomes a target'
. ./test-lib.sh

# readme_cmd PATTERN: the first command line of the README pipeline
# matching PATTERN, without a trailing backslash.
readme_cmd() {
	sed -n '/^## The pipeline/,/^## /p' "$SRC_ROOT/README.md" |
	sed -n "/$1/{s/^    //;s/ *\\\\\$//;p;q;}"
}

test_expect_success 'setup: the fold and hot steps of the README' '
	readme_cmd "| pesq-fold" >fold.cmd &&
	readme_cmd "^    pesq-hot" >hot.cmd &&
	test_grep "^perf script -i perf.data | pesq-fold" fold.cmd &&
	test_grep "^pesq-hot .*stacks.folded\$" hot.cmd
'

# sample PERIOD FRAME...: a perf script sample of 'prog', leaf first.
sample() {
	printf "prog 1234 [000] 100.000001: %s cycles:\n" "$1"
	shift
	for fr
	do
		printf "\t%s\n" "$fr"
	done
	echo
}

test_expect_success 'kernel time on top: the targets are the program'"'"'s' '
	{
		sample 70 "ffffffff81000c82 clear_page_erms ([kernel.kallsyms])" \
			"ffffffff81000c83 asm_exc_page_fault ([kernel.kallsyms])" \
			"1135 fill+0x5 (/nonexistent/prog)" "1235 main+0x5 (/nonexistent/prog)" &&
		sample 20 "1135 fill+0x9 (/nonexistent/prog)" \
			"1235 main+0x5 (/nonexistent/prog)" &&
		sample 10 "1335 main+0x9 (/nonexistent/prog)"
	} >perf.txt &&
	sed "s/^perf script -i perf.data |/cat perf.txt |/" fold.cmd >cat.cmd &&
	eval "$(cat cat.cmd)" &&
	eval "$(cat hot.cmd)" >hot.jsonl &&
	jq -r .fn hot.jsonl >fns &&
	cat >expect <<-\EOF &&
	main
	fill
	EOF
	test_cmp expect fns
'

test_expect_success PERF,CC 'a real profile with kernel time: no kernel function is a target' '
	cat >sys.c <<-\EOF &&
	#include <unistd.h>
	int main(void) { char c = 0; long i; int fd = dup(1);
		for (i = 0; i < 300000; i++) if (write(fd, &c, 1) != 1) return 1;
		return 0; }
	EOF
	cc -O2 -g -fno-omit-frame-pointer -o bench sys.c &&
	perf record -q -g -o perf.data ./bench >/dev/null 2>&1 &&
	eval "$(cat fold.cmd)" &&
	eval "$(cat hot.cmd)" >hot.jsonl &&
	test -s hot.jsonl &&
	perf script -i perf.data 2>/dev/null |
		sed -n "s/^[[:space:]]*[0-9a-f]* \([^ +]*\).*(\[kernel.kallsyms\])\$/\1/p" |
		sort -u >kernel &&
	test -s kernel &&
	jq -r .fn hot.jsonl | sort -u >fns &&
	comm -12 kernel fns >both &&
	test_must_be_empty both
'

test_done
