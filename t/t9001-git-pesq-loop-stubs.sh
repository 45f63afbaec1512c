#!/bin/sh
test_description='git pesq run: the loop logic, over stand-in filters

The filters are replaced by small scripts (t/fixtures/loop-stubs) that
keep the record contract, so that the order of targets, corrections,
resuming after kill -9 and the table are tested apart from the real
filters (t9002 runs those).'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

. "$TEST_DIRECTORY"/lib-stubs.sh

PATH=$SRC_ROOT/t/fixtures/loop-stubs:$PATH
STUB_HOT=$HOME/hot.jsonl STUB_REPLIES=$HOME/replies STUB_LOG=$HOME/log
export STUB_HOT STUB_REPLIES STUB_LOG

# new_repo NAME: a repository with two sources, a dirty file and a staged one.
new_repo() {
	stub_repo "$1" parent child &&
	(
		cd "$1" &&
		echo staged >staged.t && git add staged.t &&
		echo dirty >>child.c
	) &&
	rm -rf replies log.* && mkdir replies
}

# snapshot: what the user sees of the repository.
snapshot() {
	git rev-parse HEAD &&
	git symbolic-ref HEAD &&
	git status --porcelain &&
	git diff --cached &&
	cat child.c
}

# sample N LEAF DSO [FRAME DSO]...: a sample of `perf script` text with
# period N: LEAF in DSO, the given frames, then parent and main in /tmp/prog.
sample() {
	printf 'prog 42 1.000000: %s cycles:\n' "$1" &&
	printf '\t%x %s+0x1 (%s)\n' 1 "$2" "$3" &&
	shift 3 &&
	for f
	do
		printf '\t%x %s+0x1 (%s)\n' 2 "${f% *}" "${f#* }" || return 1
	done &&
	printf '\t%x %s+0x1 (%s)\n' 3 parent /tmp/prog 4 main /tmp/prog &&
	echo
}

test_expect_success 'setup' '
	cat >hot.jsonl <<-\EOT &&
	{"fn":"child","role":"leaf","hot":{"rank":1}}
	{"fn":"parent","role":"parent","child":"child","hot":{"rank":2}}
	EOT
	echo "main;parent;child 10" >stacks.folded
'

test_expect_success 'chains: parent first, a failed build is corrected, best moves' '
	new_repo r1 &&
	printf "%s\n" "FAST parent" >replies/parent &&
	printf "%s\n" "BROKEN child" "FAST child" >replies/child &&
	(
		cd r1 &&
		snapshot >../before &&
		git pesq run -S ../stacks.folded >../out 2>../err &&
		snapshot >../after
	) &&
	test_cmp before after &&
	cat >expect <<-\EOT &&
	parent optimize
	child optimize
	child correct
	EOT
	test_cmp expect log.llm &&
	cat >expect <<-\EOT &&
	function  role    attempts  verdict   speedup  tokens
	parent    parent         1  accepted       2x      15
	child     leaf           2  accepted       2x      30
	pesq/best 2dd78c2 against the start a56e94b: final A/B 4x (99% CI 3.5-4.5), a real gain
	EOT
	test_cmp expect out &&
	grep "^final .*--no-advance" log.bench &&
	git -C r1 rev-parse pesq/child/1 >expect &&
	git -C r1 rev-parse pesq/best >actual &&
	test_cmp expect actual &&
	git -C r1 rev-parse pesq/child/1~2 >expect &&
	git -C r1 rev-parse pesq/parent/1 >actual &&
	test_cmp expect actual &&
	grep -e "--chain -n 16" log.hot &&
	test_path_is_missing r1/.git/pesq/run/active
'

test_expect_success 'report shows the last run again' '
	(cd r1 && git pesq report --last >../report) &&
	test_cmp out report
'

test_expect_success 'corrections stop at --attempts; no chains: rank order' '
	new_repo r2 &&
	printf "%s\n" "slow parent" >replies/parent &&
	printf "%s\n" "BROKEN 1" "BROKEN 2" "BROKEN 3" >replies/child &&
	(
		cd r2 &&
		git config pesq.chain false &&
		git pesq run -q -a 1 -n 2 -S ../stacks.folded >../out
	) &&
	test_must_be_empty out &&
	cat >expect <<-\EOT &&
	child optimize
	child correct
	parent optimize
	EOT
	test_cmp expect log.llm &&
	grep -e "^-n 14\$" log.hot &&
	cat >expect <<-\EOT &&
	child build-failed
	parent rejected
	EOT
	test_cmp expect log.bench &&
	git -C r2 rev-parse HEAD >expect &&
	git -C r2 rev-parse pesq/best >actual &&
	test_cmp expect actual
'

test_expect_success 'a rerun at the same base repeats no finished attempt' '
	: >log.llm &&
	(cd r2 && git config pesq.attempts 1 &&
	 git pesq run -S ../stacks.folded >../out) &&
	test_must_be_empty log.llm &&
	grep "child .*leaf .*2  build-failed" out &&
	grep "parent .*parent .*1  rejected" out &&
	git -C r2 for-each-ref refs/heads/pesq/ >refs &&
	test_line_count = 3 refs
'

test_expect_success '--again makes new attempts' '
	printf "%s\n" "slow again" >>replies/parent &&
	printf "%s\n" "slow child" >>replies/child &&
	(cd r2 && git pesq run -q --again -a 0 -S ../stacks.folded) &&
	test_line_count = 2 log.llm &&
	git -C r2 rev-parse -q --verify pesq/parent/2 &&
	git -C r2 rev-parse -q --verify pesq/child/2
'

test_expect_success 'kill -9 in the middle, then a rerun finishes consistently' '
	new_repo r3 &&
	printf "%s\n" "FAST parent" "FAST parent" >replies/parent &&
	printf "%s\n" "FAST child" >replies/child &&
	(
		cd r3 &&
		snapshot >../before &&
		STUB_KILL_BENCH=t &&
		export STUB_KILL_BENCH &&
		test_expect_code 137 git pesq run -q -S ../stacks.folded
	);
	test_path_is_file r3/.git/pesq/run/active &&
	git -C r3 rev-parse HEAD >expect &&
	git -C r3 rev-parse pesq/best >actual &&
	test_cmp expect actual &&
	(
		cd r3 &&
		git pesq run -S ../stacks.folded >../out &&
		snapshot >../after &&
		git fsck --no-progress
	) &&
	test_cmp before after &&
	cat >expect <<-\EOT &&
	function  role    attempts  verdict   speedup  tokens
	parent    parent         1  accepted       2x      15
	child     leaf           1  accepted       2x      15
	pesq/best e1bd3b8 against the start a56e94b: final A/B 4x (99% CI 3.5-4.5), a real gain
	EOT
	test_cmp expect out &&
	git -C r3 rev-parse pesq/child/1 >expect &&
	git -C r3 rev-parse pesq/best >actual &&
	test_cmp expect actual &&
	git -C r3 rev-parse pesq/child/1~1 >expect &&
	git -C r3 rev-parse pesq/parent/1 >actual &&
	test_cmp expect actual &&
	# the attempt cut short was taken out and made again
	test_must_fail git -C r3 rev-parse -q --verify pesq/parent/2 &&
	git -C r3 pesq log >log &&
	test_line_count = 3 log
'

test_expect_success 'targets: kernel and libc frames on top are passed over' '
	# the real pesq-fold, pesq-hot and pesq-deps; the rest stand-ins
	mkdir stubs &&
	for s in pesq-prompt pesq-llm pesq-apply pesq-bench pesq-stub-note
	do
		cp "$SRC_ROOT/t/fixtures/loop-stubs/$s" stubs/ || return 1
	done &&
	git init -q r5 &&
	(
		cd r5 &&
		cat >prog.c <<-\EOC &&
		#include <string.h>
		int child(int x) { return x * 3; }
		int parent(const char *a, const char *b)
		{
			return strcmp(a, b) + child(1);
		}
		int main(void) { return parent("a", "b"); }
		EOC
		git add prog.c &&
		git commit -q -m prog &&
		git config pesq.bench true &&
		git config pesq.build true &&
		git config pesq.sanitize false &&
		git config pesq.differential false
	) &&
	{
		sample 50 __strcmp_avx2 /usr/lib/x86_64-linux-gnu/libc.so.6 &&
		sample 40 __schedule "[kernel.kallsyms]" \
			"schedule [kernel.kallsyms]" "child /tmp/prog" &&
		sample 30 child /tmp/prog
	} >stacks.perf &&
	rm -rf replies log.* && mkdir replies &&
	echo "FAST parent" >replies/parent &&
	echo "slow child" >replies/child &&
	(
		cd r5 &&
		PATH=$HOME/stubs:${PATH#$SRC_ROOT/t/fixtures/loop-stubs:} &&
		# parent calls child once: tried all the same (t9013 skips)
		git pesq run -v --all-parents -n 1 -S ../stacks.perf \
			>../out 2>../err
	) &&
	grep ";schedule_\[k\];__schedule_\[k\] 40$" r5/.git/pesq/run/stacks.folded &&
	cat >expect <<-\EOT &&
	parent optimize
	child optimize
	EOT
	test_cmp expect log.llm &&
	test_grep "skipped, not defined in the repository: __strcmp_avx2\$" err &&
	test_grep "^parent *parent .* accepted" out &&
	test_grep "^child *leaf .* rejected" out
'

test_expect_success 'C++ names: branches as pesq-apply names them; a rerun finds them' '
	new_repo r6 &&
	cat >hot6.jsonl <<-\EOT &&
	{"fn":"ns::Tbl<int>::find","role":"leaf"}
	{"fn":"operator()","role":"leaf"}
	EOT
	echo "slow find" >"replies/ns::Tbl<int>::find" &&
	echo "slow call" >"replies/operator()" &&
	(
		cd r6 &&
		STUB_HOT=$HOME/hot6.jsonl git pesq run -q -S ../stacks.folded &&
		git for-each-ref --format="%(refname)" refs/heads/pesq/ >../refs &&
		: >../log.llm &&
		STUB_HOT=$HOME/hot6.jsonl git pesq run -S ../stacks.folded >../out
	) &&
	cat >expect <<-\EOT &&
	refs/heads/pesq/best
	refs/heads/pesq/ns%3A%3ATbl%3Cint%3E%3A%3Afind/1
	refs/heads/pesq/operator%28%29/1
	EOT
	test_cmp expect refs &&
	test_must_be_empty log.llm &&
	test_grep "^ns::Tbl<int>::find  *leaf .* rejected" out &&
	test_grep "^operator()  *leaf .* rejected" out
'

test_expect_success 'a second run while one holds the lock is refused' '
	(
		cd r3 &&
		test_expect_code 3 flock .git/pesq/run.lock sh -c "echo \$\$ >.git/pesq/run.lock.pid &&
			git pesq run -S ../stacks.folded"
	) 2>err &&
	grep "another .git pesq run. is going on (pid" err
'

test_expect_success 'a run says when HEAD moved on from pesq/best, or diverged' '
	new_repo rb &&
	printf "%s\n" slow >replies/parent &&
	printf "%s\n" slow >replies/child &&
	(cd rb && git pesq run -S ../stacks.folded >../out 2>../err) &&
	test_grep ! "pesq/best (" err &&
	(cd rb && git commit -q -m later &&
	 git pesq run -S ../stacks.folded >../out 2>../err) &&
	best=$(git -C rb rev-parse --short pesq/best) &&
	test_grep "HEAD is 1 commit(s) ahead of pesq/best ($best): this run works on pesq/best, without them" err &&
	(cd rb && git update-ref refs/heads/pesq/best \
		"$(git commit-tree -p HEAD^ -m step HEAD^^{tree})" &&
	 git pesq run -S ../stacks.folded >../out 2>../err) &&
	best=$(git -C rb rev-parse --short pesq/best) &&
	test_grep "HEAD and pesq/best ($best) have diverged" err
'

test_done
