#include <string.h>

#include "fold/foldsym.h"

enum { C_SPACE = 1, C_DIGIT = 2, C_XDIGIT = 4, C_WORD = 8 };

#define SP C_SPACE
#define DG (C_DIGIT | C_XDIGIT | C_WORD)
#define XL (C_XDIGIT | C_WORD)
#define WL C_WORD
static const unsigned char cls[256] = {
	['\t'] = SP, ['\v'] = SP, ['\f'] = SP, ['\r'] = SP, [' '] = SP,
	['0'] = DG, ['1'] = DG, ['2'] = DG, ['3'] = DG, ['4'] = DG,
	['5'] = DG, ['6'] = DG, ['7'] = DG, ['8'] = DG, ['9'] = DG,
	['a'] = XL, ['b'] = XL, ['c'] = XL, ['d'] = XL, ['e'] = XL, ['f'] = XL,
	['A'] = XL, ['B'] = XL, ['C'] = XL, ['D'] = XL, ['E'] = XL, ['F'] = XL,
	['g'] = WL, ['h'] = WL, ['i'] = WL, ['j'] = WL, ['k'] = WL, ['l'] = WL,
	['m'] = WL, ['n'] = WL, ['o'] = WL, ['p'] = WL, ['q'] = WL, ['r'] = WL,
	['s'] = WL, ['t'] = WL, ['u'] = WL, ['v'] = WL, ['w'] = WL, ['x'] = WL,
	['y'] = WL, ['z'] = WL,
	['G'] = WL, ['H'] = WL, ['I'] = WL, ['J'] = WL, ['K'] = WL, ['L'] = WL,
	['M'] = WL, ['N'] = WL, ['O'] = WL, ['P'] = WL, ['Q'] = WL, ['R'] = WL,
	['S'] = WL, ['T'] = WL, ['U'] = WL, ['V'] = WL, ['W'] = WL, ['X'] = WL,
	['Y'] = WL, ['Z'] = WL, ['_'] = WL,
};
#undef SP
#undef DG
#undef XL
#undef WL

#define is_space(c) (cls[(unsigned char)(c)] & C_SPACE)
#define is_digit(c) (cls[(unsigned char)(c)] & C_DIGIT)
#define is_xdigit(c) (cls[(unsigned char)(c)] & C_XDIGIT)
#define is_word(c) (cls[(unsigned char)(c)] & C_WORD)

static int
has_suffix(const char *s, size_t n, const char *suf)
{
	size_t sn = strlen(suf);

	return n >= sn && !memcmp(s + n - sn, suf, sn);
}

__attribute__((cold, noinline)) size_t
foldsym_paren_module(const char *p, size_t n)
{
	long depth = 0;
	size_t q;

	if (!n || p[n - 1] != ')')
		return 0;
	for (q = n; q-- > 1;) {
		if (p[q] == ')')
			depth++;
		else if (p[q] == '(' && --depth == 0)
			break;
	}
	if (depth || q < 2 || p[q - 1] != ' ')
		return 0;
	return q;
}

void
foldsym_fix_module(struct foldsym_line *fl)
{
	const char *end = fl->mod + fl->modn + 1, *sp = fl->fn + fl->fnn;
	size_t o;

	if (!memchr(fl->mod, ')', fl->modn) ||
	    !(o = foldsym_paren_module(fl->fn, end - fl->fn)) ||
	    fl->fn + o - 1 >= sp)
		return;
	fl->fnn = o - 1;
	fl->mod = fl->fn + o + 1;
	fl->modn = end - 1 - fl->mod;
}

/*
 * The end of foldsym_parse_frame for a module with spaces in its path
 * ("/my dir/prog"), out of its way: the pc ends at pce.
 */
static __attribute__((cold, noinline)) int
paren_frame(const char *p, size_t n, size_t pce, struct foldsym_line *fl)
{
	size_t t = foldsym_paren_module(p + pce, n - pce), j = pce;

	if (!t)
		return -1;
	t += pce;
	while (j < n && is_space(p[j]))
		j++;
	if (j > t - 2)
		j = t - 2;
	fl->pcn = p + pce - fl->pc;
	fl->fn = p + j;
	fl->fnn = t - 1 - j;
	fl->mod = p + t + 1;
	fl->modn = n - 1 - (t + 1);
	return 0;
}

int
foldsym_parse_frame(const char *p, size_t n, int hexpc,
		    struct foldsym_line *fl)
{
	size_t i = 0, pce, j, t, q, sp = 0, ms = 0, me = 0;

	while (i < n && is_space(p[i]))
		i++;
	fl->pc = p + i;
	if (hexpc) {
		while (i < n && is_xdigit(p[i]))
			i++;
		if (i < n && is_word(p[i]))
			return -1;
	} else {
		while (i < n && is_word(p[i]))
			i++;
	}
	pce = i;
	if (p + pce == fl->pc)
		return -1;
	j = i;
	while (j < n && is_space(p[j]))
		j++;
	/* Usually the line ends in " (module)". */
	if (n && p[n - 1] == ')') {
		const char *sp1 = memrchr(p + pce, ' ', n - pce);

		t = sp1 ? (size_t)(sp1 - p) + 1 : 0;
		if (t > pce + 1 && p[t] == '(') {
			sp = t - 1;
			ms = t + 1;
			me = n - 1;
			goto found;
		}
	}
	/* Else the last " (" whose following word holds a ')'. */
	for (q = n; q-- > pce + 2;) {
		size_t r, c;

		if (p[q] != '(' || p[q - 1] != ' ')
			continue;
		for (r = q + 1; r < n && !is_space(p[r]); r++)
			;
		for (c = r; c > q + 1 && p[c - 1] != ')'; c--)
			;
		if (c > q + 1) {
			sp = q - 1;
			ms = q + 1;
			me = c - 1;
			goto found;
		}
	}
	return paren_frame(p, n, pce, fl);
found:
	if (j > sp - 1)
		j = sp - 1;	/* "pc  (module)": the function is " " */
	fl->pcn = p + pce - fl->pc;
	fl->fn = p + j;
	fl->fnn = sp - j;
	fl->mod = p + ms;
	fl->modn = me - ms;
	return 0;
}

/* The next whitespace-separated token from *i: [*s, *e). */
static void
token(const char *p, size_t n, size_t *i, size_t *s, size_t *e)
{
	size_t k = *i;

	while (k < n && is_space(p[k]))
		k++;
	*s = k;
	while (k < n && !is_space(p[k]))
		k++;
	*e = *i = k;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return n > 0;
}

int
foldsym_parse_event(const char *p, size_t n, struct foldsym_event *ev)
{
	size_t i = 0, ws, we, slash, cs, ce, ts, te;
	int digits;

	/* The first all-digit word, "pid" or "pid/tid", after the comm. */
	for (;;) {
		while (i < n && is_space(p[i]))
			i++;
		if (i == n)
			return -1;
		ws = i;
		slash = 0;
		digits = 1;
		for (; i < n && !is_space(p[i]); i++) {
			if (p[i] == '/' && !slash && i > ws)
				slash = i;
			else if (!is_digit(p[i]))
				digits = 0;
		}
		we = i;
		if (!digits || we == n || slash + 1 == we)
			continue;
		for (cs = 0; cs < ws && is_space(p[cs]); cs++)
			;
		for (ce = ws; ce > cs && is_space(p[ce - 1]); ce--)
			;
		if (ce > cs)
			break;
	}
	ev->comm = p + cs;
	ev->commn = ce - cs;
	if (slash) {
		ev->pid = p + ws;
		ev->pidn = slash - ws;
		ev->tid = p + slash + 1;
		ev->tidn = we - slash - 1;
	} else {
		ev->pid = "?";
		ev->pidn = 1;
		ev->tid = p + ws;
		ev->tidn = we - ws;
	}
	ev->period = 1;
	ev->ev = ev->rest = p + n;
	ev->evn = ev->restn = 0;

	token(p, n, &i, &ts, &te);
	if (te - ts >= 2 && p[ts] == '[' && p[te - 1] == ']')
		token(p, n, &i, &ts, &te);
	if (te - ts >= 2 && p[te - 1] == ':' && is_digit(p[ts])) {
		size_t k;

		for (k = ts; k < te - 1 && (is_digit(p[k]) || p[k] == '.'); k++)
			;
		if (k == te - 1)
			token(p, n, &i, &ts, &te);
	}
	if (all_digits(p + ts, te - ts)) {
		uint64_t v = 0;
		size_t k;

		for (k = ts; k < te; k++) {
			unsigned d = p[k] - '0';

			if (v > (UINT64_MAX - d) / 10) {
				v = UINT64_MAX;
				break;
			}
			v = v * 10 + d;
		}
		ev->period = v;
		token(p, n, &i, &ts, &te);
	}
	if (te - ts >= 2 && p[te - 1] == ':') {
		ev->ev = p + ts;
		ev->evn = te - ts - 1;
		while (i < n && is_space(p[i]))
			i++;
		ev->rest = p + i;
		ev->restn = n - i;
	}
	return 0;
}

size_t
foldsym_strip_offset(const char *s, size_t n)
{
	size_t k = n;

	while (k > 0 && (is_digit(s[k - 1]) || (s[k - 1] >= 'a' &&
						  s[k - 1] <= 'f')))
		k--;
	if (k < n && k >= 3 && !memcmp(s + k - 3, "+0x", 3))
		return k - 3;
	return n;
}

void
foldsym_unknown(struct sbuf *out, const struct foldsym_line *fl, int addrs)
{
	const char *b = fl->mod;
	size_t bn = fl->modn, i;

	sbuf_reset(out);
	if (bn == 9 && !memcmp(b, "[unknown]", 9)) {
		b = "unknown";
		bn = 7;
	} else {
		const char *sl = memrchr(b, '/', bn);

		if (sl) {
			bn -= sl + 1 - b;
			b = sl + 1;
		}
	}
	sbuf_addc(out, '[');
	sbuf_add(out, b, bn);
	/* a newline in the path would end the folded line: '?' */
	for (i = out->len - bn; i < out->len; i++)
		if ((unsigned char)out->buf[i] < ' ')
			out->buf[i] = '?';
	if (addrs) {
		sbuf_add(out, " <", 2);
		sbuf_add(out, fl->pc, fl->pcn);
		sbuf_addc(out, '>');
	}
	sbuf_addc(out, ']');
}

int
foldsym_needs_tidy(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == ';' || c == '(' || c == '\'' || c == '"')
			return 1;
	}
	return 0;
}

/* Length of a C++ operator name's "<", "<<=", "->*" ... at s[i]. */
static size_t
operator_len(const char *s, size_t n, size_t i)
{
	size_t k;

	if (n - i < 9 || memcmp(s + i, "operator", 8) ||
	    (i > 0 && is_word(s[i - 1])))
		return 0;
	for (k = i + 8; k < n && (s[k] == '<' || s[k] == '>' || s[k] == '=' ||
				  s[k] == '-' || s[k] == '*'); k++)
		;
	return k - i;
}

void
foldsym_tidy(struct sbuf *out, const char *s, size_t n)
{
	size_t i, cut = n, k;
	long depth = 0;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': case '{': case '[':
			depth++;
			break;
		case '>': case '}': case ']': case ')':
			depth--;
			break;
		case 'o':
			k = operator_len(s, n, i);
			if (k)
				i += k - 1;
			break;
		case '(':
			if (depth == 0 && !(i > 0 && s[i - 1] == '.') &&
			    !(n - i >= 21 &&
			      !memcmp(s + i, "(anonymous namespace)", 21))) {
				cut = i;
				goto done;
			}
			depth++;
			break;
		}
	}
done:
	sbuf_reset(out);
	sbuf_grow(out, cut);
	for (i = 0; i < cut; i++) {
		char c = s[i];

		if (c == '\'' || c == '"')
			continue;
		out->buf[out->len++] = c == ';' ? ':' : c;
	}
	out->buf[out->len] = '\0';
}

int
foldsym_is_rust_hashed(const char *s, size_t n)
{
	size_t i;

	if (n < 17 || s[n - 17] != 'h')
		return 0;
	for (i = n - 16; i < n; i++)
		if (!is_xdigit(s[i]))
			return 0;
	return 1;
}

static const struct {
	const char *esc;
	char c;
} rust_esc[] = {
	{ "$SP$", '@' }, { "$BP$", '*' }, { "$RF$", '&' }, { "$LT$", '<' },
	{ "$GT$", '>' }, { "$LP$", '(' }, { "$RP$", ')' }, { "$C$", ',' },
	{ "$u7e$", '~' }, { "$u20$", ' ' }, { "$u27$", '\'' },
	{ "$u3d$", '=' }, { "$u5b$", '[' }, { "$u5d$", ']' },
	{ "$u7b$", '{' }, { "$u7d$", '}' }, { "$u3b$", ';' },
	{ "$u2b$", '+' }, { "$u21$", '!' }, { "$u22$", '"' },
};

void
foldsym_rust(struct sbuf *out, const char *s, size_t n)
{
	size_t i = 0, k;

	n -= 17;
	if (n >= 2 && s[n - 2] == ':' && s[n - 1] == ':')
		n -= 2;
	if (n >= 2 && s[0] == '_' && s[1] == '$')
		i = 1;
	sbuf_reset(out);
	while (i < n) {
		if (s[i] == '.') {
			if (i + 1 < n && s[i + 1] == '.') {
				sbuf_add(out, "::", 2);
				i += 2;
			} else {
				sbuf_addc(out, '.');
				i++;
			}
		} else if (s[i] == '$') {
			for (k = 0; k < sizeof(rust_esc) / sizeof(*rust_esc); k++) {
				size_t l = strlen(rust_esc[k].esc);

				if (n - i >= l && !memcmp(s + i, rust_esc[k].esc, l)) {
					sbuf_addc(out, rust_esc[k].c);
					i += l;
					break;
				}
			}
			if (k == sizeof(rust_esc) / sizeof(*rust_esc)) {
				sbuf_add(out, s + i, n - i);
				break;
			}
		} else {
			for (k = i; k < n && s[k] != '$' && s[k] != '.'; k++)
				;
			sbuf_add(out, s + i, k - i);
			i = k;
		}
	}
}

static int
is_vmlinux(const char *s, size_t n)
{
	const char *v = NULL, *p;
	size_t i;

	for (p = s; (p = memmem(p, n - (p - s), "vmlinux", 7)); p++)
		v = p;
	if (!v)
		return 0;
	for (i = v - s; i < n; i++)
		if (!is_word(s[i]) && s[i] != '-' && s[i] != '.')
			return 0;
	return 1;
}

int
foldsym_is_kernel(const char *mod, size_t n)
{
	if (n == 9 && !memcmp(mod, "[unknown]", 9))
		return 0;
	return (n && mod[0] == '[') || has_suffix(mod, n, ".ko") ||
	    is_vmlinux(mod, n);
}

int
foldsym_is_jit(const char *mod, size_t n)
{
	if (n >= 10 && !memcmp(mod, "/tmp/perf-", 10) && has_suffix(mod, n, ".map"))
		return 1;
	return memmem(mod, n, "/jitted-", 8) && has_suffix(mod, n, ".so");
}

int
foldsym_is_file(const char *mod, size_t n)
{
	return n > 1 && mod[0] == '/' && mod[1] != '/' &&
	    !foldsym_is_kernel(mod, n) && !foldsym_is_jit(mod, n) &&
	    !(n >= 7 && !memcmp(mod, "/memfd:", 7));
}
