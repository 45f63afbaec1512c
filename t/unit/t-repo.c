#include <string.h>

#include "ledger/repo.h"
#include "tap.h"

static const struct {
	const char *fn, *enc;
} cases[] = {
	{ "foo", "foo" },
	{ "f_1-x", "f_1-x" },
	{ "f.cold", "f.cold" },
	{ "ns::f", "ns%3A%3Af" },
	{ "a/b", "a%2Fb" },
	{ "100%", "100%25" },
	{ ".hidden", "%2Ehidden" },
	{ "a..b", "a.%2Eb" },
	{ "end.", "end%2E" },
	{ "x.lock", "x%2Elock" },
	{ "@", "%40" },
	{ "f@{1}", "f%40%7B1%7D" },
	{ "op()[]", "op%28%29%5B%5D" },
	{ "a b\tc", "a%20b%09c" },
	{ "caf\xc3\xa9", "caf%C3%A9" },
	{ "[unknown]", "%5Bunknown%5D" },
};

int
main(void)
{
	struct sbuf s = SBUF_INIT, d = SBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sbuf_reset(&s);
		sbuf_reset(&d);
		ok(repo_fn_encode(cases[i].fn, &s) == 0, "encode '%s'",
		   cases[i].enc);
		is_str(s.buf, cases[i].enc, "encoding of '%s'", cases[i].enc);
		ok(repo_fn_decode(s.buf, &d) == 0 && d.len == strlen(cases[i].fn)
		   && !memcmp(d.buf, cases[i].fn, d.len), "round trip '%s'",
		   cases[i].enc);
	}
	sbuf_reset(&s);
	ok(repo_fn_encode("", &s) < 0, "empty name refused");
	ok(repo_fn_decode("a%4", &d) < 0, "short escape refused");
	ok(repo_fn_decode("a%zz", &d) < 0, "bad hex refused");
	sbuf_reset(&d);
	ok(repo_fn_decode("a%2fb", &d) == 0 && !strcmp(d.buf, "a/b"),
	   "lower-case hex decodes");
	sbuf_release(&s);
	sbuf_release(&d);
	return done_testing();
}
