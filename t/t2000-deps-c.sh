#!/bin/sh
test_description='pesq-deps on C: definitions, types, callees, callers, globals, macros'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_done
fi

test_expect_success 'setup' '
	deps_repo c
'

test_expect_success 'empty input gives empty output' '
	pesq-deps -C c </dev/null >out &&
	test_must_be_empty out
'

test_expect_success 'a function defined in a .c file' '
	echo "{\"fn\":\"vec_push\",\"keep\":[1, 2]}" >in &&
	pesq-deps -C c in >out &&
	jq -r ".def.file, .def.line, .def.end_line, .def.signature" out >actual &&
	cat >expect <<-\EOT &&
	src/vec.c
	23
	32
	int
	vec_push(vec_t *x, scalar_t s)
	EOT
	test_cmp expect actual &&
	grep -F "\"keep\":[1, 2]," out
'

test_expect_success 'def.code is exactly the bytes between the offsets' '
	jq -r ".def.code" out >code &&
	start=$(jq .def.start out) && end=$(jq .def.end out) &&
	tail -c +$((start + 1)) c/src/vec.c | head -c $((end - start)) >bytes &&
	echo >>bytes &&
	test_cmp bytes code
'

test_expect_success 'blob and rev name the committed file' '
	jq -r ".def.blob, .def.rev" out >actual &&
	git -C c rev-parse HEAD:src/vec.c HEAD >expect &&
	test_cmp expect actual
'

test_expect_success 'types are followed through typedefs' '
	jq -r ".ctx.types[] | .name" out | sort >actual &&
	printf "%s\n" real scalar_t vec vec_t >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.types[] | select(.name == \"vec\") | .code" out >actual &&
	sed -n "/^struct vec {/,/^};/p" c/include/vec.h >expect &&
	test_cmp expect actual
'

test_expect_success 'globals it reads and writes, with declarations' '
	jq -r ".ctx.globals[] | \"\(.name) \(.file) \(.code)\"" out >actual &&
	cat >expect <<-\EOT &&
	vec_calls src/vec.c int vec_calls;
	pushes src/vec.c static int pushes;
	EOT
	test_cmp expect actual
'

test_expect_success 'a static callee comes with its code' '
	jq -r ".ctx.callees[] | \"\(.name) \(.how) \(.body)\"" out >actual &&
	echo "grow call true" >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.callees[0].code" out >actual &&
	sed -n "/^__attribute__/,/^}/p" c/src/vec.c >expect &&
	test_cmp expect actual
'

test_expect_success 'callers across the repository' '
	jq -r ".ctx.callers[] | \"\(.name) \(.file) \(.line)\"" out >actual &&
	echo "main src/main.c 32" >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.callers[0].code" out >actual &&
	sed -n "/^main(/,/^}/p" c/src/main.c >expect1 &&
	{ echo int && cat expect1; } >expect &&
	test_cmp expect actual
'

test_expect_success 'attributes start the extent, the comment before does not' '
	echo "{\"fn\":\"grow\"}" | pesq-deps -C c >out &&
	jq -r ".def.code" out | head -n 2 >actual &&
	cat >expect <<-\EOT &&
	__attribute__((noinline)) static int
	grow(vec_t *x)
	EOT
	test_cmp expect actual &&
	start=$(jq .def.start out) &&
	head -c $start c/src/vec.c | tail -n 1 >before &&
	echo "/* grow the storage; a comment that is not part of the function */" >expect &&
	test_cmp expect before
'

test_expect_success 'macros it expands, with definitions' '
	jq -r ".ctx.macros[] | .code" out >actual &&
	echo "#define VEC_GROW(n) ((n) < VEC_MIN ? VEC_MIN : (n) * 2)" >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.callees[] | \"\(.name) \(.body) \(.code)\"" out >actual &&
	test_grep "^realloc false .*realloc(void \*" actual
'

test_expect_success 'enums, static inline callees from headers' '
	echo "{\"fn\":\"vec_reduce\"}" | pesq-deps -C c >out &&
	jq -r ".ctx.types[] | .name" out | sort >actual &&
	printf "%s\n" mode real scalar_t vec vec_t >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.callees[] | \"\(.name) \(.file) \(.body)\"" out >actual &&
	cat >expect <<-\EOT &&
	vec_len include/vec.h true
	max2 src/vec.c true
	EOT
	test_cmp expect actual
'

test_expect_success 'a static inline function defined in a header' '
	echo "{\"fn\":\"vec_len\"}" | pesq-deps -C c >out &&
	jq -r ".def.file, .def.signature, .ctx.tu" out >actual &&
	cat >expect <<-\EOT &&
	include/vec.h
	static inline size_t
	vec_len(const vec_t *x)
	src/vec.c
	EOT
	test_cmp expect actual
'

test_expect_success 'function pointers: indirect calls and the address taken' '
	echo "{\"fn\":\"vec_fold\"}" | pesq-deps -C c >out &&
	jq -r ".ctx.callees[] | \"\(.name) \(.how) \(.code)\"" out >actual &&
	echo "ops::combine indirect scalar_t (*combine)(scalar_t, scalar_t);" >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.types[] | .name" out | sort >actual &&
	printf "%s\n" ops real scalar_t vec vec_t >expect &&
	test_cmp expect actual &&
	echo "{\"fn\":\"main\"}" | pesq-deps -C c >out &&
	jq -r ".ctx.callees[] | select(.how == \"ref\") | \"\(.name) \(.body)\"" out >actual &&
	echo "cmp_real true" >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.globals[] | .code" out >actual &&
	echo "static const struct ops sum_ops = { add, \"sum\" };" >expect &&
	test_cmp expect actual
'

test_expect_success 'static duplicates: ambiguous without a chain' '
	echo "{\"fn\":\"helper\"}" | pesq-deps -C c >out &&
	jq -c .error out >actual &&
	echo "{\"stage\":\"deps\",\"msg\":\"'"'"'helper'"'"' is ambiguous: defined in src/a.c:4, src/b.c:3\"}" >expect &&
	test_cmp expect actual
'

test_expect_success 'static duplicates: the file defining the caller wins' '
	cat >in <<-\EOT &&
	{"fn":"helper","hot":{"chain":["main","b_entry","helper"]}}
	{"fn":"helper","hot":{"chain":"main;a_entry;helper"}}
	{"fn":"helper.isra.0","hot":{"callers":[{"fn":"b_entry","count":3}]}}
	EOT
	pesq-deps -C c in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	helper src/b.c 3 3
	helper src/a.c 4 8
	helper.isra.0 src/b.c 3 3
	EOT
	test_cmp expect actual &&
	jq -r ".ctx.callers[] | .name" out >actual &&
	printf "%s\n" b_entry a_entry b_entry >expect &&
	test_cmp expect actual
'

test_expect_success 'a parent record gets its child in full' '
	echo "{\"fn\":\"vec_push\",\"role\":\"parent\",\"child\":\"grow\"}" >in &&
	pesq-deps -C c --callee-limit 10 in >out &&
	jq -r ".ctx.callees[] | \"\(.name) \(.body) \(.child)\"" out >actual &&
	echo "grow true true" >expect &&
	test_cmp expect actual &&
	echo "{\"fn\":\"main\",\"role\":\"parent\",\"child\":\"vec_push\"}" >in &&
	pesq-deps -C c in >out &&
	jq -r ".ctx.callees[] | select(.child) | .code" out >actual &&
	sed -n "/^vec_push(/,/^}/p" c/src/vec.c >body &&
	{ echo int && cat body; } >expect &&
	test_cmp expect actual
'

test_expect_success 'no definition: an error, or dropped with --drop-missing' '
	printf "%s\n" "{\"fn\":\"memcpy\"}" "{\"fn\":\"vec_push\"}" >in &&
	pesq-deps -C c in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	memcpy error: '"'"'memcpy'"'"' has no definition in the repository
	vec_push src/vec.c 23 32
	EOT
	test_cmp expect actual &&
	pesq-deps -C c --drop-missing in >out &&
	fields out >actual &&
	echo "vec_push src/vec.c 23 32" >expect &&
	test_cmp expect actual
'

test_expect_success 'records with error pass through untouched; no fn is an error' '
	cat >in <<-\EOT &&
	{"fn":"vec_push", "error":{"stage":"hot","msg":"x"}}
	{"nofn":1}
	EOT
	pesq-deps -C c in >out &&
	head -n 1 in >expect &&
	head -n 1 out >actual &&
	test_cmp expect actual &&
	tail -n 1 out >actual &&
	echo "{\"nofn\":1,\"error\":{\"stage\":\"deps\",\"msg\":\"record has no '"'"'fn'"'"'\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'invalid lines are reported and skipped, exit 1' '
	printf "%s\n" "{\"fn\":\"vec_push\"}" "not json" >in &&
	test_expect_code 1 pesq-deps -C c in >out 2>err &&
	test_line_count = 1 out &&
	test_grep "^pesq-deps: in:2: " err
'

test_expect_success 'a binary file (perf.data): one message, exit 1' '
	{ printf "PERFILE2\0\0\0h\n" && printf "x\n%.0s" 1 2 3 4 5; } >perf.data &&
	test_expect_code 1 pesq-deps -C c perf.data >out 2>err &&
	test_must_be_empty out &&
	echo "pesq-deps: perf.data:1: binary data (a NUL byte), not JSON lines: rest of input skipped" >expect &&
	test_cmp expect err
'

test_expect_success 'folded stacks or perf script text: one message with a hint' '
	printf "main;vec_push 10\nmain;f 3\n" >folded &&
	test_expect_code 1 pesq-deps -C c folded >out 2>err &&
	test_must_be_empty out &&
	echo "pesq-deps: folded:1: folded stacks (pesq-hot makes records of them), not JSON lines: rest of input skipped" >expect &&
	test_cmp expect err &&
	printf "prog 42 1.5: 250000 cpu-clock:\n\t1 f (/x)\n" >perf.txt &&
	test_expect_code 1 pesq-deps -C c perf.txt >out 2>err &&
	test_line_count = 1 err &&
	test_grep "perf.txt:1: .perf script. output (fold it with pesq-fold, then pesq-hot)" err
'

test_expect_success 'standard input is named <stdin>, also as -' '
	echo "not json" >bad &&
	test_expect_code 1 pesq-deps -C c - <bad >out 2>err &&
	test_grep "^pesq-deps: <stdin>:1: " err &&
	test_expect_code 3 pesq-deps -C c no-such-file >out 2>err &&
	test_grep "^pesq-deps: cannot open .no-such-file.: " err
'

test_expect_success 'no repository, unknown revision: exit 3' '
	mkdir norepo &&
	GIT_CEILING_DIRECTORIES=$(pwd) && export GIT_CEILING_DIRECTORIES &&
	echo "{\"fn\":\"f\"}" >in &&
	test_expect_code 3 pesq-deps -C norepo in >out 2>err &&
	test_grep "not a git repository" err &&
	test_expect_code 3 pesq-deps -C c --rev nosuch in >out 2>err &&
	test_grep "unknown revision '"'"'nosuch'"'"'" err
'

test_expect_success 'a repository without commits: exit 3, saying so' '
	git init -q unborn &&
	test_expect_code 3 pesq-deps -C unborn in >out 2>err &&
	test_must_be_empty out &&
	test_grep "^pesq-deps: no commit yet in .*unborn/.: the sources are read from a commit (HEAD)$" err
'

test_expect_success 'a --build-dir without compile_commands.json: exit 3' '
	mkdir nodb &&
	test_expect_code 3 pesq-deps -C c -p nodb in >out 2>err &&
	test_must_be_empty out &&
	echo "pesq-deps: no compile_commands.json that libclang can read in '"'"'nodb'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'bad numbers are usage errors' '
	test_expect_code 2 pesq-deps --max-callers x </dev/null >out 2>err &&
	test_must_be_empty out &&
	test_grep "invalid count" err
'

test_expect_success 'flags are guessed without compile_commands.json' '
	echo "{\"fn\":\"vec_push\"}" | pesq-deps -C c >out &&
	jq -r ".ctx.flags_guessed, (.ctx.flags | join(\" \"))" out >actual &&
	root=$(cd c && pwd -P) &&
	cat >expect <<-EOT &&
	true
	-x c -std=gnu11 -I$root/include -ferror-limit=0 -w
	EOT
	test_cmp expect actual
'

test_expect_success 'setup: recursion, anonymous types, local types' '
	mkdir r &&
	cat >r/rec.c <<-\EOT &&
	enum { LIMIT = 9 };

	struct {
		int depth;
		long calls;
	} g;

	static long
	walk(int n)
	{
	#define STEP 2
		struct pair { int a, b; } p = { n, STEP };

		g.calls++;
		if (n > LIMIT || n <= 0)
			return p.a;
		return walk(n - p.b) + walk(n - 1);
	}

	long
	run(void)
	{
		return walk(8);
	}
	EOT
	(cd r && git init -q && git add . && git commit -q -m r)
'

test_expect_success 'a recursive function is not its own callee' '
	echo "{\"fn\":\"walk\"}" >in &&
	pesq-deps -C r in >out &&
	jq -r ".ctx.callees | length" out >actual &&
	echo 0 >expect &&
	test_cmp expect actual
'

test_expect_success 'an anonymous enum is named for what it is' '
	jq -r ".ctx.types[] | \"\(.name) \(.line): \(.code)\"" out >actual &&
	echo "enum (anonymous) 1: enum { LIMIT = 9 };" >expect &&
	test_cmp expect actual
'

test_expect_success 'the anonymous struct of a global is shown once, with it' '
	jq -r ".ctx.globals[] | .name" out >actual &&
	echo g >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.globals[0].code" out >actual &&
	sed -n "3,6p" r/rec.c >expect &&
	test_cmp expect actual
'

test_expect_success 'types and macros written inside the function are not repeated' '
	jq -r ".ctx.macros | length" out >actual &&
	echo 0 >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.types[].name" out >actual &&
	test_grep -v pair actual
'

test_done
