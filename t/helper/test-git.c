/*
 * test-git: drive lib/repo, lib/notes and lib/worktree from shell tests.
 *
 *	test-git resolve REV
 *	test-git blob REV PATH		(bytes to stdout, id to stderr)
 *	test-git config-str|config-int|config-bool KEY
 *	test-git encode FN | decode ENC
 *	test-git ref-cas REF NEWREV OLDREV|-
 *	test-git note-append REV LINE [fresh] | note-read REV
 *	test-git worktree NAME REV	(prints the worktree's path)
 *	test-git commondir
 *
 * Exit status: 0 ok, 1 "not found"/refused (message on stderr), 2 usage.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/notes.h"
#include "ledger/repo.h"
#include "ledger/worktree.h"

static git_repository *repo;

static void
resolve(const char *rev, git_oid *oid)
{
	if (repo_resolve(repo, rev, oid) < 0)
		errx(1, "cannot resolve '%s': %s", rev, repo_errmsg());
}

static int
cmd(int argc, char **argv)
{
	struct sbuf sb = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid a, b, blob;
	const char *c = argv[1];
	long long ll;
	int r, v;

	if (!strcmp(c, "resolve") && argc == 3) {
		resolve(argv[2], &a);
		printf("%s\n", git_oid_tostr(hex, sizeof(hex), &a));
	} else if (!strcmp(c, "blob") && argc == 4) {
		resolve(argv[2], &a);
		if (repo_read_blob(repo, &a, argv[3], &sb, &blob) < 0)
			errx(1, "%s", repo_errmsg());
		fwrite(sb.buf, 1, sb.len, stdout);
		fprintf(stderr, "%s\n", git_oid_tostr(hex, sizeof(hex), &blob));
	} else if (!strcmp(c, "config-str") && argc == 3) {
		if ((r = repo_config_str(repo, argv[2], &sb)) <= 0)
			errx(1, "%s", r ? repo_errmsg() : "unset");
		printf("%s\n", sb.buf);
	} else if (!strcmp(c, "config-int") && argc == 3) {
		if ((r = repo_config_int(repo, argv[2], &ll)) <= 0)
			errx(1, "%s", r ? repo_errmsg() : "unset");
		printf("%lld\n", ll);
	} else if (!strcmp(c, "config-bool") && argc == 3) {
		if ((r = repo_config_bool(repo, argv[2], &v)) <= 0)
			errx(1, "%s", r ? repo_errmsg() : "unset");
		printf("%d\n", v);
	} else if (!strcmp(c, "encode") && argc == 3) {
		if (repo_fn_encode(argv[2], &sb) < 0)
			errx(1, "cannot encode");
		printf("%s\n", sb.buf);
	} else if (!strcmp(c, "decode") && argc == 3) {
		if (repo_fn_decode(argv[2], &sb) < 0)
			errx(1, "bad escape");
		fwrite(sb.buf, 1, sb.len, stdout);
		putchar('\n');
	} else if (!strcmp(c, "ref-cas") && argc == 5) {
		resolve(argv[3], &a);
		if (strcmp(argv[4], "-"))
			resolve(argv[4], &b);
		r = repo_ref_cas(repo, argv[2], &a,
				 strcmp(argv[4], "-") ? &b : NULL, "test");
		if (r < 0)
			errx(1, "%d: %s", r, repo_errmsg());
	} else if (!strcmp(c, "note-append") && (argc == 4 || argc == 5)) {
		resolve(argv[2], &a);
		if (notes_append(repo, &a, argv[3], strlen(argv[3]),
				 argc == 5 ? NOTES_FRESH : 0) < 0)
			errx(1, "%s", repo_errmsg());
	} else if (!strcmp(c, "note-read") && argc == 3) {
		resolve(argv[2], &a);
		if ((r = notes_read(repo, &a, &sb)) <= 0)
			errx(1, "%s", r ? repo_errmsg() : "no note");
		fwrite(sb.buf, 1, sb.len, stdout);
	} else if (!strcmp(c, "worktree") && argc == 4) {
		struct worktree wt;

		resolve(argv[3], &a);
		git_oid_tostr(hex, sizeof(hex), &a);
		if (worktree_open(&wt, repo_commondir(repo), argv[2], &sb) < 0 ||
		    worktree_checkout(&wt, hex, &sb) < 0)
			errx(1, "%s", sb.buf);
		printf("%s\n", wt.path);
		worktree_close(&wt);
	} else if (!strcmp(c, "commondir") && argc == 2) {
		printf("%s\n", repo_commondir(repo));
	} else {
		return 2;
	}
	sbuf_release(&sb);
	return 0;
}

int
main(int argc, char **argv)
{
	int r;

	if (argc < 2)
		errx(2, "usage: test-git <command> [args]");
	if (repo_open(&repo, NULL) < 0)
		errx(3, "not a git repository: %s", repo_errmsg());
	r = cmd(argc, argv);
	repo_close(repo);
	if (r == 2)
		errx(2, "usage: test-git <command> [args]");
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return r;
}
