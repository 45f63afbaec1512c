#include <string.h>

#include "base/notjson.h"
#include "tap.h"

static void
kind(const char *line, int first, const char *want_prefix)
{
	const char *k = notjson_kind(line, strlen(line), first);

	if (!want_prefix)
		ok(!k, "'%s' (first %d): an ordinary invalid line", line,
		   first);
	else
		ok(k && !strncmp(k, want_prefix, strlen(want_prefix)),
		   "'%s' (first %d): %s", line, first, want_prefix);
}

int
main(void)
{
	static const char bin[] = "PERFILE2\0\0\0h";

	ok(!strncmp(notjson_kind(bin, sizeof(bin) - 1, 0), "binary", 6),
	   "a NUL byte on any line is binary");
	kind("main;f;g 123", 1, "folded stacks");
	kind("main;f;g 123\r", 1, "folded stacks");
	kind("f 1", 1, "folded stacks");
	kind("main;f;g 123", 0, NULL);
	kind("prog 4242 [001] 12.5:     250000 cpu-clock:ppp: ", 1,
	     "'perf script'");
	kind("prog 4242  1196.736581: cpu-clock:", 1, "'perf script'");
	kind("{\"fn\": 12", 1, NULL);
	kind("[1, 2]", 1, NULL);
	kind("not json", 1, NULL);
	kind(" 123", 1, NULL);
	kind("123", 1, NULL);
	kind("key: value:", 1, NULL);
	return done_testing();
}
