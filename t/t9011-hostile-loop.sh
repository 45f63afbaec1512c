#!/bin/sh
test_description='git pesq run with hostile candidates: no key or host file reaches git or the model

The sample project and the fake provider, as in t9002. One candidate
prints the API key it finds in its environment and the .env beside the
repository, then fails the tests; another includes that .env. Neither
key may end up in any git object nor in any request the provider
received.'
. ./test-lib.sh

. "$TEST_DIRECTORY"/lib-e2e.sh

if ! test_have_prereq BWRAP
then
	skip_all='bubblewrap cannot run here'
	test_done
fi

KEY=sk-hostile-env-1234567890abcdef
DOTKEY=sk-hostile-dotenv-fedcba0987654321

# hostile_repo NAME: the sample (new_repo), with its tests, and a .env
# beside it holding a key.
hostile_repo() {
	new_repo "$1" &&
	git -C "$1" config pesq.test "make test" &&
	echo "ANTHROPIC_API_KEY=$DOTKEY" >"$1/.env"
}

# clean NAME: neither key in any object of NAME nor in a request body.
clean() {
	git -C "$1" cat-file --batch-all-objects --batch >objects &&
	test_grep ! "$KEY" objects &&
	test_grep ! "$DOTKEY" objects &&
	jq -c .body fake.log >bodies &&
	test_grep ! "$KEY" bodies &&
	test_grep ! "$DOTKEY" bodies
}

test_expect_success 'setup' '
	cat >stacks.folded <<-\EOF &&
	wordfreq;main;count_file;count_word 5000
	wordfreq;main;count_file;count_word;table_find 4000
	EOF
	cat >leak.c <<-\EOF &&
	void
	count_word(struct table *t, const char *w)
	{
		extern char *getenv(const char *);
		extern int open(const char *, int, ...);
		extern long read(int, void *, unsigned long);
		extern long write(int, const void *, unsigned long);
		extern void exit(int);
		const char *k = getenv("OPENAI_API_KEY");
		char buf[512];
		long n = 0;
		int fd = open("../../../.env", 0);

		write(2, "key:", 4);
		while (k && k[n])
			n++;
		if (k)
			write(2, k, (unsigned long)n);
		if (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
			write(2, buf, (unsigned long)n);
		if (t && w)
			exit(1);
	}
	EOF
	printf "long\ntable_find(const struct table *t, const char *w)\n{\n#include \"../../../.env\"\n\treturn t && w ? -1 : -1;\n}\n" >include.c
'

test_expect_success 'a candidate that prints the keys and fails its tests' '
	hostile_repo r1 &&
	reply "Task: make the function \`count_word\`" leak.c >script &&
	reply "Task: make the function \`table_find\`" include.c >>script &&
	start_fake script &&
	test_when_finished stop_fake &&
	(
		cd r1 &&
		OPENAI_API_KEY=$KEY git pesq run -n 2 --no-chain -a 0 \
			-S ../stacks.folded >../out 2>../err
	) &&
	grep "^count_word .* test-failed" out &&
	clean r1 &&
	git -C r1 notes --ref=pesq list >notes &&
	test_line_count -gt 0 notes
'

test_expect_success 'the candidate that includes .env is refused, and says where' '
	grep -r "candidate refused: line 4: #include of .../../../.env" \
		r1/.git/pesq/run/ >/dev/null ||
	grep -r "candidate refused: line 4" err
'

# The profile's build and bench run in the sandbox, perf outside it.
test_expect_success PERF 'git pesq profile: the bench profiled in the sandbox, its processes alone' '
	new_repo r2 &&
	(cd r2 && git pesq profile -o ../folded 2>../err) &&
	cut -d";" -f1 folded | sort -u >comms &&
	test_grep "^wordfreq$" comms &&
	test_grep ! bwrap comms &&
	test_grep ! "pesq-" comms &&
	test_path_is_file r2/.git/pesq/profile.manifest
'

test_done
