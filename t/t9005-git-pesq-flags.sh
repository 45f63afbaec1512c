#!/bin/sh
test_description='git pesq: the build'"'"'s own flags and the profiled binaries reach pesq-deps

The filters are the stand-ins of t/fixtures/loop-stubs; the stand-in
pesq-deps logs the options it is given.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }
command -v make >/dev/null 2>&1 || { skip_all='make is missing'; test_done; }
command -v bear >/dev/null 2>&1 && test_set_prereq BEAR

PATH=$SRC_ROOT/t/fixtures/loop-stubs:$PATH
STUB_HOT=$HOME/hot.jsonl STUB_REPLIES=$HOME/replies STUB_LOG=$HOME/log
export STUB_HOT STUB_REPLIES STUB_LOG

# new_repo NAME: the make-built fixture, with bench and build settings.
new_repo() {
	cp -R "$SRC_ROOT/t/fixtures/deps/makeproj" "$1" &&
	(
		cd "$1" &&
		git init -q &&
		printf "prog\n*.o\n*.a\n" >.gitignore &&
		git add . &&
		git commit -q -m base &&
		git config pesq.build make &&
		git config pesq.bench ./prog &&
		git config pesq.functions 1
	) &&
	rm -rf replies log.* && mkdir replies &&
	echo "FAST feature_sum" >replies/feature_sum
}

test_expect_success 'setup' '
	echo "{\"fn\":\"feature_sum\",\"role\":\"leaf\",\"hot\":{\"rank\":1}}" >hot.jsonl &&
	echo "main;feature_sum 10" >stacks.folded
'

test_expect_success 'stacks given: a dry run of make in the profile worktree, cached' '
	new_repo r1 &&
	(cd r1 && git pesq run -S ../stacks.folded >../out 2>../err) &&
	start=$(git -C r1 rev-parse HEAD) &&
	log=$(cd r1/.git && pwd)/pesq/flags/$start/make-n.log &&
	test_grep "^cc -O2 -DFEATURE -DLEVEL=3 -Iinclude -c -o src/core.o src/core.c$" "$log" &&
	sort -u log.deps >actual &&
	echo "--make-log $log" >expect &&
	test_cmp expect actual &&
	test_path_is_missing r1/prog &&
	test_path_is_missing r1/.git/pesq/profile/prog
'

test_expect_success 'the cache is reused: no second dry run' '
	echo "stale" >>"$log" &&
	rm -f log.deps &&
	(cd r1 && git pesq run -S ../stacks.folded --again --base $start \
		>../out 2>../err) &&
	test_grep "^stale$" "$log" &&
	sort -u log.deps >actual &&
	test_cmp expect actual
'

test_expect_success 'a compile_commands.json of the repository'"'"'s own: nothing made' '
	new_repo r2 &&
	echo "[]" >r2/compile_commands.json &&
	rm -f log.deps &&
	(cd r2 && git pesq run -S ../stacks.folded >../out 2>../err) &&
	test_path_is_missing r2/.git/pesq/flags &&
	test_path_is_missing log.deps
'

test_expect_success 'a build that is not plain make: guessed, nothing made' '
	new_repo r3 &&
	git -C r3 config pesq.build "make && true" &&
	rm -f log.deps &&
	(cd r3 && git pesq run -v -S ../stacks.folded >../out 2>../err) &&
	test_path_is_missing r3/.git/pesq/flags/$(git -C r3 rev-parse HEAD)/make-n.log &&
	test_grep "flags: guessed" err &&
	test_path_is_missing log.deps
'

test_expect_success 'the profiled binaries and the flags go to each prepare step' '
	new_repo r4 &&
	(
		cd r4 &&
		git pesq step plan -S ../stacks.folded >../out 2>../err &&
		printf "%s\n" /opt/bench/prog "/opt/with space/libx.so" \
			>.git/pesq/run/binaries &&
		rm -f ../log.deps &&
		git pesq step prepare 1 >>../out 2>>../err
	) &&
	start=$(git -C r4 rev-parse HEAD) &&
	cat >expect <<-EOF &&
	--make-log $(cd r4/.git && pwd)/pesq/flags/$start/make-n.log
	--binary /opt/bench/prog
	--binary /opt/with space/libx.so
	EOF
	test_cmp expect log.deps
'

test_expect_success PERF,BEAR 'a profile build runs under bear; its commands are kept' '
	new_repo r5 &&
	(cd r5 && git pesq run >../out 2>../err) &&
	start=$(git -C r5 rev-parse HEAD) &&
	d=$(cd r5/.git && pwd)/pesq/flags/$start &&
	jq -r ".[].file" "$d/compile_commands.json" | sed "s|.*/pesq/profile/||" | sort >actual &&
	printf "%s\n" lib/util.c src/core.c src/extra.c >expect &&
	test_cmp expect actual &&
	test_path_is_missing r5/.git/pesq/profile/.pesq-compile_commands.json &&
	test_path_is_missing "$d/make-n.log" &&
	grep -v "^--binary " log.deps | sort -u >actual &&
	echo "--flags-from bear" >expect &&
	echo "-p $d" >>expect &&
	test_cmp expect actual
'

test_done
