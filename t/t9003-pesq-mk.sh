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
	(cd proj && git add . && git commit -q -m base) &&
	# the builds, in the sandbox, include pesq.mk from outside proj
	git config --global pesq.sandbox.readOnly "$SRC_ROOT/pesq.mk" &&
	# no stand-ins for the checks (t9020 tests them)
	git -C proj config pesq.sanitize false &&
	git -C proj config pesq.differential false
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

# new_proj NAME: the project, with stacks in .pesq so that no profile is
# needed (the base is older than them).
new_proj() {
	git clone -q proj "$1" &&
	git -C "$1" config pesq.sanitize false &&
	git -C "$1" config pesq.differential false &&
	mkdir "$1/.pesq" &&
	git -C "$1" rev-parse HEAD >"$1/.pesq/base" &&
	touch -d "2005-04-07 22:13:13" "$1/.pesq/base" &&
	echo "main;parent;child 10" >"$1/.pesq/stacks.folded"
}

# shape DIR: the ledger of DIR without ids: function, verdict and events
# of each attempt, sorted.
shape() {
	git -C "$1" for-each-ref --format="%(refname)" refs/heads/pesq/ |
	while read -r r
	do
		case $r in */best) continue ;; esac
		printf "%s " "${r#refs/heads/pesq/}" | sed "s|/[0-9]*||" &&
		git -C "$1" notes --ref=pesq show "$r" | jq -r .event |
			paste -sd " " - || return 1
	done | sort
}

test_expect_success 'PESQ_SAMPLES=2: make -j2 runs the samples side by side, in slots 0 and 1' '
	rm -f replies/* log.* &&
	echo "FAST parent" >replies/parent &&
	echo "slow parent" >replies/parent.1 &&
	echo "slow child" >replies/child &&
	echo "FAST child" >replies/child.1 &&
	new_proj one &&
	(cd one && make -s pesq PESQ_SAMPLES=2 >../out1) &&
	sort log.apply >apply1 &&
	rm -f replies/*.n log.* &&
	new_proj two &&
	mkfifo meet &&
	(cd two && STUB_MEET=$HOME/meet make -s -j2 pesq PESQ_SAMPLES=2 >../out2) &&
	sort log.apply >apply2 &&
	cat >expect <<-\EOT &&
	child slot 0
	child slot 1
	parent slot 0
	parent slot 1
	EOT
	test_cmp expect apply1 &&
	test_cmp expect apply2 &&
	sort log.meet >actual &&
	cat >expect <<-\EOT &&
	child slot 0 met
	child slot 1 met
	parent slot 0 met
	parent slot 1 met
	EOT
	test_cmp expect actual &&
	test_grep "^parent .* accepted" out1 &&
	test_grep "^child .* accepted" out1 &&
	test_cmp out1 out2 &&
	shape one >shape1 &&
	shape two >shape2 &&
	test_line_count = 4 shape1 &&
	test_cmp shape1 shape2
'

test_expect_success 'make pesq-clean removes the directory' '
	(cd proj && make -s pesq-clean) &&
	test_path_is_missing proj/.pesq
'

test_done
