#!/usr/bin/jq -f
# pesq-svg.jq: the object of pesq-report.jq as a picture (plain SVG,
# 900x600): on the left the cumulative speedup of pesq/best, one point
# (class "point") per accepted step; on the right the verdict counts.
def esc: tostring | gsub("&"; "&amp;") | gsub("<"; "&lt;")
	| gsub(">"; "&gt;") | gsub("\""; "&quot;");
def f: . * 10 | round / 10 | tostring;
def r2: . * 100 | round / 100 | tostring;
def text($x; $y; $attrs; $s):
	"<text x=\"\($x | f)\" y=\"\($y | f)\" \($attrs)>\($s | esc)</text>";
def colors: {accepted: "#2e7d32", rejected: "#c62828",
	inconclusive: "#f9a825", "build-failed": "#6d4c41",
	"test-failed": "#ad1457", "output-differs": "#6a1b9a",
	error: "#455a64"};
. as $r
| $r.best.steps as $steps
| ($steps | length) as $k
# the chart's box
| {x0: 70, x1: 540, y0: 90, y1: 500} as $b
| ([1] + [$steps[].cumulative]) as $ys
| ([($ys | min), 1] | min) as $lo0
| ([($ys | max), 1.1] | max) as $hi0
| (($hi0 - $lo0) * 0.08) as $padv
| ([$lo0 - $padv, 0] | max) as $lo
| ($hi0 + $padv) as $hi
| def X($i): $b.x0 + ($b.x1 - $b.x0) * (if $k == 0 then 0 else $i / $k end);
  def Y($v): $b.y1 - ($b.y1 - $b.y0) * (($v - $lo) / ($hi - $lo));
  ([range(0; 6) | $lo + ($hi - $lo) * . / 5]) as $ticks
| ($r.verdicts | to_entries) as $vs
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
	text($b.x0; 72; "font-weight=\"bold\"";
	     "cumulative speedup of pesq/best"),
	# the axes and the grid
	($ticks[] | Y(.) as $y
	 | "<line x1=\"\($b.x0)\" y1=\"\($y | f)\" x2=\"\($b.x1)\" y2=\"\($y | f)\" stroke=\"#e0e0e0\"/>",
	   text($b.x0 - 8; $y + 4; "text-anchor=\"end\" fill=\"#555555\"";
		"\(r2)x")),
	"<line x1=\"\($b.x0)\" y1=\"\(Y(1) | f)\" x2=\"\($b.x1)\" y2=\"\(Y(1) | f)\" stroke=\"#9e9e9e\" stroke-dasharray=\"4 3\"/>",
	"<line x1=\"\($b.x0)\" y1=\"\($b.y0)\" x2=\"\($b.x0)\" y2=\"\($b.y1)\" stroke=\"#333333\"/>",
	"<line x1=\"\($b.x0)\" y1=\"\($b.y1)\" x2=\"\($b.x1)\" y2=\"\($b.y1)\" stroke=\"#333333\"/>",
	text(($b.x0 + $b.x1) / 2; $b.y1 + 48; "text-anchor=\"middle\" fill=\"#555555\"";
	     "accepted attempts, oldest first"),
	(if $k == 0 then
		text(($b.x0 + $b.x1) / 2; ($b.y0 + $b.y1) / 2;
		     "text-anchor=\"middle\" fill=\"#777777\"";
		     "no accepted attempt yet")
	 else
		"<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2.5\" points=\""
		+ ([range(0; $k + 1) | "\(X(.) | f),\(Y($ys[.]) | f)"]
		   | join(" ")) + "\"/>",
		"<circle cx=\"\(X(0) | f)\" cy=\"\(Y(1) | f)\" r=\"3\" fill=\"#9e9e9e\"><title>start: 1x</title></circle>",
		(range(0; $k) as $i | $steps[$i] as $s
		 | "<circle class=\"point\" cx=\"\(X($i + 1) | f)\" cy=\"\(Y($s.cumulative) | f)\" r=\"5\" fill=\"#1565c0\"><title>\(("\($s.attempt // "") \($s.speedup // 1 | r2)x, cumulative \($s.cumulative | r2)x") | esc)</title></circle>",
		   text(X($i + 1); Y($s.cumulative) - 10;
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
	text(600; 72; "font-weight=\"bold\""; "verdicts"),
	($vs | to_entries[] | .key as $i | .value as $v
	 | (110 + $i * 52) as $y
	 | text(600; $y; "fill=\"#333333\""; $v.key),
	   "<rect class=\"bar\" x=\"600\" y=\"\($y + 6)\" width=\"\(($v.value / $vmax * 220) | f)\" height=\"22\" fill=\"\(colors[$v.key] // "#757575")\"><title>\(("\($v.key): \($v.value)") | esc)</title></rect>",
	   text(600 + ($v.value / $vmax * 220) + 6; $y + 22; "fill=\"#333333\"";
		"\($v.value)")),
	(if $r.unfinished > 0 then
		text(600; 110 + ($vs | length) * 52; "fill=\"#777777\"";
		     "and \($r.unfinished) unfinished")
	 else empty end),
	text(30; 580; "font-size=\"11\" fill=\"#777777\"";
	     "tokens \($r.tokens.total); time: llm \($r.seconds.llm | f) s, build \($r.seconds.build | f) s, test \($r.seconds.test | f) s, bench \($r.seconds.bench | f) s"),
	"</svg>"
] | .[]
