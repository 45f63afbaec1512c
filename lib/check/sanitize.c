/*
 * Sanitized builds and runs of a candidate and its base.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/sanitize.h"
#include "check/checkrun.h"
#include "check/checkstore.h"
#include "attempt/slot.h"
#include "base/sha256.h"
#include "base/xalloc.h"

#define ELF_MAX (128 << 20)	/* bytes of a file scanned */
#define ELF_BYTES (512LL << 20)	/* bytes scanned in a tree */
#define LOGDIR ".pesq-san"

void
sanitize_result_release(struct sanitize_result *r)
{
	sbuf_release(&r->reason);
	sbuf_release(&r->json);
	sbuf_release(&r->said);
	sbuf_release(&r->log);
}

/*
 * The variables of a sanitized build of kind, exported, as shell text:
 * for the build, and for the sanitized runs, whose commands may build
 * programs of their own (a `make test` that compiles its tests).
 */
static void
env_prefix(const struct sanitize_opt *o, const char *kind, struct sbuf *out)
{
	const char *f = !strcmp(kind, SANITIZE_TSAN) ? "-fsanitize=thread" :
	    "-fsanitize=address,undefined";

	sbuf_addf(out, "if command -v clang >/dev/null 2>&1; then "
		  "CC=clang CXX=clang++; else CC=cc CXX=c++; fi\n"
		  "CFLAGS='%s -fno-omit-frame-pointer -g -O1'\n"
		  "CXXFLAGS=$CFLAGS LDFLAGS='%s' PESQ_SANITIZERS=%s\n", f, f, kind);
	if (!o->user_cmd)
		sbuf_addf(out, "MAKEFLAGS=\"CC=$CC\\\\ %s\\\\ "
			  "-fno-omit-frame-pointer\\\\ -g CXX=$CXX\\\\ %s\\\\ "
			  "-fno-omit-frame-pointer\\\\ -g\"\n"
			  "export MAKEFLAGS\n", f, f);
	sbuf_adds(out, "export CC CXX CFLAGS CXXFLAGS LDFLAGS "
		  "PESQ_SANITIZERS\n");
}

void
sanitize_build_cmd(const struct sanitize_opt *o, const char *kind,
		   struct sbuf *out)
{
	env_prefix(o, kind, out);
	sbuf_adds(out, o->user_cmd ? o->user_cmd : o->build_cmd);
}

/* Is the file at path an ELF file or an archive (of ELF objects)? */
static int
binary_file(const char *path)
{
	char head[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return 0;
	ok = read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
	    (!memcmp(head, "\177ELF", 4) || !memcmp(head, "!<arch>\n", 8));
	close(fd);
	return ok;
}

/*
 * Look through the ELF files and archives under dir (not .git, nor
 * pesq's own) for each of the n strings of needles; found[i] is set for
 * those seen. At most *budget bytes are read in all (it is decreased),
 * and no file over ELF_MAX; the walk stops once all are found. Returns
 * the number of files read.
 */
static int
elf_scan(const char *dir, const char *const *needles, int n, int *found,
	 long long *budget)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct sbuf path = SBUF_INIT, data = SBUF_INIT;
	int read_ = 0, left = 0;

	for (int i = 0; i < n; i++)
		left += !found[i];
	if (!d)
		return 0;
	while (left && *budget > 0 && (e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.' && (!e->d_name[1] ||
		    !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git") ||
		    !strncmp(e->d_name, ".pesq", 5)))
			continue;
		sbuf_reset(&path);
		sbuf_addf(&path, "%s/%s", dir, e->d_name);
		if (lstat(path.buf, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			read_ += elf_scan(path.buf, needles, n, found, budget);
		} else if (S_ISREG(st.st_mode) && st.st_size >= 64 &&
			   st.st_size <= ELF_MAX && st.st_size <= *budget &&
			   binary_file(path.buf)) {
			sbuf_reset(&data);
			if (sbuf_read_file(&data, path.buf) < 0)
				continue;
			*budget -= (long long)data.len;
			read_++;
			for (int i = 0; i < n; i++)
				if (!found[i] && memmem(data.buf, data.len,
					needles[i], strlen(needles[i])))
					found[i] = 1;
		}
		left = 0;
		for (int i = 0; i < n; i++)
			left += !found[i];
	}
	closedir(d);
	sbuf_release(&path);
	sbuf_release(&data);
	return read_;
}

int
sanitize_threads(const struct jsonl_rec *rec, const char *base_dir,
		 struct sbuf *why)
{
	static const char *const words[] = {
		"pthread_create", "thrd_create", "std::thread", "std::jthread",
		"std::async", "#pragma omp", NULL,
	};
	static const char *const calls[] = {
		"pthread_create", "GOMP_parallel", "thrd_create",
	};
	static const char *const code[] = { "candidate.code", "def.code" };
	int t = jsonl_path(rec, "ctx.flags"), found[3] = { 0 };
	long long budget = ELF_BYTES;
	struct sbuf s = SBUF_INIT;

	for (int i = 0; i < jsonl_count(rec, t); i++) {
		sbuf_reset(&s);
		jsonl_str(rec, jsonl_at(rec, t, i), &s);
		if (!strcmp(s.buf, "-pthread") || !strcmp(s.buf, "-fopenmp") ||
		    !strcmp(s.buf, "-lpthread")) {
			sbuf_addf(why, "the file is compiled with %s", s.buf);
			goto yes;
		}
	}
	for (int c = 0; c < 2; c++) {
		sbuf_reset(&s);
		if (!jsonl_path_str(rec, code[c], &s))
			continue;
		for (int i = 0; words[i]; i++)
			if (strstr(s.buf, words[i])) {
				sbuf_addf(why, "the %s uses %s", c ? "original" :
					  "candidate", words[i]);
				goto yes;
			}
	}
	if (base_dir && elf_scan(base_dir, calls, 3, found, &budget) > 0)
		for (int i = 0; i < 3; i++)
			if (found[i]) {
				sbuf_addf(why, "the programs built call %s",
					  calls[i]);
				goto yes;
			}
	sbuf_release(&s);
	return 0;
yes:
	sbuf_release(&s);
	return 1;
}

/* The reports one side wrote: each with the command that made it. */
struct found {
	struct sanreport *r;
	const char **cmd;
	size_t n, cap;
};

static void
found_release(struct found *f)
{
	for (size_t i = 0; i < f->n; i++)
		sanreport_release(&f->r[i]);
	free(f->r);
	free(f->cmd);
	memset(f, 0, sizeof(*f));
}

/* The logs the sanitizers wrote in dir, in name order, into out. */
static void
read_logs(const char *dir, struct sbuf *out)
{
	struct dirent **names;
	struct sbuf path = SBUF_INIT;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			sbuf_reset(&path);
			sbuf_addf(&path, "%s/%s", dir, names[i]->d_name);
			sbuf_read_file(out, path.buf);
			sbuf_addc(out, '\n');
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	sbuf_release(&path);
}

/*
 * Run the test command and one benchmark run in the sanitized worktree
 * wt; every report into f. Returns 0, or -1 (reason set).
 */
static int
run_side(const struct sanitize_opt *o, const char *kind, const char *wt,
	 struct found *f, struct sbuf *reason)
{
	const char *cmds[2] = { o->test_cmd, o->bench_cmd };
	const char *what[2] = { "test", "bench" };
	struct checkrun cr = { o->sb, o->run_timeout, NULL };
	struct sbuf env[3] = { SBUF_INIT, SBUF_INIT, SBUF_INIT };
	struct sbuf cmd = SBUF_INIT, logs = SBUF_INIT, dir = SBUF_INIT;
	const char *set[6];
	int ret = 0;

	sbuf_addf(&dir, "%s/" LOGDIR, wt);
	sbuf_addf(&env[0], "ASAN_OPTIONS=log_path=%s/asan:detect_leaks=1",
		  dir.buf);
	sbuf_addf(&env[1], "UBSAN_OPTIONS=log_path=%s/ubsan:"
		  "print_stacktrace=1", dir.buf);
	/*
	 * The longest history: ThreadSanitizer forgets the accesses it has
	 * no room for (its shadow is reset when the traces fill up), so a
	 * race between accesses far apart, with much work between them, is
	 * often missed with the default (a loop over a buffer is that).
	 */
	sbuf_addf(&env[2], "TSAN_OPTIONS=log_path=%s/tsan:history_size=7",
		  dir.buf);
	set[0] = env[0].buf;
	set[1] = env[1].buf;
	set[2] = env[2].buf;
	set[3] = "LSAN_OPTIONS=";
	set[4] = "MSAN_OPTIONS=";
	set[5] = NULL;
	for (int i = 0; i < 2 && ret == 0; i++) {
		struct proc_res res;
		size_t at = 0, next;

		if (!cmds[i])
			continue;
		sbuf_reset(&cmd);
		env_prefix(o, kind, &cmd);
		sbuf_addf(&cmd, "rm -rf " LOGDIR " && mkdir " LOGDIR
			  " || exit 125\n%s", cmds[i]);
		if (checkrun(&cr, wt, cmd.buf, set, 4096, &res) < 0) {
			sbuf_addf(reason, "cannot run the sanitized %s: %s",
				  what[i], strerror(errno));
			ret = -1;
			break;
		}
		proc_res_release(&res);
		sbuf_reset(&logs);
		read_logs(dir.buf, &logs);
		for (;;) {
			XGROW(f->r, f->n + 1, f->cap);
			f->cmd = xreallocarray(f->cmd, f->cap, sizeof(*f->cmd));
			memset(&f->r[f->n], 0, sizeof(f->r[f->n]));
			next = sanreport_next(logs.buf, logs.len, at, wt, 40,
					      3000, &f->r[f->n]);
			if (!next) {
				sanreport_release(&f->r[f->n]);
				break;
			}
			f->cmd[f->n++] = what[i];
			at = next;
		}
	}
	for (int i = 0; i < 3; i++)
		sbuf_release(&env[i]);
	sbuf_release(&cmd);
	sbuf_release(&logs);
	sbuf_release(&dir);
	return ret;
}

/*
 * The key of a baseline: what it was made with (the build command also
 * names the worktrees of that sanitized build).
 */
static void
baseline_key(const char *build, const struct sanitize_opt *o, char hex[17])
{
	struct sha256 c;
	unsigned char d[32];
	char full[65];
	const char *parts[3] = { build, o->test_cmd ? o->test_cmd : "",
		o->bench_cmd };

	sha256_init(&c);
	for (int i = 0; i < 3; i++)
		sha256_update(&c, parts[i], strlen(parts[i]) + 1);
	sha256_final(&c, d);
	sha256_tohex(d, full);
	memcpy(hex, full, 16);
	hex[16] = '\0';
}

/* What baseline_read looks for, and what it found. */
struct baseline_find {
	const char *kind, *key;
	struct sbuf *sigs;
	int found;
};

static void
baseline_line(const struct jsonl_rec *rec, void *arg)
{
	struct baseline_find *f = arg;
	int arr = jsonl_get(rec, 0, "reports");

	if (!jsonl_streq(rec, jsonl_get(rec, 0, "kind"), f->kind) ||
	    !jsonl_streq(rec, jsonl_get(rec, 0, "key"), f->key))
		return;
	sbuf_reset(f->sigs);
	for (int i = 0; i < jsonl_count(rec, arr); i++) {
		jsonl_str(rec, jsonl_get(rec, jsonl_at(rec, arr, i), "sig"),
			  f->sigs);
		sbuf_addc(f->sigs, '\n');
	}
	f->found = 1;
}

/*
 * The base's signatures for kind and key from its note: 1 with them in
 * sigs (one a line), 0 when the base has no such line yet.
 */
static int
baseline_read(git_repository *repo, const git_oid *base, const char *kind,
	      const char *key, struct sbuf *sigs)
{
	struct baseline_find f = { kind, key, sigs, 0 };

	checkstore_lines(repo, base, "sanitize-base", baseline_line, &f);
	return f.found;
}

static int
in_lines(const char *lines, const char *s)
{
	size_t n = strlen(s);

	for (const char *p = lines; (p = strstr(p, s)); p++)
		if ((p == lines || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/*
 * Run the base's side once and record its reports in its note; say so
 * when there are any. sigs gets them.
 */
static int
baseline_make(const struct sanitize_opt *o, const git_oid *base,
	      const char *hex, const char *kind, const char *key,
	      const char *wt, int instrumented, struct sbuf *sigs,
	      struct sanitize_result *r)
{
	struct found f = { 0 };
	struct sbuf line = SBUF_INIT, e = SBUF_INIT, names = SBUF_INIT;
	struct jw w;
	size_t distinct = 0;

	if (run_side(o, kind, wt, &f, &r->reason) < 0)
		return -1;
	jw_init(&w, &line);
	jw_obj(&w);
	jw_key(&w, "event");
	jw_str(&w, "sanitize-base");
	jw_key(&w, "kind");
	jw_str(&w, kind);
	jw_key(&w, "key");
	jw_str(&w, key);
	jw_key(&w, "instrumented");
	jw_int(&w, instrumented);
	jw_key(&w, "reports");
	jw_arr(&w);
	for (size_t i = 0; i < f.n; i++) {
		if (in_lines(sigs->buf ? sigs->buf : "", f.r[i].sig.buf))
			continue;
		sbuf_addf(sigs, "%s\n", f.r[i].sig.buf);
		if (distinct++ < 3) {
			sbuf_addf(&names, "%s", names.len ? "; " : "");
			sanreport_line(&f.r[i], &names);
		}
		jw_obj(&w);
		jw_key(&w, "sig");
		jw_str(&w, f.r[i].sig.buf);
		jw_key(&w, "cmd");
		jw_str(&w, f.cmd[i]);
		jw_key(&w, "report");
		jw_str(&w, f.r[i].text.buf);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_release(&w);
	if (checkstore_note(o->repo, base, line.buf, line.len, &e) < 0)
		sbuf_addf(&r->said, "%s\n", e.buf);
	if (distinct)
		sbuf_addf(&r->said, "the base %.7s is not clean under %s: %zu "
			  "report%s before any candidate (%s%s); recorded in "
			  "%s, they do not count against candidates\n", hex,
			  kind, distinct, distinct > 1 ? "s" : "", names.buf,
			  distinct > 3 ? "; ..." : "", CHECKSTORE_NOTES);
	found_release(&f);
	sbuf_release(&line);
	sbuf_release(&e);
	sbuf_release(&names);
	return 0;
}

/* One kind of sanitized build; 0 clean, 1 decided (r), -1 error (r). */
static int
judge_kind(const struct sanitize_opt *o, const char *kind,
	   const git_oid *base_id, const char *base, const char *commit,
	   struct jw *w, long *base_reports, struct sanitize_result *r)
{
	const char *pre = !strcmp(kind, SANITIZE_TSAN) ? "tsan" : "san";
	struct sbuf cmd = SBUF_INIT, name = SBUF_INIT, e = SBUF_INIT;
	struct sbuf sigs = SBUF_INIT;
	struct worktree wt;
	struct slot_opt so;
	struct found f = { 0 };
	char key[17];
	int k, ret = -1;

	sanitize_build_cmd(o, kind, &cmd);
	so = (struct slot_opt){ cmd.buf, o->build_timeout, o->sb, o->redact,
		o->cache };
	baseline_key(cmd.buf, o, key);
	/* worktrees of their own per build command: no stale objects */
	sbuf_addf(&name, "%s-%.8s-base", pre, key);
	k = slot_prepare(&wt, o->repo, name.buf, base, &so, &e);
	if (k != 0) {
		r->outcome = SANITIZE_SKIPPED;
		sbuf_addf(&r->reason, "the sanitized build (%s) %s: %.*s",
			  kind, k > 0 ? "fails on the base" :
			  "cannot be made", (int)strcspn(e.buf, "\n"), e.buf);
		ret = 1;
		goto out;
	}
	if (!baseline_read(o->repo, base_id, kind, key, &sigs)) {
		static const char *const init[] = {
			"__asan_init", "__tsan_init",
		};
		int found[2] = { 0 };
		long long budget = ELF_BYTES;

		elf_scan(wt.path, &init[pre[0] == 't'], 1, found, &budget);
		if (!found[0]) {
			r->outcome = SANITIZE_SKIPPED;
			sbuf_addf(&r->reason, "the sanitized build made no "
				  "program instrumented with -fsanitize=%s: "
				  "set pesq.sanitizeBuild", kind);
			worktree_close(&wt);
			ret = 1;
			goto out;
		}
		if (baseline_make(o, base_id, base, kind, key, wt.path, 1,
				  &sigs, r) < 0) {
			worktree_close(&wt);
			goto out;
		}
	}
	worktree_close(&wt);
	for (const char *p = sigs.buf; p && *p; p = strchr(p, '\n') + 1)
		(*base_reports)++;
	sbuf_reset(&name);
	sbuf_addf(&name, "%s-%.8s-%s", pre, key, o->slot);
	k = slot_prepare(&wt, o->repo, name.buf, commit, &so, &e);
	if (k != 0) {
		r->outcome = k > 0 ? SANITIZE_BUILD_FAILED : SANITIZE_ERROR;
		sbuf_addf(&r->reason, "the sanitized build (%s) of the "
			  "candidate %s", kind, k > 0 ? "failed" :
			  "cannot be made");
		sbuf_add(&r->log, e.buf, e.len);
		ret = 1;
		goto out;
	}
	k = run_side(o, kind, wt.path, &f, &r->reason);
	worktree_close(&wt);
	if (k < 0)
		goto out;
	ret = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (in_lines(sigs.buf ? sigs.buf : "", f.r[i].sig.buf))
			continue;
		r->outcome = SANITIZE_UNSAFE;
		sbuf_addf(&r->reason, "the sanitized %s run: ", f.cmd[i]);
		sanreport_line(&f.r[i], &r->reason);
		jw_key(w, "cmd");
		jw_str(w, f.cmd[i]);
		jw_key(w, "summary");
		sbuf_reset(&e);
		sanreport_line(&f.r[i], &e);
		jw_str(w, e.buf);
		jw_key(w, "report");
		jw_str(w, f.r[i].text.buf);
		ret = 1;
		break;
	}
out:
	found_release(&f);
	sbuf_release(&cmd);
	sbuf_release(&name);
	sbuf_release(&e);
	sbuf_release(&sigs);
	return ret;
}

void
sanitize_judge(const struct sanitize_opt *o, const struct jsonl_rec *rec,
	       const char *base, const char *commit, const char *base_dir,
	       struct sanitize_result *r)
{
	struct sbuf why = SBUF_INIT;
	const char *kinds[2] = { SANITIZE_ASAN, SANITIZE_TSAN };
	int nkinds = 1, k = 0;
	long base_reports = 0;
	git_oid base_id;
	struct jw w;

	r->outcome = SANITIZE_CLEAN;
	if (sanitize_threads(rec, base_dir, &why))
		nkinds = 2;
	jw_init(&w, &r->json);
	jw_obj(&w);
	jw_key(&w, "kinds");
	jw_arr(&w);
	for (int i = 0; i < nkinds; i++)
		jw_str(&w, kinds[i]);
	jw_arr_end(&w);
	jw_key(&w, "threads");
	if (why.len)
		jw_str(&w, why.buf);
	else
		jw_null(&w);
	if (git_oid_fromstr(&base_id, base) < 0) {
		sbuf_adds(&r->reason, "the base is not a commit id");
		r->outcome = SANITIZE_ERROR;
	}
	for (int i = 0; i < nkinds && r->outcome == SANITIZE_CLEAN; i++)
		if ((k = judge_kind(o, kinds[i], &base_id, base, commit, &w,
				    &base_reports, r)) < 0)
			r->outcome = SANITIZE_ERROR;
	jw_key(&w, "outcome");
	jw_str(&w, r->outcome == SANITIZE_CLEAN ? "clean" :
	       r->outcome == SANITIZE_UNSAFE ? "unsafe" :
	       r->outcome == SANITIZE_BUILD_FAILED ? "build-failed" :
	       r->outcome == SANITIZE_SKIPPED ? "skipped" : "error");
	jw_key(&w, "baseline");
	jw_int(&w, base_reports);
	if (r->outcome != SANITIZE_CLEAN && r->outcome != SANITIZE_UNSAFE) {
		jw_key(&w, "reason");
		jw_str(&w, r->reason.buf);
	}
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_release(&why);
}
