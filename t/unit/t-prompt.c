/* Unit tests for lib/prompt_tpl.c and the token estimate. */
#include <string.h>

#include "prompt/prompt.h"
#include "tap.h"

static const struct prompt_var vars[] = {
	{ "fn", "f" }, { "code", "x {{fn}} y" }, { "examples", "" },
	{ "trimmed", NULL },
};

static const char *
render(struct sbuf *sb, const char *tpl)
{
	sbuf_reset(sb);
	prompt_render(sb, tpl, vars, sizeof(vars) / sizeof(*vars));
	return sb->buf;
}

static const char *
check(struct sbuf *sb, const char *tpl)
{
	sbuf_reset(sb);
	return prompt_tpl_check(tpl, sb) < 0 ? sb->buf : "ok";
}

int
main(void)
{
	struct sbuf sb = SBUF_INIT;

	is_int(prompt_est_tokens(0), 0, "no bytes, no tokens");
	is_int(prompt_est_tokens(1), 1, "1 byte rounds up");
	is_int(prompt_est_tokens(4), 1, "4 bytes are 1 token");
	is_int(prompt_est_tokens(5), 2, "5 bytes are 2 tokens");

	is_str(render(&sb, ""), "", "empty template");
	is_str(render(&sb, "a {{fn}} b"), "a f b", "a placeholder");
	is_str(render(&sb, "{{code}}"), "x {{fn}} y", "values not rescanned");
	is_str(render(&sb, "{{nosuch}}."), ".",
	       "unknown names expand to nothing");
	is_str(render(&sb, "{{fn"), "{{fn", "unterminated: literal");
	is_str(render(&sb, "{{fn}"), "{{fn}", "half closed: literal");
	is_str(render(&sb, "{{}}"), "{{}}", "no name: literal");
	is_str(render(&sb, "{{Fn}}"), "{{Fn}}", "upper case: literal");
	is_str(render(&sb, "{{{fn}}}"), "{f}", "extra braces stay");
	is_str(render(&sb, "a\n{{examples}}\nb"), "a\nb",
	       "empty line placeholder drops its line");
	is_str(render(&sb, "a\n\n{{examples}}\n\nb"), "a\n\nb",
	       "and one empty line after it");
	is_str(render(&sb, "a\n{{examples}}\n{{trimmed}}\nb"), "a\nb",
	       "two empty sections in a row");
	is_str(render(&sb, "a\n{{examples}}"), "a\n",
	       "at the end without newline");
	is_str(render(&sb, "a {{examples}}\nb"), "a \nb",
	       "not alone on its line: the line stays");
	is_str(render(&sb, "{{examples}} \nb"), " \nb",
	       "trailing blank: the line stays");
	is_str(render(&sb, "{{fn}}\n\nb"), "f\n\nb",
	       "a non-empty section keeps its gap");

	is_str(check(&sb, "{{fn}} {{code}} {{X}} {{0}}"), "ok",
	       "known names pass, non-names are ignored");
	is_str(check(&sb, "a\nb\n{{fn}} {{bogus}}"),
	       "3: unknown placeholder '{{bogus}}'",
	       "unknown name, line number");
	for (int i = 0; i < PROMPT_NTPL; i++)
		is_str(check(&sb, prompt_tpl_builtin(i)), "ok",
		       "built-in template %s is valid", prompt_tpl_names[i]);
	ok(prompt_tpl_builtin(PROMPT_NTPL) == NULL, "out of range: NULL");
	ok(prompt_tpl_builtin(-1) == NULL, "negative: NULL");

	sbuf_release(&sb);
	return done_testing();
}
