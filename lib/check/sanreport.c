/*
 * Sanitizer and libFuzzer reports in text: found, named, trimmed.
 */
#include <ctype.h>
#include <string.h>

#include "check/sanreport.h"

void
sanreport_release(struct sanreport *r)
{
	sbuf_release(&r->sig);
	sbuf_release(&r->text);
	sbuf_release(&r->where);
	r->kind = SANREPORT_NONE;
	r->start = 0;
}

int
sanreport_is_sanitizer(enum sanreport_kind k)
{
	return k == SANREPORT_ASAN || k == SANREPORT_UBSAN ||
	    k == SANREPORT_LSAN || k == SANREPORT_TSAN || k == SANREPORT_OTHER;
}

/* Does the line p[0..n) contain s? */
static const char *
has(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; i + k <= n; i++)
		if (p[i] == s[0] && !memcmp(p + i, s, k))
			return p + i;
	return NULL;
}

/* The kind of report whose first line is p[0..n), or SANREPORT_NONE. */
static enum sanreport_kind
first_line_kind(const char *p, size_t n)
{
	static const struct {
		const char *what;
		enum sanreport_kind kind;
	} starts[] = {
		{ "ERROR: AddressSanitizer:", SANREPORT_ASAN },
		{ "ERROR: LeakSanitizer:", SANREPORT_LSAN },
		{ "WARNING: ThreadSanitizer:", SANREPORT_TSAN },
		{ "ERROR: ThreadSanitizer:", SANREPORT_TSAN },
		{ "ERROR: libFuzzer: deadly signal", SANREPORT_SIGNAL },
		{ "ERROR: libFuzzer: timeout", SANREPORT_TIMEOUT },
		{ "ERROR: libFuzzer: out-of-memory", SANREPORT_OOM },
		{ "ERROR: libFuzzer: fuzz target exited", SANREPORT_EXIT },
		{ ": runtime error: ", SANREPORT_UBSAN },
		{ "ERROR: UndefinedBehaviorSanitizer:", SANREPORT_UBSAN },
		{ "ERROR: MemorySanitizer:", SANREPORT_OTHER },
	};

	for (size_t i = 0; i < sizeof(starts) / sizeof(*starts); i++)
		if (has(p, n, starts[i].what))
			return starts[i].kind;
	return SANREPORT_NONE;
}

/*
 * A stack frame line ("    #1 0x55 in f /x/t.c:8:48", TSan's "    #0 f
 * /x/t.c:11:70 (st+0xd0)"): the function into fn (reset first), and
 * its source location into loc (reset first; empty when there is only a
 * module, "(bin+0x..)").
 */
static int
frame(const char *p, size_t n, struct sbuf *fn, struct sbuf *loc)
{
	size_t i = 0, f;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i >= n || p[i] != '#')
		return 0;
	while (i < n && p[i] != ' ')
		i++;
	while (i < n && p[i] == ' ')
		i++;
	if (i + 2 < n && p[i] == '0' && p[i + 1] == 'x') {
		while (i < n && p[i] != ' ')
			i++;
		if (i + 4 <= n && !memcmp(p + i, " in ", 4))
			i += 4;
		else
			return 0;
	}
	f = i;
	while (i < n && p[i] != ' ')
		i++;
	sbuf_reset(fn);
	sbuf_add(fn, p + f, i - f);
	while (i < n && p[i] == ' ')
		i++;
	sbuf_reset(loc);
	if (i < n && p[i] != '(' && p[i] != '<') {
		f = i;
		while (i < n && p[i] != ' ')
			i++;
		if (memchr(p + f, ':', i - f))
			sbuf_add(loc, p + f, i - f);
	}
	return fn->len > 0;
}

/* A frame of the runtimes, an allocator or libc's start: not the culprit. */
static int
runtime_frame(const char *fn)
{
	static const char *const alloc[] = {
		"malloc", "calloc", "realloc", "free", "strdup", "strndup",
		"operator", "memcpy", "memmove", "memset", "abort", "raise",
		NULL,
	};

	if (!strncmp(fn, "__", 2) || !strncmp(fn, "fuzzer::", 8) ||
	    !strcmp(fn, "_start"))
		return 1;
	for (int i = 0; alloc[i]; i++)
		if (!strcmp(fn, alloc[i]))
			return 1;
	return 0;
}

/*
 * The message of a report's first line, the words that name its kind:
 * "heap-buffer-overflow", "signed integer overflow", "data race"; numbers,
 * addresses and quoted values dropped.
 */
static void
kind_words(const char *p, size_t n, enum sanreport_kind k, struct sbuf *out)
{
	static const char *const after[] = {
		"AddressSanitizer: ", "LeakSanitizer: ", "ThreadSanitizer: ",
		"runtime error: ", "libFuzzer: ", "Sanitizer: ", NULL,
	};
	const char *m = NULL, *e = p + n;
	size_t start = out->len;

	for (int i = 0; after[i] && !m; i++)
		if ((m = has(p, n, after[i])))
			m += strlen(after[i]);
	if (!m)
		return;
	while (m < e) {
		const char *w = m;
		int digit = 0;

		while (m < e && *m != ' ')
			digit |= isdigit((unsigned char)*m) || *m == '\'' ||
			    *m == '"' || *m == '(', m++;
		if (m > w && m[-1] == ':' && k == SANREPORT_UBSAN) {
			if (out->len > start)
				sbuf_addc(out, ' ');
			sbuf_add(out, w, (size_t)(m - 1 - w));
			break;
		}
		if (!digit && m > w) {
			if (out->len > start)
				sbuf_addc(out, ' ');
			sbuf_add(out, w, (size_t)(m - w));
		}
		while (m < e && *m == ' ')
			m++;
		if (k != SANREPORT_UBSAN && (!strncmp(m, "on ", 3) ||
					     *m == '('))
			break;
		if (out->len - start > 80)
			break;
	}
}

/*
 * A line of a report that tells a reader nothing: the frames of
 * libFuzzer, of libc's start and signal code and of the runtimes' own
 * printing, and libFuzzer's note on its signal handlers.
 */
static int
noise(const char *p, size_t n, const char *fn, const struct sbuf *loc)
{
	static const char *const libc[] = {
		"nptl/", "stdlib/", "signal/", "csu/", "sysdeps/", NULL,
	};

	if (!fn)
		return has(p, n, "libFuzzer has rudimentary signal handlers") ||
		    has(p, n, "Combine libFuzzer with AddressSanitizer") ||
		    (has(p, n, "#") && has(p, n, "  (/lib/"));
	if (!strncmp(fn, "fuzzer::", 8) || !strncmp(fn, "__libc_start", 12) ||
	    !strcmp(fn, "_start") || !strcmp(fn, "__sanitizer_print_stack_trace")
	    || (!strcmp(fn, "main") && !loc->len))
		return 1;
	for (int i = 0; libc[i]; i++)
		if (!strncmp(loc->buf ? loc->buf : "", libc[i], strlen(libc[i])))
			return 1;
	return 0;
}

static const char *const tool_name[] = {
	"", "AddressSanitizer", "UndefinedBehaviorSanitizer",
	"LeakSanitizer", "ThreadSanitizer", "libFuzzer", "libFuzzer",
	"libFuzzer", "libFuzzer", "sanitizer",
};

/* Append line p[0..n) to out, without "(BuildId: ...)" and prefix/. */
static void
add_line(struct sbuf *out, const char *p, size_t n, const char *prefix)
{
	size_t pl = prefix ? strlen(prefix) : 0;

	for (size_t i = 0; i < n;) {
		const char *b;

		if (pl && n - i > pl && !memcmp(p + i, prefix, pl) &&
		    p[i + pl] == '/') {
			i += pl + 1;
		} else if (p[i] == ' ' && n - i > 10 &&
			   !memcmp(p + i, " (BuildId: ", 11) &&
			   (b = memchr(p + i, ')', n - i))) {
			i = (size_t)(b + 1 - p);
		} else {
			sbuf_addc(out, p[i++]);
		}
	}
	sbuf_addc(out, '\n');
}

size_t
sanreport_next(const char *s, size_t n, size_t from, const char *prefix,
	       size_t max_lines, size_t max_bytes, struct sanreport *r)
{
	struct sbuf fn = SBUF_INIT, loc = SBUF_INIT;
	size_t i = from, lines = 0, end = 0;
	int culprit = 0;

	sanreport_release(r);
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;

		if ((r->kind = first_line_kind(s + i, len)) != SANREPORT_NONE)
			break;
		i += len + (nl != NULL);
	}
	if (i >= n || r->kind == SANREPORT_NONE) {
		r->kind = SANREPORT_NONE;
		return 0;
	}
	r->start = i;
	sbuf_addf(&r->sig, "%s: ", tool_name[r->kind]);
	{
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;

		kind_words(s + i, len, r->kind, &r->sig);
	}
	while (i < n) {
		const char *p = s + i, *nl = memchr(p, '\n', n - i);
		size_t len = nl ? (size_t)(nl - p) : n - i;
		int is_frame = frame(p, len, &fn, &loc);

		if (i > r->start && first_line_kind(p, len) != SANREPORT_NONE)
			break;
		i += len + (nl != NULL);
		end = i;
		if (is_frame && !culprit && !runtime_frame(fn.buf) &&
		    (loc.len || r->kind == SANREPORT_SIGNAL)) {
			sbuf_addf(&r->sig, " in %s", fn.buf);
			add_line(&r->where, loc.buf, loc.len, prefix);
			sbuf_rtrim(&r->where);
			culprit = 1;
		}
		if (noise(p, len, is_frame ? fn.buf : NULL, &loc))
			continue;
		if (lines < max_lines && r->text.len < max_bytes) {
			add_line(&r->text, p, len, prefix);
			lines++;
		}
		if (has(p, len, "SUMMARY: "))
			break;
	}
	if (r->text.len > max_bytes) {
		sbuf_setlen(&r->text, max_bytes);
		sbuf_adds(&r->text, "...\n");
	}
	sbuf_rtrim(&r->text);
	sbuf_release(&fn);
	sbuf_release(&loc);
	return end;
}

/* Is the line one of libFuzzer's or a runtime's own? */
static int
tool_line(const char *p, size_t n)
{
	static const char *const starts[] = {
		"#", "INFO:", "MS:", "NOTE:", "SUMMARY:", "Running:",
		"Executed ", "base unit:", "0x", "\\x", "artifact_prefix",
		"Test unit written", "Base64:", "stat::", "Done ", "=", "***",
		"DEDUP_TOKEN", "Shadow", NULL,
	};

	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	if (!n)
		return 1;
	for (int i = 0; starts[i]; i++)
		if (n >= strlen(starts[i]) &&
		    !memcmp(p, starts[i], strlen(starts[i])))
			return 1;
	return has(p, n, "Sanitizer") != NULL || has(p, n, "libFuzzer") != NULL;
}

void
sanreport_said(const char *s, const struct sanreport *r, struct sbuf *out)
{
	size_t end = r->start, i;

	while (end > 0) {
		i = end - 1;
		while (i > 0 && s[i - 1] != '\n')
			i--;
		if (!tool_line(s + i, end - 1 - i)) {
			size_t len = end - 1 - i;

			sbuf_add(out, s + i, len > 300 ? 300 : len);
			return;
		}
		end = i;
	}
}

void
sanreport_line(const struct sanreport *r, struct sbuf *out)
{
	sbuf_add(out, r->sig.buf, r->sig.len);
	if (r->where.len)
		sbuf_addf(out, " (%s)", r->where.buf);
}
