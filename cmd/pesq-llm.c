/*
 * pesq-llm: ask a model for each record's prompt; add llm and candidate.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "jsonl.h"
#include "llm.h"
#include "llmcache.h"
#include "llmconf.h"
#include "proc.h"
#include "reply.h"
#include "xalloc.h"

static const char usage_line[] =
	"usage: pesq-llm [-qv] [-C dir] [-p provider] [-m model] [-n samples] "
	"[-j jobs] [option...] [file...]\n";

static void
usage(FILE *fp, int code)
{
	fputs(usage_line, fp);
	fputs("  -p, --provider P         openai, anthropic, command or replay\n"
	      "  -m, --model M            model name\n"
	      "      --base-url URL       the provider's endpoint\n"
	      "      --command CMD        command for the command provider\n"
	      "  -t, --temperature T      sampling temperature (0.2)\n"
	      "      --max-output-tokens N  limit on the reply's tokens\n"
	      "  -n, --samples K          candidates per record (1)\n"
	      "  -j, --jobs N             requests in flight (4)\n"
	      "      --timeout S          seconds per request (300)\n"
	      "      --retries N          retries on transient errors (3)\n"
	      "      --fallback-model M   model to try when retries run out\n"
	      "      --no-cache           neither read nor write the cache\n"
	      "  -C DIR                   run as if started in DIR\n"
	      "  -q, --quiet / -v, --verbose\n", fp);
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
static const char *const skip[] = { "llm", "candidate", NULL };

static void
scrub(struct sbuf *sb)
{
	llmconf_scrub(&conf, sb);
}

static struct job *
job_new(const char *line, size_t len)
{
	struct job *j = xcalloc(1, sizeof(*j));

	sbuf_init(&j->out, 0);
	sbuf_init(&j->canon, 0);
	sbuf_init(&j->body, 0);
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
	scrub(&m);
	jsonl_error_record(&j->out, rec, "llm", m.buf);
	sbuf_release(&m);
	j->done = 1;
}

/* The output line of job j for a reply r. */
static void
job_reply(struct job *j, struct llm_reply *r, int provider, int cached)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct sbuf fn = SBUF_INIT, code = SBUF_INIT, sum = SBUF_INIT;
	struct sbuf msg = SBUF_INIT;
	const char *model = j->fallback ? conf.fallback : conf.model;
	struct jw w;

	if (jsonl_parse(&rec, j->line, strlen(j->line), NULL, NULL) < 0)
		abort();	/* it parsed before */
	scrub(&r->text);
	scrub(&r->refusal);
	jsonl_path_str(&rec, "fn", &fn);
	if (!strcmp(r->finish.buf, "length"))
		sbuf_adds(&msg, "reply truncated at the output token limit");
	else if (!strcmp(r->finish.buf, "refusal"))
		sbuf_addf(&msg, "model refused: %s", r->refusal.len ?
			  r->refusal.buf : "no reason given");
	else if (!reply_code(r->text.buf, r->text.len, fn.buf, &code))
		sbuf_addf(&msg, "reply has no code block defining '%s'",
			  fn.buf);
	jw_init(&w, &j->out);
	jw_obj(&w);
	jsonl_copy_except(&rec, &w, skip);
	jw_key(&w, "llm");
	jw_obj(&w);
	jw_key(&w, "provider");
	jw_str(&w, llm_provider_name(provider));
	jw_key(&w, "model");
	jw_str(&w, model);
	jw_key(&w, "temperature");
	jw_num(&w, conf.params.temperature);
	jw_key(&w, "in_tokens");
	jw_int(&w, r->in_tokens);
	jw_key(&w, "out_tokens");
	jw_int(&w, r->out_tokens);
	jw_key(&w, "ms");
	jw_int(&w, cached ? 0 : r->ms);
	jw_key(&w, "cached");
	jw_bool(&w, cached);
	jw_key(&w, "reply");
	jw_strn(&w, r->text.buf, r->text.len);
	jw_key(&w, "sample");
	jw_int(&w, j->sample);
	if (llmconf_priced(&conf, j->fallback)) {
		jw_key(&w, "cost");
		jw_numg(&w, cached ? 0 : llmconf_cost(&conf, j->fallback,
			r->in_tokens, r->out_tokens), 6);
	}
	jw_obj_end(&w);
	if (msg.len) {
		scrub(&msg);
		jw_key(&w, "error");
		jw_obj(&w);
		jw_key(&w, "stage");
		jw_str(&w, "llm");
		jw_key(&w, "msg");
		jw_strn(&w, msg.buf, msg.len);
		jw_obj_end(&w);
	} else {
		reply_summary(r->text.buf, r->text.len, &sum);
		jw_key(&w, "candidate");
		jw_obj(&w);
		jw_key(&w, "code");
		jw_strn(&w, code.buf, code.len);
		jw_key(&w, "summary");
		jw_strn(&w, sum.buf, sum.len);
		jw_obj_end(&w);
	}
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(&j->out, '\n');
	j->done = 1;
	jsonl_rec_release(&rec);
	sbuf_release(&fn);
	sbuf_release(&code);
	sbuf_release(&sum);
	sbuf_release(&msg);
}

/* Store a fresh reply; a cache that fails is worth a warning, no more. */
static void
cache_put(struct job *j, const struct llm_reply *r)
{
	struct sbuf val = SBUF_INIT, e = SBUF_INIT;

	if (!cache || conf.no_cache)
		return;
	llm_reply_to_json(&val, r);
	if (llmcache_put(cache, j->canon.buf, j->canon.len, val.buf, &e) < 0)
		warnx("%s", e.buf);
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
		if (hit && llm_reply_from_json(&r, val.buf, val.len) < 0) {
			if (!quiet)
				warnx("ignoring a bad cache entry");
			hit = 0;
		}
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
	struct proc_opt po = { 0 };
	struct proc_res res;
	struct llm_reply r = LLM_REPLY_INIT;

	po.cmd = conf.command;
	po.in = j->canon.buf;
	po.in_len = j->canon.len;
	po.timeout = conf.timeout_ms / 1000.0;
	po.out_max = 64 << 20;
	po.err_max = 4096;
	if (proc_run(&po, &res) < 0)
		err(3, "cannot run '%s'", conf.command);
	if (res.timed_out || res.exit_code) {
		struct sbuf m = SBUF_INIT;

		sbuf_rtrim(&res.err);
		if (res.timed_out)
			sbuf_addf(&m, "command timed out after %ld ms",
				  conf.timeout_ms);
		else
			sbuf_addf(&m, "command exited with status %d%s%.*s",
				  res.exit_code, res.err.len ? ": " : "",
				  (int)strcspn(res.err.buf, "\n"), res.err.buf);
		job_error(j, rec, m.buf);
		sbuf_release(&m);
	} else {
		sbuf_add(&r.text, res.out.buf, res.out.len);
		sbuf_adds(&r.finish, "stop");
		r.in_tokens = jsonl_path_int(rec, "prompt.est_tokens",
					     (long long)j->canon.len / 4);
		r.out_tokens = (long long)(res.out.len + 3) / 4;
		r.ms = (long long)(res.wall * 1000 + 0.5);
		cache_put(j, &r);
		job_reply(j, &r, LLM_COMMAND, 0);
	}
	llm_reply_release(&r);
	proc_res_release(&res);
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
		if (llm_parse_response(conf.params.provider, req->resp.buf,
				       req->resp.len, &r, &m) == 0) {
			r.ms = req->ms;
			cache_put(j, &r);
			job_reply(j, &r, conf.params.provider, 0);
			goto out;
		}
		sbuf_reset(&m);
		sbuf_addf(&m, "http 200 from %s: ", conf.hostport);
		llm_parse_response(conf.params.provider, req->resp.buf,
				   req->resp.len, &r, &m);
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
	} else if (req->status) {
		sbuf_addf(&m, "http %ld from %s: ", req->status, conf.hostport);
		llm_error_message(req->resp.buf, req->resp.len, &m);
	} else if (req->timed_out) {
		sbuf_addf(&m, "no reply from %s within %ld ms", conf.hostport,
			  conf.timeout_ms);
	} else {
		sbuf_addf(&m, "%s: %s", conf.hostport, req->err.buf);
	}
	if (req->exhausted)
		sbuf_addf(&m, " (%d retries exhausted)", conf.retries);
	else if (req->status && req->status != 200)
		sbuf_adds(&m, " (not retried)");
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
	for (k = 0; k < conf.samples; k++) {
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
	static const struct option longopts[] = {
		{ "provider", required_argument, NULL, 'p' },
		{ "model", required_argument, NULL, 'm' },
		{ "base-url", required_argument, NULL, 'B' },
		{ "command", required_argument, NULL, 'c' },
		{ "temperature", required_argument, NULL, 't' },
		{ "max-output-tokens", required_argument, NULL, 'M' },
		{ "samples", required_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "retries", required_argument, NULL, 'R' },
		{ "fallback-model", required_argument, NULL, 'F' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct llmconf_opt o = { 0 };
	struct http_opt ho = { 0 };
	struct sbuf e = SBUF_INIT;
	int c, ret = 0, i;

	while ((c = getopt_long(argc, argv, "C:p:m:t:n:j:qvh", longopts,
				NULL)) != -1) {
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
	ho.jobs = conf.jobs;
	ho.timeout_ms = conf.timeout_ms;
	ho.retries = conf.retries;
	ho.backoff_ms = conf.backoff_ms;
	ho.on_retry = on_retry;
	pool = http_pool_new(&ho);
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
