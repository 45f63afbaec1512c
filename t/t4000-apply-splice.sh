#!/bin/sh
test_description='pesq-apply: splice, commit, branch, note; guards; the user tree untouched'
. ./test-lib.sh
. "$TEST_DIRECTORY"/apply-lib.sh

test_expect_success 'setup: the fixture, a dirty working tree' '
	apply_setup r &&
	(cd r && test-apply-rec sum sum.c ../good.c "unroll by two") >in &&
	echo "/* edited */" >>r/main.c &&
	echo "int staged;" >>r/other.c &&
	git -C r add other.c &&
	echo junk >r/untracked.txt &&
	snapshot r before &&
	git -C r rev-parse HEAD >base
'

test_expect_success 'empty input gives empty output' '
	pesq-apply -C r </dev/null >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success 'apply: a branch with one commit touching only the function' '
	pesq-apply -C r --build true <in >out 2>err &&
	test_must_be_empty err &&
	git -C r rev-parse pesq/sum/1 >commit &&
	git -C r rev-parse pesq/sum/1~1 >actual &&
	test_cmp base actual &&
	git -C r diff --name-only main pesq/sum/1 >actual &&
	echo sum.c >expect &&
	test_cmp expect actual &&
	head -n 3 r/sum.c >expect &&
	cat good.c >>expect &&
	sed -n "14,\$p" r/sum.c >>expect &&
	git -C r show pesq/sum/1:sum.c >actual &&
	test_cmp expect actual &&
	git -C r diff -U0 main pesq/sum/1 >diff &&
	grep "^@@" diff >hunks &&
	cat >expect <<-\EOF &&
	@@ -7,2 +7,2 @@ sum(const int *v, int n)
	@@ -10,3 +10,7 @@ sum(const int *v, int n)
	EOF
	test_cmp expect hunks
'

test_expect_success 'the commit message and trailers' '
	git -C r log -1 --format=%B pesq/sum/1 >actual &&
	cat >expect <<-\EOF &&
	pesq: sum: unroll by two

	Pesq-Attempt: sum/1
	Pesq-Model: fake
	Pesq-Prompt: p-1

	EOF
	test_cmp expect actual
'

test_expect_success 'the output record: input fields, attempt, build' '
	printf "%s" "$(sed "s/}\$//" in)" >expect &&
	printf ",\"attempt\":{\"id\":\"sum/1\",\"branch\":\"pesq/sum/1\",\"base\":\"%s\",\"commit\":\"%s\",\"n_corrections\":0},\"build\":{\"ok\":true,\"ms\":" \
		"$(cat base)" "$(cat commit)" >>expect &&
	test_line_count = 1 out &&
	head -c $(wc -c <expect) out >actual &&
	test_cmp expect actual &&
	test_grep "\"log\":\"\"}}\$" out
'

test_expect_success 'the note holds an apply and a build line' '
	git -C r notes --ref=pesq show pesq/sum/1 >note &&
	test_line_count = 2 note &&
	cat >expect <<-EOF &&
	{"event":"apply","attempt":"sum/1","time":1700000000,"fn":"sum","file":"sum.c","base":"$(cat base)","parent":"$(cat base)","n_corrections":0,"model":"fake","prompt":"p-1"}
	EOF
	head -n 1 note >actual &&
	test_cmp expect actual &&
	sed -n 2p note >actual &&
	test_grep "^{\"event\":\"build\",\"attempt\":\"sum/1\",\"time\":1700000000,\"ok\":true,\"ms\":[0-9]*,\"cmd\":\"true\",\"slot\":\"slot-0\",\"log\":\"\",\"sandbox\":[a-z]*}\$" actual
'

test_expect_success 'the next attempt on the same function gets n=2' '
	test_tick &&
	pesq-apply -C r --build true <in >out2 &&
	test_grep "\"id\":\"sum/2\",\"branch\":\"pesq/sum/2\"" out2 &&
	git -C r rev-parse pesq/sum/2~1 >actual &&
	test_cmp base actual
'

test_expect_success 'pesq/best is the default base; --base overrides it' '
	git -C r branch pesq/best HEAD &&
	test_tick &&
	pesq-apply -C r --build true <in >out3 &&
	test_grep "\"base\":\"$(cat base)\"" out3 &&
	tree=$(git -C r rev-parse HEAD^{tree}) &&
	c=$(echo other | git -C r commit-tree -p HEAD $tree) &&
	git -C r update-ref refs/heads/pesq/best $c &&
	pesq-apply -C r --build true <in >out4 &&
	test_grep "\"base\":\"$c\"" out4 &&
	pesq-apply -C r --build true --base main <in >out5 &&
	test_grep "\"base\":\"$(cat base)\"" out5 &&
	git -C r update-ref -d refs/heads/pesq/best
'

test_expect_success 'a changed file is refused and nothing is written' '
	blob=$(printf "long sum(const int *v, int n) { return 0; }\n" |
		git -C r hash-object -w --stdin) &&
	tree=$(git -C r ls-tree main | sed "s/[0-9a-f]*\tsum.c\$/$blob\tsum.c/" |
		git -C r mktree) &&
	c=$(echo changed | git -C r commit-tree -p main $tree) &&
	pesq_refs r >refs-before &&
	pesq-apply -C r --build true --base $c <in >out 2>err &&
	test_grep "\"error\":{\"stage\":\"apply\",\"msg\":\"'"'"'sum.c'"'"' changed since pesq-deps read it\"}" out &&
	test_grep "sum.c.* changed since pesq-deps read it" err &&
	pesq_refs r >refs-after &&
	test_cmp refs-before refs-after
'

bad_candidate() {
	(cd r && test-apply-rec sum sum.c ../cand) >bin &&
	pesq_refs r >refs-before &&
	pesq-apply -C r --build true <bin >bout 2>berr &&
	test_line_count = 1 bout &&
	test_grep "\"error\":{\"stage\":\"apply\",\"msg\":\"$1" bout &&
	pesq_refs r >refs-after &&
	test_cmp refs-before refs-after
}

test_expect_success 'guard: empty candidate' '
	printf "  \n\n" >cand &&
	bad_candidate "empty candidate"
'

test_expect_success 'guard: a whole file pasted back' '
	cp r/sum.c cand &&
	bad_candidate "candidate includes \\\\\"util.h\\\\\" (line 1 of the reply): only system headers"
'

test_expect_success 'guard: another function after the target' '
	cat good.c other-good.c >cand &&
	bad_candidate "candidate has .other. (line 16 of the reply) after the body of .sum.: new items go before it"
'

test_expect_success 'guard: the candidate defines another function' '
	cp other-good.c cand &&
	bad_candidate "candidate does not define .sum. (it defines .other.)"
'

test_expect_success 'guard: a cut-off body' '
	sed "\$d" good.c >cand &&
	bad_candidate "candidate body of .sum. has unbalanced braces"
'

test_expect_success 'guard: still in a Markdown fence' '
	{ echo "\`\`\`c" && cat good.c && echo "\`\`\`"; } >cand &&
	bad_candidate "candidate has .\`. (line 1 of the reply): a Markdown fence is not code"
'

test_expect_success 'guard: a non-static variable before the function' '
	{ echo "int helper;" && cat good.c; } >cand &&
	bad_candidate "candidate adds a non-static variable .helper. (line 1 of the reply): new variables must be static"
'

test_expect_success 'guard: unchanged code' '
	sed -n "4,13p" r/sum.c >cand &&
	bad_candidate "candidate does not change .sum."
'

test_expect_success 'guard: braces and comments inside literals do not count' '
	cat >cand <<-\EOF &&
	/* sum; fast { */
	long
	sum(const int *v, int n) // }
	{
		const char *s = "}{;#", c = '"'"'}'"'"';

		(void)s; (void)c;
		return n ? v[0] + sum(v + 1, n - 1) : 0; /* } */
	}
	/* trailing comment */
	EOF
	(cd r && test-apply-rec sum sum.c ../cand) >bin &&
	pesq-apply -C r --build true <bin >bout &&
	test_grep "\"attempt\":{\"id\":\"sum/" bout
'

test_expect_success 'a changed signature is refused unless allowed' '
	sed "s/^sum(const int \*v, int n)/sum(const int *restrict v, int n)/" good.c >cand &&
	bad_candidate "candidate changes the signature of .sum." &&
	pesq-apply -C r --build true --allow-signature-change <bin >bout &&
	test_grep "\"attempt\":{\"id\":\"sum/" bout
'

test_expect_success 'blanks in a signature do not make it change' '
	sed "s/^sum(const int \*v, int n)/sum( const int*  v,int n )/" good.c >cand &&
	(cd r && test-apply-rec sum sum.c ../cand) >bin &&
	pesq-apply -C r --build true <bin >bout &&
	test_grep "\"attempt\":{\"id\":\"sum/" bout
'

test_expect_success 'missing fields are reported' '
	echo "{\"fn\":\"sum\",\"candidate\":{\"code\":\"x\"}}" >bin &&
	pesq-apply -C r --build true <bin >bout 2>berr &&
	test_grep "\"msg\":\"missing .def.file.\"" bout &&
	test_grep "^pesq-apply: <stdin>:1: missing .def.file.\$" berr
'

test_expect_success 'records with error pass untouched; invalid lines exit 1' '
	echo "{\"fn\":\"sum\", \"error\":{\"stage\":\"llm\",\"msg\":\"x\"}}" >e &&
	{ cat e && echo "{not json" && cat e; } >bin &&
	test_expect_code 1 pesq-apply -C r <bin >bout 2>berr &&
	cat e e >expect &&
	test_cmp expect bout &&
	test_grep "^pesq-apply: <stdin>:2: " berr
'

test_expect_success 'function names that are not ref components are encoded' '
	sed "s/\"fn\":\"sum\"/\"fn\":\"ns::sum\"/" in >bin &&
	pesq-apply -C r --build true <bin >bout &&
	test_grep "\"attempt\":{\"id\":\"ns::sum/1\",\"branch\":\"pesq/ns%3A%3Asum/1\"" bout &&
	git -C r log -1 --format=%s "pesq/ns%3A%3Asum/1" >actual &&
	echo "pesq: ns::sum: unroll by two" >expect &&
	test_cmp expect actual
'

test_expect_success '--ref-name: the branch prefix, the same as the branch made' '
	pesq-apply --ref-name ns::sum >actual &&
	echo "pesq/ns%3A%3Asum" >expect &&
	test_cmp expect actual &&
	git -C r rev-parse -q --verify "$(cat actual)/1" &&
	for fn in "ns::Tbl<int>::find" "operator()" ".a..b.lock" f.isra.0 "50%"
	do
		pesq-apply --ref-name "$fn" || return 1
	done >actual &&
	cat >expect <<-\EOT &&
	pesq/ns%3A%3ATbl%3Cint%3E%3A%3Afind
	pesq/operator%28%29
	pesq/%2Ea.%2Eb%2Elock
	pesq/f.isra.0
	pesq/50%25
	EOT
	test_cmp expect actual &&
	for enc in $(sed "s|^pesq/||" actual)
	do
		git check-ref-format "refs/heads/pesq/$enc/1" || return 1
	done
'

test_expect_success '--ref-name needs no repository; an empty name is refused' '
	mkdir -p none &&
	(cd none && GIT_CEILING_DIRECTORIES=$HOME pesq-apply --ref-name f) >actual &&
	echo pesq/f >expect &&
	test_cmp expect actual &&
	test_expect_code 2 pesq-apply --ref-name "" >out 2>err &&
	test_must_be_empty out &&
	test_grep "invalid function name" err
'

test_expect_success 'not a repository: exit 3' '
	mkdir -p none &&
	GIT_CEILING_DIRECTORIES=$HOME test_expect_code 3 pesq-apply -C none <in 2>err &&
	test_grep "not a git repository" err
'

test_expect_success 'the user tree, index, HEAD and branches are untouched' '
	snapshot r after &&
	test_cmp before after
'

test_done
