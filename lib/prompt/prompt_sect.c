/*
 * The sections of a prompt: profile facts, how the file is compiled,
 * the context, the hot callee, examples and what was trimmed (what
 * failed: prompt_fail.c).
 */
#include <stdio.h>
#include <string.h>

#include "prompt/prompt_int.h"

static const char *const kind_head[NKIND] = {
	"Types it uses", "Macros it uses", "Globals it uses",
	"Functions it calls", "Where it is called from",
};

static void
add_loc(struct sbuf *sb, const struct prompt_item *it)
{
	sbuf_addf(sb, "`%s`", it->name);
	if (it->file && it->line)
		sbuf_addf(sb, " (%s:%ld)", it->file, it->line);
	else if (it->file)
		sbuf_addf(sb, " (%s)", it->file);
}

static void
add_code(struct sbuf *sb, const struct prompt_job *j, const char *code)
{
	sbuf_addf(sb, "\n\n```%s\n%s\n```", j->fence, code);
}

static void
render_kind(const struct prompt_job *j, int k, struct sbuf *sb)
{
	struct sbuf names = SBUF_INIT;
	int any = 0;

	for (size_t i = 0; i < j->n[k]; i++) {
		const struct prompt_item *it = &j->items[k][i];

		if (it->level == GONE ||
		    (k == K_CALLEE && (long)i == j->child_i))
			continue;
		if (!any++)
			sbuf_addf(sb, "%s## %s", sb->len ? "\n\n" : "",
				  kind_head[k]);
		if (it->code && it->level == FULL) {
			sbuf_adds(sb, "\n\n");
			add_loc(sb, it);
			sbuf_addc(sb, ':');
			add_code(sb, j, it->code);
		} else if (k == K_CALLEE && it->code) {
			sbuf_adds(sb, "\n\n");
			add_loc(sb, it);
			sbuf_adds(sb, ", declaration only:");
			add_code(sb, j, it->decl);
		} else {
			if (names.len)
				sbuf_adds(&names, ", ");
			add_loc(&names, it);
		}
	}
	if (names.len)
		sbuf_addf(sb, "\n\nBy name only: %s.", names.buf);
	sbuf_release(&names);
}

void
prompt_sect_context(const struct prompt_job *j, struct sbuf *sb)
{
	for (int k = 0; k < NKIND; k++)
		render_kind(j, k, sb);
	if (j->flags.len)
		sbuf_addf(sb, "%s## How the file is compiled\n\n%s",
			  sb->len ? "\n\n" : "", j->flags.buf);
}

void
prompt_sect_callee(const struct prompt_job *j, struct sbuf *sb)
{
	const struct prompt_item *it;

	if (!j->parent)
		return;
	sbuf_addf(sb, "## The hot callee `%s`\n\n", j->child.buf);
	if (j->child_i < 0) {
		sbuf_addf(sb, "Its code is not available here (it may be in a "
			  "library); what matters is how often `%s` calls it.",
			  j->fn.buf);
		return;
	}
	it = &j->items[K_CALLEE][j->child_i];
	if (!it->code) {
		add_loc(sb, it);
		sbuf_adds(sb, ": its code is not available here.");
	} else if (it->level == FULL) {
		add_loc(sb, it);
		sbuf_addc(sb, ':');
		add_code(sb, j, it->code);
	} else {
		add_loc(sb, it);
		sbuf_adds(sb, ", declaration only (its body was left out "
			  "to fit the budget):");
		add_code(sb, j, it->decl);
	}
}

void
prompt_sect_examples(const struct prompt_job *j, struct sbuf *sb)
{
	const struct prompt_example *e;

	if (!j->nex)
		return;
	sbuf_adds(sb, "## Optimizations accepted earlier in this code base\n\n"
		  "Each was measured to be faster here and kept; similar "
		  "ideas may apply.");
	for (size_t i = 0; i < j->nex; i++) {
		e = &j->opt->ex->v[i];
		sbuf_addf(sb, "\n\n### Example %zu", i + 1);
		if (e->fn)
			sbuf_addf(sb, ": `%s`", e->fn);
		if (e->speedup > 0)
			sbuf_addf(sb, ", %.2fx as fast", e->speedup);
		if (e->summary)
			sbuf_addf(sb, "\n\n%s", e->summary);
		sbuf_adds(sb, "\n\nBefore:");
		add_code(sb, j, e->original);
		sbuf_adds(sb, "\n\nAfter:");
		add_code(sb, j, e->accepted);
	}
}

void
prompt_sect_trimmed(const struct prompt_job *j, struct sbuf *sb)
{
	static const char *const what[][2] = {
		{ "example", "example %s" },
		{ "caller", "the code of caller `%s`" },
		{ "macro", "the definition of macro `%s`" },
		{ "global", "the definition of global `%s`" },
		{ "callee", "the body of callee `%s`" },
		{ "type", "type `%s`" },
	};

	if (!j->ntrim)
		return;
	sbuf_addf(sb, "## Left out\n\nTo fit a budget of %ld tokens, this "
		  "prompt leaves out ", j->opt->max_tokens);
	for (size_t i = 0; i < j->ntrim; i++) {
		const char *t = j->trim[i], *colon = strchr(t, ':');

		if (i)
			sbuf_adds(sb, "; ");
		for (size_t w = 0; w < sizeof(what) / sizeof(*what); w++)
			if (strlen(what[w][0]) == (size_t)(colon - t) &&
			    !memcmp(what[w][0], t, (size_t)(colon - t)))
				sbuf_addf(sb, what[w][1], colon + 1);
	}
	sbuf_addc(sb, '.');
}

void
prompt_setup_profile(struct prompt_job *j)
{
	const struct jsonl_rec *rec = j->rec;
	struct sbuf body = SBUF_INIT, *sb = &body;
	double self = jsonl_path_num(rec, "hot.self_share", -1);
	double total = jsonl_path_num(rec, "hot.total_share", -1);
	long long rank = jsonl_path_int(rec, "hot.rank", 0);
	int chain = jsonl_path(rec, "hot.chain");
	int n;

	if (self >= 0 && total >= 0)
		sbuf_addf(sb, "\n`%s` has %.1f%% of all samples in its own "
			  "code and %.1f%% with the functions it calls.",
			  j->fn.buf, self * 100, total * 100);
	else if (self >= 0)
		sbuf_addf(sb, "\n`%s` has %.1f%% of all samples in its own "
			  "code.", j->fn.buf, self * 100);
	else if (total >= 0)
		sbuf_addf(sb, "\n`%s` has %.1f%% of all samples with the "
			  "functions it calls.", j->fn.buf, total * 100);
	if (rank > 0)
		sbuf_addf(sb, "\nIts rank among the hot functions: %lld.",
			  rank);
	if (jsonl_is_array(rec, chain) && (n = jsonl_count(rec, chain)) > 0) {
		sbuf_adds(sb, "\nHeaviest call chain: ");
		for (int i = 0; i < n; i++) {
			sbuf_reset(&j->tmp);
			jsonl_str(rec, jsonl_at(rec, chain, i), &j->tmp);
			sbuf_addf(sb, "%s`%s`", i ? " -> " : "", j->tmp.buf);
		}
		sbuf_addc(sb, '.');
	} else if (jsonl_is_string(rec, chain)) {
		jsonl_str(rec, chain, &j->tmp);
		sbuf_adds(sb, "\nHeaviest call chain: `");
		for (const char *p = j->tmp.buf; *p; p++)
			if (*p == ';')
				sbuf_adds(sb, "` -> `");
			else
				sbuf_addc(sb, *p);
		sbuf_adds(sb, "`.");
	}
	if (j->parent) {
		int arr = jsonl_path(rec, "hot.callees");
		long long all = jsonl_path_int(rec, "hot.total", 0), cnt = -1;

		for (int i = 0; i < jsonl_count(rec, arr); i++) {
			int el = jsonl_at(rec, arr, i);

			if (jsonl_streq(rec, jsonl_get(rec, el, "fn"),
					j->child.buf) &&
			    jsonl_int(rec, jsonl_get(rec, el, "count"),
				      &cnt) == 0)
				break;
			cnt = -1;
		}
		if (cnt >= 0 && all > 0)
			sbuf_addf(sb, "\n`%s` takes %lld of its %lld samples "
				  "(%.1f%%).", j->child.buf, cnt, all,
				  100.0 * (double)cnt / (double)all);
	}
	prompt_setup_hot(j, &body);
	if (body.len)
		sbuf_addf(&j->profile, "## Profile\n%s", body.buf);
	sbuf_release(&body);
}

/*
 * Flags that tell how the code is optimized; include paths are noise, and
 * so are the ones pesq-deps adds for libclang (-w, -ferror-limit=0,
 * -working-directory=DIR, whose path would also make the prompt, and so
 * its id, differ from one checkout to the next) or libclang adds itself
 * (--driver-mode=g++).
 */
static void
add_flag(struct prompt_job *j, const char *f, int *skip)
{
	static const char *const witharg[] = {
		"-I", "-isystem", "-iquote", "-idirafter", "-include",
		"-imacros", "-o", "-MF", "-MT", "-MQ", "-x",
		"-working-directory", NULL,
	};
	static const char *const noise[] = {
		"-ferror-limit", "-working-directory", "-fdiagnostics-",
		"-fcolor-diagnostics", "-fno-color-diagnostics",
		"--driver-mode", NULL,
	};

	if (*skip) {
		*skip = 0;
		return;
	}
	for (int i = 0; witharg[i]; i++)
		if (!strcmp(f, witharg[i])) {
			*skip = 1;
			return;
		}
	if (f[0] != '-' || !strncmp(f, "-I", 2) || !strncmp(f, "-W", 2) ||
	    !strncmp(f, "-M", 2) || !strcmp(f, "-c") || !strcmp(f, "-w"))
		return;
	for (int i = 0; noise[i]; i++)
		if (!strncmp(f, noise[i], strlen(noise[i])))
			return;
	if (!strcmp(f, "-fopenmp"))
		sbuf_adds(&j->parallel, "omp");
	sbuf_addf(&j->flags, "%s%s", j->flags.len ? " " : "`", f);
}

void
prompt_setup_flags(struct prompt_job *j)
{
	const struct jsonl_rec *rec = j->rec;
	int t = jsonl_path(rec, "ctx.flags"), skip = 0;
	struct sbuf f = SBUF_INIT;

	if (jsonl_is_array(rec, t)) {
		for (int i = 0; i < jsonl_count(rec, t); i++) {
			sbuf_reset(&f);
			if (jsonl_str(rec, jsonl_at(rec, t, i), &f) == 0)
				add_flag(j, f.buf, &skip);
		}
	} else if (jsonl_str(rec, t, &f) == 0) {
		for (char *p = strtok(f.buf, " \t\n"); p;
		     p = strtok(NULL, " \t\n"))
			add_flag(j, p, &skip);
	}
	sbuf_release(&f);
	if (j->flags.len) {
		sbuf_addc(&j->flags, '`');
		if (jsonl_path_bool(rec, "ctx.flags_guessed", 0))
			sbuf_adds(&j->flags, " (guessed: the build's own "
				  "flags were not found)");
	}
	if (j->parallel.len) {
		sbuf_reset(&j->parallel);
		sbuf_adds(&j->parallel, "independent iterations: the build "
			  "compiles with -fopenmp, so an OpenMP\n"
			  "  pragma may run them in parallel when each does "
			  "enough work to pay for\n"
			  "  the threads (no data races, the same results, the "
			  "same order of output).");
	} else {
		sbuf_adds(&j->parallel, "independent iterations: the build "
			  "enables neither OpenMP nor threads, so\n"
			  "  do not add them; make iterations independent so "
			  "that they pipeline.");
	}
}

