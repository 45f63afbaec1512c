/*
 * Building the prompt for one record: the mode and role, the context
 * items, the token budget and what gets trimmed to meet it, and the
 * output record. The sections themselves are in prompt_sect.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prompt/prompt_int.h"
#include "base/sha256.h"
#include "base/xalloc.h"
#include "source/candrules.h"

static const char *const kind_path[NKIND] = {
	"ctx.types", "ctx.macros", "ctx.globals", "ctx.callees", "ctx.callers",
};
static const char *const kind_name[NKIND] = {
	"type", "macro", "global", "callee", "caller",
};

long
prompt_est_tokens(size_t n)
{
	return (long)((n + 3) / 4);
}

static char *
member_str(const struct jsonl_rec *rec, int obj, const char *key)
{
	struct sbuf sb = SBUF_INIT;
	int t = jsonl_get(rec, obj, key);

	if (t < 0 || jsonl_str(rec, t, &sb) < 0 || memchr(sb.buf, 0, sb.len)) {
		sbuf_release(&sb);
		return NULL;
	}
	sbuf_rtrim(&sb);
	return sbuf_detach(&sb, NULL);
}

/* Names equal up to a compiler clone suffix: "f.part.0" is "f". */
static int
same_fn(const char *a, const char *b)
{
	size_t na = strcspn(a, "."), nb = strcspn(b, ".");

	return na == nb && !memcmp(a, b, na);
}

static int
isident(int c)
{
	return c == '_' || ((unsigned)c | 32) - 'a' < 26 ||
	    (unsigned)c - '0' < 10;
}

/* Does the identifier id[0..n) occur as a whole word in s? */
static int
has_word(const char *s, const char *id, size_t n)
{
	if (!n)
		return 0;
	for (const char *p = s; (p = strstr(p, id)) != NULL; p++)
		if ((p == s || !isident(p[-1])) && !isident(p[n]))
			return 1;
	return 0;
}

static void
load_items(struct prompt_job *j, int k)
{
	const struct jsonl_rec *rec = j->rec;
	int arr = jsonl_path(rec, kind_path[k]), n = jsonl_count(rec, arr);

	if (!jsonl_is_array(rec, arr) || n <= 0)
		return;
	j->items[k] = xcalloc((size_t)n, sizeof(struct prompt_item));
	for (int i = 0; i < n; i++) {
		int el = jsonl_at(rec, arr, i);
		struct prompt_item *it = &j->items[k][j->n[k]];
		long long line = 0;
		char *brace;

		if (!jsonl_is_object(rec, el) ||
		    !(it->name = member_str(rec, el, "name")))
			continue;
		if (!*it->name) {
			free(it->name);
			it->name = NULL;
			continue;
		}
		it->file = member_str(rec, el, "file");
		it->code = member_str(rec, el, "code");
		if (jsonl_int(rec, jsonl_get(rec, el, "line"), &line) == 0 &&
		    line > 0)
			it->line = (long)line;
		if (it->code && !*it->code) {
			free(it->code);
			it->code = NULL;
		}
		if (k == K_CALLEE && it->code &&
		    (brace = strchr(it->code, '{')) != NULL) {
			struct sbuf d = SBUF_INIT;

			sbuf_add(&d, it->code, (size_t)(brace - it->code));
			sbuf_rtrim(&d);
			sbuf_addc(&d, ';');
			it->decl = sbuf_detach(&d, NULL);
		}
		if (k == K_TYPE) {
			const char *id = it->name + strlen(it->name);

			while (id > it->name && isident(id[-1]))
				id--;
			it->pinned = has_word(j->sig.buf, id, strlen(id));
		}
		if (k == K_CALLEE && j->parent && j->child_i < 0 &&
		    same_fn(it->name, j->child.buf))
			j->child_i = (long)j->n[k];
		j->n[k]++;
	}
}

static void
add_trim(struct prompt_job *j, const char *kind, const char *name)
{
	XGROW(j->trim, j->ntrim + 1, j->trimcap);
	sbuf_reset(&j->tmp);
	sbuf_addf(&j->tmp, "%s:%s", kind, name);
	j->trim[j->ntrim++] = xstrdup(j->tmp.buf);
}

/* Cut at one item, trimming order per k, last item first. */
static int
trim_kind(struct prompt_job *j, int k, int to, int child)
{
	for (size_t i = j->n[k]; i-- > 0;) {
		struct prompt_item *it = &j->items[k][i];

		if (k == K_CALLEE && ((long)i == j->child_i) != child)
			continue;
		if (it->level >= to || it->pinned ||
		    (!it->code && to != GONE) || (k == K_CALLEE && !it->decl))
			continue;
		it->level = to;
		add_trim(j, kind_name[k], it->name);
		return 1;
	}
	return 0;
}

/*
 * Trim the next piece of context, in the documented order: examples,
 * caller code, macro and global code, callee bodies (the hot child's
 * last), types the signature does not name. 0 when nothing is left.
 */
static int
trim_next(struct prompt_job *j)
{
	if (j->nex > 0) {
		char num[32];

		snprintf(num, sizeof(num), "%zu", j->nex--);
		add_trim(j, "example", num);
		return 1;
	}
	return trim_kind(j, K_CALLER, BRIEF, 0) ||
	    trim_kind(j, K_MACRO, BRIEF, 0) ||
	    trim_kind(j, K_GLOBAL, BRIEF, 0) ||
	    trim_kind(j, K_CALLEE, BRIEF, 0) ||
	    trim_kind(j, K_CALLEE, BRIEF, 1) ||
	    trim_kind(j, K_TYPE, GONE, 0);
}

/* The template for the record's mode and role. */
static int
tpl_index(const struct prompt_job *j)
{
	return j->check ? PROMPT_TPL_CHECK : j->fail ? PROMPT_TPL_CORRECT :
	    j->par ? PROMPT_TPL_PARALLEL : j->parent ? PROMPT_TPL_PARENT :
	    PROMPT_TPL_LEAF;
}

/* Expand the system template and the mode's template. */
static void
render(const struct prompt_job *j, struct sbuf *sys, struct sbuf *user)
{
	struct sbuf context = SBUF_INIT, callee = SBUF_INIT;
	struct sbuf examples = SBUF_INIT, trimmed = SBUF_INIT;
	struct sbuf rules = SBUF_INIT;
	const struct prompt_tpl *tpl = j->opt->tpl;
	int which = tpl_index(j);

	prompt_sect_context(j, &context);
	prompt_sect_callee(j, &callee);
	prompt_sect_examples(j, &examples);
	prompt_sect_trimmed(j, &trimmed);
	candrules_text(&rules);
	sbuf_rtrim(&rules);
	{
		const struct prompt_var v[] = {
			{ "fn", j->fn.buf }, { "file", j->file.buf },
			{ "line", j->line }, { "where", j->where.buf },
			{ "signature", j->sig.buf }, { "lang", j->lang },
			{ "fence", j->fence }, { "task", j->task.buf },
			{ "child", j->child.buf }, { "code", j->code.buf },
			{ "candidate", j->cand.buf },
			{ "summary", j->summary.buf },
			{ "profile", j->profile.buf }, { "callee", callee.buf },
			{ "context", context.buf },
			{ "examples", examples.buf },
			{ "failure", j->failure.buf },
			{ "parallel", j->parallel.buf },
			{ "trimmed", trimmed.buf },
			{ "orig", j->orig.buf },
			{ "check_failure", j->check_fail.buf },
			{ "threads", j->threads },
			{ "threading", j->threading.buf },
			{ "rules", rules.buf },
		};
		size_t nv = sizeof(v) / sizeof(*v);

		sbuf_reset(sys);
		prompt_render(sys, tpl->text[j->check ? PROMPT_TPL_CHECK_SYSTEM :
					     PROMPT_TPL_SYSTEM], v, nv);
		sbuf_rtrim(sys);
		sbuf_reset(user);
		prompt_render(user, tpl->text[which], v, nv);
		sbuf_rtrim(user);
	}
	sbuf_release(&context);
	sbuf_release(&callee);
	sbuf_release(&examples);
	sbuf_release(&trimmed);
	sbuf_release(&rules);
}

int
prompt_examples_add(struct prompt_examples *ex, const struct jsonl_rec *rec,
		    struct sbuf *err)
{
	struct prompt_example e = { NULL, NULL, NULL, NULL, 0 };
	int whole = jsonl_get(rec, 0, "original") < 0;
	int v = jsonl_get(rec, 0, "verdict");

	sbuf_reset(err);
	if (jsonl_is_object(rec, v))
		v = jsonl_get(rec, v, "status");
	if (jsonl_get(rec, 0, "error") >= 0 ||
	    (v >= 0 && !jsonl_streq(rec, v, "accepted")))
		return 1;
	e.original = member_str(rec, whole ? jsonl_get(rec, 0, "def") : 0,
				whole ? "code" : "original");
	e.accepted = member_str(rec, whole ? jsonl_get(rec, 0, "candidate") :
				0, whole ? "code" : "accepted");
	if (!e.original || !e.accepted || !*e.original || !*e.accepted) {
		sbuf_adds(err, whole ? "no 'original' and 'accepted' code, "
			  "nor 'def.code' and 'candidate.code'" :
			  "no 'accepted' code");
		free(e.original);
		free(e.accepted);
		return -1;
	}
	e.fn = member_str(rec, 0, "fn");
	e.summary = member_str(rec, whole ? jsonl_get(rec, 0, "candidate") : 0,
			       "summary");
	if (e.summary && !*e.summary) {
		free(e.summary);
		e.summary = NULL;
	}
	e.speedup = jsonl_path_num(rec, "speedup",
				   jsonl_path_num(rec, "bench.speedup", 0));
	XGROW(ex->v, ex->n + 1, ex->cap);
	ex->v[ex->n++] = e;
	return 0;
}

void
prompt_examples_release(struct prompt_examples *ex)
{
	for (size_t i = 0; i < ex->n; i++) {
		free(ex->v[i].fn);
		free(ex->v[i].original);
		free(ex->v[i].accepted);
		free(ex->v[i].summary);
	}
	free(ex->v);
	ex->v = NULL;
	ex->n = ex->cap = 0;
}

static const char *
lang_of(const char *file, const char **fence)
{
	static const char *const cxx[] = {
		".cc", ".cpp", ".cxx", ".c++", ".C", ".hh", ".hpp", ".hxx",
		".H", ".ipp", NULL,
	};
	const char *dot = strrchr(file, '.');

	for (int i = 0; dot && cxx[i]; i++)
		if (!strcmp(dot, cxx[i])) {
			*fence = "cpp";
			return "C++";
		}
	*fence = "c";
	return "C";
}

/* Read what the prompt needs from the record; -1 with err set. */
static int
setup(struct prompt_job *j, struct sbuf *err)
{
	const struct jsonl_rec *rec = j->rec;
	int role = jsonl_get(rec, 0, "role");
	long long line = 0;

	if (prompt_get_str(rec, "fn", &j->fn) < 0 || !j->fn.len) {
		sbuf_adds(err, "no 'fn'");
		return -1;
	}
	if (prompt_get_str(rec, "def.code", &j->code) < 0 || !j->code.len) {
		sbuf_addf(err, "no 'def.code' for '%s' (run pesq-deps first)",
			  j->fn.buf);
		return -1;
	}
	prompt_get_str(rec, "def.file", &j->file);
	if (prompt_get_str(rec, "def.signature", &j->sig) < 0 || !j->sig.len) {
		/* what precedes the body will do */
		sbuf_add(&j->sig, j->code.buf, strcspn(j->code.buf, "{"));
		sbuf_rtrim(&j->sig);
	}
	line = jsonl_path_int(rec, "def.line", 0);
	if (line > 0)
		snprintf(j->line, sizeof(j->line), "%lld", line);
	sbuf_adds(&j->where, j->file.len ? j->file.buf : "file unknown");
	if (j->file.len && line > 0)
		sbuf_addf(&j->where, ":%s", j->line);
	j->lang = lang_of(j->file.buf, &j->fence);

	if (role >= 0 && jsonl_streq(rec, role, "parent")) {
		if (prompt_get_str(rec, "child", &j->child) < 0 ||
		    !j->child.len) {
			sbuf_addf(err, "'%s' has role 'parent' but no 'child'",
				  j->fn.buf);
			return -1;
		}
		j->parent = 1;
		sbuf_addf(&j->task, "make `%s` faster by calling `%s` less",
			  j->fn.buf, j->child.buf);
	} else if (role < 0 || jsonl_streq(rec, role, "leaf")) {
		sbuf_addf(&j->task, "make `%s` faster", j->fn.buf);
	} else {
		sbuf_reset(&j->tmp);
		jsonl_str(rec, role, &j->tmp);
		sbuf_addf(err, "unknown role '%s'", j->tmp.buf);
		return -1;
	}

	if (j->opt->check) {
		j->check = 1;
		prompt_setup_check(j);
	} else {
		prompt_setup_failure(j);
	}
	prompt_setup_parallel(j);
	if (j->fail && (prompt_get_str(rec, "candidate.code", &j->cand) < 0 ||
			!j->cand.len)) {
		sbuf_addf(err, "nothing to correct: no 'candidate.code' for "
			  "'%s'", j->fn.buf);
		return -1;
	}
	if (j->fail)
		prompt_get_str(rec, "candidate.summary", &j->summary);

	j->child_i = -1;
	for (int k = 0; k < NKIND; k++)
		load_items(j, k);
	/* examples count (and are trimmed) only where a template shows them */
	if (j->opt->ex &&
	    (strstr(j->opt->tpl->text[tpl_index(j)], "{{examples}}") ||
	     strstr(j->opt->tpl->text[PROMPT_TPL_SYSTEM], "{{examples}}")))
		j->nex = j->opt->ex->n;
	prompt_setup_profile(j);
	prompt_setup_flags(j);
	return 0;
}

/* Render, trimming context until the estimate fits; -1 with err set. */
static int
fit(struct prompt_job *j, struct sbuf *sys, struct sbuf *user,
    struct sbuf *err)
{
	long max = j->opt->max_tokens, est;

	if (max > 0 && (est = prompt_est_tokens(j->code.len)) > max) {
		sbuf_addf(err, "function '%s' alone needs %ld tokens, over the "
			  "budget of %ld", j->fn.buf, est, max);
		return -1;
	}
	for (;;) {
		render(j, sys, user);
		est = prompt_est_tokens(sys->len + user->len);
		if (max <= 0 || est <= max)
			return 0;
		if (!trim_next(j))
			break;
	}
	sbuf_addf(err, "the prompt for '%s' needs %ld tokens with all context "
		  "trimmed, over the budget of %ld", j->fn.buf, est, max);
	return -1;
}

/* Append rec with its new `prompt` and a newline to out. */
static void
emit(const struct prompt_job *j, const struct sbuf *sys,
     const struct sbuf *user, struct sbuf *out)
{
	static const char *const skip[] = { "prompt", NULL };
	const char *mode = j->check ? "check" : j->fail ? "correct" :
	    "optimize";
	struct sbuf msgs = SBUF_INIT;
	unsigned char d[32];
	struct sha256 c;
	char hex[65];
	struct jw w;

	jw_init(&w, &msgs);
	jw_arr(&w);
	jw_obj(&w);
	jw_key(&w, "role");
	jw_str(&w, "system");
	jw_key(&w, "content");
	jw_strn(&w, sys->buf, sys->len);
	jw_obj_end(&w);
	jw_obj(&w);
	jw_key(&w, "role");
	jw_str(&w, "user");
	jw_key(&w, "content");
	jw_strn(&w, user->buf, user->len);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_release(&w);

	sha256_init(&c);
	sha256_update(&c, mode, strlen(mode));
	sha256_update(&c, "\n", 1);
	sha256_update(&c, msgs.buf, msgs.len);
	sha256_final(&c, d);
	sha256_tohex(d, hex);

	jw_init(&w, out);
	jw_obj(&w);
	jsonl_copy_except(j->rec, &w, skip);
	jw_key(&w, "prompt");
	jw_obj(&w);
	jw_key(&w, "id");
	jw_str(&w, hex);
	jw_key(&w, "mode");
	jw_str(&w, mode);
	if (j->par) {
		jw_key(&w, "threads");
		jw_int(&w, j->opt->threads);
	}
	jw_key(&w, "est_tokens");
	jw_int(&w, prompt_est_tokens(sys->len + user->len));
	jw_key(&w, "trimmed");
	jw_arr(&w);
	for (size_t i = 0; i < j->ntrim; i++)
		jw_str(&w, j->trim[i]);
	jw_arr_end(&w);
	jw_key(&w, "messages");
	jw_raw(&w, msgs.buf, msgs.len);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_release(&w);
	sbuf_addc(out, '\n');
	sbuf_release(&msgs);
}

static void
job_release(struct prompt_job *j)
{
	struct sbuf *sb[] = {
		&j->fn, &j->file, &j->sig, &j->code, &j->child, &j->cand,
		&j->summary, &j->tmp, &j->profile, &j->failure, &j->flags,
		&j->parallel, &j->task, &j->where, &j->orig, &j->check_fail,
		&j->threading,
	};

	for (size_t i = 0; i < sizeof(sb) / sizeof(*sb); i++)
		sbuf_release(sb[i]);
	for (int k = 0; k < NKIND; k++) {
		for (size_t i = 0; i < j->n[k]; i++) {
			free(j->items[k][i].name);
			free(j->items[k][i].file);
			free(j->items[k][i].code);
			free(j->items[k][i].decl);
		}
		free(j->items[k]);
	}
	for (size_t i = 0; i < j->ntrim; i++)
		free(j->trim[i]);
	free(j->trim);
}

int
prompt_record(const struct jsonl_rec *rec, const struct prompt_opt *opt,
	      struct sbuf *out, struct sbuf *msg)
{
	struct sbuf sys = SBUF_INIT, user = SBUF_INIT, err = SBUF_INIT;
	struct prompt_job j;
	int ret = 0;

	if (jsonl_get(rec, 0, "error") >= 0) {
		struct jw w;

		jw_init(&w, out);
		jw_tok(&w, rec, 0);
		jw_release(&w);
		sbuf_addc(out, '\n');
		return 0;
	}
	memset(&j, 0, sizeof(j));
	{
		struct sbuf *sb[] = {
			&j.fn, &j.file, &j.sig, &j.code, &j.child, &j.cand,
			&j.summary, &j.tmp, &j.profile, &j.failure, &j.flags,
			&j.parallel, &j.task, &j.where, &j.orig, &j.check_fail,
			&j.threading,
		};

		for (size_t i = 0; i < sizeof(sb) / sizeof(*sb); i++)
			sbuf_init(sb[i], 0);
	}
	j.rec = rec;
	j.opt = opt;
	if (setup(&j, &err) < 0 || fit(&j, &sys, &user, &err) < 0) {
		jsonl_error_record(out, rec, "prompt", err.buf);
		if (msg) {
			sbuf_reset(msg);
			sbuf_add(msg, err.buf, err.len);
		}
		ret = 1;
	} else {
		emit(&j, &sys, &user, out);
		if (msg) {
			sbuf_reset(msg);
			sbuf_addf(msg, "%s: %s, %ld tokens", j.fn.buf,
				  j.check ? "check" : j.fail ? "correct" :
				  j.par ? "optimize (parallel)" :
				  j.parent ? "optimize (parent)" : "optimize",
				  prompt_est_tokens(sys.len + user.len));
			if (j.ntrim)
				sbuf_addf(msg, ", %zu trimmed", j.ntrim);
		}
	}
	job_release(&j);
	sbuf_release(&sys);
	sbuf_release(&user);
	sbuf_release(&err);
	return ret;
}
