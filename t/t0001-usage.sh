#!/bin/sh
test_description='every command: -h, bad options, usage equals the man page SYNOPSIS'
. ./test-lib.sh

# The SYNOPSIS of a page, without scdoc markup (*bold*, _underline_, \x).
synopsis() {
	sed -n '/^# SYNOPSIS/,/^# /p' "$1" | sed '1d;/^# /d;/^$/d' | sed 1q |
	sed 's/\\\(.\)/\1/g; s/[*]//g; s/\(^\|[^[:alnum:]]\)_/\1/g; s/_\($\|[^[:alnum:]]\)/\1/g'
}

for src in "$SRC_ROOT"/cmd/*.c
do
	[ -f "$src" ] || continue
	cmd=$(basename "$src" .c)
	test_expect_success "$cmd -h prints usage and exits 0" "
		$cmd -h >out 2>err &&
		test_must_be_empty err &&
		head -n 1 out >first &&
		grep '^usage: $cmd' first
	"
	test_expect_success "$cmd --help is the same as -h" "
		$cmd --help >out2 &&
		test_cmp out out2
	"
	test_expect_success "$cmd: bad option exits 2 with usage on stderr" "
		test_expect_code 2 $cmd --no-such-option >out 2>err &&
		test_must_be_empty out &&
		grep 'usage: $cmd' err
	"
	test_expect_success "$cmd: usage line equals SYNOPSIS of man/$cmd.1.scd" "
		test_path_is_file '$SRC_ROOT/man/$cmd.1.scd' &&
		synopsis '$SRC_ROOT/man/$cmd.1.scd' >expect &&
		$cmd -h | head -n 1 | sed 's/^usage: //' >actual &&
		test_cmp expect actual
	"
done

test_expect_success 'the man pages build' '
	for m in "$SRC_ROOT"/man/*.scd
	do
		b=$(basename "$m" .scd) &&
		test_path_is_file "$SRC_ROOT/bin/man/$b" || return 1
	done
'

test_done
