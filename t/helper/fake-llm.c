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
 *	 "reply": "...", "fault": "429|500|hang|truncate|badjson|nocode",
 *	 "retry_after": 1, "usage": {"in": 10, "out": 20},
 *	 "finish": "stop|length|refusal", "message": "error text",
 *	 "barrier": N}
 * A request is answered by the first entry with uses left (times,
 * default unlimited) whose match (a substring of the request body) and seq
 * (the request's number, from 0) both hold when given; "{{key}}" in reply
 * or message becomes the key the request carried. No entry: 404. An
 * entry with a barrier holds its responses until N requests are held at
 * once (to show that a client has N in flight).
 *
 * The log is JSON lines: {"n", "t_ms", "method", "path", "headers" (names
 * lowercased), "body" (the JSON, or a string when it is not JSON),
 * "entry"}.
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
};

static struct entry *entries;
static int nentries, nreq, nheld;
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

static void
subst_key(struct sbuf *out, const char *s, const char *key)
{
	const char *p;

	while ((p = strstr(s, "{{key}}"))) {
		sbuf_add(out, s, p - s);
		sbuf_adds(out, key);
		s = p + 7;
	}
	sbuf_adds(out, s);
}

static void
log_request(const char *head, size_t hlen, const char *body, size_t blen,
	    int entry)
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

static void
error_body(struct sbuf *b, int anthropic, const char *msg)
{
	struct jw w;

	jw_init(&w, b);
	jw_obj(&w);
	if (anthropic) {
		jw_key(&w, "type");
		jw_str(&w, "error");
	}
	jw_key(&w, "error");
	jw_obj(&w);
	jw_key(&w, "type");
	jw_str(&w, "fake_error");
	jw_key(&w, "message");
	jw_str(&w, msg);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_release(&w);
}

static void
ok_body(struct sbuf *b, int anthropic, const char *model, const char *text,
	const char *finish, const struct jsonl_rec *e)
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
		jw_str(&w, text);
		jw_obj_end(&w);
		jw_arr_end(&w);
		jw_key(&w, "stop_reason");
		jw_str(&w, !strcmp(finish, "length") ? "max_tokens" :
		       refused ? "refusal" : "end_turn");
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
			jw_str(&w, text);
		if (refused) {
			jw_key(&w, "refusal");
			jw_str(&w, text);
		}
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

/* A whole request is in c->in: log it and queue the response. */
static void
handle(struct conn *c, size_t hlen, size_t blen)
{
	struct sbuf h = SBUF_INIT, key = SBUF_INIT, model = SBUF_INIT;
	struct sbuf text = SBUF_INIT, b = SBUF_INIT, s = SBUF_INIT;
	struct sbuf extra = SBUF_INIT;
	struct jsonl_rec req = JSONL_REC_INIT;
	const char *head = c->in.buf, *body = c->in.buf + hlen, *fault = "";
	int anthropic, e, status;
	struct jsonl_rec *er;

	c->in.buf[hlen - 2] = '\0';	/* the head, for header() */
	anthropic = strstr(head, "/v1/messages ") != NULL;
	e = pick(body, blen, nreq);
	log_request(head, hlen, body, blen, e);
	nreq++;
	if (header(head, "x-api-key", &h))
		sbuf_adds(&key, h.buf);
	else if (header(head, "authorization", &h))
		sbuf_adds(&key, h.len > 7 ? h.buf + 7 : "");
	if (jsonl_parse(&req, body, blen, NULL, NULL) == 0)
		jsonl_path_str(&req, "model", &model);
	if (e < 0 || (!anthropic && !strstr(head, "/chat/completions "))) {
		error_body(&b, anthropic, "fake-llm: no script entry");
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
	if (status != 200) {
		struct sbuf m = SBUF_INIT;

		if (!jsonl_path_str(er, "message", &m))
			sbuf_adds(&m, status == 429 ? "rate limited" :
				  "fake failure");
		subst_key(&text, m.buf, key.buf);
		error_body(&b, anthropic, text.buf);
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
			jsonl_path_str(er, "reply", &r);
		if (!jsonl_path_str(er, "finish", &f))
			sbuf_adds(&f, "stop");
		subst_key(&text, r.buf, key.buf);
		ok_body(&b, anthropic, model.buf, text.buf, f.buf, er);
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
			pfd[i + 1].events = !conns[i].held &&
			    conns[i].out.len > conns[i].off ? POLLOUT : POLLIN;
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
				else if ((c->off += w) == c->out.len)
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
			n++;
		}
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
		default:
			fprintf(stderr, "usage: fake-llm [--daemon] --port-file F "
				"[--pid-file P] [--script S] [--log L] "
				"[--idle SECS]\n");
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
