#!/bin/sh
test_description='the layout of the tree: lib/ folders, include directions, file sizes'
. ./test-lib.sh

check=$TEST_DIRECTORY/helper/check-layout

test_expect_success 'the tree follows its layout rules' '
	"$check" "$SRC_ROOT" "$PESQ_BIN" >out;
	rc=$? &&
	cat out &&
	test $rc = 0 &&
	test_must_be_empty out
'

test_expect_success 'at least 5 lib folders of 2 modules or more, no .c at the top' '
	ls "$SRC_ROOT"/lib/*/README >readmes &&
	test $(wc -l <readmes) -ge 5 &&
	test_must_fail ls "$SRC_ROOT"/lib/*.c
'

# A copy of the tree to break on purpose.
test_expect_success 'a copy of the tree' '
	mkdir tree &&
	cp -R "$SRC_ROOT/lib" "$SRC_ROOT/cmd" "$SRC_ROOT/scripts" \
	    "$SRC_ROOT/README.md" tree/ &&
	mkdir -p tree/t/unit tree/t/helper &&
	"$check" tree
'

test_expect_success 'a lower folder including a higher one fails the check' '
	cp tree/lib/base/sbuf.h sbuf.h.orig &&
	sed -i "/^#include <stddef.h>/a #include \"measure/bench.h\"" tree/lib/base/sbuf.h &&
	n=$(grep -n "measure/bench.h" tree/lib/base/sbuf.h | cut -d: -f1) &&
	test_expect_code 1 "$check" tree >out &&
	echo "lib/base/sbuf.h:$n: includes \"measure/bench.h\": lib/base may not include lib/measure" >expect &&
	test_cmp expect out &&
	cp sbuf.h.orig tree/lib/base/sbuf.h &&
	"$check" tree
'

test_expect_success 'an include without its folder fails the check' '
	cp tree/cmd/pesq-fold.c fold.c.orig &&
	sed -i "s|#include \"fold/fold.h\"|#include \"fold.h\"|" tree/cmd/pesq-fold.c &&
	test_expect_code 1 "$check" tree >out &&
	test_grep "^cmd/pesq-fold.c:[0-9]*: \"fold.h\" names no folder of lib/$" out &&
	cp fold.c.orig tree/cmd/pesq-fold.c
'

test_expect_success 'a circle in the allowed includes fails the check' '
	cp tree/lib/base/README base.orig &&
	sed -i "s/^May include:.*/May include: measure/" tree/lib/base/README &&
	test_expect_code 1 "$check" tree >out &&
	test_grep "the allowed includes have a circle" out &&
	cp base.orig tree/lib/base/README
'

test_expect_success 'a folder missing from README.md fails the check' '
	cp tree/README.md readme.orig &&
	sed -i "/lib\/ledger/d" tree/README.md &&
	test_expect_code 1 "$check" tree >out &&
	test_grep "^README.md: does not name lib/ledger$" out &&
	cp readme.orig tree/README.md
'

test_expect_success 'a script over 600 lines fails the check' '
	for i in $(seq 601); do echo "# $i"; done >tree/scripts/pesq-sh-long &&
	test_expect_code 1 "$check" tree >out &&
	test_grep "^scripts/pesq-sh-long: 601 lines (at most 600)$" out &&
	rm tree/scripts/pesq-sh-long
'

test_expect_success 'two object files calling each other fail the check' '
	mkdir -p objtree/lib/x objs/lib/x &&
	printf "May include: nothing\n" >objtree/lib/x/README &&
	cat >objtree/lib/x/a.c <<-\EOC &&
	int b(int);
	int a(int n) { return n ? b(n - 1) : 0; }
	EOC
	cat >objtree/lib/x/b.c <<-\EOC &&
	int a(int);
	int b(int n) { return n ? a(n - 1) : 1; }
	EOC
	echo "lib/x/" >objtree/README.md &&
	cc -c -o objs/lib/x/a.o objtree/lib/x/a.c &&
	cc -c -o objs/lib/x/b.o objtree/lib/x/b.c &&
	test_expect_code 1 "$check" objtree "$PWD/objs" >out &&
	test_grep "object files call each other in a circle" out
'

test_done
