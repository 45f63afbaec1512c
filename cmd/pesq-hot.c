/*
 * pesq-hot: read folded stacks, write one JSON record per target
 * function (where the time goes, the heaviest chain leading there, its
 * callers and callees), or a table for people. See pesq-hot(1).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "profile/hot.h"
#include "profile/prof.h"
#include "base/sbuf.h"
#include "base/xalloc.h"
#include "base/version.h"

static const char usage_str[] =
	"usage: pesq-hot [options] [file ...]\n"
	"\n"
	"  -n, --top N            report the N hottest functions (default 10)\n"
	"  -s, --sort KEY         rank by self (default) or total\n"
	"  -m, --min-share F      leave out functions under this share\n"
	"  -x, --exclude REGEX    never report functions matching REGEX\n"
	"  -o, --only REGEX       report only functions matching REGEX\n"
	"  -a, --all              also report [unknown], [dso] and kernel frames\n"
	"  -f, --fanout K         callers and callees listed (default 5)\n"
	"  -c, --chain            add the parents worth calling their child less\n"
	"  -d, --depth K          look K callers up the chain (default 1, 0: all)\n"
	"  -p, --parent-share F   child's least share of a parent (default 0.5)\n"
	"  -t, --table            a table for people instead of JSON lines\n"
	"  -D, --diff BEFORE      compare BEFORE with the input (the after)\n"
	"  -l, --lines FILE       source lines of the samples (pesq-fold --lines)\n"
	"      --max-lines N      lines per record (default 10, 0: all)\n"
	"  -v, --verbose          say what was read on stderr\n"
	"  -q, --quiet            do not report malformed lines\n"
	"  -h, --help             show this help\n";

enum { OPT_MAX_LINES = 256 };

static const struct option longopts[] = {
	{ "top", required_argument, NULL, 'n' },
	{ "sort", required_argument, NULL, 's' },
	{ "min-share", required_argument, NULL, 'm' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "only", required_argument, NULL, 'o' },
	{ "all", no_argument, NULL, 'a' },
	{ "fanout", required_argument, NULL, 'f' },
	{ "chain", no_argument, NULL, 'c' },
	{ "depth", required_argument, NULL, 'd' },
	{ "parent-share", required_argument, NULL, 'p' },
	{ "table", no_argument, NULL, 't' },
	{ "diff", required_argument, NULL, 'D' },
	{ "lines", required_argument, NULL, 'l' },
	{ "max-lines", required_argument, NULL, OPT_MAX_LINES },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	PESQ_LONGOPTS_END
};

static int quiet, verbose, bad_lines;

static void
usage(FILE *fp, int status)
{
	fputs(usage_str, fp);
	exit(status);
}

static size_t
parse_size(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-' || v > SIZE_MAX) {
		warnx("%s: '%s' is not a non-negative integer", opt, s);
		usage(stderr, 2);
	}
	return (size_t)v;
}

static double
parse_fraction(const char *opt, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !(v >= 0 && v <= 1)) {
		warnx("%s: '%s' is not a fraction between 0 and 1", opt, s);
		usage(stderr, 2);
	}
	return v;
}

static void
add_regex(regex_t **re, size_t *n, const char *opt, const char *s)
{
	char msg[256];
	int r;

	*re = xreallocarray(*re, *n + 1, sizeof(**re));
	r = regcomp(&(*re)[*n], s, REG_EXTENDED | REG_NOSUB);
	if (r) {
		regerror(r, &(*re)[*n], msg, sizeof(msg));
		warnx("%s: '%s': %s", opt, s, msg);
		usage(stderr, 2);
	}
	(*n)++;
}

static void
report_bad(void *arg, unsigned long lineno, const char *why)
{
	bad_lines = 1;
	if (!quiet)
		warnx("%s:%lu: %s", (const char *)arg, lineno, why);
}

static void
read_input(struct prof *p, const char *path)
{
	int fd = 0;
	const char *name = "<stdin>";

	if (strcmp(path, "-")) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			err(3, "'%s'", path);
		name = path;
	}
	if (prof_read_fd(p, fd, report_bad, (void *)name) < 0)
		err(3, "'%s'", name);
	if (fd)
		close(fd);
}

static void
read_lines(struct hotlines *hl, const char *path)
{
	FILE *fp = fopen(path, "r");

	if (!fp)
		err(3, "'%s'", path);
	if (hotlines_read(hl, fp, path, report_bad, (void *)path) < 0)
		err(3, "'%s'", path);
	fclose(fp);
}

static void
say_read(const struct prof *p, const char *what)
{
	if (verbose)
		fprintf(stderr, "pesq-hot: %s: %llu stacks, %llu samples, "
			"%u frames, %u functions, %u nodes, %u edges\n", what,
			(unsigned long long)p->nlines,
			(unsigned long long)p->all, p->nframe, p->nfn,
			p->nnode - 1, p->nedge);
}

static int
term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	long v;

	if (isatty(1) && !ioctl(1, TIOCGWINSZ, &ws) && ws.ws_col > 0)
		return ws.ws_col;
	if (c && (v = strtol(c, NULL, 10)) > 0 && v < INT_MAX)
		return (int)v;
	return 80;
}

int
main(int argc, char **argv)
{
	struct hot_opts o;
	struct prof p, before;
	struct hot_sel sel = { NULL, 0, 0 };
	struct sbuf out = SBUF_INIT;
	const char *diff = NULL, *lines = NULL;
	struct hotlines hl = HOTLINES_INIT;
	size_t i;
	int c;

	hot_opts_init(&o);
	while ((c = getopt_long(argc, argv, "n:s:m:x:o:af:cd:p:tD:l:vqh",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.top = parse_size("--top", optarg); break;
		case 's':
			if (!strcmp(optarg, "self"))
				o.by_total = 0;
			else if (!strcmp(optarg, "total"))
				o.by_total = 1;
			else {
				warnx("--sort: '%s' is not self or total",
				      optarg);
				usage(stderr, 2);
			}
			break;
		case 'm':
			o.min_share = parse_fraction("--min-share", optarg);
			break;
		case 'x':
			add_regex(&o.exclude, &o.nexclude, "--exclude", optarg);
			break;
		case 'o':
			add_regex(&o.only, &o.nonly, "--only", optarg);
			break;
		case 'a': o.all = 1; break;
		case 'f': o.fanout = parse_size("--fanout", optarg); break;
		case 'c': o.chain = 1; break;
		case 'd': o.depth = parse_size("--depth", optarg); break;
		case 'p':
			o.parent_share = parse_fraction("--parent-share",
							optarg);
			break;
		case 't': o.table = 1; break;
		case 'D': diff = optarg; break;
		case 'l': lines = optarg; break;
		case OPT_MAX_LINES:
			o.max_lines = parse_size("--max-lines", optarg);
			break;
		case 'v': verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout, 0); break;
		default: PESQ_VERSION_IF(c, "pesq-hot"); usage(stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.table)
		o.width = term_width();

	if (lines) {
		read_lines(&hl, lines);
		o.lines = &hl;
	}
	prof_init(&p);
	if (!argc)
		read_input(&p, "-");
	for (i = 0; i < (size_t)argc; i++)
		read_input(&p, argv[i]);
	prof_finish(&p);
	say_read(&p, "input");

	if (diff) {
		prof_init(&before);
		read_input(&before, diff);
		prof_finish(&before);
		say_read(&before, diff);
		hot_write_diff(&before, &p, &o, &out);
		prof_release(&before);
	} else {
		hot_select(&p, &o, &sel);
		if (o.table)
			hot_write_table(&p, &o, &sel, &out);
		else
			for (i = 0; i < sel.n; i++)
				hot_write_record(&p, &o, &sel, i, &out);
		hot_sel_release(&sel);
	}
	if (fwrite(out.buf, 1, out.len, stdout) != out.len)
		err(3, "stdout");
	sbuf_release(&out);
	prof_release(&p);
	hotlines_release(&hl);
	for (i = 0; i < o.nexclude; i++)
		regfree(&o.exclude[i]);
	for (i = 0; i < o.nonly; i++)
		regfree(&o.only[i]);
	free(o.exclude);
	free(o.only);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return bad_lines ? 1 : 0;
}
