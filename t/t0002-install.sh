#!/bin/sh
test_description='make install and uninstall into a scratch DESTDIR'
. ./test-lib.sh

unset MAKEFLAGS MAKELEVEL MFLAGS
D=$TRASH_DIRECTORY/dest

test_expect_success 'make install DESTDIR=... PREFIX=/usr' '
	make -s -C "$SRC_ROOT" install DESTDIR="$D" PREFIX=/usr \
		SANITIZE="$PESQ_SANITIZE" >out 2>err &&
	test_path_is_file "$D/usr/share/pesq/pesq.mk" &&
	test_path_is_file "$D/usr/share/man/man7/pesq.7" &&
	test_path_is_file "$D/usr/share/man/man5/pesq-format.5"
'

# Internal programs (pesq-measure) go to libexec/pesq, the others to bin.
test_expect_success 'every program is installed and runs' '
	for src in "$SRC_ROOT"/cmd/*.c
	do
		[ -f "$src" ] || continue
		p=$(basename "$src" .c) &&
		case $p in
		pesq-measure) d=$D/usr/libexec/pesq ;;
		*) d=$D/usr/bin ;;
		esac &&
		test -x "$d/$p" &&
		"$d/$p" -h >/dev/null || return 1
	done &&
	test_path_is_missing "$D/usr/bin/pesq-measure"
'

test_expect_success 'installed programs find pesq-measure in libexec' '
	"$D/usr/bin/pesq-sandbox" --sandbox off --show >out &&
	test_grep "^sandbox: off" out &&
	if test_have_prereq BWRAP
	then
		"$D/usr/bin/pesq-sandbox" --sandbox on --show >out &&
		test_grep "^  -- $D/usr/libexec/pesq/pesq-measure /bin/sh -c true" out
	fi
'

test_expect_success 'every man page is installed and readable with man -l' '
	for m in "$SRC_ROOT"/man/*.scd
	do
		b=$(basename "$m" .scd) &&
		f="$D/usr/share/man/man${b##*.}/$b" &&
		test_path_is_file "$f" &&
		MANWIDTH=80 man -l "$f" >page 2>err &&
		grep -q NAME page || return 1
	done
'

test_expect_success 'installed scripts keep their run bit' '
	for s in "$SRC_ROOT"/scripts/*
	do
		[ -f "$s" ] || continue
		b=$(basename "$s") &&
		case $b in
		git-*) test -x "$D/usr/bin/$b" ;;
		pesq-completion.bash) test -f \
			"$D/usr/share/bash-completion/completions/git-pesq" ;;
		*) test -f "$D/usr/share/pesq/$b" ;;
		esac || return 1
	done
'

test_expect_success 'make uninstall removes what install put there' '
	make -s -C "$SRC_ROOT" uninstall DESTDIR="$D" PREFIX=/usr \
		SANITIZE="$PESQ_SANITIZE" >out 2>err &&
	find "$D" -type f >left &&
	test_must_be_empty left
'

test_done
