/*
 * The built-in prompt templates of pesq-prompt(1). `pesq-prompt
 * --dump-templates DIR` writes them out for editing; `--template DIR` or
 * `git config pesq.template DIR` reads them back. t/fixtures/prompt/
 * templates/ holds the same text, and a test checks that they agree.
 */
#include "prompt/prompt.h"

static const char tpl_system[] =
	"You are an expert performance engineer working on {{lang}} code. You make\n"
	"functions faster without changing what they do: the same results and the\n"
	"same side effects for every input, including edge cases and errors. Your\n"
	"code is built, tested and measured; it is kept only when the tests pass,\n"
	"the program's output is unchanged and it is measurably faster.\n"
	"\n"
	"How to reply:\n"
	"- Exactly one fenced code block, ```{{fence}} ... ```, holding the complete\n"
	"  replacement: the function `{{fn}}` with the same name, parameters,\n"
	"  return type and linkage, preceded by any new helper functions it needs,\n"
	"  each declared static, with names that clash with nothing shown.\n"
	"- The block replaces the function's definition in its file and nothing\n"
	"  else: do not repeat other functions, types, macros or globals, and do\n"
	"  not add #include lines; use only what the file can already see (the\n"
	"  context shown, what the original already calls, compiler builtins).\n"
	"- After the block, exactly one line: \"Summary: \" and one sentence saying\n"
	"  what you changed and why it is faster.\n"
	"- Nothing else: no other code blocks, no text before the block.\n";

static const char tpl_optimize_leaf[] =
	"Task: make the function `{{fn}}` ({{where}}) faster.\n"
	"\n"
	"{{profile}}\n"
	"\n"
	"## The function\n"
	"\n"
	"```{{fence}}\n"
	"{{code}}\n"
	"```\n"
	"\n"
	"{{context}}\n"
	"\n"
	"## What to look for\n"
	"\n"
	"Most of the time is spent inside `{{fn}}` itself. Look for, roughly in\n"
	"order of payoff:\n"
	"- algorithmic cost: a better algorithm or data structure beats tuning;\n"
	"- repeated work: values recomputed in loops, redundant calls and checks,\n"
	"  work whose result is already known;\n"
	"- memory: access locality (walk memory in order, keep hot data close),\n"
	"  allocation and copying on the hot path;\n"
	"- branches: unpredictable branches in inner loops that can become\n"
	"  arithmetic, a table lookup or a test hoisted out of the loop;\n"
	"- loops the compiler can vectorize: simple counted loops over contiguous\n"
	"  data, no aliasing (copy to locals, restrict), no early exits;\n"
	"- {{parallel}}\n"
	"\n"
	"Keep the name, signature and behaviour of `{{fn}}` exactly: every caller\n"
	"must see the same results and side effects for every input. Prefer one\n"
	"clear, substantial improvement to many small risky ones.\n"
	"\n"
	"{{examples}}\n"
	"\n"
	"{{trimmed}}\n"
	"\n"
	"Reply with one ```{{fence}} block holding the new `{{fn}}` and any static\n"
	"helpers it needs, then one line \"Summary: ...\".\n";

static const char tpl_optimize_parent[] =
	"Task: make `{{fn}}` ({{where}}) faster by calling `{{child}}` less.\n"
	"\n"
	"{{profile}}\n"
	"\n"
	"`{{child}}` is hot: much of the time under `{{fn}}` is spent inside it.\n"
	"Making `{{child}}` itself faster is a separate task; here change only\n"
	"`{{fn}}`, so that it calls `{{child}}` less often or asks it for less\n"
	"work:\n"
	"- hoist calls whose arguments do not change out of loops;\n"
	"- cache or reuse results asked for again with the same arguments, when\n"
	"  `{{child}}` has no side effects that matter;\n"
	"- batch many small calls into fewer larger ones, where `{{child}}` or\n"
	"  another function shown here allows it;\n"
	"- skip calls whose result is unused or already known;\n"
	"- or get the same result a cheaper way without calling it.\n"
	"\n"
	"Keep the name, signature and behaviour of `{{fn}}` exactly: every caller\n"
	"must see the same results and side effects for every input, including\n"
	"the side effects of `{{child}}` that matter.\n"
	"\n"
	"## The function\n"
	"\n"
	"```{{fence}}\n"
	"{{code}}\n"
	"```\n"
	"\n"
	"{{callee}}\n"
	"\n"
	"{{context}}\n"
	"\n"
	"{{examples}}\n"
	"\n"
	"{{trimmed}}\n"
	"\n"
	"Reply with one ```{{fence}} block holding the new `{{fn}}` and any static\n"
	"helpers it needs, then one line \"Summary: ...\".\n";

static const char tpl_correct[] =
	"Task: you were asked to {{task}}. Your version was rejected: {{failure}}\n"
	"\n"
	"## The original function\n"
	"\n"
	"```{{fence}}\n"
	"{{code}}\n"
	"```\n"
	"\n"
	"## Your version\n"
	"\n"
	"```{{fence}}\n"
	"{{candidate}}\n"
	"```\n"
	"\n"
	"{{callee}}\n"
	"\n"
	"{{context}}\n"
	"\n"
	"{{trimmed}}\n"
	"\n"
	"Write a corrected version. Keep your idea where it is sound, but the\n"
	"result must build without errors, pass the tests and behave exactly like\n"
	"the original for every input. If something you used is not available\n"
	"here (a header, a type, a function, a builtin), do without it. If you\n"
	"cannot see how to fix your version, return a simpler one.\n"
	"\n"
	"Reply with one ```{{fence}} block holding the complete new `{{fn}}` and\n"
	"any static helpers it needs, then one line \"Summary: ...\".\n";

const char *const prompt_tpl_names[PROMPT_NTPL] = {
	"system", "optimize-leaf", "optimize-parent", "correct",
};

static const char *const builtin[PROMPT_NTPL] = {
	tpl_system, tpl_optimize_leaf, tpl_optimize_parent, tpl_correct,
};

const char *
prompt_tpl_builtin(int i)
{
	return i >= 0 && i < PROMPT_NTPL ? builtin[i] : NULL;
}
