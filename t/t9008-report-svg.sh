#!/bin/sh
test_description='git pesq report --svg: a log axis, the 1x line, CIs as whiskers, the counts of the report'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }
. "$TEST_DIRECTORY"/lib-history.sh

test_lazy_prereq RSVG 'command -v rsvg-convert'

# ticks SVG: "label y" of each tick of the speedup axis
ticks() {
	sed -n 's/.*<text x="[0-9.]*" y="\([0-9.]*\)" class="tick"[^>]*>\([^<]*\)<.*/\2 \1/p' "$1"
}

# counts SVG: "verdict count" of each bar
counts() {
	sed -n 's/.*<title>\([a-z-]*\): \([0-9]*\)<\/title><\/rect>.*/\1 \2/p' "$1"
}

test_expect_success 'setup: a ledger, one attempt with verdict error' '
	mkdir repo &&
	(
		cd repo &&
		make_ledger &&
		judge $A6 count_file/2 1700000610 error 1 1 1 0.5 0.5 &&
		git pesq report >../report.txt &&
		git pesq report --json >../report.json &&
		git pesq report --svg ../report.svg >/dev/null
	) &&
	test_grep "error 1" report.txt
'

test_expect_success 'the speedup axis is logarithmic, with round ticks and 1x' '
	ticks report.svg >ticks &&
	cut -d " " -f 1 ticks | sort >labels &&
	printf "1.25x\n1.5x\n1x\n2x\n" >expect &&
	test_cmp expect labels &&
	y1=$(sed -n "s/^1x //p" ticks) &&
	y15=$(sed -n "s/^1.5x //p" ticks) &&
	y2=$(sed -n "s/^2x //p" ticks) &&
	# on a log axis 1x..1.5x is log(1.5)/log(2) = 0.585 of 1x..2x
	awk -v a="$y1" -v b="$y15" -v c="$y2" "BEGIN {
		r = (a - b) / (a - c); exit !(r > 0.575 && r < 0.595) }"
'

test_expect_success 'the 1x line is drawn and labelled' '
	test_grep "class=\"one\"" report.svg &&
	test_grep ">1x = the start, no faster<" report.svg
'

test_expect_success 'each step with an interval has a whisker spanning it' '
	test "$(grep -c "<g class=\"ci\"" report.svg)" = 2 &&
	test_grep "<title>count_word/1 1.25x, CI 1.2-1.3x</title>" report.svg &&
	test_grep "<title>table_find/1 1.6x, CI 1.5-1.7x</title>" report.svg &&
	# the whisker of table_find spans 1.25 * [1.5, 1.7] around the point
	sed -n "/table_find\/1 1.6x, CI/s/.*<\/title><line x1=\"[0-9.]*\" y1=\"\([0-9.]*\)\" x2=\"[0-9.]*\" y2=\"\([0-9.]*\)\".*/\1 \2/p" \
		report.svg >whisker &&
	y=$(sed -n "s/.*class=\"point\" cx=\"[0-9.]*\" cy=\"\([0-9.]*\)\".*table_find.*/\1/p" report.svg) &&
	read lo hi <whisker &&
	awk -v lo="$lo" -v hi="$hi" -v y="$y" "BEGIN { exit !(lo > y && hi < y) }"
'

test_expect_success 'the verdict counts are the report$SQ_s' '
	counts report.svg >svg-counts &&
	jq -r ".verdicts | to_entries[] | \"\(.key) \(.value)\"" report.json |
		sort >expect &&
	sort svg-counts >actual &&
	test_cmp expect actual &&
	sed -n "s/^verdicts *//p" report.txt | tr "," "\n" |
		sed "s/^ //" | sort >text-counts &&
	grep -v " 0\$" actual >nonzero &&
	test_cmp text-counts nonzero &&
	test_grep "^error 1\$" actual
'

test_expect_success 'a verdict outside the usual ones gets its bar' '
	jq ".verdicts.unsafe = 2" report.json >r2.json &&
	jq -r -f "$SRC_ROOT/scripts/pesq-svg.jq" r2.json >r2.svg &&
	counts r2.svg >c2 &&
	test_grep "^unsafe 2\$" c2
'

test_expect_success 'a wide range: ticks at powers of two' '
	jq ".best.steps = [{attempt: \"a/1\", speedup: 3, ci: [2.5, 3.5], cumulative: 3},
	    {attempt: \"b/1\", speedup: 4, ci: [3, 5], cumulative: 12}]" \
		report.json >r3.json &&
	jq -r -f "$SRC_ROOT/scripts/pesq-svg.jq" r3.json >r3.svg &&
	ticks r3.svg | cut -d " " -f 1 | sort -n >labels &&
	printf "1x\n2x\n4x\n8x\n16x\n" >expect &&
	test_cmp expect labels
'

test_expect_success XMLLINT 'well-formed, also with no accepted attempt' '
	xmllint --noout report.svg &&
	jq ".best.steps = [] | .speedup.cumulative = null" report.json >r4.json &&
	jq -r -f "$SRC_ROOT/scripts/pesq-svg.jq" r4.json >r4.svg &&
	xmllint --noout r4.svg &&
	ticks r4.svg | cut -d " " -f 1 >labels &&
	test_grep "^1x\$" labels
'

test_expect_success RSVG 'it renders' '
	rsvg-convert -o report.png report.svg &&
	test -s report.png
'

test_done
