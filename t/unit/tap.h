#ifndef PESQ_TAP_H
#define PESQ_TAP_H

/*
 * A TAP producer for the C unit tests, header only. Each test file:
 *
 *	#include "tap.h"
 *	int main(void) {
 *		ok(1 + 1 == 2, "addition");
 *		is_int(f(), 3, "f gives 3");
 *		is_str(g(), "x", "g gives x");
 *		return done_testing();
 *	}
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static int
tap_vok(int cond, const char *fmt, va_list ap)
{
	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	vprintf(fmt, ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

static int __attribute__((format(printf, 2, 3), unused))
ok(int cond, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(cond, fmt, ap);
	va_end(ap);
	return r;
}

#define is_int(got, want, ...) do { \
		long long tap_g_ = (long long)(got), tap_w_ = (long long)(want); \
		if (!ok(tap_g_ == tap_w_, __VA_ARGS__)) \
			printf("#   got %lld, want %lld (%s:%d)\n", tap_g_, tap_w_, \
			       __FILE__, __LINE__); \
	} while (0)

#define is_str(got, want, ...) do { \
		const char *tap_g_ = (got), *tap_w_ = (want); \
		if (!ok(tap_g_ && tap_w_ && !strcmp(tap_g_, tap_w_), __VA_ARGS__)) \
			printf("#   got '%s', want '%s' (%s:%d)\n", \
			       tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)", \
			       __FILE__, __LINE__); \
	} while (0)

static int __attribute__((unused))
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
