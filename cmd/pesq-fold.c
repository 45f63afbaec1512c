/*
 * pesq-fold: profiler text (perf script, folded stacks) to folded stacks.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fold/fold.h"
#include "base/xalloc.h"
#include "base/version.h"

static const char usage_str[] =
	"usage: pesq-fold [options] [file ...]\n"
	"\n"
	"    -f, --format FMT        input format: auto (default), perf, folded\n"
	"    -p, --pid               root frame 'comm-PID'\n"
	"    -t, --tid               root frame 'comm-PID/TID'\n"
	"    -k, --kernel            mark kernel frames with _[k]\n"
	"    -j, --jit               mark JIT frames with _[j]\n"
	"    -a, --all               --kernel and --jit\n"
	"    -A, --addrs             addresses in unknown frames: [dso <pc>]\n"
	"    -r, --resolve           name unknown frames from their binaries\n"
	"    -i, --inline            inlined functions as frames (f_[i]), from\n"
	"                            the binaries' DWARF; implies --resolve\n"
	"    -l, --lines FILE        the source lines of the leaf frames into\n"
	"                            FILE (JSON lines, for pesq-hot --lines)\n"
	"    -e, --event-filter EV   keep samples of event EV (default: the first)\n"
	"    -s, --samples           count samples, not sample periods\n"
	"    -S, --skip-after FN     make FN the root of stacks holding it\n"
	"        --no-demangle       leave legacy Rust symbols as perf wrote them\n"
	"    -q, --quiet             no warnings\n"
	"    -v, --verbose           a summary on stderr\n"
	"    -h, --help              this help\n";

enum { OPT_NO_DEMANGLE = 256 };

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "pid", no_argument, NULL, 'p' },
	{ "tid", no_argument, NULL, 't' },
	{ "kernel", no_argument, NULL, 'k' },
	{ "jit", no_argument, NULL, 'j' },
	{ "all", no_argument, NULL, 'a' },
	{ "addrs", no_argument, NULL, 'A' },
	{ "resolve", no_argument, NULL, 'r' },
	{ "inline", no_argument, NULL, 'i' },
	{ "lines", required_argument, NULL, 'l' },
	{ "event-filter", required_argument, NULL, 'e' },
	{ "samples", no_argument, NULL, 's' },
	{ "skip-after", required_argument, NULL, 'S' },
	{ "no-demangle", no_argument, NULL, OPT_NO_DEMANGLE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	PESQ_LONGOPTS_END
};

static int quiet, verbose;
static char obuf[1 << 16];

static void __attribute__((noreturn))
usage(int status)
{
	fputs(usage_str, status ? stderr : stdout);
	exit(status);
}

static void
on_warn(void *ctx, enum fold_warn kind, const char *name, uintmax_t line,
	const char *msg)
{
	(void)ctx;
	(void)kind;
	if (!quiet)
		warnx("%s:%ju: %s", name, line, msg);
}

/*
 * What the profile lacks, said once at the end: frames the binaries did
 * not name (when they end 1% of the samples, or with -v), and call
 * chains cut short by missing frame pointers (when most of at least
 * MIN_DEPTH_SAMPLES samples with call graphs do not reach main).
 */
#define MIN_DEPTH_SAMPLES 20

static void
say_missing(struct fold *f)
{
	struct fold_unnamed u;
	struct fold_depth d;
	size_t i;

	for (i = 0; !fold_unnamed(f, i, &u); i++) {
		double share = u.all ? 100.0 * u.leaf / u.all : 0;

		if (!u.addrs || (!verbose && share < 1))
			continue;
		warnx("'%s': %.1f%% of the samples end in one of its %ju "
		      "address%s left without a name: %s", u.path, share,
		      u.addrs, u.addrs == 1 ? "" : "es", u.why_str);
	}
	fold_depth(f, &d);
	if (d.n >= MIN_DEPTH_SAMPLES && d.cut * 2 > d.user)
		warnx("%.0f%% of the samples have call chains cut short: "
		      "they do not reach main ('%s' and others lost their "
		      "callers); the program was likely built without frame "
		      "pointers: build it with -fno-omit-frame-pointer, or "
		      "record with 'perf record --call-graph dwarf' (for git "
		      "pesq: git config pesq.callGraph dwarf)",
		      100.0 * d.cut / d.user, d.example);
}

static void
write_lines(struct fold *f, const char *path)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		err(3, "'%s'", path);
	if (fold_write_lines(f, fp) || fclose(fp) == EOF)
		err(3, "'%s'", path);
}

/* Fold one input; 0, or 1 when it was not profiler text. */
static int
fold_one(struct fold *f, const char *path)
{
	int fd, r;
	const char *name = path;

	if (!strcmp(path, "-")) {
		fd = 0;
		name = "<stdin>";
	} else if ((fd = open(path, O_RDONLY)) < 0) {
		err(3, "'%s'", path);
	}
	r = fold_fd(f, fd, name);
	if (r == -1)
		err(3, "'%s'", name);
	if (fd)
		close(fd);
	if (r == FOLD_EINPUT) {
		warnx("%s", fold_error(f));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct fold_opts o = { 0 };
	const char **skip = NULL, *lines = NULL;
	size_t nskip = 0, alloc = 0;
	struct fold *f;
	int c, i, status = 0;
	uintmax_t bad;

	o.format = FOLD_AUTO;
	while ((c = getopt_long(argc, argv, "f:ptkjaAril:e:sS:qvh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "perf"))
				o.format = FOLD_PERF;
			else if (!strcmp(optarg, "folded"))
				o.format = FOLD_FOLDED;
			else if (!strcmp(optarg, "auto"))
				o.format = FOLD_AUTO;
			else {
				warnx("unknown format '%s'", optarg);
				usage(2);
			}
			break;
		case 'p': o.flags |= FOLD_PID; break;
		case 't': o.flags |= FOLD_TID; break;
		case 'k': o.flags |= FOLD_KERNEL; break;
		case 'j': o.flags |= FOLD_JIT; break;
		case 'a': o.flags |= FOLD_KERNEL | FOLD_JIT; break;
		case 'A': o.flags |= FOLD_ADDRS; break;
		case 'r': o.flags |= FOLD_RESOLVE; break;
		case 'i': o.flags |= FOLD_RESOLVE | FOLD_INLINE; break;
		case 'l':
			o.flags |= FOLD_LINES;
			lines = optarg;
			break;
		case 'e': o.event_filter = optarg; break;
		case 's': o.flags |= FOLD_SAMPLES; break;
		case 'S':
			XGROW(skip, nskip + 2, alloc);
			skip[nskip++] = optarg;
			skip[nskip] = NULL;
			break;
		case OPT_NO_DEMANGLE: o.flags |= FOLD_NO_DEMANGLE; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(0);
		default: PESQ_VERSION_IF(c, "pesq-fold"); usage(2);
		}
	}
	o.skip_after = skip;
	o.warn = on_warn;
	/* binaries are read from this machine only, never fetched */
	unsetenv("DEBUGINFOD_URLS");
	f = fold_new(&o);
	if (optind == argc)
		status |= fold_one(f, "-");
	for (i = optind; i < argc; i++)
		status |= fold_one(f, argv[i]);

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (fold_write(f, stdout))
		err(3, "stdout");
	if (lines)
		write_lines(f, lines);
	bad = fold_count(f, FOLD_W_EVENT) + fold_count(f, FOLD_W_STACK) +
	    fold_count(f, FOLD_W_FOLDED);
	if (bad)
		status = 1;
	if (o.event_filter && !fold_stacks(f)->n &&
	    fold_count(f, FOLD_W_FILTER)) {
		/* a misspelt event: say so rather than print nothing */
		if (!quiet)
			warnx("no samples of event '%s' in the input",
			      o.event_filter);
		status = 1;
	}
	if (!quiet)
		say_missing(f);
	if (verbose)
		fprintf(stderr, "pesq-fold: %zu stacks; %ju lines skipped, "
			"%ju samples of other events dropped\n",
			fold_stacks(f)->n, bad, fold_count(f, FOLD_W_FILTER));
	fold_free(f);
	free(skip);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return status;
}
