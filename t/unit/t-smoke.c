#include <string.h>

#include "jsonl.h"
#include "tap.h"

int
main(void)
{
	struct jsonl_rec rec = JSONL_REC_INIT;
	struct sbuf out = SBUF_INIT, s = SBUF_INIT;
	static const char *const skip[] = { "b", NULL };
	const char *line = "{\"a\":1,\"b\":{\"c\":[1,2,\"x\\u00e9\"]},\"z\" : \"q\"}";
	struct jw w;

	ok(jsonl_parse(&rec, line, strlen(line), NULL, NULL) == 0, "parses");
	is_str(jsonl_path_str(&rec, "b.c.2", &s), "x\xc3\xa9", "path into array");
	jw_init(&w, &out);
	jw_obj(&w);
	jsonl_copy_except(&rec, &w, skip);
	jw_key(&w, "n");
	jw_num(&w, 0.1);
	jw_obj_end(&w);
	is_str(out.buf, "{\"a\":1,\"z\":\"q\",\"n\":0.1}", "copy-through");
	jw_release(&w);
	sbuf_release(&out);
	sbuf_release(&s);
	jsonl_rec_release(&rec);
	return done_testing();
}
