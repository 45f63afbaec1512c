#!/bin/sh
test_description='pesq-llm: the API key appears nowhere pesq writes'
. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-llm.sh

KEY=sk-test-TOPSECRET-0123456789

test_expect_success 'setup: a key in .env, a server that echoes it' '
	git init -q repo &&
	echo "OPENAI_API_KEY=$KEY" >repo/.env &&
	echo "ANTHROPIC_API_KEY=\"$KEY\"" >>repo/.env &&
	prompt_rec add >in &&
	prompt_rec bad >>in &&
	prompt_rec busy >>in &&
	prompt_rec mute >>in &&
	reply_entry add ",\"usage\":{\"in\":1,\"out\":2}" | sed "s/Summary: add/Summary: add {{key}}/" >script &&
	printf "%s\n" "{\"match\":\"Make bad\",\"status\":401,\"message\":\"Incorrect API key provided: {{key}}\"}" >>script &&
	printf "%s\n" "{\"match\":\"Make busy\",\"fault\":\"500\",\"message\":\"overloaded for {{key}}\"}" >>script &&
	printf "%s\n" "{\"match\":\"Make mute\",\"reply\":\"no code, but {{key}}\",\"finish\":\"refusal\"}" >>script
'

for p in openai:/v1 anthropic:
do
	v1=${p#*:} p=${p%:*}
	test_expect_success "$p: the key is sent, and written nowhere" "
		start_fake script &&
		{ git -C repo update-ref -d refs/notes/pesq-cache || :; } &&
		(cd repo && pesq-llm -v -p $p --base-url \$FAKE_URL$v1 \
			--retries 1 <../in >../out 2>../err) &&
		test_grep '$KEY' fake.log &&
		test_line_count = 4 out &&
		test_grep 'Summary: add \\[redacted\\]' out &&
		test_grep 'Incorrect API key provided: \\[redacted\\]' out &&
		test_grep 'overloaded for \\[redacted\\]' out &&
		test_grep 'model refused: no code, but \\[redacted\\]' out &&
		test_grep -v '$KEY' out &&
		test_grep -v '$KEY' err &&
		git -C repo notes --ref=pesq-cache list >notes &&
		test_line_count = 2 notes &&
		git -C repo cat-file --batch-all-objects --batch >objects &&
		test_grep 'Summary: add \\[redacted\\]' objects &&
		test_grep -v '$KEY' objects &&
		! grep -r -a -l '$KEY' repo/.git &&
		(cd repo && pesq-llm -p $p --base-url \$FAKE_URL$v1 <../in \
			>../out2 2>../err2) &&
		test_grep '\"cached\":true' out2 &&
		test_grep -v '$KEY' out2 &&
		test_grep -v '$KEY' err2
	"
done

test_expect_success 'the key is not on any command line' '
	cat >model.sh <<-\EOF &&
	#!/bin/sh
	cat /proc/$PPID/cmdline /proc/$$/cmdline >"$HOME/cmdlines"
	env >"$HOME/env"
	echo "no code"
	EOF
	chmod +x model.sh &&
	(cd repo && pesq-llm -p command --command "$HOME/model.sh" \
		--no-cache <../in >../out) &&
	test_path_is_file cmdlines &&
	test_grep -v "$KEY" cmdlines &&
	test_grep -v "$KEY" env
'

test_done
