/*
 * The candidate rules: one line each, in the order candidate.c checks
 * them. Change a rule here and in candidate.c together; pesq-apply(1)
 * lists the same lines (t/t4041-apply-rules.sh compares them).
 */
#include "source/candrules.h"

const char *const candrules[] = {
	"The code ends with the complete new definition of the function: same name, parameters, return type and linkage.",
	"Before it may come new items it needs: static functions, static variables and const tables, struct, union and enum types, typedefs, #define macros, #include lines.",
	"New functions and variables are static (in C++ also: in an anonymous namespace); forward-declare only static functions the code defines.",
	"New names must not occur elsewhere in the file: never repeat or redefine its functions, types, macros or globals.",
	"Each #define is removed with #undef after its last use; #undef lines may follow the function.",
	"#include lines name system headers (#include <name>) and are moved to the file's includes; no #include \"name\", no other directives (#if, #pragma).",
	"Nothing else: no extern or non-static declarations, no named namespaces, no using at file scope.",
	NULL,
};

void
candrules_text(struct sbuf *out)
{
	for (int i = 0; candrules[i]; i++)
		sbuf_addf(out, "- %s\n", candrules[i]);
}
