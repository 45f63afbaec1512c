/*
 * pesq-bench: test each built attempt, compare its benchmark output with
 * the base's, time both interleaved, and give a verdict; advance
 * pesq/best when it is accepted. See pesq-bench(1).
 */
#include <err.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure/benchcheck.h"
#include "measure/benchfinish.h"
#include "measure/benchrepo.h"
#include "measure/bench.h"
#include "base/jsonl.h"
#include "ledger/repo.h"
#include "attempt/sandboxconf.h"
#include "measure/verdict.h"
#include "base/version.h"

static const char usage_text[] =
	"usage: pesq-bench [-C DIR] [--bench CMD] [--test CMD] [options] [FILE...]\n"
	"       pesq-bench --calibrate [-C DIR | --base-dir DIR] [options]\n"
	"       pesq-bench --recompute [FILE...]\n"
	"       pesq-bench --validate-check [-C DIR] [options] [FILE...]\n"
	"options: [-B | --build CMD] [-s | --slot K] [-m | --metric cpu|wall|auto]\n"
	"  [-c | --confidence X] [-g | --min-gain X] [--min-rounds N]\n"
	"  [-n | --max-rounds N] [--budget SECONDS] [-T | --timeout SECONDS]\n"
	"  [--warmup N] [--seed N] [--sandbox auto|on|off] [--no-output-check]\n"
	"  [--max-rss-growth X]\n"
	"  [--no-sanitize] [--sanitize-build CMD] [--no-differential]\n"
	"  [--check-seconds N] [--attempts N] [--no-advance]\n"
	"  [--base-dir DIR --candidate-dir DIR] [-q] [-v]\n";

static struct sandbox sb;		/* how commands run */
static struct redact secrets = REDACT_INIT;
static struct bench_opt bo = {
	.param = { TIMING_AUTO, 0.99, 0.02, 0, 4000, 5, 50 },
	.timeout = 300, .budget = 600, .warmup = 1, .output_check = 1,
	.max_rss_growth = -1,
	.sb = &sb, .redact = &secrets,
};
static git_repository *repo;	/* for settings; and git mode */
static struct sbuf build_cmd = SBUF_INIT, slot = SBUF_INIT;
static struct slot_opt builds;		/* how base and slot are built */
static struct buildcache bc = BUILDCACHE_INIT;	/* the builds' ccache */
static struct sbuf notice = SBUF_INIT;	/* said before the first run */
static const char *base_dir, *cand_dir;	/* set: no git mode */
static int verbose, quiet, no_advance, have_seed, check_mode;
static double noise;			/* git config pesq.noise */
static struct checks_opt co = CHECKS_OPT_INIT;

static void
usage(FILE *fp, int code)
{
	fputs(usage_text, fp);
	exit(code);
}

static double
num(const char *s, const char *what, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);

	if (*end || end == s || !(v >= lo && v <= hi)) {
		warnx("invalid %s '%s'", what, s);
		usage(stderr, 2);
	}
	return v;
}

/* Test hook: die at a named step (see ENVIRONMENT). */
static void
hook(const char *step)
{
	const char *k = getenv("PESQ_BENCH_KILL_AT");

	if (k && !strcmp(k, step))
		raise(SIGKILL);
}

/* Lines of s for people, each as "pesq-bench: <line>". */
static void
say(const struct sbuf *s)
{
	for (const char *p = s->buf; !quiet && p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		fprintf(stderr, "pesq-bench: %.*s\n", (int)strcspn(p, "\n"), p);
}

/* Judge one record (without `error`) and write it to out. */
static void
judge(const struct jsonl_rec *rec, struct sbuf *out)
{
	struct bench_result r = BENCH_RESULT_INIT;
	struct bench_opt o = bo;
	struct sbuf id = SBUF_INIT, line = SBUF_INIT, e = SBUF_INIT;
	struct benchrepo_place pl = BENCHREPO_PLACE_INIT;
	struct benchrepo_opt ao = { builds, slot.buf, !no_advance, hook };
	struct benchcheck g = { .said = SBUF_INIT };

	if (notice.len && !quiet)
		warnx("%s", notice.buf);
	sbuf_release(&notice);
	if (!jsonl_path_str(rec, "attempt.id", &id))
		sbuf_adds(&id, "-");
	if (!have_seed)
		o.param.seed = verdict_seed(id.buf);
	if (o.param.min_gain < noise)
		o.param.min_gain = noise;
	o.arg = id.buf;
	o.progress = verbose ? timing_progress : NULL;
	if (!jsonl_path_bool(rec, "build.ok", 1)) {
		r.verdict = BENCH_BUILD_FAILED;
		sbuf_adds(&r.reason, "the candidate did not build");
	} else if (base_dir) {
		bench_judge(&o, base_dir, cand_dir, &r);
	} else if (!no_advance && benchfinish(repo, rec, id.buf, &r)) {
		;	/* judged before a kill cut it short: finished */
	} else if (benchrepo_place(repo, rec, &ao, &pl, &r) == 0) {
		o.refresh = benchrepo_refresh;
		o.refresh_arg = &pl;
		benchcheck_arm(&g, &co, rec, &pl, &o);
		bench_judge(&o, pl.base_dir, pl.cand_dir, &r);
		say(&g.said);
	}
	benchrepo_place_release(&pl);
	o.param.metric = r.metric;
	if (!base_dir && pl.have_commit &&
	    benchrepo_ledger(repo, rec, &pl, id.buf, &o.param, &ao, &r, &e) < 0)
		errx(3, "%s", e.buf);
	verdict_record(rec, &r, out);
	if (!quiet) {
		verdict_summary(&r, &o.param, id.buf, &line);
		fprintf(stderr, "%s\n", line.buf);
	}
	bench_result_release(&r);
	sbuf_release(&e);
	sbuf_release(&id);
	sbuf_release(&line);
	sbuf_release(&g.said);
}

static int
run(FILE *fp, const char *name, int redo)
{
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	struct sbuf out = SBUF_INIT, said = SBUF_INIT;
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
		if (redo) {
			struct sbuf msg = SBUF_INIT;
			int k2 = verdict_recompute_line(rec, &out, &msg);

			if (k2 < 0)
				warnx("%s:%lu: %s", name, r.lineno, msg.buf);
			else if (k2 > 0)
				warnx("%s:%lu: the recomputed decision or "
				      "interval differs from the stored one",
				      name, r.lineno);
			status |= k2 != 0;
			sbuf_release(&msg);
		} else if (jsonl_get(rec, 0, "error") >= 0) {
			sbuf_add(&out, rec->buf, rec->len);
			sbuf_addc(&out, '\n');
		} else if (check_mode) {
			sbuf_reset(&said);
			status |= checks_validate(&co, rec, &out, &said) < 0 ? 3 : 0;
			say(&said);
		} else {
			judge(rec, &out);
		}
		if (fwrite(out.buf, 1, out.len, stdout) != out.len ||
		    fflush(stdout) == EOF)
			err(3, "stdout");
	}
	jsonl_reader_release(&r);
	sbuf_release(&out);
	sbuf_release(&said);
	return status;
}

/* Settings from options and git config; the sandbox decided. */
static void
setup(const char *dir, const char *bench, const char *test, const char *bcmd,
      const char *k, const char *sandbox, int calibrate)
{
	struct sbuf e = SBUF_INIT;
	int k2;

	if (cand_dir && !base_dir)
		errx(2, "--candidate-dir needs --base-dir");
	if (base_dir && !cand_dir && !calibrate)
		errx(2, "--base-dir needs --candidate-dir");
	/* absolute: the sandbox binds them by name */
	const char *d[2] = { base_dir, cand_dir };

	if (d[0] && !(base_dir = realpath(d[0], NULL)))
		err(3, "%s", d[0]);
	if (d[1] && !(cand_dir = realpath(d[1], NULL)))
		err(3, "%s", d[1]);
	if (repo_open(&repo, dir) < 0) {
		if (!base_dir || dir)
			errx(3, "not a git repository: %s", repo_errmsg());
		repo = NULL;	/* directories alone: no settings */
	}
	sbuf_addf(&slot, "slot-%s", k);
	if (benchrepo_settings(repo, bench, test, bcmd, &bo, &build_cmd, &noise,
			       &e) < 0 ||
	    benchcheck_settings(repo, &bo, build_cmd.buf, slot.buf, &co, &e) < 0)
		errx(2, "%s", e.buf);
	if ((k2 = sandboxconf_load(repo, sandbox, &sb, &bc, &notice, &e)) < 0)
		errx(k2 == -2 ? 2 : 3, "%s", e.buf);
	sandboxconf_secrets(repo, &secrets);
	builds = (struct slot_opt){ build_cmd.buf, bo.timeout, &sb, &secrets,
		&bc };
	co.cache = &bc;
	sbuf_release(&e);
}

/* --calibrate: the base against itself; store the noise floor. */
static int
calibrate_base(void)
{
	struct bench_opt o = bo;
	struct sbuf out = SBUF_INIT, msg = SBUF_INIT;
	int k;

	if (notice.len && !quiet)
		warnx("%s", notice.buf);
	if (!have_seed)
		o.param.seed = verdict_seed("calibrate");
	o.arg = (void *)"calibrate";
	o.progress = verbose ? timing_progress : NULL;
	k = benchrepo_calibrate(repo, &o, base_dir, &builds, &out, &msg);
	if (k && !out.len)
		errx(k, "%s", msg.buf);
	if (fwrite(out.buf, 1, out.len, stdout) != out.len)
		err(3, "stdout");
	if (k)
		warnx("calibrate: %s", msg.buf);
	else if (!quiet)
		fprintf(stderr, "calibrate: %s\n", msg.buf);
	sbuf_release(&out);
	sbuf_release(&msg);
	return k;
}

int
main(int argc, char **argv)
{
	enum { O_MINR = 256, O_BUDGET, O_WARM, O_SEED, O_SANDBOX, O_NOCHECK,
	       O_NOADV, O_CALIB, O_RECOMP, O_BASEDIR, O_CANDDIR, O_NOSAN,
	       O_SANBUILD, O_NODIFF, O_SECS, O_CHECK, O_ATTEMPTS, O_RSS };
	static const struct option longopts[] = {
		{ "bench", required_argument, NULL, 'b' },
		{ "test", required_argument, NULL, 't' },
		{ "build", required_argument, NULL, 'B' },
		{ "slot", required_argument, NULL, 's' },
		{ "metric", required_argument, NULL, 'm' },
		{ "confidence", required_argument, NULL, 'c' },
		{ "min-gain", required_argument, NULL, 'g' },
		{ "min-rounds", required_argument, NULL, O_MINR },
		{ "max-rounds", required_argument, NULL, 'n' },
		{ "budget", required_argument, NULL, O_BUDGET },
		{ "timeout", required_argument, NULL, 'T' },
		{ "warmup", required_argument, NULL, O_WARM },
		{ "seed", required_argument, NULL, O_SEED },
		{ "sandbox", required_argument, NULL, O_SANDBOX },
		{ "no-output-check", no_argument, NULL, O_NOCHECK },
		{ "max-rss-growth", required_argument, NULL, O_RSS },
		{ "no-sanitize", no_argument, NULL, O_NOSAN },
		{ "sanitize-build", required_argument, NULL, O_SANBUILD },
		{ "no-differential", no_argument, NULL, O_NODIFF },
		{ "check-seconds", required_argument, NULL, O_SECS },
		{ "validate-check", no_argument, NULL, O_CHECK },
		{ "attempts", required_argument, NULL, O_ATTEMPTS },
		{ "no-advance", no_argument, NULL, O_NOADV },
		{ "calibrate", no_argument, NULL, O_CALIB },
		{ "recompute", no_argument, NULL, O_RECOMP },
		{ "base-dir", required_argument, NULL, O_BASEDIR },
		{ "candidate-dir", required_argument, NULL, O_CANDDIR },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		PESQ_LONGOPTS_END
	};
	const char *dir = NULL, *sandbox = NULL, *k = "0";
	const char *bench_cmd = NULL, *test_cmd = NULL, *bcmd = NULL;
	int c, status = 0, calibrate = 0, redo = 0;

	while ((c = getopt_long(argc, argv, "C:b:t:B:s:m:c:g:n:T:qvh",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'b': bench_cmd = optarg; break;
		case 't': test_cmd = optarg; break;
		case 'B': bcmd = optarg; break;
		case 's': k = optarg; break;
		case 'm':
			if (timing_metric_parse(optarg, &bo.param.metric) < 0)
				usage(stderr, 2);
			break;
		case 'c':
			bo.param.confidence = num(optarg, "confidence", 0.5,
						  0.99999);
			break;
		case 'g': bo.param.min_gain = num(optarg, "gain", 0, 10); break;
		case O_MINR:
			bo.param.min_rounds = (size_t)num(optarg, "rounds", 1,
							  1e6);
			break;
		case 'n':
			bo.param.max_rounds = (size_t)num(optarg, "rounds", 1,
							  1e6);
			break;
		case O_BUDGET: bo.budget = num(optarg, "budget", 0, 1e9); break;
		case 'T': bo.timeout = num(optarg, "timeout", 0, 1e9); break;
		case O_WARM: bo.warmup = (int)num(optarg, "warmup", 0, 100); break;
		case O_SEED:
			bo.param.seed = (uint64_t)num(optarg, "seed", 0,
						      9007199254740991.0);
			have_seed = 1;
			break;
		case O_SANDBOX: sandbox = optarg; break;
		case O_NOCHECK: bo.output_check = 0; break;
		case O_RSS: bo.max_rss_growth = num(optarg, "growth", 0, 1e6); break;
		case O_NOSAN: co.sanitize = 0; break;
		case O_SANBUILD: co.san_build = optarg; break;
		case O_NODIFF: co.differential = 0; break;
		case O_SECS: co.seconds = num(optarg, "seconds", 1, 86400); break;
		case O_CHECK: check_mode = 1; break;
		case O_ATTEMPTS: co.corrections = (int)num(optarg, "count", 0, 1e3);
			break;
		case O_NOADV: no_advance = 1; break;
		case O_CALIB: calibrate = 1; break;
		case O_RECOMP: redo = 1; break;
		case O_BASEDIR: base_dir = optarg; break;
		case O_CANDDIR: cand_dir = optarg; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout, 0); break;
		default: PESQ_VERSION_IF(c, "pesq-bench"); usage(stderr, 2);
		}
	}
	if (sandbox && !sandboxconf_mode_ok(sandbox)) {
		warnx("invalid sandbox mode '%s'", sandbox);
		usage(stderr, 2);
	}
	if (!verbose && !quiet && isatty(2))
		verbose = 1;
	if (bo.param.min_rounds > bo.param.max_rounds)
		bo.param.max_rounds = bo.param.min_rounds;
	if (!redo)
		setup(dir, bench_cmd, test_cmd, bcmd, k, sandbox, calibrate);
	if (calibrate) {
		status = calibrate_base();
	} else if (optind == argc) {
		status = run(stdin, "<stdin>", redo);
	} else {
		for (int i = optind; i < argc; i++) {
			FILE *fp = strcmp(argv[i], "-") ? fopen(argv[i], "r")
				: stdin;

			if (!fp)
				err(3, "%s", argv[i]);
			status |= run(fp, argv[i], redo);
			if (fp != stdin)
				fclose(fp);
		}
	}
	repo_close(repo);
	sandboxconf_release(&sb, &bc);
	redact_release(&secrets);
	sbuf_release(&notice);
	sbuf_release(&build_cmd);
	sbuf_release(&slot);
	free((char *)base_dir);
	free((char *)cand_dir);
	free((char *)bo.bench_cmd);
	free((char *)bo.test_cmd);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return status;
}
