/*
 * fake-llm: a model provider for the tests. It listens on 127.0.0.1 (a
 * free port), speaks enough of the OpenAI chat completions and Anthropic
 * messages protocols that pesq-llm cannot tell, answers from a script,
 * injects faults, and logs every request.
 *
 *	fake-llm --daemon --port-file F --pid-file P --script S --log L
 *
 * With --daemon it forks once it listens; the parent writes P and F and
 * exits, so both files exist when the command returns. Without it, it
 * serves in the foreground. It exits after --idle seconds (120) without a
 * connection.
 *
 * The script is JSON lines, one entry each:
 *	{"match": "text", "seq": N, "times": K, "status": 200,
 *	 "reply": "...", "fault": "429|500|hang|truncate|badjson|nocode|
 *	 huge|endless", "bytes": N, "retry_after": 1,
 *	 "usage": {"in": 10, "out": 20}, "finish": "stop|length|refusal|...",
 *	 "message": "error text", "code": "...", "type": "...", "param": "...",
 *	 "barrier": N}
 * A request is answered by the first entry with uses left (times,
 * default unlimited) whose match (a substring of the request body) and seq
 * (the request's number, from 0) both hold when given; "{{key}}" in reply
 * or message becomes the key the request carried. No entry: 404. An
 * entry with a barrier holds its responses until N requests are held at
 * once (to show that a client has N in flight). The reply may hold any
 * character, NUL (\u0000) included; finish "length" and "refusal" are
 * said as each protocol says them (finish_reason "length" and a message
 * "refusal"; stop_reason "max_tokens" and "refusal"), anything else but
 * "stop" is sent as it is. Fault "huge" sends a 200 whose reply text
 * makes the body "bytes" long (300000000 by default), with a
 * Content-Length; "endless" a 200 without one that never ends.
 *
 * Error statuses carry the body each service sends: OpenAI's
 * {"error": {"message", "type", "param", "code"}} and Anthropic's
 * {"type": "error", "error": {"type", "message"}, "request_id"}, with the
 * type and code each gives for the status ("code", "type" and "param"
 * override).
 *
 * Before any entry is looked at, requests are checked as the services
 * check them: Anthropic's need the anthropic-version and x-api-key
 * headers and max_tokens (400 or 401 as Anthropic words them). With
 * --reasoning PREFIX[,PREFIX...] ("*" for any), a chat completions
 * request for a model whose name starts with one of them behaves as
 * OpenAI's reasoning models do: max_tokens is refused (400,
 * unsupported_parameter, "Use 'max_completion_tokens' instead."), and so
 * is a temperature other than 1 (400, unsupported_value); the usage of
 * its replies counts reasoning tokens.
 *
 * The log is JSON lines: {"n", "t_ms", "method", "path", "headers" (names
 * lowercased), "body" (the JSON, or a string when it is not JSON),
 * "refused" (the status of a request the checks refused), "entry"}.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/jsonl.h"
#include "base/xalloc.h"

struct entry {
	struct jsonl_rec rec;
	long uses;		/* left; -1 unlimited */
};

struct conn {
	int fd;
	struct sbuf in, out;
	size_t off;		/* of out written */
	int hang, cont_sent, held;
	/* a streamed body: fill bytes of 'a' (forever when endless) after
	 * out, then tail */
	unsigned long long fill;
	int endless;
	struct sbuf tail;
};

static struct entry *entries;
static int nentries, nreq, nheld;
static char **reasoning;	/* --reasoning prefixes, NULL-terminated */
static FILE *logfp;
static double t0;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
load_script(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	int n;

	if (!fp)
		err(2, "%s", path);
	jsonl_reader_init(&r, fp, path);
	while ((n = jsonl_read(&r, &rec)) != 0) {
		struct entry *e;

		if (n < 0)
			errx(2, "%s", r.err.buf);
		entries = xreallocarray(entries, nentries + 1, sizeof(*entries));
		e = &entries[nentries++];
		memset(e, 0, sizeof(*e));
		jsonl_parse(&e->rec, rec->buf, rec->len, NULL, NULL);
		e->uses = jsonl_path_int(&e->rec, "times", -1);
	}
	jsonl_reader_release(&r);
	fclose(fp);
}

/* Value of header name in the request head, or NULL (static buffer). */
static const char *
header(const char *head, const char *name, struct sbuf *out)
{
	size_t nl = strlen(name);
	const char *p = strstr(head, "\r\n");

	while (p && p[2] != '\r') {
		const char *line = p + 2, *eol = strstr(line, "\r\n");

		if (!eol)
			break;
		if (!strncasecmp(line, name, nl) && line[nl] == ':') {
			const char *v = line + nl + 1;

			while (*v == ' ')
				v++;
			sbuf_reset(out);
			sbuf_add(out, v, eol - v);
			return out->buf;
		}
		p = eol;
	}
	return NULL;
}

/* s[0..n) with each "{{key}}" replaced by key, appended to out. */
static void
subst_key(struct sbuf *out, const char *s, size_t n, const char *key)
{
	const char *p, *end = s + n;

	while ((p = memmem(s, end - s, "{{key}}", 7))) {
		sbuf_add(out, s, p - s);
		sbuf_adds(out, key);
		s = p + 7;
	}
	sbuf_add(out, s, end - s);
}

static void
log_request(const char *head, size_t hlen, const char *body, size_t blen,
	    int refused, int entry)
{
	struct sbuf sb = SBUF_INIT, v = SBUF_INIT;
	struct jsonl_rec rec = JSONL_REC_INIT;
	const char *p = strstr(head, "\r\n"), *sp;
	struct jw w;

	(void)hlen;
	jw_init(&w, &sb);
	jw_obj(&w);
	jw_key(&w, "n");
	jw_int(&w, nreq);
	jw_key(&w, "t_ms");
	jw_int(&w, (long long)(now_ms() - t0));
	sp = strchr(head, ' ');
	jw_key(&w, "method");
	jw_strn(&w, head, sp ? (size_t)(sp - head) : 0);
	jw_key(&w, "path");
	jw_strn(&w, sp ? sp + 1 : "", sp ? strcspn(sp + 1, " \r") : 0);
	jw_key(&w, "headers");
	jw_obj(&w);
	while (p && p[2] != '\r') {
		const char *line = p + 2, *eol = strstr(line, "\r\n");
		const char *colon = memchr(line, ':', eol - line);
		size_t i;

		if (!eol || !colon)
			break;
		sbuf_reset(&v);
		for (i = 0; line + i < colon; i++)
			sbuf_addc(&v, tolower((unsigned char)line[i]));
		jw_key(&w, v.buf);
		colon++;
		while (*colon == ' ')
			colon++;
		jw_strn(&w, colon, eol - colon);
		p = eol;
	}
	jw_obj_end(&w);
	jw_key(&w, "body");
	if (jsonl_parse(&rec, body, blen, NULL, NULL) == 0)
		jw_raw(&w, body, blen);
	else
		jw_strn(&w, body, blen);
	if (refused) {
		jw_key(&w, "refused");
		jw_int(&w, refused);
	}
	jw_key(&w, "entry");
	jw_int(&w, entry);
	jw_obj_end(&w);
	sbuf_addc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, logfp);
	fflush(logfp);
	jw_release(&w);
	sbuf_release(&sb);
	sbuf_release(&v);
	jsonl_rec_release(&rec);
}

static void
respond(struct conn *c, int status, const char *extra, const char *body,
	size_t len, size_t send)
{
	sbuf_addf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: application/json"
		  "\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n",
		  status, status == 200 ? "OK" : "Fake", len, extra ? extra : "");
	sbuf_add(&c->out, body, send);
}

/* The error type (and OpenAI's code) each service gives for a status. */
static void
error_kind(int anthropic, int status, const char **type, const char **code)
{
	static const struct {
		int status;
		const char *anthropic, *openai, *code;
	} kinds[] = {
		{ 400, "invalid_request_error", "invalid_request_error", NULL },
		{ 401, "authentication_error", "invalid_request_error",
		  "invalid_api_key" },
		{ 403, "permission_error", "invalid_request_error",
		  "unsupported_country_region_territory" },
		{ 404, "not_found_error", "invalid_request_error",
		  "model_not_found" },
		{ 413, "request_too_large", "invalid_request_error", NULL },
		{ 429, "rate_limit_error", "requests", "rate_limit_exceeded" },
		{ 500, "api_error", "server_error", NULL },
		{ 503, "api_error", "server_error", NULL },
		{ 529, "overloaded_error", "server_error", NULL },
	};
	size_t i;

	*type = anthropic ? "api_error" : "server_error";
	*code = NULL;
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		if (kinds[i].status == status) {
			*type = anthropic ? kinds[i].anthropic : kinds[i].openai;
			*code = anthropic ? NULL : kinds[i].code;
		}
	}
}

/*
 * An error body as the service words it: OpenAI's {"error": {"message",
 * "type", "param", "code"}}, Anthropic's {"type": "error", "error":
 * {"type", "message"}, "request_id"}. type, code and param NULL: the
 * usual ones for status (param null).
 */
static void
error_body(struct sbuf *b, int anthropic, int status, const char *msg,
	   const char *type, const char *code, const char *param)
{
	const char *t, *c;
	struct jw w;

	error_kind(anthropic, status, &t, &c);
	if (type)
		t = type;
	if (code)
		c = code;
	jw_init(&w, b);
	jw_obj(&w);
	if (anthropic) {
		jw_key(&w, "type");
		jw_str(&w, "error");
	}
	jw_key(&w, "error");
	jw_obj(&w);
	if (anthropic) {
		jw_key(&w, "type");
		jw_str(&w, t);
		jw_key(&w, "message");
		jw_str(&w, msg);
	} else {
		jw_key(&w, "message");
		jw_str(&w, msg);
		jw_key(&w, "type");
		jw_str(&w, t);
		jw_key(&w, "param");
		if (param)
			jw_str(&w, param);
		else
			jw_null(&w);
		jw_key(&w, "code");
		if (c)
			jw_str(&w, c);
		else
			jw_null(&w);
	}
	jw_obj_end(&w);
	if (anthropic) {
		jw_key(&w, "request_id");
		jw_str(&w, "req_011CfakeFakeFakeFakeFake");
	}
	jw_obj_end(&w);
	jw_release(&w);
}

static void
ok_body(struct sbuf *b, int anthropic, const char *model, const char *text,
	size_t tlen, const char *finish, const struct jsonl_rec *e,
	int reasons)
{
	long long in = jsonl_path_int(e, "usage.in", 10);
	long long out = jsonl_path_int(e, "usage.out", 20);
	int refused = !strcmp(finish, "refusal");
	struct jw w;

	jw_init(&w, b);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_str(&w, anthropic ? "msg_fake" : "chatcmpl-fake");
	jw_key(&w, "model");
	jw_str(&w, model);
	if (anthropic) {
		jw_key(&w, "type");
		jw_str(&w, "message");
		jw_key(&w, "role");
		jw_str(&w, "assistant");
		jw_key(&w, "content");
		jw_arr(&w);
		jw_obj(&w);
		jw_key(&w, "type");
		jw_str(&w, "text");
		jw_key(&w, "text");
		jw_strn(&w, text, tlen);
		jw_obj_end(&w);
		jw_arr_end(&w);
		jw_key(&w, "stop_reason");
		jw_str(&w, !strcmp(finish, "length") ? "max_tokens" :
		       !strcmp(finish, "stop") ? "end_turn" : finish);
		jw_key(&w, "stop_sequence");
		jw_null(&w);
		jw_key(&w, "usage");
		jw_obj(&w);
		jw_key(&w, "input_tokens");
		jw_int(&w, in);
		jw_key(&w, "output_tokens");
		jw_int(&w, out);
		jw_obj_end(&w);
	} else {
		jw_key(&w, "object");
		jw_str(&w, "chat.completion");
		jw_key(&w, "choices");
		jw_arr(&w);
		jw_obj(&w);
		jw_key(&w, "index");
		jw_int(&w, 0);
		jw_key(&w, "message");
		jw_obj(&w);
		jw_key(&w, "role");
		jw_str(&w, "assistant");
		jw_key(&w, "content");
		if (refused)
			jw_null(&w);
		else
			jw_strn(&w, text, tlen);
		jw_key(&w, "refusal");
		if (refused)
			jw_strn(&w, text, tlen);
		else
			jw_null(&w);
		jw_obj_end(&w);
		jw_key(&w, "finish_reason");
		jw_str(&w, refused ? "stop" : finish);
		jw_obj_end(&w);
		jw_arr_end(&w);
		jw_key(&w, "usage");
		jw_obj(&w);
		jw_key(&w, "prompt_tokens");
		jw_int(&w, in);
		jw_key(&w, "completion_tokens");
		jw_int(&w, out);
		jw_key(&w, "total_tokens");
		jw_int(&w, in + out);
		if (reasons) {
			/* reasoning tokens are billed as output */
			jw_key(&w, "completion_tokens_details");
			jw_obj(&w);
			jw_key(&w, "reasoning_tokens");
			jw_int(&w, out / 2);
			jw_obj_end(&w);
		}
		jw_obj_end(&w);
	}
	jw_obj_end(&w);
	jw_release(&w);
}

static int
pick(const char *body, size_t blen, int n)
{
	int i;

	for (i = 0; i < nentries; i++) {
		struct entry *e = &entries[i];
		struct sbuf m = SBUF_INIT;
		int ok = e->uses != 0;

		if (ok && jsonl_path_str(&e->rec, "match", &m))
			ok = memmem(body, blen, m.buf, m.len) != NULL;
		if (ok && jsonl_get(&e->rec, 0, "seq") >= 0)
			ok = jsonl_path_int(&e->rec, "seq", -1) == n;
		sbuf_release(&m);
		if (ok) {
			if (e->uses > 0)
				e->uses--;
			return i;
		}
	}
	return -1;
}

/* Does model start with one of the --reasoning prefixes? */
static int
reasons(const char *model)
{
	char **p;

	for (p = reasoning; p && *p; p++)
		if (!strcmp(*p, "*") || !strncmp(model, *p, strlen(*p)))
			return 1;
	return 0;
}

/*
 * The checks a service makes of a request before it looks at anything
 * else: a status and an error body in b, or 0 when it passes.
 */
static int
refuse(struct sbuf *b, int anthropic, const char *head,
       const struct jsonl_rec *req, int parsed, const char *model)
{
	struct sbuf h = SBUF_INIT;
	int t, status = 0;
	double temp;

	if (anthropic) {
		if (!header(head, "x-api-key", &h)) {
			status = 401;
			error_body(b, 1, 401, "x-api-key header is required",
				   NULL, NULL, NULL);
		} else if (!header(head, "anthropic-version", &h)) {
			status = 400;
			error_body(b, 1, 400, "anthropic-version: header is "
				   "required", NULL, NULL, NULL);
		} else if (parsed && jsonl_get(req, 0, "max_tokens") < 0) {
			status = 400;
			error_body(b, 1, 400, "max_tokens: Field required",
				   NULL, NULL, NULL);
		}
	} else if (parsed && reasons(model)) {
		if (jsonl_get(req, 0, "max_tokens") >= 0) {
			status = 400;
			error_body(b, 0, 400, "Unsupported parameter: "
				   "'max_tokens' is not supported with this "
				   "model. Use 'max_completion_tokens' instead.",
				   NULL, "unsupported_parameter", "max_tokens");
		} else if ((t = jsonl_get(req, 0, "temperature")) >= 0 &&
			   jsonl_num(req, t, &temp) == 0 && temp != 1) {
			struct sbuf m = SBUF_INIT;
			size_t n;
			const char *raw = jsonl_raw(req, t, &n);

			sbuf_addf(&m, "Unsupported value: 'temperature' does "
				  "not support %.*s with this model. Only the "
				  "default (1) value is supported.", (int)n, raw);
			status = 400;
			error_body(b, 0, 400, m.buf, NULL, "unsupported_value",
				   "temperature");
			sbuf_release(&m);
		}
	}
	sbuf_release(&h);
	return status;
}

/* Queue a 200 whose reply text is n bytes of 'a' (or endless). */
static void
respond_stream(struct conn *c, int anthropic, const char *model,
	       const struct jsonl_rec *e, unsigned long long n, int endless)
{
	struct sbuf b = SBUF_INIT;
	const char *mark;
	size_t pre;

	ok_body(&b, anthropic, model, "@@FILL@@", 8, "stop", e, 0);
	mark = strstr(b.buf, "@@FILL@@");
	pre = mark - b.buf;
	if (endless)
		sbuf_addf(&c->out, "HTTP/1.1 200 OK\r\nContent-Type: "
			  "application/json\r\nConnection: close\r\n\r\n");
	else
		sbuf_addf(&c->out, "HTTP/1.1 200 OK\r\nContent-Type: "
			  "application/json\r\nContent-Length: %llu\r\n"
			  "Connection: close\r\n\r\n", n);
	if (!endless && n < b.len - 8)
		n = b.len - 8;
	sbuf_add(&c->out, b.buf, pre);
	sbuf_adds(&c->tail, mark + 8);
	c->fill = endless ? 0 : n - (b.len - 8);
	c->endless = endless;
	sbuf_release(&b);
}

/* A whole request is in c->in: log it and queue the response. */
static void
handle(struct conn *c, size_t hlen, size_t blen)
{
	struct sbuf h = SBUF_INIT, key = SBUF_INIT, model = SBUF_INIT;
	struct sbuf text = SBUF_INIT, b = SBUF_INIT, s = SBUF_INIT;
	struct sbuf extra = SBUF_INIT, ty = SBUF_INIT, co = SBUF_INIT;
	struct sbuf pa = SBUF_INIT;
	struct jsonl_rec req = JSONL_REC_INIT;
	const char *head = c->in.buf, *body = c->in.buf + hlen, *fault = "";
	int anthropic, e = -1, status, parsed, refused;
	struct jsonl_rec *er;

	c->in.buf[hlen - 2] = '\0';	/* the head, for header() */
	anthropic = strstr(head, "/v1/messages ") != NULL;
	parsed = jsonl_parse(&req, body, blen, NULL, NULL) == 0;
	if (parsed)
		jsonl_path_str(&req, "model", &model);
	sbuf_grow(&model, 0);
	refused = refuse(&b, anthropic, head, &req, parsed, model.buf);
	if (!refused)
		e = pick(body, blen, nreq);
	log_request(head, hlen, body, blen, refused, e);
	nreq++;
	if (refused) {
		respond(c, refused, NULL, b.buf, b.len, b.len);
		goto out;
	}
	if (header(head, "x-api-key", &h))
		sbuf_adds(&key, h.buf);
	else if (header(head, "authorization", &h))
		sbuf_adds(&key, h.len > 7 ? h.buf + 7 : "");
	sbuf_grow(&key, 0);
	if (e < 0 || (!anthropic && !strstr(head, "/chat/completions "))) {
		error_body(&b, anthropic, 404, "fake-llm: no script entry",
			   NULL, NULL, NULL);
		respond(c, 404, NULL, b.buf, b.len, b.len);
		goto out;
	}
	er = &entries[e].rec;
	if (jsonl_path_str(er, "fault", &s))
		fault = s.buf;
	status = (int)jsonl_path_int(er, "status", 200);
	if (!strcmp(fault, "429") || !strcmp(fault, "500")) {
		status = atoi(fault);
		if (jsonl_get(er, 0, "retry_after") >= 0)
			sbuf_addf(&extra, "Retry-After: %lld\r\n",
				  jsonl_path_int(er, "retry_after", 0));
	}
	if (!strcmp(fault, "hang")) {
		c->hang = 1;
		goto out;
	}
	if (!strcmp(fault, "badjson")) {
		respond(c, 200, NULL, "{\"choices\": [", 13, 13);
		goto out;
	}
	if (!strcmp(fault, "huge") || !strcmp(fault, "endless")) {
		respond_stream(c, anthropic, model.buf, er,
			       (unsigned long long)jsonl_path_num(er, "bytes",
			       300000000), !strcmp(fault, "endless"));
		goto out;
	}
	if (status != 200) {
		struct sbuf m = SBUF_INIT;

		if (!jsonl_path_str(er, "message", &m))
			sbuf_adds(&m, status == 429 ? "rate limited" :
				  "fake failure");
		subst_key(&text, m.buf, m.len, key.buf);
		sbuf_grow(&text, 0);
		error_body(&b, anthropic, status, text.buf,
			   jsonl_path_str(er, "type", &ty),
			   jsonl_path_str(er, "code", &co),
			   jsonl_path_str(er, "param", &pa));
		respond(c, status, extra.buf, b.buf, b.len, b.len);
		sbuf_release(&m);
		goto out;
	}
	{
		struct sbuf r = SBUF_INIT, f = SBUF_INIT;

		if (!strcmp(fault, "nocode"))
			sbuf_adds(&r, "The function is already optimal; I "
				  "would not change it.");
		else
			jsonl_str(er, jsonl_get(er, 0, "reply"), &r);
		if (!jsonl_path_str(er, "finish", &f))
			sbuf_adds(&f, "stop");
		subst_key(&text, r.buf, r.len, key.buf);
		ok_body(&b, anthropic, model.buf, text.buf, text.len, f.buf, er,
			!anthropic && reasons(model.buf));
		respond(c, 200, NULL, b.buf, b.len, !strcmp(fault, "truncate") ?
			b.len / 2 : b.len);
		sbuf_release(&r);
		sbuf_release(&f);
	}
	if (jsonl_get(er, 0, "barrier") >= 0) {
		c->held = 1;
		if (++nheld >= jsonl_path_int(er, "barrier", 1))
			nheld = -1;	/* release every held response */
	}
out:
	sbuf_release(&h);
	sbuf_release(&key);
	sbuf_release(&model);
	sbuf_release(&text);
	sbuf_release(&b);
	sbuf_release(&s);
	sbuf_release(&extra);
	sbuf_release(&ty);
	sbuf_release(&co);
	sbuf_release(&pa);
	jsonl_rec_release(&req);
}

/* Read what is there; 0 to keep the connection, -1 to close it. */
static int
on_read(struct conn *c)
{
	char buf[65536], *end;
	struct sbuf v = SBUF_INIT;
	ssize_t n = read(c->fd, buf, sizeof(buf));
	size_t hlen, blen = 0;

	if (n <= 0)
		return n < 0 && errno == EINTR ? 0 : -1;
	if (c->hang || c->out.len)
		return 0;	/* ignore anything after the request */
	sbuf_add(&c->in, buf, n);
	if (!(end = strstr(c->in.buf, "\r\n\r\n")))
		return 0;
	hlen = end + 4 - c->in.buf;
	c->in.buf[hlen - 1] = '\0';
	if (header(c->in.buf, "content-length", &v))
		blen = strtoul(v.buf, NULL, 10);
	if (!c->cont_sent && header(c->in.buf, "expect", &v) &&
	    !strcasecmp(v.buf, "100-continue") && c->in.len < hlen + blen) {
		c->cont_sent = 1;
		if (write(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
			return -1;
	}
	c->in.buf[hlen - 1] = '\n';
	sbuf_release(&v);
	if (c->in.len < hlen + blen)
		return 0;
	handle(c, hlen, blen);
	return 0;
}

/* Has c more to send? Refill out from a streamed body when it ran dry. */
static int
more(struct conn *c)
{
	static char filler[65536];

	if (c->out.len > c->off)
		return 1;
	if (!c->fill && !c->endless && !c->tail.len)
		return 0;
	if (!filler[0])
		memset(filler, 'a', sizeof(filler));
	sbuf_reset(&c->out);
	c->off = 0;
	if (c->endless || c->fill) {
		size_t n = sizeof(filler);

		if (!c->endless && c->fill < n)
			n = (size_t)c->fill;
		sbuf_add(&c->out, filler, n);
		if (!c->endless)
			c->fill -= n;
	} else {
		sbuf_add(&c->out, c->tail.buf, c->tail.len);
		sbuf_reset(&c->tail);
	}
	return 1;
}

static void
serve(int lfd, int idle)
{
	struct conn *conns = NULL;
	struct pollfd *pfd = NULL;
	size_t n = 0, cap = 0, pcap = 0, i;
	double last = now_ms();

	for (;;) {
		int r;

		if (nheld < 0) {
			for (i = 0; i < n; i++)
				conns[i].held = 0;
			nheld = 0;
		}
		XGROW(pfd, n + 1, pcap);
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < n; i++) {
			pfd[i + 1].fd = conns[i].fd;
			pfd[i + 1].events = !conns[i].held && more(&conns[i]) ?
			    POLLOUT : POLLIN;
		}
		r = poll(pfd, n + 1, 1000);
		if (r < 0 && errno != EINTR)
			err(3, "poll");
		if (r <= 0) {
			if (now_ms() - last > idle * 1e3)
				exit(0);
			continue;
		}
		last = now_ms();
		for (i = n; i-- > 0;) {
			struct conn *c = &conns[i];
			short re = pfd[i + 1].revents;
			int drop = 0;

			if ((re & POLLOUT) && !c->held) {
				ssize_t w = write(c->fd, c->out.buf + c->off,
						  c->out.len - c->off);

				if (w < 0)
					drop = 1;
				else if ((c->off += w) == c->out.len &&
					 !more(c))
					drop = 1;	/* Connection: close */
			} else if (re & (POLLIN | POLLHUP | POLLERR)) {
				drop = on_read(c) < 0;
			}
			if (drop) {
				if (c->held && nheld > 0)
					nheld--;
				close(c->fd);
				sbuf_release(&c->in);
				sbuf_release(&c->out);
				sbuf_release(&c->tail);
				conns[i] = conns[--n];
			}
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept(lfd, NULL, NULL);

			if (fd < 0)
				continue;
			XGROW(conns, n + 1, cap);
			memset(&conns[n], 0, sizeof(conns[n]));
			conns[n].fd = fd;
			sbuf_init(&conns[n].in, 0);
			sbuf_init(&conns[n].out, 0);
			sbuf_init(&conns[n].tail, 0);
			n++;
		}
	}
}

/* The words of a comma-separated list, NULL-terminated. */
static char **
split(const char *s)
{
	char **v = NULL;
	size_t n = 0;

	for (;;) {
		size_t k = strcspn(s, ",");

		v = xreallocarray(v, n + 2, sizeof(*v));
		v[n++] = xmemdupz(s, k);
		v[n] = NULL;
		if (!s[k])
			return v;
		s += k + 1;
	}
}

static void
write_file(const char *path, long v)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%ld\n", v);
	if (sbuf_write_file(&sb, path) < 0)
		err(3, "%s", path);
	sbuf_release(&sb);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port-file", required_argument, NULL, 'p' },
		{ "pid-file", required_argument, NULL, 'P' },
		{ "script", required_argument, NULL, 's' },
		{ "log", required_argument, NULL, 'l' },
		{ "idle", required_argument, NULL, 'i' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "reasoning", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *portfile = NULL, *pidfile = NULL, *script = NULL;
	const char *logpath = "/dev/null";
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int c, lfd, daemonize = 0, idle = 120, one = 1;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': portfile = optarg; break;
		case 'P': pidfile = optarg; break;
		case 's': script = optarg; break;
		case 'l': logpath = optarg; break;
		case 'i': idle = atoi(optarg); break;
		case 'd': daemonize = 1; break;
		case 'r': reasoning = split(optarg); break;
		default:
			fprintf(stderr, "usage: fake-llm [--daemon] --port-file F "
				"[--pid-file P] [--script S] [--log L] "
				"[--idle SECS] [--reasoning PREFIX,...]\n");
			return 2;
		}
	}
	if (!portfile)
		errx(2, "--port-file is required");
	if (script)
		load_script(script);
	if (!(logfp = fopen(logpath, "a")))
		err(3, "%s", logpath);
	signal(SIGPIPE, SIG_IGN);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		err(3, "socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0)
		err(3, "cannot listen on 127.0.0.1");
	t0 = now_ms();
	if (daemonize) {
		fflush(NULL);
		if ((pid = fork()) < 0)
			err(3, "fork");
		if (pid > 0) {
			if (pidfile)
				write_file(pidfile, pid);
			write_file(portfile, ntohs(sa.sin_port));
			_exit(0);
		}
		setsid();
		if (!freopen("/dev/null", "r", stdin) ||
		    !freopen("/dev/null", "w", stdout))
			err(3, "/dev/null");
	} else {
		if (pidfile)
			write_file(pidfile, getpid());
		write_file(portfile, ntohs(sa.sin_port));
	}
	serve(lfd, idle);
	return 0;
}
