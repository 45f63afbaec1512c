# Helpers for the tests of git pesq over the stand-in filters of
# t/fixtures/loop-stubs. Source after test-lib.sh.

# stub_repo DIR FN...: a new repository DIR with one source FN.c per FN,
# declaring "int FN(void);", committed as "base", with the settings the
# stand-ins need: pesq.bench and pesq.build true, and the checks of
# pesq-check(5) off (no stand-ins for them; t9020 tests them).
stub_repo() {
	git init -q "$1" &&
	(
		cd "$1" &&
		shift &&
		for fn
		do
			echo "int $fn(void);" >$fn.c || exit 1
		done &&
		git add . &&
		git commit -q -m base &&
		git config pesq.bench true &&
		git config pesq.build true &&
		git config pesq.sanitize false &&
		git config pesq.differential false
	)
}
