#!/bin/sh
test_description='--version: every program and git pesq say the Makefile'"'"'s VERSION'
. ./test-lib.sh

unset MAKEFLAGS MAKELEVEL MFLAGS

test_expect_success 'the version, from the Makefile' '
	make -s -C "$SRC_ROOT" version >v &&
	test_line_count = 1 v &&
	grep -q "^[0-9][0-9.]*" v &&
	version=$(cat v) &&
	grep "^VERSION = $version\$" "$SRC_ROOT/Makefile"
'

for src in "$SRC_ROOT"/cmd/*.c
do
	[ -f "$src" ] || continue
	cmd=$(basename "$src" .c)
	test_expect_success "$cmd --version" "
		$cmd --version >out 2>err &&
		test_must_be_empty err &&
		echo \"$cmd (pesq) \$(cat v)\" >expect &&
		test_cmp expect out
	"
done

test_expect_success 'git pesq --version, from the source tree' '
	git pesq --version >out 2>err &&
	test_must_be_empty err &&
	echo "git-pesq (pesq) $(cat v)" >expect &&
	test_cmp expect out
'

test_expect_success 'git pesq --version, installed: the version written in' '
	D=$TRASH_DIRECTORY/dest &&
	make -s -C "$SRC_ROOT" install DESTDIR="$D" PREFIX=/usr \
		SANITIZE="$PESQ_SANITIZE" >out 2>err &&
	grep "^version=$(cat v)\$" "$D/usr/bin/git-pesq" &&
	PESQ_DATADIR=$D/usr/share/pesq "$D/usr/bin/git-pesq" --version >out &&
	echo "git-pesq (pesq) $(cat v)" >expect &&
	test_cmp expect out &&
	test -x "$D/usr/bin/git-pesq" &&
	"$D/usr/bin/pesq-llm" --version >out &&
	echo "pesq-llm (pesq) $(cat v)" >expect &&
	test_cmp expect out
'

test_done
