/*
 * Differential check programs: linked from a built tree's objects,
 * built and run with libFuzzer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check/fuzz.h"
#include "base/xalloc.h"

#define SCAN_MAX (64 << 20)	/* bytes of nm output read */
#define LOG_KEEP 16384		/* bytes of libFuzzer's output kept */
#define SANFLAGS "-fsanitize=fuzzer,address,undefined"

/* What the program's runs get, whatever the caller's environment says. */
static const char *const run_env[] = {
	"ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1",
	"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1",
	"LSAN_OPTIONS=", "MSAN_OPTIONS=", "TSAN_OPTIONS=", NULL,
};

void
fuzz_objs_release(struct fuzz_objs *o)
{
	for (size_t i = 0; i < o->n; i++) {
		for (char **u = o->undef[i]; u && *u; u++)
			free(*u);
		free(o->undef[i]);
		free(o->path[i]);
	}
	free(o->path);
	free(o->undef);
	free(o->has_main);
	free(o->dir);
	hmap_free(&o->def, NULL);
	harness_argv_release(&o->libs);
	memset(o, 0, sizeof(*o));
}

/* The object named p[0..n), added when new; its index. */
static size_t
object(struct fuzz_objs *o, const char *p, size_t n)
{
	if (o->n && strlen(o->path[o->n - 1]) == n &&
	    !memcmp(o->path[o->n - 1], p, n))
		return o->n - 1;
	XGROW(o->path, o->n + 1, o->cap);
	o->undef = xreallocarray(o->undef, o->cap, sizeof(*o->undef));
	o->has_main = xrealloc(o->has_main, o->cap);
	o->path[o->n] = xmemdupz(p, n);
	o->undef[o->n] = NULL;
	o->has_main[o->n] = 0;
	return o->n++;
}

static void
add_undef(struct fuzz_objs *o, size_t k, const char *s, size_t n)
{
	size_t m = 0;

	while (o->undef[k] && o->undef[k][m])
		m++;
	o->undef[k] = xreallocarray(o->undef[k], m + 2, sizeof(char *));
	o->undef[k][m] = xmemdupz(s, n);
	o->undef[k][m + 1] = NULL;
}

/*
 * One line of the scan: "O <object> <type> <symbol>" or "L <soname>".
 * Weak undefined symbols (w, v) are not needs; every other type but U is
 * a definition.
 */
static void
scan_line(struct fuzz_objs *o, const char *p, size_t n)
{
	const char *a, *b;

	if (n > 2 && p[0] == 'L' && p[1] == ' ') {
		struct sbuf l = SBUF_INIT;

		sbuf_addf(&l, "-l:%.*s", (int)(n - 2), p + 2);
		harness_argv_push(&o->libs, l.buf);
		sbuf_release(&l);
		return;
	}
	if (n < 3 || p[0] != 'O' || p[1] != ' ' ||
	    !(a = memchr(p + 2, ' ', n - 2)) || (size_t)(a - p) + 3 > n ||
	    a[2] != ' ')
		return;
	b = a + 3;
	{
		size_t k = object(o, p + 2, (size_t)(a - p - 2));
		size_t sl = (size_t)(p + n - b);

		if (a[1] == 'U')
			add_undef(o, k, b, sl);
		else if (a[1] != 'w' && a[1] != 'v') {
			int added;
			void **v = hmap_put(&o->def, b, sl, &added);

			if (added)
				*v = (void *)(uintptr_t)(k + 1);
			if (sl == 4 && !memcmp(b, "main", 4))
				o->has_main[k] = 1;
		}
	}
}

int
fuzz_objs_scan(const struct checkrun *c, const char *work, const char *dir,
	       struct fuzz_objs *o, struct sbuf *err)
{
	struct sbuf cmd = SBUF_INIT;
	struct proc_res res;
	int ret = -1;

	o->dir = xstrdup(dir);
	sbuf_adds(&cmd, "cd ");
	checkrun_quote(&cmd, dir);
	sbuf_adds(&cmd, " || exit 1\n"
		  "find . -name .git -prune -o -name '.pesq-*' -prune -o "
		  "-type f -name '*.o' -print | LC_ALL=C sort |\n"
		  "while IFS= read -r f; do nm -g -P \"$f\" 2>/dev/null |\n"
		  "\tawk -v f=\"${f#./}\" 'NF >= 2 { print \"O \" f \" \" $2 "
		  "\" \" $1 }'; done\n"
		  "find . -name .git -prune -o -type f -perm -u+x -print |\n"
		  "while IFS= read -r f; do readelf -d \"$f\" 2>/dev/null; "
		  "done | sed -n 's/.*Shared library: \\[\\(.*\\)\\]/L \\1/p' "
		  "| LC_ALL=C sort -u\n");
	if (checkrun(c, work, cmd.buf, NULL, SCAN_MAX, &res) < 0) {
		sbuf_addf(err, "cannot list the objects of '%s': %s", dir,
			  strerror(errno));
		goto out;
	}
	if (res.exit_code != 0 || res.out_total > SCAN_MAX) {
		sbuf_addf(err, "cannot list the objects of '%s' (status %d)",
			  dir, res.exit_code);
	} else {
		for (const char *p = res.out.buf, *nl; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			scan_line(o, p, nl ? (size_t)(nl - p) : strlen(p));
			if (!nl)
				break;
		}
		ret = 0;
	}
	proc_res_release(&res);
out:
	sbuf_release(&cmd);
	return ret;
}

/* Libraries every program loads, or that the sanitizers bring. */
static int
common_lib(const char *l)
{
	static const char *const libs[] = {
		"-l:libc.so", "-l:ld-linux", "-l:libasan", "-l:libubsan",
		"-l:libtsan", "-l:liblsan", "-l:libgcc_s", "-l:libstdc++",
		"-l:libm.so", "-l:libpthread", "-l:libdl", "-l:linux-vdso",
		NULL,
	};

	for (int i = 0; libs[i]; i++)
		if (!strncmp(l, libs[i], strlen(libs[i])))
			return 1;
	return 0;
}

/*
 * The objects to link with the program whose symbols are in the file
 * syms (nm -P): those defining what it needs, transitively. Appends the
 * link command's object arguments (with `main` renamed) to cmd.
 */
static void
closure(const struct fuzz_prog *p, const char *syms, struct sbuf *cmd,
	struct sbuf *pre)
{
	const struct fuzz_objs *o = p->objs;
	struct hmap mine = HMAP_INIT, done = HMAP_INIT;
	char **queue = NULL, *taken;
	size_t nq = 0, qcap = 0;
	unsigned char *bad = xcalloc(o->n + 1, 1);

	taken = xcalloc(o->n + 1, 1);
	for (const char *s = syms, *nl; *s; s = nl + 1) {
		size_t n;
		const char *sp;

		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		if ((sp = memchr(s, ' ', n)) && sp + 1 < s + n) {
			if (sp[1] == 'U') {
				XGROW(queue, nq + 1, qcap);
				queue[nq++] = xmemdupz(s, (size_t)(sp - s));
			} else if (sp[1] != 'w' && sp[1] != 'v') {
				void *k = hmap_get(&o->def, s, (size_t)(sp - s));

				hmap_put(&mine, s, (size_t)(sp - s), NULL);
				/* its definer here is the unit's own object */
				if (k && strncmp(s, "main", (size_t)(sp - s)))
					bad[(uintptr_t)k - 1] = 1;
			}
		}
		if (!nl)
			break;
	}
	while (nq > 0) {
		char *sym = queue[--nq];
		void *k;

		if (!hmap_get(&mine, sym, strlen(sym)) &&
		    !hmap_get(&done, sym, strlen(sym)) &&
		    (k = hmap_get(&o->def, sym, strlen(sym))) &&
		    !bad[(uintptr_t)k - 1] && !taken[(uintptr_t)k - 1]) {
			size_t i = (uintptr_t)k - 1;

			taken[i] = 1;
			for (char **u = o->undef[i]; u && *u; u++) {
				XGROW(queue, nq + 1, qcap);
				queue[nq++] = xstrdup(*u);
			}
		}
		hmap_put(&done, sym, strlen(sym), NULL);
		free(sym);
	}
	for (size_t i = 0; i < o->n; i++) {
		struct sbuf path = SBUF_INIT;

		if (!taken[i])
			continue;
		sbuf_addf(&path, "%s/%s", o->dir, o->path[i]);
		if (o->has_main[i]) {
			/* the program's main, renamed away in a copy */
			sbuf_addf(pre, "objcopy --redefine-sym "
				  "main=pesq_program_main ");
			checkrun_quote(pre, path.buf);
			sbuf_addf(pre, " %s-main%zu.o || exit 1\n", p->name, i);
			sbuf_addf(cmd, " %s-main%zu.o", p->name, i);
		} else {
			sbuf_addc(cmd, ' ');
			checkrun_quote(cmd, path.buf);
		}
		sbuf_release(&path);
	}
	for (size_t i = 0; i < o->libs.n; i++)
		if (!common_lib(o->libs.v[i]))
			sbuf_addf(cmd, " %s", o->libs.v[i]);
	free(queue);
	free(taken);
	free(bad);
	hmap_free(&mine, NULL);
	hmap_free(&done, NULL);
}

/* Run cmd in p->work; 0 when it exited 0, 1 with its output in log. */
static int
step(const struct checkrun *c, const struct fuzz_prog *p, const char *cmd,
     struct sbuf *log)
{
	struct proc_res res;
	int ret;

	if (checkrun(c, p->work, cmd, run_env, 1 << 20, &res) < 0) {
		sbuf_addf(log, "cannot run the compiler: %s", strerror(errno));
		return -1;
	}
	ret = res.exit_code != 0 || res.timed_out;
	if (ret && res.timed_out)
		sbuf_addf(log, "the build timed out after %g s\n", c->timeout);
	if (ret)
		sbuf_add(log, res.out.buf, res.out.len);
	proc_res_release(&res);
	return ret;
}

int
fuzz_build(const struct checkrun *c, const struct fuzz_prog *p,
	   const char *src, size_t len, struct sbuf *log)
{
	struct sbuf path = SBUF_INIT, cmd = SBUF_INIT, syms = SBUF_INIT;
	struct sbuf link = SBUF_INIT, pre = SBUF_INIT, data = SBUF_INIT;
	const char *cc = p->cxx ? "clang++" : "clang";
	const char *ext = p->cxx ? "cc" : "c";
	int ret = -1;

	sbuf_addf(&path, "%s/%s.%s", p->work, p->name, ext);
	sbuf_add(&data, src, len);
	if (sbuf_write_file(&data, path.buf) < 0) {
		sbuf_addf(log, "cannot write '%s': %s", path.buf,
			  strerror(errno));
		goto out;
	}
	sbuf_addf(&cmd, "rm -f %s %s.o %s.syms\n%s -g -O1 " SANFLAGS
		  " -fno-sanitize-recover=undefined -fno-omit-frame-pointer "
		  "-Dmain=pesq_program_main -w", p->name, p->name, p->name, cc);
	for (size_t i = 0; p->flags && i < p->flags->n; i++) {
		sbuf_addc(&cmd, ' ');
		checkrun_quote(&cmd, p->flags->v[i]);
	}
	sbuf_addf(&cmd, " -c %s.%s -o %s.o || exit 1\n"
		  "nm -g -P %s.o | awk '{ print $1 \" \" $2 }' >%s.syms\n",
		  p->name, ext, p->name, p->name, p->name);
	if ((ret = step(c, p, cmd.buf, log)) != 0)
		goto out;
	sbuf_reset(&path);
	sbuf_addf(&path, "%s/%s.syms", p->work, p->name);
	if (sbuf_read_file(&syms, path.buf) < 0) {
		sbuf_addf(log, "cannot read '%s': %s", path.buf,
			  strerror(errno));
		ret = -1;
		goto out;
	}
	sbuf_addf(&link, "clang++ " SANFLAGS " -o %s %s.o", p->name, p->name);
	closure(p, syms.buf, &link, &pre);
	sbuf_reset(&cmd);
	sbuf_addf(&cmd, "%s%s -lm -lpthread\n", pre.buf ? pre.buf : "",
		  link.buf);
	ret = step(c, p, cmd.buf, log);
out:
	sbuf_release(&path);
	sbuf_release(&cmd);
	sbuf_release(&syms);
	sbuf_release(&link);
	sbuf_release(&pre);
	sbuf_release(&data);
	return ret;
}

void
fuzz_result_release(struct fuzz_result *r)
{
	sbuf_release(&r->log);
	sbuf_release(&r->artifact);
	sbuf_release(&r->input);
	r->found = 0;
	r->runs = 0;
}

/* The number after key in s, or -1. */
static long
stat_of(const char *s, const char *key)
{
	const char *p = NULL, *q;

	for (q = s; (q = strstr(q, key)); q++)
		p = q;
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

int
fuzz_run(const struct checkrun *c, const char *work, const char *name,
	 const char *corpus, const char *seeds, double seconds,
	 unsigned long seed, struct fuzz_result *r)
{
	struct checkrun cr = *c;
	struct sbuf cmd = SBUF_INIT, path = SBUF_INIT;
	struct proc_res res;
	int per = seconds < 5 ? 5 : (int)seconds, ret = -1;
	const char *w;

	fuzz_result_release(r);
	if (mkdir(corpus, 0777) < 0 && errno != EEXIST) {
		sbuf_addf(&r->log, "cannot make '%s': %s", corpus,
			  strerror(errno));
		return -1;
	}
	sbuf_addf(&cmd, "rm -f %s-crash-* %s-leak-* %s-timeout-* %s-oom-* "
		  "%s.log\n./%s -max_total_time=%d -timeout=%d -seed=%lu "
		  "-print_final_stats=1 -artifact_prefix=%s- ", name, name,
		  name, name, name, name, seconds < 1 ? 1 : (int)seconds, per,
		  seed, name);
	checkrun_quote(&cmd, corpus);
	if (seeds) {
		sbuf_addc(&cmd, ' ');
		checkrun_quote(&cmd, seeds);
	}
	sbuf_addf(&cmd, " >%s.log 2>&1\n", name);
	cr.timeout = seconds + per + 120;
	if (checkrun(&cr, work, cmd.buf, run_env, 4096, &res) < 0) {
		sbuf_addf(&r->log, "cannot run the check: %s", strerror(errno));
		goto out;
	}
	r->found = res.exit_code != 0;
	r->secs = res.wall;
	sbuf_addf(&path, "%s/%s.log", work, name);
	if (sbuf_read_file(&r->log, path.buf) < 0)
		sbuf_addf(&r->log, "(no output: %s)", strerror(errno));
	if (res.timed_out)
		sbuf_addf(&r->log, "\npesq: the run was killed after %g s\n",
			  cr.timeout);
	proc_res_release(&res);
	r->runs = stat_of(r->log.buf, "stat::number_of_executed_units:");
	if (r->runs < 0)
		r->runs = stat_of(r->log.buf, "\nDone ");
	if ((w = strstr(r->log.buf, "Test unit written to "))) {
		w += strlen("Test unit written to ");
		sbuf_add(&r->artifact, w, strcspn(w, "\n"));
		if (r->artifact.buf[0] != '/') {
			sbuf_reset(&path);
			sbuf_addf(&path, "%s/%s", work, r->artifact.buf);
			sbuf_reset(&r->artifact);
			sbuf_add(&r->artifact, path.buf, path.len);
		}
		sbuf_read_file(&r->input, r->artifact.buf);
	}
	if (r->log.len > LOG_KEEP) {
		/* keep the end, where the report is */
		memmove(r->log.buf, r->log.buf + r->log.len - LOG_KEEP,
			LOG_KEEP);
		sbuf_setlen(&r->log, LOG_KEEP);
	}
	ret = 0;
out:
	sbuf_release(&cmd);
	sbuf_release(&path);
	return ret;
}

int
fuzz_replay(const struct checkrun *c, const char *work, const char *name,
	    const char *input, struct proc_res *res)
{
	struct sbuf cmd = SBUF_INIT;
	int ret;

	/* libFuzzer's own per-input limit, as long as a hang needs */
	sbuf_addf(&cmd, "./%s -runs=1 -timeout=30 ", name);
	checkrun_quote(&cmd, input);
	ret = checkrun(c, work, cmd.buf, run_env, 1 << 20, res);
	sbuf_release(&cmd);
	return ret;
}
