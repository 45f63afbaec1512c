#!/bin/sh
# t/perf/deps-bench.sh: how long pesq-deps takes for one function,
# relative to one parse by the compiler. Not part of make check.
#
#   1. a large real translation unit (the implementations of six stb
#      libraries from Debian's libstb-dev): pesq-deps for one
#      function against clang -fsyntax-only on the same file and flags
#      (target: at most 1.5 times);
#   2. a generated tree of 500 files: pesq-deps for one function against
#      clang -fsyntax-only on the file that defines it (target: at most
#      3 times, thanks to the textual prefilter).
#
# Usage: sh t/perf/deps-bench.sh [RUNS]   (after make; RUNS default 5)
set -eu
cd "$(dirname "$0")"
PERF_DIR=$(pwd)
BIN=${PESQ_BIN:-$PERF_DIR/../../bin}
RUNS=${1:-5}
OUT=$PERF_DIR/out/deps
CLANG=${CLANG:-clang-14}
command -v "$CLANG" >/dev/null 2>&1 || CLANG=clang
rm -rf "$OUT"
mkdir -p "$OUT"
export GIT_AUTHOR_NAME=p GIT_AUTHOR_EMAIL=p@p GIT_COMMITTER_NAME=p \
	GIT_COMMITTER_EMAIL=p@p GIT_CONFIG_NOSYSTEM=1 HOME=$OUT

now() { date +%s%N; }

# median_ms CMD...: the median wall time of RUNS runs, in milliseconds
median_ms() {
	i=0
	: >"$OUT/times"
	while [ $i -lt "$RUNS" ]
	do
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
		t1=$(now)
		echo $(((t1 - t0) / 1000000)) >>"$OUT/times"
		i=$((i + 1))
	done
	sort -n "$OUT/times" | sed -n "$(((RUNS + 1) / 2))p"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# 1. a large real translation unit
if [ -f /usr/include/stb/stb_image.h ]; then
	r=$OUT/stb
	mkdir -p "$r"
	cp /usr/include/stb/stb_image.h /usr/include/stb/stb_truetype.h \
		/usr/include/stb/stb_image_write.h \
		/usr/include/stb/stb_image_resize.h \
		/usr/include/stb/stb_sprintf.h \
		/usr/include/stb/stb_vorbis.h "$r"
	cat >"$r/big.c" <<-\EOT
	#define STB_IMAGE_IMPLEMENTATION
	#include "stb_image.h"
	#define STB_TRUETYPE_IMPLEMENTATION
	#include "stb_truetype.h"
	#define STB_IMAGE_WRITE_IMPLEMENTATION
	#include "stb_image_write.h"
	#define STB_IMAGE_RESIZE_IMPLEMENTATION
	#include "stb_image_resize.h"
	#define STB_SPRINTF_IMPLEMENTATION
	#include "stb_sprintf.h"
	#include "stb_vorbis.h"
	EOT
	(cd "$r" && git init -q && git add . && git commit -q -m stb)
	lines=$(cd "$r" && "$CLANG" -E -x c -std=gnu11 -I. big.c | wc -l)
	echo '{"fn":"stbi__parse_png_file"}' >"$OUT/in1"
	"$BIN/pesq-deps" -q -C "$r" "$OUT/in1" >"$OUT/out1"
	grep -q '"def"' "$OUT/out1" || { echo "not found" >&2; exit 1; }
	t_deps=$(median_ms "$BIN/pesq-deps" -q -C "$r" "$OUT/in1")
	t_cc=$(cd "$r" && median_ms "$CLANG" -fsyntax-only -x c -std=gnu11 \
		-I"$r" -ferror-limit=0 -w big.c)
	echo "large TU: big.c ($lines lines preprocessed), stbi__parse_png_file:" \
		"pesq-deps ${t_deps} ms, clang -fsyntax-only ${t_cc} ms," \
		"ratio $(ratio "$t_deps" "$t_cc") (target <= 1.5)"
else
	echo "large TU: skipped (/usr/include/stb from libstb-dev is missing)"
fi

# 2. a generated tree of 500 files
r=$OUT/tree
mkdir -p "$r/include"
cat >"$r/include/common.h" <<-\EOT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct item { int key; double val; struct item *next; };
typedef struct item item_t;
EOT
i=0
while [ $i -lt 500 ]
do
	d=$r/mod$((i % 20))
	mkdir -p "$d"
	cat >"$d/f$i.c" <<-EOT
	#include "common.h"
	static int tab$i[64];
	int
	work$i(item_t *it, int n)
	{
		int s = 0;
		while (it && n-- > 0) {
			s += it->key * tab$i[n & 63];
			it = it->next;
		}
		return s + (int)strlen("$i");
	}
	int
	step$i(item_t *it)
	{
		return work$i(it, $i)$( [ $i -gt 0 ] && echo " + step$((i - 1))(it)");
	}
	EOT
	i=$((i + 1))
done
(cd "$r" && git init -q && git add . && git commit -q -m tree)
echo '{"fn":"work250"}' >"$OUT/in2"
"$BIN/pesq-deps" -q -C "$r" "$OUT/in2" >"$OUT/out2"
grep -q '"def"' "$OUT/out2" || { echo "not found" >&2; exit 1; }
t_deps=$(median_ms "$BIN/pesq-deps" -q -C "$r" "$OUT/in2")
t_cc=$(cd "$r" && median_ms "$CLANG" -fsyntax-only -x c -std=gnu11 \
	-I"$r/include" -ferror-limit=0 -w mod10/f250.c)
echo "tree: 500 files, work250: pesq-deps ${t_deps} ms," \
	"clang -fsyntax-only of mod10/f250.c ${t_cc} ms," \
	"ratio $(ratio "$t_deps" "$t_cc") (target <= 3)"
