/*
 * Compile flags: compile_commands.json through libclang's compilation
 * database, or a guess from the shape of the tree.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <clang-c/CXCompilationDatabase.h>

#include "clang/cflags.h"
#include "base/xalloc.h"

struct cflags {
	const struct gitsrc *gs;
	CXCompilationDatabase db;
	char *dbpath;
	char **extra;
	size_t n_extra;
	char **incdirs;		/* guessed -I directories */
	size_t n_incdirs;
};

static void
push(struct cflags_args *a, const char *s)
{
	XGROW(a->v, a->n + 1, a->cap);
	a->v[a->n++] = xstrdup(s);
}

void
cflags_args_release(struct cflags_args *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
guess_incdirs(struct cflags *cf)
{
	const struct gitsrc *gs = cf->gs;
	size_t i, cap = 0, n = 0;
	char **v = NULL;

	for (i = 0; i < gs->nfiles; i++) {
		const char *abs = gs->files[i].abspath;
		const char *slash = strrchr(abs, '/');

		if (!gs->files[i].is_header)
			continue;
		XGROW(v, n + 1, cap);
		v[n++] = xstrndup(abs, (size_t)(slash - abs));
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	cf->n_incdirs = 0;
	for (i = 0; i < n; i++) {
		if (cf->n_incdirs && !strcmp(v[cf->n_incdirs - 1], v[i])) {
			free(v[i]);
			continue;
		}
		v[cf->n_incdirs++] = v[i];
	}
	cf->incdirs = v;
}

struct cflags *
cflags_open(const struct gitsrc *gs, const char *build_dir,
	    char *const *extra, size_t n_extra)
{
	struct cflags *cf = xcalloc(1, sizeof(*cf));
	const char *dirs[3];
	struct sbuf p = SBUF_INIT, d = SBUF_INIT;
	size_t i, nd = 0;

	cf->gs = gs;
	if (build_dir) {
		dirs[nd++] = build_dir;
	} else {
		dirs[nd++] = gs->root;
		sbuf_addf(&d, "%sbuild", gs->root);
		dirs[nd++] = d.buf;
	}
	for (i = 0; i < nd && !cf->db; i++) {
		CXCompilationDatabase_Error e;

		sbuf_reset(&p);
		sbuf_addf(&p, "%s%scompile_commands.json", dirs[i],
			  dirs[i][0] && dirs[i][strlen(dirs[i]) - 1] == '/' ?
			  "" : "/");
		if (access(p.buf, R_OK))
			continue;
		cf->db = clang_CompilationDatabase_fromDirectory(dirs[i], &e);
		if (e != CXCompilationDatabase_NoError) {
			cf->db = NULL;
			continue;
		}
		cf->dbpath = xstrdup(p.buf);
	}
	sbuf_release(&p);
	sbuf_release(&d);
	cf->extra = xcalloc(n_extra + 1, sizeof(char *));
	for (i = 0; i < n_extra; i++)
		cf->extra[i] = xstrdup(extra[i]);
	cf->n_extra = n_extra;
	guess_incdirs(cf);
	return cf;
}

void
cflags_free(struct cflags *cf)
{
	size_t i;

	if (!cf)
		return;
	if (cf->db)
		clang_CompilationDatabase_dispose(cf->db);
	for (i = 0; i < cf->n_extra; i++)
		free(cf->extra[i]);
	free(cf->extra);
	for (i = 0; i < cf->n_incdirs; i++)
		free(cf->incdirs[i]);
	free(cf->incdirs);
	free(cf->dbpath);
	free(cf);
}

const char *
cflags_database(const struct cflags *cf)
{
	return cf->dbpath;
}

static int
same_file(const char *dir, const char *arg, const char *file)
{
	size_t n = strlen(dir);

	if (!strcmp(arg, file))
		return 1;
	return arg[0] != '/' && !strncmp(file, dir, n) &&
		file[n] == '/' && !strcmp(file + n + 1, arg);
}

/* The arguments of cmd, less the compiler, the input and the output. */
static void
from_command(CXCompileCommand cmd, struct cflags_args *out)
{
	CXString dir = clang_CompileCommand_getDirectory(cmd);
	CXString file = clang_CompileCommand_getFilename(cmd);
	const char *d = clang_getCString(dir), *f = clang_getCString(file);
	unsigned i, n = clang_CompileCommand_getNumArgs(cmd);
	struct sbuf wd = SBUF_INIT;

	for (i = 1; i < n; i++) {
		CXString a = clang_CompileCommand_getArg(cmd, i);
		const char *s = clang_getCString(a);

		if (!strcmp(s, "-o") || !strcmp(s, "-MF") ||
		    !strcmp(s, "-MT") || !strcmp(s, "-MQ"))
			i++;
		else if (!strcmp(s, "-c") || !strncmp(s, "-o", 2) ||
			 !strcmp(s, "-MD") || !strcmp(s, "-MMD") ||
			 !strcmp(s, "-M") || !strcmp(s, "-MM") ||
			 !strcmp(s, "-MP") || same_file(d, s, f))
			;
		else
			push(out, s);
		clang_disposeString(a);
	}
	if (d && *d) {
		sbuf_addf(&wd, "-working-directory=%s", d);
		push(out, wd.buf);
	}
	sbuf_release(&wd);
	clang_disposeString(dir);
	clang_disposeString(file);
}

/* Language of f when parsed on its own (a header has no command). */
static const char *
language(const struct gitsrc *gs, const struct gitsrc_file *f)
{
	if (f->is_cxx)
		return "c++";
	if (f->is_header && gs->has_cxx &&
	    (strstr(f->data, "namespace") || strstr(f->data, "class ") ||
	     strstr(f->data, "template")))
		return "c++";
	return "c";
}

/* A command for a file of the directory of f, else the first one. */
static int
neighbour(struct cflags *cf, const struct gitsrc_file *f,
	  struct cflags_args *out)
{
	CXCompileCommands all = clang_CompilationDatabase_getAllCompileCommands(
		cf->db);
	unsigned i, n = clang_CompileCommands_getSize(all), pick = 0;
	const char *slash = strrchr(f->abspath, '/');
	size_t dlen = (size_t)(slash - f->abspath) + 1;

	for (i = 0; i < n; i++) {
		CXCompileCommand c = clang_CompileCommands_getCommand(all, i);
		CXString fs = clang_CompileCommand_getFilename(c);
		const char *s = clang_getCString(fs);
		int same = !strncmp(s, f->abspath, dlen) &&
			!strchr(s + dlen, '/');

		clang_disposeString(fs);
		if (same) {
			pick = i;
			break;
		}
	}
	if (n)
		from_command(clang_CompileCommands_getCommand(all, pick), out);
	clang_CompileCommands_dispose(all);
	return n > 0;
}

void
cflags_for(struct cflags *cf, const struct gitsrc_file *f,
	   struct cflags_args *out)
{
	int found = 0;
	size_t i;

	cflags_args_release(out);
	if (cf->db) {
		CXCompileCommands cmds =
			clang_CompilationDatabase_getCompileCommands(cf->db,
								     f->abspath);

		if (clang_CompileCommands_getSize(cmds)) {
			from_command(clang_CompileCommands_getCommand(cmds, 0),
				     out);
			found = 1;
		}
		clang_CompileCommands_dispose(cmds);
		if (!found && neighbour(cf, f, out)) {
			push(out, "-x");
			push(out, language(cf->gs, f));
			found = 1;
		}
	}
	if (!found) {
		const char *lang = language(cf->gs, f);
		struct sbuf s = SBUF_INIT;

		out->guessed = 1;
		push(out, "-x");
		push(out, lang);
		push(out, strcmp(lang, "c") ? "-std=gnu++17" : "-std=gnu11");
		for (i = 0; i < cf->n_incdirs; i++) {
			sbuf_reset(&s);
			sbuf_addf(&s, "-I%s", cf->incdirs[i]);
			push(out, s.buf);
		}
		sbuf_release(&s);
	}
	push(out, "-ferror-limit=0");
	push(out, "-w");
	for (i = 0; i < cf->n_extra; i++)
		push(out, cf->extra[i]);
}
