#!/bin/sh
test_description='the test harness itself'
. ./test-lib.sh

test_expect_success 'the scratch directory is HOME and the cwd' '
	test "$(pwd)" = "$HOME" &&
	test -f "$HOME/.gitconfig"
'

test_expect_success 'repositories are reproducible' '
	git init -q r1 && (cd r1 && test_commit one) &&
	git init -q r2 && (cd r2 && test_commit one) &&
	test "$(git -C r1 rev-parse HEAD)" = "$(git -C r2 rev-parse HEAD)"
'

test_expect_success 'git does not find the repository around the scratch directory' '
	test_must_fail git rev-parse --git-dir 2>err &&
	grep -i "not a git repository" err
'

test_expect_success 'test_must_fail accepts failure, refuses success' '
	test_must_fail false &&
	! test_must_fail true
'

test_expect_success 'test_must_fail keeps the caller redirections' '
	test_must_fail sh -c "echo oops >&2; exit 1" 2>err &&
	grep oops err
'

test_expect_success 'test_must_fail refuses death by signal' '
	! test_must_fail sh -c "kill -9 \$\$"
'

test_expect_success 'test_expect_code' '
	test_expect_code 3 sh -c "exit 3" &&
	! test_expect_code 3 sh -c "exit 4"
'

test_expect_success 'test_cmp sees a difference' '
	echo a >a && echo b >b &&
	! test_cmp a b && test_cmp a a
'

test_expect_success 'test_when_finished runs after the body' '
	test_when_finished "rm -f marker" &&
	>marker &&
	test -f marker
'

test_expect_success 'the cleanup ran' '
	test_path_is_missing marker
'

test_lazy_prereq ALWAYS 'true'
test_lazy_prereq NEVER 'false'
test_expect_success 'lazy prerequisites' '
	test_have_prereq ALWAYS &&
	! test_have_prereq NEVER &&
	test_have_prereq !NEVER
'

test_expect_success NEVER 'a test with a missing prerequisite is skipped' '
	false
'

test_expect_failure 'a known breakage is reported as TODO' '
	false
'

test_done
