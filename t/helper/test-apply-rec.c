/*
 * test-apply-rec: make input records for pesq-apply tests.
 *
 *	test-apply-rec [-r REV] FN FILE CANDFILE [SUMMARY]
 *		a record with fn, def (found in FILE at REV, default HEAD:
 *		the line starting a definition "...FN(" through the next "}"
 *		at the start of a line), candidate (CANDFILE's bytes),
 *		llm.model "fake", prompt.id "p-FN"
 *	test-apply-rec -f RECFILE CANDFILE
 *		RECFILE's first record with candidate.code replaced
 *	test-apply-rec -p PATH RECFILE
 *		the string at PATH ("build.log") of RECFILE's first record
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/jsonl.h"
#include "ledger/repo.h"

static void
print_path(const char *path, const char *recfile)
{
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	struct sbuf s = SBUF_INIT;
	FILE *fp = fopen(recfile, "r");

	if (!fp || (jsonl_reader_init(&r, fp, recfile), jsonl_read(&r, &rec)) != 1)
		errx(1, "cannot read a record from '%s'", recfile);
	if (!jsonl_path_str(rec, path, &s))
		errx(1, "no string '%s'", path);
	fwrite(s.buf, 1, s.len, stdout);
	sbuf_release(&s);
	jsonl_reader_release(&r);
	fclose(fp);
}

static void
from_record(const char *recfile, const struct sbuf *cand)
{
	static const char *const skip[] = { "candidate", NULL };
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	struct sbuf out = SBUF_INIT;
	FILE *fp = fopen(recfile, "r");
	struct jw w;

	if (!fp || (jsonl_reader_init(&r, fp, recfile), jsonl_read(&r, &rec)) != 1)
		errx(1, "cannot read a record from '%s'", recfile);
	jw_init(&w, &out);
	jw_obj(&w);
	jsonl_copy_except(rec, &w, skip);
	jw_key(&w, "candidate");
	jw_obj(&w);
	jw_key(&w, "code");
	jw_strn(&w, cand->buf, cand->len);
	jw_key(&w, "summary");
	jw_str(&w, "corrected");
	jw_obj_end(&w);
	jw_obj_end(&w);
	printf("%s\n", out.buf);
	jw_release(&w);
	sbuf_release(&out);
	jsonl_reader_release(&r);
	fclose(fp);
}

int
main(int argc, char **argv)
{
	const char *rev = "HEAD", *recfile = NULL, *path = NULL, *fn, *file;
	const char *p, *q;
	struct sbuf cand = SBUF_INIT, text = SBUF_INIT, s = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_repository *repo;
	git_oid commit, blob;
	size_t start, end, line = 1;
	struct jw w;
	int c;

	while ((c = getopt(argc, argv, "r:f:p:")) != -1) {
		if (c == 'r')
			rev = optarg;
		else if (c == 'p')
			path = optarg;
		else if (c == 'f')
			recfile = optarg;
		else
			return 2;
	}
	argc -= optind;
	argv += optind;
	if (path) {
		print_path(path, argv[0]);
		return 0;
	}
	if (recfile) {
		if (argc != 1 || sbuf_read_file(&cand, argv[0]) < 0)
			errx(2, "usage: test-apply-rec -f RECFILE CANDFILE");
		from_record(recfile, &cand);
		sbuf_release(&cand);
		return 0;
	}
	if (argc < 3 || sbuf_read_file(&cand, argv[2]) < 0)
		errx(2, "usage: test-apply-rec [-r REV] FN FILE CANDFILE [SUMMARY]");
	fn = argv[0];
	file = argv[1];
	if (repo_open(&repo, NULL) < 0 || repo_resolve(repo, rev, &commit) < 0 ||
	    repo_read_blob(repo, &commit, file, &text, &blob) < 0)
		errx(1, "%s", repo_errmsg());
	sbuf_addf(&s, "%s(", fn);
	/* a line holding "fn(" and not ending in ';' */
	for (p = text.buf; (q = strstr(p, s.buf)); p = q + 1) {
		const char *bol = q, *eol = strchr(q, '\n');

		while (bol > text.buf && bol[-1] != '\n')
			bol--;
		if (eol && eol[-1] != ';' && (q == bol || q[-1] == ' ' ||
					      q[-1] == '*'))
			break;
	}
	if (!q)
		errx(1, "no definition of '%s'", fn);
	while (q > text.buf && q[-1] != '\n')
		q--;
	/* KNF: the return type on the line before */
	while (q > text.buf + 1 && q[-2] != '\n') {
		const char *pb = q - 1;

		while (pb > text.buf && pb[-1] != '\n')
			pb--;
		if (!((*pb >= 'a' && *pb <= 'z') || (*pb >= 'A' && *pb <= 'Z')))
			break;
		q = pb;
	}
	start = (size_t)(q - text.buf);
	for (p = text.buf; p < q; p++)
		line += *p == '\n';
	if (!(p = strstr(q, "\n}")))
		errx(1, "no end of '%s'", fn);
	end = (size_t)(p - text.buf) + 2;

	jw_init(&w, &s);
	sbuf_reset(&s);
	jw_obj(&w);
	jw_key(&w, "fn");
	jw_str(&w, fn);
	jw_key(&w, "def");
	jw_obj(&w);
	jw_key(&w, "file");
	jw_str(&w, file);
	jw_key(&w, "line");
	jw_int(&w, (long long)line);
	jw_key(&w, "start");
	jw_int(&w, (long long)start);
	jw_key(&w, "end");
	jw_int(&w, (long long)end);
	jw_key(&w, "blob");
	jw_str(&w, git_oid_tostr(hex, sizeof(hex), &blob));
	jw_key(&w, "rev");
	jw_str(&w, git_oid_tostr(hex, sizeof(hex), &commit));
	jw_key(&w, "signature");
	jw_strn(&w, text.buf + start, strcspn(text.buf + start, "{"));
	jw_key(&w, "code");
	jw_strn(&w, text.buf + start, end - start);
	jw_obj_end(&w);
	jw_key(&w, "candidate");
	jw_obj(&w);
	jw_key(&w, "code");
	jw_strn(&w, cand.buf, cand.len);
	jw_key(&w, "summary");
	jw_str(&w, argc > 3 ? argv[3] : "faster");
	jw_obj_end(&w);
	jw_key(&w, "llm");
	jw_obj(&w);
	jw_key(&w, "model");
	jw_str(&w, "fake");
	jw_obj_end(&w);
	jw_key(&w, "prompt");
	jw_obj(&w);
	jw_key(&w, "id");
	jw_str(&w, "p-1");
	jw_obj_end(&w);
	jw_obj_end(&w);
	printf("%s\n", s.buf);
	jw_release(&w);
	sbuf_release(&s);
	sbuf_release(&cand);
	sbuf_release(&text);
	repo_close(repo);
	return 0;
}
