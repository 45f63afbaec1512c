#include <ctype.h>
#include <string.h>

#include "llm/http.h"
#include "llm/llm.h"
#include "llm/llmmodel.h"
#include "run/proc.h"
#include "llm/reply.h"

static const char *const names[LLM_NPROVIDERS] = {
	"openai", "anthropic", "command", "replay",
};

const char *
llm_provider_name(int provider)
{
	if (provider < 0 || provider >= LLM_NPROVIDERS)
		return "?";
	return names[provider];
}

int
llm_provider_parse(const char *name)
{
	int i;

	for (i = 0; i < LLM_NPROVIDERS; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

void
llm_canonical(struct sbuf *out, const struct llm_params *p,
	      const struct jsonl_rec *rec, int msgs, int sample)
{
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "provider");
	jw_str(&w, llm_provider_name(p->provider));
	jw_key(&w, "model");
	jw_str(&w, p->model);
	jw_key(&w, "temperature");
	if (p->no_temperature)
		jw_null(&w);
	else
		jw_num(&w, p->temperature);
	jw_key(&w, "max_output_tokens");
	jw_int(&w, p->max_tokens);
	jw_key(&w, "messages");
	jw_tok(&w, rec, msgs);
	jw_key(&w, "sample");
	jw_int(&w, sample);
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
}

static int
check_messages(const struct jsonl_rec *rec, int msgs)
{
	int i, n = jsonl_count(rec, msgs);

	if (!jsonl_is_array(rec, msgs) || n < 1)
		return -1;
	for (i = 0; i < n; i++) {
		int m = jsonl_at(rec, msgs, i);

		if (!jsonl_is_object(rec, m) ||
		    !jsonl_is_string(rec, jsonl_get(rec, m, "role")) ||
		    !jsonl_is_string(rec, jsonl_get(rec, m, "content")))
			return -1;
	}
	return 0;
}

int
llm_request_body(struct sbuf *out, const struct llm_params *p,
		 const struct jsonl_rec *rec, int msgs)
{
	struct sbuf sys = SBUF_INIT;
	struct jw w;
	int i, n;

	if (check_messages(rec, msgs) < 0)
		return -1;
	n = jsonl_count(rec, msgs);
	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "model");
	jw_str(&w, p->model);
	if (p->provider == LLM_ANTHROPIC) {
		jw_key(&w, "max_tokens");
		jw_int(&w, p->max_tokens > 0 ? p->max_tokens :
		       LLM_ANTHROPIC_MAX_TOKENS);
	} else if (p->max_tokens > 0 && llmmodel_limit_name(p->limit)) {
		jw_key(&w, llmmodel_limit_name(p->limit));
		jw_int(&w, p->max_tokens);
	}
	if (!p->no_temperature) {
		jw_key(&w, "temperature");
		jw_num(&w, p->temperature);
	}
	if (p->provider != LLM_ANTHROPIC) {
		jw_key(&w, "messages");
		jw_tok(&w, rec, msgs);
		goto done;
	}
	for (i = 0; i < n; i++) {
		int m = jsonl_at(rec, msgs, i);

		if (!jsonl_streq(rec, jsonl_get(rec, m, "role"), "system"))
			continue;
		if (sys.len)
			sbuf_adds(&sys, "\n\n");
		jsonl_str(rec, jsonl_get(rec, m, "content"), &sys);
	}
	if (sys.len) {
		jw_key(&w, "system");
		jw_strn(&w, sys.buf, sys.len);
	}
	jw_key(&w, "messages");
	jw_arr(&w);
	for (i = 0; i < n; i++) {
		int m = jsonl_at(rec, msgs, i);

		if (jsonl_streq(rec, jsonl_get(rec, m, "role"), "system"))
			continue;
		jw_obj(&w);
		jw_key(&w, "role");
		jw_tok(&w, rec, jsonl_get(rec, m, "role"));
		jw_key(&w, "content");
		jw_tok(&w, rec, jsonl_get(rec, m, "content"));
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
done:
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_release(&sys);
	return 0;
}

void
llm_reply_release(struct llm_reply *r)
{
	sbuf_release(&r->text);
	sbuf_release(&r->finish);
	sbuf_release(&r->refusal);
}

static void
reply_reset(struct llm_reply *r)
{
	sbuf_reset(&r->text);
	sbuf_reset(&r->finish);
	sbuf_reset(&r->refusal);
	r->in_tokens = r->out_tokens = r->reasoning_tokens = r->ms = 0;
}

static int
parse_openai(const struct jsonl_rec *rec, struct llm_reply *r)
{
	int c = jsonl_path(rec, "choices.0.message.content");
	int f = jsonl_path(rec, "choices.0.finish_reason");
	int ref = jsonl_path(rec, "choices.0.message.refusal");

	if (jsonl_is_string(rec, ref)) {
		jsonl_str(rec, ref, &r->refusal);
		sbuf_adds(&r->finish, "refusal");
	} else if (jsonl_streq(rec, f, "content_filter")) {
		sbuf_adds(&r->finish, "refusal");
	} else if (jsonl_str(rec, f, &r->finish) < 0) {
		sbuf_adds(&r->finish, "stop");
	}
	if (jsonl_str(rec, c, &r->text) < 0 &&
	    strcmp(r->finish.buf, "refusal"))
		return -1;
	r->in_tokens = jsonl_path_int(rec, "usage.prompt_tokens", 0);
	r->out_tokens = jsonl_path_int(rec, "usage.completion_tokens", 0);
	r->reasoning_tokens = jsonl_path_int(rec,
	    "usage.completion_tokens_details.reasoning_tokens", 0);
	return 0;
}

static int
parse_anthropic(const struct jsonl_rec *rec, struct llm_reply *r)
{
	int c = jsonl_get(rec, 0, "content");
	int f = jsonl_get(rec, 0, "stop_reason");
	int i, n = jsonl_count(rec, c);

	if (!jsonl_is_array(rec, c))
		return -1;
	for (i = 0; i < n; i++) {
		int b = jsonl_at(rec, c, i);

		if (jsonl_streq(rec, jsonl_get(rec, b, "type"), "text"))
			jsonl_str(rec, jsonl_get(rec, b, "text"), &r->text);
	}
	if (jsonl_streq(rec, f, "max_tokens")) {
		sbuf_adds(&r->finish, "length");
	} else if (jsonl_streq(rec, f, "model_context_window_exceeded")) {
		sbuf_adds(&r->finish, "context");
	} else if (jsonl_streq(rec, f, "refusal")) {
		/* what was written before the classifier stopped it */
		sbuf_adds(&r->finish, "refusal");
		sbuf_add(&r->refusal, r->text.buf, r->text.len);
	} else if (jsonl_streq(rec, f, "end_turn") ||
		   jsonl_streq(rec, f, "stop_sequence") ||
		   jsonl_str(rec, f, &r->finish) < 0) {
		sbuf_adds(&r->finish, "stop");
	}
	r->in_tokens = jsonl_path_int(rec, "usage.input_tokens", 0);
	r->out_tokens = jsonl_path_int(rec, "usage.output_tokens", 0);
	return 0;
}

int
llm_parse_response(int provider, const char *body, size_t len,
		   struct llm_reply *r, struct sbuf *err)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	const char *msg;
	size_t off;
	int ret;

	reply_reset(r);
	if (jsonl_parse(&rec, body, len, &off, &msg) < 0) {
		sbuf_addf(err, "invalid JSON in reply at offset %zu: %s",
			  off, msg);
		jsonl_rec_release(&rec);
		return -1;
	}
	ret = provider == LLM_ANTHROPIC ? parse_anthropic(&rec, r) :
	    parse_openai(&rec, r);
	if (ret < 0)
		sbuf_addf(err, "reply has no %s", provider == LLM_ANTHROPIC ?
			  "'content'" : "'choices[0].message.content'");
	jsonl_rec_release(&rec);
	return ret;
}

void
llm_error_message(const char *body, size_t len, struct sbuf *out)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	size_t i;

	if (!jsonl_parse(&rec, body, len, NULL, NULL)) {
		int m = jsonl_path(&rec, "error.message");

		if (m < 0)
			m = jsonl_get(&rec, 0, "message");
		if (m < 0)
			m = jsonl_get(&rec, 0, "error");
		if (jsonl_str(&rec, m, out) == 0) {
			jsonl_rec_release(&rec);
			return;
		}
	}
	jsonl_rec_release(&rec);
	if (len > 200)
		return;
	for (i = 0; i < len; i++)
		if (!isprint((unsigned char)body[i]) && !isspace((unsigned char)body[i]))
			return;
	for (i = 0; i < len; i++)
		sbuf_addc(out, isspace((unsigned char)body[i]) ? ' ' : body[i]);
	sbuf_rtrim(out);
}

void
llm_reply_to_json(struct sbuf *out, const struct llm_reply *r)
{
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "reply");
	jw_strn(&w, r->text.buf, r->text.len);
	jw_key(&w, "finish");
	jw_strn(&w, r->finish.buf, r->finish.len);
	if (r->refusal.len) {
		jw_key(&w, "refusal");
		jw_strn(&w, r->refusal.buf, r->refusal.len);
	}
	jw_key(&w, "in_tokens");
	jw_int(&w, r->in_tokens);
	jw_key(&w, "out_tokens");
	jw_int(&w, r->out_tokens);
	if (r->reasoning_tokens) {
		jw_key(&w, "reasoning_tokens");
		jw_int(&w, r->reasoning_tokens);
	}
	jw_key(&w, "ms");
	jw_int(&w, r->ms);
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
}

int
llm_reply_from_json(struct llm_reply *r, const char *s, size_t len)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	int ret = -1;

	reply_reset(r);
	if (jsonl_parse(&rec, s, len, NULL, NULL) < 0)
		goto out;
	if (jsonl_str(&rec, jsonl_get(&rec, 0, "reply"), &r->text) < 0 ||
	    jsonl_str(&rec, jsonl_get(&rec, 0, "finish"), &r->finish) < 0)
		goto out;
	jsonl_str(&rec, jsonl_get(&rec, 0, "refusal"), &r->refusal);
	r->in_tokens = jsonl_path_int(&rec, "in_tokens", 0);
	r->out_tokens = jsonl_path_int(&rec, "out_tokens", 0);
	r->reasoning_tokens = jsonl_path_int(&rec, "reasoning_tokens", 0);
	r->ms = jsonl_path_int(&rec, "ms", 0);
	ret = 0;
out:
	jsonl_rec_release(&rec);
	return ret;
}

int
llm_output(struct sbuf *out, const struct jsonl_rec *rec,
	   const struct llm_result *res)
{
	static const char *const skip[] = { "llm", "candidate", NULL };
	const struct llm_reply *r = res->reply;
	struct sbuf fn = SBUF_INIT, code = SBUF_INIT, msg = SBUF_INIT;
	struct jw w;
	int failed;

	/* a check (pesq-prompt --check) defines the fuzzer's entry point */
	if (jsonl_streq(rec, jsonl_path(rec, "prompt.mode"), "check"))
		sbuf_adds(&fn, "LLVMFuzzerTestOneInput");
	else
		jsonl_path_str(rec, "fn", &fn);
	if (!strcmp(r->finish.buf, "length")) {
		sbuf_adds(&msg, "reply truncated at the output token limit");
		if (r->reasoning_tokens)
			sbuf_addf(&msg, " (%lld of its %lld tokens went to the "
				  "model's reasoning)", r->reasoning_tokens,
				  r->out_tokens);
	} else if (!strcmp(r->finish.buf, "context"))
		sbuf_adds(&msg, "reply cut off: the model's context window is "
			  "full");
	else if (!strcmp(r->finish.buf, "refusal"))
		sbuf_addf(&msg, "model refused: %s", r->refusal.len ?
			  r->refusal.buf : "no reason given");
	else if (!reply_code(r->text.buf, r->text.len, fn.buf, &code))
		sbuf_addf(&msg, "reply has no code block defining '%s'",
			  fn.buf);
	else if (memchr(code.buf, '\0', code.len))
		sbuf_addf(&msg, "reply's code for '%s' holds a NUL byte "
			  "(at offset %zu)", fn.buf, (size_t)((char *)
			  memchr(code.buf, '\0', code.len) - code.buf));
	failed = msg.len > 0;
	jw_init(&w, out);
	jw_obj(&w);
	jsonl_copy_except(rec, &w, skip);
	jw_key(&w, "llm");
	jw_obj(&w);
	jw_key(&w, "provider");
	jw_str(&w, llm_provider_name(res->provider));
	jw_key(&w, "model");
	jw_str(&w, res->model);
	jw_key(&w, "temperature");
	jw_num(&w, res->temperature);
	jw_key(&w, "in_tokens");
	jw_int(&w, r->in_tokens);
	jw_key(&w, "out_tokens");
	jw_int(&w, r->out_tokens);
	jw_key(&w, "ms");
	jw_int(&w, res->ms);
	jw_key(&w, "cached");
	jw_bool(&w, res->cached);
	jw_key(&w, "reply");
	jw_strn(&w, r->text.buf, r->text.len);
	jw_key(&w, "sample");
	jw_int(&w, res->sample);
	if (res->priced) {
		jw_key(&w, "cost");
		jw_numg(&w, res->cost, 6);
	}
	jw_obj_end(&w);
	if (msg.len) {
		jw_key(&w, "error");
		jw_obj(&w);
		jw_key(&w, "stage");
		jw_str(&w, "llm");
		jw_key(&w, "msg");
		jw_strn(&w, msg.buf, msg.len);
		jw_obj_end(&w);
	} else {
		struct sbuf sum = SBUF_INIT;

		reply_summary(r->text.buf, r->text.len, &sum);
		jw_key(&w, "candidate");
		jw_obj(&w);
		jw_key(&w, "code");
		jw_strn(&w, code.buf, code.len);
		jw_key(&w, "summary");
		jw_strn(&w, sum.buf, sum.len);
		jw_obj_end(&w);
		sbuf_release(&sum);
	}
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
	sbuf_release(&fn);
	sbuf_release(&code);
	sbuf_release(&msg);
	return failed;
}

int
llm_command(const char *cmd, const char *req, size_t len,
	    long long est_tokens, long timeout_ms, size_t max_reply,
	    struct llm_reply *r, struct sbuf *err)
{
	struct proc_opt po = { 0 };
	struct proc_res res;
	int ret = 0;

	reply_reset(r);
	po.cmd = cmd;
	po.in = req;
	po.in_len = len;
	po.timeout = timeout_ms / 1000.0;
	po.out_max = max_reply + 1;
	po.err_max = 4096;
	if (proc_run(&po, &res) < 0)
		return -1;
	if (res.timed_out) {
		sbuf_addf(err, "command timed out after %ld ms", timeout_ms);
		ret = 1;
	} else if (res.out_total > max_reply) {
		sbuf_addf(err, "command's reply larger than %zu bytes; not "
			  "read (--max-reply-bytes)", max_reply);
		ret = 1;
	} else if (res.exit_code) {
		sbuf_addf(err, "command exited with status %d", res.exit_code);
		if (res.err.len)
			sbuf_addf(err, ": %.*s", (int)strcspn(res.err.buf, "\n"),
				  res.err.buf);
		ret = 1;
	} else {
		sbuf_add(&r->text, res.out.buf, res.out.len);
		sbuf_adds(&r->finish, "stop");
		r->in_tokens = est_tokens > 0 ? est_tokens :
		    (long long)len / 4;
		r->out_tokens = (long long)(res.out.len + 3) / 4;
		r->ms = (long long)(res.wall * 1000 + 0.5);
	}
	proc_res_release(&res);
	return ret;
}

void
llm_http_error(struct sbuf *out, const struct http_req *req,
	       const char *hostport, long timeout_ms, int retries)
{
	if (req->too_big) {
		sbuf_addf(out, "%s: %s; not read (--max-reply-bytes)", hostport,
			  req->err.buf);
	} else if (req->status) {
		sbuf_addf(out, "http %ld from %s: ", req->status, hostport);
		llm_error_message(req->resp.buf, req->resp.len, out);
	} else if (req->timed_out) {
		sbuf_addf(out, "no reply from %s within %ld ms", hostport,
			  timeout_ms);
	} else {
		sbuf_addf(out, "%s: %s", hostport, req->err.buf);
	}
	if (req->exhausted && retries > 0)
		sbuf_addf(out, " (%d %s exhausted)", retries,
			  retries == 1 ? "retry" : "retries");
	else if (req->status && !req->exhausted)
		sbuf_adds(out, " (not retried)");
}
