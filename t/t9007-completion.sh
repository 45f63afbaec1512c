#!/bin/sh
test_description='bash completion of git pesq, through git'"'"'s own completion

git'"'"'s completion script and the installed completions/git-pesq are
sourced in bash; a command line is completed as bash would (the function
"complete -p git" names) and the words offered are compared.'
. ./test-lib.sh

GIT_COMPLETION=/usr/share/bash-completion/completions/git
command -v bash >/dev/null || { skip_all='no bash'; test_done; }
[ -f "$GIT_COMPLETION" ] || {
	skip_all="no git completion at $GIT_COMPLETION"
	test_done
}
unset MAKEFLAGS MAKELEVEL MFLAGS

D=$TRASH_DIRECTORY/dest

# offered LINE: the words bash completion offers at the end of LINE (a
# command line starting with "git"), one a line, sorted.
offered() {
	bash -c '
		. "$1" &&
		. "$2" &&
		line=$3 &&
		read -r -a COMP_WORDS <<<"$line" &&
		case $line in *" ") COMP_WORDS+=("") ;; esac &&
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) &&
		COMP_LINE=$line &&
		COMP_POINT=${#line} &&
		f=$(complete -p git | sed -n "s/.* -F \([^ ]*\) git\$/\1/p") &&
		[ -n "$f" ] &&
		"$f" git "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}" &&
		printf "%s\n" "${COMPREPLY[@]}"
	' offered "$GIT_COMPLETION" \
	    "$D/usr/share/bash-completion/completions/git-pesq" "$1" |
	sed "s/ *\$//" | sort
}

test_expect_success 'setup: install, and a repository with an attempt' '
	make -s -C "$SRC_ROOT" install DESTDIR="$D" PREFIX=/usr \
		SANITIZE="$PESQ_SANITIZE" >out 2>err &&
	test_path_is_file "$D/usr/share/bash-completion/completions/git-pesq" &&
	git init -q repo &&
	(
		cd repo &&
		git commit -q --allow-empty -m base &&
		git branch pesq/best &&
		git branch pesq/count_word/1 &&
		git remote add origin /nowhere
	)
'

test_expect_success 'git registers its completion; git pe offers pesq' '
	bash -c ". \"$GIT_COMPLETION\" && complete -p git" >out &&
	test_grep "^complete .*-F __git_wrap__git_main git$" out &&
	(cd repo && offered "git pe") >actual &&
	test_grep "^pesq$" actual
'

test_expect_success 'the commands of git pesq' '
	(cd repo && offered "git pesq ") >actual &&
	cat >expect <<-\EOF &&
	accept
	config
	gc
	log
	profile
	pull
	push
	report
	run
	show
	step
	EOF
	test_cmp expect actual &&
	(cd repo && offered "git pesq r") >actual &&
	printf "report\nrun\n" >expect &&
	test_cmp expect actual &&
	(cd repo && offered "git pesq --") >actual &&
	printf -- "--help\n--version\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the options of run, from its usage' '
	(cd repo && offered "git pesq run --") >actual &&
	for o in --build= --test= --bench= --functions= --attempts= \
		--chain --no-chain --no-examples --samples= --provider= \
		--model= --temperature= --budget= --check --stacks= \
		--profile --base= --again --verbose --quiet
	do
		grep -x -e "$o" actual || return 1
	done &&
	(cd repo && offered "git pesq run --bu") >actual &&
	printf -- "--budget=\n--build=\n" >expect &&
	test_cmp expect actual &&
	(cd repo && offered "git pesq report --") >actual &&
	printf -- "--json\n--last\n--svg=\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the keys of git pesq config, from the table' '
	(cd repo && offered "git pesq config ") >actual &&
	sed "/^#/d; s/	.*//" "$SRC_ROOT/scripts/pesq-settings" | sort >expect &&
	test_cmp expect actual &&
	(cd repo && offered "git pesq config bu") >actual &&
	printf "budget\nbuild\nbuildTimeout\n" >expect &&
	test_cmp expect actual &&
	(cd repo && offered "git pesq config provider ") >actual &&
	printf "anthropic\ncommand\nopenai\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'attempts for show, values, remotes, steps' '
	(cd repo && offered "git pesq show ") >actual &&
	echo pesq/count_word/1 >expect &&
	test_cmp expect actual &&
	(cd repo && offered "git pesq log --verdict=acc") >actual &&
	echo accepted >expect &&
	test_cmp expect actual &&
	(cd repo && offered "git pesq push ") >actual &&
	echo origin >expect &&
	test_cmp expect actual &&
	(cd repo && offered "git pesq step ") >actual &&
	printf "bench\nfinish\nplan\nprepare\nsample\n" >expect &&
	test_cmp expect actual
'

test_done
