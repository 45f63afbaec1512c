#!/bin/sh
test_description='pesq-apply: candidates as models write them (helpers, tables, types, macros, includes) and what is refused'
. ./test-lib.sh
. "$TEST_DIRECTORY"/apply-lib.sh

if ! test_have_prereq CC
then
	skip_all='no C compiler'
	test_done
fi

# The fixture builds with -Wall -Werror: every helper below is used.
test_expect_success 'setup: a candidate with every kind of new item' '
	apply_setup r &&
	cat >cand <<-\EOF &&
	#include <string.h>
	#include <limits.h>

	/* two static helpers, a table, a type, an enum, a variable */
	typedef struct span { int lo, hi; } span_t;
	enum step { STEP = 2 };
	static const int weight[2] = { 1, 1 };
	static int calls;

	#define PAIR(a, b) ((long)(a) + (long)(b))

	static long
	sum_pair(const int *v, int i)
	{
		return PAIR(v[i] * weight[0], v[i + 1] * weight[1]);
	}

	static inline long
	sum_tail(const int *v, span_t s)
	{
		long t = 0;

		for (int i = s.lo; i < s.hi; i++)
			t += v[i];
		return t;
	}

	long
	sum(const int *v, int n)
	{
		long s = 0;
		int i;
		int copy[4];

		calls++;
		memcpy(copy, v, sizeof(copy) < (size_t)n * sizeof(int) ?
		       sizeof(copy) : (size_t)n * sizeof(int));
		(void)copy;
		for (i = 0; i + STEP <= n && n < INT_MAX; i += STEP)
			s += sum_pair(v, i);
		return s + sum_tail(v, (span_t){ i, n });
	}

	#undef PAIR
	EOF
	(cd r && test-apply-rec sum sum.c ../cand "helpers") >in
'

test_expect_success 'applied, built, and each item placed' '
	pesq-apply -C r --build make <in >out 2>err &&
	test_must_be_empty err &&
	test_grep "\"build\":{\"ok\":true" out &&
	git -C r show pesq/sum/1:sum.c >actual &&
	{
		echo "#include \"util.h\"" &&
		echo "#include <string.h>" &&
		echo "#include <limits.h>" &&
		sed -n "2p" r/sum.c &&
		# the helpers above the original comment, kept above sum
		sed -n "4,/^long\$/p" cand | sed "\$d" &&
		sed -n "3p" r/sum.c &&
		sed -n "/^long\$/,\$p" cand &&
		sed -n "14,\$p" r/sum.c
	} >expect &&
	test_cmp expect actual &&
	r/.git/pesq/slot-0/prog >got &&
	echo "10 3" >expect &&
	test_cmp expect got
'

test_expect_success 'a header twice in the reply, or already included, is there once' '
	{
		echo "#include <string.h>" &&
		echo "#include <string.h>" &&
		sed -n "/^long\$/,/^}/p" cand | sed "/calls++;/d"
	} >cand2 &&
	(cd r && test-apply-rec sum sum.c ../cand2 "again") >in2 &&
	pesq-apply -C r --build true <in2 >out 2>err &&
	test_must_be_empty err &&
	git -C r show pesq/sum/2:sum.c >actual &&
	test "$(grep -c "^#include <string.h>\$" actual)" = 1 &&
	mkdir r2 &&
	cat >r2/sum.c <<-\EOF &&
	#include <string.h>
	#include "util.h"

	long
	sum(const int *v, int n)
	{
		long s = 0;

		for (int i = 0; i < n; i++)
			s += v[i];
		return s;
	}
	EOF
	git -C r2 init -q &&
	git -C r2 add . &&
	git -C r2 commit -q -m base &&
	(cd r2 && test-apply-rec sum sum.c ../cand2 "have it") >in3 &&
	pesq-apply -C r2 --build true <in3 >out 2>err &&
	test_must_be_empty err &&
	git -C r2 show pesq/sum/1:sum.c >actual &&
	test "$(grep -c "^#include <string.h>\$" actual)" = 1 &&
	test "$(sed -n 2p actual)" = "#include \"util.h\"" &&
	test "$(sed -n 4p actual)" = "long"
'

# refused REASON (a grep pattern) FILE: the record carries the reason,
# the reason is said on stderr, exit status 0, and neither a ref, a
# note, nor the slot moved.
refused() {
	(cd r && test-apply-rec sum sum.c "../$2") >bin &&
	pesq_refs r >refs-before &&
	git -C r/.git/pesq/slot-0 rev-parse HEAD >slot-before &&
	git -C r/.git/pesq/slot-0 status --porcelain >>slot-before &&
	pesq-apply -C r --build "touch built; make" <bin >bout 2>berr &&
	test_line_count = 1 bout &&
	test_grep "\"error\":{\"stage\":\"apply\",\"msg\":\"$1" bout &&
	test_grep "<stdin>:1: $1" berr &&
	pesq_refs r >refs-after &&
	test_cmp refs-before refs-after &&
	git -C r/.git/pesq/slot-0 rev-parse HEAD >slot-after &&
	git -C r/.git/pesq/slot-0 status --porcelain >>slot-after &&
	test_cmp slot-before slot-after &&
	test_path_is_missing r/.git/pesq/slot-0/built
}

test_expect_success 'refused: a non-static function' '
	{ printf "long\nsum_pair(long a, long b)\n{\n\treturn a + b;\n}\n\n" &&
	  cat good.c; } >c1 &&
	refused "candidate adds a non-static function .sum_pair. (line 2 of the reply): new helpers must be static" c1
'

test_expect_success 'refused: a non-static variable' '
	{ echo "int sum_calls;" && cat good.c; } >c2 &&
	refused "candidate adds a non-static variable .sum_calls. (line 1 of the reply): new variables must be static" c2
'

test_expect_success 'refused: a redefinition of what the file has' '
	{ printf "static int\ntwice(int x)\n{\n\treturn x << 1;\n}\n" &&
	  cat good.c; } >c3 &&
	refused "candidate redefines .twice. (line 2 of the reply), which .sum.c. already has (line 16)" c3
'

test_expect_success 'refused: a changed signature' '
	sed "s/^sum(const int \*v, int n)/sum(const int *v, long n)/" good.c >c4 &&
	refused "candidate changes the signature of .sum." c4
'

test_expect_success 'refused: a macro left defined' '
	{ echo "#define STEP 2" && sed "s/i += 2/i += STEP/" good.c; } >c5 &&
	refused "candidate leaves the macro .STEP. defined (line 1 of the reply): #undef it after its last use" c5
'

test_expect_success 'refused: a quoted include, an extern, a directive' '
	{ echo "#include \"util.h\"" && cat good.c; } >c6 &&
	refused "candidate includes .*util.h.* (line 1 of the reply)" c6 &&
	{ echo "extern int errno_copy;" && cat good.c; } >c7 &&
	refused "candidate declares .errno_copy. extern (line 1 of the reply)" c7 &&
	{ echo "#pragma GCC unroll 4" && cat good.c; } >c8 &&
	refused "candidate has the directive .#pragma. (line 1 of the reply)" c8
'

test_expect_success 'refused: a helper after the function' '
	{ cat good.c && printf "static int\nspare(void)\n{\n\treturn 0;\n}\n"; } >c9 &&
	refused "candidate has .spare. (line 16 of the reply) after the body of .sum.: new items go before it" c9
'

test_expect_success 'the error record and its message say the same' '
	jq -r .error.msg bout >msg &&
	sed "s/^pesq-apply: <stdin>:1: //" berr >said &&
	test_cmp msg said
'

test_expect_success 'a correction may add helpers' '
	(cd r && test-apply-rec sum sum.c ../bad.c "broken") >bad.in &&
	pesq-apply -C r --build make <bad.in >out &&
	test_grep "\"build\":{\"ok\":false" out &&
	branch=$(jq -r .attempt.branch out) &&
	test-apply-rec -f out cand >fix.in &&
	pesq-apply -C r --build make <fix.in >out2 2>err &&
	test_must_be_empty err &&
	test_grep "\"build\":{\"ok\":true" out2 &&
	test_grep "\"n_corrections\":1" out2 &&
	git -C r show "$branch:sum.c" >actual &&
	test_grep "^sum_pair(const int \*v, int i)\$" actual &&
	test_grep "^#include <limits.h>\$" actual
'

test_lazy_prereq CXX 'echo "int x;" >a.cc && c++ -c a.cc'

test_expect_success CXX 'C++: helpers in an anonymous namespace' '
	mkdir cx &&
	cat >cx/fast.cc <<-\EOF &&
	#include <cstddef>

	long
	total(const int *v, std::size_t n)
	{
		long s = 0;

		for (std::size_t i = 0; i < n; i++)
			s += v[i];
		return s;
	}
	EOF
	git -C cx init -q &&
	git -C cx add . &&
	git -C cx commit -q -m base &&
	cat >cc1 <<-\EOF &&
	#include <numeric>

	namespace {
	inline long add(long a, int b) { return a + b; }
	}

	long
	total(const int *v, std::size_t n)
	{
		return std::accumulate(v, v + n, 0L, add);
	}
	EOF
	(cd cx && test-apply-rec total fast.cc ../cc1 "accumulate") >cin &&
	pesq-apply -C cx --build "c++ -Wall -Werror -c fast.cc" <cin >out 2>err &&
	test_must_be_empty err &&
	test_grep "\"build\":{\"ok\":true" out &&
	git -C cx show pesq/total/1:fast.cc >actual &&
	test "$(sed -n 2p actual)" = "#include <numeric>" &&
	sed "s/^namespace {/namespace fast {/" cc1 >cc2 &&
	(cd cx && test-apply-rec total fast.cc ../cc2 "named") >cin2 &&
	pesq-apply -C cx --build true <cin2 >out 2>err &&
	test_grep "candidate opens the namespace .fast. (line 3 of the reply)" out
'

test_done
