#ifndef PESQ_HTTP_H
#define PESQ_HTTP_H

#include "base/sbuf.h"

/*
 * HTTP POSTs in parallel with libcurl's multi interface, each retried on
 * its own: transport errors (refused, reset, timed out, a short body), and
 * statuses 408, 429 and 5xx are retried after an exponential backoff with
 * jitter (base * 2^(try-1), uniformly between half and all of it, at most
 * a minute), or exactly after a Retry-After header's seconds (at most two
 * minutes). Anything else ends the request. Proxies from the environment
 * apply, except to 127.0.0.1, localhost and ::1 unless no_proxy says
 * otherwise. A response body longer than max_body bytes (as declared by
 * its Content-Length, or as it arrives, after any decompression) ends the
 * request at once, not retried, with too_big set: memory stays bounded
 * whatever a server sends. Only this module links libcurl.
 */
struct http_req {
	/* set by the caller, who owns them and keeps them alive */
	const char *url;
	const char *const *headers;	/* "Name: value", NULL-terminated */
	const char *body;
	size_t body_len;
	void *data;			/* the caller's */

	/* results, valid once the pool returns the request */
	long status;		/* HTTP status; 0 after a transport error */
	struct sbuf resp;	/* response body of the last try */
	struct sbuf err;	/* transport error of the last try */
	int timed_out;		/* the last try hit the timeout */
	int tries;
	int exhausted;		/* ended retryable: the retries ran out */
	int too_big;		/* the body passed max_body: not read */
	long long ms;		/* from the first try to the end */

	/* the pool's */
	void *easy_;
	void *slist_;
	double start_, next_;
	long retry_after_;
	void *pool_;
};

struct http_opt {
	int jobs;		/* transfers in flight, >= 1 */
	long timeout_ms;	/* per try; 0: none */
	int retries;		/* tries after the first */
	long backoff_ms;	/* base of the backoff */
	size_t max_body;	/* bytes of a response body at most; 0: any */
	/* called before each retry (may be NULL); why is a short text */
	void (*on_retry)(const struct http_req *req, const char *why,
			 long delay_ms, void *cb_data);
	void *cb_data;
};

struct http_pool;

/* A new pool (curl_global_init is done here). Allocation failure is fatal. */
struct http_pool *http_pool_new(const struct http_opt *opt);
void http_pool_free(struct http_pool *p);

/*
 * Queue req (its result fields are reset). The pool keeps the pointer
 * until it hands the request back from http_pool_next.
 */
void http_pool_add(struct http_pool *p, struct http_req *req);

/* Requests queued or in flight and not yet handed back. */
int http_pool_pending(const struct http_pool *p);

/*
 * Run transfers until one request ends (successfully or not) and return
 * it; NULL when none is pending. Returns NULL with errno-style failure
 * only when libcurl's multi interface itself fails (*fatal set to 1).
 */
struct http_req *http_pool_next(struct http_pool *p, int *fatal);

/* Release what the pool left in req's result fields. */
void http_req_release(struct http_req *req);

/* "host:port" of a URL, without user information, appended to out. */
void http_hostport(const char *url, struct sbuf *out);

#endif
