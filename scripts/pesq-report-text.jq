#!/usr/bin/jq -f
# pesq-report-text.jq: the object of pesq-report.jq for people; $final
# (jq --arg) is the line of pesq-final.jq on the last run's final A/B
# when it measured the pesq/best of today, else empty.
def r3: . * 1000 | round / 1000 | tostring;
def pct: if . == null then "-" else "\(. * 100 | round)%" end;
def speed: if . == null then "-" else (r3 + "x") end;
def of: "\(.accepted) of \(.attempts) (\(.rate | pct))";
def key: . + (" " * (13 - length));
def secs: . * 10 | round / 10 | tostring + " s";
("attempts" | key) + "\(.attempts)"
    + (if .unfinished > 0 then " (and \(.unfinished) unfinished)"
       else "" end),
("verdicts" | key) + ([.verdicts | to_entries[] | select(.value > 0)
			| "\(.key) \(.value)"] | join(", ")
		      | if . == "" then "-" else . end),
("accepted" | key) + of,
("  by role" | key) + ([.roles | to_entries[] | "\(.key) \(.value | of)"]
		       | join(", ")),
("  by model" | key) + ([.models | to_entries[] | "\(.key) \(.value | of)"]
			| join(", ")),
("corrections" | key) + "\(.corrections.total) in \(.corrections.attempts) attempts, \(.corrections.built) of them built in the end",
("speedup" | key) + "median \(.speedup.median | speed), best \(.speedup.best | speed)",
(if .parallel == null then empty else ("parallel" | key)
    + "\(.parallel.accepted) of \(.parallel.attempts) accepted on up to \(.parallel.threads) threads"
    + (if .parallel.unsafe > 0 then ", \(.parallel.unsafe) unsafe" else "" end)
    + ", speedup median \(.parallel.speedup | speed), efficiency median "
    + (if .parallel.efficiency == null then "-" else (.parallel.efficiency | r3) end)
 end),
("pesq/best" | key) + (if (.best.steps | length) == 0 then "no accepted step"
    else "\(.speedup.cumulative | speed), the product of its \(.best.steps | length) accepted step\(if (.best.steps | length) == 1 then "" else "s" end) (\(.best.commit[0:7]))" end),
(if $final != "" then ("final A/B" | key) + $final else empty end),
("tokens" | key) + "\(.tokens.total) (\(.tokens.in) in, \(.tokens.out) out)"
    + (if .tokens.cost != null then ", cost \(.tokens.cost * 10000 | round / 10000)" else "" end)
    + (if .tokens.cached > 0 then ", \(.tokens.cached) replies from the cache" else "" end),
("time" | key) + "llm \(.seconds.llm | secs), build \(.seconds.build | secs), test \(.seconds.test | secs), check \(.seconds.check // 0 | secs), bench \(.seconds.bench | secs)"
