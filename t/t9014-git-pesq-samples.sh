#!/bin/sh
test_description='git pesq run --samples: the samples of a target judged together

The sample project and the fake provider: two samples of table_find are
judged against the same base and the faster accepted one moves
pesq/best; the other keeps its own verdict and figure. Two samples with
the same code (comments and blanks aside) are judged once.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

# two_samples DIR FIRST SECOND: a run on the sample in DIR asking for two
# samples of table_find, the model answering with the code in FIRST, then
# SECOND; its table in out, its progress in err.
two_samples() {
	new_repo "$1" &&
	{
		reply "table_find" "$2" "{\"seq\": 0}" &&
		reply "table_find" "$3"
	} >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(cd "$1" && git pesq run -v -s 2 --no-chain -n 1 -S ../stacks.folded \
		>../out 2>../err)
}

test_expect_success 'setup: replies' '
	sample_replies &&
	# as slow as the original: the same scan, written another way
	printf "long\ntable_find(const struct table *t, const char *w)\n{\n\tsize_t i = 0;\n\n\twhile (i < t->n) {\n\t\tif (same(t->v[i].word, w))\n\t\t\treturn (long)i;\n\t\ti++;\n\t}\n\treturn -1;\n}\n" >child-slow.c &&
	{ echo "/* the same, commented */" && sed "s/^\$/\n/" child-fast.c; } >child-fast2.c &&
	! cmp child-fast.c child-fast2.c &&
	# faster than the original, slower than child-fast.c: the first
	# letter compared before the rest
	printf "long\ntable_find(const struct table *t, const char *w)\n{\n\tsize_t i;\n\n\tfor (i = 0; i < t->n; i++)\n\t\tif (t->v[i].word[0] == w[0] && strcmp(t->v[i].word, w) == 0)\n\t\t\treturn (long)i;\n\treturn -1;\n}\n" >child-first.c
'

test_expect_success 'two samples: the faster passing one moves pesq/best, the other keeps its figure' '
	two_samples r1 child-slow.c child-fast.c &&
	test_grep ! "pesq/best moved" out &&
	test_grep ! "pesq/best moved" err &&
	grep "^table_find  *leaf  *1  accepted" out &&
	grep "^table_find  *leaf  *1  " out >rows &&
	test_line_count = 2 rows &&
	grep -v accepted rows >other &&
	test_grep ! " error " other &&
	test_grep ! " - " other &&
	git -C r1 show pesq/best:table.c >best.c &&
	test_grep "owner_v" best.c &&
	git -C r1 log -1 --format=%B pesq/best >msg &&
	test_grep "^Pesq-Speedup: " msg &&
	test_grep "^Pesq-Commit: $(git -C r1 rev-parse pesq/table_find/2)" msg &&
	git -C r1 notes --ref=pesq show pesq/best >note &&
	jq -s -e "map(select(.event == \"accepted\"))[0].attempt == \"table_find/2\"" note &&
	git -C r1 notes --ref=pesq show pesq/table_find/2 >note &&
	jq -s -e "map(select(.event == \"verdict\"))[-1].best" note &&
	(cd r1 && git pesq log --json) >log.jsonl &&
	jq -r "select(.id == \"table_find/2\") | .verdict" log.jsonl >v &&
	echo accepted >expect && test_cmp expect v
'

test_expect_success 'two samples with the same code: judged once, the second a duplicate' '
	two_samples r2 child-fast.c child-fast2.c &&
	test_grep "table_find (table_find/2): the same code as table_find/1" err &&
	grep "^table_find  *leaf  *1  accepted" out &&
	grep "^table_find  *leaf  *1  rejected" out &&
	git -C r2 notes --ref=pesq show pesq/table_find/1 >note1 &&
	git -C r2 notes --ref=pesq show pesq/table_find/2 >note2 &&
	jq -s -e "map(select(.event == \"bench\")) | length == 1" note1 &&
	jq -s -e "map(select(.event == \"bench\" or .event == \"test\")) | length == 0" note2 &&
	jq -s -e "map(select(.event == \"verdict\"))[-1].duplicate_of == \"table_find/1\"" note2 &&
	git -C r2 show pesq/best:table.c >best.c &&
	test_grep "owner_v" best.c
'

test_expect_success 'two samples both faster: the faster moves pesq/best, the other is said faster on its own' '
	two_samples r3 child-first.c child-fast.c &&
	test_grep "table_find (table_find/1): faster on its own ([0-9.]*x), but table_find/2 was faster still ([0-9.]*x): pesq/best took that one" err &&
	grep "^table_find  *leaf  *1  accepted" out &&
	grep "^table_find  *leaf  *1  rejected" out &&
	git -C r3 show pesq/best:table.c >best.c &&
	test_grep "owner_v" best.c &&
	git -C r3 log -1 --format=%B pesq/best >msg &&
	test_grep "^Pesq-Commit: $(git -C r3 rev-parse pesq/table_find/2)" msg &&
	(cd r3 && git pesq log --json) >log.jsonl &&
	jq -r "select(.fn == \"table_find\") | [.id, .verdict, .speedup > 1.02,
		(.reason | test(\"faster on its own\"))] | @tsv" log.jsonl |
		sort >actual &&
	printf "table_find/1\trejected\ttrue\ttrue\ntable_find/2\taccepted\ttrue\tfalse\n" >expect &&
	test_cmp expect actual
'

test_done
