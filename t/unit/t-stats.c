#include <math.h>
#include <string.h>

#include "measure/stats.h"
#include "tap.h"

static int
near(double a, double b, double eps)
{
	return fabs(a - b) <= eps;
}

static void
test_median(void)
{
	double odd[] = { 5, 1, 4, 2, 3 }, even[] = { 4, 1, 3, 2 };
	double dup[] = { 2, 2, 2, 1, 9, 2 }, one[] = { 7 };
	double keep[5];

	memcpy(keep, odd, sizeof(odd));
	ok(stats_median(odd, 5) == 3, "median of odd count");
	ok(!memcmp(keep, odd, sizeof(odd)), "stats_median leaves its input");
	ok(stats_median(even, 4) == 2.5, "median of even count is the mean");
	ok(stats_median(dup, 6) == 2, "median with ties");
	ok(stats_median(one, 1) == 7, "median of one");
	ok(isnan(stats_median(NULL, 0)), "median of nothing is NaN");
	for (int n = 1; n <= 40; n++) {
		double x[40], y[40];
		int good = 1;

		for (int i = 0; i < n; i++)
			x[i] = (double)((i * 41 + 11) % n);
		memcpy(y, x, sizeof(x));
		/* values are a permutation of 0..n-1 */
		if (stats_median_inplace(y, (size_t)n) != (double)(n - 1) / 2)
			good = 0;
		ok(good, "median of a permutation of 0..%d", n - 1);
	}
}

static void
test_quantile(void)
{
	double x[] = { 1, 2, 3, 4, 5 };

	ok(stats_quantile_sorted(x, 5, 0) == 1, "quantile 0 is the minimum");
	ok(stats_quantile_sorted(x, 5, 1) == 5, "quantile 1 is the maximum");
	ok(stats_quantile_sorted(x, 5, 0.5) == 3, "quantile 0.5");
	ok(near(stats_quantile_sorted(x, 5, 0.1), 1.4, 1e-12),
	   "quantile interpolates");
}

static void
test_rng(void)
{
	struct stats_rng a, b;
	int same = 1, inrange = 1, seen[6] = { 0 }, all = 1;

	stats_rng_seed(&a, 42);
	stats_rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		if (stats_rng_next(&a) != stats_rng_next(&b))
			same = 0;
	ok(same, "the same seed gives the same stream");
	stats_rng_seed(&b, 43);
	ok(stats_rng_next(&a) != stats_rng_next(&b), "another seed differs");
	for (int i = 0; i < 6000; i++) {
		uint64_t v = stats_rng_below(&a, 6);

		if (v >= 6)
			inrange = 0;
		else
			seen[v]++;
	}
	for (int i = 0; i < 6; i++)
		if (seen[i] < 800 || seen[i] > 1200)
			all = 0;
	ok(inrange, "below(n) stays below n");
	ok(all, "below(6) hits every value about equally");
}

static void
test_signed_rank(void)
{
	double seven[] = { 1, 2, 3, 4, 5, 6, 7 };
	double zeros[] = { 0, 0, 1, 2, 0, 3, 4, 5, 6, 7 };
	double mixed[] = { 1, -2, 3, 4, 5 }, neg[] = { -1, -2, -3, -4, -5 };
	double ties[] = { 1, 1, 1, 1 }, ties2[] = { 1, -1, 2 };
	double none[] = { 0, 0 }, alt[200], pos[200], w;

	ok(near(stats_signed_rank(seven, 7, &w), 1.0 / 128, 1e-15),
	   "seven positives: p = 1/128");
	ok(w == 28, "W+ is the sum of the ranks");
	ok(near(stats_signed_rank(zeros, 10, NULL), 1.0 / 128, 1e-15),
	   "zeros are dropped");
	ok(near(stats_signed_rank(mixed, 5, &w), 3.0 / 32, 1e-15),
	   "one negative of five: p = 3/32");
	ok(w == 13, "W+ leaves out the negative rank");
	ok(near(stats_signed_rank(neg, 5, NULL), 1, 1e-15),
	   "all negative: p = 1");
	ok(near(stats_signed_rank(ties, 4, &w), 1.0 / 16, 1e-15),
	   "four tied positives: p = 1/16");
	ok(w == 10, "tied ranks share their mean");
	ok(near(stats_signed_rank(ties2, 3, &w), 3.0 / 8, 1e-15),
	   "exact distribution with tied ranks");
	ok(w == 4.5, "W+ with a half rank");
	ok(stats_signed_rank(none, 2, NULL) == 1, "only zeros: p = 1");
	for (int i = 0; i < 200; i++) {
		alt[i] = (i % 2 ? -1 : 1) * (i + 1.0);
		pos[i] = i + 1.0;
	}
	ok(stats_signed_rank(alt, 200, NULL) > 0.3 &&
	   stats_signed_rank(alt, 200, NULL) < 0.7,
	   "balanced signs (normal approximation): p near 1/2");
	ok(stats_signed_rank(pos, 200, NULL) < 1e-20,
	   "200 positives (normal approximation): p tiny");
	/* both methods agree where they meet */
	{
		double e = stats_signed_rank(alt, STATS_EXACT_MAX, NULL);
		double a = stats_signed_rank(alt, STATS_EXACT_MAX + 2, NULL);

		ok(near(e, a, 0.05), "exact and approximate p agree (%g, %g)",
		   e, a);
	}
}

static void
test_boot(void)
{
	double base[40], cand[40], same[40], lo, hi, lo2, hi2, lo3, hi3;

	for (int i = 0; i < 40; i++) {
		base[i] = 100 + (i * 7919) % 13;
		cand[i] = base[i] * 0.8;
		same[i] = base[i];
	}
	stats_boot_ratio(base, cand, 20, 2, 0.99, 2000, 1, &lo, &hi);
	ok(near(lo, 1.25, 1e-12) && near(hi, 1.25, 1e-12),
	   "a constant ratio gives a point interval (%g-%g)", lo, hi);
	stats_boot_ratio(base, same, 20, 2, 0.99, 2000, 1, &lo, &hi);
	ok(lo == 1 && hi == 1, "identical sides give exactly 1");
	for (int i = 0; i < 40; i++)
		cand[i] = 100 + (i * 104729) % 17;
	stats_boot_ratio(base, cand, 20, 2, 0.99, 2000, 7, &lo, &hi);
	stats_boot_ratio(base, cand, 20, 2, 0.99, 2000, 7, &lo2, &hi2);
	ok(lo == lo2 && hi == hi2, "the same seed gives the same interval");
	ok(lo < hi, "noise gives an interval of some width");
	stats_boot_ratio(base, cand, 20, 2, 0.8, 2000, 7, &lo3, &hi3);
	ok(lo <= lo3 && hi3 <= hi, "a lower confidence gives a narrower one");
	stats_boot_ratio(base, cand, 0, 2, 0.99, 2000, 7, &lo, &hi);
	ok(isnan(lo) && isnan(hi), "no rounds: NaN");
}

int
main(void)
{
	test_median();
	test_quantile();
	test_rng();
	test_signed_rank();
	test_boot();
	return done_testing();
}
