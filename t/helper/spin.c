/*
 * spin: a program whose run time is a knob, for testing pesq-bench.
 *
 *	spin [-f FILE | UNITS] [-o TEXT] [-x STATUS] [--hang]
 *	     [--write PATH] [--connect PORT | --connect SOCKET]
 *	spin [--unix SOCKET] --serve FILE
 *
 * Does UNITS (a decimal number) units of busy work (about a millisecond
 * each on a current machine; never sleeps), the number read from FILE
 * with -f, then prints TEXT (default "spin") and a newline: the output
 * does not depend on the amount of work, so a faster variant prints the
 * same. --hang works
 * forever. --write creates PATH and writes to it, --connect opens a TCP
 * connection to 127.0.0.1:PORT (a unix socket when the argument holds a
 * '/'); either failing prints why on stderr and exits 1. -x sets the
 * exit status.
 *
 * --serve listens on a free port of 127.0.0.1, writes "PORT PID" to FILE,
 * and returns once it listens, leaving a child that accepts connections
 * for at most a minute (kill PID ends it sooner). With --unix (given
 * first) it listens on the unix socket SOCKET instead, and PORT is 0.
 */
#include <arpa/inet.h>
#include <err.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static volatile uint64_t sink;

#define UNIT 600000L		/* steps of a unit of work */

static void
work(double units)
{
	uint64_t x = 88172645463325252ULL;
	long steps = (long)(units * UNIT + 0.5);

	for (long i = 0; units < 0 || i < steps; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (i % UNIT == 0)
			sink = x;
	}
	sink = x;
}

static const char *unix_path;	/* --unix */

static int
unix_addr(const char *path, struct sockaddr_un *u)
{
	memset(u, 0, sizeof(*u));
	u->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(u->sun_path))
		errx(2, "socket path too long: '%s'", path);
	strcpy(u->sun_path, path);
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static int
connect_to(const char *port)
{
	struct sockaddr_in a;
	struct sockaddr_un u;
	int c;

	if (strchr(port, '/')) {
		if ((c = unix_addr(port, &u)) < 0 ||
		    connect(c, (struct sockaddr *)&u, sizeof(u)) < 0) {
			warn("connect to '%s'", port);
			return -1;
		}
		close(c);
		return 0;
	}

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)atoi(port));
	if ((c = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
		warn("connect to 127.0.0.1:%s", port);
		return -1;
	}
	close(c);
	return 0;
}

static int
serve(const char *file)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	FILE *fp;
	pid_t pid;
	int l;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (unix_path) {
		struct sockaddr_un u;

		if ((l = unix_addr(unix_path, &u)) < 0 ||
		    bind(l, (struct sockaddr *)&u, sizeof(u)) < 0 ||
		    listen(l, 16) < 0)
			err(1, "listen on '%s'", unix_path);
	} else if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(l, 16) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0) {
		err(1, "listen on 127.0.0.1");
	}
	if ((pid = fork()) < 0)
		err(1, "fork");
	if (pid == 0) {
		setsid();
		alarm(60);
		for (;;) {
			int c = accept(l, NULL, NULL);

			if (c >= 0)
				close(c);
		}
	}
	if (!(fp = fopen(file, "w")) ||
	    fprintf(fp, "%d %ld\n", unix_path ? 0 : ntohs(a.sin_port),
		    (long)pid) < 0 ||
	    fclose(fp) == EOF)
		err(1, "cannot write '%s'", file);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "hang", no_argument, NULL, 'H' },
		{ "write", required_argument, NULL, 'W' },
		{ "connect", required_argument, NULL, 'C' },
		{ "serve", required_argument, NULL, 'S' },
		{ "unix", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 }
	};
	const char *text = "spin", *file = NULL, *wpath = NULL;
	const char *port = NULL;
	int c, status = 0, hang = 0;
	double units = 0;

	while ((c = getopt_long(argc, argv, "f:o:x:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'o': text = optarg; break;
		case 'x': status = atoi(optarg); break;
		case 'H': hang = 1; break;
		case 'W': wpath = optarg; break;
		case 'C': port = optarg; break;
		case 'S': return serve(optarg);
		case 'U': unix_path = optarg; break;
		default:
			fprintf(stderr, "usage: spin [-f FILE | UNITS] [-o TEXT] "
				"[-x STATUS] [--hang] [--write PATH] "
				"[--connect PORT|SOCKET] | [--unix SOCKET] "
				"--serve FILE\n");
			return 2;
		}
	}
	if (optind < argc)
		units = atof(argv[optind]);
	if (file) {
		FILE *fp = fopen(file, "r");

		if (!fp || fscanf(fp, "%lf", &units) != 1)
			errx(2, "cannot read a number from '%s'", file);
		fclose(fp);
	}
	if (wpath) {
		FILE *fp = fopen(wpath, "w");

		if (!fp || fputs("written\n", fp) == EOF || fclose(fp) == EOF)
			err(1, "cannot write '%s'", wpath);
	}
	if (port && connect_to(port) < 0)
		return 1;
	work(hang ? -1 : units);
	printf("%s\n", text);
	if (fclose(stdout) == EOF)
		err(3, "stdout");
	return status;
}
