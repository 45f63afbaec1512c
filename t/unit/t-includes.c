/* Unit tests for lib/source/includes: what a candidate may pull in. */
#include <string.h>

#include "source/includes.h"
#include "tap.h"

/* The repository's headers, for the quoted includes. */
static int
is_header(void *arg, const char *name)
{
	(void)arg;
	return !strcmp(name, "util.h") || !strcmp(name, "lib/common.h") ||
		!strcmp(name, "common.h") || !strcmp(name, "x.inc") ||
		!strcmp(name, ".env");
}

static const struct {
	const char *code;
	const char *err;	/* NULL: allowed; else the start of err */
} cases[] = {
	{ "int f(void)\n{\n\treturn 0;\n}\n", NULL },
	{ "#include <string.h>\n#include \"util.h\"\n", NULL },
	{ "#  include \"lib/common.h\"\n#include <sys/types.h>\n", NULL },
	{ "#include \"x.inc\"\n", NULL },
	{ "const char *s = \"#include </etc/passwd>\";\n", NULL },
	{ "/* #include \"/etc/passwd\" */\n// .incbin \"/x\"\n", NULL },
	{ "__asm__ volatile (\"nop\" ::: \"memory\");\n", NULL },
	{ "asm(\"pause\");\nint include;\n", NULL },
	{ "x.include = 1;\n", "line 1: the tokens" },
	{ "\n#include \"/root/secret\"\n", "line 2: #include of '/root/secret'" },
	{ "#include \"../../../.env\"\n", "line 1: #include of '../../../.env'" },
	{ "#include \"a/../../b.h\"\n", "line 1: #include of" },
	{ "#include </etc/shadow>\n", "line 1: #include of '/etc/shadow'" },
	{ "#include <../x.h>\n", "line 1: #include of" },
	{ "#include \"nothere.h\"\n", "line 1: #include \"nothere.h\": not a header" },
	{ "#include \".env\"\n", "line 1: #include \".env\": not a header" },
	{ "#include MACRO\n", "line 1: an #include whose file a macro names" },
	{ "#include_next <stdio.h>\n", "line 1: #include_next is not allowed" },
	{ "#embed \"x.inc\"\n", "line 1: #embed is not allowed" },
	{ "#\\\ninclude \"/x\"\n", "line 1: #include of '/x'" },
	{ "?\?=include \"/x\"\n", "line 1: #include of '/x'" },
	{ "%:include \"/x\"\n", "line 1: #include of '/x'" },
	{ "\n\nasm(\".incbin \\\"/etc/passwd\\\"\");\n",
	  "line 3: a string literal names" },
	{ "asm(\".INCBIN \\\"/x\\\"\");\n", "line 1: a string literal names" },
	{ "asm(\".inc\" \"bin \\\"/x\\\"\");\n", "line 1: a string literal names" },
	{ "asm(\"\\x2eincbin \\\"/x\\\"\");\n", "line 1: a string literal names" },
	{ "asm(\"\\056include \\\"/x.s\\\"\");\n", "line 1: a string literal names" },
	{ "__asm__ volatile goto (S(.incbin \"/x\") :::: l);\n",
	  "line 1: asm with a template that is not" },
	{ "S(.incbin \"/x\");\n", "line 1: the tokens" },
	{ "__asm__(S(nop));\n", "line 1: asm with a template that is not" },
	{ "#define I incbin\n", "line 1: the tokens" },
};

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sbuf err = SBUF_INIT;
		int r = includes_check(cases[i].code, strlen(cases[i].code),
				       is_header, NULL, &err);

		if (!cases[i].err)
			ok(r == 0 && err.len == 0, "case %zu allowed %s", i,
			   err.buf);
		else
			ok(r < 0 && !strncmp(err.buf, cases[i].err,
					      strlen(cases[i].err)),
			   "case %zu refused: %s", i, err.buf);
		sbuf_release(&err);
	}
	return done_testing();
}
