#ifndef PESQ_SHA256_H
#define PESQ_SHA256_H

#include <stddef.h>
#include <stdint.h>

/*
 * SHA-256 (FIPS 180-4), streaming. No allocation, no failure.
 */
struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);

/* Digest of p[0..n) as 64 lowercase hex digits and a NUL in hex[65]. */
void sha256_hex(const void *p, size_t n, char hex[65]);

/* 32 bytes to 64 hex digits and a NUL. */
void sha256_tohex(const unsigned char d[32], char hex[65]);

#endif
