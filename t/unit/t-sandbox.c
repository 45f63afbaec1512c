/*
 * Unit tests for lib/run/sandbox (the command line, the environment) and
 * lib/base/redact (secrets kept out of logs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/redact.h"
#include "run/sandbox.h"
#include "tap.h"

static int
find(char **v, const char *s, int from)
{
	for (int i = from; v[i]; i++)
		if (!strcmp(v[i], s))
			return i;
	return -1;
}

/* Is "opt a b" in v? Returns the index of opt or -1. */
static int
find3(char **v, const char *opt, const char *a, const char *b)
{
	for (int i = 0; v[i] && v[i + 1] && v[i + 2]; i++)
		if (!strcmp(v[i], opt) && !strcmp(v[i + 1], a) &&
		    !strcmp(v[i + 2], b))
			return i;
	return -1;
}

static int
has_env(char **env, const char *s)
{
	for (; *env; env++)
		if (!strcmp(*env, s))
			return 1;
	return 0;
}

static void
test_argv(void)
{
	struct sandbox sb;
	char **v;
	int n, tmp;

	sandbox_init(&sb);
	free(sb.measure);
	sb.measure = strdup("/opt/pesq/libexec/pesq/pesq-measure");
	sandbox_add_ro(&sb, "/opt/toolchain");
	sb.on = 1;
	v = sandbox_argv(&sb, "/w/r/.git/pesq/slot-0", "make test");
	for (n = 0; v[n]; n++)
		;
	ok(find3(v, "--ro-bind", "/", "/") < 0 &&
	   find3(v, "--bind", "/", "/") < 0, "the root is not bound");
	ok(find3(v, "--ro-bind", "/usr", "/usr") >= 0, "/usr is, read-only");
	ok(find3(v, "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache")
	   >= 0 && find(v, "/etc/shadow", 0) < 0 && find(v, "/etc", 0) < 0,
	   "of /etc only what is listed");
	ok(find(v, "--unshare-net", 0) > 0 && find(v, "--unshare-pid", 0) > 0
	   && find(v, "--unshare-ipc", 0) > 0 &&
	   find(v, "--disable-userns", 0) > 0, "namespaces of its own");
	ok(find(v, "--die-with-parent", 0) > 0 && find(v, "--as-pid-1", 0) > 0
	   && find(v, "--new-session", 0) > 0,
	   "it dies with us, pesq-measure is its first process");
	tmp = find(v, "/tmp", 0);
	ok(tmp > 0 && !strcmp(v[tmp - 1], "--tmpfs") &&
	   find3(v, "--ro-bind-try", "/opt/toolchain", "/opt/toolchain") > tmp
	   && find3(v, "--bind", "/w/r/.git/pesq/slot-0",
		    "/w/r/.git/pesq/slot-0") > tmp,
	   "a private /tmp, then the paths added and the worktree");
	ok(find3(v, "--ro-bind-try", "/w/r/.git/pesq/slot-0/.git",
		 "/w/r/.git/pesq/slot-0/.git") > 0, "the .git file read-only");
	ok(find(v, "/w/r/.git/pesq/ccache", 0) < 0,
	   "no other path is writable");
	is_str(v[n - 1], "make test", "the command comes last");
	is_str(v[n - 2], "-c", "run by sh -c");
	is_str(v[n - 4], sb.measure, "under pesq-measure");
	is_str(v[n - 5], "--", "after the options");
	sandbox_argv_free(v);
	sandbox_release(&sb);
}

/* A build's extras: one more writable path, variables set over ours. */
static void
test_extras(void)
{
	static const char *const rw[] = { "/w/r/.git/pesq/ccache", NULL };
	static const char *const set[] = { "PATH=/usr/lib/ccache:/usr/bin",
		"CCACHE_DIR=/w/r/.git/pesq/ccache", "HOME=/nowhere", NULL };
	struct sandbox sb;
	char **v, **env;
	int cache;

	setenv("PATH", "/usr/bin", 1);
	sandbox_init(&sb);
	free(sb.measure);
	sb.measure = strdup("/opt/pesq/libexec/pesq/pesq-measure");
	sb.on = 1;
	sb.rw = rw;
	sb.set = set;
	v = sandbox_argv(&sb, "/w/r/.git/pesq/slot-0", "make");
	cache = find3(v, "--bind", rw[0], rw[0]);
	ok(cache > 0 && find3(v, "--bind", "/w/r/.git/pesq/slot-0",
			      "/w/r/.git/pesq/slot-0") > cache,
	   "a path of rw is bound read-write, before the worktree");
	sandbox_argv_free(v);
	env = sandbox_env(&sb);
	ok(has_env(env, set[0]) && !has_env(env, "PATH=/usr/bin") &&
	   has_env(env, set[1]), "set is over the allowlisted variables");
	ok(has_env(env, "HOME=/nowhere") && !has_env(env, "HOME=/tmp") &&
	   has_env(env, "TMPDIR=/tmp"), "and over the sandbox's own");
	proc_env_free(env);
	sandbox_release(&sb);
}

static void
test_env(void)
{
	struct sandbox sb;
	char **env;

	setenv("OPENAI_API_KEY", "sk-unit-1234567", 1);
	setenv("GITHUB_TOKEN", "ghp-unit-1234567", 1);
	setenv("GIT_DIR", "/w/r/.git", 1);
	setenv("MAKEFLAGS", "-j2 --jobserver-auth=3,4", 1);
	setenv("LC_ALL", "C", 1);
	setenv("CC", "clang", 1);
	setenv("MY_TOOL_HOME", "/opt/t", 1);
	setenv("MY_SECRET", "hush-hush", 1);
	setenv("HOME", "/root", 1);
	sandbox_init(&sb);
	sandbox_add_env(&sb, "MY_TOOL_HOME");
	sandbox_add_env(&sb, "MY_SECRET");
	env = sandbox_env(&sb);
	ok(!has_env(env, "OPENAI_API_KEY=sk-unit-1234567") &&
	   !has_env(env, "GITHUB_TOKEN=ghp-unit-1234567"), "no keys, no tokens");
	ok(!has_env(env, "GIT_DIR=/w/r/.git") &&
	   !has_env(env, "MAKEFLAGS=-j2 --jobserver-auth=3,4"),
	   "no git, no outer make");
	ok(has_env(env, "LC_ALL=C") && has_env(env, "CC=clang"),
	   "the locale and the compiler");
	ok(has_env(env, "MY_TOOL_HOME=/opt/t"), "a name the user added");
	ok(!has_env(env, "MY_SECRET=hush-hush"),
	   "not a secret-looking one, even added");
	ok(has_env(env, "HOME=/root"), "without the sandbox, HOME as it is");
	proc_env_free(env);
	sb.on = 1;
	env = sandbox_env(&sb);
	ok(has_env(env, "HOME=/tmp") && has_env(env, "TMPDIR=/tmp") &&
	   !has_env(env, "HOME=/root"), "in the sandbox, HOME is /tmp");
	proc_env_free(env);
	sandbox_release(&sb);
}

static void
test_redact(void)
{
	struct redact r = REDACT_INIT;
	struct sbuf s = SBUF_INIT;
	char path[64];
	const char *files[] = { path, "no-such.env", NULL };
	FILE *fp;

	snprintf(path, sizeof(path), "t-sandbox.%ld.env", (long)getpid());
	fp = fopen(path, "w");
	ok(redact_secret_name("OPENAI_API_KEY", 14) &&
	   redact_secret_name("github_token", 12) &&
	   redact_secret_name("DB_PASSWORD", 11) &&
	   redact_secret_name("AWS_SECRET_ACCESS_KEY", 21) &&
	   !redact_secret_name("KEYBOARD", 8) &&
	   !redact_secret_name("PATH", 4), "names that look like secrets");
	fputs("# keys\nexport ANTHROPIC_API_KEY='sk-ant-file-98765'\n"
	      "SHORT_TOKEN=abc\nPLAIN=sk-not-a-secret-name\n", fp);
	fclose(fp);
	setenv("OPENAI_API_KEY", "sk-unit-1234567", 1);
	redact_load(&r, files);
	sbuf_adds(&s, "env sk-unit-1234567, file sk-ant-file-98765 and "
		  "sk-unit-1234567 again; abc; sk-not-a-secret-name");
	is_int((int)redact_apply(&r, &s), 3, "three secrets found");
	is_str(s.buf, "env [redacted], file [redacted] and [redacted] again; "
	       "abc; sk-not-a-secret-name",
	       "replaced; short values and other names kept");
	redact_release(&r);
	redact_add(&r, "abcdef", 6);
	redact_add(&r, "abcdefghij", 10);
	sbuf_reset(&s);
	sbuf_adds(&s, "abcdefghij");
	redact_apply(&r, &s);
	is_str(s.buf, "[redacted]", "the longer secret first");
	redact_release(&r);
	sbuf_release(&s);
	unlink(path);
}

/* Parse report into a fresh result; 1 or 0 as sandbox_report_parse. */
static int
parse(const char *report, struct proc_res *r)
{
	memset(r, 0, sizeof(*r));
	r->counters = PROC_COUNTERS_NONE;	/* to see it set */
	return sandbox_report_parse(report, strlen(report), r);
}

static void
test_report(void)
{
	struct proc_res r;

	ok(parse("pesq-measure 1 256 1500 500 3000000 1024\n", &r) &&
	   r.exit_code == 1 && r.user == 0.0015 && r.sys == 0.0005 &&
	   r.wall == 0.003 && r.maxrss == 1024 &&
	   r.counters == PROC_COUNTERS_UNSAID,
	   "the report without counters: times, no counters said");
	ok(parse("pesq-measure 2 0 1 2 3 4 hw 123456789012 98765\n", &r) &&
	   r.exit_code == 0 && r.counters == PROC_COUNTERS_HW &&
	   r.count[0] == 123456789012ULL && r.count[1] == 98765,
	   "hardware counters: instructions and cycles");
	ok(parse("pesq-measure 2 0 1 2 3 4 sw 5 6\n", &r) &&
	   r.counters == PROC_COUNTERS_SW && r.count[0] == 5 &&
	   r.count[1] == 6, "software stand-ins");
	ok(parse("pesq-measure 2 0 1 2 3 4 none 2\n", &r) &&
	   r.counters == PROC_COUNTERS_NONE && r.counters_err == 2,
	   "no counters, and why");
	ok(!parse("pesq-measure 2 0 1 2 3 4\n", &r) &&
	   !parse("pesq-measure 1 0 1 2 3 4 hw 1 2\n", &r) &&
	   !parse("pesq-measure 2 0 1 2 3 4 xx 1 2\n", &r) &&
	   !parse("pesq-measure 2 0 1 2 3 4 hw 1 2\nmore\n", &r) &&
	   !parse("pesq-measure 3 0 1 2 3 4 hw 1 2\n", &r) &&
	   !parse("pesq-measure 2 0 -1 2 3 4 none 2\n", &r),
	   "malformed reports are refused");
	ok(r.counters == PROC_COUNTERS_NONE && r.exit_code == 0,
	   "a refused report leaves the result as it was");
}

int
main(void)
{
	test_argv();
	test_env();
	test_report();
	test_extras();
	test_redact();
	return done_testing();
}
