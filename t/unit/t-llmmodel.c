/* Unit tests for lib/llm/llmmodel and the request bodies it shapes. */
#include <string.h>

#include "base/jsonl.h"
#include "llm/llm.h"
#include "llm/llmmodel.h"
#include "tap.h"

static void
test_known(void)
{
	static const struct { const char *model; int fixed; } cases[] = {
		{ "o1", 1 }, { "o1-preview", 1 }, { "o3", 1 }, { "o3-mini", 1 },
		{ "o4-mini", 1 }, { "o4-mini-2025-04-16", 1 }, { "gpt-5", 1 },
		{ "gpt-5-mini", 1 }, { "gpt-5-nano", 1 }, { "gpt-5.1", 1 },
		{ "openai/gpt-5", 1 }, { "gpt-4o", 0 }, { "gpt-4o-mini", 0 },
		{ "gpt-4.1", 0 }, { "o10", 0 }, { "o4", 0 }, { "gpt-50", 0 },
		{ "claude-sonnet-4-5", 0 }, { "qwen2.5-coder", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct llm_model m = { 0, 0 };

		is_int(llmmodel_known(cases[i].model, &m), cases[i].fixed,
		       "known: %s", cases[i].model);
		is_int(m.no_temperature, cases[i].fixed, "  temperature");
	}
}

static void
test_learn(void)
{
	static const char temp[] = "{\"error\":{\"message\":\"Unsupported "
		"value: 'temperature' does not support 0.2 with this model. "
		"Only the default (1) value is supported.\",\"type\":"
		"\"invalid_request_error\",\"param\":\"temperature\",\"code\":"
		"\"unsupported_value\"}}";
	static const char maxt[] = "{\"error\":{\"message\":\"Unsupported "
		"parameter: 'max_tokens' is not supported with this model. Use "
		"'max_completion_tokens' instead.\",\"type\":"
		"\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":"
		"\"unsupported_parameter\"}}";
	static const char other[] = "{\"error\":{\"message\":\"bad\",\"type\":"
		"\"invalid_request_error\",\"param\":\"messages\",\"code\":"
		"\"unsupported_value\"}}";
	struct llm_model m = { 0, LLM_LIMIT_MAX_TOKENS };
	struct sbuf p = SBUF_INIT, msg = SBUF_INIT, js = SBUF_INIT;

	is_int(llmmodel_learn(temp, strlen(temp), &m, &p, &msg), 1,
	       "a refused temperature is learned");
	ok(m.no_temperature && !strcmp(p.buf, "temperature") &&
	   !strncmp(msg.buf, "Unsupported value: ", 19), "  with its message");
	sbuf_reset(&p);
	is_int(llmmodel_learn(temp, strlen(temp), &m, &p, &msg), 0,
	       "  and not twice");
	is_int(llmmodel_learn(maxt, strlen(maxt), &m, &p, &msg), 1,
	       "max_tokens: the replacement named");
	is_int(m.limit, LLM_LIMIT_MAX_COMPLETION_TOKENS, "  is taken");
	is_int(llmmodel_learn(other, strlen(other), &m, &p, &msg), 0,
	       "another parameter is not learned");
	is_int(llmmodel_learn("not json", 8, &m, &p, &msg), 0,
	       "nor a body that is not JSON");
	sbuf_reset(&js);
	llmmodel_to_json(&js, "x", &m, "why");
	is_str(js.buf, "{\"model\":\"x\",\"temperature\":false,\"limit\":"
	       "\"max_completion_tokens\",\"learned\":\"why\"}\n",
	       "kept as JSON");
	m.no_temperature = 0;
	m.limit = 0;
	ok(llmmodel_from_json(js.buf, js.len, &m) == 0 && m.no_temperature &&
	   m.limit == LLM_LIMIT_MAX_COMPLETION_TOKENS, "and read back");
	sbuf_release(&p);
	sbuf_release(&msg);
	sbuf_release(&js);
}

static void
test_bodies(void)
{
	static const char line[] = "{\"m\":[{\"role\":\"user\",\"content\":"
		"\"hi\"}]}";
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct llm_params par = { LLM_OPENAI, "gpt-5", 0.2, 100, 1,
				  LLM_LIMIT_MAX_COMPLETION_TOKENS };
	struct sbuf b = SBUF_INIT;

	jsonl_parse(&rec, line, strlen(line), NULL, NULL);
	llm_request_body(&b, &par, &rec, jsonl_get(&rec, 0, "m"));
	is_str(b.buf, "{\"model\":\"gpt-5\",\"max_completion_tokens\":100,"
	       "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
	       "OpenAI's API, a reasoning model");
	sbuf_reset(&b);
	par.no_temperature = 0;
	par.limit = LLM_LIMIT_MAX_TOKENS;
	par.model = "llama3";
	llm_request_body(&b, &par, &rec, jsonl_get(&rec, 0, "m"));
	is_str(b.buf, "{\"model\":\"llama3\",\"max_tokens\":100,"
	       "\"temperature\":0.2,\"messages\":[{\"role\":\"user\","
	       "\"content\":\"hi\"}]}", "a local server");
	sbuf_reset(&b);
	par.limit = LLM_LIMIT_NONE;
	llm_request_body(&b, &par, &rec, jsonl_get(&rec, 0, "m"));
	ok(!strstr(b.buf, "max_"), "no limit sent");
	sbuf_reset(&b);
	par.no_temperature = 1;
	llm_canonical(&b, &par, &rec, jsonl_get(&rec, 0, "m"), 0);
	ok(strstr(b.buf, "\"temperature\":null") != NULL,
	   "the cache key says no temperature");
	sbuf_release(&b);
	jsonl_rec_release(&rec);
}

int
main(void)
{
	test_known();
	test_learn();
	test_bodies();
	return done_testing();
}
