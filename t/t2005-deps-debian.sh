#!/bin/sh
test_description='pesq-deps on real code nobody here wrote: jsmn from libjsmn-dev'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_done
fi
if ! test -f /usr/include/jsmn.h; then
	skip_all='/usr/include/jsmn.h (libjsmn-dev) is not installed'
	test_done
fi

test_expect_success 'setup: jsmn.h as the header-only library it is' '
	mkdir j &&
	cp /usr/include/jsmn.h j/jsmn.h &&
	cat >j/use.c <<-\EOT &&
	#include "jsmn.h"

	int
	count_tokens(const char *js, unsigned long n)
	{
		jsmn_parser p;

		jsmn_init(&p);
		return jsmn_parse(&p, js, n, 0, 0);
	}
	EOT
	(cd j && git init -q && git add . && git commit -q -m jsmn) &&
	cat >in <<-\EOT
	{"fn":"jsmn_parse"}
	{"fn":"jsmn_init"}
	{"fn":"jsmn_parse_string"}
	{"fn":"jsmn_parse_primitive"}
	{"fn":"jsmn_alloc_token"}
	{"fn":"jsmn_fill_token"}
	EOT
'

test_expect_success 'its main functions are found, whole' '
	pesq-deps -C j in >out &&
	jq -r "if .error then .error.msg else
		\"\(.fn) \(.def.file) \(.def.code | split(\"\n\")[0])\" end" \
		out >actual &&
	cat >expect <<-\EOT &&
	jsmn_parse jsmn.h JSMN_API int jsmn_parse(jsmn_parser *parser, const char *js, const size_t len,
	jsmn_init jsmn.h JSMN_API void jsmn_init(jsmn_parser *parser) {
	jsmn_parse_string jsmn.h static int jsmn_parse_string(jsmn_parser *parser, const char *js,
	jsmn_parse_primitive jsmn.h static int jsmn_parse_primitive(jsmn_parser *parser, const char *js,
	jsmn_alloc_token jsmn.h static jsmntok_t *jsmn_alloc_token(jsmn_parser *parser, jsmntok_t *tokens,
	jsmn_fill_token jsmn.h static void jsmn_fill_token(jsmntok_t *token, const jsmntype_t type,
	EOT
	test_cmp expect actual &&
	jq -r ".def.code | split(\"\n\") | last" out >actual &&
	printf "}\n}\n}\n}\n}\n}\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the extents are exact' '
	for i in 1 2 3 4 5 6
	do
		sed -n "${i}p" out >rec &&
		jq -j .def.code rec >code &&
		splice j/jsmn.h $(jq .def.start rec) $(jq .def.end rec) code >spliced &&
		test_cmp j/jsmn.h spliced || return 1
	done
'

test_expect_success 'jsmn_parse: its types and callees' '
	sed -n 1p out >rec &&
	jq -r ".ctx.types[] | .name" rec | sort >actual &&
	printf "%s\n" jsmn_parser jsmnerr jsmntok_t jsmntype_t >expect &&
	test_cmp expect actual &&
	jq -r ".ctx.callees[] | \"\(.name) \(.body)\"" rec | sort >actual &&
	cat >expect <<-\EOT &&
	jsmn_alloc_token true
	jsmn_parse_primitive true
	jsmn_parse_string true
	EOT
	test_cmp expect actual &&
	jq -r ".ctx.callers[] | .name" rec >actual &&
	echo count_tokens >expect &&
	test_cmp expect actual
'

test_done
