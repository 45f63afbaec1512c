#!/bin/sh
# t/perf/llm-reply.sh: pesq-llm's memory and time on a huge and an endless
# reply from the fake provider.
#
#   sh t/perf/llm-reply.sh [BIN-DIR] [MB]
#
# Serves a 200 of MB megabytes (300 by default; a Content-Length says
# so) and one that never ends, and prints for each: pesq-llm's wall
# seconds and peak RSS (/usr/bin/time), and the start of the error it
# wrote. With the default cap (--max-reply-bytes, 4 MiB) the reply is
# refused at once; "no cap" sets the cap to 1e12 bytes to show what
# reading the whole body costs (the endless one is then left out). Not
# part of make check.
set -e
cd "$(dirname "$0")/../.."
root=$(pwd)
bin=${1:-$root/bin}
mb=${2:-300}
out=$root/t/perf/out/llm-reply
[ -n "$1" ] || make -s bin/pesq-llm bin/t/helper/fake-llm >/dev/null
rm -rf "$out"
mkdir -p "$out"
cd "$out"
git init -q repo
printf '%s\n' '{"fn":"f","prompt":{"messages":[{"role":"user","content":"Make f faster."}]}}' >in

fake() {
	rm -f port pid
	"$root/bin/t/helper/fake-llm" --daemon --idle 30 --port-file port \
		--pid-file pid --script "$1"
}

run() {
	label=$1
	shift
	/usr/bin/time -f '%e %M' -o time.txt \
		env OPENAI_BASE_URL=http://127.0.0.1:$(cat port)/v1 \
		"$bin/pesq-llm" -C repo --no-cache --retries 0 "$@" <in >out.jsonl
	set -- $(cat time.txt)
	printf '%-24s %8.2f %10d  %s\n' "$label" "$1" "$2" \
		"$(tail -c 300 out.jsonl |
		sed 's/.*"error":{"stage":"llm","msg":"\([^"]*\)".*/\1/' |
		cut -c 1-60)"
}

printf '{"fault":"huge","bytes":%d}\n' $((mb * 1000000)) >huge.script
printf '{"fault":"endless"}\n' >endless.script
printf '%-24s %8s %10s  %s\n' reply wall_s max_rss_kb error
fake huge.script
run "$mb MB, default cap"
run "$mb MB, no cap" --max-reply-bytes 1000000000000
kill "$(cat pid)"
fake endless.script
run "endless, default cap"
run "endless, 64 MiB cap" --max-reply-bytes 67108864
kill "$(cat pid)"
