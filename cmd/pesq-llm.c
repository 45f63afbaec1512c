/*
 * pesq-llm: ask a model for each record's prompt; add llm and candidate.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llm/http.h"
#include "base/jsonl.h"
#include "llm/llm.h"
#include "llm/llmcache.h"
#include "llm/llmconf.h"
#include "base/xalloc.h"

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
	      "  -C DIR  -q, --quiet  -v, --verbose\n",
	      fp);
	exit(code);
}

/* One output line: a record passed through, or one sample of a record. */
struct job {
	struct job *next;
	struct sbuf out;	/* the line, once done */
	int done;
	char *line;		/* the input record */
	int sample, fallback;	/* model: conf.model or conf.fallback */
	struct sbuf canon, body;
	struct http_req req;
};

static struct llmconf conf;
static struct llmcache *cache;
static struct http_pool *pool;
static struct job *head, **tail = &head;
static int nqueued, verbose, quiet;

static struct job *
job_new(const char *line, size_t len)
{
	struct job *j = xmalloc(sizeof(*j));

	*j = (struct job){ .out = SBUF_INIT, .canon = SBUF_INIT,
			   .body = SBUF_INIT };
	j->line = xmemdupz(line, len);
	*tail = j;
	tail = &j->next;
	nqueued++;
	return j;
}

static void
job_error(struct job *j, const struct jsonl_rec *rec, const char *msg)
{
	struct sbuf m = SBUF_INIT;

	sbuf_adds(&m, msg);
	llmconf_scrub(&conf, &m);
	jsonl_error_record(&j->out, rec, "llm", m.buf);
	sbuf_release(&m);
	j->done = 1;
}

/* The output line of job j for a reply r. */
static void
job_reply(struct job *j, struct llm_reply *r, int provider, int cached)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct llm_result res = {
		provider, j->fallback ? conf.fallback : conf.model,
		conf.params.temperature, r, cached, j->sample,
		llmconf_priced(&conf, j->fallback), cached ? 0 :
		llmconf_cost(&conf, j->fallback, r->in_tokens, r->out_tokens),
		cached ? 0 : r->ms
	};

	jsonl_parse(&rec, j->line, strlen(j->line), NULL, NULL);
	llm_output(&j->out, &rec, &res);
	j->done = 1;
	jsonl_rec_release(&rec);
}

/*
 * A fresh reply: scrub any key out of it, store it (a cache that fails is
 * worth a warning, no more), write it.
 */
static void
fresh_reply(struct job *j, struct llm_reply *r, int provider)
{
	struct sbuf val = SBUF_INIT, e = SBUF_INIT;

	llmconf_scrub(&conf, &r->text);
	llmconf_scrub(&conf, &r->refusal);
	llm_reply_to_json(&val, r);
	if (cache && !conf.no_cache &&
	    llmcache_put(cache, j->canon.buf, j->canon.len, val.buf, &e) < 0)
		warnx("%s", e.buf);
	job_reply(j, r, provider, 0);
	sbuf_release(&val);
	sbuf_release(&e);
}

/* Set up job j's request for its model; 1 when answered from the cache. */
static int
job_prepare(struct job *j, const struct jsonl_rec *rec, int msgs)
{
	struct llm_params par = conf.params;
	struct llm_reply r = LLM_REPLY_INIT;
	struct sbuf val = SBUF_INIT, e = SBUF_INIT;
	int p, hit = 0;

	if (j->fallback)
		par.model = conf.fallback;
	for (p = 0; p < LLM_REPLAY && !hit; p++) {
		if (conf.params.provider != LLM_REPLAY &&
		    p != conf.params.provider)
			continue;
		par.provider = p;
		sbuf_reset(&j->canon);
		llm_canonical(&j->canon, &par, rec, msgs, j->sample);
		if (!cache || conf.no_cache)
			break;
		hit = llmcache_get(cache, j->canon.buf, j->canon.len, &val, &e);
		if (hit < 0)
			errx(3, "%s", e.buf);
		if (hit && llm_reply_from_json(&r, val.buf, val.len) < 0)
			hit = 0;	/* not ours: ask again, overwrite */
	}
	if (hit)
		job_reply(j, &r, p - 1, 1);
	else if (conf.params.provider == LLM_REPLAY)
		job_error(j, rec, "no cached reply for this request "
			  "(provider 'replay')");
	else if (conf.params.provider != LLM_COMMAND &&
		 llm_request_body(&j->body, &par, rec, msgs) < 0)
		job_error(j, rec, "'prompt.messages' is not a list of "
			  "{role, content} strings");
	llm_reply_release(&r);
	sbuf_release(&val);
	sbuf_release(&e);
	return hit || j->done;
}

static void
run_command(struct job *j, const struct jsonl_rec *rec)
{
	struct llm_reply r = LLM_REPLY_INIT;
	struct sbuf m = SBUF_INIT;
	int ret;

	ret = llm_command(conf.command, j->canon.buf, j->canon.len,
			  jsonl_path_int(rec, "prompt.est_tokens", 0),
			  conf.timeout_ms, conf.max_reply, &r, &m);
	if (ret < 0)
		err(3, "cannot run '%s'", conf.command);
	if (ret > 0)
		job_error(j, rec, m.buf);
	else
		fresh_reply(j, &r, LLM_COMMAND);
	llm_reply_release(&r);
	sbuf_release(&m);
}

static void
on_retry(const struct http_req *req, const char *why, long delay, void *d)
{
	const struct job *j = req->data;

	(void)d;
	if (verbose)
		fprintf(stderr, "pesq-llm: sample %d: %s; retry %d of %d in "
			"%ld ms\n", j->sample, why, req->tries, conf.retries,
			delay);
}

static void
start_request(struct job *j)
{
	j->req.url = conf.url;
	j->req.headers = (const char *const *)conf.headers;
	j->req.body = j->body.buf;
	j->req.body_len = j->body.len;
	j->req.data = j;
	http_pool_add(pool, &j->req);
}

/* A request came back: the reply, the fallback model, or an error. */
static void
request_done(struct http_req *req)
{
	struct job *j = req->data;
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct llm_reply r = LLM_REPLY_INIT;
	struct sbuf m = SBUF_INIT;
	int msgs;

	jsonl_parse(&rec, j->line, strlen(j->line), NULL, NULL);
	msgs = jsonl_path(&rec, "prompt.messages");
	if (req->status == 200) {
		sbuf_addf(&m, "http 200 from %s: ", conf.hostport);
		if (llm_parse_response(conf.params.provider, req->resp.buf,
				       req->resp.len, &r, &m) == 0) {
			r.ms = req->ms;
			fresh_reply(j, &r, conf.params.provider);
			goto out;
		}
		sbuf_adds(&m, " (not retried)");
	} else if (req->exhausted && conf.fallback && !j->fallback) {
		if (verbose)
			fprintf(stderr, "pesq-llm: retries exhausted, trying "
				"'%s'\n", conf.fallback);
		j->fallback = 1;
		sbuf_reset(&j->body);
		http_req_release(req);
		if (!job_prepare(j, &rec, msgs))
			start_request(j);
		goto out;
	} else {
		llm_http_error(&m, req, conf.hostport, conf.timeout_ms,
			       conf.retries);
	}
	job_error(j, &rec, m.buf);
out:
	if (j->done)
		http_req_release(req);
	jsonl_rec_release(&rec);
	llm_reply_release(&r);
	sbuf_release(&m);
}

/* Write the finished jobs at the head of the queue, in input order. */
static void
flush(void)
{
	while (head && head->done) {
		struct job *j = head;

		fwrite(j->out.buf, 1, j->out.len, stdout);
		head = j->next;
		if (!head)
			tail = &head;
		nqueued--;
		sbuf_release(&j->out);
		sbuf_release(&j->canon);
		sbuf_release(&j->body);
		free(j->line);
		free(j);
	}
	if (ferror(stdout))
		err(3, "stdout");
}

/* Wait for one request; 0 when none is pending. */
static int
wait_one(void)
{
	struct http_req *req;
	int fatal;

	if (!(req = http_pool_next(pool, &fatal))) {
		if (fatal)
			errx(3, "libcurl's multi interface failed");
		return 0;
	}
	request_done(req);
	flush();
	return 1;
}

static void
process(struct jsonl_rec *rec)
{
	int msgs = jsonl_path(rec, "prompt.messages"), k;
	struct job *j;

	if (jsonl_get(rec, 0, "error") >= 0) {
		j = job_new(rec->buf, rec->len);
		sbuf_add(&j->out, rec->buf, rec->len);
		sbuf_addc(&j->out, '\n');
		j->done = 1;
		return;
	}
	for (k = conf.first; k < conf.first + conf.samples; k++) {
		j = job_new(rec->buf, rec->len);
		j->sample = k;
		if (msgs < 0)
			job_error(j, rec, "record has no 'prompt.messages'");
		else if (!jsonl_is_string(rec, jsonl_get(rec, 0, "fn")))
			job_error(j, rec, "record has no 'fn'");
		else if (job_prepare(j, rec, msgs))
			;
		else if (conf.params.provider == LLM_COMMAND)
			run_command(j, rec);
		else
			start_request(j);
		flush();
		while (http_pool_pending(pool) >= conf.jobs ||
		       nqueued > 4 * conf.jobs + 16)
			if (!wait_one())
				break;
	}
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
		process(rec);
	}
	jsonl_reader_release(&r);
	return ret;
}

int
main(int argc, char **argv)
{
	struct llmconf_opt o = { 0 };
	struct sbuf e = SBUF_INIT;
	int c, ret = 0, i;

	while ((c = getopt_long(argc, argv, LLMCONF_SHORTOPTS,
				llmconf_longopts, NULL)) != -1) {
		if (c == 'h')
			usage(stdout, 0);
		else if (c == 'q')
			quiet = 1;
		else if (c == 'v')
			verbose = 1;
		else if (c == 'C') {
			if (chdir(optarg) < 0)
				err(3, "cannot change to '%s'", optarg);
		} else if (c == '?' || llmconf_option(&o, c, optarg) < 0)
			usage(stderr, 2);
	}
	verbose = verbose || (!quiet && isatty(2));
	if (llmcache_open(&cache, NULL, &e) < 0)
		errx(3, "%s", e.buf);
	if (!cache && verbose)
		fprintf(stderr, "pesq-llm: not in a git repository: "
			"no reply cache\n");
	if ((c = llmconf_resolve(&conf, &o, cache, &e)) != 0)
		errx(c, "%s", e.buf);
	if (verbose)
		fprintf(stderr, "pesq-llm: provider '%s', model '%s'%s%s\n",
			llm_provider_name(conf.params.provider), conf.model,
			conf.url ? ", " : "", conf.url ? conf.hostport : "");
	pool = http_pool_new(&(struct http_opt){ conf.jobs, conf.timeout_ms,
		conf.retries, conf.backoff_ms, conf.max_reply, on_retry, NULL });
	if (optind == argc) {
		ret = run(stdin, "-");
	} else {
		for (i = optind; i < argc; i++) {
			FILE *fp = fopen(argv[i], "r");

			if (!fp)
				err(3, "%s", argv[i]);
			ret |= run(fp, argv[i]);
			fclose(fp);
		}
	}
	while (wait_one())
		;
	flush();
	http_pool_free(pool);
	llmconf_release(&conf);
	llmcache_close(cache);
	sbuf_release(&e);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return ret;
}
