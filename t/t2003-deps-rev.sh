#!/bin/sh
test_description='pesq-deps reads a commit, never the dirty working tree'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_expect_success 'a fresh repository: --rev pesq/best reads HEAD, and says so' '
	echo "{\"fn\":\"max2\"}" >in &&
	pesq-deps -C c --rev pesq/best in >out 2>err &&
	jq -r ".def.rev" out >actual &&
	git -C c rev-parse HEAD >expect &&
	test_cmp expect actual &&
	test_grep "^pesq-deps: no branch pesq/best yet: the sources are read at HEAD$" err &&
	pesq-deps -q -C c --rev refs/heads/pesq/best in >out 2>err &&
	test_must_be_empty err
'

test_expect_success 'once pesq/best exists, it is the default' '
	git -C c branch pesq/best first &&
	pesq-deps -C c in >out 2>err &&
	jq -r ".def.rev" out >actual &&
	git -C c rev-parse first >expect &&
	test_cmp expect actual &&
	pesq-deps -C c --rev HEAD in >out &&
	jq -r ".def.rev" out >actual &&
	git -C c rev-parse HEAD >expect &&
	test_cmp expect actual &&
	git -C c branch -D pesq/best >/dev/null
'

test_done
fi

test_expect_success 'setup: two commits, then a dirty tree' '
	deps_repo c &&
	(
		cd c &&
		git tag first &&
		sed "s/return a > b ? a : b;/return b < a ? a : b; \/* v2 *\//" \
			src/vec.c >tmp && mv tmp src/vec.c &&
		sed "s/size_t n, cap;/size_t n, cap; \/* v2 *\//" \
			include/vec.h >tmp && mv tmp include/vec.h &&
		git commit -q -a -m v2 &&
		git tag second &&
		sed "s/v2/dirty/" src/vec.c >tmp && mv tmp src/vec.c &&
		printf "\n\n\n" >>include/vec.h &&
		sed "s/v2/dirty/" include/vec.h >tmp && mv tmp include/vec.h &&
		printf "/* dirty */\n" >tmp && cat src/a.c >>tmp && mv tmp src/a.c &&
		rm src/b.c
	) &&
	echo "{\"fn\":\"max2\"}" >in
'

test_expect_success 'HEAD by default, not the working tree' '
	pesq-deps -C c in >out &&
	jq -r ".def.code" out >actual &&
	test_grep "v2" actual &&
	test_grep ! dirty actual &&
	jq -r ".def.rev, .def.blob" out >actual &&
	git -C c rev-parse second second:src/vec.c >expect &&
	test_cmp expect actual
'

test_expect_success 'headers come from the commit too' '
	echo "{\"fn\":\"vec_push\"}" | pesq-deps -C c >out &&
	jq -r ".ctx.types[] | select(.name == \"vec\") | .code" out >actual &&
	git -C c show HEAD:include/vec.h | sed -n "/^struct vec {/,/^};/p" >expect &&
	test_cmp expect actual &&
	test_grep "v2" actual
'

test_expect_success '--rev reads an older commit' '
	pesq-deps -C c --rev first in >out &&
	jq -r ".def.code" out >actual &&
	test_grep "return a > b ? a : b;" actual &&
	jq -r ".def.rev, .def.blob" out >actual &&
	git -C c rev-parse first first:src/vec.c >expect &&
	test_cmp expect actual
'

test_expect_success 'offsets refer to the committed file, not the edited one' '
	echo "{\"fn\":\"helper\",\"hot\":{\"chain\":\"a_entry;helper\"}}" >in2 &&
	pesq-deps -C c -r first in2 >out &&
	start=$(jq .def.start out) && end=$(jq .def.end out) &&
	git -C c show first:src/a.c >committed &&
	jq -j .def.code out >code &&
	splice committed $start $end code >spliced &&
	test_cmp committed spliced &&
	jq -r .def.line out >actual &&
	echo 4 >expect &&
	test_cmp expect actual
'

test_expect_success 'a file deleted from the working tree is still read' '
	echo "{\"fn\":\"b_entry\"}" | pesq-deps -C c >out &&
	fields out >actual &&
	echo "b_entry src/b.c 5 9" >expect &&
	test_cmp expect actual &&
	jq -r .ctx.diagnostics out >actual &&
	echo 0 >expect &&
	test_cmp expect actual
'

test_expect_success '-C a subdirectory finds the repository' '
	pesq-deps -C c/src in >out &&
	fields out >actual &&
	echo "max2 src/vec.c 34 38" >expect &&
	test_cmp expect actual
'

test_expect_success 'a fresh repository: --rev pesq/best reads HEAD, and says so' '
	echo "{\"fn\":\"max2\"}" >in &&
	pesq-deps -C c --rev pesq/best in >out 2>err &&
	jq -r ".def.rev" out >actual &&
	git -C c rev-parse HEAD >expect &&
	test_cmp expect actual &&
	test_grep "^pesq-deps: no branch pesq/best yet: the sources are read at HEAD$" err &&
	pesq-deps -q -C c --rev refs/heads/pesq/best in >out 2>err &&
	test_must_be_empty err
'

test_expect_success 'once pesq/best exists, it is the default' '
	git -C c branch pesq/best first &&
	pesq-deps -C c in >out 2>err &&
	jq -r ".def.rev" out >actual &&
	git -C c rev-parse first >expect &&
	test_cmp expect actual &&
	pesq-deps -C c --rev HEAD in >out &&
	jq -r ".def.rev" out >actual &&
	git -C c rev-parse HEAD >expect &&
	test_cmp expect actual &&
	git -C c branch -D pesq/best >/dev/null
'

test_done
