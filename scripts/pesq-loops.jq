#!/usr/bin/jq -f
# pesq-loops.jq: for git pesq run --parallel, the records of pesq-deps
# (one a line) whose function holds a loop: a for, while or do in its
# code (comments and string literals skipped) and, when the profile gave
# hot lines (def.hot_lines), its heaviest hot line at or after the first
# loop, not in code before it. Records with an error pass through
# (pesq-targets.jq tells about them). With --arg what dropped: the names
# of the functions left out, one a line, instead.
def blank: gsub("[^\n]"; "");
def plain: gsub("/\\*(?<c>(?:[^*]|\\*(?!/))*)\\*/"; "  " + (.c | blank))
	| gsub("//[^\n]*"; "")
	| gsub("\"(?:[^\"\\\\\n]|\\\\.)*\""; "\"\"")
	| gsub("'(?:[^'\\\\\n]|\\\\.)*'"; "' '");
# the line in the file of the first loop of the definition, or null
def first_loop: (.def.line // 1) as $line
	| (.def.code // "" | plain) as $c
	| [$c | match("\\b(?:for|while)\\s*\\(|\\bdo\\b"; "g") | .offset]
	| if length == 0 then null
	  else .[0] as $o | ($c[0:$o] | [scan("\n")] | length) + $line end;
def loop_ok: first_loop as $l
	| $l != null and
	  ((.def.hot_lines // []) as $h
	   | ($h | length) == 0 or ($h | max_by(.count) | .line) >= $l);
if .error != null then (if $ARGS.named.what == "dropped" then empty else . end)
elif loop_ok then (if $ARGS.named.what == "dropped" then empty else . end)
elif $ARGS.named.what == "dropped" then .fn
else empty end
