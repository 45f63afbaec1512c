/* Unit tests for lib/check/sanreport.c, on reports the runtimes wrote. */
#include <string.h>

#include "check/sanreport.h"
#include "tap.h"

static struct sbuf text = SBUF_INIT;

/* A fixture, found from the top of the tree or from t/ (prove's cwd). */
static const char *
load(const char *name)
{
	static const char *const dirs[] = { "t/fixtures", "fixtures" };
	struct sbuf path = SBUF_INIT;

	for (int i = 0; i < 2; i++) {
		sbuf_reset(&text);
		sbuf_reset(&path);
		sbuf_addf(&path, "%s/sanitizer/%s", dirs[i], name);
		if (sbuf_read_file(&text, path.buf) == 0)
			break;
		if (i == 1)
			printf("# cannot read %s\n", name);
	}
	sbuf_release(&path);
	return text.buf;
}

static const char *
line(const struct sanreport *r)
{
	static struct sbuf sb = SBUF_INIT;

	sbuf_reset(&sb);
	sanreport_line(r, &sb);
	return sb.buf;
}

int
main(void)
{
	struct sanreport r = SANREPORT_INIT;
	struct sbuf said = SBUF_INIT;
	const char *prefix = "/work/x/.git/pesq/san-slot-0";
	size_t end;

	load("asan.txt");
	end = sanreport_next(text.buf, text.len, 0, prefix, 40, 3000, &r);
	ok(end > 0, "an ASan report is found");
	is_int(r.kind, SANREPORT_ASAN, "it is AddressSanitizer's");
	is_str(line(&r), "AddressSanitizer: heap-buffer-overflow in main "
	       "(s.c:8:48)", "named by its kind and the first frame with a "
	       "source place, past the interceptor");
	ok(strstr(r.text.buf, "WRITE of size 6") != NULL,
	   "the access is in the trimmed text");
	ok(strstr(r.text.buf, "Shadow byte") == NULL,
	   "the shadow bytes after SUMMARY are not");
	ok(strstr(r.text.buf, "BuildId") == NULL, "nor BuildIds");
	ok(strstr(r.text.buf, prefix) == NULL &&
	   strstr(r.text.buf, " s.c:8:48") != NULL,
	   "paths are cut to the repository's");
	is_int(sanreport_next(text.buf, text.len, end, prefix, 40, 3000, &r),
	       0, "one report only");
	is_int(r.kind, SANREPORT_NONE, "then none");

	load("ubsan.txt");
	sanreport_next(text.buf, text.len, 0, prefix, 40, 3000, &r);
	is_int(r.kind, SANREPORT_UBSAN, "a UBSan runtime error");
	is_str(line(&r), "UndefinedBehaviorSanitizer: signed integer overflow "
	       "in main (s.c:9:46)", "named by its message without values");

	load("lsan.txt");
	sanreport_next(text.buf, text.len, 0, prefix, 40, 3000, &r);
	is_int(r.kind, SANREPORT_LSAN, "a leak");
	is_str(line(&r), "LeakSanitizer: detected memory leaks in main "
	       "(s.c:10:37)", "named by the allocating frame past malloc");

	load("tsan.txt");
	sanreport_next(text.buf, text.len, 0, prefix, 40, 3000, &r);
	is_int(r.kind, SANREPORT_TSAN, "a data race");
	is_str(line(&r), "ThreadSanitizer: data race in main (s.c:11:70)",
	       "named by TSan's first frame");

	load("fuzz-abort.txt");
	sanreport_next(text.buf, text.len, 0, "/work/x/.git/pesq/check", 40,
		       3000, &r);
	is_int(r.kind, SANREPORT_SIGNAL, "abort() under libFuzzer");
	ok(!sanreport_is_sanitizer(r.kind), "is not a sanitizer's report");
	is_str(line(&r), "libFuzzer: deadly signal in LLVMFuzzerTestOneInput "
	       "(check:36:5)", "named by the check's frame past abort");
	ok(strstr(r.text.buf, "fuzzer::") == NULL,
	   "libFuzzer's own frames are dropped");
	sanreport_said(text.buf, &r, &said);
	is_str(said.buf, "table_find(\"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
	       "vvvvvvvvvvvvv\") = -1, the original says 2",
	       "what the check printed before abort()");

	sbuf_reset(&text);
	sbuf_adds(&text, "all good\n#123 DONE cov: 3\n");
	is_int(sanreport_next(text.buf, text.len, 0, NULL, 40, 3000, &r), 0,
	       "no report in a clean log");
	sbuf_reset(&text);
	sbuf_adds(&text, "==1==ERROR: AddressSanitizer: SEGV on unknown "
		  "address 0x000000000000\n    #0 0x1 in f /r/a.c:3:1\n"
		  "SUMMARY: AddressSanitizer: SEGV /r/a.c:3:1 in f\n");
	sanreport_next(text.buf, text.len, 0, "/r", 1, 3000, &r);
	is_str(line(&r), "AddressSanitizer: SEGV in f (a.c:3:1)",
	       "SEGV, the address dropped");
	is_str(r.text.buf, "==1==ERROR: AddressSanitizer: SEGV on unknown "
	       "address 0x000000000000", "max_lines holds");
	sanreport_release(&r);
	sbuf_release(&text);
	sbuf_release(&said);
	return done_testing();
}
