#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/dotenv.h"

static int
isname(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-';
}

static const char *
skipblank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int
dotenv_parse_line(const char *line, struct sbuf *key, struct sbuf *val)
{
	const char *p = skipblank(line), *q;

	sbuf_reset(key);
	sbuf_reset(val);
	if (!*p || *p == '#' || *p == '\r')
		return 0;
	if (!strncmp(p, "export", 6) && (p[6] == ' ' || p[6] == '\t'))
		p = skipblank(p + 6);
	for (q = p; isname((unsigned char)*q); q++)
		;
	if (q == p)
		return -1;
	sbuf_add(key, p, q - p);
	p = skipblank(q);
	if (*p++ != '=')
		return -1;
	p = skipblank(p);
	if (*p == '\'') {
		if (!(q = strchr(p + 1, '\'')))
			return -1;
		sbuf_add(val, p + 1, q - p - 1);
		return 1;
	}
	if (*p == '"') {
		for (p++; *p != '"'; p++) {
			if (!*p)
				return -1;
			if (*p == '\\' && p[1]) {
				p++;
				switch (*p) {
				case 'n': sbuf_addc(val, '\n'); break;
				case 't': sbuf_addc(val, '\t'); break;
				case 'r': sbuf_addc(val, '\r'); break;
				default: sbuf_addc(val, *p); break;
				}
			} else {
				sbuf_addc(val, *p);
			}
		}
		return 1;
	}
	for (q = p; *q && !(*q == '#' && q > p && (q[-1] == ' ' ||
	    q[-1] == '\t')); q++)
		;
	sbuf_add(val, p, q - p);
	sbuf_rtrim(val);
	return 1;
}

int
dotenv_get(const char *path, const char *name, struct sbuf *out)
{
	struct sbuf line = SBUF_INIT, k = SBUF_INIT, v = SBUF_INIT;
	FILE *fp;
	int r, found = 0;

	if (!(fp = fopen(path, "r")))
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	while ((r = sbuf_getline(&line, fp)) > 0) {
		if (dotenv_parse_line(line.buf, &k, &v) == 1 &&
		    !strcmp(k.buf, name)) {
			sbuf_reset(out);
			sbuf_add(out, v.buf, v.len);
			found = 1;
		}
	}
	if (r < 0) {
		int e = errno;

		fclose(fp);
		errno = e;
		found = -1;
	} else {
		fclose(fp);
	}
	/* lines and values may hold keys: leave no copies in freed memory */
	if (line.alloc)
		memset(line.buf, 0, line.alloc);
	if (v.alloc)
		memset(v.buf, 0, v.alloc);
	sbuf_release(&line);
	sbuf_release(&k);
	sbuf_release(&v);
	return found;
}
