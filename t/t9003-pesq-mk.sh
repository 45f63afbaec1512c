#!/bin/sh
test_description='pesq.mk: the loop as make targets, over stand-in filters'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

PATH=$SRC_ROOT/t/fixtures/loop-stubs:$PATH
STUB_HOT=$HOME/hot.jsonl STUB_REPLIES=$HOME/replies STUB_LOG=$HOME/log
export STUB_HOT STUB_REPLIES STUB_LOG
# pesq.mk's PESQ_BUILD (the build command) must come from the test alone.
unset PESQ_BUILD MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

test_expect_success 'setup' '
	cat >hot.jsonl <<-\EOT &&
	{"fn":"child","role":"leaf"}
	{"fn":"parent","role":"parent","child":"child"}
	EOT
	mkdir replies &&
	echo "FAST parent" >replies/parent &&
	echo "slow child" >replies/child &&
	git init -q proj &&
	{
		printf "all: prog\nprog: prog.c\n\tcp prog.c prog && chmod +x prog\n" &&
		printf "PESQ_BENCH = ./prog\n" &&
		printf "PESQ_ATTEMPTS = 1\nPESQ_FUNCTIONS = 2\n" &&
		printf "include %s/pesq.mk\n" "$SRC_ROOT" &&
		printf "clean:\n\trm -f prog\n"
	} >proj/Makefile &&
	printf "#!/bin/sh\necho hello\n" >proj/prog.c &&
	printf "prog\n.pesq/\n" >proj/.gitignore &&
	(cd proj && git add . && git commit -q -m base)
'

test_expect_success 'including pesq.mk keeps the default goal' '
	(cd proj && make -n >../out) &&
	echo "cp prog.c prog && chmod +x prog" >expect &&
	test_cmp expect out
'

test_expect_success 'pesq.mk with nothing to include before it' '
	mkdir first &&
	printf "include %s/pesq.mk\nhello:\n\t@echo hello\n" "$SRC_ROOT" \
		>first/Makefile &&
	make -s -C first >out &&
	echo hello >expect &&
	test_cmp expect out
'

test_expect_success PERF 'make pesq-hot: a profile, then the hot list' '
	(cd proj && make -s pesq-hot) &&
	test_path_is_file proj/.pesq/stacks.folded &&
	test_cmp hot.jsonl proj/.pesq/hot.jsonl &&
	grep -e "--chain -n 2" log.hot
'

test_expect_success PERF 'make pesq-hot again: nothing to do' '
	(cd proj && make pesq-hot >../out) &&
	test_grep ! "git pesq profile" out
'

test_expect_success PERF 'make pesq runs the loop and writes the report' '
	(cd proj && make -s pesq >../out) &&
	test_grep "parent .*accepted" out &&
	test_grep "child .*rejected" out &&
	test_cmp out proj/.pesq/report.txt &&
	git -C proj rev-parse pesq/parent/1 >expect &&
	git -C proj rev-parse pesq/best >actual &&
	test_cmp expect actual &&
	(cd proj && make -s pesq-report) >report &&
	test_cmp out report
'

test_expect_success PERF 'pesq/best moved: make pesq-profile profiles again' '
	(cd proj && make pesq-profile >../out) &&
	test_grep "git pesq profile" out
'

test_expect_success 'make pesq-clean removes the directory' '
	(cd proj && make -s pesq-clean) &&
	test_path_is_missing proj/.pesq
'

test_done
