#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "llm/http.h"
#include "base/xalloc.h"

struct http_pool {
	struct http_opt opt;
	CURLM *multi;
	struct http_req **wait;		/* not started, or waiting to retry */
	size_t nwait, waitcap;
	struct http_req **done;
	size_t ndone, donecap;
	int active;
	unsigned long long rng;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct http_pool *
http_pool_new(const struct http_opt *opt)
{
	struct http_pool *p = xcalloc(1, sizeof(*p));

	curl_global_init(CURL_GLOBAL_DEFAULT);
	p->opt = *opt;
	if (p->opt.jobs < 1)
		p->opt.jobs = 1;
	if (!(p->multi = curl_multi_init())) {
		/* only fails for want of memory */
		xmalloc((size_t)-1);
	}
	p->rng = (unsigned long long)now_ms() ^ ((unsigned long long)getpid() << 32);
	p->rng |= 1;
	return p;
}

void
http_pool_free(struct http_pool *p)
{
	if (!p)
		return;
	curl_multi_cleanup(p->multi);
	free(p->wait);
	free(p->done);
	free(p);
	curl_global_cleanup();
}

void
http_req_release(struct http_req *req)
{
	sbuf_release(&req->resp);
	sbuf_release(&req->err);
}

int
http_pool_pending(const struct http_pool *p)
{
	return (int)(p->nwait + p->ndone) + p->active;
}

static void
push(struct http_req ***arr, size_t *n, size_t *cap, struct http_req *r)
{
	XGROW(*arr, *n + 1, *cap);
	(*arr)[(*n)++] = r;
}

void
http_pool_add(struct http_pool *p, struct http_req *req)
{
	sbuf_init(&req->resp, 0);
	sbuf_init(&req->err, 0);
	req->status = 0;
	req->timed_out = req->tries = req->exhausted = req->too_big = 0;
	req->ms = 0;
	req->start_ = now_ms();
	req->next_ = 0;
	push(&p->wait, &p->nwait, &p->waitcap, req);
}

/* The pool's body limit, which the callbacks see through the request. */
static size_t
limit(const struct http_req *req)
{
	const struct http_pool *p = req->pool_;

	return p->opt.max_body;
}

/* A body past the limit: drop what was kept, end the transfer. */
static size_t
too_big(struct http_req *req)
{
	req->too_big = 1;
	sbuf_release(&req->resp);
	sbuf_init(&req->resp, 0);
	return 0;	/* anything but n: libcurl ends with a write error */
}

static size_t
on_body(char *ptr, size_t size, size_t n, void *data)
{
	struct http_req *req = data;
	size_t max = limit(req);

	if (max && size * n > max - req->resp.len)
		return too_big(req);
	sbuf_add(&req->resp, ptr, size * n);
	return size * n;
}

static size_t
on_header(char *ptr, size_t size, size_t n, void *data)
{
	struct http_req *req = data;
	size_t len = size * n;

	if (len > 12 && !strncasecmp(ptr, "retry-after:", 12)) {
		char *end, *s = xmemdupz(ptr + 12, len - 12);
		long v = strtol(s, &end, 10);

		while (isspace((unsigned char)*end))
			end++;
		if (end != s && !*end && v >= 0)
			req->retry_after_ = v > 120 ? 120 : v;
		free(s);
	}
	if (len > 15 && !strncasecmp(ptr, "content-length:", 15) &&
	    limit(req)) {
		char *s = xmemdupz(ptr + 15, len - 15);
		unsigned long long v = strtoull(s, NULL, 10);

		free(s);
		/* a new response (after a redirect, say) starts afresh */
		if (v > limit(req))
			return too_big(req);
	}
	return len;
}

static void
start(struct http_pool *p, struct http_req *req)
{
	CURL *e = curl_easy_init();
	struct curl_slist *sl = NULL;
	const char *const *h;

	if (!e)
		xmalloc((size_t)-1);
	for (h = req->headers; h && *h; h++)
		sl = curl_slist_append(sl, *h);
	/* no "Expect: 100-continue" round trip */
	sl = curl_slist_append(sl, "Expect:");
	sbuf_reset(&req->resp);
	sbuf_reset(&req->err);
	req->retry_after_ = -1;
	req->pool_ = p;
	req->timed_out = 0;
	req->status = 0;
	req->tries++;
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, sl);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)req->body_len);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, req);
	curl_easy_setopt(e, CURLOPT_PRIVATE, req);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "pesq-llm");
	if (!getenv("no_proxy") && !getenv("NO_PROXY"))
		curl_easy_setopt(e, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
	if (p->opt.timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, p->opt.timeout_ms);
	req->easy_ = e;
	req->slist_ = sl;
	curl_multi_add_handle(p->multi, e);
	p->active++;
}

static int
retryable(CURLcode rc, long status)
{
	if (rc == CURLE_OK)
		return status == 408 || status == 429 || status >= 500;
	switch (rc) {
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_OUT_OF_MEMORY:
	case CURLE_BAD_FUNCTION_ARGUMENT:
	case CURLE_WRITE_ERROR:
		return 0;
	default:
		return 1;
	}
}

static long
backoff(struct http_pool *p, int tries)
{
	double d = p->opt.backoff_ms;
	int i;

	for (i = 1; i < tries && d < 60000; i++)
		d *= 2;
	if (d > 60000)
		d = 60000;
	p->rng ^= p->rng << 13;
	p->rng ^= p->rng >> 7;
	p->rng ^= p->rng << 17;
	return (long)(d / 2 + d / 2 * (double)(p->rng % 1000001) / 1e6);
}

static void
finish(struct http_pool *p, struct http_req *req, CURLcode rc)
{
	CURL *e = req->easy_;
	struct sbuf why = SBUF_INIT;
	long delay;

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &req->status);
	if (req->too_big) {
		req->status = 0;
		sbuf_addf(&req->err, "reply larger than %zu bytes",
			  p->opt.max_body);
	} else if (rc != CURLE_OK) {
		req->status = 0;
		req->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
		sbuf_adds(&req->err, curl_easy_strerror(rc));
	}
	curl_multi_remove_handle(p->multi, e);
	curl_easy_cleanup(e);
	curl_slist_free_all(req->slist_);
	req->easy_ = req->slist_ = NULL;
	p->active--;
	req->ms = (long long)(now_ms() - req->start_ + 0.5);
	if (req->too_big || !retryable(rc, req->status)) {
		push(&p->done, &p->ndone, &p->donecap, req);
		return;
	}
	if (req->tries > p->opt.retries) {
		req->exhausted = 1;
		push(&p->done, &p->ndone, &p->donecap, req);
		return;
	}
	if (req->status && req->retry_after_ >= 0)
		delay = req->retry_after_ * 1000;
	else
		delay = backoff(p, req->tries);
	if (req->status)
		sbuf_addf(&why, "http %ld", req->status);
	else
		sbuf_adds(&why, req->err.buf);
	if (p->opt.on_retry)
		p->opt.on_retry(req, why.buf, delay, p->opt.cb_data);
	sbuf_release(&why);
	req->next_ = now_ms() + delay;
	push(&p->wait, &p->nwait, &p->waitcap, req);
}

struct http_req *
http_pool_next(struct http_pool *p, int *fatal)
{
	*fatal = 0;
	while (!p->ndone) {
		double t = now_ms(), wake = -1;
		size_t i, j;
		int running, left, timeout;
		CURLMsg *m;

		if (!p->nwait && !p->active)
			return NULL;
		/* start what is due, in queue order */
		for (i = j = 0; i < p->nwait; i++) {
			struct http_req *r = p->wait[i];

			if (p->active < p->opt.jobs && r->next_ <= t) {
				start(p, r);
				continue;
			}
			if (wake < 0 || r->next_ < wake)
				wake = r->next_;
			p->wait[j++] = r;
		}
		p->nwait = j;
		if (curl_multi_perform(p->multi, &running) != CURLM_OK)
			goto fail;
		while ((m = curl_multi_info_read(p->multi, &left))) {
			struct http_req *r;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
					  (char **)&r);
			finish(p, r, m->data.result);
		}
		if (p->ndone)
			break;
		timeout = 1000;
		if (wake >= 0 && p->active < p->opt.jobs) {
			double d = wake - now_ms();

			timeout = d <= 0 ? 0 : d < 1000 ? (int)d + 1 : 1000;
		}
		if (!p->active) {
			if (timeout > 0)
				usleep((useconds_t)timeout * 1000);
			continue;
		}
		if (curl_multi_poll(p->multi, NULL, 0, timeout, NULL) !=
		    CURLM_OK)
			goto fail;
	}
	p->ndone--;
	{
		struct http_req *r = p->done[0];

		memmove(p->done, p->done + 1, p->ndone * sizeof(*p->done));
		return r;
	}
fail:
	*fatal = 1;
	return NULL;
}

void
http_hostport(const char *url, struct sbuf *out)
{
	const char *p = strstr(url, "://"), *end, *at;
	int https = !strncasecmp(url, "https:", 6);

	p = p ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', end - p);
	if (at)
		p = at + 1;
	sbuf_add(out, p, end - p);
	if (!memchr(p, ':', end - p) || (*p == '[' && end[-1] == ']'))
		sbuf_adds(out, https ? ":443" : ":80");
}
