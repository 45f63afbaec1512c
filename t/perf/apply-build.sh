#!/bin/sh
# t/perf/apply-build.sh: how long attempt 2's build takes relative to a
# clean build, thanks to the reused worktree. Not part of make check.
#
# A generated project of FILES C files (default 40, each a few hundred
# lines compiled with -O2, serially). For each of RUNS rounds, a fresh
# slot: attempt 1 (a clean build of everything) and attempt 2 (another
# candidate for the same function: only its file is recompiled), taking
# build.ms from pesq-apply's records. The compiler cache is off
# (pesq.ccache false): this is the build tree's part alone.
#
# With --ccache: a fresh slot's first build of attempt 1 without the
# cache (nocache), with an empty cache (cold: every compile a miss) and
# with the cache that build filled (warm: every compile a hit, in yet
# another slot), and warm / nocache. Needs ccache. --ccache-sample does
# the same on the bundled sample (t/fixtures/sample: clang -O2 -g, five
# units, and the benchmark's text made by the build), attempt 1 being
# count_word with a comment added: compiled with -g, its objects are not
# shared between worktrees (pesq-apply(1), COMPILER CACHE), so warm
# misses as cold does, and both show what ccache's misses cost.
#
# Usage: sh t/perf/apply-build.sh [--ccache | --ccache-sample]
#   [RUNS [FILES]]  (after make and make bin/t/helper/test-apply-rec)
set -eu
cd "$(dirname "$0")"
PERF_DIR=$(pwd)
BIN=${PESQ_BIN:-$PERF_DIR/../../bin}
CCACHE= SAMPLE=
case ${1:-} in
--ccache) CCACHE=t; shift ;;
--ccache-sample) CCACHE=t SAMPLE=t; shift ;;
esac
RUNS=${1:-3}
FILES=${2:-40}
OUT=$PERF_DIR/out/apply
rm -rf "$OUT"
mkdir -p "$OUT/p"
export GIT_AUTHOR_NAME=p GIT_AUTHOR_EMAIL=p@p GIT_COMMITTER_NAME=p \
	GIT_COMMITTER_EMAIL=p@p GIT_CONFIG_NOSYSTEM=1 HOME=$OUT
PATH=$BIN:$BIN/t/helper:$PATH

cd "$OUT/p"
i=0
while [ $i -lt "$FILES" ]
do
	{
		echo "#include <string.h>"
		j=0
		while [ $j -lt 30 ]
		do
			cat <<-EOC
			static unsigned
			h${i}_$j(const char *s, unsigned n)
			{
				unsigned x = $j;
				for (unsigned k = 0; k < n; k++)
					x = x * 31 + (unsigned char)s[k] + (x >> 7);
				if (x % 3 == 0)
					return x ^ (unsigned)strlen(s);
				return x;
			}
			EOC
			j=$((j + 1))
		done
		echo "unsigned"
		echo "f$i(const char *s, unsigned n)"
		echo "{"
		echo "	unsigned x = 0;"
		j=0
		while [ $j -lt 30 ]
		do
			echo "	x += h${i}_$j(s, n);"
			j=$((j + 1))
		done
		echo "	return x;"
		echo "}"
	} >f$i.c
	i=$((i + 1))
done
cat >Makefile <<'EOM'
SRCS = $(wildcard f*.c)
lib.a: $(SRCS:.c=.o)
	ar rcs $@ $^
%.o: %.c
	cc -O2 -c -o $@ $<
EOM
git init -q && git add . && git commit -q -m base

cand() {
	{
		echo "unsigned"
		echo "f0(const char *s, unsigned n)"
		echo "{"
		echo "	unsigned x = $1;"
		j=0
		while [ $j -lt 30 ]
		do
			echo "	x += h0_$j(s, n);"
			j=$((j + 1))
		done
		echo "	return x;"
		echo "}"
	} >"$OUT/c$1.c"
	test-apply-rec f0 f0.c "$OUT/c$1.c" >"$OUT/in$1"
}
cand 1
cand 2

# --ccache-sample: the bundled sample instead
if [ -n "$SAMPLE" ]; then
	FILES=sample
	mkdir "$OUT/s"
	cd "$OUT/s"
	cp -R "$PERF_DIR"/../fixtures/sample/. .
	git init -q && git add . && git commit -q -m base
	awk '/^count_word\(/ { p = 1; print prev } p { print }
	    p && /^\{$/ { print "\t/* attempt 1 */" } p && /^\}/ { exit }
	    { prev = $0 }' count.c >"$OUT/c1.c"
	test-apply-rec count_word count.c "$OUT/c1.c" >"$OUT/in1"
fi

ms() { grep -o '"build":{"ok":true,"ms":[0-9]*' "$1" | sed 's/.*://'; }

# build SLOT: attempt 1 built in a fresh slot; its build.ms
build() {
	pesq-apply -q --slot "$1" --build make <"$OUT/in1" >"$OUT/o1"
	ms "$OUT/o1"
}

if [ -n "$CCACHE" ]; then
	printf 'files\tnocache_ms\tcold_ms\twarm_ms\tratio\n'
	r=0
	while [ $r -lt "$RUNS" ]
	do
		git config pesq.ccache false
		a=$(build "n$r")
		git config pesq.ccache true
		rm -rf .git/pesq/ccache
		b=$(build "c$r")
		c=$(build "w$r")
		test -d .git/pesq/ccache || {
			echo "apply-build.sh: no cache was made: is ccache installed?" >&2
			exit 1
		}
		printf '%s\t%s\t%s\t%s\t%s\n' "$FILES" "$a" "$b" "$c" \
			"$(awk -v a="$a" -v c="$c" 'BEGIN { printf "%.3f", c / a }')"
		r=$((r + 1))
	done
	exit 0
fi

git config pesq.ccache false
printf 'files\tclean_ms\tattempt2_ms\tratio\n'
r=0
while [ $r -lt "$RUNS" ]
do
	pesq-apply -q --slot "p$r" --build make <"$OUT/in1" >"$OUT/o1"
	pesq-apply -q --slot "p$r" --build make <"$OUT/in2" >"$OUT/o2"
	a=$(ms "$OUT/o1") b=$(ms "$OUT/o2")
	printf '%s\t%s\t%s\t%s\n' "$FILES" "$a" "$b" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')"
	r=$((r + 1))
done
