#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/redact.h"
#include "run/diskwatch.h"
#include "run/sandbox.h"
#include "base/path.h"
#include "base/xalloc.h"

extern char **environ;

/*
 * What of /etc a build, a test or a benchmark may read: Debian's
 * alternatives (cc, c++, ld ...), the dynamic loader's cache, the time
 * zone, users and groups by name (no passwords: those are in shadow) and
 * the names of the local host. Each is a mount, and a mount costs the
 * start of every run, so the list is short: pesq.sandbox.readOnly adds
 * more (/etc/perl, /etc/ssl/certs ...).
 */
static const char *const etc_allow[] = {
	"alternatives", "ld.so.cache", "localtime", "passwd", "group",
	"hosts", NULL
};

/* System directories and the links of a merged /usr. */
static const char *const sys_dirs[] = {
	"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", NULL
};

/*
 * The environment variables a command keeps (names ending in '_' are
 * prefixes: LC_ALL, LC_CTYPE ...).
 */
static const char *const env_allow[] = {
	"PATH", "LANG", "LANGUAGE", "LC_", "TZ", "TERM", "USER", "LOGNAME",
	"CC", "CXX", "CPP", "AR", "AS", "LD", "NM", "RANLIB", "STRIP",
	"OBJCOPY", "OBJDUMP", "CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS",
	"LDLIBS", "LIBS", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH",
	"LIBRARY_PATH", "LD_LIBRARY_PATH", "PKG_CONFIG", "PKG_CONFIG_PATH",
	"PKG_CONFIG_LIBDIR", "SOURCE_DATE_EPOCH", "ASAN_OPTIONS",
	"UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "MSAN_OPTIONS",
	"OMP_NUM_THREADS", "CMAKE_GENERATOR", "CMAKE_BUILD_PARALLEL_LEVEL",
	"PESQ_MEASURE_COUNTERS",
	NULL
};

void
sandbox_init(struct sandbox *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->max_file = SANDBOX_MAX_FILE;
	sb->max_disk = SANDBOX_MAX_DISK;
	sb->measure = sandbox_find_measure();
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
sandbox_release(struct sandbox *sb)
{
	free(sb->measure);
	free_list(sb->ro, sb->nro);
	free_list(sb->env, sb->nenv);
	memset(sb, 0, sizeof(*sb));
}

void
sandbox_add_ro(struct sandbox *sb, const char *path)
{
	XGROW(sb->ro, sb->nro + 1, sb->ro_cap);
	sb->ro[sb->nro++] = xstrdup(path);
}

void
sandbox_add_env(struct sandbox *sb, const char *name)
{
	XGROW(sb->env, sb->nenv + 1, sb->env_cap);
	sb->env[sb->nenv++] = xstrdup(name);
}

const char *
sandbox_program(void)
{
	const char *p = getenv("PESQ_BWRAP");

	return p && *p ? p : "bwrap";
}

char *
sandbox_find_measure(void)
{
	const char *env = getenv("PESQ_MEASURE");
	const char *rel[] = { "/pesq-measure", "/../libexec/pesq/pesq-measure" };
	char self[PATH_MAX], *slash, *found;
	struct sbuf p = SBUF_INIT;
	ssize_t n;

	if (env && *env)
		return path_executable(env) ? realpath(env, NULL) : NULL;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	if (!(slash = strrchr(self, '/')))
		return NULL;
	*slash = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		sbuf_reset(&p);
		sbuf_addf(&p, "%s%s", self, rel[i]);
		if (path_executable(p.buf)) {
			found = realpath(p.buf, NULL);
			sbuf_release(&p);
			return found;
		}
	}
	sbuf_release(&p);
	return NULL;
}

static int
allowed(const struct sandbox *sb, const char *name, size_t len)
{
	for (int i = 0; env_allow[i]; i++) {
		size_t k = strlen(env_allow[i]);

		if (env_allow[i][k - 1] == '_' ? len > k &&
		    !strncmp(name, env_allow[i], k) :
		    len == k && !strncmp(name, env_allow[i], k))
			return 1;
	}
	if (!sb->on && ((len == 4 && !strncmp(name, "HOME", 4)) ||
			(len == 6 && !strncmp(name, "TMPDIR", 6))))
		return 1;
	for (size_t i = 0; i < sb->nenv; i++)
		if (strlen(sb->env[i]) == len && !strncmp(name, sb->env[i], len))
			return 1;
	return 0;
}

/* Is the variable name[0..len) one of sb->set? */
static int
is_set(const struct sandbox *sb, const char *name, size_t len)
{
	for (const char *const *s = sb->set; s && *s; s++)
		if (!strncmp(*s, name, len) && (*s)[len] == '=')
			return 1;
	return 0;
}

char **
sandbox_env(const struct sandbox *sb)
{
	size_t n = 0, k = 0, nset = 0;
	char **env;

	while (environ[n])
		n++;
	while (sb->set && sb->set[nset])
		nset++;
	env = xcalloc(n + nset + 3, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) : 0;

		if (len && allowed(sb, environ[i], len) &&
		    !redact_secret_name(environ[i], len) &&
		    !is_set(sb, environ[i], len))
			env[k++] = xstrdup(environ[i]);
	}
	if (sb->on) {
		if (!is_set(sb, "HOME", 4))
			env[k++] = xstrdup("HOME=/tmp");
		if (!is_set(sb, "TMPDIR", 6))
			env[k++] = xstrdup("TMPDIR=/tmp");
	}
	for (size_t i = 0; i < nset; i++)
		env[k++] = xstrdup(sb->set[i]);
	env[k] = NULL;
	return env;
}

struct argv {
	char **v;
	size_t n, cap;
};

static void
push(struct argv *a, const char *s)
{
	XGROW(a->v, a->n + 2, a->cap);
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

static void
push3(struct argv *a, const char *opt, const char *x, const char *y)
{
	push(a, opt);
	push(a, x);
	push(a, y);
}

/* A system directory: a link as on the host, or bound read-only. */
static void
sys_dir(struct argv *a, const char *path)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			return;
		target[n] = '\0';
		push3(a, "--symlink", target, path);
	} else if (S_ISDIR(st.st_mode)) {
		push3(a, "--ro-bind", path, path);
	}
}

char **
sandbox_argv(const struct sandbox *sb, const char *dir, const char *cmd)
{
	/*
	 * Namespaces of its own for processes, the network and IPC (UTS
	 * and cgroup ones would add start-up time and nothing a process
	 * without capabilities could use); no way to make more user
	 * namespaces (whose root would have capabilities there); the
	 * namespace ends with us; a session of its own (no ioctl on our
	 * terminal); pesq-measure as its first process.
	 */
	static const char *const fixed[] = {
		"--unshare-user", "--unshare-ipc", "--unshare-pid",
		"--unshare-net", "--disable-userns", "--die-with-parent",
		"--new-session", "--as-pid-1", "--cap-drop", "ALL", NULL
	};
	struct argv a = { NULL, 0, 0 };
	struct sbuf s = SBUF_INIT;
	char size[32];

	push(&a, sandbox_program());
	for (int i = 0; fixed[i]; i++)
		push(&a, fixed[i]);
	/*
	 * Order matters: later mounts lie over earlier ones, so /tmp comes
	 * before what the user adds, and the writable dir, which may be
	 * inside any of them, comes last.
	 */
	push3(&a, "--ro-bind", "/usr", "/usr");
	for (int i = 0; sys_dirs[i]; i++)
		sys_dir(&a, sys_dirs[i]);
	for (int i = 0; etc_allow[i]; i++) {
		sbuf_reset(&s);
		sbuf_addf(&s, "/etc/%s", etc_allow[i]);
		push3(&a, "--ro-bind-try", s.buf, s.buf);
	}
	push3(&a, "--symlink", "../proc/self/mounts", "/etc/mtab");
	push(&a, "--dev");
	push(&a, "/dev");
	push(&a, "--proc");
	push(&a, "/proc");
	if (sb->max_disk) {
		snprintf(size, sizeof(size), "%llu", sb->max_disk);
		push(&a, "--size");
		push(&a, size);
	}
	push(&a, "--tmpfs");
	push(&a, "/tmp");
	for (size_t i = 0; i < sb->nro; i++)
		push3(&a, "--ro-bind-try", sb->ro[i], sb->ro[i]);
	push3(&a, "--ro-bind", sb->measure, sb->measure);
	for (const char *const *p = sb->rw; p && *p; p++)
		push3(&a, "--bind", *p, *p);
	push3(&a, "--bind", dir, dir);
	/* a worktree's link to its repository is not the command's to move */
	sbuf_reset(&s);
	sbuf_addf(&s, "%s/.git", strcmp(dir, "/") ? dir : "");
	push3(&a, "--ro-bind-try", s.buf, s.buf);
	push(&a, "--chdir");
	push(&a, dir);
	push(&a, "--");
	push(&a, sb->measure);
	push(&a, "/bin/sh");
	push(&a, "-c");
	push(&a, cmd);
	sbuf_release(&s);
	return a.v;
}

void
sandbox_argv_free(char **argv)
{
	char **a;

	if (!argv)
		return;
	for (a = argv; *a; a++)
		free(*a);
	free(argv);
}

int
sandbox_report_parse(const char *buf, size_t len, struct proc_res *res)
{
	enum proc_counters c = PROC_COUNTERS_UNSAID;
	long long user, sys, wall;
	unsigned long long a = 0, b = 0;
	long rss;
	int status, version, n = 0, m = 0, e = 0;
	char kind[5];

	if (sscanf(buf, "pesq-measure %d %d %lld %lld %lld %ld%n", &version,
		   &status, &user, &sys, &wall, &rss, &n) != 6 ||
	    (version != 1 && version != 2) || user < 0 || sys < 0 ||
	    wall < 0 || rss < 0)
		return 0;
	buf += n;
	len -= (size_t)n;
	if (version == 1) {
		if (strcmp(buf, "\n"))
			return 0;
	} else if (sscanf(buf, " %4[a-z] %llu %llu\n%n", kind, &a, &b,
			  &m) == 3 && (size_t)m == len &&
		   (!strcmp(kind, "hw") || !strcmp(kind, "sw"))) {
		c = kind[0] == 'h' ? PROC_COUNTERS_HW : PROC_COUNTERS_SW;
	} else if (sscanf(buf, " none %d\n%n", &e, &m) == 1 &&
		   (size_t)m == len) {
		c = PROC_COUNTERS_NONE;
	} else {
		return 0;
	}
	res->status = status;
	proc_status(res);
	res->user = (double)user / 1e6;
	res->sys = (double)sys / 1e6;
	res->wall = (double)wall / 1e9;
	res->maxrss = rss;
	res->counters = c;
	res->counters_err = e;
	res->count[0] = a;
	res->count[1] = b;
	return 1;
}

int
sandbox_run(const struct sandbox *sb, const struct proc_opt *in,
	    struct proc_res *res, int *measured)
{
	struct proc_opt po = *in;
	struct diskwatch dw;
	char **argv = NULL, **env = sandbox_env(sb);
	char *dir = realpath(in->dir ? in->dir : ".", NULL);
	int r = -1, saved;

	if (measured)
		*measured = 0;
	if (!dir)
		goto out;
	po.dir = dir;
	po.env = env;
	po.argv = NULL;
	po.fsize_max = sb->max_file;
	po.report = 0;
	po.watch = NULL;
	if (sb->max_disk) {
		diskwatch_start(&dw, dir, sb->max_disk);
		po.watch = diskwatch_check;
		po.watch_arg = &dw;
		po.watch_ms = 250;
	}
	if (sb->on) {
		if (!sb->measure) {
			errno = ENOENT;
			goto out_watch;
		}
		argv = sandbox_argv(sb, dir, in->cmd);
		po.argv = argv;
		po.report = 1;
	}
	r = proc_run(&po, res);
	if (r == 0 && sb->on && !res->timed_out && !res->stopped &&
	    sandbox_report_parse(res->report.buf, res->report.len, res) &&
	    measured)
		*measured = 1;
out_watch:
	if (sb->max_disk)
		diskwatch_release(&dw);
out:
	saved = errno;
	sandbox_argv_free(argv);
	proc_env_free(env);
	free(dir);
	errno = saved;
	return r;
}

void
sandbox_size(unsigned long long n, struct sbuf *out)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = -1;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		sbuf_addf(out, "%llu bytes", n);
	else
		sbuf_addf(out, "%.*f %s", v == (double)(long long)v ? 0 : 1, v,
			  unit[u]);
}

int
sandbox_limit_message(const struct sandbox *sb, const struct proc_res *res,
		      struct sbuf *out)
{
	if (res->stopped) {
		sbuf_adds(out, "it wrote more than ");
		sandbox_size(sb->max_disk, out);
		sbuf_adds(out, " into its directory (pesq.sandbox.maxDisk)");
		return 1;
	}
	/* the writer, or a shell reporting its death by SIGXFSZ */
	if (sb->max_file && (res->signaled ? res->termsig == SIGXFSZ :
			     res->exit_code == 128 + SIGXFSZ)) {
		sbuf_adds(out, "a file it wrote reached the limit of ");
		sandbox_size(sb->max_file, out);
		sbuf_adds(out, " (pesq.sandbox.maxFileSize)");
		return 1;
	}
	return 0;
}

int
sandbox_probe(const struct sandbox *sb, struct sbuf *why)
{
	struct proc_opt o = { 0 };
	struct proc_res r;
	struct sandbox t = *sb;
	struct sbuf dir = SBUF_INIT;
	const char *tmp = getenv("TMPDIR");
	int ok, measured;

	if (!sb->measure) {
		if (why)
			sbuf_adds(why, "'pesq-measure' is not installed beside "
				  "this program");
		return 0;
	}
	sbuf_addf(&dir, "%s/pesq-probe.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.buf)) {
		if (why)
			sbuf_addf(why, "cannot make '%s': %s", dir.buf,
				  strerror(errno));
		sbuf_release(&dir);
		return 0;
	}
	t.on = 1;
	t.max_disk = 0;
	o.cmd = "exit 0";
	o.dir = dir.buf;
	o.timeout = 30;
	o.err_max = 512;
	if (sandbox_run(&t, &o, &r, &measured) < 0) {
		if (why)
			sbuf_addf(why, "cannot run '%s'", sandbox_program());
		rmdir(dir.buf);
		sbuf_release(&dir);
		return 0;
	}
	ok = r.exit_code == 0 && measured;
	if (!ok && why) {
		sbuf_rtrim(&r.err);
		sbuf_addf(why, "'%s' does not work here (status %d%s%s)",
			  sandbox_program(), r.exit_code, r.err.len ? ": " : "",
			  r.err.buf);
	}
	proc_res_release(&r);
	rmdir(dir.buf);
	sbuf_release(&dir);
	return ok;
}
