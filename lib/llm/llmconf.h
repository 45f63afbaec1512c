#ifndef PESQ_LLMCONF_H
#define PESQ_LLMCONF_H

#include <getopt.h>

#include "llm/llm.h"
#include "llm/llmcache.h"
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
	const char *retries, *first, *max_reply;
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
	int samples, first, jobs, retries, no_cache;
	long timeout_ms, backoff_ms;
	size_t max_reply;		/* bytes of a reply at most */
	int priced[2];			/* [0] model, [1] fallback */
	double price_in[2], price_out[2];	/* per million tokens */
};

/* The default limit on a reply's size (--max-reply-bytes). */
#define LLMCONF_MAX_REPLY ((size_t)4 << 20)

/* The default endpoints. */
#define LLMCONF_OPENAI_URL "https://api.openai.com/v1"
#define LLMCONF_ANTHROPIC_URL "https://api.anthropic.com"
#define LLMCONF_ANTHROPIC_VERSION "2023-06-01"

/* pesq-llm's options, for getopt_long. */
#define LLMCONF_SHORTOPTS "C:p:m:t:n:j:qvh"
extern const struct option llmconf_longopts[];

/*
 * Record option c (the getopt_long value; see cmd/pesq-llm.c) with its
 * argument. Returns 0, or -1 when c is not one of these options.
 */
int llmconf_option(struct llmconf_opt *o, int c, const char *arg);

/*
 * Fill conf from o, the environment (PESQ_PROVIDER, OPENAI_API_KEY,
 * ANTHROPIC_API_KEY, OPENAI_BASE_URL, ANTHROPIC_BASE_URL,
 * PESQ_LLM_BACKOFF_MS), .env files and git config (pesq.provider,
 * pesq.model, pesq.baseUrl, pesq.command, pesq.fallbackModel,
 * pesq.price.<model>.in/out) of cache's repository (NULL: global config
 * only). Returns 0, or the exit status (2: bad or missing setting, 3: I/O)
 * with a message in err that never holds a key. conf is released with
 * llmconf_release either way.
 */
int llmconf_resolve(struct llmconf *conf, const struct llmconf_opt *o,
		    struct llmcache *cache, struct sbuf *err);

void llmconf_release(struct llmconf *conf);

/* Replace each occurrence of the key in sb with "[redacted]". */
void llmconf_scrub(const struct llmconf *conf, struct sbuf *sb);

/* Are prices set for the model (fallback 0) or the fallback model (1)? */
int llmconf_priced(const struct llmconf *conf, int fallback);

/* The cost of a request in the currency of the configured prices. */
double llmconf_cost(const struct llmconf *conf, int fallback,
		    long long in_tokens, long long out_tokens);

#endif
