#!/bin/sh
test_description='pesq-apply: concurrent applies to one function get distinct branches'
. ./test-lib.sh
. "$TEST_DIRECTORY"/apply-lib.sh

test_expect_success 'setup' '
	apply_setup r &&
	(cd r && test-apply-rec sum sum.c ../good.c "unroll") >in
'

test_expect_success 'four applies at once: four branches' '
	for k in 1 2 3 4
	do
		pesq-apply -C r --slot $k --build true <in >out$k 2>err$k &
	done &&
	wait &&
	cat out1 out2 out3 out4 >all &&
	test_line_count = 4 all &&
	grep -o "\"id\":\"sum/[0-9]*\"" all | sort >ids &&
	printf "\"id\":\"sum/%d\"\n" 1 2 3 4 >expect &&
	test_cmp expect ids &&
	for a in 1 2 3 4
	do
		git -C r log -1 --format=%b pesq/sum/$a >body &&
		test_grep "^Pesq-Attempt: sum/$a\$" body &&
		git -C r notes --ref=pesq show pesq/sum/$a >note &&
		test_line_count = 2 note &&
		test_grep "\"attempt\":\"sum/$a\"" note || return 1
	done
'

# Wait until process $1 is stopped (it stops itself at a test hook).
wait_stopped() {
	while :
	do
		st=$(ps -o stat= -p "$1") || return 1
		case $st in T*) return 0 ;; esac
	done
}

test_expect_success 'losing the race for n: the commit is made again with n+1' '
	PESQ_APPLY_STOP_AT=build pesq-apply -C r --slot 1 --build true \
		<in >slow.out &
	pid=$! &&
	wait_stopped $pid &&
	pesq-apply -C r --slot 2 --build true <in >fast.out &&
	test_grep "\"id\":\"sum/5\"" fast.out &&
	kill -CONT $pid &&
	wait $pid &&
	test_grep "\"id\":\"sum/6\",\"branch\":\"pesq/sum/6\"" slow.out &&
	git -C r log -1 --format=%b pesq/sum/6 >body &&
	test_grep "^Pesq-Attempt: sum/6\$" body &&
	git -C r notes --ref=pesq show pesq/sum/6 >note &&
	test_line_count = 2 note &&
	test_grep "\"event\":\"apply\",\"attempt\":\"sum/6\"" note &&
	test_grep "\"event\":\"build\",\"attempt\":\"sum/6\"" note
'

# The builds write beside the slot, which the sandbox does not allow.
test_expect_success 'applies sharing one slot wait for each other' '
	pesq-apply -C r --sandbox off --build "echo a >>../slot.log; sleep 0.2; echo b >>../slot.log" <in >s1 2>/dev/null &
	pesq-apply -C r --sandbox off --build "echo a >>../slot.log; sleep 0.2; echo b >>../slot.log" <in >s2 2>/dev/null &
	wait &&
	printf "a\nb\na\nb\n" >expect &&
	test_cmp expect r/.git/pesq/slot.log &&
	cat s1 s2 >all &&
	test_grep "\"id\":\"sum/7\"" all &&
	test_grep "\"id\":\"sum/8\"" all
'

test_done
