#include <string.h>

#include "base/jsonl.h"
#include "llm/llmmodel.h"

static const char *const limit_names[] = {
	NULL, "max_tokens", "max_completion_tokens", "none",
};

const char *
llmmodel_limit_name(int limit)
{
	if (limit == LLM_LIMIT_MAX_TOKENS ||
	    limit == LLM_LIMIT_MAX_COMPLETION_TOKENS)
		return limit_names[limit];
	return NULL;
}

/*
 * OpenAI's reasoning models answer a temperature other than 1 with HTTP
 * 400 (unsupported_value). Families, matched as a whole name or followed
 * by '-' or '.'.
 */
static const char *const default_temperature_only[] = {
	"o1", "o3", "o4-mini", "gpt-5", NULL,
};

int
llmmodel_known(const char *model, struct llm_model *m)
{
	const char *name = strrchr(model, '/');
	const char *const *f;

	name = name ? name + 1 : model;
	for (f = default_temperature_only; *f; f++) {
		size_t n = strlen(*f);

		if (!strncmp(name, *f, n) &&
		    (!name[n] || name[n] == '-' || name[n] == '.')) {
			m->no_temperature = 1;
			return 1;
		}
	}
	return 0;
}

/* The limit field named by s[0..n), or -1. */
static int
limit_of(const char *s, size_t n)
{
	int i;

	for (i = LLM_LIMIT_MAX_TOKENS; i < LLM_LIMIT_NONE; i++)
		if (strlen(limit_names[i]) == n &&
		    !memcmp(limit_names[i], s, n))
			return i;
	return -1;
}

/* The x of "Use 'x' instead" in msg, as a limit field, or -1. */
static int
replacement(const char *msg)
{
	const char *p = strstr(msg, "Use '"), *q;

	if (!p)
		return -1;
	p += 5;
	if (!(q = strchr(p, '\'')) || strncmp(q, "' instead", 9))
		return -1;
	return limit_of(p, (size_t)(q - p));
}

int
llmmodel_learn(const char *body, size_t len, struct llm_model *m,
	       struct sbuf *param, struct sbuf *msg)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct sbuf code = SBUF_INIT, p = SBUF_INIT, text = SBUF_INIT;
	struct llm_model was = *m;
	int lim, changed = 0;

	if (jsonl_parse(&rec, body, len, NULL, NULL) < 0)
		goto out;
	if (!jsonl_path_str(&rec, "error.code", &code) ||
	    (strcmp(code.buf, "unsupported_parameter") &&
	     strcmp(code.buf, "unsupported_value")) ||
	    !jsonl_path_str(&rec, "error.param", &p))
		goto out;
	jsonl_path_str(&rec, "error.message", &text);
	if (!strcmp(p.buf, "temperature")) {
		m->no_temperature = 1;
	} else if ((lim = limit_of(p.buf, p.len)) > 0) {
		int to = replacement(text.buf);

		m->limit = to > 0 && to != lim ? to : LLM_LIMIT_NONE;
	} else {
		goto out;
	}
	changed = m->no_temperature != was.no_temperature ||
	    m->limit != was.limit;
	if (changed) {
		sbuf_add(param, p.buf, p.len);
		sbuf_add(msg, text.buf, text.len);
	}
out:
	jsonl_rec_release(&rec);
	sbuf_release(&code);
	sbuf_release(&p);
	sbuf_release(&text);
	return changed;
}

void
llmmodel_to_json(struct sbuf *out, const char *model,
		 const struct llm_model *m, const char *learned)
{
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "model");
	jw_str(&w, model);
	if (m->no_temperature) {
		jw_key(&w, "temperature");
		jw_bool(&w, 0);
	}
	if (m->limit != LLM_LIMIT_DEFAULT) {
		jw_key(&w, "limit");
		jw_str(&w, limit_names[m->limit]);
	}
	if (learned) {
		jw_key(&w, "learned");
		jw_str(&w, learned);
	}
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
}

int
llmmodel_from_json(const char *s, size_t len, struct llm_model *m)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct sbuf v = SBUF_INIT;
	int t, ret = -1;

	if (jsonl_parse(&rec, s, len, NULL, NULL) < 0 ||
	    !jsonl_is_string(&rec, jsonl_get(&rec, 0, "model")))
		goto out;
	if (jsonl_bool(&rec, jsonl_get(&rec, 0, "temperature"), &t) == 0 &&
	    !t)
		m->no_temperature = 1;
	if (jsonl_path_str(&rec, "limit", &v)) {
		int lim = !strcmp(v.buf, "none") ? LLM_LIMIT_NONE :
		    limit_of(v.buf, v.len);

		if (lim > 0)
			m->limit = lim;
	}
	ret = 0;
out:
	jsonl_rec_release(&rec);
	sbuf_release(&v);
	return ret;
}
