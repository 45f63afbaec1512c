#!/usr/bin/jq -f
# pesq-svg.jq: the object of pesq-report.jq as a picture (plain SVG,
# 900x600). On the left the cumulative speedup of pesq/best on a log axis
# (ticks at round ratios: 1x, 1.5x, 2x, 4x ...; the 1x line is the start
# and says so), one point (class "point") per accepted step, and through
# it a whisker (class "ci") for that step's confidence interval, applied
# to the cumulative speedup before it. On the right a bar (class "bar")
# per verdict with its count, the very counts of the report's text (every
# verdict pesq-report.jq counts, and any other that occurs), and the
# unfinished attempts.
def esc: tostring | gsub("&"; "&amp;") | gsub("<"; "&lt;")
	| gsub(">"; "&gt;") | gsub("\""; "&quot;");
def f: . * 10 | round / 10 | tostring;
def r2: . * 100 | round / 100 | tostring;
def text($x; $y; $attrs; $s):
	"<text x=\"\($x | f)\" y=\"\($y | f)\" \($attrs)>\($s | esc)</text>";
def line($x1; $y1; $x2; $y2; $attrs):
	"<line x1=\"\($x1 | f)\" y1=\"\($y1 | f)\" x2=\"\($x2 | f)\" y2=\"\($y2 | f)\" \($attrs)/>";
def colors: {accepted: "#2e7d32", rejected: "#c62828",
	inconclusive: "#f9a825", "build-failed": "#6d4c41",
	"test-failed": "#ad1457", "output-differs": "#6a1b9a",
	unsafe: "#e65100", differs: "#4527a0", error: "#455a64"};
# round ratios for the ticks, the finer the narrower the range
def tickset($ratio):
	if $ratio <= 1.6 then [0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2,
		1.25, 1.3, 1.35, 1.4, 1.45, 1.5, 1.6]
	elif $ratio <= 6 then [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6,
		8]
	else [0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
	end;
def ratio: (. * 100 | round / 100 | tostring) + "x";
. as $r
| $r.best.steps as $steps
| ($steps | length) as $k
# the chart's box
| {x0: 80, x1: 540, y0: 90, y1: 500} as $b
# cumulative before each step: 1, c1, c2 ...
| ([1] + [$steps[].cumulative]) as $ys
| [range(0; $k) as $i | $steps[$i].ci as $ci
   | if ($ci | type) == "array" and ($ci | length) == 2
	 and ($ci[0] | type) == "number" and ($ci[1] | type) == "number"
	 and $ci[0] > 0 and $ci[1] > 0
     then [$ys[$i] * $ci[0], $ys[$i] * $ci[1]] else null end] as $whisk
| ([$ys[], ($whisk[] | select(. != null) | .[])] | map(select(. > 0))) as $vals
| ([$vals | min, 1] | min) as $lo0
| ([$vals | max, 1.1] | max) as $hi0
# a margin of a tenth of the range on either side, in log space
| ((($hi0 / $lo0) | log) * 0.1) as $pad
| (($lo0 | log) - $pad | exp) as $lo
| (($hi0 | log) + $pad | exp) as $hi
| def Y($v): $b.y1 - ($b.y1 - $b.y0)
	* ((($v | log) - ($lo | log)) / (($hi | log) - ($lo | log)));
  def X($i): $b.x0 + 30 + ($b.x1 - $b.x0 - 60)
	* (if $k == 0 then 0 else $i / $k end);
  [tickset($hi / $lo)[] | select(. >= $lo and . <= $hi)] as $ticks
| ((["accepted", "rejected", "inconclusive", "build-failed",
     "test-failed", "output-differs", "unsafe", "differs", "error"]
    + ($r.verdicts | keys_unsorted)) | reduce .[] as $v ([];
	if index([$v]) then . else . + [$v] end)) as $order
| [$order[] as $v | {key: $v, value: ($r.verdicts[$v] // 0)}
   | select(.value > 0 or (["accepted", "rejected", "inconclusive",
	"build-failed", "test-failed", "output-differs", "unsafe", "differs",
	"error"]
	| index([$v])))] as $vs
| ([$vs[].value, 1] | max) as $vmax
| [
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
	"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"600\" viewBox=\"0 0 900 600\" font-family=\"sans-serif\" font-size=\"13\">",
	"<title>pesq report</title>",
	"<rect width=\"900\" height=\"600\" fill=\"#ffffff\"/>",
	text(30; 40; "font-size=\"20\" font-weight=\"bold\"";
	     "pesq: \($r.attempts) attempts, \($r.accepted) accepted"
	     + (if $r.speedup.cumulative != null
		then ", pesq/best \($r.speedup.cumulative | r2)x" else "" end)),
	text($b.x0; 66; "font-weight=\"bold\"";
	     "cumulative speedup of pesq/best"),
	text($b.x0; 82; "font-size=\"11\" fill=\"#555555\"";
	     "log scale; whiskers: each step's confidence interval"),
	# the grid and its labels
	($ticks[] | Y(.) as $y | select(. != 1)
	 | line($b.x0; $y; $b.x1; $y; "class=\"grid\" stroke=\"#e0e0e0\""),
	   text($b.x0 - 8; $y + 4; "class=\"tick\" text-anchor=\"end\" fill=\"#555555\"";
		ratio)),
	# the start: 1x
	line($b.x0; Y(1); $b.x1; Y(1);
	     "class=\"one\" stroke=\"#616161\" stroke-dasharray=\"5 3\""),
	text($b.x0 - 8; Y(1) + 4; "class=\"tick\" text-anchor=\"end\" fill=\"#333333\" font-weight=\"bold\""; "1x"),
	text($b.x1 - 4; Y(1) - 6; "text-anchor=\"end\" font-size=\"11\" fill=\"#616161\"";
	     "1x = the start, no faster"),
	line($b.x0; $b.y0; $b.x0; $b.y1; "stroke=\"#333333\""),
	line($b.x0; $b.y1; $b.x1; $b.y1; "stroke=\"#333333\""),
	text(($b.x0 + $b.x1) / 2; $b.y1 + 48; "text-anchor=\"middle\" fill=\"#555555\"";
	     "accepted attempts, oldest first"),
	(if $k == 0 then
		text(($b.x0 + $b.x1) / 2; ($b.y0 + $b.y1) / 2 - 20;
		     "text-anchor=\"middle\" fill=\"#777777\"";
		     "no accepted attempt yet")
	 else
		"<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2.5\" points=\""
		+ ([range(0; $k + 1) | "\(X(.) | f),\(Y($ys[.]) | f)"]
		   | join(" ")) + "\"/>",
		"<circle cx=\"\(X(0) | f)\" cy=\"\(Y(1) | f)\" r=\"3\" fill=\"#9e9e9e\"><title>start: 1x</title></circle>",
		(range(0; $k) as $i | $steps[$i] as $s | $whisk[$i] as $w
		 | (if $w != null then
			"<g class=\"ci\" stroke=\"#0d47a1\" stroke-width=\"1.5\"><title>\(("\($s.attempt // "") \($s.speedup // 1 | r2)x, CI \($s.ci[0] | r2)-\($s.ci[1] | r2)x") | esc)</title>"
			+ line(X($i + 1); Y($w[0]); X($i + 1); Y($w[1]); "")
			+ line(X($i + 1) - 5; Y($w[0]); X($i + 1) + 5; Y($w[0]); "")
			+ line(X($i + 1) - 5; Y($w[1]); X($i + 1) + 5; Y($w[1]); "")
			+ "</g>"
		    else empty end),
		   "<circle class=\"point\" cx=\"\(X($i + 1) | f)\" cy=\"\(Y($s.cumulative) | f)\" r=\"5\" fill=\"#1565c0\"><title>\(("\($s.attempt // "") \($s.speedup // 1 | r2)x, cumulative \($s.cumulative | r2)x") | esc)</title></circle>",
		   # the value above the point and its whisker
		   text(X($i + 1); ([Y($s.cumulative), (if $w != null
			then Y($w[1]) else empty end)] | min) - 8;
			"text-anchor=\"middle\" font-size=\"11\" fill=\"#1565c0\"";
			"\($s.cumulative | r2)x"),
		   (if $k <= 12 then
			text(X($i + 1); $b.y1 + 18;
			     "text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\"";
			     ($s.attempt // "\($i + 1)" | sub("/[0-9]+$"; "")
			      | if length > 14 then .[0:13] + "~" else . end))
		    else empty end))
	 end),
	# the verdicts
	text(600; 66; "font-weight=\"bold\""; "verdicts"),
	($vs | to_entries[] | .key as $i | .value as $v
	 | (100 + $i * 44) as $y
	 | text(600; $y; "fill=\"#333333\""; $v.key),
	   "<rect class=\"bar\" x=\"600\" y=\"\($y + 6)\" width=\"\(([$v.value / $vmax * 220, 0.5] | max) | f)\" height=\"20\" fill=\"\(colors[$v.key] // "#757575")\"><title>\(("\($v.key): \($v.value)") | esc)</title></rect>",
	   text(600 + ($v.value / $vmax * 220) + 6; $y + 21;
		"class=\"count\" fill=\"#333333\""; "\($v.value)")),
	(if $r.unfinished > 0 then
		text(600; 100 + ($vs | length) * 44; "fill=\"#777777\"";
		     "and \($r.unfinished) unfinished")
	 else empty end),
	text(30; 580; "font-size=\"11\" fill=\"#777777\"";
	     "tokens \($r.tokens.total)"
	     + (if $r.tokens.cost != null
		then ", cost \($r.tokens.cost * 10000 | round / 10000)" else "" end)
	     + "; time: llm \($r.seconds.llm | f) s, build \($r.seconds.build | f) s, test \($r.seconds.test | f) s, bench \($r.seconds.bench | f) s"),
	"</svg>"
] | .[]
