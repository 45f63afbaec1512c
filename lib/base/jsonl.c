/*
 * JSON Lines reading and writing. jsmn's implementation is compiled here
 * and only here (every other file sees its declarations, JSMN_HEADER);
 * the reader makes jsmn's tokens itself (see tokenize), and jsmn_parse
 * is kept for the fuzzer to compare against.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#undef JSMN_HEADER
#define JSMN_STRICT
#include <jsmn.h>

#include "base/jsonl.h"
#include "base/notjson.h"
#include "base/xalloc.h"

/*
 * jsmn tokenizes but accepts much that is not JSON (bare words, raw
 * control characters, trailing commas in places, bad UTF-8), and finding
 * the container a ']' or '}' closes, it walks back over the tokens it has
 * made: quadratic in the nesting depth (a line of 160000 '[' and as many
 * ']' took 8.5 s). tokenize() below checks the whole grammar and makes
 * jsmn's tokens itself in one pass, with a stack of the open containers,
 * so that time is linear in the line whatever its nesting (memory: one
 * token and one stack entry per value). The tokens are exactly those
 * jsmn would make of the same valid text (type, start, end, size; a key's
 * size is 1): t/perf/fuzz-jsonl.c checks that against jsmn_parse.
 */
enum vstate { V_VALUE, V_OBJ_FIRST, V_OBJ_KEY, V_COLON, V_ARR_FIRST, V_AFTER };

static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int
ishex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

/* Check a string starting at the quote s[*i]; leave *i past the quote. */
static const char *
vstring(const unsigned char *s, size_t n, size_t *i)
{
	size_t p = *i + 1, k;

	while (p < n) {
		unsigned c = s[p];

		if (c == '"') {
			*i = p + 1;
			return NULL;
		}
		if (c < 0x20) {
			*i = p;
			return "control character in string";
		}
		if (c == '\\') {
			if (p + 1 >= n)
				break;
			c = s[p + 1];
			if (c == 'u') {
				for (k = 0; k < 4; k++) {
					if (p + 2 + k >= n || !ishex(s[p + 2 + k])) {
						*i = p;
						return "bad \\u escape";
					}
				}
				p += 6;
			} else if (strchr("\"\\/bfnrt", (int)c) && c) {
				p += 2;
			} else {
				*i = p;
				return "bad escape in string";
			}
			continue;
		}
		if (c >= 0x80) {
			k = utf8_seq(s + p, n - p);
			if (!k) {
				*i = p;
				return "invalid UTF-8";
			}
			p += k;
			continue;
		}
		p++;
	}
	*i = n;
	return "unterminated string";
}

static const char *
vnumber(const unsigned char *s, size_t n, size_t *i)
{
	size_t p = *i;

	if (p < n && s[p] == '-')
		p++;
	if (p < n && s[p] == '0') {
		p++;
	} else if (p < n && isdig(s[p])) {
		while (p < n && isdig(s[p]))
			p++;
	} else {
		*i = p;
		return "bad number";
	}
	if (p < n && s[p] == '.') {
		p++;
		if (p >= n || !isdig(s[p])) {
			*i = p;
			return "bad number";
		}
		while (p < n && isdig(s[p]))
			p++;
	}
	if (p < n && (s[p] == 'e' || s[p] == 'E')) {
		p++;
		if (p < n && (s[p] == '+' || s[p] == '-'))
			p++;
		if (p >= n || !isdig(s[p])) {
			*i = p;
			return "bad number";
		}
		while (p < n && isdig(s[p]))
			p++;
	}
	*i = p;
	return NULL;
}

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A new token of type at start; its index, or -1 past INT32_MAX tokens. */
static int
newtok(struct jsonl_rec *rec, jsmntype_t type, size_t start)
{
	jsmntok_t *t;

	if (rec->ntok == INT32_MAX)
		return -1;
	XGROW(rec->tok, (size_t)rec->ntok + 1, rec->tokcap);
	t = &rec->tok[rec->ntok];
	t->type = type;
	t->start = (int)start;
	t->end = -1;
	t->size = 0;
	return rec->ntok++;
}

/*
 * Check s[0..n) against the grammar of a JSON object and make its tokens
 * in rec->tok (rec->ntok of them). Returns NULL, or what is wrong with
 * *off the offset where it was found.
 */
static const char *
tokenize(struct jsonl_rec *rec, const unsigned char *s, size_t n, size_t *off)
{
	int *stack = NULL;	/* the open containers' tokens */
	size_t depth = 0, cap = 0, i = 0, vstart = 0, p;
	enum vstate st = V_VALUE;
	const char *msg = NULL;
	int t;

	rec->ntok = 0;
	for (;;) {
		while (i < n && isws(s[i]))
			i++;
		if (st == V_AFTER && depth == 0) {
			if (i < n)
				msg = "trailing characters after the object";
			break;
		}
		if (i >= n) {
			msg = "unexpected end of line";
			break;
		}
		switch (st) {
		case V_OBJ_FIRST:
			if (s[i] == '}') {
				rec->tok[stack[--depth]].end = (int)++i;
				st = V_AFTER;
				break;
			}
			/* fall through */
		case V_OBJ_KEY:
			if (s[i] != '"') {
				msg = "expected a string key";
				goto out;
			}
			p = i;
			if ((msg = vstring(s, n, &i)))
				goto out;
			if ((t = newtok(rec, JSMN_STRING, p + 1)) < 0)
				goto too_many;
			rec->tok[t].end = (int)(i - 1);
			rec->tok[stack[depth - 1]].size++;
			st = V_COLON;
			break;
		case V_COLON:
			if (s[i] != ':') {
				msg = "expected ':'";
				goto out;
			}
			i++;
			/* the key holds the value, as in jsmn */
			rec->tok[rec->ntok - 1].size = 1;
			st = V_VALUE;
			break;
		case V_ARR_FIRST:
			if (s[i] == ']') {
				rec->tok[stack[--depth]].end = (int)++i;
				st = V_AFTER;
				break;
			}
			/* fall through */
		case V_VALUE:
			if (depth == 0 && s[i] != '{') {
				msg = "a record must be a JSON object";
				goto out;
			}
			if (depth && rec->tok[stack[depth - 1]].type == JSMN_ARRAY)
				rec->tok[stack[depth - 1]].size++;
			vstart = i;
			if (s[i] == '{' || s[i] == '[') {
				t = newtok(rec, s[i] == '{' ? JSMN_OBJECT :
					   JSMN_ARRAY, i);
				if (t < 0)
					goto too_many;
				XGROW(stack, depth + 1, cap);
				stack[depth++] = t;
				st = s[i] == '{' ? V_OBJ_FIRST : V_ARR_FIRST;
				i++;
				break;
			}
			if (s[i] == '"') {
				if ((msg = vstring(s, n, &i)))
					goto out;
				if ((t = newtok(rec, JSMN_STRING, vstart + 1)) < 0)
					goto too_many;
				rec->tok[t].end = (int)(i - 1);
				st = V_AFTER;
				break;
			}
			if (s[i] == '-' || isdig(s[i])) {
				if ((msg = vnumber(s, n, &i)))
					goto out;
			} else if (n - i >= 4 && !memcmp(s + i, "true", 4)) {
				i += 4;
			} else if (n - i >= 5 && !memcmp(s + i, "false", 5)) {
				i += 5;
			} else if (n - i >= 4 && !memcmp(s + i, "null", 4)) {
				i += 4;
			} else {
				msg = "expected a value";
				goto out;
			}
			/* a literal or number must end at a delimiter */
			if (i < n && !isws(s[i]) && !strchr(",]}", s[i])) {
				i = vstart;
				msg = "bad literal";
				goto out;
			}
			if ((t = newtok(rec, JSMN_PRIMITIVE, vstart)) < 0)
				goto too_many;
			rec->tok[t].end = (int)i;
			st = V_AFTER;
			break;
		case V_AFTER:
			if (s[i] == ',') {
				i++;
				st = rec->tok[stack[depth - 1]].type ==
				    JSMN_OBJECT ? V_OBJ_KEY : V_VALUE;
			} else if (s[i] == (rec->tok[stack[depth - 1]].type ==
					    JSMN_OBJECT ? '}' : ']')) {
				rec->tok[stack[--depth]].end = (int)++i;
			} else {
				msg = rec->tok[stack[depth - 1]].type ==
				    JSMN_OBJECT ? "expected ',' or '}'" :
				    "expected ',' or ']'";
				goto out;
			}
			break;
		}
	}
	goto out;
too_many:
	i = vstart;
	msg = "too many values in one line";
out:
	free(stack);
	*off = i;
	if (msg)
		rec->ntok = 0;
	return msg;
}

int
jsonl_parse(struct jsonl_rec *rec, const char *s, size_t len,
	    size_t *erroff, const char **errmsg)
{
	const char *msg;
	size_t off;

	if (len > INT32_MAX - 1) {
		off = 0;
		msg = "line too long (2 GiB or more)";
	} else {
		msg = tokenize(rec, (const unsigned char *)s, len, &off);
	}
	if (msg) {
		free(rec->buf);
		rec->buf = NULL;
		rec->len = 0;
		rec->ntok = 0;
		if (erroff)
			*erroff = off;
		if (errmsg)
			*errmsg = msg;
		return -1;
	}
	free(rec->buf);
	rec->buf = xmemdupz(s, len);
	rec->len = len;
	return 0;
}

void
jsonl_rec_release(struct jsonl_rec *rec)
{
	free(rec->buf);
	free(rec->tok);
	memset(rec, 0, sizeof(*rec));
}

void
jsonl_reader_init(struct jsonl_reader *r, FILE *fp, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->name = name;
	sbuf_init(&r->line, 0);
	sbuf_init(&r->err, 0);
}

void
jsonl_reader_release(struct jsonl_reader *r)
{
	sbuf_release(&r->line);
	sbuf_release(&r->err);
	jsonl_rec_release(&r->rec);
}

int
jsonl_read(struct jsonl_reader *r, struct jsonl_rec **rec)
{
	const char *msg;
	size_t off, i;
	int got;

	if (r->stop)
		return 0;
	for (;;) {
		got = sbuf_getline(&r->line, r->fp);
		if (got < 0)
			return -2;
		if (got == 0)
			return 0;
		r->lineno++;
		for (i = 0; i < r->line.len && isws(r->line.buf[i]); i++)
			;
		if (i < r->line.len)
			break;
	}
	r->nonblank++;
	if (jsonl_parse(&r->rec, r->line.buf, r->line.len, &off, &msg) < 0) {
		const char *kind = notjson_kind(r->line.buf, r->line.len,
						r->nonblank == 1);

		sbuf_reset(&r->err);
		if (kind) {
			r->stop = 1;
			sbuf_addf(&r->err, "%s:%lu: %s, not JSON lines: rest "
				  "of input skipped", r->name, r->lineno, kind);
		} else {
			sbuf_addf(&r->err, "%s:%lu: offset %zu: %s", r->name,
				  r->lineno, off, msg);
		}
		return -1;
	}
	*rec = &r->rec;
	return 1;
}

int
jsonl_skip(const struct jsonl_rec *rec, int tok)
{
	int end, j;

	if (tok < 0 || tok >= rec->ntok)
		return rec->ntok;
	end = rec->tok[tok].end;
	for (j = tok + 1; j < rec->ntok && rec->tok[j].start < end; j++)
		;
	return j;
}

static int
rawkey_eq(const struct jsonl_rec *rec, int tok, const char *key, size_t klen)
{
	const jsmntok_t *t = &rec->tok[tok];
	size_t n = (size_t)(t->end - t->start);
	const char *p = rec->buf + t->start;

	if (!memchr(p, '\\', n))
		return n == klen && !memcmp(p, key, klen);
	return jsonl_streq(rec, tok, key);
}

static int
get_n(const struct jsonl_rec *rec, int obj, const char *key, size_t klen)
{
	int i, k, n;

	if (obj < 0 || obj >= rec->ntok || rec->tok[obj].type != JSMN_OBJECT)
		return -1;
	n = rec->tok[obj].size;
	for (i = obj + 1, k = 0; k < n; k++) {
		if (rawkey_eq(rec, i, key, klen))
			return i + 1;
		i = jsonl_skip(rec, i + 1);
	}
	return -1;
}

int
jsonl_get(const struct jsonl_rec *rec, int obj, const char *key)
{
	return get_n(rec, obj, key, strlen(key));
}

int
jsonl_at(const struct jsonl_rec *rec, int arr, int idx)
{
	int i, k;

	if (arr < 0 || arr >= rec->ntok || rec->tok[arr].type != JSMN_ARRAY ||
	    idx < 0 || idx >= rec->tok[arr].size)
		return -1;
	for (i = arr + 1, k = 0; k < idx; k++)
		i = jsonl_skip(rec, i);
	return i;
}

int
jsonl_path(const struct jsonl_rec *rec, const char *path)
{
	int tok = 0;
	const char *p = path, *dot;

	if (rec->ntok <= 0)
		return -1;
	while (tok >= 0 && *p) {
		size_t n;

		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (rec->tok[tok].type == JSMN_ARRAY) {
			char *end;
			long idx = strtol(p, &end, 10);

			if (end != p + n || n == 0)
				return -1;
			tok = jsonl_at(rec, tok, (int)idx);
		} else {
			tok = get_n(rec, tok, p, n);
		}
		if (!dot)
			break;
		p = dot + 1;
	}
	return tok;
}

int
jsonl_count(const struct jsonl_rec *rec, int tok)
{
	if (tok < 0 || tok >= rec->ntok)
		return -1;
	if (rec->tok[tok].type != JSMN_OBJECT &&
	    rec->tok[tok].type != JSMN_ARRAY)
		return -1;
	return rec->tok[tok].size;
}

static int
istype(const struct jsonl_rec *rec, int tok, jsmntype_t type)
{
	return tok >= 0 && tok < rec->ntok && rec->tok[tok].type == type;
}

int
jsonl_is_string(const struct jsonl_rec *rec, int tok)
{
	return istype(rec, tok, JSMN_STRING);
}

int
jsonl_is_object(const struct jsonl_rec *rec, int tok)
{
	return istype(rec, tok, JSMN_OBJECT);
}

int
jsonl_is_array(const struct jsonl_rec *rec, int tok)
{
	return istype(rec, tok, JSMN_ARRAY);
}

int
jsonl_is_null(const struct jsonl_rec *rec, int tok)
{
	return istype(rec, tok, JSMN_PRIMITIVE) &&
	       rec->buf[rec->tok[tok].start] == 'n';
}

static unsigned
hex4(const char *p)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		int c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else
			v |= (unsigned)(c - 'A' + 10);
	}
	return v;
}

static void
put_utf8(struct sbuf *out, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		sbuf_addc(out, (int)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(out, b, 4);
	}
}

int
jsonl_str(const struct jsonl_rec *rec, int tok, struct sbuf *out)
{
	const char *p, *end, *run;

	if (!istype(rec, tok, JSMN_STRING))
		return -1;
	p = rec->buf + rec->tok[tok].start;
	end = rec->buf + rec->tok[tok].end;
	sbuf_grow(out, (size_t)(end - p));
	while (p < end) {
		uint32_t cp;

		run = p;
		while (p < end && *p != '\\')
			p++;
		sbuf_add(out, run, (size_t)(p - run));
		if (p >= end)
			break;
		switch (p[1]) {
		case 'b': sbuf_addc(out, '\b'); p += 2; continue;
		case 'f': sbuf_addc(out, '\f'); p += 2; continue;
		case 'n': sbuf_addc(out, '\n'); p += 2; continue;
		case 'r': sbuf_addc(out, '\r'); p += 2; continue;
		case 't': sbuf_addc(out, '\t'); p += 2; continue;
		case 'u': break;
		default: sbuf_addc(out, p[1]); p += 2; continue;
		}
		cp = hex4(p + 2);
		p += 6;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
				uint32_t lo = hex4(p + 2);

				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
					p += 6;
				} else {
					cp = 0xfffd;
				}
			} else {
				cp = 0xfffd;
			}
		} else if (cp >= 0xdc00 && cp <= 0xdfff) {
			cp = 0xfffd;
		}
		put_utf8(out, cp);
	}
	return 0;
}

int
jsonl_num(const struct jsonl_rec *rec, int tok, double *out)
{
	char c;

	if (!istype(rec, tok, JSMN_PRIMITIVE))
		return -1;
	c = rec->buf[rec->tok[tok].start];
	if (c != '-' && !isdig(c))
		return -1;
	/* the validated number ends at a delimiter strtod stops at */
	*out = strtod(rec->buf + rec->tok[tok].start, NULL);
	return 0;
}

int
jsonl_int(const struct jsonl_rec *rec, int tok, long long *out)
{
	double d;
	const char *p;
	size_t n;
	char *end;
	long long v;

	if (jsonl_num(rec, tok, &d) < 0)
		return -1;
	p = rec->buf + rec->tok[tok].start;
	n = (size_t)(rec->tok[tok].end - rec->tok[tok].start);
	if (!memchr(p, '.', n) && !memchr(p, 'e', n) && !memchr(p, 'E', n)) {
		errno = 0;
		v = strtoll(p, &end, 10);
		if (errno)
			return -1;
		*out = v;
		return 0;
	}
	if (d != floor(d) || d < -9.2e18 || d > 9.2e18)
		return -1;
	*out = (long long)d;
	return 0;
}

int
jsonl_bool(const struct jsonl_rec *rec, int tok, int *out)
{
	char c;

	if (!istype(rec, tok, JSMN_PRIMITIVE))
		return -1;
	c = rec->buf[rec->tok[tok].start];
	if (c != 't' && c != 'f')
		return -1;
	*out = c == 't';
	return 0;
}

const char *
jsonl_path_str(const struct jsonl_rec *rec, const char *path,
	       struct sbuf *out)
{
	sbuf_reset(out);
	if (jsonl_str(rec, jsonl_path(rec, path), out) < 0)
		return NULL;
	sbuf_grow(out, 0);
	return out->buf;
}

double
jsonl_path_num(const struct jsonl_rec *rec, const char *path, double def)
{
	double d;

	return jsonl_num(rec, jsonl_path(rec, path), &d) < 0 ? def : d;
}

long long
jsonl_path_int(const struct jsonl_rec *rec, const char *path, long long def)
{
	long long v;

	return jsonl_int(rec, jsonl_path(rec, path), &v) < 0 ? def : v;
}

int
jsonl_path_bool(const struct jsonl_rec *rec, const char *path, int def)
{
	int v;

	return jsonl_bool(rec, jsonl_path(rec, path), &v) < 0 ? def : v;
}

const char *
jsonl_raw(const struct jsonl_rec *rec, int tok, size_t *len)
{
	const jsmntok_t *t;

	if (tok < 0 || tok >= rec->ntok) {
		*len = 0;
		return NULL;
	}
	t = &rec->tok[tok];
	if (t->type == JSMN_STRING) {
		*len = (size_t)(t->end - t->start) + 2;
		return rec->buf + t->start - 1;
	}
	*len = (size_t)(t->end - t->start);
	return rec->buf + t->start;
}

int
jsonl_streq(const struct jsonl_rec *rec, int tok, const char *s)
{
	struct sbuf tmp = SBUF_INIT;
	int eq;

	if (jsonl_str(rec, tok, &tmp) < 0)
		return 0;
	eq = tmp.len == strlen(s) && !memcmp(tmp.buf, s, tmp.len);
	sbuf_release(&tmp);
	return eq;
}

/* Writer. */

void
jw_init(struct jw *w, struct sbuf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

void
jw_release(struct jw *w)
{
	free(w->first);
	w->first = NULL;
	w->depth = w->cap = 0;
}

/* Place a comma before the next key or array element when needed. */
static void
sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth) {
		if (!w->first[w->depth - 1])
			sbuf_addc(w->out, ',');
		w->first[w->depth - 1] = 0;
	}
}

static void
open_(struct jw *w, int c)
{
	sep(w);
	sbuf_addc(w->out, c);
	XGROW(w->first, w->depth + 1, w->cap);
	w->first[w->depth++] = 1;
}

static void
close_(struct jw *w, int c)
{
	if (w->depth)
		w->depth--;
	sbuf_addc(w->out, c);
}

void jw_obj(struct jw *w) { open_(w, '{'); }
void jw_obj_end(struct jw *w) { close_(w, '}'); }
void jw_arr(struct jw *w) { open_(w, '['); }
void jw_arr_end(struct jw *w) { close_(w, ']'); }

void
jsonl_escape(struct sbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;

	sbuf_grow(out, n + 2);
	sbuf_addc(out, '"');
	while (i < n) {
		unsigned c = p[i];
		size_t k;

		run = i;
		while (i < n && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' &&
		       p[i] != '\\')
			i++;
		sbuf_add(out, p + run, i - run);
		if (i >= n)
			break;
		c = p[i];
		if (c >= 0x80) {
			k = utf8_seq(p + i, n - i);
			if (k) {
				sbuf_add(out, p + i, k);
				i += k;
			} else {
				sbuf_add(out, "\xef\xbf\xbd", 3);
				i++;
			}
			continue;
		}
		sbuf_addc(out, '\\');
		switch (c) {
		case '"': sbuf_addc(out, '"'); break;
		case '\\': sbuf_addc(out, '\\'); break;
		case '\b': sbuf_addc(out, 'b'); break;
		case '\f': sbuf_addc(out, 'f'); break;
		case '\n': sbuf_addc(out, 'n'); break;
		case '\r': sbuf_addc(out, 'r'); break;
		case '\t': sbuf_addc(out, 't'); break;
		default:
			sbuf_adds(out, "u00");
			sbuf_addc(out, hex[c >> 4]);
			sbuf_addc(out, hex[c & 15]);
		}
		i++;
	}
	sbuf_addc(out, '"');
}

void
jw_key(struct jw *w, const char *key)
{
	sep(w);
	jsonl_escape(w->out, key, strlen(key));
	sbuf_addc(w->out, ':');
	w->after_key = 1;
}

void
jw_strn(struct jw *w, const char *s, size_t n)
{
	sep(w);
	jsonl_escape(w->out, s, n);
}

void
jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void
jw_int(struct jw *w, long long v)
{
	sep(w);
	sbuf_addf(w->out, "%lld", v);
}

void
jw_uint(struct jw *w, unsigned long long v)
{
	sep(w);
	sbuf_addf(w->out, "%llu", v);
}

void
jw_num(struct jw *w, double v)
{
	char b[40];
	int prec;

	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	sep(w);
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		sbuf_addf(w->out, "%.0f", v == 0 ? 0.0 : v);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(b, sizeof(b), "%.*g", prec, v);
		if (strtod(b, NULL) == v)
			break;
	}
	sbuf_adds(w->out, b);
}

void
jw_numg(struct jw *w, double v, int prec)
{
	char b[48];
	double r;

	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	snprintf(b, sizeof(b), "%.*g", prec, v);
	r = strtod(b, NULL);
	jw_num(w, r);
}

void
jw_bool(struct jw *w, int v)
{
	sep(w);
	sbuf_adds(w->out, v ? "true" : "false");
}

void
jw_null(struct jw *w)
{
	sep(w);
	sbuf_adds(w->out, "null");
}

void
jw_raw(struct jw *w, const char *json, size_t n)
{
	sep(w);
	sbuf_add(w->out, json, n);
}

void
jw_tok(struct jw *w, const struct jsonl_rec *rec, int tok)
{
	const char *p;
	size_t n;

	p = jsonl_raw(rec, tok, &n);
	if (!p) {
		jw_null(w);
		return;
	}
	jw_raw(w, p, n);
}

void
jsonl_copy_except(const struct jsonl_rec *rec, struct jw *w,
		  const char *const *skip)
{
	int i, k, n;

	if (rec->ntok <= 0 || rec->tok[0].type != JSMN_OBJECT)
		return;
	n = rec->tok[0].size;
	for (i = 1, k = 0; k < n; k++) {
		const char *const *s;
		const char *p;
		size_t len;
		int drop = 0;

		for (s = skip; s && *s; s++) {
			if (rawkey_eq(rec, i, *s, strlen(*s))) {
				drop = 1;
				break;
			}
		}
		if (!drop) {
			sep(w);
			p = jsonl_raw(rec, i, &len);
			sbuf_add(w->out, p, len);
			sbuf_addc(w->out, ':');
			w->after_key = 1;
			jw_tok(w, rec, i + 1);
		}
		i = jsonl_skip(rec, i + 1);
	}
}

void
jsonl_error_record(struct sbuf *out, const struct jsonl_rec *rec,
		   const char *stage, const char *msg)
{
	static const char *const skip[] = { "error", NULL };
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jsonl_copy_except(rec, &w, skip);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_key(&w, "stage");
	jw_str(&w, stage);
	jw_key(&w, "msg");
	jw_str(&w, msg);
	jw_obj_end(&w);
	jw_obj_end(&w);
	sbuf_addc(out, '\n');
	jw_release(&w);
}
