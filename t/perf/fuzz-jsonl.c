/*
 * libFuzzer target for the JSON-lines reader: any bytes must parse or be
 * rejected with an offset inside the input, never crash; whatever parses
 * must survive every lookup, its tokens must be exactly those jsmn_parse
 * makes of it, and copying it through the writer must give text that
 * parses again to the same members.
 *
 *	make fuzz FUZZ_SECONDS=600
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* jsonl_parse makes the tokens jsmn would (jsmn is quadratic in depth). */
static void
same_as_jsmn(const struct jsonl_rec *rec)
{
	jsmntok_t *t = calloc((size_t)rec->ntok + 1, sizeof(*t));
	jsmn_parser p;
	int i, r;

	if (!t)
		abort();
	jsmn_init(&p);
	r = jsmn_parse(&p, rec->buf, rec->len, t, (unsigned)rec->ntok + 1);
	if (r != rec->ntok)
		abort();
	for (i = 0; i < r; i++)
		if (t[i].type != rec->tok[i].type ||
		    t[i].start != rec->tok[i].start ||
		    t[i].end != rec->tok[i].end || t[i].size != rec->tok[i].size)
			abort();
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct jsonl_rec rec, again;
	struct sbuf out = SBUF_INIT, s = SBUF_INIT;
	const char *msg;
	size_t off;
	struct jw w;
	int i;

	if (jsonl_parse(&rec, (const char *)data, size, &off, &msg) < 0) {
		if (off > size)
			abort();
		return 0;
	}
	same_as_jsmn(&rec);
	for (i = 0; i < rec.ntok; i++) {
		double d;
		long long ll;
		int b;

		sbuf_reset(&s);
		jsonl_str(&rec, i, &s);
		jsonl_num(&rec, i, &d);
		jsonl_int(&rec, i, &ll);
		jsonl_bool(&rec, i, &b);
		jsonl_count(&rec, i);
		if (jsonl_skip(&rec, i) <= i)
			abort();
	}
	jsonl_path(&rec, "a.0.b");
	jw_init(&w, &out);
	jw_obj(&w);
	jsonl_copy_except(&rec, &w, NULL);
	jw_key(&w, "s");
	jw_strn(&w, (const char *)data, size);
	jw_obj_end(&w);
	if (jsonl_parse(&again, out.buf, out.len, &off, &msg) < 0)
		abort();
	if (again.tok[0].size != rec.tok[0].size + 1)
		abort();
	jw_release(&w);
	sbuf_release(&out);
	sbuf_release(&s);
	return 0;
}
