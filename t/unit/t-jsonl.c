/* Unit tests for lib/jsonl: reader, lookups, writer, copy-through. */
#include <stdlib.h>
#include <string.h>

#include "base/jsonl.h"
#include "tap.h"
#include "base/xalloc.h"

static struct jsonl_rec rec;

static int
parse(const char *s)
{
	return jsonl_parse(&rec, s, strlen(s), NULL, NULL);
}

/* The offset and message jsonl_parse gives for invalid s. */
static long
bad_at(const char *s, const char **msg)
{
	size_t off = 999999;

	if (jsonl_parse(&rec, s, strlen(s), &off, msg) == 0)
		return -1;
	return (long)off;
}

static void
test_valid(void)
{
	static const char *const good[] = {
		"{}", " { } ", "{\"a\":1}", "{\"a\":[]}", "{\"a\":{}}",
		"{\"a\":[1,2.5,-3e-2,0,-0.0,1E+9]}", "{\"a\":true,\"b\":false,\"c\":null}",
		"{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\"}", "{\"\":\"\"}",
		"{\"a\":1}\r", "{\"x\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
		"{\"a\" : [ { \"b\" : [ ] } , 1 ] }",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		ok(parse(good[i]) == 0, "valid: %s", good[i]);
}

static void
test_invalid(void)
{
	static const struct { const char *s; long off; } bad[] = {
		{ "", 0 },
		{ "[1]", 0 },
		{ "\"x\"", 0 },
		{ "{\"a\":1,}", 7 },
		{ "{\"a\" 1}", 5 },
		{ "{a:1}", 1 },
		{ "{\"a\":tru}", 5 },
		{ "{\"a\":truex}", 5 },
		{ "{\"a\":01}", 5 },
		{ "{\"a\":1.}", 7 },
		{ "{\"a\":-}", 6 },
		{ "{\"a\":\"x\ty\"}", 7 },
		{ "{\"a\":\"\\x\"}", 6 },
		{ "{\"a\":\"\\u12g4\"}", 6 },
		{ "{\"a\":\"\xff\"}", 6 },
		{ "{\"a\":\"\xed\xa0\x80\"}", 6 },
		{ "{\"a\":\"\xc0\xaf\"}", 6 },
		{ "{\"a\":1}x", 7 },
		{ "{\"a\":1}{}", 7 },
		{ "{\"a\":[1,2}", 9 },
		{ "{\"a\":\"open", 10 },
		{ "{\"a\":", 5 },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *msg = NULL;
		long off = bad_at(bad[i].s, &msg);

		is_int(off, bad[i].off, "invalid at offset %ld: %s (%s)",
		       bad[i].off, bad[i].s, msg ? msg : "?");
	}
	ok(jsonl_parse(&rec, "{\"a\":\"\0\"}", 9, NULL, NULL) < 0,
	   "a raw NUL is invalid");
}

static void
test_escapes(void)
{
	struct sbuf s = SBUF_INIT;

	ok(parse("{\"a\":\"q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t\"}") == 0, "escapes parse");
	jsonl_str(&rec, jsonl_get(&rec, 0, "a"), &s);
	ok(s.len == 16 && !memcmp(s.buf, "q\"b\\s/b\bf\fn\nr\rt\t", 16),
	   "every short escape decodes");
	sbuf_reset(&s);
	parse("{\"a\":\"\\u00e9\\u20AC\\ud83d\\ude00\\u0000z\"}");
	jsonl_str(&rec, 1 + 1, &s);
	ok(s.len == 2 + 3 + 4 + 1 + 1 &&
	   !memcmp(s.buf, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\0z", 11),
	   "\\u escapes, a surrogate pair and \\u0000 decode to UTF-8");
	sbuf_reset(&s);
	parse("{\"a\":\"\\ud83dx\\ude00\"}");
	jsonl_str(&rec, 2, &s);
	is_str(s.buf, "\xef\xbf\xbdx\xef\xbf\xbd", "lone surrogates become U+FFFD");
	sbuf_release(&s);
}

static void
test_lookups(void)
{
	struct sbuf s = SBUF_INIT;
	long long ll;
	double d;
	int b;

	parse("{\"fn\":\"f\",\"hot\":{\"self\":12,\"share\":0.25,"
	      "\"chain\":[\"main\",\"g\",{\"x\":[true]}]},\"k\\u0065y\":7,"
	      "\"big\":1e3,\"frac\":1.5,\"n\":null}");
	is_str(jsonl_path_str(&rec, "fn", &s), "f", "string by key");
	is_int(jsonl_path_int(&rec, "hot.self", -1), 12, "int by path");
	ok(jsonl_path_num(&rec, "hot.share", -1) == 0.25, "number by path");
	is_str(jsonl_path_str(&rec, "hot.chain.1", &s), "g", "array index in path");
	ok(jsonl_path_bool(&rec, "hot.chain.2.x.0", 0) == 1, "deep path");
	is_int(jsonl_path_int(&rec, "key", -1), 7, "escaped key matches");
	is_int(jsonl_path_int(&rec, "big", -1), 1000, "1e3 is the integer 1000");
	ok(jsonl_int(&rec, jsonl_path(&rec, "frac"), &ll) < 0, "1.5 is not an int");
	ok(jsonl_path(&rec, "nope") < 0 && jsonl_path(&rec, "hot.chain.9") < 0 &&
	   jsonl_path(&rec, "fn.x") < 0 && jsonl_path(&rec, "hot.chain.x") < 0,
	   "absent paths give -1");
	ok(jsonl_is_null(&rec, jsonl_path(&rec, "n")), "null");
	ok(jsonl_num(&rec, jsonl_path(&rec, "fn"), &d) < 0 &&
	   jsonl_bool(&rec, jsonl_path(&rec, "hot.self"), &b) < 0 &&
	   jsonl_str(&rec, jsonl_path(&rec, "hot"), &s) < 0,
	   "wrong types are refused");
	is_int(jsonl_count(&rec, jsonl_path(&rec, "hot.chain")), 3, "array count");
	is_int(jsonl_count(&rec, 0), 6, "object count");
	ok(jsonl_path_str(&rec, "absent", &s) == NULL, "absent string is NULL");
	sbuf_release(&s);
}

static void
test_big_and_deep(void)
{
	struct sbuf line = SBUF_INIT, s = SBUF_INIT;
	size_t i, depth = 100000;
	const char *msg;
	size_t off;

	sbuf_adds(&line, "{\"big\":\"");
	for (i = 0; i < (1u << 20); i++)
		sbuf_addc(&line, 'a' + (int)(i % 26));
	sbuf_adds(&line, "\",\"n\":1}");
	ok(jsonl_parse(&rec, line.buf, line.len, &off, &msg) == 0, "a 1 MiB line");
	jsonl_str(&rec, jsonl_get(&rec, 0, "big"), &s);
	ok(s.len == (1u << 20) && s.buf[(1u << 20) - 1] == 'a' + (int)(((1u << 20) - 1) % 26),
	   "its string reads back whole");
	is_int(jsonl_path_int(&rec, "n", 0), 1, "the member after it is found");

	sbuf_reset(&line);
	sbuf_adds(&line, "{\"d\":");
	for (i = 0; i < depth; i++)
		sbuf_addc(&line, '[');
	for (i = 0; i < depth; i++)
		sbuf_addc(&line, ']');
	sbuf_addc(&line, '}');
	ok(jsonl_parse(&rec, line.buf, line.len, &off, &msg) == 0,
	   "nesting 100000 deep parses");
	is_int(jsonl_skip(&rec, 2), rec.ntok, "skip crosses the whole nest");
	line.len--;
	line.buf[line.len - 1] = '}';
	ok(jsonl_parse(&rec, line.buf, line.len, &off, &msg) < 0 &&
	   off == line.len - 1, "a wrong closer deep inside is found at its offset");
	sbuf_release(&line);
	sbuf_release(&s);
}

/* The tokens are jsmn's: types, extents, sizes (a key's size is 1). */
static void
test_tokens(void)
{
	static const char line[] = "{\"a\":[1,{\"b\":[2,true]},\"s\"],\"c\":{}}";
	static const struct { jsmntype_t type; int start, end, size; } want[] = {
		{ JSMN_OBJECT, 0, 35, 2 }, { JSMN_STRING, 2, 3, 1 },
		{ JSMN_ARRAY, 5, 27, 3 }, { JSMN_PRIMITIVE, 6, 7, 0 },
		{ JSMN_OBJECT, 8, 22, 1 }, { JSMN_STRING, 10, 11, 1 },
		{ JSMN_ARRAY, 13, 21, 2 }, { JSMN_PRIMITIVE, 14, 15, 0 },
		{ JSMN_PRIMITIVE, 16, 20, 0 }, { JSMN_STRING, 24, 25, 0 },
		{ JSMN_STRING, 29, 30, 1 }, { JSMN_OBJECT, 32, 34, 0 },
	};
	size_t i, n = sizeof(want) / sizeof(*want);
	int same = 1;

	ok(parse(line) == 0 && rec.ntok == (int)n, "%d tokens", rec.ntok);
	for (i = 0; i < n && i < (size_t)rec.ntok; i++)
		same &= rec.tok[i].type == want[i].type &&
		    rec.tok[i].start == want[i].start &&
		    rec.tok[i].end == want[i].end &&
		    rec.tok[i].size == want[i].size;
	ok(same, "each token's type, extent and size");
	is_int(jsonl_path_int(&rec, "a.1.b.0", 0), 2, "a path through them");
}

static void
test_writer(void)
{
	struct sbuf out = SBUF_INIT;
	struct jw w;

	jw_init(&w, &out);
	jw_obj(&w);
	jw_key(&w, "s");
	jw_strn(&w, "q\"\\\n\t\x01\x1f\x7f\xc3\xa9\xff\xc3", 12);
	jw_key(&w, "a");
	jw_arr(&w);
	jw_int(&w, -3);
	jw_num(&w, 0.1);
	jw_num(&w, 1e300);
	jw_num(&w, 2.5e-7);
	jw_num(&w, 0.0 / 0.0);
	jw_numg(&w, 1.0 / 3.0, 4);
	jw_bool(&w, 1);
	jw_null(&w);
	jw_obj(&w);
	jw_obj_end(&w);
	jw_arr(&w);
	jw_arr_end(&w);
	jw_arr_end(&w);
	jw_key(&w, "k\"ey");
	jw_uint(&w, 18446744073709551615ULL);
	jw_obj_end(&w);
	is_str(out.buf,
	       "{\"s\":\"q\\\"\\\\\\n\\t\\u0001\\u001f\x7f\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\","
	       "\"a\":[-3,0.1,1e+300,2.5e-07,null,0.3333,true,null,{},[]],"
	       "\"k\\\"ey\":18446744073709551615}",
	       "writer escapes, replaces bad UTF-8 and places commas");
	ok(jsonl_parse(&rec, out.buf, out.len, NULL, NULL) == 0,
	   "what it writes parses");
	jw_release(&w);
	sbuf_release(&out);
}

static void
test_copy_through(void)
{
	static const char *const skip[] = { "def", "error", NULL };
	const char *in = "{\"fn\":\"f\",  \"x\" : [1 ,2],\"def\":{\"old\":1},"
			 "\"unknown\":{\"deep\":\"\\u00e9\\n\",\"n\":1.50},\"z\":-0}";
	struct sbuf out = SBUF_INIT;
	struct jw w;

	parse(in);
	jw_init(&w, &out);
	jw_obj(&w);
	jsonl_copy_except(&rec, &w, skip);
	jw_key(&w, "def");
	jw_obj(&w);
	jw_key(&w, "new");
	jw_int(&w, 2);
	jw_obj_end(&w);
	jw_obj_end(&w);
	is_str(out.buf,
	       "{\"fn\":\"f\",\"x\":[1 ,2],\"unknown\":{\"deep\":\"\\u00e9\\n\","
	       "\"n\":1.50},\"z\":-0,\"def\":{\"new\":2}}",
	       "unknown fields are copied byte for byte, owned ones replaced");
	sbuf_reset(&out);
	jsonl_error_record(&out, &rec, "deps", "'f' has no \"definition\"");
	is_str(out.buf,
	       "{\"fn\":\"f\",\"x\":[1 ,2],\"def\":{\"old\":1},\"unknown\":{\"deep\":"
	       "\"\\u00e9\\n\",\"n\":1.50},\"z\":-0,\"error\":{\"stage\":\"deps\","
	       "\"msg\":\"'f' has no \\\"definition\\\"\"}}\n",
	       "an error record keeps everything and adds error");
	jw_release(&w);
	sbuf_release(&out);
}

static void
test_reader(void)
{
	const char *text = "{\"a\":1}\n\n   \n{\"a\":\n{\"a\":3}\r\n{\"a\":4}";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct jsonl_reader r;
	struct jsonl_rec *p;

	jsonl_reader_init(&r, fp, "in.jsonl");
	is_int(jsonl_read(&r, &p), 1, "first record");
	is_int(jsonl_path_int(p, "a", 0), 1, "its value");
	is_int(jsonl_read(&r, &p), -1, "invalid line after blank lines");
	is_str(r.err.buf, "in.jsonl:4: offset 5: unexpected end of line",
	       "the message names file, line and offset");
	is_int(jsonl_read(&r, &p), 1, "the reader goes on after an error");
	is_int(jsonl_path_int(p, "a", 0), 3, "CRLF line read");
	is_int(jsonl_read(&r, &p), 1, "last line without newline");
	is_int(r.lineno, 6, "line numbers count every line");
	is_int(jsonl_read(&r, &p), 0, "end of input");
	jsonl_reader_release(&r);
	fclose(fp);
}

int
main(void)
{
	test_valid();
	test_invalid();
	test_escapes();
	test_lookups();
	test_big_and_deep();
	test_tokens();
	test_writer();
	test_copy_through();
	test_reader();
	jsonl_rec_release(&rec);
	return done_testing();
}
