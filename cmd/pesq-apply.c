/*
 * pesq-apply: splice each candidate into its file on a branch of its own,
 * commit it from objects alone, build it in a reused worktree, and add
 * `attempt` and `build` to the record. See pesq-apply(1).
 */
#include <err.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attempt/admit.h"
#include "attempt/attempt.h"
#include "attempt/buildlog.h"
#include "attempt/sandboxconf.h"
#include "attempt/slot.h"
#include "base/jsonl.h"
#include "base/version.h"
#include "ledger/notes.h"
#include "ledger/repo.h"
#include "source/candrules.h"

#define LOG_MAX 4096

static const char usage_line[] =
	"usage: pesq-apply [-C dir] [--base rev] [--build cmd] [--slot k] "
	"[--timeout secs] [--sandbox mode] [--allow-signature-change] [-qv] "
	"[file ...]\n"
	"       pesq-apply --ref-name fn\n"
	"       pesq-apply --rules\n";

static git_repository *repo;
static git_oid base_oid;
static struct sbuf build_cmd = SBUF_INIT, slot = SBUF_INIT;
static double timeout = 600;
static int allow_sig, verbose, quiet;
static struct sandbox sb;
static struct buildcache cache = BUILDCACHE_INIT;
static struct redact secrets = REDACT_INIT;
static struct sbuf notice = SBUF_INIT;	/* said before the first build */

static void
usage(FILE *fp, int code)
{
	fputs(usage_line, fp);
	exit(code);
}

/* Test hooks: die, or stop once, at a named step (see ENVIRONMENT). */
static void
hook(const char *step)
{
	static int stopped;
	const char *k = getenv("PESQ_APPLY_KILL_AT");
	const char *s = getenv("PESQ_APPLY_STOP_AT");

	if (k && !strcmp(k, step))
		raise(SIGKILL);
	if (s && !strcmp(s, step) && !stopped++)
		raise(SIGSTOP);
}

/* --ref-name: the branch prefix of fn's attempts, for scripts. */
static void
ref_name(const char *fn)
{
	struct sbuf s = SBUF_INIT;

	if (repo_fn_encode(fn, &s) < 0)
		errx(2, "invalid function name '%s'", fn);
	printf("pesq/%s\n", s.buf);
	sbuf_release(&s);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	exit(0);
}

/* --rules: what a candidate may hold (candrules.c), for people and scripts. */
static void
rules(void)
{
	struct sbuf s = SBUF_INIT;

	candrules_text(&s);
	if (fwrite(s.buf, 1, s.len, stdout) != s.len || fclose(stdout) == EOF)
		err(3, "stdout");
	exit(0);
}

static void
check(int r, const char *what)
{
	if (r < 0)
		errx(3, "%s: %s", what, repo_errmsg());
}

/*
 * Build the commit in the slot, restored to it first (slot.h), in the
 * sandbox; fill ok, ms and the log (redacted).
 */
static void
build(const char *hex, int *ok, long long *ms, struct sbuf *log)
{
	struct slot_opt so = { build_cmd.buf, timeout, &sb, &secrets, &cache };
	struct worktree wt;
	struct sbuf e = SBUF_INIT, strip = SBUF_INIT, lim = SBUF_INIT;
	struct proc_res res;
	int built, k;

	if (slot_open(&wt, repo, slot.buf, hex, build_cmd.buf, &built,
		      &e) < 0 ||
	    (k = slot_build(&wt, hex, &so, &res, NULL, &e)) < 0)
		errx(3, "worktree '%s': %s", slot.buf, e.buf);
	*ok = k;
	*ms = (long long)(res.wall * 1000 + 0.5);
	if (res.timed_out)
		sbuf_addf(log, "build timed out after %g s\n", timeout);
	else if (sandbox_limit_message(&sb, &res, &lim))
		sbuf_addf(log, "build failed: %s\n", lim.buf);
	else if (!*ok)
		sbuf_addf(log, "build exited with %d\n", res.exit_code);
	if (!*ok) {
		sbuf_addf(&strip, "%s/", wt.path);
		buildlog_extract(res.out.buf, res.out.len, strip.buf,
				 LOG_MAX - log->len, log);
	}
	proc_res_release(&res);
	worktree_close(&wt);
	sbuf_release(&e);
	sbuf_release(&strip);
	sbuf_release(&lim);
}

static void
note_line(const git_oid *commit, struct jw *w, struct sbuf *line, int flags)
{
	check(attempt_note_end(repo, commit, w, line, flags), "notes");
}

static void
note_start(struct jw *w, struct sbuf *line, const char *event,
	   const char *id)
{
	check(attempt_note_start(repo, w, line, event, id), "signature");
}

/*
 * One record. The commit is made and built first; then, holding the
 * publish lock (so that concurrent applies never make the same commit
 * with the same n), objects first and the branch last: the commit for
 * the final n, its note's apply and build lines, then the ref (created
 * with force=0, and on GIT_EEXISTS made again with n+1; a correction
 * moves the ref by compare-and-swap). A run killed anywhere leaves either
 * no ref or the ref with its commit and full note.
 */
static int
apply(const struct jsonl_rec *rec, struct sbuf *out, struct sbuf *why)
{
	struct attempt a;
	struct sbuf msg = SBUF_INIT, s = SBUF_INIT, log = SBUF_INIT;
	struct sbuf line = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid commit, tip;
	long long ms = 0;
	int ok = 0, r = -1, tries = 0, rc, lock = -1;
	struct jw w;

	attempt_init(&a);
	if (attempt_prepare(repo, rec, &base_oid, allow_sig, &a, why) < 0)
		goto done;
	jsonl_path_str(rec, "candidate.code", &s);
	if (admit_candidate(repo, &a.base, s.buf, s.len, why) < 0)
		goto done;
	sbuf_reset(&s);
	if (notice.len && !quiet)
		warnx("%s", notice.buf);
	sbuf_release(&notice);
	if (!a.correction)
		check(attempt_next_n(repo, &a), "refs");
	attempt_message(&a, &msg);
	check(repo_commit_file(repo, &a.base, &a.parent, a.file.buf,
			       a.data.buf, a.data.len, msg.buf, &commit),
	      "commit");
	attempt_id(&a, &s);
	if (verbose)
		fprintf(stderr, "pesq-apply: %s: building in '%s'\n", s.buf,
			slot.buf);
	/* the tree is what counts: a commit made again has the same */
	build(git_oid_tostr(hex, sizeof(hex), &commit), &ok, &ms, &log);
	hook("build");

	if ((lock = repo_lock(repo, "publish")) < 0)
		err(3, "cannot lock '%spesq/publish.lock'",
		    repo_commondir(repo));
	sbuf_reset(&s);
	attempt_ref(&a, &s);
	if (a.correction && (repo_ref_get(repo, s.buf, &tip) < 0 ||
			     !git_oid_equal(&tip, &a.parent))) {
		sbuf_addf(why, "branch '%s' moved during the correction",
			  s.buf + strlen("refs/heads/"));
		goto done;
	}
	if (!a.correction)
		check(attempt_next_n(repo, &a), "refs");
	for (;;) {
		sbuf_reset(&msg);
		attempt_message(&a, &msg);
		check(repo_commit_file(repo, &a.base, &a.parent, a.file.buf,
				       a.data.buf, a.data.len, msg.buf,
				       &commit), "commit");
		hook("commit");
		sbuf_reset(&s);
		attempt_id(&a, &s);
		note_start(&w, &line, "apply", s.buf);
		attempt_note_apply(&a, &w);
		note_line(&commit, &w, &line, NOTES_FRESH);
		hook("note-apply");
		note_start(&w, &line, "build", s.buf);
		attempt_note_build(&w, ok, ms, build_cmd.buf, slot.buf, &log);
		jw_key(&w, "sandbox");
		jw_bool(&w, sb.on);
		note_line(&commit, &w, &line, 0);
		hook("note-build");
		sbuf_reset(&s);
		attempt_ref(&a, &s);
		rc = repo_ref_cas(repo, s.buf, &commit,
				  a.correction ? &a.parent : NULL,
				  "pesq-apply");
		if (rc == 0)
			break;
		if (rc == GIT_ELOCKED && ++tries < 100)
			continue;
		/* a writer that does not take our lock got n first */
		if (rc == GIT_EEXISTS && !a.correction && ++tries < 1000) {
			a.n++;
			continue;
		}
		if (rc == GIT_EMODIFIED || rc == GIT_ENOTFOUND) {
			sbuf_addf(why, "branch '%s' moved during the correction",
				  s.buf + strlen("refs/heads/"));
			goto done;
		}
		check(rc, s.buf);
	}
	hook("ref");
	if (verbose) {
		sbuf_reset(&s);
		attempt_branch(&a, &s);
		fprintf(stderr, "pesq-apply: %s: build %s (%lld ms)\n", s.buf,
			ok ? "ok" : "failed", ms);
	}
	attempt_record(rec, &a, &commit, ok, ms, &log, out);
	r = 0;
done:
	repo_unlock(lock);
	attempt_release(&a);
	sbuf_release(&msg);
	sbuf_release(&s);
	sbuf_release(&log);
	sbuf_release(&line);
	return r;
}

static int
run(FILE *fp, const char *name)
{
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	struct sbuf out = SBUF_INIT, e = SBUF_INIT;
	int status = 0, k;

	jsonl_reader_init(&r, fp, name);
	while ((k = jsonl_read(&r, &rec)) != 0) {
		if (k == -2)
			err(3, "%s", name);
		if (k == -1) {
			warnx("%s", r.err.buf);
			status = 1;
			continue;
		}
		sbuf_reset(&out);
		sbuf_reset(&e);
		if (jsonl_get(rec, 0, "error") >= 0) {
			sbuf_add(&out, rec->buf, rec->len);
			sbuf_addc(&out, '\n');
		} else if (apply(rec, &out, &e) < 0) {
			if (!quiet)
				warnx("%s:%lu: %s", name, r.lineno, e.buf);
			sbuf_reset(&out);
			jsonl_error_record(&out, rec, "apply", e.buf);
		}
		if (fwrite(out.buf, 1, out.len, stdout) != out.len ||
		    fflush(stdout) == EOF)
			err(3, "stdout");
	}
	jsonl_reader_release(&r);
	sbuf_release(&out);
	sbuf_release(&e);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "build", required_argument, NULL, 'B' },
		{ "slot", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "sandbox", required_argument, NULL, 'x' },
		{ "allow-signature-change", no_argument, NULL, 'S' },
		{ "ref-name", required_argument, NULL, 'r' },
		{ "rules", no_argument, NULL, 'R' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		PESQ_LONGOPTS_END
	};
	const char *dir = NULL, *base = NULL, *bcmd = NULL, *k = "0";
	const char *refname = NULL, *mode = NULL;
	struct sbuf e = SBUF_INIT;
	long long cfg_to;
	char *end;
	int c, status = 0, i, have_to = 0;
	FILE *fp;

	while ((c = getopt_long(argc, argv, "C:b:B:s:t:Sr:qvh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'b': base = optarg; break;
		case 'B': bcmd = optarg; break;
		case 's': k = optarg; break;
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || end == optarg || timeout <= 0)
				errx(2, "invalid timeout '%s'", optarg);
			have_to = 1;
			break;
		case 'x': mode = optarg; break;
		case 'S': allow_sig = 1; break;
		case 'r': refname = optarg; break;
		case 'R': rules(); break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout, 0); break;
		default: PESQ_VERSION_IF(c, "pesq-apply"); usage(stderr, 2);
		}
	}
	if (refname)
		ref_name(refname);
	if (!verbose && !quiet && isatty(2))
		verbose = 1;
	sbuf_addf(&slot, "slot-%s", k);
	if (repo_open(&repo, dir ? dir : NULL) < 0)
		errx(3, "not a git repository: %s", repo_errmsg());
	if (bcmd)
		sbuf_adds(&build_cmd, bcmd);
	else if (repo_config_str(repo, "build", &build_cmd) <= 0)
		sbuf_adds(&build_cmd, "make");
	if (!have_to && repo_config_int(repo, "buildTimeout", &cfg_to) > 0 &&
	    cfg_to > 0)
		timeout = (double)cfg_to;
	if ((c = sandboxconf_load(repo, mode, &sb, &cache, &notice, &e)) < 0)
		errx(c == -2 ? 2 : 3, "%s", e.buf);
	sandboxconf_secrets(repo, &secrets);
	if (base) {
		if (repo_resolve(repo, base, &base_oid) < 0)
			errx(3, "cannot resolve '%s': %s", base, repo_errmsg());
	} else if (repo_resolve(repo, "refs/heads/pesq/best", &base_oid) < 0 &&
		   repo_resolve(repo, "HEAD", &base_oid) < 0) {
		errx(3, "no base: no 'pesq/best' and no HEAD commit");
	}
	if (optind == argc) {
		status = run(stdin, "<stdin>");
	} else {
		for (i = optind; i < argc; i++) {
			if (!strcmp(argv[i], "-"))
				fp = stdin;
			else if (!(fp = fopen(argv[i], "r")))
				err(3, "%s", argv[i]);
			if (run(fp, argv[i]) != 0)
				status = 1;
			if (fp != stdin)
				fclose(fp);
		}
	}
	repo_close(repo);
	sandboxconf_release(&sb, &cache);
	redact_release(&secrets);
	sbuf_release(&notice);
	sbuf_release(&e);
	sbuf_release(&build_cmd);
	sbuf_release(&slot);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return status;
}
