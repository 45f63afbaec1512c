#!/bin/sh
test_description='one table of settings: scripts/pesq-settings, git pesq config and the manual agree

Every pesq.KEY the manual pages name is a key of the table and accepted
by git pesq config; every key of the table is documented in git-pesq(1),
SETTINGS, with its option and pesq.mk variable, which run and pesq.mk
have; an unknown key is refused with the list of the known ones.'
. ./test-lib.sh

table=$SRC_ROOT/scripts/pesq-settings

# keys: the keys of the table, one a line
keys() {
	sed '/^#/d; /^$/d; s/	.*//' "$table"
}

# column N: the key and column N of each row, tab-separated
column() {
	sed '/^#/d; /^$/d' "$table" | cut -f "1,$1"
}

test_expect_success 'setup' '
	git init -q repo &&
	keys >keys &&
	test -s keys
'

test_expect_success 'the table: six columns, known types, each key once' '
	sed "/^#/d; /^\$/d" "$table" | awk -F "	" "NF != 6 { print; bad = 1 }
	    END { exit bad }" &&
	column 2 | cut -f 2 | sort -u >types &&
	cat >known <<-\EOF &&
	bool
	command
	count
	metric
	number
	path
	provider
	sandbox
	size
	text
	EOF
	comm -23 types known >unknown &&
	test_must_be_empty unknown &&
	sort keys | uniq -d >twice &&
	test_must_be_empty twice
'

# The pesq.KEY names in the manual pages, with placeholders such as
# <model> kept: "pesq.mk" (the file) and "pesq.<key>" are not keys.
test_expect_success 'the keys the manual names' '
	cat "$SRC_ROOT"/man/*.scd |
	grep -o "pesq\.[a-zA-Z][a-zA-Z0-9]*\(\.[a-zA-Z0-9<>_-]*\)*" |
	sed "s/^pesq\.//; s/[._]*\$//" | grep -v "^mk\$" | sort -u >named &&
	grep "^price\." named &&
	grep "^budget\$" named
'

test_expect_success 'every key the manual names is in the table' '
	while read -r k
	do
		case $k in
		*"<"*">"*) p=$(printf "%s\n" "$k" | sed "s/<[^>]*>/*/g") &&
			grep -x -F -e "$p" keys >/dev/null ||
			{ echo "not in the table: pesq.$k"; return 1; } ;;
		*) git -C repo pesq config "$k" >/dev/null 2>err ||
			{ echo "refused: pesq.$k"; cat err; return 1; } ;;
		esac
	done <named
'

test_expect_success 'every key the manual names is accepted by git pesq config' '
	while read -r k
	do
		k=$(printf "%s\n" "$k" | sed "s/<[^>]*>/gpt-5/g") &&
		git -C repo pesq config "$k" >/dev/null 2>err ||
			{ echo "refused: $k"; cat err; return 1; }
	done <named
'

test_expect_success 'every key of the table is documented in git-pesq(1), SETTINGS' '
	sed -n "/^# SETTINGS/,/^# /p" "$SRC_ROOT/man/git-pesq.1.scd" >settings &&
	while read -r k
	do
		d=$(printf "%s\n" "$k" | sed "s/\*/<model>/") &&
		grep -F -e "*pesq.$d*" settings >/dev/null ||
			{ echo "undocumented: pesq.$k"; return 1; }
	done <keys
'

test_expect_success 'the options and pesq.mk variables of the table exist' '
	git pesq run -h >run-usage &&
	column 4 | while IFS="	" read -r k o
	do
		[ "$o" = - ] && continue
		grep -e "$o[ ,]" run-usage >/dev/null ||
			{ echo "no option $o for $k"; return 1; }
		sed -n "/^# SETTINGS/,/^# /p" "$SRC_ROOT/man/git-pesq.1.scd" |
			grep -F -e "*pesq.$k*" | grep -F -e "*$o*" >/dev/null ||
			{ echo "$o not said for $k"; return 1; }
	done &&
	column 5 | while IFS="	" read -r k v
	do
		[ "$v" = - ] && continue
		grep "^$v ?=" "$SRC_ROOT/pesq.mk" >/dev/null &&
		grep "\$($v)" "$SRC_ROOT/pesq.mk" >/dev/null ||
			{ echo "no $v in pesq.mk for $k"; return 1; }
	done
'

test_expect_success 'git pesq config --keys is the table' '
	git -C repo pesq config --keys >actual &&
	test_cmp keys actual
'

test_expect_success 'an unknown key is refused with the list of known ones' '
	test_expect_code 2 git -C repo pesq config nosuch 1 >out 2>err &&
	test_must_be_empty out &&
	test_grep "^git-pesq: .nosuch. is not a pesq setting$" err &&
	while read -r k
	do
		grep -F -e "$k" err >/dev/null ||
			{ echo "not listed: $k"; return 1; }
	done <keys &&
	test_must_fail git -C repo config --get pesq.nosuch &&
	test_expect_code 2 git -C repo pesq config price.x 1 2>err &&
	test_grep "is not a pesq setting" err
'

test_expect_success 'values are checked by type' '
	git -C repo pesq config budget 5000 &&
	echo 5000 >expect &&
	git -C repo pesq config budget >actual &&
	test_cmp expect actual &&
	test_expect_code 2 git -C repo pesq config budget lots 2>err &&
	test_grep "takes a count" err &&
	test_expect_code 2 git -C repo pesq config chain maybe 2>err &&
	test_expect_code 2 git -C repo pesq config provider ollama 2>err &&
	test_expect_code 2 git -C repo pesq config price.gpt-5.in cheap 2>err &&
	test_expect_code 2 git -C repo pesq config sandbox maybe 2>err &&
	test_expect_code 2 git -C repo pesq config metric fast 2>err &&
	test_grep "is cpu, wall or auto" err &&
	git -C repo pesq config metric wall &&
	echo wall >expect &&
	git -C repo pesq config metric >actual &&
	test_cmp expect actual &&
	test_expect_code 2 git -C repo pesq config sandbox.maxDisk 4gb 2>err &&
	git -C repo pesq config sandbox.maxDisk 512m
'

test_expect_success 'the listing: every key, defaults, and set pattern keys' '
	git -C repo pesq config price.gpt-5.in 1.25 &&
	git -C repo pesq config >list &&
	test_grep "^build=make (default)$" list &&
	test_grep "^budget=5000$" list &&
	test_grep "^price.gpt-5.in=1.25$" list &&
	grep -v "^price\." list | sed "s/=.*//" >listed &&
	keys | grep -v "\*" >expect &&
	test_cmp expect listed
'

test_done
