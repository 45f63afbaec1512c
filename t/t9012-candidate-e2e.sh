#!/bin/sh
test_description='git pesq run end to end with replies as models write them

A reply is a prose paragraph, then a code block with #include lines,
static helpers, a static table and the function. The fake provider plays
the model; the sample project is built and measured.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

# model_reply MATCH FILE: a script entry answering requests whose body
# holds MATCH the way models answer: prose, the code block, a summary.
model_reply() {
	jq -nc --arg m "$1" --rawfile code "$2" '{match: $m, reply: (
		"Here is a faster version. It hashes the words once with FNV-1a " +
		"and keeps an open-addressing index beside the table, so a lookup " +
		"no longer scans every word.\n\n```c\n" + $code +
		"```\n\nSummary: a hash index with two static helpers\n")}'
}

test_expect_success 'setup: replies with helpers' '
	sample_replies &&
	sed -n "/^long\$/,\$p" child-fast.c >body.c &&
	cat >helpers.c <<-\EOF &&
	#include <string.h>
	#include <stdint.h>

	/* FNV-1a: the offset basis and the prime. */
	static const uint32_t tf_fnv[2] = { 2166136261u, 16777619u };

	static uint32_t
	tf_hash(const char *p, size_t len)
	{
		uint32_t x = tf_fnv[0];

		for (size_t k = 0; k < len; k++)
			x = (x ^ (unsigned char)p[k]) * tf_fnv[1];
		return x;
	}

	static int
	tf_same(const struct entry *e, const char *w, size_t len)
	{
		return e->len == len && memcmp(e->word, w, len) == 0;
	}

	EOF
	# the canned table_find, its hashing and comparing done by the helpers
	sed -e "s/for (x = 2166136261UL; \*p != .\\\\0.; p++)/x = tf_hash(p, strlen(p));/" \
	    -e "/x = (x ^ (unsigned char)\*p) \* 16777619UL;/d" \
	    -e "s/for (x = 2166136261UL, k = 0; k < len; k++)/x = tf_hash(w, len);/" \
	    -e "/x = (x ^ (unsigned char)w\[k\]) \* 16777619UL;/d" \
	    -e "s/e->len == len && memcmp(e->word, w, len) == 0/tf_same(e, w, len)/" \
	    -e "s/, i, k;/, i;/" \
	    body.c >fn.c &&
	grep "x = tf_hash(p, strlen(p));" fn.c &&
	grep "x = tf_hash(w, len);" fn.c &&
	grep "tf_same(e, w, len)" fn.c &&
	cat helpers.c fn.c >good.c &&
	sed "s/^static int\$/int/" good.c >nonstatic.c &&
	! grep -q "^static int\$" nonstatic.c
'

test_expect_success 'a reply with two static helpers, a table and #include lines is applied, built and measured' '
	new_repo r1 &&
	model_reply "Task: make the function \`table_find\`" good.c >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(cd r1 && git pesq run --no-chain -n 1 -S ../stacks.folded \
		>../out 2>../err) ;
	cat err &&
	grep "^table_find  *leaf  *1  *\(accepted\|rejected\|inconclusive\)" out &&
	test_grep ! "apply:" err &&
	git -C r1 show pesq/table_find/1:table.c >table.c &&
	test "$(grep -c "^#include <string.h>\$" table.c)" = 1 &&
	sed -n "1,6p" table.c >head &&
	cat >expect <<-\EOF &&
	/* table.c: the word table, kept in the order words were first seen. */
	#include <stdlib.h>
	#include <string.h>
	#include <stdint.h>

	#include "table.h"
	EOF
	test_cmp expect head &&
	test_grep "^static const uint32_t tf_fnv\[2\]" table.c &&
	test_grep "^tf_hash(const char \*p, size_t len)\$" table.c &&
	test_grep "^tf_same(const struct entry \*e, const char \*w, size_t len)\$" table.c &&
	(cd r1 && git pesq show table_find/1 >../show 2>&1) &&
	test_grep "accepted\|rejected\|inconclusive" show
'

test_expect_success 'a non-static helper is refused with that reason, and the correction is applied' '
	new_repo r2 &&
	{
		model_reply "refused before the build" good.c &&
		model_reply "Task: make the function \`table_find\`" nonstatic.c
	} >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(cd r2 && git pesq run -v --no-chain -n 1 -S ../stacks.folded \
		>../out 2>../err) ;
	cat err &&
	test_line_count = 2 fake.log &&
	jq -r ".body.messages[-1].content" fake.log >bodies &&
	sed -n "/^Task: you were asked/,\$p" bodies >correction &&
	test_grep "Your version was rejected: it was refused before the build" correction &&
	test_grep "candidate adds a non-static function .tf_same. (line 18 of the reply): new helpers must be static\$" correction &&
	test_grep "table_find: apply: candidate adds a non-static function .tf_same." err &&
	test_grep "correction 1 of" err &&
	grep "^table_find  *leaf  *2  *\(accepted\|rejected\|inconclusive\)" out &&
	git -C r2 show pesq/table_find/1:table.c >table.c &&
	test_grep "^static int\$" table.c &&
	test_grep "^tf_same(const struct entry" table.c
'

test_done
