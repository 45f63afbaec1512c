#!/usr/bin/jq -f
# pesq-log.jq: the attempt records of pesq-ledger.jq (slurped) as the
# table of git pesq log: one line per attempt, newest first.
def pad($n): tostring | . + (" " * ($n - length));
def lpad($n): tostring | (" " * ($n - length)) + .;
def r3: . * 1000 | round / 1000 | tostring;
def speed: if . == null then "-" else (r3 + "x") end;
def ci: if type == "array" and length == 2
	then "\(.[0] | r3)-\(.[1] | r3)" else "-" end;
def date: if type == "number" and . > 0
	then strftime("%Y-%m-%d %H:%M") else "-" end;
[["commit", "attempt", "function", "role", "verdict", "speedup",
  "interval", "fixes", "model", "tokens", "date"]]
+ [.[] | [.commit[0:7], (.id // "-"), (.fn // "-"), (.role // "-"),
    (.verdict // "none"), (.speedup | speed), (.ci | ci),
    (.corrections // 0 | tostring), (.model // "-"),
    (.tokens | tostring), (.time | date)]]
| . as $rows
| [range(0; 11) as $c | [$rows[][$c] | length] | max] as $w
| ["l", "l", "l", "l", "l", "r", "r", "r", "l", "r", "l"] as $al
| $rows[]
| [range(0; 11) as $c | .[$c] | if $al[$c] == "r" then lpad($w[$c])
    else pad($w[$c]) end]
| join("  ")
| sub(" +$"; "")
