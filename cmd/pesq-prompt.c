/*
 * pesq-prompt: records with `def` (and `ctx`) in, records with `prompt`
 * out: the chat messages that ask a model for a faster version of the
 * function, or for a fix of a candidate that failed. See pesq-prompt(1).
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/jsonl.h"
#include "run/proc.h"
#include "prompt/prompt.h"
#include "base/sbuf.h"
#include "base/version.h"

static const char usage_text[] =
	"usage: pesq-prompt [-qv] [-c | --parallel [--threads n]] [-e file] "
	"[-m tokens] [-t dir] [file...]\n"
	"   or: pesq-prompt --dump-templates dir\n"
	"\n"
	"    -c, --check              ask for a differential check instead\n"
	"    --parallel               ask for a version that runs its hot loop "
	"on threads\n"
	"    --threads <n>            threads in all (default: the online "
	"CPUs)\n"
	"    -e, --examples <file>    show the accepted attempts in <file>\n"
	"    -m, --max-tokens <n>     trim context to fit an estimate of <n> "
	"tokens\n"
	"    -t, --template <dir>     templates from <dir> "
	"(default: pesq.template)\n"
	"    --dump-templates <dir>   write the built-in templates to <dir>\n"
	"    -q, --quiet              no warnings\n"
	"    -v, --verbose            say what each record got\n"
	"    -h, --help               show this help\n";

static int verbose, quiet;

static void __attribute__((noreturn))
usage(int status)
{
	fputs(usage_text, status ? stderr : stdout);
	exit(status);
}

/* `git config pesq.template`, or NULL when unset. */
static char *
config_template(void)
{
	static char *const argv[] = {
		"git", "config", "--type=path", "--get", "pesq.template", NULL,
	};
	struct proc_opt opt = { 0 };
	struct proc_res res;
	char *val = NULL;

	opt.argv = argv;
	opt.out_max = 65536;
	opt.err_max = 4096;
	opt.timeout = 30;
	if (proc_run(&opt, &res) < 0)
		return NULL;	/* no git: nothing configured */
	if (res.exit_code == 0) {
		sbuf_rtrim(&res.out);
		if (res.out.len)
			val = sbuf_detach(&res.out, NULL);
	} else if (res.exit_code != 1) {
		sbuf_rtrim(&res.err);
		errx(3, "git config pesq.template: %s", res.err.len ?
		     res.err.buf : "failed");
	}
	proc_res_release(&res);
	return val;
}

static void
load_templates(struct prompt_tpl *tpl, const char *dir)
{
	struct sbuf e = SBUF_INIT;
	char *conf = NULL;
	int r;

	if (!dir && !(dir = conf = config_template()))
		return;
	r = prompt_tpl_load(tpl, dir, &e);
	if (r == -1 && (errno == ENOENT || errno == ENOTDIR))
		errx(2, "template directory '%s': %s", e.buf, strerror(errno));
	if (r == -1)
		err(3, "%s", e.buf);
	if (r < 0)
		errx(2, "%s", e.buf);
	sbuf_release(&e);
	free(conf);
}

static int
dump_templates(const char *dir)
{
	struct sbuf path = SBUF_INIT, text = SBUF_INIT;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		err(3, "cannot make '%s'", dir);
	for (int i = 0; i < PROMPT_NTPL; i++) {
		sbuf_reset(&path);
		sbuf_addf(&path, "%s/%s.txt", dir, prompt_tpl_names[i]);
		if (access(path.buf, F_OK) == 0)
			errx(2, "'%s' exists; not overwriting it", path.buf);
	}
	for (int i = 0; i < PROMPT_NTPL; i++) {
		sbuf_reset(&path);
		sbuf_addf(&path, "%s/%s.txt", dir, prompt_tpl_names[i]);
		sbuf_reset(&text);
		sbuf_adds(&text, prompt_tpl_builtin(i));
		if (sbuf_write_file(&text, path.buf) < 0)
			err(3, "cannot write '%s'", path.buf);
	}
	sbuf_release(&path);
	sbuf_release(&text);
	return 0;
}

/* Read the examples file; 1 when some lines were invalid. */
static int
load_examples(struct prompt_examples *ex, const char *file)
{
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	struct sbuf msg = SBUF_INIT;
	FILE *fp = fopen(file, "r");
	int n, bad = 0;

	if (!fp)
		err(3, "cannot open '%s'", file);
	jsonl_reader_init(&r, fp, file);
	while ((n = jsonl_read(&r, &rec)) != 0) {
		if (n == -2)
			err(3, "%s", file);
		if (n == -1) {
			warnx("%s", r.err.buf);
			bad = 1;
		} else if (prompt_examples_add(ex, rec, &msg) < 0) {
			warnx("%s:%lu: %s", file, r.lineno, msg.buf);
			bad = 1;
		}
	}
	jsonl_reader_release(&r);
	fclose(fp);
	sbuf_release(&msg);
	return bad;
}

/* Prompt every record of fp; 1 when some lines were invalid, 3 on I/O. */
static int
run(FILE *fp, const char *name, const struct prompt_opt *opt)
{
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	struct sbuf out = SBUF_INIT, msg = SBUF_INIT;
	int n, status = 0;

	jsonl_reader_init(&r, fp, name);
	while ((n = jsonl_read(&r, &rec)) != 0) {
		if (n == -2) {
			warn("%s", name);
			status = 3;
			break;
		}
		if (n == -1) {
			status = 1;
			warnx("%s", r.err.buf);
			continue;
		}
		sbuf_reset(&out);
		sbuf_reset(&msg);
		if (prompt_record(rec, opt, &out, &msg)) {
			if (!quiet)
				warnx("%s:%lu: %s", name, r.lineno, msg.buf);
		} else if (verbose && msg.len) {
			fprintf(stderr, "pesq-prompt: %s:%lu: %s\n", name,
				r.lineno, msg.buf);
		}
		if (fwrite(out.buf, 1, out.len, stdout) != out.len)
			err(3, "stdout");
	}
	jsonl_reader_release(&r);
	sbuf_release(&out);
	sbuf_release(&msg);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "parallel", no_argument, NULL, 'P' },
		{ "threads", required_argument, NULL, 'N' },
		{ "examples", required_argument, NULL, 'e' },
		{ "max-tokens", required_argument, NULL, 'm' },
		{ "template", required_argument, NULL, 't' },
		{ "dump-templates", required_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		PESQ_LONGOPTS_END
	};
	struct prompt_examples ex = PROMPT_EXAMPLES_INIT;
	struct prompt_tpl tpl;
	struct prompt_opt opt = { &tpl, NULL, 0, 0, 0, 0 };
	const char *examples = NULL, *tdir = NULL, *dump = NULL;
	int c, status = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "ce:m:t:qvh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.check = 1;
			break;
		case 'P':
			opt.parallel = 1;
			break;
		case 'N':
			errno = 0;
			opt.threads = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || opt.threads < 1 ||
			    opt.threads > 4096) {
				warnx("invalid thread count '%s'", optarg);
				usage(2);
			}
			break;
		case 'e':
			examples = optarg;
			break;
		case 'm':
			errno = 0;
			opt.max_tokens = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end ||
			    opt.max_tokens < 0) {
				warnx("invalid token budget '%s'", optarg);
				usage(2);
			}
			break;
		case 't':
			tdir = optarg;
			break;
		case 'D':
			dump = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(0);
		default:
			PESQ_VERSION_IF(c, "pesq-prompt");
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (dump) {
		if (argc || examples || tdir || opt.max_tokens || opt.check ||
		    opt.parallel || opt.threads)
			usage(2);
		return dump_templates(dump);
	}
	if (opt.check && opt.parallel) {
		warnx("--check and --parallel exclude each other");
		usage(2);
	}
	if (opt.threads && !opt.parallel) {
		warnx("--threads needs --parallel");
		usage(2);
	}
	if (opt.parallel && !opt.threads &&
	    (opt.threads = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		opt.threads = 1;
	if (!quiet && isatty(2))
		verbose = 1;
	if (quiet)
		verbose = 0;

	prompt_tpl_init(&tpl);
	load_templates(&tpl, tdir);
	if (examples) {
		status = load_examples(&ex, examples);
		opt.ex = &ex;
	}
	if (!argc) {
		status |= run(stdin, "<stdin>", &opt);
	}
	for (int i = 0; i < argc; i++) {
		FILE *fp = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;
		int s;

		if (!fp) {
			warn("cannot open '%s'", argv[i]);
			status = 3;
			continue;
		}
		s = run(fp, fp == stdin ? "<stdin>" : argv[i], &opt);
		if (s > status)
			status = s;
		if (fp != stdin)
			fclose(fp);
	}
	prompt_examples_release(&ex);
	prompt_tpl_release(&tpl);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return status;
}
