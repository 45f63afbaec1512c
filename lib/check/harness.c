/*
 * The source and flags of a differential check's program.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check/harness.h"
#include "base/xalloc.h"

void
harness_orig_name(const char *fn, struct sbuf *out)
{
	sbuf_addf(out, "pesq_orig_%s", fn);
}

static int
ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '$' || (c & 0x80);
}

/* The length of the comment or literal at code[i], or 0 when none. */
static size_t
opaque(const char *code, size_t n, size_t i)
{
	const char *e;
	size_t j;

	if (i + 1 < n && code[i] == '/' && code[i + 1] == '/') {
		e = memchr(code + i, '\n', n - i);
		return e ? (size_t)(e - code) - i : n - i;
	}
	if (i + 1 < n && code[i] == '/' && code[i + 1] == '*') {
		e = i + 2 < n ? memmem(code + i + 2, n - i - 2, "*/", 2) : NULL;
		return e ? (size_t)(e - code) + 2 - i : n - i;
	}
	if (code[i] != '"' && code[i] != '\'')
		return 0;
	for (j = i + 1; j < n && code[j] != code[i] && code[j] != '\n'; j++)
		if (code[j] == '\\')
			j++;
	return (j < n ? j + 1 : n) - i;
}

void
harness_rename(const char *code, size_t n, const char *from, const char *to,
	       struct sbuf *out)
{
	size_t k = strlen(from), i = 0;

	while (i < n) {
		size_t skip = opaque(code, n, i);

		if (skip) {
			sbuf_add(out, code + i, skip);
			i += skip;
		} else if (ident_char((unsigned char)code[i])) {
			size_t j = i;

			while (j < n && ident_char((unsigned char)code[j]))
				j++;
			if (j - i == k && !memcmp(code + i, from, k))
				sbuf_adds(out, to);
			else
				sbuf_add(out, code + i, j - i);
			i = j;
		} else {
			sbuf_addc(out, code[i++]);
		}
	}
}

/* Is the definition a C99 inline one (inline, neither static nor extern)? */
static int
plain_inline(const char *code)
{
	const char *brace = strchr(code, '{');
	size_t head = brace ? (size_t)(brace - code) : strlen(code);
	int in = 0, other = 0;

	for (size_t i = 0; i < head;) {
		size_t j = i;

		while (j < head && ident_char((unsigned char)code[j]))
			j++;
		if (j > i) {
			in |= (j - i == 6 && !memcmp(code + i, "inline", 6)) ||
			    (j - i == 10 && !memcmp(code + i, "__inline__", 10));
			other |= (j - i == 6 && !memcmp(code + i, "static", 6)) ||
			    (j - i == 6 && !memcmp(code + i, "extern", 6));
			i = j;
		} else {
			i++;
		}
	}
	return in && !other;
}

void
harness_source(const struct harness_parts *p, struct sbuf *out)
{
	struct sbuf name = SBUF_INIT;

	harness_orig_name(p->fn, &name);
	sbuf_addf(out, "#line 1 \"%s\"\n", p->file);
	sbuf_add(out, p->unit, p->unit_len);
	if (p->unit_len && p->unit[p->unit_len - 1] != '\n')
		sbuf_addc(out, '\n');
	sbuf_addf(out, "#line %ld \"%s@orig\"\n%s", p->orig_line > 0 ?
		  p->orig_line : 1, p->file, plain_inline(p->orig) ?
		  "static " : "");
	harness_rename(p->orig, strlen(p->orig), p->fn, name.buf, out);
	sbuf_adds(out, "\n#include <stddef.h>\n#include <stdint.h>\n");
	sbuf_addf(out, "%sint LLVMFuzzerTestOneInput(const uint8_t *data, "
		  "size_t size);\n", p->cxx ? "extern \"C\" " : "");
	sbuf_addf(out, "#line 1 \"%s\"\n%s", p->check_name, p->check);
	if (!*p->check || p->check[strlen(p->check) - 1] != '\n')
		sbuf_addc(out, '\n');
	sbuf_release(&name);
}

void
harness_argv_push(struct harness_argv *a, const char *s)
{
	XGROW(a->v, a->n + 2, a->cap);
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

void
harness_argv_release(struct harness_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

/* A path flag's value, moved from from_root to to_root, into out. */
static void
map_path(const char *p, const char *wd, const char *from_root,
	 const char *to_root, struct sbuf *out)
{
	size_t fl = from_root ? strlen(from_root) : 0;

	sbuf_reset(out);
	if (*p != '/' && wd)
		sbuf_addf(out, "%s/", wd);
	sbuf_adds(out, p);
	while (fl > 1 && from_root[fl - 1] == '/')
		fl--;
	if (fl && !strncmp(out->buf, from_root, fl) &&
	    (out->buf[fl] == '/' || !out->buf[fl])) {
		char *rest = xstrdup(out->buf + fl);

		sbuf_reset(out);
		sbuf_addf(out, "%s%s", to_root, rest);
		free(rest);
	}
}

void
harness_flags(char *const *flags, size_t nflags, const char *from_root,
	      const char *to_root, struct harness_argv *out)
{
	static const char *const path_flags[] = {
		"-I", "-isystem", "-iquote", "-idirafter", "-include",
		"-imacros", NULL,
	};
	static const char *const drop_f[] = {
		"-fsanitize", "-fno-sanitize", "-fprofile", "-fcoverage",
		"-ferror-limit", "-fdiagnostics", "-fcolor-diagnostics",
		"-fno-color-diagnostics", "-fdebug-prefix-map",
		"-ffile-prefix-map", "-fmacro-prefix-map", "-flto",
		"-fno-omit-frame-pointer", "-fomit-frame-pointer", NULL,
	};
	struct sbuf path = SBUF_INIT, flag = SBUF_INIT;
	const char *wd = NULL;

	for (size_t i = 0; i < nflags; i++)
		if (!strncmp(flags[i], "-working-directory=", 19))
			wd = flags[i] + 19;
	for (size_t i = 0; i < nflags; i++) {
		const char *f = flags[i];
		int keep = 0, drop = 0;

		for (int k = 0; path_flags[k]; k++) {
			size_t kl = strlen(path_flags[k]);

			if (strncmp(f, path_flags[k], kl))
				continue;
			if (!f[kl] && i + 1 < nflags) {
				map_path(flags[++i], wd, from_root, to_root,
					 &path);
				harness_argv_push(out, path_flags[k]);
				harness_argv_push(out, path.buf);
			} else if (f[kl] && kl == 2) {
				map_path(f + kl, wd, from_root, to_root, &path);
				sbuf_reset(&flag);
				sbuf_addf(&flag, "%s%s", path_flags[k], path.buf);
				harness_argv_push(out, flag.buf);
			}
			keep = -1;
			break;
		}
		if (keep < 0)
			continue;
		for (int k = 0; drop_f[k]; k++)
			drop |= !strncmp(f, drop_f[k], strlen(drop_f[k]));
		if (!strcmp(f, "-x") && i + 1 < nflags) {
			i++;	/* the language comes from the file's name */
			continue;
		}
		keep = !strncmp(f, "-D", 2) || !strncmp(f, "-U", 2) ||
		    !strncmp(f, "-std=", 5) || !strcmp(f, "-pthread") ||
		    (!strncmp(f, "-f", 2) && !drop) || !strncmp(f, "-m", 2);
		if ((!strcmp(f, "-D") || !strcmp(f, "-U")) && i + 1 < nflags) {
			harness_argv_push(out, f);
			f = flags[++i];
		}
		if (keep)
			harness_argv_push(out, f);
	}
	sbuf_release(&path);
	sbuf_release(&flag);
}
