#ifndef PESQ_LLMMODEL_H
#define PESQ_LLMMODEL_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * What a model takes of the parameters pesq-llm would send: whether it
 * accepts a temperature, and under which name it takes the limit on the
 * reply's tokens. Known from a table of model families (OpenAI's
 * reasoning models take only their default temperature), and learned
 * from a service's HTTP 400 that names an unsupported parameter or value
 * (OpenAI's error.code "unsupported_parameter" or "unsupported_value"
 * with error.param), which pesq-llm keeps in git (see llmcache.h) so
 * that it is asked the right way from then on. Pure functions; no I/O.
 */
enum llm_limit {
	LLM_LIMIT_DEFAULT,		/* as the endpoint goes (llmconf) */
	LLM_LIMIT_MAX_TOKENS,		/* "max_tokens" */
	LLM_LIMIT_MAX_COMPLETION_TOKENS,	/* "max_completion_tokens" */
	LLM_LIMIT_NONE			/* no limit is sent */
};

struct llm_model {
	int no_temperature;	/* send no temperature: the model's own */
	int limit;		/* enum llm_limit */
};

/* The name of a limit field ("max_tokens", ...), or NULL for none. */
const char *llmmodel_limit_name(int limit);

/*
 * The table: families whose models take only their default temperature
 * (OpenAI's o1, o3, o4-mini and gpt-5, with any suffix: o3-mini,
 * gpt-5-mini, gpt-5.1, o4-mini-2025-04-16; a "vendor/" prefix, as
 * routers write it, is skipped). Sets m->no_temperature for such a
 * model; returns whether it is one.
 */
int llmmodel_known(const char *model, struct llm_model *m);

/*
 * Learn from an error body (of an HTTP 400) what the model does not
 * take, given what was sent (*m, updated): error.code
 * "unsupported_value" or "unsupported_parameter" with error.param
 * "temperature" (then no temperature), "max_tokens" or
 * "max_completion_tokens" (then the replacement the message names in
 * "Use 'x' instead", or no limit). Returns 1 when *m changed (the
 * request is worth sending again), with the parameter's name in param
 * and the service's message in msg (both appended); 0 otherwise.
 */
int llmmodel_learn(const char *body, size_t len, struct llm_model *m,
		   struct sbuf *param, struct sbuf *msg);

/*
 * A learned entry as one line of JSON, {"model", "temperature": false
 * (when none is taken), "limit": "max_completion_tokens" | "max_tokens"
 * | "none" (when learned), "learned": what the service said}, appended
 * to out; and read back (the members that are there override *m).
 * llmmodel_from_json returns 0, or -1 when s is not such an entry.
 */
void llmmodel_to_json(struct sbuf *out, const char *model,
		      const struct llm_model *m, const char *learned);
int llmmodel_from_json(const char *s, size_t len, struct llm_model *m);

#endif
