/* Unit tests for lib/sbuf, lib/hmap and lib/sha256. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hmap.h"
#include "base/sbuf.h"
#include "base/sha256.h"
#include "tap.h"

static void
test_sbuf(void)
{
	struct sbuf sb = SBUF_INIT, rd = SBUF_INIT;
	char *p;
	size_t len, i;
	FILE *fp;
	const char *text = "one\ntwo\r\n\nlast";

	is_str(sb.buf, "", "an empty buffer is the empty string");
	sbuf_release(&sb);
	sbuf_adds(&sb, "ab");
	sbuf_addc(&sb, 'c');
	sbuf_add(&sb, "d\0e", 3);
	sbuf_addf(&sb, "%d-%s", 42, "x");
	ok(sb.len == 10 && !memcmp(sb.buf, "abcd\0e42-x", 11), "add, addc, addf, NULs");
	for (i = 0; i < 100000; i++)
		sbuf_addf(&sb, "%zu,", i);
	ok(sb.len > 500000 && sb.buf[sb.len] == '\0', "grows and stays NUL-terminated");
	sbuf_reset(&sb);
	sbuf_adds(&sb, "trail \t\r\n");
	sbuf_rtrim(&sb);
	is_str(sb.buf, "trail", "rtrim");
	p = sbuf_detach(&sb, &len);
	ok(len == 5 && !strcmp(p, "trail") && sb.len == 0 && !strcmp(sb.buf, ""),
	   "detach hands over the string and empties the buffer");
	free(p);

	fp = fmemopen((void *)text, strlen(text), "r");
	ok(sbuf_getline(&sb, fp) == 1 && !strcmp(sb.buf, "one"), "getline 1");
	ok(sbuf_getline(&sb, fp) == 1 && !strcmp(sb.buf, "two\r"), "getline keeps CR");
	ok(sbuf_getline(&sb, fp) == 1 && sb.len == 0, "getline empty line");
	ok(sbuf_getline(&sb, fp) == 1 && !strcmp(sb.buf, "last"), "last line without newline");
	ok(sbuf_getline(&sb, fp) == 0, "then end of file");
	fclose(fp);

	sbuf_reset(&sb);
	for (i = 0; i < 3 * 65536 + 7; i++)
		sbuf_addc(&sb, 'a' + (int)(i % 7));
	ok(sbuf_write_file(&sb, "t-sbuf.tmp") == 0, "write_file");
	ok(sbuf_read_file(&rd, "t-sbuf.tmp") == 0 && rd.len == sb.len &&
	   !memcmp(rd.buf, sb.buf, sb.len), "read_file reads it back whole");
	unlink("t-sbuf.tmp");
	ok(sbuf_read_file(&rd, "t-sbuf.tmp") < 0 && errno == ENOENT,
	   "read_file of a missing file fails with ENOENT");
	ok(sbuf_write_file(&sb, "no/such/dir/f") < 0, "write_file into a missing directory fails");
	sbuf_release(&sb);
	sbuf_release(&rd);
}

static void
test_hmap(void)
{
	struct hmap m = HMAP_INIT;
	char key[32];
	long i, bad = 0;
	int added;

	ok(hmap_get(&m, "x", 1) == NULL, "empty map has nothing");
	for (i = 0; i < 50000; i++) {
		int n = snprintf(key, sizeof(key), "k%ld", i);
		void **v = hmap_put(&m, key, (size_t)n, &added);

		if (!added)
			bad++;
		*v = (void *)(i + 1);
	}
	is_int(bad, 0, "50000 new keys are added");
	is_int(m.n, 50000, "count");
	for (i = 0; i < 50000; i++) {
		int n = snprintf(key, sizeof(key), "k%ld", i);

		if (hmap_get(&m, key, (size_t)n) != (void *)(i + 1))
			bad++;
	}
	is_int(bad, 0, "each key finds its value");
	hmap_put(&m, "k7", 2, &added);
	ok(!added && m.n == 50000, "putting an existing key adds nothing");
	ok(hmap_get(&m, "k7\0", 3) == NULL, "keys are byte strings with a length");
	hmap_put(&m, "a\0b", 3, &added);
	ok(added && hmap_find(&m, "a\0b", 3) != NULL, "keys may hold NUL");
	hmap_free(&m, NULL);
	is_int(m.n, 0, "free empties the map");
}

static void
test_sha256(void)
{
	char hex[65];
	struct sha256 c;
	unsigned char d[32];
	char *big;
	int i;

	sha256_hex("", 0, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "sha256 of nothing");
	sha256_hex("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sha256 of abc");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	is_str(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	       "sha256 of the 448-bit message");
	big = malloc(1000000);
	memset(big, 'a', 1000000);
	sha256_init(&c);
	for (i = 0; i < 1000000; i += 999)
		sha256_update(&c, big + i, 1000000 - i < 999 ? 1000000 - (size_t)i : 999);
	sha256_final(&c, d);
	sha256_tohex(d, hex);
	is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "sha256 of a million a, fed in odd pieces");
	free(big);
}

int
main(void)
{
	test_sbuf();
	test_hmap();
	test_sha256();
	return done_testing();
}
