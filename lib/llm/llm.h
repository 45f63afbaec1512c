#ifndef PESQ_LLM_H
#define PESQ_LLM_H

#include <stddef.h>

#include "base/jsonl.h"
#include "base/sbuf.h"

/*
 * The wire formats of the model providers: the request bodies pesq-llm
 * sends, the replies it reads back, and the canonical request text that
 * keys the reply cache. Nothing here talks to the network or holds a key.
 */
enum llm_provider {
	LLM_OPENAI,		/* chat completions, and compatible servers */
	LLM_ANTHROPIC,		/* messages API */
	LLM_COMMAND,		/* a user command: request on stdin */
	LLM_REPLAY,		/* the cache only */
	LLM_NPROVIDERS
};

/* "openai", ... for a provider; the provider for a name, or -1. */
const char *llm_provider_name(int provider);
int llm_provider_parse(const char *name);

struct llm_params {
	int provider;
	const char *model;
	double temperature;
	long max_tokens;	/* 0: the provider's default */
	int no_temperature;	/* send none: the model takes only its own */
	int limit;		/* the name of max_tokens for openai: enum
				 * llm_limit (llmmodel.h), never DEFAULT */
};

/* max_tokens sent to Anthropic when none is given (it requires one). */
#define LLM_ANTHROPIC_MAX_TOKENS 4096L

/*
 * Append the canonical request to out: one line of JSON with provider,
 * model, temperature (null when none is sent), max_output_tokens,
 * messages (copied byte for byte from the token msgs of rec) and sample,
 * and a newline. The same request
 * always gives the same bytes; it never contains a key. pesq-llm stores it
 * as a git blob whose id is the cache key, and a command provider reads it
 * on stdin.
 */
void llm_canonical(struct sbuf *out, const struct llm_params *p,
		   const struct jsonl_rec *rec, int msgs, int sample);

/*
 * Append the HTTP request body for p->provider (LLM_OPENAI or
 * LLM_ANTHROPIC) to out. OpenAI's body has max_tokens under the name
 * p->limit says (when max_tokens is set) and a temperature unless
 * p->no_temperature; Anthropic's always has max_tokens, and takes the
 * system messages out of the list into its "system" member (joined by a
 * blank line). Returns 0, or -1 when a message is not an object with
 * string role and content.
 */
int llm_request_body(struct sbuf *out, const struct llm_params *p,
		     const struct jsonl_rec *rec, int msgs);

/* A reply, normalized across providers. */
struct llm_reply {
	struct sbuf text;	/* the assistant's text */
	struct sbuf finish;	/* "stop", "length" (the output limit),
				 * "context" (the context window),
				 * "refusal", or as sent */
	struct sbuf refusal;	/* the refusal text, when there is one */
	long long in_tokens, out_tokens;
	long long reasoning_tokens;	/* of out_tokens, when said */
	long long ms;		/* time taken, for the cache */
};

#define LLM_REPLY_INIT { SBUF_INIT, SBUF_INIT, SBUF_INIT, 0, 0, 0, 0 }

void llm_reply_release(struct llm_reply *r);

/*
 * Parse a successful (HTTP 200) response body of provider into r (reset
 * first). Returns 0, or -1 with a message in err (not about the body's
 * bytes: those may hold anything) when it is not JSON or lacks the text.
 */
int llm_parse_response(int provider, const char *body, size_t len,
		       struct llm_reply *r, struct sbuf *err);

/*
 * The message of an error response: error.message (both providers), the
 * body itself when short printable text, or nothing. Appended to out.
 */
void llm_error_message(const char *body, size_t len, struct sbuf *out);

/*
 * A cache entry: r as one line of JSON ({"reply", "finish", "refusal",
 * "in_tokens", "out_tokens", "reasoning_tokens", "ms"}) appended to out, and read back into r
 * (returns 0, or -1 when the text is not such an entry).
 */
void llm_reply_to_json(struct sbuf *out, const struct llm_reply *r);
int llm_reply_from_json(struct llm_reply *r, const char *s, size_t len);


/* What pesq-llm writes for one sample of a record. */
struct llm_result {
	int provider;
	const char *model;
	double temperature;
	const struct llm_reply *reply;	/* already scrubbed of keys */
	int cached, sample;
	int priced;			/* write cost */
	double cost;
	long long ms;
};

/*
 * Append rec, minus any llm and candidate members, plus llm (from res)
 * and either candidate {code, summary} extracted from the reply for the
 * function rec.fn (for LLVMFuzzerTestOneInput when rec.prompt.mode is
 * "check": a differential check), or error {stage: "llm", msg} when the
 * reply was cut at the token limit or the context window, refused, has
 * no code block defining the function, or that code holds a NUL byte
 * (which would end up in a C file); then a newline. Returns 0 for a
 * candidate, 1 for an error.
 */
int llm_output(struct sbuf *out, const struct jsonl_rec *rec,
	       const struct llm_result *res);

/*
 * The command provider: run cmd with sh -c, the canonical request req on
 * its stdin, at most timeout_ms, and take its stdout as the reply (token
 * counts are estimates: est_tokens, or a quarter of the bytes). Returns 0
 * with r filled, 1 with a message in err when the command failed, timed
 * out or wrote more than max_reply bytes (of which no more are kept), -1
 * when it could not be run (errno set).
 */
int llm_command(const char *cmd, const char *req, size_t len,
		long long est_tokens, long timeout_ms, size_t max_reply,
		struct llm_reply *r, struct sbuf *err);

struct http_req;

/*
 * Describe a failed HTTP request in out: "http 401 from HOST: message
 * (not retried)", "no reply from HOST within N ms (3 retries exhausted)",
 * "HOST: reply larger than N bytes; not read (--max-reply-bytes)",
 * "HOST: <transport error> (...)".
 */
void llm_http_error(struct sbuf *out, const struct http_req *req,
		    const char *hostport, long timeout_ms, int retries);

#endif
