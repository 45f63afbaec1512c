/*
 * A candidate as models write it: its items judged by the rules of
 * candrules.c and spliced into the file.
 */
#include <string.h>

#include "source/candidate.h"
#include "source/canditems.h"
#include "source/cscan.h"

static int
isident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '$';
}

static int
isblank_(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
		c == '\f';
}

/*
 * If a comment or literal starts at s[i], return the index just after it
 * (len when it does not end); otherwise i.
 */
static size_t
skip_lit(const char *s, size_t len, size_t i)
{
	char q;

	if (i + 1 < len && s[i] == '/' && s[i + 1] == '/') {
		while (i < len && s[i] != '\n')
			i++;
		return i;
	}
	if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
		for (i += 2; i + 1 < len; i++)
			if (s[i] == '*' && s[i + 1] == '/')
				return i + 2;
		return len;
	}
	if (s[i] != '"' && s[i] != '\'')
		return i;
	q = s[i++];
	for (; i < len && s[i] != q && s[i] != '\n'; i++)
		if (s[i] == '\\')
			i++;
	return i < len ? i + 1 : len;
}

static int
is_comment(const char *s, size_t len, size_t i)
{
	return i + 1 < len && s[i] == '/' && (s[i + 1] == '/' || s[i + 1] == '*');
}

void
candidate_signature(const char *code, size_t len, struct sbuf *sig)
{
	size_t i = 0, j;
	int space = 0;
	char last = 0;

	while (i < len && code[i] != '{') {
		if (is_comment(code, len, i) || isblank_(code[i])) {
			j = isblank_(code[i]) ? i + 1 : skip_lit(code, len, i);
			space = 1;
			i = j;
			continue;
		}
		j = skip_lit(code, len, i);
		if (j == i)
			j = i + 1;
		if (space && last && isident(last) && isident(code[i]))
			sbuf_addc(sig, ' ');
		space = 0;
		sbuf_add(sig, code + i, j - i);
		last = code[j - 1];
		i = j;
	}
}

struct judge {
	const struct cand_splice *cs;
	const char *code;
	size_t len;
	const char *name;	/* the target's last component */
	size_t namelen;
	struct cand_items it;
	struct sbuf *err;
};

static unsigned long
cline(const struct judge *j, size_t off)
{
	return cscan_line(j->code, off);
}

/* Does the word w[0..n) occur in s[0..len)? */
static int
has_word(const char *s, size_t len, const char *w, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(s + i, w, n) && (i == 0 || !isident(s[i - 1])) &&
		    (i + n == len || !isident(s[i + n])))
			return 1;
	return 0;
}

/*
 * A directive's word ("include", "define") and what follows it: *arg is
 * the first non-blank byte after the word.
 */
static size_t
directive(const char *d, size_t n, const char **word, const char **arg,
	  size_t *argn)
{
	size_t i = 1, w;

	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	*word = d + i;
	for (w = i; w < n && isident(d[w]); w++)
		;
	i = w;
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	*arg = d + i;
	*argn = n - i;
	return w - (size_t)(*word - d);
}

static int
is_word(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/* The identifier at the start of a[0..n): its length. */
static size_t
ident_len(const char *a, size_t n)
{
	size_t k = 0;

	while (k < n && isident(a[k]))
		k++;
	return k;
}

/*
 * The line of the first occurrence of the identifier w[0..n) in the file
 * outside the definition (in code, or in a directive that is not an
 * #include), or 0.
 */
static unsigned long
file_has(const struct cand_splice *cs, const char *w, size_t n)
{
	struct cscan_lex l;
	const char *word, *arg;
	size_t an, wn;
	int t;

	cscan_lex_init(&l, cs->orig, cs->orig_len);
	while ((t = cscan_lex_next(&l)) != CSCAN_EOF) {
		if (l.tok >= cs->start && l.tok < cs->end)
			continue;
		if (t == CSCAN_IDENT && l.len == n &&
		    !memcmp(cs->orig + l.tok, w, n))
			return cscan_line(cs->orig, l.tok);
		if (t != CSCAN_DIRECTIVE)
			continue;
		wn = directive(cs->orig + l.tok, l.len, &word, &arg, &an);
		if (!is_word(word, wn, "include") &&
		    has_word(cs->orig + l.tok, l.len, w, n))
			return cscan_line(cs->orig, l.tok);
	}
	return 0;
}

/* A name the candidate adds: new in the file, once in the candidate. */
static int
new_name(struct judge *j, const struct cand_name *nm, size_t item)
{
	const char *w = j->code + nm->off;
	unsigned long at;

	if (nm->len == j->namelen && !memcmp(w, j->name, nm->len))
		return 0;	/* the target itself (a prototype) */
	for (size_t i = 0; i < item; i++) {
		const struct cand_item *p = &j->it.v[i];

		for (size_t k = p->name; k < p->name + p->nname; k++) {
			const struct cand_name *q = &j->it.names[k];

			if (q->len != nm->len || memcmp(j->code + q->off, w,
							nm->len))
				continue;
			if (q->kind == CN_FN && nm->kind == CN_FN &&
			    (p->kind != CI_FUNC ||
			     j->it.v[item].kind != CI_FUNC))
				continue;	/* declared, then defined */
			sbuf_addf(j->err, "candidate defines '%.*s' twice "
				  "(lines %lu and %lu of the reply)",
				  (int)nm->len, w, cline(j, q->off),
				  cline(j, nm->off));
			return -1;
		}
	}
	if ((at = file_has(j->cs, w, nm->len))) {
		sbuf_addf(j->err, "candidate redefines '%.*s' (line %lu of the "
			  "reply), which '%s' already has (line %lu): new "
			  "items need new names, and what the file has is "
			  "not repeated", (int)nm->len, w, cline(j, nm->off),
			  j->cs->file, at);
		return -1;
	}
	return 0;
}

/* Is the function named nm defined by a static item of the candidate? */
static int
defines_static(const struct judge *j, const struct cand_name *nm)
{
	for (size_t i = 0; i < j->it.n; i++) {
		const struct cand_item *p = &j->it.v[i];

		if (p->kind != CI_FUNC || !(p->is_static || p->anon) ||
		    !p->nname)
			continue;
		if (j->it.names[p->name].len == nm->len &&
		    !memcmp(j->code + j->it.names[p->name].off,
			    j->code + nm->off, nm->len))
			return 1;
	}
	return 0;
}

static int
check_directive(struct judge *j, const struct cand_item *p)
{
	const char *d = j->code + p->start, *word, *arg;
	size_t an, wn = directive(d, p->end - p->start, &word, &arg, &an);
	unsigned long line = cline(j, p->start);
	size_t k;

	if (is_word(word, wn, "define") || is_word(word, wn, "undef"))
		return 0;	/* see check_macros */
	if (!is_word(word, wn, "include")) {
		sbuf_addf(j->err, "candidate has the directive '#%.*s' (line "
			  "%lu of the reply): only #include <...>, #define "
			  "and #undef may be added", (int)wn, word, line);
		return -1;
	}
	k = an && *arg == '<' ? strcspn(arg, ">\n") : 0;
	if (!k || k >= an || arg[k] != '>') {
		sbuf_addf(j->err, "candidate includes %.*s (line %lu of the "
			  "reply): only system headers (#include <name>) may "
			  "be added", (int)strcspn(arg, "\n"), arg, line);
		return -1;
	}
	if (arg[1] == '/' || has_word(arg + 1, k - 1, "..", 2) ||
	    strstr(arg, "../") == arg + 1) {
		sbuf_addf(j->err, "candidate includes %.*s (line %lu of the "
			  "reply): a header's name may not be absolute or "
			  "hold '..'", (int)k + 1, arg, line);
		return -1;
	}
	return 0;
}

static int
check_decl(struct judge *j, size_t i)
{
	const struct cand_item *p = &j->it.v[i];
	unsigned long line = cline(j, p->start);

	if (p->is_using) {
		sbuf_addf(j->err, "candidate has 'using' at file scope (line "
			  "%lu of the reply): it would apply to the rest of "
			  "the file", line);
		return -1;
	}
	for (size_t k = p->name; k < p->name + p->nname; k++) {
		const struct cand_name *nm = &j->it.names[k];
		const char *w = j->code + nm->off;
		int n = (int)nm->len;

		line = cline(j, nm->off);
		if (p->is_extern) {
			sbuf_addf(j->err, "candidate declares '%.*s' extern "
				  "(line %lu of the reply): only static items "
				  "may be added", n, w, line);
			return -1;
		}
		if (nm->kind == CN_FN && !(nm->len == j->namelen &&
		    !memcmp(w, j->name, nm->len)) && !defines_static(j, nm)) {
			sbuf_addf(j->err, "candidate declares the function "
				  "'%.*s' (line %lu of the reply) but does not "
				  "define it as a static function", n, w,
				  line);
			return -1;
		}
		if (nm->kind == CN_VAR && !p->is_typedef && !p->is_static &&
		    !p->anon) {
			sbuf_addf(j->err, "candidate adds a non-static "
				  "variable '%.*s' (line %lu of the reply): "
				  "new variables must be static", n, w, line);
			return -1;
		}
		if (new_name(j, nm, i) < 0)
			return -1;
	}
	return 0;
}

static int
check_item(struct judge *j, size_t i)
{
	const struct cand_item *p = &j->it.v[i];
	const struct cand_name *nm = p->nname ? &j->it.names[p->name] : NULL;
	unsigned long line = cline(j, p->start);

	switch (p->kind) {
	case CI_DIRECTIVE:
		return check_directive(j, p);
	case CI_NS_OPEN:
		if (j->cs->cxx && !p->ns_len)
			return 0;
		sbuf_addf(j->err, "candidate opens the namespace '%.*s' (line "
			  "%lu of the reply): helpers are static or in an "
			  "anonymous namespace", (int)p->ns_len,
			  j->code + p->ns_name, line);
		return -1;
	case CI_NS_CLOSE:
		return 0;
	case CI_DECL:
		return check_decl(j, i);
	}
	if (!nm)
		return 0;
	if ((!p->is_static && !p->anon) ||
	    memchr(j->code + nm->off, ':', nm->len)) {
		sbuf_addf(j->err, "candidate adds a non-static function "
			  "'%.*s' (line %lu of the reply): new helpers must be "
			  "static", (int)nm->len, j->code + nm->off,
			  cline(j, nm->off));
		return -1;
	}
	return new_name(j, nm, i);
}

/* Every #define is #undef'd later; every #undef is of the candidate's. */
static int
check_macros(struct judge *j)
{
	struct cscan_lex l;
	const char *word, *arg;
	size_t an, wn, k, def[64], ndef = 0;
	int t;

	cscan_lex_init(&l, j->code, j->len);
	while ((t = cscan_lex_next(&l)) != CSCAN_EOF) {
		if (t != CSCAN_DIRECTIVE)
			continue;
		wn = directive(j->code + l.tok, l.len, &word, &arg, &an);
		k = ident_len(arg, an);
		if (is_word(word, wn, "define")) {
			unsigned long at = file_has(j->cs, arg, k);

			if (at) {
				sbuf_addf(j->err, "candidate redefines the "
					  "macro '%.*s' (line %lu of the "
					  "reply), which '%s' already has "
					  "(line %lu)", (int)k, arg,
					  cline(j, l.tok), j->cs->file, at);
				return -1;
			}
			if (ndef == sizeof(def) / sizeof(*def)) {
				sbuf_adds(j->err, "candidate defines too many "
					  "macros");
				return -1;
			}
			def[ndef++] = (size_t)(arg - j->code);
		} else if (is_word(word, wn, "undef")) {
			size_t m;

			for (m = ndef; m-- > 0;)
				if (ident_len(j->code + def[m], j->len -
					      def[m]) == k &&
				    !memcmp(j->code + def[m], arg, k))
					break;
			if (m == (size_t)-1) {
				sbuf_addf(j->err, "candidate undefines "
					  "'%.*s' (line %lu of the reply), "
					  "which it did not define", (int)k,
					  arg, cline(j, l.tok));
				return -1;
			}
			def[m] = def[--ndef];
		}
	}
	if (ndef) {
		k = ident_len(j->code + def[0], j->len - def[0]);
		sbuf_addf(j->err, "candidate leaves the macro '%.*s' defined "
			  "(line %lu of the reply): #undef it after its last "
			  "use", (int)k, j->code + def[0], cline(j, def[0]));
		return -1;
	}
	return 0;
}

/* Is item i the target's definition? */
static int
is_target(const struct judge *j, const struct cand_item *p)
{
	const struct cand_name *nm;
	const char *w, *c;
	size_t n;

	if (p->kind != CI_FUNC || !p->nname)
		return 0;
	nm = &j->it.names[p->name];
	w = j->code + nm->off;
	n = nm->len;
	while ((c = memchr(w, ':', n)) && c + 1 < w + n && c[1] == ':') {
		n -= (size_t)(c + 2 - w);
		w = c + 2;
	}
	while (n && (*w == '~' || *w == ' '))
		w++, n--;
	return n == j->namelen && !memcmp(w, j->name, n);
}

static int
find_target(struct judge *j, size_t *target)
{
	struct sbuf others = SBUF_INIT;
	size_t i, found = (size_t)-1;

	for (i = 0; i < j->it.n; i++) {
		const struct cand_item *p = &j->it.v[i];

		if (is_target(j, p)) {
			if (found != (size_t)-1) {
				sbuf_addf(j->err, "candidate defines '%.*s' "
					  "twice (lines %lu and %lu of the "
					  "reply)", (int)j->namelen, j->name,
					  cline(j, j->it.v[found].start),
					  cline(j, p->start));
				return -1;
			}
			found = i;
		} else if (p->kind == CI_FUNC && p->nname) {
			sbuf_addf(&others, "%s'%.*s'", others.len ? ", " : "",
				  (int)j->it.names[p->name].len,
				  j->code + j->it.names[p->name].off);
		}
	}
	if (found == (size_t)-1) {
		sbuf_addf(j->err, "candidate does not define '%.*s'",
			  (int)j->namelen, j->name);
		if (others.len)
			sbuf_addf(j->err, " (it defines %s)", others.buf);
		sbuf_release(&others);
		return -1;
	}
	sbuf_release(&others);
	*target = found;
	return 0;
}

/* After the target: only #undef lines (and what closes namespaces). */
static int
check_after(struct judge *j, size_t target)
{
	const struct cand_item *p;
	const char *word, *arg;
	size_t an, wn;

	if (j->it.v[target].anon) {
		sbuf_addf(j->err, "candidate puts '%.*s' in an anonymous "
			  "namespace (line %lu of the reply): that changes "
			  "its linkage", (int)j->namelen, j->name,
			  cline(j, j->it.v[target].start));
		return -1;
	}
	for (size_t i = target + 1; i < j->it.n; i++) {
		p = &j->it.v[i];
		if (p->kind == CI_DIRECTIVE) {
			wn = directive(j->code + p->start, p->end - p->start,
				       &word, &arg, &an);
			if (is_word(word, wn, "undef"))
				continue;
		}
		if (p->nname)
			sbuf_addf(j->err, "candidate has '%.*s' (line %lu of "
				  "the reply) after the body of '%.*s': new "
				  "items go before it",
				  (int)j->it.names[p->name].len,
				  j->code + j->it.names[p->name].off,
				  cline(j, j->it.names[p->name].off),
				  (int)j->namelen,
				  j->name);
		else
			sbuf_addf(j->err, "candidate has text after the body "
				  "of '%.*s' (line %lu of the reply): new "
				  "items go before it", (int)j->namelen,
				  j->name, cline(j, p->start));
		return -1;
	}
	return 0;
}

/* Does s[0..n) (the file) include <h[0..k)>? */
static int
includes(const char *s, size_t n, const char *h, size_t k)
{
	struct cscan_lex l;
	const char *word, *arg;
	size_t an, wn;
	int t;

	cscan_lex_init(&l, s, n);
	while ((t = cscan_lex_next(&l)) != CSCAN_EOF) {
		if (t != CSCAN_DIRECTIVE)
			continue;
		wn = directive(s + l.tok, l.len, &word, &arg, &an);
		if (is_word(word, wn, "include") && an > k && *arg == '<' &&
		    !memcmp(arg + 1, h, k) && arg[k + 1] == '>')
			return 1;
	}
	return 0;
}

/*
 * Past the last #include <...> line before off outside #if, else past
 * the last #include line, else off.
 */
static size_t
include_point(const char *s, size_t off)
{
	struct cscan_lex l;
	const char *word, *arg;
	size_t an, wn, at = off, sys = off;
	int t, cond = 0;

	cscan_lex_init(&l, s, off);
	while ((t = cscan_lex_next(&l)) != CSCAN_EOF) {
		if (t != CSCAN_DIRECTIVE)
			continue;
		wn = directive(s + l.tok, l.len, &word, &arg, &an);
		if (wn >= 2 && !memcmp(word, "if", 2))
			cond++;
		else if (is_word(word, wn, "endif") && cond)
			cond--;
		else if (is_word(word, wn, "include") && !cond) {
			at = l.i < off ? l.i + 1 : off;
			if (an && *arg == '<')
				sys = at;
		}
	}
	return sys != off ? sys : at;
}

/*
 * The start of the comment block right above pos in s[lo..]: comments
 * each on lines of their own, no blank line between them and pos; pos
 * itself when there is none. The start is that of its first line.
 */
static size_t
comment_above(const char *s, size_t lo, size_t pos)
{
	size_t at = pos;

	for (;;) {
		size_t q = at, nl = 0, o, ls;

		while (q > lo && strchr(" \t\r\n", s[q - 1]))
			nl += s[--q] == '\n';
		if (nl > 1 || q == lo || (at != pos && nl == 0))
			break;
		if (q >= lo + 2 && s[q - 2] == '*' && s[q - 1] == '/') {
			for (o = q - 2; o > lo && !(s[o - 1] == '/' &&
						   s[o] == '*'); o--)
				;
			if (o == lo)
				break;
			o--;
		} else {
			for (ls = q; ls > lo && s[ls - 1] != '\n'; ls--)
				;
			o = ls + strspn(s + ls, " \t");
			if (strncmp(s + o, "//", 2))
				break;
		}
		for (ls = o; ls > lo && isblank_(s[ls - 1]) && s[ls - 1] != '\n';
		     ls--)
			;
		if (ls > lo && s[ls - 1] != '\n')
			break;	/* it ends a line of code */
		at = ls;
	}
	return at;
}

/* Are s[0..n) and t[0..m) the same but for blanks at their ends? */
static int
same_text(const char *s, size_t n, const char *t, size_t m)
{
	while (n && isblank_(s[n - 1]))
		n--;
	while (m && isblank_(t[m - 1]))
		m--;
	return n == m && !memcmp(s, t, n);
}

/*
 * The new file: the #include lines of the reply after the file's (see
 * include_point); the items the reply puts before its target above the
 * original's comment, that comment kept right above the new definition
 * (the reply's own copy of it dropped), the definition in place.
 */
static void
splice(struct judge *j, size_t b, size_t e, size_t target, struct sbuf *out)
{
	const struct cand_splice *cs = j->cs;
	struct sbuf inc = SBUF_INIT, body = SBUF_INIT;
	const char *word, *arg;
	size_t an, wn, k, at = b, ins, ts = j->it.v[target].start;
	size_t tb = (size_t)-1, rc, cstart;

	for (size_t i = 0; i < j->it.n; i++) {
		const struct cand_item *p = &j->it.v[i];

		if (p->kind != CI_DIRECTIVE)
			continue;
		wn = directive(j->code + p->start, p->end - p->start, &word,
			       &arg, &an);
		if (!is_word(word, wn, "include"))
			continue;
		if (ts >= at && ts < p->start)
			tb = body.len + (ts - at);
		sbuf_add(&body, j->code + at, p->start - at);
		at = p->end < e && j->code[p->end] == '\n' ? p->end + 1 :
			p->end;
		k = strcspn(arg, ">");
		if (!includes(cs->orig, cs->orig_len, arg + 1, k - 1) &&
		    !includes(inc.buf, inc.len, arg + 1, k - 1))
			sbuf_addf(&inc, "#include %.*s\n", (int)k + 1, arg);
	}
	if (tb == (size_t)-1)
		tb = body.len + (ts - at);
	sbuf_add(&body, j->code + at, e - at);
	for (k = 0; k < body.len && isblank_(body.buf[k]); k++)
		;
	sbuf_rtrim(&body);
	rc = comment_above(body.buf, k, tb);
	cstart = comment_above(cs->orig, 0, cs->start);
	ins = include_point(cs->orig, cstart);
	sbuf_add(out, cs->orig, ins);
	sbuf_add(out, inc.buf, inc.len);
	sbuf_add(out, cs->orig + ins, cstart - ins);
	if (rc > k) {
		size_t n = rc;

		while (n > k && isblank_(body.buf[n - 1]))
			n--;
		sbuf_add(out, body.buf + k, n - k);
		sbuf_adds(out, "\n\n");
	}
	sbuf_add(out, cs->orig + cstart, cs->start - cstart);
	if (same_text(body.buf + rc, tb - rc, cs->orig + cstart,
		      cs->start - cstart))
		rc = tb;
	sbuf_add(out, body.buf + rc, body.len - rc);
	sbuf_add(out, cs->orig + cs->end, cs->orig_len - cs->end);
	sbuf_release(&inc);
	sbuf_release(&body);
}

int
candidate_splice(const struct cand_splice *cs, const char *code,
		 size_t len, struct sbuf *out, struct sbuf *sig,
		 struct sbuf *err)
{
	struct judge j = { cs, code, len, cs->fn, 0, CAND_ITEMS_INIT, err };
	size_t b = 0, e = len, target = 0, i;
	const char *p;
	int r = -1;

	while ((p = strstr(j.name, "::")))
		j.name = p + 2;
	j.namelen = strcspn(j.name, ".");
	while (b < e && isblank_(code[b]))
		b++;
	while (e > b && isblank_(code[e - 1]))
		e--;
	if (b == e) {
		sbuf_adds(err, "empty candidate");
		return -1;
	}
	j.len = e;
	if (cand_items_read(code, e, cs->fn, &j.it, err) < 0 ||
	    find_target(&j, &target) < 0)
		goto done;
	for (i = 0; i < target; i++)
		if (check_item(&j, i) < 0)
			goto done;
	if (check_after(&j, target) < 0 || check_macros(&j) < 0)
		goto done;
	if (sig)
		candidate_signature(code + j.it.v[target].start,
				    j.it.v[target].end -
				    j.it.v[target].start, sig);
	splice(&j, b, e, target, out);
	r = 0;
done:
	cand_items_release(&j.it);
	return r;
}
