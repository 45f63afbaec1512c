# Shared setup for the t4xxx pesq-apply tests (sourced after test-lib.sh).

# apply_setup DIR: a repository holding the fixture project, with
# candidate files in $HOME: good.c (a faster sum), bad.c (does not
# compile), other-good.c (a new other()).
apply_setup() {
	mkdir "$1" &&
	cp "$SRC_ROOT"/t/fixtures/apply-proj/* "$1"/ &&
	git -C "$1" init -q &&
	git -C "$1" add . &&
	git -C "$1" commit -q -m base &&
	cat >good.c <<-\EOC &&
	long
	sum(const int *v, int n)
	{
		long s0 = 0, s1 = 0;
		int i;

		for (i = 0; i + 1 < n; i += 2) {
			s0 += v[i];
			s1 += v[i + 1];
		}
		if (i < n)
			s0 += v[i];
		return s0 + s1;
	}
	EOC
	cat >bad.c <<-\EOC &&
	long
	sum(const int *v, int n)
	{
		long s = 0;

		for (int i = 0; i < n; i++)
			s += v[i] + undeclared_thing;
		return s;
	}
	EOC
	cat >other-good.c <<-\EOC
	int
	other(int x)
	{
		return 1 + x;
	}
	EOC
}

# snapshot DIR FILE: what pesq-apply must never change in the user's
# repository: the index file's bytes, status, HEAD, branches but pesq/*.
snapshot() {
	sha256sum "$1"/.git/index | cut -c1-64 >"$2" &&
	git -C "$1" --no-optional-locks status --porcelain=v1 \
		--untracked-files=all --ignored >>"$2" &&
	git -C "$1" rev-parse HEAD >>"$2" &&
	git -C "$1" symbolic-ref HEAD >>"$2" &&
	git -C "$1" for-each-ref --format="%(refname) %(objectname)" \
		refs/heads refs/tags | grep -v " *refs/heads/pesq/" >>"$2" &&
	(cd "$1" && find . -path ./.git -prune -o -type f -print |
		sort | xargs sha256sum) >>"$2"
}

# pesq_refs DIR: every pesq ref and the notes ref, with their values.
pesq_refs() {
	git -C "$1" for-each-ref --format="%(refname) %(objectname)" \
		refs/heads/pesq refs/notes/pesq
}
