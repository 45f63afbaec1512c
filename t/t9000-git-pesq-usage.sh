#!/bin/sh
test_description='git pesq: dispatch, usage, help, config'
. ./test-lib.sh

synopsis() {
	sed -n '/^# SYNOPSIS/,/^# /p' "$1" | sed '1d;/^# /d;/^$/d' | sed 1q |
	sed 's/\\\(.\)/\1/g; s/[*]//g; s/\(^\|[^[:alnum:]]\)_/\1/g; s/_\($\|[^[:alnum:]]\)/\1/g'
}

test_expect_success 'setup' '
	git init -q repo &&
	(cd repo && test_commit one)
'

test_expect_success 'git pesq -h lists the commands' '
	(cd repo && git pesq -h >../out 2>../err) &&
	test_must_be_empty err &&
	for v in run profile config report
	do
		grep "^   $v  " out || return 1
	done
'

test_expect_success 'git-pesq -h: usage line equals the SYNOPSIS' '
	synopsis "$SRC_ROOT/man/git-pesq.1.scd" >expect &&
	git-pesq -h >out &&
	head -n 1 out | sed "s/^usage: //" >actual &&
	test_cmp expect actual
'

test_expect_success 'each command: -h prints its usage to stdout' '
	for v in run profile config report
	do
		(cd repo && git pesq $v -h >../out 2>../err) &&
		test_must_be_empty err &&
		grep "^usage: git pesq $v" out || return 1
	done
'

test_expect_success 'no command: usage on stderr, status 2' '
	test_expect_code 2 git-pesq >out 2>err &&
	test_must_be_empty out &&
	grep "^usage: git pesq" err
'

test_expect_success 'an unknown command is not a pesq command' '
	(cd repo && test_expect_code 2 git pesq frobnicate >../out 2>../err) &&
	test_must_be_empty out &&
	echo "git-pesq: '"'"'frobnicate'"'"' is not a pesq command. See '"'"'git pesq -h'"'"'." >expect &&
	test_cmp expect err
'

test_expect_success 'a bad option: usage on stderr, status 2' '
	(cd repo && test_expect_code 2 git pesq run --no-such >../out 2>../err) &&
	test_must_be_empty out &&
	grep "unknown option .--no-such." err &&
	grep "^usage: git pesq run" err &&
	test_expect_code 2 git-pesq --no-such 2>err &&
	grep "^usage: git pesq" err
'

test_expect_success 'git pesq <command> --help opens the manual page' '
	(cd repo && MANPAGER=cat git pesq run --help >../out 2>&1) &&
	grep "git pesq run" out &&
	grep -i "exit status" out
'

test_expect_success 'step: usage errors are status 2; no run to step in is 3' '
	(
		cd repo &&
		git pesq step -h >../out &&
		test_expect_code 2 git pesq step 2>../err0 &&
		test_expect_code 2 git pesq step frob 2>../err1 &&
		test_expect_code 2 git pesq step prepare x 2>../err2 &&
		test_expect_code 2 git pesq step sample 1 2>../err3 &&
		test_expect_code 2 git pesq step finish 1 2>../err4 &&
		test_expect_code 3 git pesq step bench 1 2>../err5
	) &&
	grep "^usage: git pesq step plan" out &&
	grep "^usage: git pesq step plan" err0 &&
	grep "frob. is not a step" err1 &&
	grep "prepare. takes a target number" err2 &&
	grep "sample. takes a target and a sample number" err3 &&
	grep "too many arguments" err4 &&
	grep "no unfinished run: .git pesq step plan. makes one" err5
'

test_expect_success 'config: defaults, set, get, unset' '
	(
		cd repo &&
		git pesq config >../all &&
		git pesq config functions 5 &&
		git pesq config functions >../one &&
		git config pesq.functions >../raw &&
		git pesq config --unset functions &&
		git pesq config functions >../dflt &&
		git pesq config --unset functions
	) &&
	grep "^functions=3 (default)" all &&
	grep "^attempts=2 (default)" all &&
	grep "^chain=true (default)" all &&
	grep "^samples=1 (default)" all &&
	echo 5 >expect && test_cmp expect one && test_cmp expect raw &&
	echo 3 >expect && test_cmp expect dflt
'

test_expect_success 'config: bad keys and values are usage errors' '
	(
		cd repo &&
		test_expect_code 2 git pesq config nosuchkey 1 &&
		test_expect_code 2 git pesq config functions many &&
		test_expect_code 2 git pesq config chain maybe &&
		git pesq config chain off &&
		test_expect_code 2 git pesq config a b c
	) 2>err &&
	grep "nosuchkey. is not a pesq setting" err &&
	(cd repo && git config pesq.chain) >out &&
	echo off >expect && test_cmp expect out
'

test_expect_success 'run: options are checked before anything happens' '
	(
		cd repo &&
		test_expect_code 2 git pesq run &&
		test_expect_code 2 git pesq run -B true -n many &&
		test_expect_code 2 git pesq run -B true --samples=0 &&
		test_expect_code 2 git pesq run -B true -S x -P &&
		test_expect_code 2 git pesq run -B true extra &&
		test_expect_code 2 git pesq run --again=yes
	) 2>err &&
	grep "no benchmark command" err &&
	grep "functions. takes a count, not .many." err &&
	test_must_fail git rev-parse -q --verify refs/heads/pesq/best
'

test_expect_success 'run outside a repository: status 3' '
	mkdir norepo &&
	(cd norepo && GIT_CEILING_DIRECTORIES=$PWD/.. &&
	 export GIT_CEILING_DIRECTORIES &&
	 test_expect_code 3 git pesq run -B true 2>../err) &&
	grep "not a git repository" err
'

test_expect_success 'run: unreadable stacks: status 3, nothing made' '
	(cd repo && test_expect_code 3 git pesq run -B true -S nothere 2>../err) &&
	grep "cannot read .nothere." err &&
	test_must_fail git -C repo rev-parse -q --verify refs/heads/pesq/best
'

test_expect_success 'report with no attempts says so' '
	(cd repo && git pesq report >../out 2>../err) &&
	test_must_be_empty out &&
	grep "no attempts yet" err
'

test_done
