#!/usr/bin/jq -f
# pesq-table.jq: the rows of a run (pesq-row.jq output, slurped) as a
# text table: function, role, attempts, verdict, speedup, tokens.
def pad($n): tostring | . + (" " * ($n - length));
def lpad($n): tostring | (" " * ($n - length)) + .;
def speed: if . == null then "-" else (. * 1000 | round / 1000 | tostring) + "x" end;
[["function", "role", "attempts", "verdict", "speedup", "tokens"]]
+ [.[] | [.fn, .role, (.tries | tostring), .verdict, (.speedup | speed),
    (if .tokens == null then "-" else .tokens | tostring end)]]
| . as $rows
| [range(0; 6) as $c | [$rows[][$c] | length] | max] as $w
| $rows[]
| [.[0] | pad($w[0])] + [.[1] | pad($w[1])] + [.[2] | lpad($w[2])]
  + [.[3] | pad($w[3])] + [.[4] | lpad($w[4])] + [.[5] | lpad($w[5])]
| join("  ")
| sub(" +$"; "")
