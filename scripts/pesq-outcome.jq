# pesq-outcome.jq: the progress line after a target's benchmark, from its
# rows (pesq-row.jq output, slurped): each attempt, its verdict and, when
# measured, its speedup, e.g. "count_word/1 accepted, 2.8x faster".
def r3: . * 1000 | round / 1000 | tostring;
map("\(.attempt // .fn) \(.verdict)"
    + (if .speedup == null then ""
       elif .speedup >= 1 then ", \(.speedup | r3)x faster"
       else ", \(1 / .speedup | r3)x slower" end)
    + (if .error != null then " (\(.error))" else "" end))
| join("; ")
