# bash completion for git pesq: its commands, their options, the keys of
# git pesq config and some values, attempts for git pesq show, remotes for
# push and pull. Installed as
# $(PREFIX)/share/bash-completion/completions/git-pesq, where git's own
# completion finds it (it loads "git-pesq" when it meets `git pesq` and
# has no _git_pesq yet) and calls _git_pesq with cur, prev, words and
# cword set. The options are read from `git pesq <command> -h` and the
# keys from `git pesq config --keys`, so they follow the installed
# git-pesq.

# __git_pesq_options CMD: the long options of git pesq CMD, with a
# trailing "=" on those that take a value.
__git_pesq_options ()
{
	git pesq "$1" -h 2>/dev/null | awk '{
		s = $0
		while (match(s, /--[a-z][a-z-]*(\[=|=| [A-Z<])?/)) {
			o = substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
			if (o ~ /\[=$/) {
				sub(/\[=$/, "", o)
				print o; print o "="
			} else if (o ~ /[= ][A-Z<]?$/ && o ~ /[ =]/) {
				sub(/[ =][A-Z<]?$/, "", o)
				print o "="
			} else {
				print o
			}
		}
	}' | sort -u
}

_git_pesq ()
{
	local commands="run profile config report log show accept gc push pull step"
	local command
	command="$(__git_find_on_cmdline "$commands")"
	if [ -z "$command" ]; then
		case "$cur" in
		--*) __gitcomp "--help --version" ;;
		*) __gitcomp "$commands" ;;
		esac
		return
	fi
	case "$command,$prev" in
	config,config|config,--unset)
		__gitcomp_nl "$(git pesq config --keys 2>/dev/null)"
		return ;;
	config,provider|*,--provider|*,-p)
		__gitcomp "openai anthropic command"
		return ;;
	config,chain|config,examples)
		__gitcomp "true false"
		return ;;
	log,--verdict)
		__gitcomp "accepted rejected inconclusive build-failed
			test-failed output-differs error none"
		return ;;
	show,--color)
		__gitcomp "always never auto"
		return ;;
	esac
	case "$cur" in
	--color=*)
		__gitcomp "always never auto" "" "${cur#--color=}"
		return ;;
	--verdict=*)
		__gitcomp "accepted rejected inconclusive build-failed
			test-failed output-differs error none" "" "${cur#--verdict=}"
		return ;;
	--*)
		__gitcomp "$(__git_pesq_options "$command")"
		return ;;
	esac
	case "$command" in
	show)
		__gitcomp_nl "$(git for-each-ref --format='%(refname:strip=2)' \
			'refs/heads/pesq/' 2>/dev/null | grep -v '^pesq/best$')" ;;
	push|pull)
		__gitcomp_nl "$(__git_remotes)" ;;
	step)
		[ "$prev" = step ] &&
			__gitcomp "plan prepare sample bench finish" ;;
	esac
}
