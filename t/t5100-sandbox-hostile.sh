#!/bin/sh
test_description='hostile candidates: what a build, a test or a benchmark can reach

Each test plays a candidate that attacks pesq from inside the commands
pesq-apply and pesq-bench run on it (issue 20): planting files in its
slot for the next build, printing keys, including files of the machine,
reaching host sockets, leaving daemons, filling the disk, using the
descriptors it inherits.'
. ./test-lib.sh
. "$TEST_DIRECTORY"/apply-lib.sh

if ! test_have_prereq BWRAP
then
	skip_all='bubblewrap cannot run here'
	test_done
fi
test_have_prereq CC || { skip_all='no C compiler'; test_done; }
test_have_prereq JQ || { skip_all='jq is missing'; test_done; }

SLOT=$HOME/r/.git/pesq/slot-0
TMPDIR_OUT=/tmp/pesq-t5100.$$

bench() {
	pesq-bench -C r -q --bench ./prog --min-rounds 2 --max-rounds 2 \
		--warmup 0 --timeout 20 "$@"
}

# no_secret WHAT: WHAT is in no git object of r.
no_secret() {
	git -C r cat-file --batch-all-objects --batch >objects &&
	test_grep ! "$1" objects
}

test_expect_success 'setup' '
	apply_setup r &&
	git -C r config pesq.build make &&
	# spin is made visible to the sandbox, read-only
	git config --global pesq.sandbox.readOnly "$PESQ_BIN/t/helper" &&
	mkdir canary &&
	echo top-secret-canary-77 >canary/secret &&
	(cd r && test-apply-rec sum sum.c ../good.c "unroll") >good.in &&
	(cd r && test-apply-rec other other.c ../other-good.c "swap") >other.in &&
	pesq-apply -C r <good.in >good.out &&
	test_grep "\"build\":{\"ok\":true" good.out &&
	ls -a canary >canary.before &&
	mkdir "$TMPDIR_OUT"
'

test_expect_success 'a test run plants a GNUmakefile: the next build in the slot does not run it' '
	cat >plant.sh <<-\EOF &&
	cat >GNUmakefile <<EOM
	x := \$(shell echo ran >planted-ran; echo ran >HOME/escaped)
	include Makefile
	EOM
	EOF
	sed -i "s|HOME|$HOME|" plant.sh &&
	bench --test "$(cat plant.sh)" <good.out >out &&
	jq -r .test.ok out >actual &&
	echo true >expect &&
	test_cmp expect actual &&
	test_path_is_missing "$SLOT/GNUmakefile" &&
	pesq-apply -C r <other.in >other.out &&
	test_grep "\"build\":{\"ok\":true" other.out &&
	test_path_is_missing "$SLOT/planted-ran" &&
	test_path_is_missing "$SLOT/GNUmakefile" &&
	test_path_is_missing "$HOME/escaped"
'

test_expect_success 'a test run that replaces the program: the benchmark runs the one built from the commit' '
	bench --test "printf \"#!/bin/sh\\necho fake\\n\" >prog" <good.out >out &&
	jq -r ".test.ok, .verdict != \"output-differs\", .bench.output" out >actual &&
	printf "true\ntrue\nnull\n" >expect &&
	test_cmp expect actual &&
	./r/.git/pesq/slot-0/prog >prog.out &&
	echo "10 3" >expect &&
	test_cmp expect prog.out
'

test_expect_success 'keys in the environment and in .env reach neither the log nor git' '
	echo "ANTHROPIC_API_KEY=sk-hostile-dotenv-0987654321" >r/.env &&
	for mode in on off
	do
		OPENAI_API_KEY=sk-hostile-env-1234567890 \
		bench --sandbox $mode --test "echo env=\$OPENAI_API_KEY;
			cat ../../../.env; cat \"$HOME/r/.env\"; env; exit 1" \
			<good.out >out.$mode &&
		jq -r ".verdict, .test.log" out.$mode >log.$mode &&
		test_grep "^test-failed" log.$mode &&
		test_grep ! sk-hostile log.$mode || return 1
	done &&
	test_grep "\[redacted\]" log.off &&
	no_secret sk-hostile
'

# refused LINE CODE: sum() with CODE (printf %b) in its body is refused by
# pesq-apply before anything is built, at LINE.
refused() {
	printf "long\nsum(const int *v, int n)\n{\n\tlong s = 0;\n%b\n\tfor (int i = 0; i < n; i++)\n\t\ts += v[i];\n\treturn s;\n}\n" "$2" >hostile.c &&
	(cd r && test-apply-rec sum sum.c ../hostile.c "hostile") >h.in &&
	pesq-apply -C r <h.in >h.out 2>h.err &&
	jq -r ".error.stage, (.error.msg | test(\"^candidate refused: line $1: \"))" h.out >actual &&
	printf "apply\ntrue\n" >expect &&
	test_cmp expect actual &&
	test_grep "candidate refused: line $1" h.err
}

test_expect_success '#include of a file outside the repository and .incbin are refused before the build' '
	git -C r rev-parse --verify -q pesq/sum/1 >tip.before &&
	refused 5 "#include \"$HOME/canary/secret\"" &&
	refused 5 "#include \"../../../.env\"" &&
	refused 5 "#include \"../.env\"" &&
	refused 5 "#include </etc/shadow>" &&
	refused 5 "__asm__(\".incbin \\\\\"$HOME/canary/secret\\\\\"\");" &&
	refused 5 "__asm__(\".inc\" \"bin \\\\\"$HOME/canary/secret\\\\\"\");" &&
	refused 6 "#define S(x) #x\n\t__asm__ volatile (S(.incbin \"$HOME/canary/secret\"));\n#undef S" &&
	refused 5 "??=include \"$HOME/canary/secret\"" &&
	git -C r for-each-ref refs/heads/pesq/sum >refs &&
	test_line_count = 1 refs &&
	no_secret top-secret-canary &&
	no_secret sk-hostile
'

test_expect_success 'a candidate may still include system headers and the repository own' '
	refused_not() {
		printf "long\nsum(const int *v, int n)\n{\n%b\n\tlong s = 0;\n\tfor (int i = 0; i < n; i++)\n\t\ts += v[i];\n\treturn s;\n}\n" "$1" >ok.c &&
		(cd r && test-apply-rec sum sum.c ../ok.c "fine") >ok.in &&
		pesq-apply -C r <ok.in >ok.out &&
		jq -r ".error, .build.ok" ok.out >actual &&
		printf "null\ntrue\n" >expect &&
		test_cmp expect actual
	} &&
	refused_not "#include \"util.h\"" &&
	refused_not "#include <stddef.h>"
'

test_expect_success 'host unix sockets are not reachable, under $GIT_DIR or /tmp' '
	spin --unix "$HOME/r/.git/t5100.sock" --serve gitsock &&
	spin --unix "$TMPDIR_OUT/sock" --serve tmpsock &&
	read port gpid <gitsock &&
	read port tpid <tmpsock &&
	test_when_finished "kill $gpid $tpid" &&
	bench --sandbox off --test "spin --connect \"$HOME/r/.git/t5100.sock\" 0 &&
		spin --connect \"$TMPDIR_OUT/sock\" 0" <good.out >out 2>err &&
	jq -r .test.ok out >actual &&
	echo true >expect &&
	test_cmp expect actual &&
	for s in "$HOME/r/.git/t5100.sock" "$TMPDIR_OUT/sock"
	do
		bench --test "spin --connect \"$s\" 0" <good.out >out &&
		jq -r ".test.ok, .test.log" out >log &&
		test_grep "^false" log &&
		test_grep "connect to" log || return 1
	done
'

# The test command returns once its daemon has left the process group.
test_expect_success 'a daemon (setsid) holding the output: the run ends and nothing is left' '
	bench --test "setsid sh -c \"echo \\\$\\\$ >daemon; exec sleep 29.$$\" &
		while ! [ -s daemon ]; do :; done; echo started" \
		<good.out >out &&
	jq -r .test.ok out >actual &&
	echo true >expect &&
	test_cmp expect actual &&
	! pgrep -f "sleep 29.$$"
'

test_expect_success 'a test that writes without end is stopped at the limits; the slot is cleaned' '
	git -C r config pesq.sandbox.maxFileSize 1m &&
	git -C r config pesq.sandbox.maxDisk 4m &&
	test_when_finished "git -C r config --unset pesq.sandbox.maxFileSize;
		git -C r config --unset pesq.sandbox.maxDisk" &&
	bench --test "head -c 3000000 /dev/zero >big" <good.out >out &&
	jq -r ".verdict, .verdict_reason" out >actual &&
	cat >expect <<-\EOF &&
	test-failed
	the test command failed: a file it wrote reached the limit of 1 MiB (pesq.sandbox.maxFileSize)
	EOF
	test_cmp expect actual &&
	test_path_is_missing "$SLOT/big" &&
	bench --test "i=0; while [ \$i -lt 40 ]; do
			head -c 500000 /dev/zero >f\$i || exit 1; i=\$((i + 1)); done" \
		<good.out >out &&
	jq -r ".verdict, .verdict_reason" out >actual &&
	cat >expect <<-\EOF &&
	test-failed
	the test command failed: it wrote more than 4 MiB into its directory (pesq.sandbox.maxDisk)
	EOF
	test_cmp expect actual &&
	test_path_is_missing "$SLOT/f0"
'

test_expect_success 'no descriptor but 0-2 reaches a build or a test (a run lock on fd 9)' '
	leak="if [ -e /proc/\$\$/fd/9 ]; then echo fd 9 leaked; exit 1; fi" &&
	bench --test "$leak" <good.out >out 9>lock &&
	jq -r .test.ok out >actual &&
	echo true >expect &&
	test_cmp expect actual &&
	pesq-apply -C r --build "$leak; make" <good.in >out 9>lock &&
	test_grep "\"build\":{\"ok\":true" out
'

# The directories above the slot exist in the sandbox, but empty.
test_expect_success 'a test sees nothing of the machine it could take or change' '
	cat >look.sh <<-EOF &&
	for p in "$HOME/.gitconfig" "$HOME/canary" "$HOME/r/.git/config" \
		"$HOME/r/.env" /etc/shadow /etc/ssh /root /run /var
	do
		[ -e "\$p" ] && echo "visible: \$p"
	done
	env | grep -i -e key -e token -e GIT_ && echo "env: secrets or git"
	for p in "$HOME/canary/planted" /var/tmp/pesq-t5100-planted
	do
		echo x >"\$p" 2>/dev/null && echo "written: \$p"
	done
	echo x >"$SLOT/.git" 2>/dev/null && echo "written: .git"
	exit 1
	EOF
	OPENAI_API_KEY=sk-hostile-env-1234567890 GIT_DIR="$HOME/r/.git" \
		bench --test "$(cat look.sh)" <good.out >out &&
	jq -r .test.log out >log &&
	! grep -e visible -e env: -e written log &&
	ls -a canary >canary.after &&
	test_cmp canary.before canary.after &&
	test_path_is_missing /var/tmp/pesq-t5100-planted &&
	test_grep "^gitdir: " "$SLOT/.git"
'

test_expect_success 'cleanup' '
	rm -rf "$TMPDIR_OUT"
'

test_done
