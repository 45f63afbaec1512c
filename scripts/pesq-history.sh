#!/bin/sh
# pesq-history.sh: the history verbs of git-pesq (log, show, report,
# accept, gc, push, pull) and the ledger helpers the loop uses. Sourced
# by git-pesq from its data directory, after its own helpers (die, warn,
# usage_error, need_repo, q, fn_ref, man_page); POSIX sh.
#
# The ledger is the notes in refs/notes/pesq: JSON Lines, one line per
# event, on each attempt commit (DESIGN.md 3). The verbs read it whole
# with one 'git cat-file --batch' and do the sums with jq
# (pesq-ledger.jq: events to attempts; pesq-report.jq: the totals).

notes_ref=refs/notes/pesq

usage_log() {
	cat <<'EOF'
usage: git pesq log [--accepted|--rejected|--verdict V] [--fn NAME] [--json]

   -a, --accepted     accepted attempts only
   -r, --rejected     attempts with any verdict but accepted
       --verdict V    attempts with verdict V (accepted, rejected,
                      inconclusive, build-failed, test-failed,
                      output-differs, error, none)
   -f, --fn NAME      attempts on function NAME
   -n, --max-count N  the newest N attempts
   -j, --json         the records, one JSON object a line
EOF
}

usage_show() {
	cat <<'EOF'
usage: git pesq show [--color[=WHEN]|--no-color] [--stat] <attempt>

<attempt> is an attempt id (fn/n), a branch (pesq/fn/n) or a commit.
EOF
}

usage_report() {
	cat <<'EOF'
usage: git pesq report [--json] [--svg FILE] [--last]

   -j, --json       the totals as one JSON object
   -s, --svg FILE   also draw the speedup of pesq/best and the verdicts
   -l, --last       the table of the last run instead
EOF
}

usage_accept() {
	cat <<'EOF'
usage: git pesq accept [--squash] [-m MSG]

   --squash      one commit with the changes of pesq/best, its trailers
                 and the measured speedups (default: fast-forward, or a
                 merge when the branch has moved on)
   -m MSG        the subject of that commit
EOF
}

usage_gc() {
	cat <<'EOF'
usage: git pesq gc [--keep-rejected] [-n|--dry-run]

   --keep-rejected  keep attempts that built and ran but were not faster
                    (rejected, inconclusive)
   -n, --dry-run    say which branches would go
EOF
}

usage_push() {
	cat <<'EOF'
usage: git pesq push [<remote>]
EOF
}

usage_pull() {
	cat <<'EOF'
usage: git pesq pull [<remote>]
EOF
}

# hist_tmp: a scratch directory $tmp, removed on exit.
hist_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/git-pesq.XXXXXX") ||
		die "cannot make a temporary directory"
	trap 'rm -rf "$tmp"' EXIT
	trap 'rm -rf "$tmp"; exit 130' INT
	trap 'rm -rf "$tmp"; exit 143' TERM
}

# ledger_events OUT: every line of every note in refs/notes/pesq, as
# "<commit><TAB><line>" (the notes are read with one cat-file --batch).
ledger_events() {
	git notes --ref=pesq list >"$1.list" 2>/dev/null || : >"$1.list"
	if ! [ -s "$1.list" ]; then
		: >"$1"
		return 0
	fi
	cut -d ' ' -f 1 "$1.list" | git cat-file --batch >"$1.batch" ||
		die "cannot read the notes in '$notes_ref'"
	LC_ALL=C awk -v list="$1.list" '
	BEGIN {
		while ((getline l < list) > 0) {
			split(l, f, " ")
			on[f[1]] = on[f[1]] " " f[2]
		}
		need = -1
	}
	need < 0 {
		if ($2 == "missing" || NF < 3) next
		blob = $1; need = $3 + 0; skip = need == 0
		if (need == 0) need = -1
		next
	}
	{
		need -= length($0) + 1
		if (need >= -1 && $0 != "") {
			n = split(on[blob], cs, " ")
			for (i = 1; i <= n; i++) print cs[i] "\t" $0
		}
		if (need <= 0) {
			if (need == 0) getline
			need = -1
		}
	}' "$1.batch" >"$1" || die "cannot read the notes in '$notes_ref'"
	rm -f "$1.list" "$1.batch"
}

# ledger_attempts OUT: the attempt records (pesq-ledger.jq), newest first.
ledger_attempts() {
	ledger_events "$1.events"
	git for-each-ref --format='%(objectname) %(refname:strip=2)' \
	    refs/heads/pesq/ | while read -r c b
	do
		[ "$b" = pesq/best ] && continue
		printf '{"commit":"%s","branch":"%s"}\n' "$c" "$b"
	done >"$1.branches"
	jq -R -c 'split("\t") | select(length == 2) | .[0] as $c
	    | (.[1] | fromjson? // null)
	    | if type == "object" then .commit = $c else {bad: $c} end' \
	    "$1.events" >"$1.ev" || die "cannot read the notes"
	la_bad=$(grep -c '^{"bad":' "$1.ev")
	if [ "$la_bad" -gt 0 ]; then
		warn "$la_bad lines of the notes in '$notes_ref' are not JSON objects: skipped"
		grep -v '^{"bad":' "$1.ev" >"$1.ev2"
		mv "$1.ev2" "$1.ev"
	fi
	# the parents of the noted commits that are here, for notes that
	# do not say (an apply line without parent)
	cut -f 1 "$1.events" | sort -u | git cat-file --batch-check |
	    awk '$2 == "commit" { print $1 }' |
	    git log --no-walk=unsorted --stdin --format='%H %P' 2>/dev/null |
	    awk 'NF >= 2 { printf "{\"commit\":\"%s\",\"parent\":\"%s\"}\n", $1, $2 }' \
	    >"$1.parents"
	jq -s -c --slurpfile branches "$1.branches" \
	    --slurpfile parents "$1.parents" \
	    -f "$datadir/pesq-ledger.jq" "$1.ev" >"$1" ||
		die "cannot make sense of the notes in '$notes_ref'"
	rm -f "$1.events" "$1.branches" "$1.ev" "$1.parents"
}

# best_steps OUT: the squashed commits of pesq/best, oldest first, one
# JSON object a line {commit, attempt_commit, attempt, speedup, ci,
# subject}; the walk stops at the first commit pesq did not make.
best_steps() {
	if ! git rev-parse -q --verify refs/heads/pesq/best >/dev/null; then
		: >"$1"
		return 0
	fi
	git log --first-parent --format='%H%x09%(trailers:key=Pesq-Commit,valueonly,separator=%x2C)%x09%(trailers:key=Pesq-Speedup,valueonly,separator=%x2C)%x09%(trailers:key=Pesq-Attempt,valueonly,separator=%x2C)%x09%s' \
	    refs/heads/pesq/best >"$1.log" || die "cannot read pesq/best"
	jq -R -c -s '
	    def n: tonumber? // null;
	    [split("\n")[] | select(length > 0) | split("\t")
	     | {commit: .[0], attempt_commit: .[1], sp: .[2],
		attempt: .[3], subject: (.[4:] | join("\t"))}]
	    | (map(.attempt_commit != "") | index(false)) as $k
	    | (if $k == null then . else .[:$k] end)
	    | reverse[]
	    | (.sp | capture("^ *(?<s>[0-9.]+)(.*CI (?<lo>[0-9.]+)-(?<hi>[0-9.]+))?")
	       // {}) as $m
	    | {commit, attempt_commit, attempt, subject,
	       speedup: (($m.s // "" | n)
		   // (.subject | capture("\\((?<x>[0-9.]+)x\\)$").x | n)),
	       ci: (if $m.lo then [($m.lo | n), ($m.hi | n)] else null end)}' \
	    "$1.log" >"$1" || die "cannot read the trailers of pesq/best"
	rm -f "$1.log"
}

# --- ledger lines the loop writes ---------------------------------------

# ledger_append COMMIT FILE: append the lines of FILE to the note of
# COMMIT, as one compare-and-swap of refs/notes/pesq (retried when
# another writer moved it meanwhile).
ledger_append() {
	la_tmp=refs/notes/pesq-tmp-$$
	la_i=0
	while [ $la_i -lt 20 ]
	do
		la_i=$((la_i + 1))
		la_old=$(git rev-parse -q --verify $notes_ref) || la_old=
		if [ -n "$la_old" ]; then
			git update-ref $la_tmp "$la_old" || return 1
		else
			git update-ref -d $la_tmp 2>/dev/null
		fi
		{
			git notes --ref=$la_tmp show "$1" 2>/dev/null
			cat "$2"
		} >"$2.note"
		git notes --ref=$la_tmp add -f -F "$2.note" "$1" >/dev/null 2>&1 ||
		{
			git update-ref -d $la_tmp 2>/dev/null
			return 1
		}
		la_new=$(git rev-parse $la_tmp)
		if git update-ref -m "pesq: note" $notes_ref "$la_new" \
		    "${la_old:-$zero}" 2>/dev/null
		then
			git update-ref -d $la_tmp 2>/dev/null
			rm -f "$2.note"
			return 0
		fi
	done
	git update-ref -d $la_tmp 2>/dev/null
	return 1
}

# ledger_llm FILE: for each record of FILE that pesq-apply made a commit
# for, an "llm" line in that commit's note: what was asked and what it
# cost, which no filter writes in the ledger (role, prompt mode, tokens,
# the place of the original definition for examples).
ledger_llm() {
	jq -c '
	    select(.error == null and (.attempt.commit | type) == "string"
		   and .llm != null)
	    | {commit: .attempt.commit, line: ({event: "llm",
		attempt: .attempt.id, time: 0, fn, role, child,
		mode: .prompt.mode, prompt: .prompt.id,
		est_tokens: .prompt.est_tokens,
		provider: .llm.provider, model: .llm.model,
		temperature: .llm.temperature,
		in_tokens: .llm.in_tokens, out_tokens: .llm.out_tokens,
		ms: .llm.ms, cached: .llm.cached, cost: .llm.cost,
		sample: .llm.sample, summary: .candidate.summary,
		def: (.def | if type == "object" then
		    {file, line, end_line, start, "end": .end, blob}
		    else null end)}
		| with_entries(select(.value != null)))}' "$1" \
	    >"$1.llm" || return 1
	while IFS= read -r ll
	do
		ll_c=$(printf '%s\n' "$ll" | jq -r .commit)
		ll_t=$(git show -s --format=%ct "$ll_c" 2>/dev/null) || ll_t=0
		printf '%s\n' "$ll" | jq -c --argjson t "$ll_t" \
		    '.line | .time = $t' >"$1.line" &&
		ledger_append "$ll_c" "$1.line" ||
			warn "cannot write the llm line of '$ll_c' in the notes"
	done <"$1.llm"
	rm -f "$1.llm" "$1.line"
}

# ledger_examples OUT: the accepted attempts of the ledger with their
# code, newest first, as pesq-prompt --examples reads them (what git pesq
# log --accepted --json writes); OUT is empty when there are none.
ledger_examples() {
	(cmd_log --accepted --json) >"$1.tmp" 2>/dev/null || : >"$1.tmp"
	jq -c 'select(.original != null and .accepted != null)' "$1.tmp" \
	    >"$1" 2>/dev/null || : >"$1"
	rm -f "$1.tmp"
}

# code_of REV FILE START LEN: LEN bytes of FILE at REV from byte START.
code_of() {
	git cat-file blob "$1:$2" 2>/dev/null |
	    tail -c +"$(($3 + 1))" | head -c "$4"
}

# add_code IN OUT: the accepted records of IN with `original` (the
# definition at the base) and `accepted` (the same place at the attempt,
# grown or shrunk by the change in the file's size) and `summary`.
add_code() {
	: >"$2"
	while IFS= read -r rec
	do
		eval "$(printf '%s\n' "$rec" | jq -r '@sh "
		    ac_v=\(.verdict // "") ac_c=\(.commit) ac_b=\(.base // "")
		    ac_f=\(.def.file // .file // "")
		    ac_s=\(.def.start // -1) ac_e=\(.def.end // -1)"')"
		if [ "$ac_v" = accepted ] && [ -n "$ac_f" ] &&
		    [ "$ac_s" -ge 0 ] && [ "$ac_e" -ge "$ac_s" ] &&
		    git cat-file -e "$ac_c^{commit}" 2>/dev/null &&
		    git cat-file -e "$ac_b:$ac_f" 2>/dev/null
		then
			n0=$(git cat-file -s "$ac_b:$ac_f")
			n1=$(git cat-file -s "$ac_c:$ac_f" 2>/dev/null) || n1=$n0
			code_of "$ac_b" "$ac_f" "$ac_s" $((ac_e - ac_s)) \
			    >"$tmp/orig"
			code_of "$ac_c" "$ac_f" "$ac_s" \
			    $((ac_e - ac_s + n1 - n0)) >"$tmp/acc"
			subj=$(git show -s --format=%s "$ac_c")
			printf '%s\n' "$rec" | jq -c --rawfile o "$tmp/orig" \
			    --rawfile a "$tmp/acc" --arg s "$subj" '
			    .original = $o | .accepted = $a
			    | .summary = (.summary // ($s
				| sub("^pesq: [^:]*: "; "")))'
		else
			printf '%s\n' "$rec"
		fi
	done <"$1" >"$2"
}

# --- log ---------------------------------------------------------------

cmd_log() {
	lg_sel= lg_fn= lg_json= lg_max=
	while [ $# -gt 0 ]
	do
		case $1 in
		-a|--accepted) lg_sel=accepted ;;
		-r|--rejected) lg_sel=rejected ;;
		--verdict|-f|--fn|-n|--max-count)
			[ $# -ge 2 ] ||
				usage_error log "option '$1' needs a value"
			case $1 in
			--verdict) lg_sel=$2 ;;
			-n|--max-count) lg_max=$2 ;;
			*) lg_fn=$2 ;;
			esac
			shift
			;;
		--verdict=*) lg_sel=${1#*=} ;;
		--fn=*) lg_fn=${1#*=} ;;
		--max-count=*) lg_max=${1#*=} ;;
		-j|--json) lg_json=t ;;
		-h) usage_log; exit 0 ;;
		*) usage_error log "unknown option '$1'" ;;
		esac
		shift
	done
	case $lg_sel in
	''|accepted|rejected|inconclusive|build-failed|test-failed|\
	output-differs|error|none) ;;
	*) usage_error log "'$lg_sel' is not a verdict" ;;
	esac
	[ -z "$lg_max" ] || is_count "$lg_max" ||
		usage_error log "'--max-count' takes a count, not '$lg_max'"
	need_repo
	hist_tmp
	ledger_attempts "$tmp/attempts"
	jq -c --arg sel "$lg_sel" --arg fn "$lg_fn" '
	    select($fn == "" or .fn == $fn)
	    | select($sel == "" or ($sel == "rejected"
		and .verdict != null and .verdict != "accepted")
		or ($sel == "none" and .verdict == null)
		or .verdict == $sel)' "$tmp/attempts" >"$tmp/sel" ||
		die "cannot select the attempts"
	if [ -n "$lg_max" ]; then
		head -n "$lg_max" "$tmp/sel" >"$tmp/sel.1"
		mv "$tmp/sel.1" "$tmp/sel"
	fi
	if [ -n "$lg_json" ]; then
		add_code "$tmp/sel" "$tmp/out"
		cat "$tmp/out"
	else
		[ -s "$tmp/sel" ] || return 0
		jq -s -r -f "$datadir/pesq-log.jq" "$tmp/sel"
	fi
}

# --- show --------------------------------------------------------------

# hist_color WHEN: true when output is to be coloured: WHEN always/never,
# or else color.pesq, color.ui and whether stdout is a terminal.
hist_color() {
	case $1 in
	always) return 0 ;;
	never) return 1 ;;
	esac
	if [ -t 1 ]; then hc_t=true; else hc_t=false; fi
	[ "$(git config --get-colorbool color.pesq $hc_t)" = true ]
}

# find_attempt ARG ATTEMPTS: the record ARG names (an attempt id, an
# attempt branch or a commit of the attempt) into $tmp/rec.
find_attempt() {
	jq -c --arg a "$1" 'select(.id == $a)' "$2" >"$tmp/rec"
	if [ "$(wc -l <"$tmp/rec")" -gt 1 ]; then
		warn "attempt '$1' is ambiguous: it is each of"
		jq -r '"git-pesq:   \(.commit)  \(.branch // "(no branch)")"' \
		    "$tmp/rec" >&2
		exit 2
	fi
	[ -s "$tmp/rec" ] && return 0
	fa_c=$(git rev-parse -q --verify "refs/heads/$1^{commit}" ||
	    git rev-parse -q --verify "$1^{commit}") ||
		die "no attempt '$1' in the ledger" 2
	jq -c --arg c "$fa_c" 'select(.commit == $c or
	    (.chain | index([$c]) != null))' "$2" | sed 1q >"$tmp/rec"
	[ -s "$tmp/rec" ] || die "no attempt '$1' in the ledger" 2
}

cmd_show() {
	sh_color= sh_stat= sh_arg=
	while [ $# -gt 0 ]
	do
		case $1 in
		--color) sh_color=always ;;
		--color=*) sh_color=${1#*=} ;;
		--no-color) sh_color=never ;;
		--stat) sh_stat=t ;;
		-h) usage_show; exit 0 ;;
		--) shift; break ;;
		-*) usage_error show "unknown option '$1'" ;;
		*) break ;;
		esac
		shift
	done
	case $sh_color in
	''|always|never|auto) ;;
	*) usage_error show "'--color' takes always, never or auto" ;;
	esac
	[ $# = 1 ] || usage_error show "give one attempt"
	need_repo
	hist_tmp
	ledger_attempts "$tmp/attempts"
	find_attempt "$1" "$tmp/attempts"
	if hist_color "$sh_color"; then sh_c=true; else sh_c=false; fi
	eval "$(jq -r '@sh "sh_commit=\(.commit) sh_base=\(.base // "")"' \
	    "$tmp/rec")"
	sh_have=false
	if git cat-file -e "$sh_commit^{commit}" 2>/dev/null; then
		sh_have=true
		git show -s --format=%s "$sh_commit" >"$tmp/subject"
	else
		: >"$tmp/subject"
	fi
	jq -r --argjson color $sh_c --argjson have $sh_have \
	    --rawfile subject "$tmp/subject" -f "$datadir/pesq-show.jq" \
	    "$tmp/rec" || die "cannot show the attempt"
	if [ $sh_have = true ] && [ -n "$sh_base" ] &&
	    git cat-file -e "$sh_base^{commit}" 2>/dev/null
	then
		echo
		if [ $sh_c = true ]; then sh_w=always; else sh_w=never; fi
		if [ -n "$sh_stat" ]; then
			git diff --color=$sh_w --stat "$sh_base" "$sh_commit"
		else
			git diff --color=$sh_w "$sh_base" "$sh_commit"
		fi || die "cannot diff the attempt"
	fi
}

# --- report ------------------------------------------------------------

cmd_report() {
	rp_json= rp_svg= rp_last=
	while [ $# -gt 0 ]
	do
		case $1 in
		-j|--json) rp_json=t ;;
		-l|--last) rp_last=t ;;
		-s|--svg)
			[ $# -ge 2 ] ||
				usage_error report "option '$1' needs a value"
			rp_svg=$2
			shift
			;;
		--svg=*) rp_svg=${1#*=} ;;
		-h) usage_report; exit 0 ;;
		*) usage_error report "unknown option '$1'" ;;
		esac
		shift
	done
	need_repo
	if [ -n "$rp_last" ]; then
		[ -z "$rp_json$rp_svg" ] ||
			usage_error report "--last goes alone"
		run_table
		return
	fi
	hist_tmp
	ledger_attempts "$tmp/attempts"
	best_steps "$tmp/best"
	jq -s -c --slurpfile best "$tmp/best" -f "$datadir/pesq-report.jq" \
	    "$tmp/attempts" >"$tmp/report" || die "cannot sum up the ledger"
	if [ -n "$rp_svg" ]; then
		jq -r -f "$datadir/pesq-svg.jq" "$tmp/report" >"$tmp/svg" &&
		cp "$tmp/svg" "$rp_svg" || die "cannot write '$rp_svg'"
	fi
	if [ -n "$rp_json" ]; then
		cat "$tmp/report"
	elif ! [ -s "$tmp/attempts" ]; then
		echo "no attempts yet: 'git pesq run' makes some" >&2
	else
		jq -r -f "$datadir/pesq-report-text.jq" "$tmp/report"
	fi
}

# --- accept ------------------------------------------------------------

cmd_accept() {
	ac_squash= ac_msg=
	while [ $# -gt 0 ]
	do
		case $1 in
		--squash) ac_squash=t ;;
		-m|--message)
			[ $# -ge 2 ] ||
				usage_error accept "option '$1' needs a value"
			ac_msg=$2
			shift
			;;
		--message=*) ac_msg=${1#*=} ;;
		-h) usage_accept; exit 0 ;;
		*) usage_error accept "unknown option '$1'" ;;
		esac
		shift
	done
	need_repo
	hist_tmp
	best=$(git rev-parse -q --verify refs/heads/pesq/best) ||
		die "no pesq/best: 'git pesq run' makes it" 1
	ac_branch=$(git symbolic-ref -q HEAD) ||
		die "HEAD is detached: check out the branch to bring pesq/best into" 1
	[ "$ac_branch" != refs/heads/pesq/best ] ||
		die "the current branch is pesq/best itself" 1
	ac_head=$(git rev-parse -q --verify HEAD) ||
		die "the current branch has no commit yet" 1
	[ "$(git rev-parse --is-inside-work-tree 2>/dev/null)" = true ] ||
		die "accept needs a working tree" 1
	git update-index -q --refresh >/dev/null 2>&1
	if ! git diff-index --quiet HEAD -- 2>/dev/null; then
		die "the working tree or the index has changes: commit or stash them first" 1
	fi
	if git merge-base --is-ancestor "$best" "$ac_head"; then
		echo "${ac_branch#refs/heads/} already has pesq/best"
		return 0
	fi
	ac_mb=$(git merge-base "$ac_head" "$best") ||
		die "pesq/best and ${ac_branch#refs/heads/} have no common history" 1
	# refuse before touching anything when the changes conflict
	if ! git merge-tree --write-tree --name-only --no-messages \
	    "$ac_head" "$best" >"$tmp/mt" 2>&1
	then
		warn "pesq/best and ${ac_branch#refs/heads/} have diverged and their changes conflict in:"
		sed '1d; s/^/git-pesq:     /' "$tmp/mt" >&2
		die "nothing changed; merge pesq/best by hand, or start a run from here: git pesq run --base HEAD" 1
	fi
	# the accepted steps between the two and what they measured
	git log --first-parent --reverse --format='%H%x09%(trailers:key=Pesq-Speedup,valueonly,separator=%x2C)%x09%s' \
	    "$ac_mb..$best" >"$tmp/steps" || die "cannot read pesq/best"
	ac_n=$(wc -l <"$tmp/steps")
	if [ -z "$ac_squash" ] &&
	    [ "$(git rev-parse "$ac_mb")" = "$ac_head" ]; then
		git merge -q --ff-only "$best" ||
			die "cannot fast-forward to pesq/best"
		echo "${ac_branch#refs/heads/}: fast-forward to pesq/best ($(git rev-parse --short "$best"), $ac_n commits)"
		return 0
	fi
	best_steps "$tmp/best"
	jq -s -r --arg mb "$(git rev-parse "$ac_mb")" --arg msg "$ac_msg" \
	    --arg n "$ac_n" '
	    def r3: . * 1000 | round / 1000 | tostring;
	    (map(.commit) | index($mb)) as $k
	    | (if $k == null then . else .[$k + 1:] end) as $s
	    | (reduce $s[].speedup as $x (1; . * ($x // 1))) as $cum
	    | (if $msg != "" then $msg
	       else "pesq: \($s | length) accepted attempt\(if ($s | length) == 1 then "" else "s" end), \($cum | r3)x" end),
	      "",
	      "Measured speedups, each against the step before (\($cum | r3)x in all):",
	      "",
	      ($s[] | "  \(.subject | sub("^pesq: "; ""))"
	       + (if .ci then "  [\(.ci[0] | r3)-\(.ci[1] | r3)]" else "" end)),
	      ""' "$tmp/best" >"$tmp/msg" || die "cannot write the message"
	git log --first-parent --reverse \
	    --format='%(trailers:only,unfold)' "$ac_mb..$best" |
	    grep '^Pesq-' >>"$tmp/msg"
	if [ -n "$ac_squash" ]; then
		git merge -q --squash "$best" >"$tmp/out" 2>&1 || {
			cat "$tmp/out" >&2
			git reset -q --merge
			die "cannot squash pesq/best: nothing changed" 1
		}
		git commit -q -F "$tmp/msg" ||
			die "cannot commit; the changes are in the index"
		echo "${ac_branch#refs/heads/}: one commit with pesq/best's changes ($(git rev-parse --short HEAD))"
	else
		git merge -q --no-ff -F "$tmp/msg" "$best" \
		    >"$tmp/out" 2>&1 || {
			cat "$tmp/out" >&2
			git merge --abort 2>/dev/null
			die "cannot merge pesq/best: nothing changed" 1
		}
		echo "${ac_branch#refs/heads/}: merged pesq/best ($(git rev-parse --short "$best"))"
	fi
}

# --- gc ----------------------------------------------------------------

cmd_gc() {
	gc_keep= gc_dry=
	while [ $# -gt 0 ]
	do
		case $1 in
		--keep-rejected) gc_keep=t ;;
		-n|--dry-run) gc_dry=t ;;
		-h) usage_gc; exit 0 ;;
		*) usage_error gc "unknown option '$1'" ;;
		esac
		shift
	done
	need_repo
	if [ -d "$state/run.lock" ]; then
		gc_pid=$(cat "$state/run.lock/pid" 2>/dev/null)
		if [ -n "$gc_pid" ] && kill -0 "$gc_pid" 2>/dev/null; then
			die "a 'git pesq run' is going on (pid $gc_pid): try later" 1
		fi
	fi
	hist_tmp
	ledger_attempts "$tmp/attempts"
	# the commits on pesq/best's attempts stay, whatever the ledger says
	best_steps "$tmp/best"
	jq -r .attempt_commit "$tmp/best" >"$tmp/keep"
	jq -r --arg keep "$gc_keep" '
	    select(.verdict != "accepted"
		and ($keep == "" or (.verdict != "rejected"
		    and .verdict != "inconclusive")))
	    | .commit' "$tmp/attempts" >"$tmp/drop" || die "cannot read the ledger"
	git for-each-ref --format='%(objectname) %(refname)' refs/heads/pesq/ \
	    >"$tmp/refs" || die "cannot list the attempt branches"
	while read -r c r
	do
		[ "$r" = refs/heads/pesq/best ] && continue
		grep -qx "$c" "$tmp/keep" && continue
		grep -qx "$c" "$tmp/drop" || continue
		if [ -n "$gc_dry" ]; then
			echo "would delete ${r#refs/heads/}"
		else
			git update-ref -m "pesq: gc" -d "$r" "$c" ||
				die "cannot delete '${r#refs/heads/}'"
			echo "deleted ${r#refs/heads/} ($(git rev-parse --short "$c"))"
		fi
	done <"$tmp/refs"
}

# --- push, pull --------------------------------------------------------

# remote_of ARG: the remote to use: ARG, else pesq.remote, else the
# current branch's, else origin.
remote_of() {
	if [ -n "$1" ]; then
		printf '%s\n' "$1"
		return
	fi
	git config pesq.remote && return
	rb=$(git symbolic-ref -q --short HEAD) &&
	    git config "branch.$rb.remote" && return
	echo origin
}

# fetch_remote REMOTE: the remote's pesq refs, with their objects: its
# notes into refs/notes/pesq-remote/<remote> ($fr_notes), its pesq/best
# and attempt branches into refs/pesq-remote/<remote>/heads/ ($fr_ns).
fetch_remote() {
	fr_name=$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' _)
	fr_ns=refs/pesq-remote/$fr_name
	fr_notes=refs/notes/pesq-remote/$fr_name
	git for-each-ref --format='%(refname)' "$fr_ns/" "$fr_notes" |
	    while read -r r
	do
		git update-ref -d "$r"
	done
	git ls-remote "$1" >"$tmp/ls" 2>"$tmp/fetch" || {
		cat "$tmp/fetch" >&2
		die "cannot reach '$1'"
	}
	fr_specs=
	grep -q "	$notes_ref\$" "$tmp/ls" &&
		fr_specs="+$notes_ref:$fr_notes"
	grep -q '	refs/heads/pesq/' "$tmp/ls" &&
		fr_specs="$fr_specs +refs/heads/pesq/*:$fr_ns/heads/*"
	[ -n "$fr_specs" ] || return 0
	# shellcheck disable=SC2086
	git fetch -q --no-tags "$1" $fr_specs 2>"$tmp/fetch" || {
		cat "$tmp/fetch" >&2
		die "cannot fetch from '$1'"
	}
}

# merge_notes REF: merge the notes at REF into refs/notes/pesq with
# cat_sort_uniq (each note's lines, both sides', sorted, once each).
merge_notes() {
	git rev-parse -q --verify "$1" >/dev/null || return 0
	if ! git rev-parse -q --verify $notes_ref >/dev/null; then
		git update-ref $notes_ref "$(git rev-parse "$1")" "$zero" ||
			die "cannot set '$notes_ref'"
		return 0
	fi
	git notes --ref=pesq merge -q -s cat_sort_uniq "$1" >"$tmp/merge" 2>&1 || {
		cat "$tmp/merge" >&2
		die "cannot merge the notes of '$1'"
	}
}

# next_free PREFIX SET: the first "PREFIX/n" (n = 1, 2, ...) not in the
# refnames listed in file SET.
next_free() {
	nf_n=1
	while grep -qx "$1/$nf_n" "$2"
	do
		nf_n=$((nf_n + 1))
	done
	printf '%s/%s\n' "$1" "$nf_n"
}

cmd_pull() {
	case $1 in
	-h) usage_pull; exit 0 ;;
	-*) usage_error pull "unknown option '$1'" ;;
	esac
	[ $# -le 1 ] || usage_error pull "too many arguments"
	need_repo
	hist_tmp
	pl_r=$(remote_of "$1")
	fetch_remote "$pl_r"
	merge_notes "$fr_notes"
	pl_new=0 pl_same=0
	git for-each-ref --format='%(refname)' refs/heads/pesq/ >"$tmp/local"
	git for-each-ref --format='%(objectname) %(refname)' "$fr_ns/heads/" \
	    >"$tmp/theirs"
	while read -r c r
	do
		name=refs/heads/pesq/${r#"$fr_ns"/heads/}
		if [ "$name" = refs/heads/pesq/best ]; then
			pull_best "$c" "$pl_r"
			continue
		fi
		# their attempt may be here already, under any name
		if git for-each-ref --format='%(objectname)' refs/heads/pesq/ |
		    grep -qx "$c"; then
			pl_same=$((pl_same + 1))
			continue
		fi
		old=$(git rev-parse -q --verify "$name") || old=
		if [ -n "$old" ]; then
			if git merge-base --is-ancestor "$old" "$c"; then
				# the same attempt, corrected further there
				git update-ref -m "pesq: pull" "$name" "$c" "$old" ||
					die "cannot update '$name'"
				pl_new=$((pl_new + 1))
				continue
			fi
			name=$(next_free "${name%/*}" "$tmp/local")
			echo "git-pesq: ${r#"$fr_ns"/heads/} from $pl_r is ${name#refs/heads/} here" >&2
		fi
		git update-ref -m "pesq: pull from $pl_r" "$name" "$c" "$zero" ||
			die "cannot make '$name'"
		echo "$name" >>"$tmp/local"
		pl_new=$((pl_new + 1))
	done <"$tmp/theirs"
	echo "pulled from $pl_r: $pl_new attempt branches new, $pl_same here already"
}

# pull_best THEIRS REMOTE: move pesq/best to theirs when that is a
# fast-forward (or there is none here); otherwise keep ours and say so.
pull_best() {
	pb_ours=$(git rev-parse -q --verify refs/heads/pesq/best) || pb_ours=
	if [ -z "$pb_ours" ]; then
		git update-ref -m "pesq: pull from $2" refs/heads/pesq/best "$1" \
		    "$zero" || die "cannot make pesq/best"
		echo "pesq/best: $(git rev-parse --short "$1") from $2"
	elif git merge-base --is-ancestor "$1" "$pb_ours"; then
		:
	elif git merge-base --is-ancestor "$pb_ours" "$1"; then
		git update-ref -m "pesq: pull from $2" refs/heads/pesq/best "$1" \
		    "$pb_ours" || die "cannot move pesq/best"
		echo "pesq/best: fast-forward to $(git rev-parse --short "$1") from $2"
	else
		warn "pesq/best and $2's have diverged: ours stays; theirs is $fr_ns/heads/best ($(git rev-parse --short "$1"))"
	fi
}

cmd_push() {
	case $1 in
	-h) usage_push; exit 0 ;;
	-*) usage_error push "unknown option '$1'" ;;
	esac
	[ $# -le 1 ] || usage_error push "too many arguments"
	need_repo
	hist_tmp
	ps_r=$(remote_of "$1")
	# take theirs in first, so that the notes push as a fast-forward
	fetch_remote "$ps_r"
	merge_notes "$fr_notes"
	set --
	git rev-parse -q --verify $notes_ref >/dev/null &&
		set -- "$notes_ref:$notes_ref"
	git for-each-ref --format='%(objectname) %(refname)' "$fr_ns/heads/" \
	    >"$tmp/theirs"
	sed "s|^\([^ ]*\) $fr_ns/heads/|\1 refs/heads/pesq/|" "$tmp/theirs" \
	    >"$tmp/remote"
	cut -d ' ' -f 2 "$tmp/remote" >"$tmp/names"
	ps_best=
	while read -r c r
	do
		if [ "$r" = refs/heads/pesq/best ]; then
			ps_best=$c
			continue
		fi
		# already there, under some name
		cut -d ' ' -f 1 "$tmp/remote" | grep -qx "$c" && continue
		name=$r
		theirs=$(grep " $r\$" "$tmp/remote" | cut -d ' ' -f 1)
		if [ -n "$theirs" ]; then
			if git merge-base --is-ancestor "$theirs" "$c" 2>/dev/null
			then
				:
			else
				name=$(next_free "${r%/*}" "$tmp/names")
				echo "$name" >>"$tmp/names"
				echo "git-pesq: ${r#refs/heads/} is ${name#refs/heads/} on $ps_r" >&2
			fi
		fi
		set -- "$@" "$c:$name"
	done <<EOF
$(git for-each-ref --format='%(objectname) %(refname)' refs/heads/pesq/)
EOF
	ps_ours=$(git rev-parse -q --verify refs/heads/pesq/best) || ps_ours=
	if [ -n "$ps_ours" ]; then
		if [ -z "$ps_best" ] ||
		    git merge-base --is-ancestor "$ps_best" "$ps_ours"; then
			set -- "$@" "refs/heads/pesq/best:refs/heads/pesq/best"
		elif ! git merge-base --is-ancestor "$ps_ours" "$ps_best"; then
			warn "pesq/best and $ps_r's have diverged: not pushed (git pesq accept there, or start from theirs with git pesq run --base $fr_ns/heads/best)"
		fi
	fi
	[ $# -gt 0 ] || { echo "nothing to push to $ps_r"; return 0; }
	git push -q "$ps_r" "$@" || die "cannot push to '$ps_r'"
	echo "pushed to $ps_r: $# refs"
}
