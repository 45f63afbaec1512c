#!/bin/sh
test_description='git pesq profile and run: inlined functions, call graphs, hot lines, binaries, paths with spaces

The sample project (t/fixtures/sample, built by clang with -O2 -g, which
inlines same() into table_find()) in repositories whose paths have
spaces, profiled with perf where perf works; the model is fake-llm.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

# code FN: the canned reply of the sample for FN, as code.
code() {
	sed -n "/^\`\`\`c\$/,/^\`\`\`\$/p" \
		"$SRC_ROOT/t/fixtures/sample/pesq/replies/$1.txt" | sed "1d;\$d"
}

test_expect_success 'setup' '
	cat >stacks.folded <<-\EOF &&
	wordfreq;main;count_file;count_word;table_find 9000
	wordfreq;main;count_file 200
	EOF
	code count_word >parent-fast.c &&
	printf "long\ntable_find(const struct table *t, const char *w)\n{\n\treturn t == NULL && w == NULL ? 0 : -1;\n}\n" >child-wrong.c
'

test_expect_success 'the loop in a repository whose path has spaces' '
	new_repo "a dir/my repo" &&
	{
		reply "Task: make \`count_word\`" parent-fast.c &&
		reply "Task: make the function \`table_find\`" child-wrong.c
	} >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd "a dir/my repo" &&
		git pesq run -n 1 -a 0 -S ../../stacks.folded >../../out 2>../../err
	) &&
	grep "^count_word  *parent  *1  accepted" out &&
	grep "^table_find  *leaf  *1  output-differs" out &&
	git -C "a dir/my repo" notes --ref=pesq show pesq/count_word/1 >note &&
	jq -s -e "map(select(.event == \"verdict\"))[0].verdict == \"accepted\"" note
'

test_expect_success PERF 'git pesq profile in a path with spaces: inlined functions, lines, binaries' '
	new_repo "b dir/my repo" &&
	(
		cd "b dir/my repo" &&
		git pesq profile -o ../../inl.folded 2>../../err
	) &&
	logs="b dir/my repo/.git/pesq/profile-logs" &&
	grep ";count_word;table_find;same_\[i\] [0-9]*\$" inl.folded &&
	pesq-hot -n 1 inl.folded >hot &&
	jq -r .fn hot >fn &&
	echo same >expect &&
	test_cmp expect fn &&
	echo "$(pwd)/b dir/my repo/.git/pesq/profile/wordfreq" >expect &&
	test_cmp expect "$logs/binaries" &&
	jq -s -e "map(select(.fn == \"same\")) | length > 0 and all(.file == \"table.c\")" \
		"$logs/lines.jsonl" &&
	b=$(grep -n "^same(" "b dir/my repo/table.c" | cut -d: -f1) &&
	jq -s -e --argjson b "$b" "map(select(.fn == \"same\"))[0].line | . > \$b and . < \$b + 9" \
		"$logs/lines.jsonl"
'

test_expect_success PERF '--no-inline (pesq.inline false): the caller keeps the time' '
	(
		cd "b dir/my repo" &&
		git pesq profile --no-inline -o ../../plain.folded 2>../../err &&
		git config pesq.inline false &&
		git pesq profile -o ../../plain2.folded 2>../../err
	) &&
	test_grep ! "_\[i\]" plain.folded &&
	test_grep ! "_\[i\]" plain2.folded &&
	grep ";count_word;table_find [0-9]*\$" plain.folded &&
	git -C "b dir/my repo" config --unset pesq.inline
'

test_expect_success PERF 'pesq.callGraph dwarf records with --call-graph dwarf' '
	(
		cd "b dir/my repo" &&
		git config pesq.callGraph dwarf &&
		git pesq profile -v -o ../../dwarf.folded 2>../../err
	) &&
	test_grep "profile: perf record --call-graph=dwarf -- ./bench.sh" err &&
	grep ";main;count_file;.*table_find;same_\[i\] [0-9]*\$" dwarf.folded &&
	test_expect_code 2 git -C "b dir/my repo" pesq profile \
		--call-graph frames 2>err &&
	test_grep "callGraph. takes fp, dwarf (or dwarf,SIZE) or lbr, not .frames." err &&
	git -C "b dir/my repo" config --unset pesq.callGraph
'

test_expect_success PERF 'a build without frame pointers: the profile says so, and how to fix it' '
	new_repo nofp &&
	(
		cd nofp &&
		git config pesq.build "make CC=gcc CFLAGS=\"-O2 -g -fomit-frame-pointer -fno-inline\" BENCH_WORDS=20000" &&
		git pesq profile -o ../nofp.folded 2>../err
	) &&
	test_grep "pesq-fold: [0-9]*% of the samples have call chains cut short" err &&
	test_grep "git config pesq.callGraph dwarf" err &&
	(
		cd nofp &&
		git pesq profile --call-graph dwarf -o ../dwarf.folded 2>../err
	) &&
	test_grep ! "call chains cut short" err &&
	grep ";count_word;table_find [0-9]*\$" dwarf.folded
'

test_expect_success PERF 'no symbols at all: no target, and the reason' '
	new_repo stripped &&
	(
		cd stripped &&
		git config pesq.build "make BENCH_WORDS=20000 && strip wordfreq" &&
		git pesq run -n 1 >../out 2>../err
	) &&
	test_grep "wordfreq.: [0-9.]*% of the samples end in one of its [0-9]* addresses left without a name: the file is stripped" err &&
	test_grep "no hot function found in the profile; its hottest frames:" err &&
	test_grep "% \[wordfreq\]: no name" err
'

test_expect_success PERF 'the profile uses no build-id cache of perf' '
	find "$HOME/.debug" -name "*wordfreq*" >cached 2>/dev/null;
	test_must_be_empty cached
'

test_expect_success PERF 'the whole loop, profiled, in a path with spaces' '
	new_repo "c dir/my repo" &&
	code table_find >table-find-fast.c &&
	code same >same-fast.c &&
	{
		reply "Task: make \`table_find\`" table-find-fast.c &&
		reply "Task: make the function \`same\`" same-fast.c
	} >script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd "c dir/my repo" &&
		git pesq run -n 1 >../../out 2>../../err
	) &&
	grep "^table_find  *parent  *1  " out &&
	grep "^same  *leaf  *1  " out &&
	run="c dir/my repo/.git/pesq/run" &&
	jq -s -e "map(select(.fn == \"same\"))[0].hot | (.inlined_into == [\"table_find\"]) and (.lines[0].file == \"table.c\")" \
		"$run/targets.jsonl" &&
	test_path_is_file "$run/binaries"
'

test_done
