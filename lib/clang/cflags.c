/*
 * Compile flags: the commands of compile_commands.json (through
 * libclang's compilation database) or of a make dry run, moved to the
 * snapshot's root, or a guess from the shape of the tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <clang-c/CXCompilationDatabase.h>

#include "clang/cflags.h"
#include "clang/makelog.h"
#include "base/hmap.h"
#include "base/path.h"
#include "base/xalloc.h"

struct cmd {
	char *dir;		/* where it runs, moved to the root */
	char *abs;		/* its source file, absolute, as given */
	char **argv;		/* the compiler first; paths moved */
	size_t argc;
	const struct gitsrc_file *f;
};

struct cflags {
	const struct gitsrc *gs;
	char *source;		/* for people: where the commands are */
	const char *from;	/* cflags_args.from of a command's answer */
	int db;
	struct cmd *cmds;
	size_t ncmds, cmdcap;
	struct hmap byfile;	/* snapshot abspath -> command index + 1 */
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


/* dir/name normalised, or name when absolute. */
static char *
absolute(const char *dir, const char *name)
{
	struct sbuf p = SBUF_INIT;

	if (name[0] != '/')
		sbuf_addf(&p, "%s/", dir);
	sbuf_adds(&p, name);
	path_normalise(p.buf);
	p.len = strlen(p.buf);
	return sbuf_detach(&p, NULL);
}

/*
 * Does the snapshot have rel (repository-relative; "" is the top) as a
 * file or as a directory of files?
 */
static int
in_snapshot(const struct gitsrc *gs, const char *rel)
{
	size_t lo = 0, hi = gs->nfiles, n = strlen(rel);

	if (!n || gitsrc_by_path(gs, rel))
		return 1;
	while (lo < hi) {	/* the first path >= rel */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(gs->files[mid].path, rel) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < gs->nfiles && !strncmp(gs->files[lo].path, rel, n); lo++)
		if (gs->files[lo].path[n] == '/')
			return 1;
	return 0;
}

/*
 * s with a leading from (a whole path component) replaced by to, when
 * the path names sources of the snapshot; a directory of the other
 * checkout that only its build made (generated headers) stays there.
 */
static char *
moved(const struct gitsrc *gs, const char *s, const char *from,
      const char *to)
{
	static const char *const opts[] = {
		"", "-I", "-isystem", "-iquote", "-idirafter", "-include",
		"-imacros", "--sysroot=", "-working-directory=", NULL,
	};
	size_t i, o, n = strlen(from);
	struct sbuf r = SBUF_INIT;

	for (i = 0; opts[i]; i++) {
		o = strlen(opts[i]);
		if (!strncmp(s, opts[i], o) && !strncmp(s + o, from, n) &&
		    (s[o + n] == '/' || !s[o + n])) {
			char *rel = xstrdup(s + o + n + (s[o + n] == '/'));

			path_normalise(rel);
			if (rel[0] && rel[strlen(rel) - 1] == '/')
				rel[strlen(rel) - 1] = '\0';
			if (!in_snapshot(gs, rel)) {
				free(rel);
				break;
			}
			free(rel);
			sbuf_add(&r, s, o);
			sbuf_addf(&r, "%s%s", to, s + o + n);
			return sbuf_detach(&r, NULL);
		}
	}
	return xstrdup(s);
}

/*
 * Add the command running argv in dir on file, when file is one of the
 * snapshot's: found under its root, else by the longest tail of its
 * path that names a file of the snapshot, the rest of the path being the
 * other checkout's root, moved to ours. Owns nothing of its arguments.
 */
static void
add_cmd(struct cflags *cf, const char *dir, const char *file,
	char *const *argv, size_t argc)
{
	const struct gitsrc *gs = cf->gs;
	const struct gitsrc_file *f;
	struct sbuf root = SBUF_INIT, other = SBUF_INIT;
	char *abs = absolute(dir, file), *p;
	struct cmd *c;
	void **slot;
	size_t i;
	int added;

	f = gitsrc_by_abspath(gs, abs);
	for (p = abs; !f && (p = strchr(p, '/')); p++)
		if (p[1] && (f = gitsrc_by_path(gs, p + 1)))
			break;
	if (gitsrc_by_abspath(gs, abs))
		p = NULL;	/* in our checkout: nothing to move */
	if (!f) {
		free(abs);
		return;
	}
	sbuf_add(&root, gs->root, strlen(gs->root) - 1);
	if (p)
		sbuf_add(&other, abs, (size_t)(p - abs));
	XGROW(cf->cmds, cf->ncmds + 1, cf->cmdcap);
	c = &cf->cmds[cf->ncmds];
	c->f = f;
	c->abs = abs;
	c->dir = p ? moved(gs, dir, other.buf, root.buf) : xstrdup(dir);
	c->argc = argc;
	c->argv = xcalloc(argc + 1, sizeof(char *));
	for (i = 0; i < argc; i++)
		c->argv[i] = p ? moved(gs, argv[i], other.buf, root.buf) :
			xstrdup(argv[i]);
	slot = hmap_put(&cf->byfile, f->abspath, strlen(f->abspath), &added);
	if (added)	/* the first command of a file is the one */
		*slot = (void *)(cf->ncmds + 1);
	cf->ncmds++;
	sbuf_release(&root);
	sbuf_release(&other);
}

/* Read the commands of the compilation database in dir; 0 when there. */
static int
read_database(struct cflags *cf, const char *dir)
{
	CXCompilationDatabase db;
	CXCompilationDatabase_Error e;
	CXCompileCommands all;
	struct sbuf p = SBUF_INIT;
	unsigned i, j, n;

	sbuf_addf(&p, "%s%scompile_commands.json", dir,
		  dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/");
	if (access(p.buf, R_OK)) {
		sbuf_release(&p);
		return -1;
	}
	db = clang_CompilationDatabase_fromDirectory(dir, &e);
	if (e != CXCompilationDatabase_NoError || !db) {
		sbuf_release(&p);
		return -1;
	}
	all = clang_CompilationDatabase_getAllCompileCommands(db);
	n = clang_CompileCommands_getSize(all);
	for (i = 0; i < n; i++) {
		CXCompileCommand c = clang_CompileCommands_getCommand(all, i);
		CXString d = clang_CompileCommand_getDirectory(c);
		CXString f = clang_CompileCommand_getFilename(c);
		unsigned na = clang_CompileCommand_getNumArgs(c);
		char **argv = xcalloc(na + 1, sizeof(char *));

		for (j = 0; j < na; j++) {
			CXString a = clang_CompileCommand_getArg(c, j);

			argv[j] = xstrdup(clang_getCString(a));
			clang_disposeString(a);
		}
		add_cmd(cf, clang_getCString(d), clang_getCString(f), argv, na);
		for (j = 0; j < na; j++)
			free(argv[j]);
		free(argv);
		clang_disposeString(d);
		clang_disposeString(f);
	}
	clang_CompileCommands_dispose(all);
	clang_CompilationDatabase_dispose(db);
	cf->db = 1;
	cf->source = sbuf_detach(&p, NULL);
	return 0;
}

/* Read the commands of a make dry run in file; -1 with err set. */
static int
read_makelog(struct cflags *cf, const char *file, struct sbuf *err)
{
	struct makelog_cmd *v;
	struct sbuf text = SBUF_INIT, root = SBUF_INIT;
	char buf[8192];
	size_t n, i;
	FILE *fp = fopen(file, "r");

	if (!fp) {
		sbuf_addf(err, "cannot open '%s': %s", file, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_add(&text, buf, n);
	if (ferror(fp)) {
		sbuf_addf(err, "cannot read '%s': %s", file, strerror(errno));
		fclose(fp);
		sbuf_release(&text);
		return -1;
	}
	fclose(fp);
	sbuf_add(&root, cf->gs->root, strlen(cf->gs->root) - 1);
	n = makelog_parse(text.buf, text.len, root.buf, &v);
	for (i = 0; i < n; i++)
		add_cmd(cf, v[i].dir, v[i].file, v[i].argv, v[i].argc);
	makelog_free(v, n);
	sbuf_release(&text);
	sbuf_release(&root);
	sbuf_reset(&text);
	sbuf_addf(&text, "make -n output in %s", file);
	cf->source = sbuf_detach(&text, NULL);
	return 0;
}

struct cflags *
cflags_open(const struct gitsrc *gs, const char *build_dir,
	    const char *makelog, const char *label, char *const *extra,
	    size_t n_extra, struct sbuf *err)
{
	struct cflags *cf = xcalloc(1, sizeof(*cf));
	struct sbuf d = SBUF_INIT;
	size_t i;

	sbuf_reset(err);
	cf->gs = gs;
	if (build_dir) {
		read_database(cf, build_dir);
	} else if (read_database(cf, gs->root)) {
		sbuf_addf(&d, "%sbuild", gs->root);
		read_database(cf, d.buf);
	}
	sbuf_release(&d);
	cf->from = label ? label : "compile_commands.json";
	if (!cf->db && makelog) {
		if (read_makelog(cf, makelog, err)) {
			cflags_free(cf);
			return NULL;
		}
		cf->from = "make -n";
	}
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
	size_t i, j;

	if (!cf)
		return;
	for (i = 0; i < cf->ncmds; i++) {
		for (j = 0; j < cf->cmds[i].argc; j++)
			free(cf->cmds[i].argv[j]);
		free(cf->cmds[i].argv);
		free(cf->cmds[i].dir);
		free(cf->cmds[i].abs);
	}
	free(cf->cmds);
	hmap_free(&cf->byfile, NULL);
	for (i = 0; i < cf->n_extra; i++)
		free(cf->extra[i]);
	free(cf->extra);
	for (i = 0; i < cf->n_incdirs; i++)
		free(cf->incdirs[i]);
	free(cf->incdirs);
	free(cf->source);
	free(cf);
}

const char *
cflags_source(const struct cflags *cf)
{
	return cf->source;
}

size_t
cflags_count(const struct cflags *cf)
{
	return cf->byfile.n;
}

int
cflags_database(const struct cflags *cf)
{
	return cf->db;
}

/* The arguments of c, less the compiler, the input and the output. */
static void
from_command(const struct cmd *c, struct cflags_args *out)
{
	struct sbuf wd = SBUF_INIT;
	size_t i;

	for (i = 1; i < c->argc; i++) {
		const char *s = c->argv[i];
		char *abs;
		int input = 0;

		if (!strcmp(s, "-o") || !strcmp(s, "-MF") ||
		    !strcmp(s, "-MT") || !strcmp(s, "-MQ")) {
			i++;
			continue;
		}
		if (!strcmp(s, "-c") || !strncmp(s, "-o", 2) ||
		    !strcmp(s, "-MD") || !strcmp(s, "-MMD") ||
		    !strcmp(s, "-M") || !strcmp(s, "-MM") || !strcmp(s, "-MP"))
			continue;
		if (s[0] != '-' && gitsrc_is_source(s, NULL, NULL)) {
			abs = absolute(c->dir, s);
			input = !strcmp(abs, c->f->abspath) ||
				!strcmp(abs, c->abs);
			free(abs);
		}
		if (!input)
			push(out, s);
	}
	if (*c->dir) {
		sbuf_addf(&wd, "-working-directory=%s", c->dir);
		push(out, wd.buf);
	}
	sbuf_release(&wd);
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
static const struct cmd *
neighbour(const struct cflags *cf, const struct gitsrc_file *f)
{
	const char *slash = strrchr(f->path, '/');
	size_t i, dlen = slash ? (size_t)(slash - f->path) + 1 : 0;

	for (i = 0; i < cf->ncmds; i++) {
		const char *p = cf->cmds[i].f->path;

		if (!strncmp(p, f->path, dlen) && !strchr(p + dlen, '/'))
			return &cf->cmds[i];
	}
	return cf->ncmds ? &cf->cmds[0] : NULL;
}

void
cflags_for(struct cflags *cf, const struct gitsrc_file *f,
	   struct cflags_args *out)
{
	void *at = hmap_get(&cf->byfile, f->abspath, strlen(f->abspath));
	const struct cmd *c;
	size_t i;

	cflags_args_release(out);
	out->from = cf->from;
	if (at) {
		from_command(&cf->cmds[(size_t)at - 1], out);
	} else if ((c = neighbour(cf, f))) {
		from_command(c, out);
		push(out, "-x");
		push(out, language(cf->gs, f));
	} else {
		const char *lang = language(cf->gs, f);
		struct sbuf s = SBUF_INIT;

		out->from = "guessed";
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
