#ifndef PESQ_JSONL_H
#define PESQ_JSONL_H

#include <stdio.h>
#include <stddef.h>

#define JSMN_HEADER
#define JSMN_STRICT
#include <jsmn.h>

#include "base/sbuf.h"

/*
 * JSON Lines: one JSON object per line, checked against the full JSON
 * grammar and cut into jsmn's tokens in one pass (time linear in the
 * line, whatever its nesting depth), and written by a small streaming
 * writer that always emits valid UTF-8 JSON.
 *
 * A parsed record keeps its line and its tokens (jsmntok_t). Tokens are addressed
 * by index; index 0 is the top-level object. For a string token, start and
 * end exclude the quotes. Lookups return a token index, or -1 when the key
 * or path is absent or has the wrong shape.
 */
struct jsonl_rec {
	char *buf;		/* the line, NUL-terminated, no newline */
	size_t len;
	jsmntok_t *tok;
	int ntok;
	size_t tokcap;
};

#define JSONL_REC_INIT { NULL, 0, NULL, 0, 0 }

/*
 * Parse s[0..len) as one JSON object into rec, which keeps a copy of the
 * text (rec's earlier contents are reused). Leading and trailing blanks
 * (including a '\r' before the newline) are allowed. Returns 0, or -1 for
 * invalid JSON, with *erroff the byte offset of the error in s and *errmsg
 * a static description; rec is then empty.
 */
int jsonl_parse(struct jsonl_rec *rec, const char *s, size_t len,
		size_t *erroff, const char **errmsg);

/* Free what rec holds; it can be reused afterwards. */
void jsonl_rec_release(struct jsonl_rec *rec);

/*
 * A reader of records from a stream. name is used in messages only. The
 * reader owns its buffers; jsonl_reader_release frees them (not fp).
 */
struct jsonl_reader {
	FILE *fp;
	const char *name;
	unsigned long lineno;	/* of the line last returned */
	struct sbuf line;
	struct jsonl_rec rec;
	struct sbuf err;	/* message for the last invalid line */
	unsigned long nonblank;	/* non-blank lines seen */
	int stop;		/* the input is not JSON lines: no more */
};

void jsonl_reader_init(struct jsonl_reader *r, FILE *fp, const char *name);
void jsonl_reader_release(struct jsonl_reader *r);

/*
 * Read the next non-blank line. Returns 1 with *rec pointing into the
 * reader (valid until the next call), 0 at end of input, -1 when the line
 * is not a JSON object (r->err holds "NAME:LINE: offset N: what", ready to
 * print after the program name; the caller reports and continues), -2 on a
 * read error (errno set).
 *
 * An input that is not JSON lines at all (binary data anywhere, or folded
 * stacks or perf script text on its first line: see notjson.h) gives one
 * -1 whose message says so and that the rest is skipped, then 0: a
 * filter fed the wrong file reports it once, not once per line.
 */
int jsonl_read(struct jsonl_reader *r, struct jsonl_rec **rec);

/* Index of the token after the whole subtree at tok. */
int jsonl_skip(const struct jsonl_rec *rec, int tok);

/* Value of member key of the object at obj, or -1. */
int jsonl_get(const struct jsonl_rec *rec, int obj, const char *key);

/*
 * Follow a dotted path from the top-level object: "hot.self",
 * "prompt.messages.0.content" (a number selects an array element).
 */
int jsonl_path(const struct jsonl_rec *rec, const char *path);

/* Element i of the array at arr, or -1. */
int jsonl_at(const struct jsonl_rec *rec, int arr, int i);

/* Number of elements (array) or members (object); -1 for other tokens. */
int jsonl_count(const struct jsonl_rec *rec, int tok);

int jsonl_is_string(const struct jsonl_rec *rec, int tok);
int jsonl_is_object(const struct jsonl_rec *rec, int tok);
int jsonl_is_array(const struct jsonl_rec *rec, int tok);
int jsonl_is_null(const struct jsonl_rec *rec, int tok);

/*
 * Typed reads. jsonl_str appends the unescaped string (UTF-8; \u escapes
 * and surrogate pairs decoded, a lone surrogate becomes U+FFFD; it may
 * contain NULs from \u0000) to out and returns 0, or -1 when tok is not a
 * string. jsonl_num/jsonl_int/jsonl_bool return 0 or -1 (wrong type, or
 * for jsonl_int a non-integral or out-of-range number).
 */
int jsonl_str(const struct jsonl_rec *rec, int tok, struct sbuf *out);
int jsonl_num(const struct jsonl_rec *rec, int tok, double *out);
int jsonl_int(const struct jsonl_rec *rec, int tok, long long *out);
int jsonl_bool(const struct jsonl_rec *rec, int tok, int *out);

/*
 * Conveniences on dotted paths. jsonl_path_str returns a pointer to a
 * NUL-terminated copy in *out (reset first), or NULL when absent or not a
 * string. The others return def when absent or of another type.
 */
const char *jsonl_path_str(const struct jsonl_rec *rec, const char *path,
			   struct sbuf *out);
double jsonl_path_num(const struct jsonl_rec *rec, const char *path,
		      double def);
long long jsonl_path_int(const struct jsonl_rec *rec, const char *path,
			 long long def);
int jsonl_path_bool(const struct jsonl_rec *rec, const char *path, int def);

/* Raw text of a token as it appears in the line (strings with quotes). */
const char *jsonl_raw(const struct jsonl_rec *rec, int tok, size_t *len);

/* Does the string token equal s (compared after unescaping)? */
int jsonl_streq(const struct jsonl_rec *rec, int tok, const char *s);

/*
 * The writer appends JSON text to an sbuf. It tracks nesting to place
 * commas; keys and values are given in order. Strings are escaped: '"',
 * '\\', and control characters; invalid UTF-8 bytes become U+FFFD. It
 * cannot fail (allocation failure is fatal). Nesting depth is unbounded.
 */
struct jw {
	struct sbuf *out;
	unsigned char *first;	/* per depth: nothing written yet */
	size_t depth, cap;
	int after_key;
};

void jw_init(struct jw *w, struct sbuf *out);
void jw_release(struct jw *w);

void jw_obj(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, long long v);
void jw_uint(struct jw *w, unsigned long long v);
/* Shortest text that reads back as the same double; NaN/inf as null. */
void jw_num(struct jw *w, double v);
/* A double with at most prec significant digits (for shares, ratios). */
void jw_numg(struct jw *w, double v, int prec);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* A value given as JSON text, copied as is (the caller vouches for it). */
void jw_raw(struct jw *w, const char *json, size_t n);
/* Copy the token's value from rec, byte for byte. */
void jw_tok(struct jw *w, const struct jsonl_rec *rec, int tok);

/* Append s escaped as a JSON string (with quotes) to out. */
void jsonl_escape(struct sbuf *out, const char *s, size_t n);

/*
 * Copy every top-level member of rec into the open object of w, byte for
 * byte, except those whose key is in skip (a NULL-terminated list, may be
 * NULL). This is how a stage passes through the fields it does not own.
 */
void jsonl_copy_except(const struct jsonl_rec *rec, struct jw *w,
		       const char *const *skip);

/*
 * Write rec with an "error": {"stage": stage, "msg": msg} member (replacing
 * any earlier one) and a newline to out.
 */
void jsonl_error_record(struct sbuf *out, const struct jsonl_rec *rec,
			const char *stage, const char *msg);

#endif
