# t/test-lib.sh: the harness every tNNNN-*.sh script sources.
#
#   test_description='what this script tests'
#   . ./test-lib.sh
#   test_expect_success 'title' '
#           pesq-fold in >out &&
#           test_cmp expect out
#   '
#   test_done
#
# Each script runs in a fresh scratch directory, t/trash/<script>/, which
# is also $HOME; it is removed when every test passed (kept with -d or on
# failure). Output is TAP for prove. Options: -v shows each test's
# commands and output, -x traces them, -d keeps the scratch directory,
# -i stops at the first failure.

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
export TEST_DIRECTORY
SRC_ROOT=$(cd "$TEST_DIRECTORY/.." && pwd)
export SRC_ROOT
: "${PESQ_BIN:=$SRC_ROOT/bin}"
export PESQ_BIN
SHARED_DIR=$(cd "$SRC_ROOT/../shared" 2>/dev/null && pwd)
export SHARED_DIR

test_name=$(basename "$0" .sh)
verbose= trace= debug= immediate=
for arg
do
	case $arg in
	-v|--verbose) verbose=t ;;
	-x) trace=t ;;
	-d|--debug) debug=t ;;
	-i|--immediate) immediate=t ;;
	*) echo "test-lib: unknown option '$arg'" >&2; exit 2 ;;
	esac
done

# A known environment: fixed identities and dates, no user or system git
# configuration, C locale, no colour, no pager, no keys from outside.
LC_ALL=C LANG=C TZ=UTC
export LC_ALL LANG TZ
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_CONFIG GIT_CONFIG_PARAMETERS XDG_CONFIG_HOME EDITOR VISUAL \
	OPENAI_API_KEY ANTHROPIC_API_KEY OPENAI_BASE_URL PESQ_PROVIDER \
	CDPATH http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY \
	all_proxy no_proxy NO_PROXY
GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL='author@example.com'
GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL='committer@example.com'
GIT_AUTHOR_DATE='1700000000 +0000' GIT_COMMITTER_DATE='1700000000 +0000'
GIT_CONFIG_NOSYSTEM=1 GIT_PAGER=cat PAGER=cat TERM=dumb
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE \
	GIT_CONFIG_NOSYSTEM GIT_PAGER PAGER TERM
PATH=$PESQ_BIN:$PESQ_BIN/t/helper:$SRC_ROOT/scripts:$PATH
export PATH
PESQ_DATADIR=$SRC_ROOT/scripts
export PESQ_DATADIR
if [ "$PESQ_SANITIZE" = 1 ]; then
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:halt_on_error=1
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	LSAN_OPTIONS=suppressions=$TEST_DIRECTORY/lsan.supp:print_suppressions=0
	export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
fi

TRASH_DIRECTORY=$TEST_DIRECTORY/trash/$test_name
rm -rf "$TRASH_DIRECTORY"
mkdir -p "$TRASH_DIRECTORY" || {
	echo "Bail out! cannot make '$TRASH_DIRECTORY'"
	exit 1
}
HOME=$TRASH_DIRECTORY
# The scratch directories live inside pesq's own repository: git (and
# libgit2's discovery in pesq) must never walk up into it.
GIT_CEILING_DIRECTORIES=$TEST_DIRECTORY/trash
export HOME TRASH_DIRECTORY GIT_CEILING_DIRECTORIES
cat >"$HOME/.gitconfig" <<'EOC'
[init]
	defaultBranch = main
[user]
	name = A U Thor
	email = author@example.com
[advice]
	detachedHead = false
EOC
cd "$TRASH_DIRECTORY" || exit 1

test_count=0 test_failed=0 test_fixed=0 test_broken=0 test_skipped=0
test_cleanup=
satisfied_prereq=' '
missing_prereq=' '

say() {
	printf '%s\n' "$*"
}

# Show what a test does when -v is on; otherwise keep TAP clean.
if [ -n "$verbose" ]; then
	exec 4>&2 3>&1
else
	exec 4>/dev/null 3>/dev/null
fi

test_set_prereq() {
	satisfied_prereq="$satisfied_prereq$1 "
}

# test_lazy_prereq NAME 'script': NAME holds when the script succeeds,
# decided on first use, in a scratch subdirectory.
lazy_prereqs=
test_lazy_prereq() {
	lazy_prereqs="$lazy_prereqs $1"
	eval "lazy_script_$1=\$2"
}

test_have_prereq() {
	for p in $(echo "$1" | tr , ' ')
	do
		neg=
		case $p in !*) neg=t; p=${p#!} ;; esac
		case $satisfied_prereq in *" $p "*) ok=t ;; *)
			case $missing_prereq in *" $p "*) ok= ;; *)
				ok=
				case " $lazy_prereqs " in *" $p "*)
					eval "script=\$lazy_script_$p"
					if (mkdir -p "$TRASH_DIRECTORY/.prereq-$p" &&
					    cd "$TRASH_DIRECTORY/.prereq-$p" &&
					    eval "$script") >&3 2>&4
					then
						ok=t
						satisfied_prereq="$satisfied_prereq$p "
					else
						missing_prereq="$missing_prereq$p "
					fi
					rm -rf "$TRASH_DIRECTORY/.prereq-$p"
				;; esac
			;; esac
		;; esac
		if [ -n "$neg" ]; then
			[ -z "$ok" ] || return 1
		else
			[ -n "$ok" ] || return 1
		fi
	done
	return 0
}

# Prerequisites every script may use.
test_lazy_prereq PERF '
	perf record -q -o perf.data -- true >/dev/null 2>&1 &&
	perf script -i perf.data >/dev/null 2>&1
'
test_lazy_prereq CORPUS 'test -d "$SHARED_DIR/corpus/perf"'
test_lazy_prereq BWRAP '
	bwrap --ro-bind / / --dev /dev --proc /proc --unshare-net true
'
test_lazy_prereq JQ 'jq -n 1 >/dev/null'
test_lazy_prereq XMLLINT 'command -v xmllint'
test_lazy_prereq CC 'command -v cc'
if [ "$PESQ_SANITIZE" = 1 ]; then
	test_set_prereq SANITIZE
fi

# A function, so that 'return' in a body ends the body, not the harness.
test_eval_inner_() {
	eval "$1"
}

# Run the body of a test in this shell (so variables carry over), with
# its output hidden unless -v. Returns the body's status.
test_run_() {
	test_cleanup=:
	if [ -n "$trace" ]; then
		set -x
	fi
	test_eval_inner_ "$1" >&3 2>&4
	eval_ret=$?
	set +x
	eval "$test_cleanup" >&3 2>&4
	cleanup_ret=$?
	if [ $eval_ret = 0 ] && [ $cleanup_ret != 0 ]; then
		eval_ret=$cleanup_ret
	fi
	return $eval_ret
}

test_start_() {
	test_count=$((test_count + 1))
	if [ -n "$verbose" ]; then
		say "# expecting: $1" >&3
	fi
}

test_skip_() {
	# $1 prereqs (may be empty), $2 title
	if [ -n "$1" ] && ! test_have_prereq "$1"; then
		test_skipped=$((test_skipped + 1))
		say "ok $test_count # skip $2 (missing $1)"
		return 0
	fi
	return 1
}

# test_expect_success [PREREQ] 'title' 'body'
test_expect_success() {
	prereq=
	if [ $# = 3 ]; then prereq=$1; shift; fi
	[ $# = 2 ] || { echo "Bail out! test_expect_success takes 2 or 3 arguments"; exit 1; }
	test_start_ "$1"
	test_skip_ "$prereq" "$1" && return 0
	if test_run_ "$2"; then
		say "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		say "not ok $test_count - $1"
		printf '%s\n' "$2" | sed 's/^/#	/'
		if [ -n "$immediate" ]; then
			say "# stopped at the first failure (-i); see $TRASH_DIRECTORY"
			test_done_ 1
		fi
	fi
}

# test_expect_failure: a known bug. The body is expected to fail; it is
# reported as TODO, and as fixed when it passes.
test_expect_failure() {
	prereq=
	if [ $# = 3 ]; then prereq=$1; shift; fi
	test_start_ "$1"
	test_skip_ "$prereq" "$1" && return 0
	if test_run_ "$2"; then
		test_fixed=$((test_fixed + 1))
		say "ok $test_count - $1 # TODO known breakage vanished"
	else
		test_broken=$((test_broken + 1))
		say "not ok $test_count - $1 # TODO known breakage"
	fi
}

# Register commands to run after the current test, pass or fail.
test_when_finished() {
	test_cleanup="{ $*
	} && (exit \"\$eval_ret\"); eval_ret=\$?; $test_cleanup"
}

# test_must_fail cmd...: cmd exits non-zero, but not from a signal or
# because it could not be found.
test_must_fail() {
	"$@"
	ret=$?
	if [ $ret = 0 ]; then
		echo "test_must_fail: command succeeded: $*" >&4
		return 1
	elif [ $ret -gt 128 ] && [ $ret -le 192 ]; then
		echo "test_must_fail: died of signal $((ret - 128)): $*" >&4
		return 1
	elif [ $ret = 127 ]; then
		echo "test_must_fail: command not found: $*" >&4
		return 1
	fi
	return 0
}

# test_expect_code N cmd...: cmd exits with status N.
test_expect_code() {
	want=$1
	shift
	"$@"
	ret=$?
	if [ "$ret" != "$want" ]; then
		echo "test_expect_code: got $ret, want $want: $*" >&4
		return 1
	fi
	return 0
}

# test_cmp expected actual: the same bytes (a diff is shown otherwise).
test_cmp() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" >&4 || :
		[ -f "$1" ] && [ -f "$2" ] || echo "test_cmp: missing '$1' or '$2'" >&4
		return 1
	fi
}

# test_line_count OP N file: e.g. test_line_count = 3 out
test_line_count() {
	n=$(wc -l <"$3")
	if ! [ "$n" "$1" "$2" ]; then
		echo "test_line_count: $3 has $n lines, want $1 $2" >&4
		return 1
	fi
}

test_path_is_file() {
	[ -f "$1" ] || { echo "not a file: $1" >&4; return 1; }
}

test_path_is_dir() {
	[ -d "$1" ] || { echo "not a directory: $1" >&4; return 1; }
}

test_path_is_missing() {
	[ ! -e "$1" ] || { echo "exists: $1" >&4; return 1; }
}

# test_must_be_empty file
test_must_be_empty() {
	if [ -s "$1" ]; then
		echo "'$1' is not empty:" >&4
		cat "$1" >&4
		return 1
	fi
}

# test_grep [-v] pattern file: like grep, but shows the file on failure.
test_grep() {
	if [ "$1" = "!" ] || [ "$1" = "-v" ]; then
		shift
		! grep -e "$1" "$2" >/dev/null && return 0
		echo "test_grep: '$1' found in '$2':" >&4
	else
		grep -e "$@" >/dev/null && return 0
		echo "test_grep: '$1' not found in '$2':" >&4
	fi
	cat "$2" >&4
	return 1
}

# test_commit MESSAGE [FILE [CONTENT]]: commit a file in the current repo.
test_commit() {
	f=${2:-$1.t}
	printf '%s\n' "${3:-$1}" >"$f" &&
	git add "$f" &&
	git commit -q -m "$1"
}

# test_tick: advance the fixed dates so commits made later sort after.
test_tick() {
	if [ -z "$test_tick_" ]; then
		test_tick_=1700000000
	fi
	test_tick_=$((test_tick_ + 60))
	GIT_AUTHOR_DATE="$test_tick_ +0000"
	GIT_COMMITTER_DATE="$test_tick_ +0000"
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

test_done_() {
	if [ $test_count = 0 ] && [ -n "$skip_all" ]; then
		say "1..0 # SKIP $skip_all"
	else
		say "1..$test_count"
	fi
	if [ "$1" = 0 ] && [ -z "$debug" ]; then
		cd "$TEST_DIRECTORY" && rm -rf "$TRASH_DIRECTORY"
	fi
	exit "$1"
}

test_done() {
	if [ $test_failed = 0 ]; then
		test_done_ 0
	fi
	say "# failed $test_failed among $test_count test(s); kept $TRASH_DIRECTORY"
	test_done_ 1
}

# skip_all='reason'; test_done: skip the whole script.
