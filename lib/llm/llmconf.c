#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/dotenv.h"
#include "base/version.h"
#include "llm/http.h"
#include "llm/llmconf.h"
#include "base/xalloc.h"

const struct option llmconf_longopts[] = {
	{ "provider", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "base-url", required_argument, NULL, 'B' },
	{ "command", required_argument, NULL, 'c' },
	{ "temperature", required_argument, NULL, 't' },
	{ "max-output-tokens", required_argument, NULL, 'M' },
	{ "samples", required_argument, NULL, 'n' },
	{ "first-sample", required_argument, NULL, 'S' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "retries", required_argument, NULL, 'R' },
	{ "fallback-model", required_argument, NULL, 'F' },
	{ "no-cache", no_argument, NULL, 'N' },
	{ "max-reply-bytes", required_argument, NULL, 'Y' },
	{ "budget", required_argument, NULL, 'U' },
	{ "spent", required_argument, NULL, 'W' },
	{ "check", no_argument, NULL, LLMCONF_CHECK },
	{ "settings", no_argument, NULL, LLMCONF_SETTINGS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	PESQ_LONGOPTS_END
};

int
llmconf_option(struct llmconf_opt *o, int c, const char *arg)
{
	switch (c) {
	case 'p': o->provider = arg; break;
	case 'm': o->model = arg; break;
	case 'B': o->base_url = arg; break;
	case 'c': o->command = arg; break;
	case 't': o->temperature = arg; break;
	case 'M': o->max_tokens = arg; break;
	case 'n': o->samples = arg; break;
	case 'S': o->first = arg; break;
	case 'j': o->jobs = arg; break;
	case 'T': o->timeout = arg; break;
	case 'R': o->retries = arg; break;
	case 'F': o->fallback = arg; break;
	case 'N': o->no_cache = 1; break;
	case 'Y': o->max_reply = arg; break;
	case 'U': o->budget = arg; break;
	case 'W': o->spent = arg; break;
	default: return -1;
	}
	return 0;
}

static int
num(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return end == s || *end || errno || !isfinite(*out) || *out < lo ||
	    *out > hi ? -1 : 0;
}

/* An option's value, else a non-empty environment variable, else config. */
static char *
setting(struct llmcache *c, const char *opt, const char *env,
	const char *key)
{
	struct sbuf sb = SBUF_INIT;
	const char *v;

	if (opt)
		return xstrdup(opt);
	if (env && (v = getenv(env)) && *v)
		return xstrdup(v);
	if (key && llmcache_config(c, key, &sb) > 0)
		return sbuf_detach(&sb, NULL);
	sbuf_release(&sb);
	return NULL;
}

/*
 * A variable (a key, a base URL) from the environment, ./.env or the work
 * tree's .env; where it was found goes to *from (when not NULL).
 */
static char *
key_of(struct llmcache *c, const char *name, struct sbuf *err, char **from)
{
	struct sbuf sb = SBUF_INIT, path = SBUF_INIT;
	const char *v = getenv(name), *wd = llmcache_workdir(c);
	int r;

	if (v && *v) {
		if (from)
			*from = xstrdup("the environment");
		return xstrdup(v);
	}
	sbuf_adds(&path, ".env");
	r = dotenv_get(path.buf, name, &sb);
	if (r < 0)
		sbuf_addf(err, "cannot read '.env': %s", strerror(errno));
	if (!r && wd) {
		sbuf_reset(&path);
		sbuf_addf(&path, "%s.env", wd);
		r = dotenv_get(path.buf, name, &sb);
		if (r < 0)
			sbuf_addf(err, "cannot read '%s': %s", path.buf,
				  strerror(errno));
	}
	if (r <= 0 || !sb.len) {
		sbuf_release(&sb);
		sbuf_release(&path);
		return NULL;
	}
	if (from)
		*from = sbuf_detach(&path, NULL);
	sbuf_release(&path);
	return sbuf_detach(&sb, NULL);
}

/*
 * What is known and was learned of model (into *m): the table, then its
 * entry in git, when there is one that reads.
 */
static void
model_of(struct llmcache *c, const char *model, struct llm_model *m)
{
	struct sbuf v = SBUF_INIT, e = SBUF_INIT;

	memset(m, 0, sizeof(*m));
	llmmodel_known(model, m);
	if (c && llmcache_model_get(c, model, &v, &e) > 0)
		llmmodel_from_json(v.buf, v.len, m);
	sbuf_release(&v);
	sbuf_release(&e);
}

static void
price(struct llmconf *conf, struct llmcache *c, int i, const char *model)
{
	struct sbuf k = SBUF_INIT, v = SBUF_INIT;
	double in = 0, out = 0;
	int have = 0;

	sbuf_addf(&k, "pesq.price.%s.in", model);
	if (llmcache_config(c, k.buf, &v) > 0 && !num(v.buf, 0, 1e9, &in))
		have = 1;
	sbuf_reset(&k);
	sbuf_reset(&v);
	sbuf_addf(&k, "pesq.price.%s.out", model);
	if (llmcache_config(c, k.buf, &v) > 0 && !num(v.buf, 0, 1e9, &out))
		have = 1;
	conf->priced[i] = have;
	conf->price_in[i] = in;
	conf->price_out[i] = out;
	sbuf_release(&k);
	sbuf_release(&v);
}

static const char *const default_model[] = {
	LLMCONF_OPENAI_MODEL, LLMCONF_ANTHROPIC_MODEL, "command", NULL,
};

static void
add_header(struct llmconf *conf, int *n, const char *fmt, const char *v)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, fmt, v);
	conf->headers = xreallocarray(conf->headers, *n + 2,
				      sizeof(*conf->headers));
	conf->headers[(*n)++] = sbuf_detach(&sb, NULL);
	conf->headers[*n] = NULL;
}

static int
numbers(struct llmconf *conf, const struct llmconf_opt *o, struct sbuf *err)
{
	const char *bo = getenv("PESQ_LLM_BACKOFF_MS");
	double d;

	conf->params.temperature = 0.2;
	conf->samples = 1;
	conf->jobs = 4;
	conf->retries = 3;
	conf->timeout_ms = 300000;
	conf->backoff_ms = 1000;
	conf->max_reply = LLMCONF_MAX_REPLY;
#define OPT(s, lo, hi, name, set) \
	if (s) { \
		if (num(s, lo, hi, &d) < 0) { \
			sbuf_addf(err, "invalid " name " '%s'", s); \
			return 2; \
		} \
		set; \
	}
	OPT(o->temperature, 0, 2, "--temperature",
	    conf->params.temperature = d)
	OPT(o->max_tokens, 1, 1e9, "--max-output-tokens",
	    conf->params.max_tokens = (long)d)
	OPT(o->samples, 1, 1000, "--samples", conf->samples = (int)d)
	OPT(o->first, 0, 1e6, "--first-sample", conf->first = (int)d)
	OPT(o->jobs, 1, 1000, "--jobs", conf->jobs = (int)d)
	OPT(o->timeout, 0.001, 1e6, "--timeout",
	    conf->timeout_ms = (long)(d * 1000 + 0.5))
	OPT(o->retries, 0, 100, "--retries", conf->retries = (int)d)
	OPT(o->max_reply, 1, 1e12, "--max-reply-bytes",
	    conf->max_reply = (size_t)d)
	OPT(o->budget, 1, 1e15, "--budget", conf->budget = (long long)d)
	OPT(bo, 0, 3600000, "PESQ_LLM_BACKOFF_MS", conf->backoff_ms = (long)d)
#undef OPT
	return 0;
}

int
llmconf_resolve(struct llmconf *conf, const struct llmconf_opt *o,
		struct llmcache *c, struct sbuf *err)
{
	char *prov = setting(c, o->provider, "PESQ_PROVIDER", "pesq.provider");
	char *okey = NULL, *akey = NULL, *base, *obase = NULL, *abase = NULL;
	char *ofrom = NULL, *afrom = NULL;
	int p, n = 0, ret;

	memset(conf, 0, sizeof(*conf));
	if ((ret = numbers(conf, o, err)))
		goto out;
	conf->no_cache = o->no_cache;
	okey = key_of(c, "OPENAI_API_KEY", err, &ofrom);
	akey = key_of(c, "ANTHROPIC_API_KEY", err, &afrom);
	obase = key_of(c, "OPENAI_BASE_URL", err, NULL);
	abase = key_of(c, "ANTHROPIC_BASE_URL", err, NULL);
	if (o->spent)
		conf->spent = xstrdup(o->spent);
	if (err->len) {
		ret = 3;
		goto out;
	}
	base = setting(c, o->base_url, NULL, "pesq.baseUrl");
	if (prov) {
		p = llm_provider_parse(prov);
	} else if (okey) {
		p = LLM_OPENAI;
	} else if (akey) {
		p = LLM_ANTHROPIC;
	} else if (base || obase) {
		p = LLM_OPENAI;
	} else {
		sbuf_adds(err, "no provider: set OPENAI_API_KEY or "
			  "ANTHROPIC_API_KEY (in the environment or .env), "
			  "OPENAI_BASE_URL for a local server, or choose one "
			  "with --provider or 'git config pesq.provider'");
		ret = 2;
		goto out_base;
	}
	if (p < 0) {
		sbuf_addf(err, "unknown provider '%s' (openai, anthropic, "
			  "command or replay)", prov);
		ret = 2;
		goto out_base;
	}
	conf->params.provider = p;
	if (!base && p < LLM_COMMAND) {
		base = p == LLM_OPENAI ? obase : abase;
		if (p == LLM_OPENAI)
			obase = NULL;
		else
			abase = NULL;
	}
	conf->model = setting(c, o->model, NULL, "pesq.model");
	if (!conf->model && default_model[p])
		conf->model = xstrdup(default_model[p]);
	if (!conf->model) {
		sbuf_adds(err, "provider 'replay' needs the model of the "
			  "cached replies: --model or 'git config pesq.model'");
		ret = 2;
		goto out_base;
	}
	conf->params.model = conf->model;
	conf->fallback = setting(c, o->fallback, NULL, "pesq.fallbackModel");
	price(conf, c, 0, conf->model);
	model_of(c, conf->model, &conf->models[0]);
	if (conf->fallback) {
		price(conf, c, 1, conf->fallback);
		model_of(c, conf->fallback, &conf->models[1]);
	}
	if (p == LLM_COMMAND) {
		conf->command = setting(c, o->command, NULL, "pesq.command");
		if (!conf->command) {
			sbuf_adds(err, "provider 'command' needs a command: "
				  "--command or 'git config pesq.command'");
			ret = 2;
		}
		goto out_base;
	}
	if (p == LLM_REPLAY)
		goto out_base;
	if (p == LLM_OPENAI) {
		conf->key = okey;
		conf->key_from = ofrom;
		okey = ofrom = NULL;
		if (!conf->key && !base) {
			sbuf_adds(err, "provider 'openai' needs OPENAI_API_KEY "
				  "(in the environment or .env), or "
				  "OPENAI_BASE_URL for a local server");
			ret = 2;
			goto out_base;
		}
	} else {
		conf->key = akey;
		conf->key_from = afrom;
		akey = afrom = NULL;
		if (!conf->key) {
			sbuf_adds(err, "provider 'anthropic' needs "
				  "ANTHROPIC_API_KEY (in the environment or "
				  ".env)");
			ret = 2;
			goto out_base;
		}
	}
	{
		struct sbuf u = SBUF_INIT, hp = SBUF_INIT;
		const char *b = base ? base : p == LLM_OPENAI ?
		    LLMCONF_OPENAI_URL : LLMCONF_ANTHROPIC_URL;
		size_t bl = strlen(b);

		while (bl && b[bl - 1] == '/')
			bl--;
		sbuf_add(&u, b, bl);
		sbuf_adds(&u, p == LLM_OPENAI ? "/chat/completions" :
			  "/v1/messages");
		conf->url = sbuf_detach(&u, NULL);
		http_hostport(conf->url, &hp);
		conf->hostport = sbuf_detach(&hp, NULL);
		conf->official = p == LLM_OPENAI &&
		    !strcmp(conf->hostport, LLMCONF_OPENAI_HOST);
	}
	add_header(conf, &n, "%s", "Content-Type: application/json");
	if (p == LLM_ANTHROPIC) {
		add_header(conf, &n, "anthropic-version: %s",
			   LLMCONF_ANTHROPIC_VERSION);
		add_header(conf, &n, "x-api-key: %s", conf->key);
	} else if (conf->key) {
		add_header(conf, &n, "Authorization: Bearer %s", conf->key);
	}
out_base:
	free(base);
out:
	free(prov);
	free(okey);
	free(akey);
	free(obase);
	free(abase);
	free(ofrom);
	free(afrom);
	return ret;
}

static void
wipe_free(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

void
llmconf_release(struct llmconf *conf)
{
	char **h;

	free(conf->model);
	free(conf->fallback);
	free(conf->command);
	free(conf->url);
	free(conf->hostport);
	for (h = conf->headers; h && *h; h++)
		wipe_free(*h);
	free(conf->headers);
	wipe_free(conf->key);
	free(conf->key_from);
	free(conf->spent);
	memset(conf, 0, sizeof(*conf));
}

void
llmconf_scrub(const struct llmconf *conf, struct sbuf *sb)
{
	struct sbuf out = SBUF_INIT;
	size_t kl, i;
	char *p;

	if (!conf->key || !(kl = strlen(conf->key)) || !sb->len ||
	    !memmem(sb->buf, sb->len, conf->key, kl))
		return;
	for (i = 0; i < sb->len; ) {
		p = memmem(sb->buf + i, sb->len - i, conf->key, kl);
		if (!p) {
			sbuf_add(&out, sb->buf + i, sb->len - i);
			break;
		}
		sbuf_add(&out, sb->buf + i, p - (sb->buf + i));
		sbuf_adds(&out, "[redacted]");
		i = p - sb->buf + kl;
	}
	memset(sb->buf, 0, sb->len);
	sbuf_release(sb);
	*sb = out;
}

int
llmconf_priced(const struct llmconf *conf, int fallback)
{
	return conf->priced[fallback != 0];
}

double
llmconf_cost(const struct llmconf *conf, int fallback, long long in_tokens,
	     long long out_tokens)
{
	int i = fallback != 0;

	return (in_tokens * conf->price_in[i] +
		out_tokens * conf->price_out[i]) / 1e6;
}

void
llmconf_params(const struct llmconf *conf, int fallback,
	       struct llm_params *par)
{
	const struct llm_model *m = &conf->models[fallback != 0];

	*par = conf->params;
	par->model = fallback ? conf->fallback : conf->model;
	par->no_temperature = m->no_temperature;
	par->limit = m->limit != LLM_LIMIT_DEFAULT ? m->limit :
	    conf->official ? LLM_LIMIT_MAX_COMPLETION_TOKENS :
	    LLM_LIMIT_MAX_TOKENS;
}

int
llmconf_learned(struct llmconf *conf, struct llmcache *cache, int fallback,
		const struct llm_model *m, const char *learned,
		struct sbuf *err)
{
	const char *model = fallback ? conf->fallback : conf->model;
	struct llm_model all;
	struct sbuf v = SBUF_INIT;
	int ret = 0;

	conf->models[fallback != 0] = *m;
	if (!cache)
		return 0;
	/* what another process learned meanwhile stays */
	model_of(cache, model, &all);
	if (m->no_temperature)
		all.no_temperature = 1;
	if (m->limit != LLM_LIMIT_DEFAULT)
		all.limit = m->limit;
	llmmodel_to_json(&v, model, &all, learned);
	ret = llmcache_model_put(cache, model, v.buf, err);
	sbuf_release(&v);
	return ret;
}

void
llmconf_describe(const struct llmconf *conf, int cache, struct sbuf *out)
{
	struct llm_params par;
	const char *lim;

	llmconf_params(conf, 0, &par);
	lim = llmmodel_limit_name(par.limit);
	sbuf_addf(out, "provider: %s\n", llm_provider_name(par.provider));
	sbuf_addf(out, "model: %s\n", conf->model);
	if (conf->fallback)
		sbuf_addf(out, "fallback model: %s\n", conf->fallback);
	if (conf->url)
		sbuf_addf(out, "endpoint: %s\n", conf->url);
	if (conf->command)
		sbuf_addf(out, "command: %s\n", conf->command);
	if (par.provider == LLM_OPENAI || par.provider == LLM_ANTHROPIC)
		sbuf_addf(out, "key: %s%s%s\n", par.provider == LLM_OPENAI ?
			  "OPENAI_API_KEY" : "ANTHROPIC_API_KEY",
			  conf->key ? " from " : " not set",
			  conf->key ? conf->key_from : "");
	if (par.no_temperature)
		sbuf_addf(out, "temperature: not sent (the model takes only "
			  "its own)\n");
	else
		sbuf_addf(out, "temperature: %g\n", par.temperature);
	if (par.provider == LLM_ANTHROPIC)
		sbuf_addf(out, "output limit: max_tokens %ld\n",
			  par.max_tokens > 0 ? par.max_tokens :
			  LLM_ANTHROPIC_MAX_TOKENS);
	else if (par.provider == LLM_OPENAI && par.max_tokens > 0 && lim)
		sbuf_addf(out, "output limit: %s %ld\n", lim, par.max_tokens);
	else if (par.provider == LLM_OPENAI && lim)
		sbuf_addf(out, "output limit: none (--max-output-tokens would "
			  "be sent as %s)\n", lim);
	else
		sbuf_addf(out, "output limit: none\n");
	sbuf_addf(out, "reply cap: %zu bytes\n", conf->max_reply);
	sbuf_addf(out, "cache: %s\n", !cache ? "none (not in a git "
		  "repository)" : conf->no_cache ? "not used (--no-cache)" :
		  LLMCACHE_REF);
	if (conf->budget)
		sbuf_addf(out, "budget: %lld tokens%s%s\n", conf->budget,
			  conf->spent ? ", counted in " : "",
			  conf->spent ? conf->spent : "");
}
