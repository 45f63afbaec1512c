/*
 * A differential check built around the original and the candidate,
 * fuzzed, and what it finds judged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "check/diffcheck.h"
#include "check/fuzz.h"
#include "ledger/repo.h"
#include "base/path.h"
#include "base/xalloc.h"

static const char *const names[] = {
	"passed", "differs", "unsafe", "invalid", "skipped", "error",
};

const char *
diffcheck_status_name(enum diffcheck_status s)
{
	return names[s];
}

void
diffcheck_result_release(struct diffcheck_result *r)
{
	sbuf_release(&r->reason);
	sbuf_release(&r->report);
	sbuf_release(&r->said);
	sbuf_release(&r->input);
}

void
diffcheck_hex(const struct sbuf *input, size_t max, struct sbuf *out)
{
	for (size_t i = 0; i < input->len && i < max; i++)
		sbuf_addf(out, "%02x", (unsigned char)input->buf[i]);
	if (input->len > max)
		sbuf_adds(out, "...");
}

/* The first lines of a build's output, for the reason and the report. */
static void
build_failed(struct diffcheck_result *r, const char *what,
	     const struct sbuf *log)
{
	const char *e = strstr(log->buf, "error:");
	const char *l = e ? e : log->buf;

	while (l > log->buf && l[-1] != '\n')
		l--;
	sbuf_addf(&r->reason, "%s: %.*s", what, (int)strcspn(l, "\n"), l);
	sbuf_add(&r->report, log->buf, log->len > 3000 ? 3000 : log->len);
	sbuf_rtrim(&r->report);
}

/* Build the program NAME around unit (the file's text at commit). */
static int
build_one(const struct diffcheck_opt *o, const struct diffcheck_in *in,
	  const struct checkrun *cr, const char *work, const char *name,
	  const git_oid *commit, const struct fuzz_objs *objs,
	  struct sbuf *log)
{
	struct harness_parts p = { 0 };
	struct sbuf unit = SBUF_INIT, src = SBUF_INIT;
	struct fuzz_prog fp = { work, name, in->cxx, in->flags, objs };
	int ret;

	if (repo_read_blob(o->repo, commit, in->file, &unit, NULL) < 0) {
		sbuf_addf(log, "cannot read '%s': %s", in->file,
			  repo_errmsg());
		return -1;
	}
	p.fn = in->fn;
	p.file = in->file;
	p.unit = unit.buf;
	p.unit_len = unit.len;
	p.orig = in->orig;
	p.orig_line = in->line;
	p.check = in->check->code.buf;
	p.check_name = in->check->path.buf;
	p.cxx = in->cxx;
	harness_source(&p, &src);
	ret = fuzz_build(cr, &fp, src.buf, src.len, log);
	sbuf_release(&unit);
	sbuf_release(&src);
	return ret;
}

/* The first report of out (libFuzzer's and the program's output). */
static void
take_report(const struct sbuf *out, const char *prefix, struct sanreport *rep,
	    struct diffcheck_result *r)
{
	sbuf_reset(&r->said);
	sbuf_reset(&r->report);
	if (!sanreport_next(out->buf, out->len, 0, prefix, 40, 3000, rep))
		return;
	sanreport_said(out->buf, rep, &r->said);
	sbuf_add(&r->report, rep->text.buf, rep->text.len);
}

/*
 * The candidate's run found an input: does the original survive it? If
 * not, the check is at fault; else the candidate differs (or is unsafe).
 */
static void
judge_find(const struct checkrun *cr, const char *work,
	   const struct fuzz_result *fr, struct diffcheck_result *r)
{
	struct sanreport rep = SANREPORT_INIT;
	struct proc_res res;
	int orig_ok = 0;

	sbuf_add(&r->input, fr->input.buf, fr->input.len);
	if (fr->artifact.len &&
	    fuzz_replay(cr, work, "orig", fr->artifact.buf, &res) == 0) {
		orig_ok = res.exit_code == 0 && !res.timed_out;
		if (!orig_ok)
			take_report(&res.out, work, &rep, r);
		proc_res_release(&res);
	}
	if (fr->artifact.len && !orig_ok) {
		r->status = DIFFCHECK_INVALID;
		sbuf_adds(&r->reason, "the check fails on the original too, on "
			  "an input found with the candidate");
		if (rep.kind != SANREPORT_NONE) {
			sbuf_adds(&r->reason, ": ");
			sanreport_line(&rep, &r->reason);
		}
		sanreport_release(&rep);
		return;
	}
	/* the candidate's own words on that input, else the run's */
	if (fr->artifact.len &&
	    fuzz_replay(cr, work, "cand", fr->artifact.buf, &res) == 0) {
		take_report(&res.out, work, &rep, r);
		proc_res_release(&res);
	}
	if (rep.kind == SANREPORT_NONE)
		take_report(&fr->log, work, &rep, r);
	r->status = sanreport_is_sanitizer(rep.kind) ? DIFFCHECK_UNSAFE :
	    DIFFCHECK_DIFFERS;
	if (rep.kind == SANREPORT_TIMEOUT)
		sbuf_adds(&r->reason, "the candidate hangs on an input the "
			  "original handles");
	else if (r->status == DIFFCHECK_UNSAFE)
		sanreport_line(&rep, &r->reason);
	else
		sbuf_adds(&r->reason, "the candidate and the original "
			  "differ");
	sbuf_addf(&r->reason, " (a %zu-byte input", r->input.len);
	if (r->status == DIFFCHECK_DIFFERS && r->said.len)
		sbuf_addf(&r->reason, "; the check says: %s", r->said.buf);
	sbuf_addc(&r->reason, ')');
	sanreport_release(&rep);
}

/* Fuzz the original's program; 0 when it held. */
static int
validate(const struct diffcheck_opt *o, const struct checkrun *cr,
	 const char *work, const char *corpus, const char *seeds,
	 struct diffcheck_result *r)
{
	struct fuzz_result fr = FUZZ_RESULT_INIT;
	struct sanreport rep = SANREPORT_INIT;
	int ret = 0;

	if (fuzz_run(cr, work, "orig", corpus, seeds, o->seconds, o->seed,
		     &fr) < 0) {
		r->status = DIFFCHECK_ERROR;
		sbuf_add(&r->reason, fr.log.buf, strcspn(fr.log.buf, "\n"));
		ret = -1;
	} else if (fr.found) {
		r->status = DIFFCHECK_INVALID;
		sbuf_add(&r->input, fr.input.buf, fr.input.len);
		take_report(&fr.log, work, &rep, r);
		sbuf_adds(&r->reason, "the check fails on the original");
		if (rep.kind != SANREPORT_NONE) {
			sbuf_adds(&r->reason, ": ");
			sanreport_line(&rep, &r->reason);
		}
		if (r->said.len)
			sbuf_addf(&r->reason, "; it says: %s", r->said.buf);
		ret = -1;
	} else {
		r->validated = 1;
	}
	r->orig_runs = fr.runs;
	fuzz_result_release(&fr);
	sanreport_release(&rep);
	return ret;
}

void
diffcheck_run(const struct diffcheck_opt *o, const struct diffcheck_in *in,
	      struct diffcheck_result *r)
{
	struct checkrun cr = { o->sb, o->build_timeout, in->objdir };
	struct fuzz_objs objs = FUZZ_OBJS_INIT;
	struct fuzz_result fr = FUZZ_RESULT_INIT;
	struct sbuf work = SBUF_INIT, corpus = SBUF_INIT, seeds = SBUF_INIT;
	struct sbuf log = SBUF_INIT, enc = SBUF_INIT;
	struct timespec t0;
	int lock, k, have_seeds = 0;

	r->status = DIFFCHECK_ERROR;
	sbuf_addf(&work, "%spesq/check", repo_commondir(o->repo));
	repo_fn_encode(in->fn, &enc);
	sbuf_addf(&corpus, "%s/corpus/%s", work.buf, enc.buf);
	sbuf_addf(&seeds, "%s/seeds/%s", work.buf, enc.buf);
	if ((lock = repo_lock(o->repo, "check")) < 0 ||
	    path_mkdirs(work.buf) < 0 || path_mkdirs(corpus.buf) < 0) {
		sbuf_addf(&r->reason, "cannot prepare '%s': %s", work.buf,
			  strerror(errno));
		goto out;
	}
	if (in->check->seeds.len) {
		struct sbuf cmd = SBUF_INIT;
		struct proc_res res;

		/* the user's seeds, afresh */
		sbuf_adds(&cmd, "rm -rf ");
		checkrun_quote(&cmd, seeds.buf);
		if (checkrun(&cr, work.buf, cmd.buf, NULL, 4096, &res) == 0)
			proc_res_release(&res);
		sbuf_release(&cmd);
		if (path_mkdirs(seeds.buf) < 0 ||
		    checkstore_seeds(o->repo, in->base, in->check, seeds.buf,
				     &r->reason) < 0)
			goto out;
		have_seeds = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (fuzz_objs_scan(&cr, work.buf, in->objdir, &objs, &r->reason) < 0)
		goto out;
	k = build_one(o, in, &cr, work.buf, "orig", in->base, &objs, &log);
	if (k != 0) {
		r->status = k > 0 ? DIFFCHECK_INVALID : DIFFCHECK_ERROR;
		build_failed(r, "the check does not build with the original",
			     &log);
		goto out;
	}
	if (in->commit) {
		sbuf_reset(&log);
		k = build_one(o, in, &cr, work.buf, "cand", in->commit, &objs,
			      &log);
		if (k != 0) {
			r->status = k > 0 ? DIFFCHECK_SKIPPED : DIFFCHECK_ERROR;
			build_failed(r, "the check does not build with the "
				     "candidate", &log);
			goto out;
		}
	}
	r->build_ms = checkrun_ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (in->validate && validate(o, &cr, work.buf, corpus.buf,
				     have_seeds ? seeds.buf : NULL, r) < 0)
		goto timed;
	if (!in->commit) {
		r->status = DIFFCHECK_PASSED;
		goto timed;
	}
	if (fuzz_run(&cr, work.buf, "cand", corpus.buf,
		     have_seeds ? seeds.buf : NULL, o->seconds, o->seed,
		     &fr) < 0) {
		sbuf_add(&r->reason, fr.log.buf, strcspn(fr.log.buf, "\n"));
		goto timed;
	}
	r->runs = fr.runs;
	if (!fr.found)
		r->status = DIFFCHECK_PASSED;
	else
		judge_find(&cr, work.buf, &fr, r);
timed:
	r->run_ms = checkrun_ms_since(&t0);
out:
	if (lock >= 0)
		repo_unlock(lock);
	fuzz_objs_release(&objs);
	fuzz_result_release(&fr);
	sbuf_release(&work);
	sbuf_release(&corpus);
	sbuf_release(&seeds);
	sbuf_release(&log);
	sbuf_release(&enc);
}
