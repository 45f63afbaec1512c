#!/bin/sh
# t/perf/jsonl-depth.sh: the JSON-lines reader on deeply nested lines.
#
#   sh t/perf/jsonl-depth.sh [BIN-DIR]
#
# Writes lines of 40, 80, 160 and 320 KB that are nothing but nesting
# ({"a": [[[...]]]}, then [1,[1,[1,...]]] and {"a":{"a":...}}) into
# t/perf/out/ and prints the best of 3 runs of a filter that reads them
# (pesq-llm -p replay: it parses the line, finds no prompt and says so),
# wall and CPU seconds. Time that grows 4x when the depth doubles is
# quadratic; 2x is linear. Not part of make check.
set -e
cd "$(dirname "$0")/../.."
root=$(pwd)
bin=${1:-$root/bin}
out=$root/t/perf/out
mkdir -p "$out"
[ -n "$1" ] || make -s bin/pesq-llm >/dev/null
. "$root/t/perf/lib-time.sh"

# nest KIND BYTES: one line of about BYTES bytes of nesting
nest() {
	awk -v kind="$1" -v n="$2" 'BEGIN {
		if (kind == "arr") { d = n / 2; o = "["; c = "]"; m = "" }
		else if (kind == "mix") { d = n / 4; o = "[1,"; c = "]"; m = "2" }
		else { d = n / 6; o = "{\"a\":"; c = "}"; m = "1" }
		s = ""; t = ""
		for (i = 0; i < d; i++) { s = s o; t = t c }
		printf "{\"a\":%s%s%s}\n", s, m, t
	}'
}

printf '%-5s %8s %8s %8s\n' kind KB wall_s cpu_s
for kind in arr mix obj
do
	for kb in 40 80 160 320
	do
		f=$out/nest-$kind-$kb.jsonl
		[ -f "$f" ] || nest $kind $((kb * 1000)) >"$f"
		set -- $(best 3 "$bin/pesq-llm" -q -p replay -m x "$f")
		printf '%-5s %8d %8.3f %8.3f\n' $kind $kb "$1" "$2"
	done
done
