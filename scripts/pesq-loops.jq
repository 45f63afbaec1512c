#!/usr/bin/jq -f
# pesq-loops.jq: for git pesq run --parallel, the records of pesq-deps
# (one a line) whose function holds a loop: a for, while or do in its
# code (comments and literals skipped) and, when the profile gave hot
# lines (def.hot_lines), its heaviest hot line inside the body of one of
# them (a loop of a parent that calls its hot child counts, a call
# before any loop does not). A parent without hot lines is left out: its
# time is in its child, and nothing says whether it calls it in a loop.
# Records with an error pass through
# (pesq-targets.jq tells about them). With --arg what dropped: the names
# of the functions left out, one a line, instead.
def blank: gsub("[^\n]"; "");
def plain: gsub("/\\*(?<c>(?:[^*]|\\*(?!/))*)\\*/"; "  " + (.c | blank))
	| gsub("//[^\n]*"; "")
	| gsub("\"(?:[^\"\\\\\n]|\\\\.)*\""; "\"\"")
	| gsub("'(?:[^'\\\\\n]|\\\\.)*'"; "' '");
# the offset in the codepoints $cs just past the bracket that closes the
# one at $i ($open and $close: codepoints), or the end
def close($cs; $i; $open; $close):
	first(foreach range($i; $cs | length) as $k ({d: 0};
		.d += (if $cs[$k] == $open then 1
		       elif $cs[$k] == $close then -1 else 0 end);
		if .d == 0 then $k + 1 else empty end)) // ($cs | length);
# where the statement starting at or after $i ends (a block, or up to ;)
def statement($cs; $i):
	(first(range($i; $cs | length) | select($cs[.] > 32)) // ($cs | length))
	as $s
	| if $s < ($cs | length) and $cs[$s] == 123 then close($cs; $s; 123; 125)
	  else (first(range($s; $cs | length) | select($cs[.] == 59)) // ($cs | length)) + 1
	  end;
# the loops of the code: [first line, last line] in the file
def loops: (.def.line // 1) as $line
	| (.def.code // "" | plain) as $c
	| ($c | explode) as $cs
	| def line_at($o): ($cs[0:$o] | map(select(. == 10)) | length) + $line;
	[$c | match("\\b(?:for|while)\\s*\\(|\\bdo\\b"; "g")
	 | .offset as $o
	 | (if .string == "do" then statement($cs; $o + 2)
	    else close($cs; $o + .length - 1; 40; 41) as $h
	    | statement($cs; $h) end) as $e
	 | [line_at($o), line_at($e - 1)]];
def loop_ok: loops as $l
	| ($l | length) > 0 and
	  ((.def.hot_lines // []) as $h
	   | ($h | length) == 0 and .role != "parent"
	   or ($h | length) > 0 and ($h | max_by(.count) | .line) as $x
	     | any($l[]; .[0] <= $x and $x <= .[1]));
if .error != null then (if $ARGS.named.what == "dropped" then empty else . end)
elif loop_ok then (if $ARGS.named.what == "dropped" then empty else . end)
elif $ARGS.named.what == "dropped" then .fn
else empty end
