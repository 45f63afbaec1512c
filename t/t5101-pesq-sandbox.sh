#!/bin/sh
test_description='pesq-sandbox: a command in the sandbox, in a directory or a worktree'
. ./test-lib.sh

if ! test_have_prereq BWRAP
then
	skip_all='bubblewrap cannot run here'
	test_done
fi

test_expect_success 'setup' '
	git init -q r &&
	(
		cd r &&
		printf "all: out\nout: in\n\tcp in out\n" >Makefile &&
		echo one >in &&
		printf "out\n" >.gitignore &&
		git add . &&
		git commit -q -m one &&
		echo two >in &&
		git commit -q -a -m two
	)
'

test_expect_success '--show: the command line and the environment, nothing run' '
	pesq-sandbox -C r --show "touch ran" >out &&
	head -n 1 out >first &&
	echo "sandbox: on" >expect &&
	test_cmp expect first &&
	test_grep "^  --unshare-net$" out &&
	test_grep "^  -- .*/pesq-measure /bin/sh -c touch ran$" out &&
	test_grep "^env: HOME=/tmp$" out &&
	test_path_is_missing ran &&
	pesq-sandbox --sandbox off --show >out &&
	test_grep "^sandbox: off" out
'

test_expect_success 'a command in a directory: its status, its output, redacted' '
	mkdir d &&
	test_expect_code 3 env OPENAI_API_KEY=sk-sandbox-1234567 \
		pesq-sandbox -d d "echo out; echo err >&2; echo sk-sandbox-1234567; exit 3" \
		>out 2>err &&
	printf "out\n[redacted]\n" >expect &&
	test_cmp expect out &&
	echo err >expect &&
	test_cmp expect err
'

test_expect_success '--max-output: what is not kept is said' '
	pesq-sandbox -d d --max-output 4 "echo 0123456789" >out &&
	printf "0123\n[pesq-sandbox: 7 more bytes not kept]\n" >expect &&
	test_cmp expect out
'

test_expect_success 'a timeout kills the command' '
	test_expect_code 1 pesq-sandbox -d d -T 0.5 "exec tail -f /dev/null" \
		2>err &&
	test_grep "timed out after 0.5 s" err
'

test_expect_success '-w -r -b: the worktree restored to the commit and built once' '
	pesq-sandbox -C r -w try -r HEAD~1 -b "make; echo built >>log" \
		"cat out" >out &&
	printf "cp in out\none\n" >expect &&
	test_cmp expect out &&
	pesq-sandbox -C r -w try -r HEAD~1 -b "make; echo built >>log" \
		"cat out; cat log" >out &&
	printf "one\nbuilt\n" >expect &&
	test_cmp expect out &&
	test_path_is_file r/.git/pesq/try.manifest
'

test_expect_success 'what a command leaves in the worktree is gone, a changed product rebuilt' '
	pesq-sandbox -C r -w try -r HEAD~1 "echo x >planted; echo changed >out" &&
	test_path_is_missing r/.git/pesq/try/planted &&
	pesq-sandbox -C r -w try -r HEAD~1 -b "make; echo built >>log" \
		"cat out" >out &&
	printf "cp in out\none\n" >expect &&
	test_cmp expect out
'

test_expect_success 'another commit: tracked files reset, products rebuilt as make sees fit' '
	echo edited >r/.git/pesq/try/in &&
	pesq-sandbox -C r -w try -r HEAD -b make "cat in out" >out &&
	printf "cp in out\ntwo\ntwo\n" >expect &&
	test_cmp expect out
'

test_expect_success '--keep: the file put there for the build survives the restore' '
	echo "[1]" >r/.git/pesq/try/.kept &&
	echo "[2]" >r/.git/pesq/try/.dropped &&
	pesq-sandbox -C r -w try -r HEAD -b "cat .kept; test ! -e .dropped" \
		--keep .kept >out &&
	echo "[1]" >expect &&
	test_cmp expect out &&
	test_expect_code 2 pesq-sandbox -C r -w try -r HEAD -b make \
		--keep ../x 2>err &&
	test_grep "keep" err
'

test_expect_success 'a failed build: status 1, its output, the command not run' '
	test_expect_code 1 pesq-sandbox -C r -w try -r HEAD -b "echo oops; exit 2" \
		"touch ran" >out 2>err &&
	echo oops >expect &&
	test_cmp expect out &&
	test_grep "the build exited with status 2" err &&
	test_path_is_missing r/.git/pesq/try/ran
'

test_expect_success 'usage and settings' '
	test_expect_code 2 pesq-sandbox -w try "true" 2>err &&
	test_grep "usage: pesq-sandbox" err &&
	test_expect_code 2 pesq-sandbox -r HEAD "true" 2>err &&
	test_expect_code 2 pesq-sandbox 2>err &&
	test_expect_code 2 pesq-sandbox --sandbox maybe true 2>err &&
	test_grep "invalid sandbox mode" err &&
	git -C r config pesq.sandbox.maxDisk lots &&
	test_expect_code 2 pesq-sandbox -C r true 2>err &&
	test_grep "invalid pesq.sandbox.maxDisk" err &&
	git -C r config --unset pesq.sandbox.maxDisk &&
	git -C r config pesq.sandbox.readOnly relative/path &&
	test_expect_code 2 pesq-sandbox -C r true 2>err &&
	test_grep "not an absolute path" err &&
	git -C r config --unset pesq.sandbox.readOnly &&
	test_expect_code 3 env PESQ_BWRAP=/no/such/bwrap \
		pesq-sandbox --sandbox on true 2>err &&
	test_grep "sandbox on, but it cannot run here" err &&
	env PESQ_BWRAP=/no/such/bwrap pesq-sandbox true 2>err &&
	test_grep "WITHOUT the sandbox" err
'

test_done
