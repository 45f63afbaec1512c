/*
 * pesq-sandbox: run a command in the sandbox that pesq runs candidate
 * code in, in a directory or in one of pesq's worktrees (restored to a
 * commit, built first when asked). git pesq's profile and final builds
 * go through it; people use it to see what a build can see. See
 * pesq-sandbox(1).
 */
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attempt/sandboxconf.h"
#include "attempt/slot.h"
#include "ledger/repo.h"
#include "base/version.h"

static const char usage_line[] =
	"usage: pesq-sandbox [-C dir] [-d dir | -w name -r rev [-b cmd] "
	"[--keep file]] [-T secs] [--sandbox mode] [--max-output bytes] "
	"[--show] [-q] [command]\n";

static git_repository *repo;
static const char *keep;		/* --keep */
static struct sandbox sb;
static struct buildcache cache = BUILDCACHE_INIT;	/* of -b builds */
static struct redact secrets = REDACT_INIT;
static double timeout;
static size_t max_output = 1 << 20;
static int quiet;

static void
usage(FILE *fp, int code)
{
	fputs(usage_line, fp);
	exit(code);
}

/*
 * Write s, what was kept of total bytes, redacted, to fp; and say how
 * many more there were.
 */
static void
put(FILE *fp, struct sbuf *s, size_t total)
{
	size_t dropped = total - s->len;

	redact_apply(&secrets, s);
	if (fwrite(s->buf, 1, s->len, fp) != s->len)
		err(3, "write");
	if (dropped)
		fprintf(fp, "%s[pesq-sandbox: %zu more bytes not kept]\n",
			s->len && s->buf[s->len - 1] != '\n' ? "\n" : "",
			dropped);
	if (fflush(fp) == EOF)
		err(3, "write");
}

/* --show: the command line and environment a command would get. */
static void
show(const char *d, const char *cmd)
{
	char *dir = realpath(d, NULL);
	char **v, **env = sandbox_env(&sb);

	if (!dir)
		err(3, "%s", d);
	v = sb.on ? sandbox_argv(&sb, dir, cmd) : NULL;
	printf("sandbox: %s\n", sb.on ? "on" : "off");
	for (char **a = v; a && *a; a++)
		printf("%s%s", *a, a[1] ? (a[1][0] == '-' && a[1][1] == '-' ?
					   "\n  " : " ") : "\n");
	for (char **e = env; *e; e++)
		printf("env: %s\n", *e);
	sandbox_argv_free(v);
	proc_env_free(env);
	free(dir);
}

/* Run cmd in dir; returns our exit status. */
static int
run(const char *dir, const char *cmd)
{
	struct proc_opt po = { 0 };
	struct proc_res res;
	struct sbuf lim = SBUF_INIT;
	int code;

	po.cmd = cmd;
	po.dir = dir;
	po.timeout = timeout;
	po.out_max = po.err_max = max_output;
	if (sandbox_run(&sb, &po, &res, NULL) < 0)
		err(3, "cannot run '%s'", cmd);
	put(stdout, &res.out, res.out_total);
	put(stderr, &res.err, res.err_total);
	code = res.exit_code;
	if (res.timed_out) {
		warnx("the command timed out after %g s and was killed",
		      timeout);
		code = 1;
	} else if (sandbox_limit_message(&sb, &res, &lim)) {
		warnx("the command was stopped: %s", lim.buf);
		code = 1;
	}
	proc_res_release(&res);
	sbuf_release(&lim);
	return code;
}

/*
 * --keep: the file the caller put in the worktree for the build, read
 * before the worktree was restored (kept_data), written back after it.
 */
static struct sbuf kept_data = SBUF_INIT;
static int kept;

static void
keep_read(const char *name)
{
	struct sbuf p = SBUF_INIT;
	struct stat st;
	int fd;

	sbuf_addf(&p, "%spesq/%s/%s", repo_commondir(repo), name, keep);
	/* a regular file, not what a link planted there points at */
	fd = open(p.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	kept = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		sbuf_read_fd(&kept_data, fd) == 0;
	if (fd >= 0)
		close(fd);
	sbuf_release(&p);
}

static void
keep_file(const struct worktree *wt, int *built)
{
	struct sbuf p = SBUF_INIT;

	sbuf_addf(&p, "%s/%s", wt->path, keep);
	if (kept && sbuf_write_file(&kept_data, p.buf) < 0)
		err(3, "%s", p.buf);
	if (kept)
		*built = 0;	/* it is the build's to use */
	sbuf_release(&p);
	sbuf_release(&kept_data);
}

/* -w: the worktree restored to rev, built with bcmd when given. */
static int
worktree(const char *name, const char *rev, const char *bcmd,
	 const char *cmd, int showing)
{
	/* no redact: put() redacts what it prints */
	struct slot_opt so = { bcmd, timeout, &sb, NULL, &cache };
	struct worktree wt;
	struct sbuf e = SBUF_INIT, why = SBUF_INIT;
	struct proc_res res;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid id;
	int built, code = 0, k;

	if (repo_resolve(repo, rev, &id) < 0)
		errx(3, "'%s' is not a commit: %s", rev, repo_errmsg());
	git_oid_tostr(hex, sizeof(hex), &id);
	if (slot_open(&wt, repo, name, hex, bcmd ? bcmd : "", &built,
		      &e) < 0)
		errx(3, "worktree '%s': %s", name, e.buf);
	if (keep)
		keep_file(&wt, &built);
	if (bcmd && !built) {
		if ((k = slot_build(&wt, hex, &so, &res, &why, &e)) < 0)
			errx(3, "worktree '%s': %s", name, e.buf);
		put(stdout, &res.out, res.out_total);
		if (!k) {
			warnx("%s", why.buf);
			code = 1;
		}
		proc_res_release(&res);
	}
	if (showing)
		show(wt.path, cmd ? cmd : "true");
	else if (cmd && code == 0)
		code = run(wt.path, cmd);
	if (cmd && slot_clean(&wt, &e) < 0)
		errx(3, "worktree '%s': %s", name, e.buf);
	worktree_close(&wt);
	sbuf_release(&e);
	sbuf_release(&why);
	return code;
}

int
main(int argc, char **argv)
{
	enum { O_SANDBOX = 256, O_MAXOUT, O_SHOW, O_KEEP };
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "worktree", required_argument, NULL, 'w' },
		{ "rev", required_argument, NULL, 'r' },
		{ "build", required_argument, NULL, 'b' },
		{ "keep", required_argument, NULL, O_KEEP },
		{ "timeout", required_argument, NULL, 'T' },
		{ "sandbox", required_argument, NULL, O_SANDBOX },
		{ "max-output", required_argument, NULL, O_MAXOUT },
		{ "show", no_argument, NULL, O_SHOW },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		PESQ_LONGOPTS_END
	};
	const char *cdir = NULL, *dir = NULL, *name = NULL, *rev = NULL;
	const char *bcmd = NULL, *mode = NULL, *cmd = NULL;
	struct sbuf notice = SBUF_INIT, e = SBUF_INIT;
	int c, code, showing = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "+C:d:w:r:b:T:qh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'C': cdir = optarg; break;
		case 'd': dir = optarg; break;
		case 'w': name = optarg; break;
		case 'r': rev = optarg; break;
		case 'b': bcmd = optarg; break;
		case 'T':
			timeout = strtod(optarg, &end);
			if (*end || end == optarg || timeout < 0)
				errx(2, "invalid timeout '%s'", optarg);
			break;
		case O_SANDBOX: mode = optarg; break;
		case O_MAXOUT:
			max_output = (size_t)strtoull(optarg, &end, 10);
			if (*end || end == optarg || *optarg == '-')
				errx(2, "invalid size '%s'", optarg);
			break;
		case O_SHOW: showing = 1; break;
		case O_KEEP: keep = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout, 0); break;
		default: PESQ_VERSION_IF(c, "pesq-sandbox"); usage(stderr, 2);
		}
	}
	if (optind < argc)
		cmd = argv[optind++];
	if (optind < argc || (name && (!rev || dir)) ||
	    (!name && (rev || bcmd)) || (keep && !bcmd) ||
	    (!cmd && !name && !showing))
		usage(stderr, 2);
	if (keep && (strchr(keep, '/') || !strcmp(keep, ".") ||
		     !strcmp(keep, "..") || !strcmp(keep, ".git") || !*keep))
		errx(2, "--keep takes a file name at the worktree's top, not "
		     "'%s'", keep);
	if (repo_open(&repo, cdir) < 0) {
		if (name || cdir)
			errx(3, "not a git repository: %s", repo_errmsg());
		repo = NULL;	/* a directory alone: global settings */
	}
	if ((c = sandboxconf_load(repo, mode, &sb, &cache, &notice, &e)) < 0)
		errx(c == -2 ? 2 : 3, "%s", e.buf);
	if (notice.len && !quiet && !showing)
		warnx("%s", notice.buf);
	sandboxconf_secrets(repo, &secrets);
	code = 0;
	if (keep)
		keep_read(name);
	if (name)
		code = worktree(name, rev, bcmd, cmd, showing);
	else if (showing)
		show(dir ? dir : ".", cmd ? cmd : "true");
	else
		code = run(dir, cmd);
	if (repo)
		repo_close(repo);
	sandboxconf_release(&sb, &cache);
	redact_release(&secrets);
	sbuf_release(&notice);
	sbuf_release(&e);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return code;
}
