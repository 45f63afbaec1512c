#ifndef PESQ_LLMCONF_H
#define PESQ_LLMCONF_H

#include <getopt.h>

#include "llm/llm.h"
#include "llm/llmcache.h"
#include "llm/llmmodel.h"
#include "base/sbuf.h"

/*
 * pesq-llm's settings: command-line options over the environment over
 * git config over defaults, the provider chosen from them, and the API
 * key, read only from the environment or a .env file (the current
 * directory's, then the repository root's) and kept only in memory: in
 * the request headers and here, for scrubbing it out of any text pesq
 * writes.
 */
struct llmconf_opt {
	const char *provider, *model, *base_url, *command, *fallback;
	const char *temperature, *max_tokens, *samples, *jobs, *timeout;
	const char *retries, *first, *max_reply, *budget, *spent;
	int no_cache;
};

struct llmconf {
	struct llm_params params;	/* params.model == model */
	char *model, *fallback;		/* fallback may be NULL */
	char *command;			/* for LLM_COMMAND */
	char *url;			/* endpoint for HTTP providers */
	char *hostport;			/* of url, for messages */
	char **headers;			/* for HTTP providers */
	char *key;			/* may be NULL */
	char *key_from;			/* where it was found */
	int official;			/* url is OpenAI's own API */
	struct llm_model models[2];	/* [0] model, [1] fallback */
	long long budget;		/* tokens; 0: none */
	char *spent;			/* the budget's counter file, or NULL */
	int samples, first, jobs, retries, no_cache;
	long timeout_ms, backoff_ms;
	size_t max_reply;		/* bytes of a reply at most */
	int priced[2];			/* [0] model, [1] fallback */
	double price_in[2], price_out[2];	/* per million tokens */
};

/* The default limit on a reply's size (--max-reply-bytes). */
#define LLMCONF_MAX_REPLY ((size_t)4 << 20)

/*
 * The default endpoints and models. The anthropic-version header is the
 * messages API's version (2023-06-01 is its current one; models and
 * features come and go without a new version).
 */
#define LLMCONF_OPENAI_URL "https://api.openai.com/v1"
#define LLMCONF_OPENAI_HOST "api.openai.com:443"
#define LLMCONF_OPENAI_MODEL "gpt-5-mini"
#define LLMCONF_ANTHROPIC_URL "https://api.anthropic.com"
#define LLMCONF_ANTHROPIC_VERSION "2023-06-01"
#define LLMCONF_ANTHROPIC_MODEL "claude-sonnet-4-5"

/* pesq-llm's options, for getopt_long; values below 256 are letters. */
#define LLMCONF_SHORTOPTS "C:p:m:t:n:j:qvh"
enum { LLMCONF_CHECK = 256, LLMCONF_SETTINGS };
extern const struct option llmconf_longopts[];

/*
 * Record option c (the getopt_long value; see cmd/pesq-llm.c) with its
 * argument. Returns 0, or -1 when c is not one of these options.
 */
int llmconf_option(struct llmconf_opt *o, int c, const char *arg);

/*
 * Fill conf from o, the environment (PESQ_PROVIDER, PESQ_LLM_BACKOFF_MS;
 * OPENAI_API_KEY, ANTHROPIC_API_KEY, OPENAI_BASE_URL and
 * ANTHROPIC_BASE_URL, which .env files may set too), git config
 * (pesq.provider, pesq.model, pesq.baseUrl, pesq.command,
 * pesq.fallbackModel, pesq.price.<model>.in/out) of cache's repository
 * (NULL: global config only), and what is known and was learned of the
 * models (llmmodel.h; the notes in LLMCACHE_MODELS_REF). Returns 0, or
 * the exit status (2: bad or missing setting, 3: I/O) with a message in
 * err that never holds a key. conf is released with llmconf_release
 * either way.
 */
int llmconf_resolve(struct llmconf *conf, const struct llmconf_opt *o,
		    struct llmcache *cache, struct sbuf *err);

void llmconf_release(struct llmconf *conf);

/*
 * The parameters of a request to the model (fallback 0) or the fallback
 * model (1): conf->params with that model, the temperature left out and
 * max_tokens named as conf->models[] says (by default
 * max_completion_tokens for OpenAI's own API, max_tokens for any other
 * endpoint). par->model points into conf.
 */
void llmconf_params(const struct llmconf *conf, int fallback,
		    struct llm_params *par);

/*
 * What was learned of a model (fallback 0 or 1): m replaces
 * conf->models[fallback], and the entry of the model in git is updated
 * (learned: what the service said). Returns 0, or -1 with a message in
 * err when git could not be written (conf is updated all the same).
 */
int llmconf_learned(struct llmconf *conf, struct llmcache *cache,
		    int fallback, const struct llm_model *m,
		    const char *learned, struct sbuf *err);

/*
 * The settings in force, one "name: value" line each, appended to out:
 * provider, model, fallback model, endpoint, key (the variable and where
 * it was found, never the key), temperature, output limit, reply cap,
 * cache, budget. For pesq-llm --settings.
 */
void llmconf_describe(const struct llmconf *conf, int cache, struct sbuf *out);

/* Replace each occurrence of the key in sb with "[redacted]". */
void llmconf_scrub(const struct llmconf *conf, struct sbuf *sb);

/* Are prices set for the model (fallback 0) or the fallback model (1)? */
int llmconf_priced(const struct llmconf *conf, int fallback);

/* The cost of a request in the currency of the configured prices. */
double llmconf_cost(const struct llmconf *conf, int fallback,
		    long long in_tokens, long long out_tokens);

#endif
