/*
 * pesq-llm: ask a model for each record's prompt; add llm and candidate.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/jsonl.h"
#include "base/version.h"
#include "llm/llm.h"
#include "llm/llmcache.h"
#include "llm/llmconf.h"
#include "llm/llmqueue.h"

static const char usage_line[] =
	"usage: pesq-llm [-qv] [-C dir] [-p provider] [-m model] [-n samples] "
	"[-j jobs] [option...] [file...]\n";

static void
usage(FILE *fp, int code)
{
	fputs(usage_line, fp);
	fputs("  -p, --provider openai|anthropic|command|replay  -m, --model M\n"
	      "  --base-url URL  --command CMD  -t, --temperature T (0.2)\n"
	      "  --max-output-tokens N  -n, --samples K (1)  --first-sample S (0)\n"
	      "  -j, --jobs N (4)  --timeout SECONDS (300)  --retries N (3)\n"
	      "  --fallback-model M  --no-cache  --max-reply-bytes N (4 MiB)\n"
	      "  --budget TOKENS  --spent FILE  --settings  --check  --version\n"
	      "  -C DIR  -q, --quiet  -v, --verbose\n",
	      fp);
	exit(code);
}

static struct llmconf conf;
static struct llmcache *cache;
static struct llmqueue *queue;
static int quiet;

/* Write the finished lines and say the notes (unless -q). */
static void
flush(FILE *out)
{
	struct sbuf lines = SBUF_INIT, notes = SBUF_INIT;
	char *p, *nl;

	llmqueue_take(queue, &lines, &notes);
	if (lines.len && fwrite(lines.buf, 1, lines.len, out) != lines.len)
		err(3, "stdout");
	for (p = notes.buf; !quiet && (nl = strchr(p, '\n')); p = nl + 1)
		fprintf(stderr, "pesq-llm: %.*s\n", (int)(nl - p), p);
	sbuf_release(&lines);
	sbuf_release(&notes);
	if (ferror(out))
		err(3, "stdout");
}

/* Wait for one request; 0 when none is pending. */
static int
wait_one(FILE *out)
{
	struct sbuf e = SBUF_INIT;
	int r = llmqueue_wait(queue, &e);

	if (r < 0)
		errx(3, "%s", e.buf);
	flush(out);
	sbuf_release(&e);
	return r;
}

static void
add(const struct jsonl_rec *rec, FILE *out)
{
	struct sbuf e = SBUF_INIT;

	if (llmqueue_add(queue, rec, &e) < 0)
		errx(3, "%s", e.buf);
	flush(out);
	while (llmqueue_full(queue) && wait_one(out))
		;
	sbuf_release(&e);
}

static int
run(FILE *fp, const char *name)
{
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	int n, ret = 0;

	jsonl_reader_init(&r, fp, name);
	while ((n = jsonl_read(&r, &rec)) != 0) {
		if (n == -2)
			err(3, "%s", name);
		if (n == -1) {
			warnx("%s", r.err.buf);
			ret = 1;
			continue;
		}
		add(rec, stdout);
	}
	jsonl_reader_release(&r);
	return ret;
}

/*
 * --check: one small request, past the cache and the budget; says how it
 * went. 0 when the provider answered, 3 when it did not.
 */
static int
check(void)
{
	static const char req[] = "{\"fn\":\"pesq_check\",\"prompt\":"
		"{\"messages\":[{\"role\":\"user\",\"content\":"
		"\"Answer with one word: ready\"}]}}";
	struct jsonl_rec rec = JSONL_REC_INIT, got = JSONL_REC_INIT;
	struct sbuf msg = SBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int ret = 0;

	if (conf.params.provider >= LLM_COMMAND) {
		fprintf(stderr, "pesq-llm: provider '%s': nothing to ask\n",
			llm_provider_name(conf.params.provider));
		return 0;
	}
	conf.no_cache = 1;
	conf.samples = 1;
	conf.first = 0;
	conf.budget = 0;
	free(conf.spent);
	conf.spent = NULL;
	if (!conf.params.max_tokens)
		conf.params.max_tokens = 64;
	if (!(out = open_memstream(&buf, &len)))
		err(3, "open_memstream");
	queue = llmqueue_new(&conf, cache, 1);
	jsonl_parse(&rec, req, strlen(req), NULL, NULL);
	add(&rec, out);
	while (wait_one(out))
		;
	if (fclose(out) == EOF)
		err(3, "memory stream");
	if (jsonl_parse(&got, buf, len ? len - 1 : 0, NULL, NULL) == 0 &&
	    jsonl_get(&got, 0, "llm") >= 0) {
		fprintf(stderr, "pesq-llm: %s '%s' at %s answered in %lld ms "
			"(%lld tokens)\n", llm_provider_name(conf.params.provider),
			jsonl_path_str(&got, "llm.model", &msg), conf.hostport,
			jsonl_path_int(&got, "llm.ms", 0),
			jsonl_path_int(&got, "llm.in_tokens", 0) +
			jsonl_path_int(&got, "llm.out_tokens", 0));
	} else {
		fprintf(stderr, "pesq-llm: %s '%s' at %s: %s\n",
			llm_provider_name(conf.params.provider), conf.model,
			conf.hostport, jsonl_path_str(&got, "error.msg", &msg) ?
			msg.buf : "no answer");
		ret = 3;
	}
	jsonl_rec_release(&rec);
	jsonl_rec_release(&got);
	sbuf_release(&msg);
	free(buf);
	return ret;
}

int
main(int argc, char **argv)
{
	struct llmconf_opt o = { 0 };
	struct sbuf e = SBUF_INIT;
	int c, ret = 0, i, verbose = 0, settings = 0, checking = 0;

	while ((c = getopt_long(argc, argv, LLMCONF_SHORTOPTS,
				llmconf_longopts, NULL)) != -1) {
		if (c == 'h')
			usage(stdout, 0);
		else if (c == 'q')
			quiet = 1;
		else if (c == 'v')
			verbose = 1;
		else if (c == LLMCONF_SETTINGS)
			settings = 1;
		else if (c == LLMCONF_CHECK)
			checking = 1;
		else if (c == 'C') {
			if (chdir(optarg) < 0)
				err(3, "cannot change to '%s'", optarg);
		} else if (c == '?' || llmconf_option(&o, c, optarg) < 0) {
			PESQ_VERSION_IF(c, "pesq-llm");
			usage(stderr, 2);
		}
	}
	verbose = verbose || (!quiet && isatty(2));
	if (llmcache_open(&cache, NULL, &e) < 0)
		errx(3, "%s", e.buf);
	if (!cache && verbose && !settings)
		fprintf(stderr, "pesq-llm: not in a git repository: "
			"no reply cache\n");
	if ((c = llmconf_resolve(&conf, &o, cache, &e)) != 0)
		errx(c, "%s", e.buf);
	if (settings) {
		sbuf_reset(&e);
		llmconf_describe(&conf, cache != NULL, &e);
		fputs(e.buf, stdout);
	} else if (checking) {
		ret = check();
	} else {
		if (verbose)
			fprintf(stderr, "pesq-llm: provider '%s', model '%s'"
				"%s%s\n", llm_provider_name(conf.params.provider),
				conf.model, conf.url ? ", " : "",
				conf.url ? conf.hostport : "");
		queue = llmqueue_new(&conf, cache, verbose);
		if (optind == argc)
			ret = run(stdin, "-");
		for (i = optind; i < argc; i++) {
			FILE *fp = fopen(argv[i], "r");

			if (!fp)
				err(3, "%s", argv[i]);
			ret |= run(fp, argv[i]);
			fclose(fp);
		}
		while (wait_one(stdout))
			;
	}
	llmqueue_free(queue);
	llmconf_release(&conf);
	llmcache_close(cache);
	sbuf_release(&e);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return ret;
}
