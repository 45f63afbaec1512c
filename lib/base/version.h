#ifndef PESQ_VERSION_H
#define PESQ_VERSION_H

/*
 * --version for the programs of cmd/ (and for them only: it prints and
 * exits). The Makefile's VERSION reaches them as PESQ_VERSION (-D on the
 * objects of cmd/). A program ends its long options with
 * PESQ_LONGOPTS_END, and where getopt_long gives a value the program does
 * not know, it first tries PESQ_VERSION_IF(c, "pesq-x"), which for
 * --version prints "pesq-x (pesq) VERSION" and exits 0.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#define PESQ_VERSION_OPT 0x7e57

#define PESQ_LONGOPTS_END \
	{ "version", no_argument, NULL, PESQ_VERSION_OPT }, { NULL, 0, NULL, 0 }

#define PESQ_VERSION_IF(c, prog) do { \
	if ((c) == PESQ_VERSION_OPT) { \
		printf("%s (pesq) %s\n", (prog), PESQ_VERSION); \
		exit(fclose(stdout) == EOF ? 3 : 0); \
	} \
} while (0)

#endif
