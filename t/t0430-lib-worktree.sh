#!/bin/sh
test_description='lib/worktree: reused build worktrees under $GIT_DIR/pesq'
. ./test-lib.sh

# What must not change in the user's repository.
snapshot() {
	git -C r status --porcelain=v1 --untracked-files=all >"$1" &&
	git -C r rev-parse HEAD >>"$1" &&
	git -C r symbolic-ref HEAD >>"$1" &&
	sha256sum r/.git/index | cut -c1-64 >>"$1"
}

test_expect_success 'setup: a repository with a dirty working tree' '
	git init -q r &&
	cd r &&
	test_commit one a.c "int a;" &&
	test_commit keep k.c "int k;" &&
	test_tick &&
	test_commit two a.c "int a2;" &&
	echo dirty >a.c &&
	echo staged >s.c &&
	git add s.c &&
	echo untracked >u.c &&
	cd .. &&
	snapshot before
'

test_expect_success 'first use makes the worktree holding the commit' '
	(cd r && test-git worktree slot-0 HEAD~1) >path &&
	echo "$HOME/r/.git/pesq/slot-0" >expect &&
	test_cmp expect path &&
	git -C r/.git/pesq/slot-0 rev-parse HEAD >actual &&
	git -C r rev-parse HEAD~1 >expect &&
	test_cmp expect actual &&
	echo "int a;" >expect &&
	test_cmp expect r/.git/pesq/slot-0/a.c &&
	test_must_fail git -C r/.git/pesq/slot-0 symbolic-ref -q HEAD &&
	snapshot after &&
	test_cmp before after
'

test_expect_success 'reuse: untracked files stay, unchanged files keep mtimes' '
	wt=r/.git/pesq/slot-0 &&
	echo obj >$wt/a.o &&
	touch -d "2001-01-01 00:00:00" $wt/k.c &&
	echo scribble >$wt/k.c.orig &&
	echo local >>$wt/a.c &&
	(cd r && test-git worktree slot-0 main) &&
	test_path_is_file $wt/a.o &&
	ls -l --time-style=+%Y $wt/k.c >ls &&
	test_grep " 2001 " ls &&
	echo "int a2;" >expect &&
	test_cmp expect $wt/a.c &&
	git -C $wt status --porcelain --untracked-files=no >st &&
	test_must_be_empty st &&
	snapshot after &&
	test_cmp before after
'

test_expect_success 'a stale index.lock from a killed git is cleared' '
	gd=$(sed "s/^gitdir: //" r/.git/pesq/slot-0/.git) &&
	: >"$gd/index.lock" &&
	(cd r && test-git worktree slot-0 HEAD~1) &&
	test_path_is_missing "$gd/index.lock" &&
	echo "int a;" >expect &&
	test_cmp expect r/.git/pesq/slot-0/a.c
'

test_expect_success 'a half-made worktree is made anew' '
	rm r/.git/pesq/slot-0/.git &&
	(cd r && test-git worktree slot-0 main) &&
	git -C r/.git/pesq/slot-0 rev-parse HEAD >actual &&
	git -C r rev-parse main >expect &&
	test_cmp expect actual
'

test_expect_success 'different slots concurrently, one slot serialized' '
	(cd r && test-git worktree slot-1 HEAD~1 >/dev/null || echo 1 >>../fail) &
	(cd r && test-git worktree slot-2 main >/dev/null || echo 2 >>../fail) &
	(cd r && test-git worktree slot-0 HEAD~2 >/dev/null || echo 3 >>../fail) &
	(cd r && test-git worktree slot-0 HEAD~2 >/dev/null || echo 4 >>../fail) &
	wait &&
	test_path_is_missing fail &&
	git -C r/.git/pesq/slot-1 rev-parse HEAD >actual &&
	git -C r/.git/pesq/slot-2 rev-parse HEAD >>actual &&
	git -C r/.git/pesq/slot-0 rev-parse HEAD >>actual &&
	git -C r rev-parse HEAD~1 main HEAD~2 >expect &&
	test_cmp expect actual &&
	snapshot after &&
	test_cmp before after
'

test_expect_success 'from a linked worktree the slots live in the common dir' '
	git -C r worktree add -q --detach ../lw HEAD~1 &&
	(cd lw && test-git worktree slot-0 HEAD) >path &&
	echo "$HOME/r/.git/pesq/slot-0" >expect &&
	test_cmp expect path
'

test_expect_success 'bad slot name refused' '
	(cd r && test_must_fail test-git worktree ../x HEAD 2>err) &&
	test_grep "invalid worktree name" r/err
'

test_expect_success 'hooks of the user do not run' '
	mkdir -p r/.git/hooks &&
	printf "#!/bin/sh\ntouch %s/hook-ran\n" "$HOME" >r/.git/hooks/post-checkout &&
	chmod +x r/.git/hooks/post-checkout &&
	(cd r && test-git worktree slot-0 main && test-git worktree slot-9 main) &&
	test_path_is_missing hook-ran
'

test_done
