#!/bin/sh
test_description='pesq-fold: frames named from the binaries (--resolve, --inline), hot lines, one-frame stacks'
. ./test-lib.sh

test_lazy_prereq ADDR2LINE 'command -v addr2line && command -v readelf && command -v nm'

# off BIN ADDR: the file offset (hex) perf prints for virtual address
# ADDR (hex) of BIN, through its PT_LOAD program headers.
off() {
	readelf -lW "$1" | while read -r type o v p fs rest
	do
		[ "$type" = LOAD ] || continue
		if [ $((0x$2)) -ge $((v)) ] && [ $((0x$2)) -lt $((v + fs)) ]
		then
			printf '%x\n' $((0x$2 - v + o))
			break
		fi
	done
}

# inside BIN FN INNER: an address (hex) of function FN, past its first
# byte, whose innermost inlined function is INNER, as addr2line sees it.
# (A caller's frame holds a return address: one past such an address.)
inside() {
	set -- "$1" $(nm -S "$1" | awk -v f="$2" '$4 == f { print $1, $2 }') "$3"
	a=$((0x$2 + 1)) e=$((0x$2 + 0x$3)) list=
	while [ $a -lt $e ]
	do
		list="$list $(printf '0x%x' $a)"
		a=$((a + 1))
	done
	addr2line -a -f -i -e "$1" $list | awk -v inner="$4" '
		/^0x/ { a = $0; first = 1; next }
		first && $0 == inner { sub(/^0x0*/, "", a); print a; exit }
		{ first = 0 }'
}

# sample FRAME...: a perf script sample of 'prog', period 1, leaf first;
# each FRAME "pc symbol (module)".
sample() {
	printf 'prog 1234 [000] 100.000001: 1 cycles:\n'
	for fr
	do
		printf '\t%s\n' "$fr"
	done
	echo
}

test_expect_success CC,ADDR2LINE 'setup: the inline fixture, -O2 -g' '
	cc -O2 -g -fno-omit-frame-pointer -o inline \
		"$SRC_ROOT/t/fixtures/inline.c" &&
	bin=$(pwd)/inline &&
	mix=$(inside inline count mix) &&
	test -n "$mix" &&
	m=$(inside inline main main) &&
	m=$(printf "%x" $((0x$m + 1))) &&
	echo "$(off inline $mix) $(off inline $m)" >addrs &&
	read c m <addrs &&
	sample "$c count+0x1 ($bin)" "$m main+0x1 ($bin)" >known &&
	sample "$c [unknown] ($bin)" "$m [unknown] ($bin)" >unknown
'

test_expect_success CC,ADDR2LINE '--resolve names [unknown] frames from the binary' '
	pesq-fold unknown >actual &&
	echo "prog;[inline];[inline] 1" >expect &&
	test_cmp expect actual &&
	pesq-fold --resolve unknown >actual 2>err &&
	echo "prog;main;count 1" >expect &&
	test_cmp expect actual &&
	test_must_be_empty err
'

test_expect_success CC,ADDR2LINE '--inline: the functions inlined at an address are frames of their own' '
	pesq-fold known >actual &&
	echo "prog;main;count 1" >expect &&
	test_cmp expect actual &&
	pesq-fold --inline known >actual 2>err &&
	echo "prog;main;count;hash_[i];mix_[i] 1" >expect &&
	test_cmp expect actual &&
	test_must_be_empty err &&
	pesq-fold --inline unknown >actual &&
	test_cmp expect actual
'

test_expect_success CC,ADDR2LINE 'a program built with -no-pie (ET_EXEC) is read too' '
	cc -O2 -g -fno-omit-frame-pointer -no-pie -o inline-exec \
		"$SRC_ROOT/t/fixtures/inline.c" &&
	mix=$(inside inline-exec count mix) &&
	test -n "$mix" &&
	sample "$(off inline-exec $mix) [unknown] ($(pwd)/inline-exec)" >in &&
	pesq-fold --inline in >actual &&
	echo "prog;count;hash_[i];mix_[i] 1" >expect &&
	test_cmp expect actual
'

test_lazy_prereq CXX 'command -v c++'

test_expect_success CXX,ADDR2LINE 'C++: names demangled, or made from the DWARF scopes' '
	cat >a.cc <<-\EOF &&
	#include <cstdio>
	namespace ns {
	namespace {
	inline __attribute__((always_inline)) unsigned long
	mixc(unsigned long h, unsigned char c) { return (h ^ c) * 1099511628211UL; }
	}
	struct Hasher {
		unsigned long h = 1469598103934665603UL;
		inline __attribute__((always_inline)) void
		add(unsigned char c) { h = mixc(h, c); }
	};
	namespace {
	__attribute__((noinline)) unsigned long
	run(const unsigned char *s, unsigned long n)
	{
		Hasher x;
		for (unsigned long i = 0; i < n; i++)
			x.add(s[i]);
		return x.h;
	}
	}
	}
	int main() { static unsigned char b[64]; std::printf("%lu\n", ns::run(b, sizeof b)); }
	EOF
	c++ -O2 -g -o cxx a.cc &&
	fn=$(nm cxx | awk "/3run/ { print \$3; exit }") &&
	mixc=$(inside cxx "$fn" mixc) &&
	test -n "$mixc" &&
	sample "$(off cxx $mixc) [unknown] ($(pwd)/cxx)" >in &&
	pesq-fold --inline in >actual &&
	echo "prog;ns::(anonymous namespace)::run;ns::Hasher::add_[i];ns::(anonymous namespace)::mixc_[i] 1" >expect &&
	test_cmp expect actual
'

test_expect_success CC,ADDR2LINE 'what stays unnamed is said with the reason' '
	read c m <addrs &&
	sample "$c [unknown] ($(pwd)/gone/inline)" >in &&
	pesq-fold --resolve in >actual 2>err &&
	echo "prog;[inline] 1" >expect &&
	test_cmp expect actual &&
	test_grep "gone/inline.: 100.0% of the samples end in one of its 1 address left without a name: the file is not there: it was moved, deleted or rebuilt" err &&
	cp inline stripped &&
	strip stripped &&
	sample "$c [unknown] ($(pwd)/stripped)" >in &&
	pesq-fold --resolve in >actual 2>err &&
	echo "prog;[stripped] 1" >expect &&
	test_cmp expect actual &&
	test_grep "the file is stripped: no symbol table and no DWARF (build with -g" err &&
	pesq-fold -q --resolve in >actual 2>err &&
	test_must_be_empty err
'

test_expect_success 'perf script --inline frames: marked _[i] with --inline' '
	sample "113a work+0xea (inlined)" "113a main+0xea (/nonexistent/x)" \
		"27249 __libc_start_call_main+0x79 (/nonexistent/libc.so.6)" >in &&
	pesq-fold in >actual &&
	echo "prog;__libc_start_call_main;main;work 1" >expect &&
	test_cmp expect actual &&
	pesq-fold --inline in >actual 2>err &&
	echo "prog;__libc_start_call_main;main;work_[i] 1" >expect &&
	test_cmp expect actual &&
	test_must_be_empty err
'

test_expect_success CC,ADDR2LINE 'perf inlined frames are not doubled by the binary' '
	read c m <addrs &&
	sample "$c hash+0x1 (inlined)" "$c count+0x1 ($(pwd)/inline)" >in &&
	pesq-fold --inline in >actual &&
	echo "prog;count;hash_[i] 1" >expect &&
	test_cmp expect actual
'

test_expect_success CC,ADDR2LINE '--lines: the leaf lines from the DWARF' '
	read c m <addrs &&
	pesq-fold --inline --lines lines known >actual &&
	echo "prog;main;count;hash_[i];mix_[i] 1" >expect &&
	test_cmp expect actual &&
	addr2line -e inline 0x$(inside inline count mix) >where &&
	sed "s/:.*//" where >file &&
	sed "s/.*://; s/ .*//" where >line &&
	jq -nc --rawfile f file --rawfile l line \
		"{fn: \"mix\", file: (\$f | rtrimstr(\"\\n\")), line: (\$l | tonumber), count: 1}" >expect &&
	test_cmp expect lines &&
	pesq-fold --lines lines known >actual &&
	sed "s/\"mix\"/\"count\"/" expect >expect.count &&
	test_cmp expect.count lines
'

test_expect_success CC,ADDR2LINE '--lines: a path through .. is made plain' '
	mkdir -p sub &&
	cp "$SRC_ROOT/t/fixtures/inline.c" x.c &&
	(cd sub && cc -O2 -g -fno-omit-frame-pointer -o ../inl2 ../x.c) &&
	mix=$(inside inl2 count mix) &&
	sample "$(off inl2 $mix) count+0x1 ($(pwd)/inl2)" >in &&
	pesq-fold --inline --lines lines in >actual &&
	jq -r .file lines >file &&
	echo "$(pwd)/x.c" >expect &&
	test_cmp expect file
'

test_expect_success '--lines: the srcline lines of perf script -F +srcline' '
	{
		printf "prog 1234 [000] 100.000001: 3 cycles:\n" &&
		printf "\t1135 main+0xe5 (/nonexistent/x)\n  x.c:2\n" &&
		printf "\t27249 __libc_start_call_main+0x79 (/nonexistent/libc.so.6)\n  libc-start.c:58\n\n" &&
		printf "prog 1234 [000] 100.000002: 2 cycles:\n" &&
		printf "\tffffffff81000c82 asm_exc_page_fault ([kernel.kallsyms])\n  [kernel.kallsyms][ffffffff81000c82]\n" &&
		printf "\t1135 main+0xe5 (/nonexistent/x)\n  x.c:2\n\n" &&
		printf "prog 1234 [000] 100.000003: 4 cycles:\n" &&
		printf "\t1139 main+0xe9 (/nonexistent/x)\n  x.c:3\n\n" &&
		printf "prog 1234 [000] 100.000004: 1 cycles:\n" &&
		printf "\t1139 main+0xe9 (/nonexistent/x)\n  ??:0\n\n"
	} >in &&
	pesq-fold -k --lines lines in >actual 2>err &&
	cat >expect <<-\EOF &&
	prog;__libc_start_call_main;main 3
	prog;main 5
	prog;main;asm_exc_page_fault_[k] 2
	EOF
	test_cmp expect actual &&
	test_must_be_empty err &&
	cat >expect <<-\EOF &&
	{"fn":"main","file":"x.c","line":3,"count":4}
	{"fn":"main","file":"x.c","line":2,"count":3}
	EOF
	test_cmp expect lines
'

# repeat N CMD...: CMD N times.
repeat() {
	rn=$1 ri=0
	shift
	while [ $ri -lt $rn ]
	do
		"$@" || return
		ri=$((ri + 1))
	done
}

test_expect_success 'call chains cut short: a warning that names the fix' '
	{
		repeat 10 sample "1 leaf.constprop.0+0x28 (/x/y)" &&
		repeat 10 sample "2 leaf.constprop.0+0x38 (/x/y)" &&
		repeat 10 sample "3 helper+0x1 (/x/y)" "4 main+0x1 (/x/y)" &&
		repeat 5 sample "5 leaf.constprop.0+0x38 (/x/y)" "6 [unknown] (/x/y)"
	} >in &&
	pesq-fold in >actual 2>err &&
	test_grep "71% of the samples have call chains cut short: they do not reach main (.leaf.constprop.0. and others lost their callers); the program was likely built without frame pointers: build it with -fno-omit-frame-pointer, or record with .perf record --call-graph dwarf. (for git pesq: git config pesq.callGraph dwarf)" err &&
	pesq-fold -q in >actual 2>err &&
	test_must_be_empty err
'

test_expect_success 'no warning for main alone, deep stacks or kernel frames' '
	{
		repeat 10 sample "1 main+0x28 (/x/y)" &&
		repeat 10 sample "2 f (/x/y)" "3 main (/x/y)" &&
		repeat 10 sample "ffffffff81000c82 asm_exc_page_fault ([kernel.kallsyms])" \
			"5 main (/x/y)" &&
		repeat 30 sample "ffffffff81000c82 schedule ([kernel.kallsyms])" \
			"ffffffff81000c83 kthread ([kernel.kallsyms])"
	} >in &&
	pesq-fold in >actual 2>err &&
	test_must_be_empty err
'

test_expect_success 'no warning without call graphs, or for a few samples' '
	repeat 30 printf "prog 1 [000] 1.0: 1 cycles:  1 leaf+0x1 (/x/y)\n" >in &&
	pesq-fold in >actual 2>err &&
	echo "prog;leaf 30" >expect &&
	test_cmp expect actual &&
	test_must_be_empty err &&
	repeat 19 sample "1 leaf (/x/y)" >in &&
	pesq-fold in >actual 2>err &&
	test_must_be_empty err
'

test_expect_success PERF,CC,ADDR2LINE 'a recording of the inline fixture: the inlined functions carry the time' '
	perf record -q -g -o rec.data -- ./inline 3000 >/dev/null 2>&1 &&
	perf script -i rec.data >perf.txt 2>/dev/null &&
	pesq-fold perf.txt >plain &&
	test_grep ! "hash" plain &&
	pesq-fold --inline --lines lines perf.txt >folded &&
	grep ";main;count;hash_\[i\]" folded >inlined &&
	awk "{ s += \$NF } END { print s }" inlined >n &&
	test "$(cat n)" -gt 0 &&
	jq -e -s "map(select(.fn == \"mix\" or .fn == \"hash\")) | length > 0 and all(.file | endswith(\"fixtures/inline.c\"))" lines >/dev/null
'

test_expect_success PERF,CC,ADDR2LINE 'perf without the binary (--symfs elsewhere): --resolve names the frames' '
	mkdir -p empty &&
	perf script -i rec.data --symfs "$(pwd)/empty" >unk.txt 2>/dev/null &&
	grep "\[unknown\] (.*/inline)\$" unk.txt >/dev/null &&
	pesq-fold unk.txt >plain &&
	grep ";\[inline\] [0-9]*\$" plain &&
	pesq-fold --resolve unk.txt >named &&
	grep ";count [0-9]*\$" named &&
	test_grep ! "\[inline\]" named
'

test_expect_success PERF,CC 'a recording without frame pointers is warned about' '
	cc -O2 -fomit-frame-pointer -fno-inline -o hot-chain \
		"$SRC_ROOT/t/fixtures/hot-chain.c" &&
	perf record -q -g -o nofp.data ./hot-chain 20000 >/dev/null 2>&1 &&
	perf script -i nofp.data >nofp.txt 2>/dev/null &&
	pesq-fold nofp.txt >folded 2>err &&
	test_grep "call chains cut short" err
'

test_done
