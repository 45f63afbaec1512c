#include <string.h>
#include <sys/stat.h>

#include "attempt/sandboxconf.h"
#include "ledger/repo.h"

int
sandboxconf_mode_ok(const char *s)
{
	return !strcmp(s, "auto") || !strcmp(s, "on") || !strcmp(s, "off");
}

/* A size setting: 0 when unset (default kept), -1 when invalid. */
static int
size_of(git_repository *repo, const char *key, unsigned long long *out,
	struct sbuf *err)
{
	long long v;
	int r = repo_config_int(repo, key, &v);

	if (r == 0)
		return 0;
	if (r < 0 || v < 0) {
		sbuf_addf(err, "invalid pesq.%s: a size in bytes (k, m, g "
			  "suffixes; 0 for no limit)", key);
		return -1;
	}
	*out = (unsigned long long)v;
	return 0;
}

static int
read_only(git_repository *repo, struct sandbox *sb, struct sbuf *notice,
	  struct sbuf *err)
{
	struct sbuf s = SBUF_INIT, p = SBUF_INIT;
	struct stat st;
	const char *q;
	int r = 0;

	if (repo_config_str(repo, "sandbox.readOnly", &s) <= 0)
		goto out;
	for (q = s.buf; *q; ) {
		size_t n = strcspn(q, ":");

		sbuf_reset(&p);
		sbuf_add(&p, q, n);
		q += n + (q[n] == ':');
		if (!p.len)
			continue;
		if (p.buf[0] != '/') {
			sbuf_addf(err, "invalid pesq.sandbox.readOnly: '%s' is "
				  "not an absolute path", p.buf);
			r = -1;
			break;
		}
		if (stat(p.buf, &st) < 0)
			sbuf_addf(notice, "%spesq.sandbox.readOnly: '%s' does "
				  "not exist", notice->len ? "\n" : "", p.buf);
		sandbox_add_ro(sb, p.buf);
	}
out:
	sbuf_release(&s);
	sbuf_release(&p);
	return r;
}

static int
env_names(git_repository *repo, struct sandbox *sb, struct sbuf *err)
{
	struct sbuf s = SBUF_INIT, name = SBUF_INIT;
	const char *q;
	int r = 0;

	if (repo_config_str(repo, "sandbox.env", &s) <= 0)
		goto out;
	for (q = s.buf; *q; ) {
		size_t n = strcspn(q, " \t,");

		sbuf_reset(&name);
		sbuf_add(&name, q, n);
		q += n;
		q += strspn(q, " \t,");
		if (!name.len)
			continue;
		for (size_t i = 0; i < name.len; i++) {
			char c = name.buf[i];

			if (!(c == '_' || (c >= 'A' && c <= 'Z') ||
			      (c >= 'a' && c <= 'z') ||
			      (i > 0 && c >= '0' && c <= '9'))) {
				sbuf_addf(err, "invalid pesq.sandbox.env: '%s' "
					  "is not a variable name", name.buf);
				r = -1;
				goto out;
			}
		}
		sandbox_add_env(sb, name.buf);
	}
out:
	sbuf_release(&s);
	sbuf_release(&name);
	return r;
}

int
sandboxconf_load(git_repository *repo, const char *mode, struct sandbox *sb,
		 struct buildcache *cache, struct sbuf *notice,
		 struct sbuf *err)
{
	struct sbuf m = SBUF_INIT, why = SBUF_INIT;
	int r = -2;

	sandbox_init(sb);
	if (cache && buildcache_load(repo, cache, err) < 0)
		goto out;
	if (mode)
		sbuf_adds(&m, mode);
	else if (repo_config_str(repo, "sandbox", &m) <= 0)
		sbuf_adds(&m, "auto");
	if (!sandboxconf_mode_ok(m.buf)) {
		sbuf_addf(err, "invalid sandbox mode '%s' (auto, on or off)",
			  m.buf);
		goto out;
	}
	if (size_of(repo, "sandbox.maxFileSize", &sb->max_file, err) < 0 ||
	    size_of(repo, "sandbox.maxDisk", &sb->max_disk, err) < 0 ||
	    read_only(repo, sb, notice, err) < 0 ||
	    env_names(repo, sb, err) < 0)
		goto out;
	if (!strcmp(m.buf, "off")) {
		sbuf_addf(notice, "%scandidate code runs without the sandbox "
			  "(sandbox mode off): it sees the whole machine and "
			  "the network", notice->len ? "\n" : "");
	} else if (sandbox_probe(sb, &why)) {
		sb->on = 1;
	} else if (!strcmp(m.buf, "on")) {
		sbuf_addf(err, "sandbox on, but it cannot run here: %s",
			  why.buf);
		r = -1;
		goto out;
	} else {
		sbuf_addf(notice, "%scandidate code runs WITHOUT the sandbox: "
			  "%s (sandbox mode auto; 'on' refuses to run "
			  "without it)", notice->len ? "\n" : "", why.buf);
	}
	r = 0;
out:
	if (r < 0)
		sandboxconf_release(sb, cache);
	sbuf_release(&m);
	sbuf_release(&why);
	return r;
}

void
sandboxconf_release(struct sandbox *sb, struct buildcache *cache)
{
	sandbox_release(sb);
	if (cache)
		buildcache_release(cache);
}

void
sandboxconf_secrets(git_repository *repo, struct redact *r)
{
	struct sbuf top = SBUF_INIT;
	const char *files[3] = { ".env", NULL, NULL };
	const char *wd = repo ? git_repository_workdir(repo) : NULL;

	if (wd) {
		sbuf_addf(&top, "%s.env", wd);
		files[1] = top.buf;
	}
	redact_load(r, files);
	sbuf_release(&top);
}
