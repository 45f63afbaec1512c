/*
 * The checks of a candidate, and the validation of a differential check,
 * as records and ledger lines.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check/checks.h"
#include "check/checkrun.h"
#include "check/diffcheck.h"
#include "check/sanitize.h"
#include "attempt/slot.h"
#include "ledger/repo.h"
#include "base/path.h"
#include "base/xalloc.h"

#define HEX_MAX 256		/* input bytes shown in hex */

void
checks_result_release(struct checks_result *r)
{
	sbuf_release(&r->reason);
	sbuf_release(&r->json);
	sbuf_release(&r->note);
	sbuf_release(&r->said);
	sbuf_release(&r->log);
}

static int
is_cxx(const char *file)
{
	static const char *const cxx[] = {
		".cc", ".cpp", ".cxx", ".c++", ".C", ".hh", ".hpp", ".hxx",
		".H", NULL,
	};
	const char *dot = strrchr(file, '.');

	for (int i = 0; dot && cxx[i]; i++)
		if (!strcmp(dot, cxx[i]))
			return 1;
	return 0;
}

/* What a differential check needs from the record. */
struct prep {
	struct sbuf fn, file, orig;
	struct harness_argv flags;
	struct checkstore_check chk;
	git_oid base;
	long line;
	int cxx;
};

#define PREP_INIT { SBUF_INIT, SBUF_INIT, SBUF_INIT, { NULL, 0, 0 }, \
	CHECKSTORE_CHECK_INIT, { { 0 } }, 0, 0 }

static void
prep_release(struct prep *p)
{
	sbuf_release(&p->fn);
	sbuf_release(&p->file);
	sbuf_release(&p->orig);
	harness_argv_release(&p->flags);
	checkstore_check_release(&p->chk);
}

/*
 * Read the record for a check built in objdir (a worktree of the
 * repository). Returns 0; 1 when the check cannot be done (why says).
 */
static int
prep(const struct checks_opt *o, const struct jsonl_rec *rec,
     const char *base, const char *objdir, struct prep *p, struct sbuf *why)
{
	struct sbuf s = SBUF_INIT;
	struct harness_argv raw = { NULL, 0, 0 };
	int t = jsonl_path(rec, "ctx.flags");
	const char *slash;

	if (!jsonl_path_str(rec, "fn", &p->fn) ||
	    !jsonl_path_str(rec, "def.file", &p->file) ||
	    !jsonl_path_str(rec, "def.code", &p->orig)) {
		sbuf_adds(why, "the record has no 'fn', 'def.file' and "
			  "'def.code'");
		goto no;
	}
	if (strstr(p->fn.buf, "::") || strchr(p->fn.buf, '(')) {
		sbuf_addf(why, "'%s' is a qualified C++ name: the differential "
			  "check takes free functions only", p->fn.buf);
		goto no;
	}
	sbuf_setlen(&p->fn, strcspn(p->fn.buf, "."));
	if (!path_on_path("clang") || !path_on_path("clang++")) {
		sbuf_adds(why, "clang is not installed (the differential check "
			  "is built with libFuzzer)");
		goto no;
	}
	if (git_oid_fromstr(&p->base, base) < 0) {
		sbuf_addf(why, "'%s' is not a commit id", base);
		goto no;
	}
	p->line = (long)jsonl_path_int(rec, "def.line", 1);
	p->cxx = is_cxx(p->file.buf);
	for (int i = 0; i < jsonl_count(rec, t); i++) {
		sbuf_reset(&s);
		if (jsonl_str(rec, jsonl_at(rec, t, i), &s) == 0)
			harness_argv_push(&raw, s.buf);
	}
	harness_flags(raw.v, raw.n, git_repository_workdir(o->repo), objdir,
		      &p->flags);
	/* the unit's own directory, for its "quoted" includes */
	sbuf_reset(&s);
	slash = strrchr(p->file.buf, '/');
	sbuf_addf(&s, "%s/%.*s", objdir, slash ? (int)(slash - p->file.buf) :
		  0, p->file.buf);
	harness_argv_push(&p->flags, "-iquote");
	harness_argv_push(&p->flags, s.buf);
	harness_argv_push(&p->flags, "-I");
	harness_argv_push(&p->flags, objdir);
	harness_argv_release(&raw);
	sbuf_release(&s);
	return 0;
no:
	harness_argv_release(&raw);
	sbuf_release(&s);
	return 1;
}

/* Where the check comes from, as members of the object open in w. */
static void
source_members(struct jw *w, const struct checkstore_check *c)
{
	jw_key(w, "source");
	jw_str(w, c->user ? "user" : "model");
	jw_key(w, "path");
	jw_str(w, c->path.buf);
	if (c->blob[0]) {
		jw_key(w, "blob");
		jw_str(w, c->blob);
	}
}

/* What a run found, as members of the object open in w. */
static void
found_members(struct jw *w, const struct diffcheck_result *d)
{
	struct sbuf hex = SBUF_INIT;

	if (d->input.len || d->status == DIFFCHECK_DIFFERS ||
	    d->status == DIFFCHECK_UNSAFE) {
		diffcheck_hex(&d->input, HEX_MAX, &hex);
		jw_key(w, "input");
		jw_str(w, hex.buf);
		jw_key(w, "input_len");
		jw_uint(w, d->input.len);
	}
	if (d->said.len) {
		jw_key(w, "said");
		jw_str(w, d->said.buf);
	}
	if (d->report.len) {
		jw_key(w, "report");
		jw_str(w, d->report.buf);
	}
	sbuf_release(&hex);
}

/*
 * The note on the base about check c of fn: status, why, and (when the
 * original was fuzzed) how long; with llm (a record of pesq-llm's, may
 * be NULL), the model that wrote it, its cost and the tries it took.
 */
static int
note_check(const struct checks_opt *o, const struct prep *p,
	   const struct checkstore_check *c, const char *status,
	   const struct diffcheck_result *d, const struct jsonl_rec *llm,
	   long tries, struct sbuf *said)
{
	struct sbuf line = SBUF_INIT, e = SBUF_INIT;
	git_signature *sig = NULL;
	struct jw w;
	int r;

	jw_init(&w, &line);
	jw_obj(&w);
	jw_key(&w, "event");
	jw_str(&w, "check");
	jw_key(&w, "time");
	jw_int(&w, repo_signature(o->repo, 0, &sig) == 0 ?
	       (long long)sig->when.time : 0);
	git_signature_free(sig);
	jw_key(&w, "fn");
	jw_str(&w, p->fn.buf);
	source_members(&w, c);
	jw_key(&w, "status");
	jw_str(&w, status);
	if (d) {
		if (d->reason.len) {
			jw_key(&w, "reason");
			jw_str(&w, d->reason.buf);
		}
		jw_key(&w, "runs");
		jw_int(&w, d->orig_runs);
		jw_key(&w, "seconds");
		jw_num(&w, o->seconds);
		found_members(&w, d);
	}
	if (llm) {
		static const char *const keys[][2] = {
			{ "prompt.id", "prompt" }, { "llm.provider", "provider" },
			{ "llm.model", "model" }, { "llm.in_tokens", "in_tokens" },
			{ "llm.out_tokens", "out_tokens" }, { "llm.ms", "ms" },
			{ "llm.cost", "cost" },
		};

		jw_key(&w, "tries");
		jw_int(&w, tries);
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
			int t = jsonl_path(llm, keys[i][0]);

			if (t >= 0) {
				jw_key(&w, keys[i][1]);
				jw_tok(&w, llm, t);
			}
		}
	}
	jw_obj_end(&w);
	jw_release(&w);
	r = checkstore_note(o->repo, &p->base, line.buf, line.len, &e);
	if (r < 0)
		sbuf_addf(said, "%s\n", e.buf);
	sbuf_release(&line);
	sbuf_release(&e);
	return r;
}

/*
 * The differential check of a candidate, as members of the object open
 * in w; the check's source into code. Returns the outcome it forces,
 * CHECKS_PASSED when none.
 */
static enum checks_outcome
differential(const struct checks_opt *o, const struct jsonl_rec *rec,
	     const char *base, const char *commit, const char *cand_dir,
	     struct jw *w, struct sbuf *code, struct checks_result *r)
{
	struct prep p = PREP_INIT;
	struct diffcheck_opt dopt = { o->repo, o->sb, o->seconds,
		o->build_timeout, o->seed };
	struct diffcheck_in in = { 0 };
	struct diffcheck_result d = DIFFCHECK_RESULT_INIT;
	struct sbuf why = SBUF_INIT, st = SBUF_INIT, stwhy = SBUF_INIT;
	enum checks_outcome out = CHECKS_PASSED;
	git_oid cid;
	int k;

	if (prep(o, rec, base, cand_dir, &p, &why) ||
	    git_oid_fromstr(&cid, commit) < 0) {
		jw_key(w, "status");
		jw_str(w, "skipped");
		jw_key(w, "reason");
		jw_str(w, why.buf);
		goto done;
	}
	k = checkstore_find(o->repo, &p.base, p.fn.buf, p.cxx, &p.chk);
	if (k <= 0) {
		sbuf_addf(&why, "no differential check for '%s' (none in "
			  "pesq/check/ and none in %s)", p.fn.buf,
			  CHECKSTORE_REF);
		jw_key(w, "status");
		jw_str(w, "none");
		jw_key(w, "reason");
		jw_str(w, why.buf);
		goto done;
	}
	source_members(w, &p.chk);
	if (checkstore_status(o->repo, &p.base, p.fn.buf, p.chk.blob, &st,
			      &stwhy) && strcmp(st.buf, "valid")) {
		sbuf_addf(&why, "not used: it failed on the original at this "
			  "base (%s)", stwhy.buf);
		jw_key(w, "status");
		jw_str(w, "not-used");
		jw_key(w, "reason");
		jw_str(w, why.buf);
		goto done;
	}
	in.fn = p.fn.buf;
	in.file = p.file.buf;
	in.orig = p.orig.buf;
	in.line = p.line;
	in.base = &p.base;
	in.commit = &cid;
	in.objdir = cand_dir;
	in.flags = &p.flags;
	in.cxx = p.cxx;
	in.check = &p.chk;
	in.validate = !st.len;
	diffcheck_run(&dopt, &in, &d);
	if (d.validated)
		note_check(o, &p, &p.chk, "valid", &d, NULL, 0, &r->said);
	if (d.status == DIFFCHECK_INVALID) {
		note_check(o, &p, &p.chk, "invalid", &d, NULL, 0, &r->said);
		sbuf_addf(&r->said, "the check %s is not used: %s\n",
			  p.chk.path.buf, d.reason.buf);
	}
	jw_key(w, "status");
	jw_str(w, d.status == DIFFCHECK_INVALID ? "not-used" :
	       diffcheck_status_name(d.status));
	jw_key(w, "reason");
	jw_str(w, d.reason.buf);
	jw_key(w, "runs");
	jw_int(w, d.runs);
	jw_key(w, "seconds");
	jw_num(w, o->seconds);
	jw_key(w, "build_ms");
	jw_int(w, d.build_ms);
	jw_key(w, "run_ms");
	jw_int(w, d.run_ms);
	jw_key(w, "validated");
	jw_bool(w, d.validated);
	found_members(w, &d);
	if (d.status == DIFFCHECK_DIFFERS)
		out = CHECKS_DIFFERS;
	else if (d.status == DIFFCHECK_UNSAFE)
		out = CHECKS_UNSAFE;
	else if (d.status == DIFFCHECK_ERROR)
		out = CHECKS_ERROR;
	if (out != CHECKS_PASSED)
		sbuf_addf(&r->reason, "the differential check (%s): %s",
			  p.chk.path.buf, d.reason.buf);
done:
	sbuf_add(code, p.chk.code.buf, p.chk.code.len);
	diffcheck_result_release(&d);
	prep_release(&p);
	sbuf_release(&why);
	sbuf_release(&st);
	sbuf_release(&stwhy);
	return out;
}

void
checks_judge(const struct checks_opt *o, const struct jsonl_rec *rec,
	     const char *base, const char *commit, const char *base_dir,
	     const char *cand_dir, struct checks_result *r)
{
	struct sanitize_opt so = { o->repo, o->build_cmd, o->san_build,
		o->test_cmd, o->bench_cmd, o->slot, o->build_timeout,
		o->run_timeout, o->sb, o->redact, o->cache };
	struct sanitize_result s = SANITIZE_RESULT_INIT;
	struct sbuf diff = SBUF_INIT, code = SBUF_INIT;
	struct timespec t0;
	struct jw w;

	r->outcome = CHECKS_PASSED;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!o->sanitize) {
		sbuf_adds(&s.json, "{\"outcome\":\"off\"}");
	} else {
		sanitize_judge(&so, rec, base, commit, base_dir, &s);
		/* its time as a last member */
		sbuf_setlen(&s.json, s.json.len - 1);
		sbuf_addf(&s.json, ",\"ms\":%ld}", checkrun_ms_since(&t0));
		sbuf_add(&r->said, s.said.buf, s.said.len);
		if (s.outcome == SANITIZE_SKIPPED)
			sbuf_addf(&r->said, "sanitized runs skipped: %s\n",
				  s.reason.buf);
		r->outcome = s.outcome == SANITIZE_UNSAFE ? CHECKS_UNSAFE :
		    s.outcome == SANITIZE_BUILD_FAILED ? CHECKS_BUILD_FAILED :
		    s.outcome == SANITIZE_ERROR ? CHECKS_ERROR : CHECKS_PASSED;
		if (r->outcome != CHECKS_PASSED)
			sbuf_add(&r->reason, s.reason.buf, s.reason.len);
		sbuf_add(&r->log, s.log.buf, s.log.len);
	}
	if (!o->differential) {
		sbuf_adds(&diff, "{\"status\":\"off\"}");
	} else if (r->outcome != CHECKS_PASSED) {
		sbuf_adds(&diff, "{\"status\":\"not-run\"}");
	} else {
		struct timespec t1;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		jw_init(&w, &diff);
		jw_obj(&w);
		r->outcome = differential(o, rec, base, commit, cand_dir, &w,
					  &code, r);
		jw_key(&w, "ms");
		jw_int(&w, checkrun_ms_since(&t1));
		jw_obj_end(&w);
		jw_release(&w);
	}
	r->ms = checkrun_ms_since(&t0);
	/* the record's and the ledger's: the same but the check's source */
	for (int i = 0; i < 2; i++) {
		jw_init(&w, i ? &r->note : &r->json);
		jw_obj(&w);
		jw_key(&w, "sanitize");
		jw_raw(&w, s.json.buf, s.json.len);
		jw_key(&w, "differential");
		if (i || !code.len) {
			jw_raw(&w, diff.buf, diff.len);
		} else {
			struct sbuf d = SBUF_INIT;

			sbuf_add(&d, diff.buf, diff.len - 1);
			sbuf_adds(&d, ",\"code\":");
			jsonl_escape(&d, code.buf, code.len);
			sbuf_addc(&d, '}');
			jw_raw(&w, d.buf, d.len);
			sbuf_release(&d);
		}
		jw_key(&w, "ms");
		jw_int(&w, r->ms);
		jw_obj_end(&w);
		jw_release(&w);
	}
	sanitize_result_release(&s);
	sbuf_release(&diff);
	sbuf_release(&code);
}

/* The `check` object of a --validate-check record, into out. */
static void
check_object(const struct checks_opt *o, const struct prep *p,
	     const char *status, const char *reason, long tries,
	     const struct diffcheck_result *d, struct sbuf *out)
{
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "status");
	jw_str(&w, status);
	if (p->chk.path.len)
		source_members(&w, &p->chk);
	jw_key(&w, "tries");
	jw_int(&w, tries);
	if (reason && *reason) {
		jw_key(&w, "reason");
		jw_str(&w, reason);
	}
	if (d) {
		jw_key(&w, "runs");
		jw_int(&w, d->orig_runs);
		jw_key(&w, "seconds");
		jw_num(&w, o->seconds);
		jw_key(&w, "ms");
		jw_int(&w, d->build_ms + d->run_ms);
		found_members(&w, d);
	}
	if (p->chk.code.len) {
		jw_key(&w, "code");
		jw_str(&w, p->chk.code.buf);
	}
	jw_obj_end(&w);
	jw_release(&w);
}

/* Store a model's check that held (or drop fn's); 0 or -1 (said). */
static int
store(const struct checks_opt *o, struct prep *p, const struct jsonl_rec *rec,
      const char *what, long tries, const char *reason, struct sbuf *said)
{
	struct sbuf msg = SBUF_INIT, model = SBUF_INIT, id = SBUF_INIT;
	struct sbuf e = SBUF_INIT;
	char base[GIT_OID_HEXSZ + 1];
	int drop = !strcmp(what, "dropped"), r;

	git_oid_tostr(base, sizeof(base), &p->base);
	if (!jsonl_path_str(rec, "llm.model", &model))
		sbuf_adds(&model, "the model");
	sbuf_addf(&msg, "pesq: check %s: %s", p->fn.buf, what);
	if (drop)
		sbuf_addf(&msg, " at %.7s: %s", base, reason);
	else
		sbuf_addf(&msg, " by %s at %.7s (try %ld)", model.buf, base,
			  tries);
	sbuf_addf(&msg, "\n\nPesq-Base: %s\n", base);
	if (jsonl_path_str(rec, "prompt.id", &id))
		sbuf_addf(&msg, "Pesq-Prompt: %s\n", id.buf);
	if (model.len && jsonl_path(rec, "llm.model") >= 0)
		sbuf_addf(&msg, "Pesq-Model: %s\n", model.buf);
	r = checkstore_put(o->repo, p->fn.buf, p->cxx, drop ? "" :
			   p->chk.code.buf, drop ? 0 : p->chk.code.len,
			   msg.buf, drop ? NULL : p->chk.blob, &e);
	if (r < 0)
		sbuf_addf(said, "%s\n", e.buf);
	sbuf_release(&msg);
	sbuf_release(&model);
	sbuf_release(&id);
	sbuf_release(&e);
	return r;
}

static int validate_one(const struct checks_opt *o,
			const struct jsonl_rec *rec, struct sbuf *out,
			struct sbuf *said);

int
checks_validate(const struct checks_opt *o, const struct jsonl_rec *rec,
		struct sbuf *out, struct sbuf *said)
{
	struct sbuf s = SBUF_INIT, fn = SBUF_INIT;
	int r = validate_one(o, rec, out, &s);

	if (!jsonl_path_str(rec, "fn", &fn))
		sbuf_adds(&fn, "-");
	for (const char *p = s.buf; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		sbuf_addf(said, "%s: %.*s\n", fn.buf, (int)strcspn(p, "\n"),
			  p);
	sbuf_release(&s);
	sbuf_release(&fn);
	return r;
}

static int
validate_one(const struct checks_opt *o, const struct jsonl_rec *rec,
	     struct sbuf *out, struct sbuf *said)
{
	static const char *const skip[] = { "check", NULL };
	struct prep p = PREP_INIT;
	struct diffcheck_opt dopt = { o->repo, o->sb, o->seconds,
		o->build_timeout, o->seed };
	struct slot_opt so = { o->build_cmd, o->build_timeout, o->sb,
		o->redact, o->cache };
	struct diffcheck_in in = { 0 };
	struct diffcheck_result d = DIFFCHECK_RESULT_INIT;
	struct sbuf base = SBUF_INIT, why = SBUF_INIT, obj = SBUF_INIT;
	struct sbuf st = SBUF_INIT, e = SBUF_INIT, code = SBUF_INIT;
	const char *status = "skipped";
	struct worktree wt;
	long tries = jsonl_path_int(rec, "check.tries", 0);
	int fresh, have_wt = 0, ret = 0, k;
	struct jw w;

	fresh = jsonl_streq(rec, jsonl_path(rec, "prompt.mode"), "check") &&
	    jsonl_path_str(rec, "candidate.code", &code) && code.len;
	if (!jsonl_path_str(rec, "def.rev", &base)) {
		sbuf_adds(&why, "the record has no 'def.rev'");
		goto emit;
	}
	k = slot_prepare(&wt, o->repo, "base", base.buf, &so, &e);
	if (k != 0) {
		sbuf_addf(&why, "the base %s: %.*s", k > 0 ?
			  "does not build" : "cannot be prepared",
			  (int)strcspn(e.buf, "\n"), e.buf);
		status = "error";
		goto emit;
	}
	have_wt = 1;
	if (prep(o, rec, base.buf, wt.path, &p, &why))
		goto emit;
	if (fresh) {
		git_oid id;

		sbuf_add(&p.chk.code, code.buf, code.len);
		sbuf_addf(&p.chk.path, "%s:", CHECKSTORE_REF);
		checkstore_name(p.fn.buf, p.cxx, &p.chk.path);
		git_odb_hash(&id, code.buf, code.len, GIT_OBJECT_BLOB);
		git_oid_tostr(p.chk.blob, sizeof(p.chk.blob), &id);
		tries++;
	} else if (checkstore_find(o->repo, &p.base, p.fn.buf, p.cxx,
				   &p.chk) <= 0) {
		status = "none";
		sbuf_addf(&why, "no differential check for '%s' yet",
			  p.fn.buf);
		goto emit;
	} else if (checkstore_status(o->repo, &p.base, p.fn.buf, p.chk.blob,
				     &st, &why)) {
		status = !strcmp(st.buf, "valid") ? "valid" : "invalid";
		if (strcmp(st.buf, "valid") && (p.chk.user ||
						tries > o->corrections))
			status = p.chk.user ? "invalid" : "dropped";
		goto emit;
	}
	in.fn = p.fn.buf;
	in.file = p.file.buf;
	in.orig = p.orig.buf;
	in.line = p.line;
	in.base = &p.base;
	in.objdir = wt.path;
	in.flags = &p.flags;
	in.cxx = p.cxx;
	in.check = &p.chk;
	in.validate = 1;
	diffcheck_run(&dopt, &in, &d);
	sbuf_add(&why, d.reason.buf, d.reason.len);
	if (d.status == DIFFCHECK_PASSED) {
		status = "valid";
		if (fresh && store(o, &p, rec, tries > 1 ? "corrected" :
				   "written", tries, NULL, said) < 0)
			ret = -1;
	} else if (d.status == DIFFCHECK_INVALID) {
		status = "invalid";
		if (!p.chk.user && tries > o->corrections) {
			status = "dropped";
			if (store(o, &p, rec, "dropped", tries, d.reason.buf,
				  said) < 0)
				ret = -1;
		}
		sbuf_addf(said, "the check %s: %s%s\n",
			  p.chk.path.buf, d.reason.buf, !strcmp(status,
			  "dropped") ? "; dropped" : p.chk.user ?
			  "; not used" : "");
	} else {
		status = "error";
	}
	if (strcmp(status, "error") &&
	    note_check(o, &p, &p.chk, status, &d, fresh ? rec : NULL, tries,
		       said) < 0)
		ret = -1;
emit:
	if (have_wt)
		worktree_close(&wt);
	check_object(o, &p, status, why.buf, tries, d.validated ||
		     d.status == DIFFCHECK_INVALID ? &d : NULL, &obj);
	jw_init(&w, out);
	jw_obj(&w);
	jsonl_copy_except(rec, &w, skip);
	jw_key(&w, "check");
	jw_raw(&w, obj.buf, obj.len);
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
	diffcheck_result_release(&d);
	prep_release(&p);
	sbuf_release(&base);
	sbuf_release(&why);
	sbuf_release(&obj);
	sbuf_release(&st);
	sbuf_release(&e);
	sbuf_release(&code);
	return ret;
}
