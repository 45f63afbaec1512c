#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "llm/budget.h"
#include "llm/http.h"
#include "llm/llm.h"
#include "llm/llmmodel.h"
#include "llm/llmqueue.h"

/* One output line: a record passed through, or one sample of a record. */
struct job {
	struct job *next;
	struct sbuf out;	/* the line, once done */
	int done;
	char *line;		/* the input record */
	int sample, fallback;	/* model: conf.model or conf.fallback */
	struct llm_params par;	/* of the request being made */
	int adapted;		/* times asked again for a learned param */
	long long est;		/* tokens taken from the budget; -1: none */
	struct sbuf canon, body;
	struct http_req req;
};

struct llmqueue {
	struct llmconf *conf;
	struct llmcache *cache;
	struct http_pool *pool;
	struct budget budget;
	int verbose, nqueued;
	int said[2][2];		/* [model][temperature, limit] learned */
	struct job *head, **tail;
	struct sbuf notes;
	struct sbuf fatal;	/* the first fatal error of a callback */
};

static void
note(struct llmqueue *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
note(struct llmqueue *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&q->notes, fmt, ap);
	va_end(ap);
	sbuf_addc(&q->notes, '\n');
}

static void
on_retry(const struct http_req *req, const char *why, long delay, void *d)
{
	const struct job *j = req->data;
	struct llmqueue *q = d;

	if (q->verbose)
		note(q, "sample %d: %s; retry %d of %d in %ld ms", j->sample,
		     why, req->tries, q->conf->retries, delay);
}

struct llmqueue *
llmqueue_new(struct llmconf *conf, struct llmcache *cache, int verbose)
{
	struct llmqueue *q = xcalloc(1, sizeof(*q));

	q->conf = conf;
	q->cache = cache;
	q->verbose = verbose;
	q->tail = &q->head;
	sbuf_init(&q->notes, 0);
	sbuf_init(&q->fatal, 0);
	q->budget.limit = conf->budget;
	q->budget.path = conf->spent;
	q->pool = http_pool_new(&(struct http_opt){ conf->jobs,
		conf->timeout_ms, conf->retries, conf->backoff_ms,
		conf->max_reply, on_retry, q });
	return q;
}

static void
job_free(struct job *j)
{
	sbuf_release(&j->out);
	sbuf_release(&j->canon);
	sbuf_release(&j->body);
	http_req_release(&j->req);
	free(j->line);
	free(j);
}

void
llmqueue_free(struct llmqueue *q)
{
	struct job *j, *next;

	if (!q)
		return;
	for (j = q->head; j; j = next) {
		next = j->next;
		job_free(j);
	}
	http_pool_free(q->pool);
	sbuf_release(&q->notes);
	sbuf_release(&q->fatal);
	free(q);
}

static struct job *
job_new(struct llmqueue *q, const char *line, size_t len)
{
	struct job *j = xmalloc(sizeof(*j));

	*j = (struct job){ .out = SBUF_INIT, .canon = SBUF_INIT,
			   .body = SBUF_INIT, .est = -1 };
	j->line = xmemdupz(line, len);
	*q->tail = j;
	q->tail = &j->next;
	q->nqueued++;
	return j;
}

/* A fatal error, kept until the caller asks (the first one wins). */
static void
fatal(struct llmqueue *q, const char *what, const char *msg)
{
	if (!q->fatal.len)
		sbuf_addf(&q->fatal, "%s: %s", what, msg);
}

/* Give back or settle what job j took from the budget. */
static void
settle(struct llmqueue *q, struct job *j, const struct llm_reply *r)
{
	int priced = llmconf_priced(q->conf, j->fallback);

	if (j->est < 0)
		return;
	if (budget_settle(&q->budget, j->est, r ? r->in_tokens +
			  r->out_tokens : 0, !r, r && priced, r && priced ?
			  llmconf_cost(q->conf, j->fallback, r->in_tokens,
			  r->out_tokens) : 0) < 0)
		fatal(q, q->budget.path, strerror(errno));
	j->est = -1;
}

static void
job_error(struct llmqueue *q, struct job *j, const struct jsonl_rec *rec,
	  const char *msg)
{
	struct sbuf m = SBUF_INIT;

	sbuf_adds(&m, msg);
	llmconf_scrub(q->conf, &m);
	jsonl_error_record(&j->out, rec, "llm", m.buf);
	sbuf_release(&m);
	settle(q, j, NULL);
	j->done = 1;
}

/* The output line of job j for a reply r. */
static void
job_reply(struct llmqueue *q, struct job *j, struct llm_reply *r,
	  int provider, int cached)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct llm_result res = {
		provider, j->par.model,
		j->par.no_temperature ? NAN : j->par.temperature, r, cached,
		j->sample, llmconf_priced(q->conf, j->fallback), cached ? 0 :
		llmconf_cost(q->conf, j->fallback, r->in_tokens, r->out_tokens),
		cached ? 0 : r->ms
	};

	jsonl_parse(&rec, j->line, strlen(j->line), NULL, NULL);
	llm_output(&j->out, &rec, &res);
	j->done = 1;
	jsonl_rec_release(&rec);
}

/*
 * A fresh reply: scrub any key out of it, store it (a cache that fails is
 * worth a warning, no more), count it, write it.
 */
static void
fresh_reply(struct llmqueue *q, struct job *j, struct llm_reply *r,
	    int provider)
{
	struct sbuf val = SBUF_INIT, e = SBUF_INIT;

	llmconf_scrub(q->conf, &r->text);
	llmconf_scrub(q->conf, &r->refusal);
	llm_reply_to_json(&val, r);
	if (q->cache && !q->conf->no_cache &&
	    llmcache_put(q->cache, j->canon.buf, j->canon.len, val.buf,
			 &e) < 0)
		note(q, "%s", e.buf);
	settle(q, j, r);
	job_reply(q, j, r, provider, 0);
	sbuf_release(&val);
	sbuf_release(&e);
}

/*
 * Set up job j's request for its model; 1 when it is done already (a
 * cache hit, or an error). -1 when the cache cannot be read.
 */
static int
job_prepare(struct llmqueue *q, struct job *j, const struct jsonl_rec *rec,
	    int msgs)
{
	const struct llmconf *conf = q->conf;
	struct llm_reply r = LLM_REPLY_INIT;
	struct sbuf val = SBUF_INIT, e = SBUF_INIT;
	int p, hit = 0;

	llmconf_params(conf, j->fallback, &j->par);
	for (p = 0; p < LLM_REPLAY && !hit; p++) {
		if (conf->params.provider != LLM_REPLAY &&
		    p != conf->params.provider)
			continue;
		j->par.provider = p;
		sbuf_reset(&j->canon);
		llm_canonical(&j->canon, &j->par, rec, msgs, j->sample);
		if (!q->cache || conf->no_cache)
			break;
		hit = llmcache_get(q->cache, j->canon.buf, j->canon.len, &val,
				   &e);
		if (hit < 0) {
			fatal(q, "cache", e.buf);
			hit = 0;
			break;
		}
		if (hit && llm_reply_from_json(&r, val.buf, val.len) < 0)
			hit = 0;	/* not ours: ask again, overwrite */
	}
	if (hit) {
		j->par.provider = p - 1;
		settle(q, j, NULL);
		job_reply(q, j, &r, p - 1, 1);
	} else if (conf->params.provider == LLM_REPLAY) {
		job_error(q, j, rec, "no cached reply for this request "
			  "(provider 'replay')");
	} else if (conf->params.provider != LLM_COMMAND &&
		   llm_request_body(&j->body, &j->par, rec, msgs) < 0) {
		job_error(q, j, rec, "'prompt.messages' is not a list of "
			  "{role, content} strings");
	}
	llm_reply_release(&r);
	sbuf_release(&val);
	sbuf_release(&e);
	return hit || j->done;
}

/*
 * Take the request's share of the budget: 0 to go on, 1 when the budget
 * is spent (j has its error).
 */
static int
job_budget(struct llmqueue *q, struct job *j, const struct jsonl_rec *rec)
{
	long long est;
	int r;

	if (!q->budget.limit && !q->budget.path)
		return 0;
	if (j->est >= 0)
		return 0;	/* taken already: the same request again */
	est = jsonl_path_int(rec, "prompt.est_tokens", 0);
	if (est <= 0)
		est = (long long)j->canon.len / 4;
	r = budget_take(&q->budget, est);
	if (r < 0) {
		fatal(q, q->budget.path, errno == EINVAL ?
		      "not a file of token counts" : strerror(errno));
		return 0;
	}
	if (r > 0) {
		struct sbuf m = SBUF_INIT;

		sbuf_addf(&m, "token budget reached: %lld of %lld tokens "
			  "spent (--budget)", q->budget.tokens, q->budget.limit);
		job_error(q, j, rec, m.buf);
		sbuf_release(&m);
		return 1;
	}
	j->est = est;
	return 0;
}

static void
run_command(struct llmqueue *q, struct job *j, const struct jsonl_rec *rec)
{
	struct llm_reply r = LLM_REPLY_INIT;
	struct sbuf m = SBUF_INIT;
	int ret;

	ret = llm_command(q->conf->command, j->canon.buf, j->canon.len,
			  jsonl_path_int(rec, "prompt.est_tokens", 0),
			  q->conf->timeout_ms, q->conf->max_reply, &r, &m);
	if (ret < 0) {
		sbuf_addf(&m, "cannot run '%s': %s", q->conf->command,
			  strerror(errno));
		fatal(q, "command", m.buf);
		job_error(q, j, rec, m.buf);
	} else if (ret > 0) {
		job_error(q, j, rec, m.buf);
	} else {
		fresh_reply(q, j, &r, LLM_COMMAND);
	}
	llm_reply_release(&r);
	sbuf_release(&m);
}

static void
start_request(struct llmqueue *q, struct job *j)
{
	j->req.url = q->conf->url;
	j->req.headers = (const char *const *)q->conf->headers;
	j->req.body = j->body.buf;
	j->req.body_len = j->body.len;
	j->req.data = j;
	http_pool_add(q->pool, &j->req);
}

/* Ask for job j: from the budget, then by the command or HTTP. */
static void
job_ask(struct llmqueue *q, struct job *j, const struct jsonl_rec *rec)
{
	if (job_budget(q, j, rec))
		return;
	if (q->conf->params.provider == LLM_COMMAND)
		run_command(q, j, rec);
	else
		start_request(q, j);
}

/*
 * An HTTP 400 for job j: when it names a parameter or value the model
 * does not take, and this job has not been asked again for it yet, learn
 * it (once said, and kept in git) and return 1: the job is to be asked
 * again.
 */
static int
learn(struct llmqueue *q, struct job *j, const struct http_req *req)
{
	struct llmconf *conf = q->conf;
	struct llm_model sent = { j->par.no_temperature, j->par.limit };
	struct llm_model cur = conf->models[j->fallback];
	struct sbuf param = SBUF_INIT, msg = SBUF_INIT, e = SBUF_INIT;
	int temp, *said;

	if (conf->params.provider != LLM_OPENAI || j->adapted >= 3 ||
	    !llmmodel_learn(req->resp.buf, req->resp.len, &sent, &param,
			    &msg)) {
		sbuf_release(&param);
		sbuf_release(&msg);
		return 0;
	}
	j->adapted++;
	temp = !strcmp(param.buf, "temperature");
	if (temp)
		cur.no_temperature = 1;
	else
		cur.limit = sent.limit;
	said = &q->said[j->fallback][!temp];
	if (memcmp(&cur, &conf->models[j->fallback], sizeof(cur))) {
		llmconf_scrub(conf, &msg);
		if (llmconf_learned(conf, q->cache, j->fallback, &cur, msg.buf,
				    &e) < 0)
			note(q, "%s", e.buf);
	}
	if (!*said) {
		const char *to = llmmodel_limit_name(sent.limit);

		*said = 1;
		note(q, "model '%s' takes no '%s' (%s): asking again %s%s%s, "
		     "and from now on (%s)", j->par.model, param.buf, msg.buf,
		     temp || !to ? "without it" : "with '", temp || !to ?
		     "" : to, temp || !to ? "" : "'",
		     q->cache ? LLMCACHE_MODELS_REF : "not kept: no repository");
	}
	sbuf_release(&param);
	sbuf_release(&msg);
	sbuf_release(&e);
	return 1;
}

/* A request came back: the reply, a learned parameter, the fallback
 * model, or an error. */
static void
request_done(struct llmqueue *q, struct http_req *req)
{
	const struct llmconf *conf = q->conf;
	struct job *j = req->data;
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct llm_reply r = LLM_REPLY_INIT;
	struct sbuf m = SBUF_INIT;
	int msgs, again = 0;

	jsonl_parse(&rec, j->line, strlen(j->line), NULL, NULL);
	msgs = jsonl_path(&rec, "prompt.messages");
	if (req->status == 200) {
		sbuf_addf(&m, "http 200 from %s: ", conf->hostport);
		if (llm_parse_response(conf->params.provider, req->resp.buf,
				       req->resp.len, &r, &m) == 0) {
			r.ms = req->ms;
			fresh_reply(q, j, &r, conf->params.provider);
			goto out;
		}
		sbuf_adds(&m, " (not retried)");
	} else if (req->status == 400 && learn(q, j, req)) {
		again = 1;
	} else if (req->exhausted && conf->fallback && !j->fallback) {
		if (q->verbose)
			note(q, "retries exhausted, trying '%s'",
			     conf->fallback);
		j->fallback = 1;
		j->adapted = 0;
		again = 1;
	} else {
		llm_http_error(&m, req, conf->hostport, conf->timeout_ms,
			       conf->retries);
	}
	if (again) {
		sbuf_reset(&j->body);
		http_req_release(req);
		if (!job_prepare(q, j, &rec, msgs))
			start_request(q, j);
		goto out;
	}
	job_error(q, j, &rec, m.buf);
out:
	if (j->done)
		http_req_release(req);
	jsonl_rec_release(&rec);
	llm_reply_release(&r);
	sbuf_release(&m);
}

int
llmqueue_add(struct llmqueue *q, const struct jsonl_rec *rec,
	     struct sbuf *err)
{
	const struct llmconf *conf = q->conf;
	int msgs = jsonl_path(rec, "prompt.messages"), k;
	struct job *j;

	if (jsonl_get(rec, 0, "error") >= 0) {
		j = job_new(q, rec->buf, rec->len);
		sbuf_add(&j->out, rec->buf, rec->len);
		sbuf_addc(&j->out, '\n');
		j->done = 1;
		return 0;
	}
	for (k = conf->first; k < conf->first + conf->samples; k++) {
		j = job_new(q, rec->buf, rec->len);
		j->sample = k;
		if (msgs < 0)
			job_error(q, j, rec, "record has no 'prompt.messages'");
		else if (!jsonl_is_string(rec, jsonl_get(rec, 0, "fn")))
			job_error(q, j, rec, "record has no 'fn'");
		else if (!job_prepare(q, j, rec, msgs))
			job_ask(q, j, rec);
		if (q->fatal.len)
			break;
	}
	if (q->fatal.len) {
		sbuf_add(err, q->fatal.buf, q->fatal.len);
		return -1;
	}
	return 0;
}

int
llmqueue_full(const struct llmqueue *q)
{
	return http_pool_pending(q->pool) >= q->conf->jobs ||
	    q->nqueued > 4 * q->conf->jobs + 16;
}

int
llmqueue_wait(struct llmqueue *q, struct sbuf *err)
{
	struct http_req *req;
	int broken;

	if (!(req = http_pool_next(q->pool, &broken))) {
		if (broken) {
			sbuf_adds(err, "libcurl's multi interface failed");
			return -1;
		}
		return 0;
	}
	request_done(q, req);
	if (q->fatal.len) {
		sbuf_add(err, q->fatal.buf, q->fatal.len);
		return -1;
	}
	return 1;
}

void
llmqueue_take(struct llmqueue *q, struct sbuf *out, struct sbuf *notes)
{
	while (q->head && q->head->done) {
		struct job *j = q->head;

		sbuf_add(out, j->out.buf, j->out.len);
		q->head = j->next;
		if (!q->head)
			q->tail = &q->head;
		q->nqueued--;
		job_free(j);
	}
	sbuf_add(notes, q->notes.buf, q->notes.len);
	sbuf_reset(&q->notes);
}
