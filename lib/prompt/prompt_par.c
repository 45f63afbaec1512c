/*
 * Parallel versions (pesq-prompt --parallel): the task, the thread count,
 * and which threads the build allows, read off the flags pesq-deps found
 * (ctx.flags): OpenMP only where the file is compiled with -fopenmp;
 * POSIX threads otherwise, linked with -pthread or said to need it.
 */
#include <stdio.h>
#include <string.h>

#include "prompt/prompt_int.h"

/* Is flag one of the record's ctx.flags (an array, or a string)? */
static int
has_flag(struct prompt_job *j, const char *flag)
{
	const struct jsonl_rec *rec = j->rec;
	int t = jsonl_path(rec, "ctx.flags");
	size_t n = strlen(flag);

	if (jsonl_is_array(rec, t)) {
		for (int i = 0; i < jsonl_count(rec, t); i++) {
			sbuf_reset(&j->tmp);
			if (jsonl_str(rec, jsonl_at(rec, t, i), &j->tmp) == 0 &&
			    !strcmp(j->tmp.buf, flag))
				return 1;
		}
		return 0;
	}
	sbuf_reset(&j->tmp);
	if (jsonl_str(rec, t, &j->tmp) < 0)
		return 0;
	for (const char *p = j->tmp.buf; (p = strstr(p, flag)); p += n)
		if ((p == j->tmp.buf || p[-1] == ' ' || p[-1] == '\t') &&
		    (!p[n] || p[n] == ' ' || p[n] == '\t'))
			return 1;
	return 0;
}

void
prompt_setup_parallel(struct prompt_job *j)
{
	struct sbuf *t = &j->threading;
	long n = j->opt->threads > 0 ? j->opt->threads : 1;

	if (!j->opt->parallel || j->check)
		return;
	j->par = 1;
	snprintf(j->threads, sizeof(j->threads), "%ld", n);
	sbuf_reset(&j->task);
	sbuf_addf(&j->task, "make `%s` faster by running the independent "
		  "iterations of its hot loop on %ld threads", j->fn.buf, n);
	if (has_flag(j, "-fopenmp"))
		sbuf_adds(t, "the file is compiled with -fopenmp, so an\n"
			  "  OpenMP pragma (`#pragma omp parallel for` with a "
			  "static schedule and\n  num_threads) may do it; "
			  "POSIX threads will do too.");
	else if (has_flag(j, "-pthread") || has_flag(j, "-lpthread"))
		sbuf_adds(t, "the file is compiled with -pthread: use POSIX\n"
			  "  threads (pthread_create, pthread_join) from "
			  "<pthread.h>; no OpenMP,\n  the build does not "
			  "compile with -fopenmp.");
	else
		sbuf_adds(t, "use POSIX threads (pthread_create,\n"
			  "  pthread_join) from <pthread.h>; no OpenMP, the "
			  "build does not compile\n  with -fopenmp. The flags "
			  "found show no -pthread: the C library has\n  the "
			  "threads on glibc 2.34 and later, elsewhere the "
			  "program must be\n  linked with -pthread, which your "
			  "summary must then say.");
}
