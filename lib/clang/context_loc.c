/*
 * Where a libclang cursor lies in the snapshot, its qualified name, and
 * where a function's body starts. Part of the context module (context.h).
 */
#include <stdlib.h>
#include <string.h>

#include "clang/context.h"
#include "base/path.h"
#include "base/xalloc.h"

int
context_locate(const struct gitsrc *gs, CXCursor c, struct context_loc *loc)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1, f2;
	unsigned line, col, off1, off2;
	CXString name;

	memset(loc, 0, sizeof(*loc));
	clang_getExpansionLocation(clang_getRangeStart(r), &f1, &line, &col,
				   &off1);
	clang_getExpansionLocation(clang_getRangeEnd(r), &f2, NULL, NULL,
				   &off2);
	if (!f1 || !clang_File_isEqual(f1, f2))
		return -1;
	name = clang_getFileName(f1);
	loc->path = xstrdup(clang_getCString(name) ? clang_getCString(name) :
			    "");
	clang_disposeString(name);
	path_normalise(loc->path);
	loc->file = f1;
	loc->start = off1;
	loc->end = off2;
	loc->line = line;
	loc->f = gs ? gitsrc_by_abspath(gs, loc->path) : NULL;
	if (loc->f && (off2 < off1 || off2 > loc->f->len))
		loc->f = NULL;
	return 0;
}

void
context_loc_release(struct context_loc *loc)
{
	free(loc->path);
	loc->path = NULL;
}

void
context_qualname(CXCursor c, struct sbuf *out)
{
	CXCursor v[64];
	size_t n = 0;

	sbuf_reset(out);
	while (n < 64 && !clang_Cursor_isNull(c) &&
	       clang_getCursorKind(c) != CXCursor_TranslationUnit) {
		v[n++] = c;
		c = clang_getCursorSemanticParent(c);
	}
	while (n-- > 0) {
		enum CXCursorKind k = clang_getCursorKind(v[n]);
		CXString s;

		if (k == CXCursor_LinkageSpec || k == CXCursor_UnexposedDecl)
			continue;
		s = clang_getCursorSpelling(v[n]);
		if (*clang_getCString(s)) {
			const char *p = clang_getCString(s);

			if (out->len)
				sbuf_adds(out, "::");
			/* "Box<T>" for a constructor of a template */
			sbuf_add(out, p, strncmp(p, "operator", 8) ?
				 strcspn(p, "<") : strlen(p));
		}
		clang_disposeString(s);
	}
}

static enum CXChildVisitResult
body_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	enum CXCursorKind k = clang_getCursorKind(c);

	(void)parent;
	if (k == CXCursor_CompoundStmt || k == CXCursor_CXXTryStmt)
		*(CXCursor *)data = c;
	return CXChildVisit_Continue;
}

unsigned
context_body_start(CXCursor fn, const struct context_loc *loc)
{
	CXCursor body = clang_getNullCursor();
	struct context_loc b;
	unsigned at = loc->end;

	clang_visitChildren(fn, body_visit, &body);
	if (clang_Cursor_isNull(body))
		return at;
	if (!context_locate(NULL, body, &b) && clang_File_isEqual(b.file,
								loc->file))
		at = b.start;
	context_loc_release(&b);
	return at;
}
