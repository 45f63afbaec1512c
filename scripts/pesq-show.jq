#!/usr/bin/jq -f
# pesq-show.jq: one attempt record (pesq-ledger.jq) for people, the head
# of git pesq show. $color: ANSI colours; $have: the commit is here;
# $subject: its subject line.
def r3: . * 1000 | round / 1000 | tostring;
def r4: . * 10000 | round / 10000 | tostring;
# two significant digits, as printf's %.2g writes them (9.5e-07, 0.00098)
def g2: if . == 0 then "0" else (log10 | floor) as $e
  | if $e >= -4 then (. * pow(10; 1 - $e) | round) / pow(10; 1 - $e) | tostring
    else (. / pow(10; $e) * 10 | round / 10) as $m
      | "\($m)e-\(-$e | if . < 10 then "0\(.)" else tostring end)" end end;
def c($code): if $color then "\u001b[\($code)m" + . + "\u001b[m" else . end;
def key: . + (" " * (10 - length)) | c("1");
def secs: if . == null then "-"
	elif . >= 1000 then "\(. / 1000 | . * 100 | round / 100) s"
	else "\(.) ms" end;
def count: if . >= 999.5e6 then "\(. / 1e9 | . * 100 | round / 100)G"
	elif . >= 999.5e3 then "\(. / 1e6 | . * 100 | round / 100)M"
	elif . >= 999.5 then "\(. / 1e3 | . * 100 | round / 100)k"
	else tostring end;
def median: sort | if length == 0 then null
	elif length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def vcol: if . == "accepted" then c("32") elif . == null then .
	else c("31") end;
def date: if type == "number" and . > 0
	then strftime("%Y-%m-%d %H:%M:%S UTC") else "-" end;
("attempt" | key) + " " + ((.id // "-") | c("33"))
    + "  (" + .commit[0:12]
    + (if .branch then ", " + .branch else ", no branch" end)
    + (if $have then "" else ", commit not here" end) + ")",
("function" | key) + " " + (.fn // "-")
    + (if .role then " (" + .role
	+ (if .child then ", calls " + .child else "" end) + ")"
       else "" end),
("base" | key) + " " + ((.base // "-")[0:12]),
("date" | key) + " " + (.time | date),
("summary" | key) + " "
    + (.summary // ($subject | rtrimstr("\n")
	| sub("^pesq: [^:]*: "; "")) // "-"),
("prompt" | key) + " "
    + (if .prompt then (.prompt[0:12]) else "-" end)
    + (if .mode then ", " + .mode else "" end),
("model" | key) + " "
    + ([.provider, .model] | map(select(. != null)) | join("/")
       | if . == "" then "-" else . end)
    + ", \(.in_tokens) in + \(.out_tokens) out tokens"
    + (if .cost != null then ", cost \(.cost | r4)" else "" end)
    + (if .cached > 0 then ", \(.cached) cached" else "" end),
("build" | key) + " "
    + (if (.builds | length) == 0 then "-" else
       ([.builds | to_entries[]
	 | "try \(.key + 1): "
	   + if .value.ok == null and .value.error != null then
		("no candidate" | c("31")) + ": " + .value.error
	     else
	   (if .value.ok then "ok" | c("32") else "failed" | c("31") end)
	   + " (\(.value.ms | secs))"
	   + (if .value.ok or (.value.log // "") == "" then ""
	      else ": " + (.value.log | split("\n")
			   | map(select(length > 0))[1:3] | join(" / "))
	      end) end]
	| join("\n           ")) end),
("test" | key) + " "
    + (if .test == null then "-"
       elif .test.skipped then "skipped (no test command)"
       elif .test.ok then ("passed" | c("32")) + " (\(.test.ms | secs))"
       else ("failed" | c("31")) + " (\(.test.ms | secs))"
	 + (if (.test.log // "") != "" then ": "
	    + (.test.log | split("\n") | map(select(length > 0))
	       | .[-2:] | join(" / ")) else "" end) end),
(if .checks == null then empty else ("checks" | key) + " "
    + (.checks as $c |
       ($c.sanitize // {} | if .outcome == null then "sanitize -"
	elif .outcome == "clean" then "sanitize " + ("clean" | c("32"))
	    + " (" + ((.kinds // []) | join(", ")) + ")"
	    + (if (.baseline // 0) > 0 then ", \(.baseline) report"
		+ (if .baseline > 1 then "s" else "" end)
		+ " of the base not counted" else "" end)
	elif .outcome == "unsafe" then "sanitize " + ("unsafe" | c("31"))
	    + ": " + (.summary // "") + " (" + (.cmd // "") + ")"
	    + (.report // "" | split("\n") | map(select(test("^\\s*$") | not))
	       | if length == 0 then "" else
		 (if length > 16 then .[:16] + ["..."] else . end)
		 | map("\n             " + .[0:100]) | join("") end)
	else "sanitize " + .outcome
	    + (if .reason then ": " + .reason else "" end) end)
       + "\n           "
       + ($c.differential // {} | if .status == null then "differential -"
	elif .status == "passed" then "differential " + ("passed" | c("32"))
	    + " (" + (.path // "?") + ", \(.runs // 0) runs in "
	    + "\(.seconds // 0) s)"
	elif .status == "differs" or .status == "unsafe" then
	    "differential " + (.status | c("31")) + " (" + (.path // "?")
	    + "): " + (.reason // "")
	    + (if .input then "\n           input: \(.input_len) bytes, "
		+ .input[0:64] + (if (.input | length) > 64 then "..."
				  else "" end)
	       else "" end)
	else "differential " + .status
	    + (if .reason then ": " + .reason else "" end) end)
       + (if $c.ms then " [\($c.ms | secs)]" else "" end)) end),
("bench" | key) + " "
    + (if .output != null then "the output differs at line \(.output.line): "
	+ "base \(.output.base | tojson), candidate \(.output.cand | tojson)"
	+ (if .output.base_status != .output.cand_status then
	   ", exit status \(.output.base_status) -> \(.output.cand_status)"
	   else "" end)
       elif .speedup == null then "-" else
       "\(.speedup | r3)x"
       + (if .ci then " (CI \(.ci[0] | r3)-\(.ci[1] | r3))" else "" end)
       + (if .p != null then ", p \(.p | g2)" else "" end)
       + (if .rounds != null then ", \(.rounds) rounds" else "" end)
       + (if .metric then ", " + .metric + " time" else "" end)
       + (if .bench_median then ", medians \(.bench_median.base | r4) s"
	  + " -> \(.bench_median.cand | r4) s" else "" end)
       + (if .cpu_median then ", CPU time \(.cpu_median.base | r4) s"
	  + " -> \(.cpu_median.cand | r4) s" else "" end)
       + (if (.threads | type) == "number" and .threads > 0 then
	  "\n           \(.threads) threads, efficiency "
	  + (.speedup / .threads | r3) + " (speedup / threads)"
	  else "" end) end),
(if .counters == null then empty
 elif .counters.unavailable then ("counters" | key) + " unavailable: "
    + .counters.unavailable
 else ("counters" | key) + " "
    + ([.counters | to_entries[] | select(.value | type == "object")
	| "\(.key | gsub("_"; " ")) \(.value.base | count)"
	  + " -> \(.value.cand | count)"] | join(", "))
    + " (for information)" end),
(if (.machine | type) == "object" then ("machine" | key) + " "
    + ([.machine.cpu, (if .machine.cores then "\(.machine.cores) cores"
			else null end), .machine.kernel]
       | map(select(. != null)) | join(", "))
 else empty end),
("verdict" | key) + " " + ((.verdict // "none") | vcol)
    + (if (.reason // "") != "" then ": " + .reason else "" end)
    + (if .best then " (pesq/best " + .best[0:12] + ")" else "" end),
("time" | key) + " llm \(.ms.llm | secs), build \(.ms.build | secs), "
    + "test \(.ms.test | secs), check \(.ms.check // 0 | secs), "
    + "bench \(.ms.bench | secs)"
