#!/bin/sh
test_description='pesq-deps: the hot lines of pesq-hot records, inside the definition'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

test_have_prereq JQ || { skip_all='jq is needed'; test_done; }

test_expect_success 'setup: max2 is src/vec.c lines 34-38' '
	deps_repo c
'

test_expect_success 'lines of the definition, summed by line, heaviest first, with shares' '
	cat >in <<-\EOT &&
	{"fn":"max2","hot":{"self":100,"lines":[
	{"file":"/home/u/repo/.git/pesq/profile/src/vec.c","line":37,"count":30},
	{"file":"src/vec.c","line":37,"count":10},
	{"file":"vec.c","line":36,"count":40},
	{"file":"/elsewhere/include/vec.h","line":36,"count":10},
	{"file":"/home/u/repo/src/vec.c","line":12,"count":5},
	{"file":"/home/u/repo/src/notvec.c","line":37,"count":5}]}}
	EOT
	tr -d "\n" <in >in1 && echo >>in1 &&
	pesq-deps -q -C c in1 >out &&
	jq -c ".def.hot_lines" out >actual &&
	echo "[{\"line\":36,\"count\":40,\"share\":0.4},{\"line\":37,\"count\":40,\"share\":0.4}]" >expect &&
	test_cmp expect actual
'

test_expect_success 'no hot.lines: no hot_lines; none inside: an empty array' '
	echo "{\"fn\":\"max2\"}" >in2 &&
	echo "{\"fn\":\"max2\",\"hot\":{\"lines\":[{\"file\":\"src/vec.c\",\"line\":1,\"count\":3}]}}" >>in2 &&
	pesq-deps -q -C c in2 >out &&
	jq -c ".def.hot_lines" out >actual &&
	printf "%s\n" null "[]" >expect &&
	test_cmp expect actual
'

test_done
