/*
 * pesq-deps: find each target function's definition with libclang, in the
 * sources of a commit, and add "def" (its exact extent) and "ctx" (what a
 * model needs to rewrite it) to the record.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clang/cflags.h"
#include "clang/cparse.h"
#include "debuginfo/binsrc.h"
#include "source/gitsrc.h"
#include "base/jsonl.h"
#include "base/xalloc.h"
#include "base/version.h"

static const char usage_str[] =
"usage: pesq-deps [-C DIR] [--rev REV] [-p BUILD_DIR] [options] [FILE...]\n"
"\n"
"  -C, --dir DIR           the repository (default: .)\n"
"  -r, --rev REV           read the sources as of REV (default: pesq/best,\n"
"                          or HEAD while there is no pesq/best)\n"
"  -p, --build-dir DIR     where compile_commands.json is\n"
"  -m, --make-log FILE     flags from a dry run's output (make -n -B -w)\n"
"      --flags-from WORD   what -p's database is called in ctx.flags_from\n"
"  -X, --clang-arg ARG     one more compiler argument (repeatable)\n"
"  -b, --binary FILE       the profiled program (repeatable): ties between\n"
"                          files go to the sources it was built from\n"
"  -d, --drop-missing      drop records whose function has no definition\n"
"      --callee-limit N    show static callees up to N bytes (4000)\n"
"      --caller-limit N    show callers up to N bytes, else excerpts (3000)\n"
"      --max-callers N     list at most N call sites (10)\n"
"  -v, --verbose           say what is done on stderr\n"
"  -q, --quiet             no warnings\n"
"  -h, --help              this text\n";

enum { OPT_CALLEE = 256, OPT_CALLER, OPT_MAXCALLERS, OPT_FLAGSFROM };

static const struct option longopts[] = {
	{ "dir", required_argument, NULL, 'C' },
	{ "rev", required_argument, NULL, 'r' },
	{ "build-dir", required_argument, NULL, 'p' },
	{ "make-log", required_argument, NULL, 'm' },
	{ "flags-from", required_argument, NULL, OPT_FLAGSFROM },
	{ "clang-arg", required_argument, NULL, 'X' },
	{ "binary", required_argument, NULL, 'b' },
	{ "drop-missing", no_argument, NULL, 'd' },
	{ "callee-limit", required_argument, NULL, OPT_CALLEE },
	{ "caller-limit", required_argument, NULL, OPT_CALLER },
	{ "max-callers", required_argument, NULL, OPT_MAXCALLERS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	PESQ_LONGOPTS_END
};

static struct {
	const char *dir, *rev, *build_dir, *make_log, *flags_from;
	char **extra;
	size_t nextra;
	int drop_missing, verbose, quiet;
	struct cparse_opts copts;
} opt = { ".", NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0,
	   { 4000, 3000, 10, 16, NULL } };

static struct gitsrc *gs;
static struct cflags *cf;
static struct cparse *cp;

static void
usage(int status)
{
	fputs(usage_str, status ? stderr : stdout);
	exit(status);
}

static size_t
number(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-') {
		warnx("invalid %s '%s'", what, s);
		usage(2);
	}
	return (size_t)v;
}

/* Open the repository on the first record that needs it. */
static void
setup(void)
{
	struct sbuf e = SBUF_INIT;

	if (cp)
		return;
	gs = gitsrc_open(opt.dir, opt.rev, &e);
	if (!gs)
		errx(3, "%s", e.buf);
	if (gs->best_missing && opt.rev && !opt.quiet)
		warnx("no branch pesq/best yet: the sources are read at HEAD");
	sbuf_release(&e);
	cf = cflags_open(gs, opt.build_dir, opt.make_log, opt.flags_from,
			 opt.extra, opt.nextra, &e);
	if (!cf)
		errx(3, "%s", e.buf);
	sbuf_release(&e);
	if (opt.build_dir && !cflags_database(cf))
		errx(3, "no compile_commands.json that libclang can read in "
		     "'%s'", opt.build_dir);
	if (opt.verbose)
		fprintf(stderr, "pesq-deps: %s at %.12s, %zu files, flags %s\n",
			gs->root, gs->commit, gs->nfiles,
			cflags_source(cf) ? cflags_source(cf) : "guessed");
	if (!cflags_count(cf) && !opt.quiet)
		warnx("no compile commands (compile_commands.json, or "
		      "--make-log): the flags are guessed; 'bear -- make' "
		      "makes compile_commands.json");
	cp = cparse_new(gs, cf, &opt.copts);
}

/*
 * The names that call fn, nearest first: hot.chain (an array, root first,
 * or a string "a;b;fn") before fn, then hot.callers[].fn.
 */
static size_t
callers_of(const struct jsonl_rec *rec, const char *fn, char ***out)
{
	struct sbuf s = SBUF_INIT;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int chain = jsonl_path(rec, "hot.chain");
	int callers = jsonl_path(rec, "hot.callers");
	int i, m;

	if (chain >= 0 && jsonl_is_array(rec, chain)) {
		m = jsonl_count(rec, chain);
		for (i = m - 1; i >= 0; i--) {
			sbuf_reset(&s);
			if (jsonl_str(rec, jsonl_at(rec, chain, i), &s) ||
			    (i == m - 1 && !strcmp(s.buf, fn)))
				continue;
			XGROW(v, n + 1, cap);
			v[n++] = xstrdup(s.buf);
		}
	} else if (chain >= 0 && !jsonl_str(rec, chain, &s)) {
		char *p, *semi;

		while ((semi = strrchr(s.buf, ';'))) {
			p = semi + 1;
			if (n || strcmp(p, fn)) {
				XGROW(v, n + 1, cap);
				v[n++] = xstrdup(p);
			}
			*semi = '\0';
		}
		if (*s.buf && (n || strcmp(s.buf, fn))) {
			XGROW(v, n + 1, cap);
			v[n++] = xstrdup(s.buf);
		}
	}
	m = callers >= 0 ? jsonl_count(rec, callers) : 0;
	for (i = 0; i < m; i++) {
		sbuf_reset(&s);
		if (jsonl_str(rec, jsonl_get(rec, jsonl_at(rec, callers, i),
					     "fn"), &s))
			continue;
		XGROW(v, n + 1, cap);
		v[n++] = xstrdup(s.buf);
	}
	sbuf_release(&s);
	*out = v;
	return n;
}

/*
 * The record's hot.lines ([{file, line, count}]) into *out; the file
 * names are copies the caller frees with the array.
 */
static size_t
lines_of(const struct jsonl_rec *rec, struct cparse_line **out)
{
	struct sbuf f = SBUF_INIT;
	struct cparse_line *v = NULL;
	size_t n = 0, cap = 0;
	int arr = jsonl_path(rec, "hot.lines"), i, m, el;
	long long line;
	double count;

	m = arr >= 0 && jsonl_is_array(rec, arr) ? jsonl_count(rec, arr) : 0;
	for (i = 0; i < m; i++) {
		el = jsonl_at(rec, arr, i);
		sbuf_reset(&f);
		if (jsonl_str(rec, jsonl_get(rec, el, "file"), &f) ||
		    jsonl_int(rec, jsonl_get(rec, el, "line"), &line) ||
		    jsonl_num(rec, jsonl_get(rec, el, "count"), &count) ||
		    line <= 0 || count < 0)
			continue;
		XGROW(v, n + 1, cap);
		v[n].file = xstrdup(f.buf);
		v[n].line = (unsigned long)line;
		v[n].count = count;
		n++;
	}
	sbuf_release(&f);
	*out = v;
	return n;
}

static void
process(const struct jsonl_rec *rec, struct sbuf *out)
{
	static const char *const skip[] = { "def", "ctx", NULL };
	struct sbuf fn = SBUF_INIT, role = SBUF_INIT, child = SBUF_INIT;
	struct sbuf def = SBUF_INIT, ctx = SBUF_INIT, e = SBUF_INIT;
	struct cparse_query q;
	struct cparse_line *lines = NULL;
	char **callers = NULL;
	size_t i, ncallers = 0;
	struct jw w;
	int r;

	if (jsonl_get(rec, 0, "error") >= 0) {
		sbuf_add(out, rec->buf, rec->len);
		sbuf_addc(out, '\n');
		return;
	}
	if (!jsonl_path_str(rec, "fn", &fn) || !*fn.buf) {
		jsonl_error_record(out, rec, "deps", "record has no 'fn'");
		goto done;
	}
	setup();
	memset(&q, 0, sizeof(q));
	q.fn = fn.buf;
	ncallers = callers_of(rec, fn.buf, &callers);
	q.callers = (const char *const *)callers;
	q.ncallers = ncallers;
	q.nlines = lines_of(rec, &lines);
	q.lines = lines;
	if (jsonl_path_str(rec, "role", &role) && !strcmp(role.buf, "parent"))
		q.child = jsonl_path_str(rec, "child", &child);
	r = cparse_extract(cp, &q, &def, &ctx, &e);
	if (r == CPARSE_MISSING && opt.drop_missing) {
		if (opt.verbose)
			fprintf(stderr, "pesq-deps: dropped: %s\n", e.buf);
	} else if (r) {
		if (opt.verbose)
			fprintf(stderr, "pesq-deps: %s\n", e.buf);
		jsonl_error_record(out, rec, "deps", e.buf);
	} else {
		if (opt.verbose)
			fprintf(stderr, "pesq-deps: %s: found\n", fn.buf);
		jw_init(&w, out);
		jw_obj(&w);
		jsonl_copy_except(rec, &w, skip);
		jw_key(&w, "def");
		jw_raw(&w, def.buf, def.len);
		jw_key(&w, "ctx");
		jw_raw(&w, ctx.buf, ctx.len);
		jw_obj_end(&w);
		jw_release(&w);
		sbuf_addc(out, '\n');
	}
done:
	for (i = 0; i < ncallers; i++)
		free(callers[i]);
	free(callers);
	for (i = 0; lines && i < q.nlines; i++)
		free((char *)lines[i].file);
	free(lines);
	sbuf_release(&fn);
	sbuf_release(&role);
	sbuf_release(&child);
	sbuf_release(&def);
	sbuf_release(&ctx);
	sbuf_release(&e);
}

/* Process one input stream; 1 when some line was invalid. */
static int
run(FILE *fp, const char *name)
{
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	struct sbuf out = SBUF_INIT;
	int ret = 0, st;

	jsonl_reader_init(&r, fp, name);
	while ((st = jsonl_read(&r, &rec)) != 0) {
		if (st == -2)
			err(3, "%s", name);
		if (st == -1) {
			ret = 1;
			if (!opt.quiet)
				warnx("%s", r.err.buf);
			continue;
		}
		sbuf_reset(&out);
		process(rec, &out);
		if (out.len && fwrite(out.buf, 1, out.len, stdout) != out.len)
			err(3, "stdout");
		if (fflush(stdout) == EOF)
			err(3, "stdout");
	}
	jsonl_reader_release(&r);
	sbuf_release(&out);
	return ret;
}

int
main(int argc, char **argv)
{
	struct sbuf e = SBUF_INIT;
	size_t cap = 0;
	int c, i, ret = 0;

	while ((c = getopt_long(argc, argv, "C:r:p:m:X:b:dvqh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'C': opt.dir = optarg; break;
		case 'r': opt.rev = optarg; break;
		case 'p': opt.build_dir = optarg; break;
		case 'm': opt.make_log = optarg; break;
		case OPT_FLAGSFROM: opt.flags_from = optarg; break;
		case 'X':
			XGROW(opt.extra, opt.nextra + 1, cap);
			opt.extra[opt.nextra++] = optarg;
			break;
		case 'b':
			if (!opt.copts.bin)
				opt.copts.bin = binsrc_new();
			if (binsrc_add(opt.copts.bin, optarg, &e))
				errx(3, "%s", e.buf);
			break;
		case 'd': opt.drop_missing = 1; break;
		case OPT_CALLEE:
			opt.copts.callee_limit = number(optarg, "limit");
			break;
		case OPT_CALLER:
			opt.copts.caller_limit = number(optarg, "limit");
			break;
		case OPT_MAXCALLERS:
			opt.copts.max_callers = number(optarg, "count");
			break;
		case 'v': opt.verbose = 1; break;
		case 'q': opt.quiet = 1; break;
		case 'h': usage(0); break;
		default: PESQ_VERSION_IF(c, "pesq-deps"); usage(2);
		}
	}
	if (optind == argc) {
		ret = run(stdin, "<stdin>");
	} else {
		for (i = optind; i < argc; i++) {
			FILE *fp = strcmp(argv[i], "-") ? fopen(argv[i], "r") :
				stdin;

			if (!fp)
				err(3, "cannot open '%s'", argv[i]);
			ret |= run(fp, fp == stdin ? "<stdin>" : argv[i]);
			if (fp != stdin)
				fclose(fp);
		}
	}
	cparse_free(cp);
	cflags_free(cf);
	gitsrc_free(gs);
	binsrc_free(opt.copts.bin);
	sbuf_release(&e);
	free(opt.extra);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return ret;
}
