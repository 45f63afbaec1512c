#ifndef PESQ_LLMQUEUE_H
#define PESQ_LLMQUEUE_H

#include "base/jsonl.h"
#include "base/sbuf.h"
#include "llm/llmcache.h"
#include "llm/llmconf.h"

/*
 * The work of pesq-llm: each record's samples as requests, answered from
 * the cache or by the provider (HTTP in parallel, or the command), with
 * retries, the fallback model, what a model turns out not to take (an
 * HTTP 400 naming a parameter: asked again without it, once, and
 * remembered), and the token budget; the output lines in input order.
 * Nothing here prints or exits: what is worth saying on standard error
 * is kept as notes for the caller.
 */
struct llmqueue;

/*
 * A new queue over conf and cache (NULL: no cache), which the caller
 * keeps alive and releases after llmqueue_free. With verbose, the notes
 * also say each retry and each switch to the fallback model; without,
 * only what was learned about a model and warnings.
 */
struct llmqueue *llmqueue_new(struct llmconf *conf, struct llmcache *cache,
			      int verbose);
void llmqueue_free(struct llmqueue *q);

/*
 * Queue rec (a parsed input record): passed through when it carries an
 * error, else one job per sample. Cache hits, records that cannot be
 * asked and the command provider are done at once. Returns 0, or -1 with
 * a message in err on a failure that should end the program (status 3:
 * the cache or the budget file cannot be read, the command cannot be
 * run).
 */
int llmqueue_add(struct llmqueue *q, const struct jsonl_rec *rec,
		 struct sbuf *err);

/*
 * Whether the caller should wait (llmqueue_wait) before adding more: the
 * requests in flight fill --jobs, or too many lines wait for an earlier
 * one.
 */
int llmqueue_full(const struct llmqueue *q);

/*
 * Wait until one request ends and handle it. Returns 1, 0 when none is
 * pending, -1 with a message in err (status 3, as above).
 */
int llmqueue_wait(struct llmqueue *q, struct sbuf *err);

/*
 * Append the finished lines at the head of the queue (in input order) to
 * out and the notes gathered since the last call (lines, each ending in
 * a newline, without the program's name) to notes.
 */
void llmqueue_take(struct llmqueue *q, struct sbuf *out, struct sbuf *notes);

#endif
