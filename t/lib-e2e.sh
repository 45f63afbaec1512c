# Helpers for the end-to-end tests of git pesq with the real filters and
# the fake provider. Source after test-lib.sh. Skips the whole script
# when a filter, jq or clang (which the sample builds with) is missing.

for p in pesq-fold pesq-hot pesq-deps pesq-prompt pesq-llm pesq-apply \
    pesq-bench fake-llm
do
	if ! command -v $p >/dev/null 2>&1; then
		skip_all="'$p' is not built yet"
		test_done
	fi
done
test_have_prereq JQ || { skip_all='jq is missing'; test_done; }
command -v clang >/dev/null || { skip_all='clang is missing'; test_done; }

# Retry without waiting.
PESQ_LLM_BACKOFF_MS=1
export PESQ_LLM_BACKOFF_MS

# start_fake SCRIPT: fake-llm on a free port, answering from SCRIPT, and
# OPENAI_BASE_URL and OPENAI_API_KEY pointing pesq-llm at it.
start_fake() {
	rm -f fake.port fake.pid fake.log &&
	fake-llm --daemon --idle 120 --port-file fake.port --pid-file fake.pid \
		--script "$1" --log fake.log &&
	OPENAI_BASE_URL=http://127.0.0.1:$(cat fake.port) &&
	OPENAI_API_KEY=sk-test &&
	export OPENAI_BASE_URL OPENAI_API_KEY
}

# sample_repo DIR: the sample project (t/fixtures/sample) committed in a
# new repository DIR (made with its parents; any path), with a build and
# a bench command for a quick run, and without the checks of
# pesq-check(5).
sample_repo() {
	rm -rf "$1" &&
	mkdir -p "$1" &&
	(cd "$SRC_ROOT/t/fixtures/sample" && tar cf - --exclude=./pesq \
	    --exclude='*.o' --exclude=wordfreq --exclude=blocksum --exclude=gentext \
	    --exclude=bench.txt .) | (cd "$1" && tar xf -) &&
	(
		cd "$1" &&
		git init -q &&
		git add . &&
		git commit -q -m "wordfreq" &&
		git config pesq.build "make BENCH_WORDS=20000" &&
		git config pesq.bench ./bench.sh &&
		# the loop alone: t5004 and t9020 test the checks
		git config pesq.sanitize false &&
		git config pesq.differential false
	)
}

# sample_replies: the code of the sample's canned replies, parent-fast.c
# (count_word) and child-fast.c (table_find), and the folded stacks of
# the sample, stacks.folded, in the current directory.
sample_replies() {
	cat >stacks.folded <<-\EOF &&
	wordfreq;main;count_file;count_word;table_find 9000
	wordfreq;main;count_file 200
	EOF
	sed -n "/^\`\`\`c\$/,/^\`\`\`\$/p" \
		"$SRC_ROOT/t/fixtures/sample/pesq/replies/count_word.txt" |
		sed "1d;\$d" >parent-fast.c &&
	sed -n "/^\`\`\`c\$/,/^\`\`\`\$/p" \
		"$SRC_ROOT/t/fixtures/sample/pesq/replies/table_find.txt" |
		sed "1d;\$d" >child-fast.c
}

stop_fake() {
	kill "$(cat fake.pid)" 2>/dev/null
	:
}

# start_fake_in_test SCRIPT: start_fake SCRIPT, from within a test, and
# stop_fake when that test ends.
start_fake_in_test() {
	start_fake "$1" &&
	test_when_finished stop_fake
}

# reply FN-MATCH FILE [EXTRA]: a script entry answering requests whose body
# holds FN-MATCH with the code in FILE (EXTRA: more members, as JSON).
reply() {
	jq -nc --arg m "$1" --rawfile code "$2" --argjson extra "${3:-{\}}" \
		'{match: $m, reply: ("```c\n" + $code + "```\nSummary: from the test\n")} + $extra'
}

# new_repo DIR: sample_repo DIR with the fake provider's settings.
new_repo() {
	sample_repo "$1" &&
	git -C "$1" config pesq.provider openai &&
	git -C "$1" config pesq.model fake
}

# LIBFUZZER: clang builds libFuzzer programs (libclang-rt-14-dev).
test_lazy_prereq LIBFUZZER '
	printf "%s\n" "#include <stdint.h>" "#include <stddef.h>" \
	    "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)" \
	    "{ return 0; }" >f.c &&
	clang -fsanitize=fuzzer,address,undefined f.c -o f
'

# need_libfuzzer: skip the whole script unless clang builds libFuzzer
# programs.
need_libfuzzer() {
	test_have_prereq LIBFUZZER || {
		skip_all='clang cannot build libFuzzer programs (libclang-rt-14-dev)'
		test_done
	}
}
