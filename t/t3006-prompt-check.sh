#!/bin/sh
test_description='pesq-prompt: check mode, and corrections after the checks

--check asks for a differential check (pesq-check(5)); a record whose
check failed on the original asks for a corrected one; a candidate the
checks refused (unsafe, differs) gets a correction prompt with what they
found. Golden files under t/fixtures/prompt/expect/, as in t3001.'
. ./test-lib.sh

test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

FIX=$SRC_ROOT/t/fixtures/prompt

. "$TEST_DIRECTORY"/lib-prompt.sh

test_expect_success 'check mode: the prompt matches expect/check.txt' '
	pesq-prompt --check "$FIX/leaf.jsonl" >check.out &&
	show check.out >check.txt &&
	test_cmp "$FIX/expect/check.txt" check.txt
'

test_expect_success 'check mode: the contract, the original'"'"'s name, the entry point' '
	jq -r .prompt.mode check.out >mode &&
	echo check >expect &&
	test_cmp expect mode &&
	jq -r ".prompt.messages[1].content" check.out >user &&
	test_grep "^Task: write a differential check for the function \`dist2\` (src/geom.c:12)\.$" user &&
	test_grep "renamed \`pesq_orig_dist2\`" user &&
	test_grep "int LLVMFuzzerTestOneInput(const uint8_t \*data, size_t size)" user &&
	test_grep "^## Where it is called from" user &&
	test_grep ! "Your previous check" user &&
	jq -r ".prompt.messages[0].content" check.out >sys &&
	test_grep "the function \`dist2\`" sys
'

test_expect_success 'check mode: a different id from the optimize prompt' '
	pesq-prompt "$FIX/leaf.jsonl" >opt.out &&
	jq -r .prompt.id opt.out >a &&
	jq -r .prompt.id check.out >b &&
	! cmp -s a b
'

test_expect_success 'a check that failed on the original: asked again, with why' '
	pesq-prompt --check "$FIX/check-retry.jsonl" >retry.out &&
	show retry.out >check-retry.txt &&
	test_cmp "$FIX/expect/check-retry.txt" check-retry.txt &&
	jq -r ".prompt.messages[1].content" retry.out >user &&
	test_grep "^## Your previous check$" user &&
	test_grep "it failed, so it was not used: the check fails on the original" user &&
	test_grep "^0000f87f000000000000f87f00000000$" user &&
	test_grep "pesq_orig_dist2(&a, &b);" user
'

for f in unsafe differs
do
	test_expect_success "$f: the correction prompt matches expect/$f.txt" "
		pesq-prompt '$FIX/$f.jsonl' >$f.out &&
		show $f.out >$f.txt &&
		test_cmp '$FIX/expect/$f.txt' $f.txt
	"
done

test_expect_success 'unsafe: the sanitizer'"'"'s report, the reason, correct mode' '
	jq -r .prompt.mode unsafe.out >mode &&
	echo correct >expect &&
	test_cmp expect mode &&
	jq -r ".prompt.messages[1].content" unsafe.out >user &&
	test_grep "a sanitizer (AddressSanitizer, UndefinedBehaviorSanitizer or ThreadSanitizer)" user &&
	test_grep "^The verdict says: the sanitized test run: AddressSanitizer: heap-buffer-overflow in dist2" user &&
	test_grep "^READ of size 8 at 0x602000000018 thread T0$" user
'

test_expect_success 'differs: the input, what the check said, and the check' '
	jq -r ".prompt.messages[1].content" differs.out >user &&
	test_grep "the differential check found an input" user &&
	test_grep "^The input (32 bytes, in hex):$" user &&
	test_grep "^000000000000f03f000000000000f03f00000000000000000000000000000000$" user &&
	test_grep "^dist2 = 0, the original says 2$" user &&
	test_grep "calls your version as \`dist2\` and the original as \`pesq_orig_dist2\`" user &&
	test_grep "y = pesq_orig_dist2(&a, &b);" user
'

test_expect_success '--check with --dump-templates is a usage error' '
	test_expect_code 2 pesq-prompt --check --dump-templates x 2>err &&
	test_grep "^usage: pesq-prompt" err
'

test_done
