#!/bin/sh
test_description='pesq-deps resolves C++ names by their full demangled signature'
. ./test-lib.sh
. "$TEST_DIRECTORY/lib-deps.sh"

if ! test_have_prereq JQ; then
	skip_all='jq is needed'
	test_done
fi

test_expect_success 'setup' '
	deps_repo sig
'

test_expect_success 'overloads with as many parameters, told apart by type' '
	cat >in <<-\EOT &&
	{"fn":"ns::Compress(char const*, unsigned long, ns::Buf*)"}
	{"fn":"ns::Compress(char const*, unsigned long, ns::Vec*)"}
	{"fn":"ns::Compress(char const*, unsigned long, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >*)"}
	{"fn":"ns::Compress(char const*, unsigned long, std::string*)"}
	{"fn":"ns::Compress(char const*, unsigned long, ns::Buf*) [clone .isra.0]"}
	{"fn":"ns::Sink::put(ns::Buf const&)"}
	{"fn":"ns::Sink::put(ns::Buf&)"}
	{"fn":"ns::Sink::size() const"}
	{"fn":"ns::Sink::size()"}
	EOT
	pesq-deps -C sig in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	ns::Compress(char const*, unsigned long, ns::Buf*) compress.cc 5 12
	ns::Compress(char const*, unsigned long, ns::Vec*) compress.cc 14 21
	ns::Compress(char const*, unsigned long, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >*) compress.cc 23 28
	ns::Compress(char const*, unsigned long, std::string*) compress.cc 23 28
	ns::Compress(char const*, unsigned long, ns::Buf*) [clone .isra.0] compress.cc 5 12
	ns::Sink::put(ns::Buf const&) compress.cc 30 35
	ns::Sink::put(ns::Buf&) compress.cc 37 42
	ns::Sink::size() const buf.hpp 26 26
	ns::Sink::size() buf.hpp 27 27
	EOT
	test_cmp expect actual
'

test_expect_success 'a bare name that several overloads share stays ambiguous' '
	echo "{\"fn\":\"ns::Compress\"}" >in &&
	pesq-deps -C sig in >out &&
	fields out >actual &&
	echo "ns::Compress error: '"'"'ns::Compress'"'"' is ambiguous: defined in compress.cc:5, compress.cc:14, compress.cc:23" >expect &&
	test_cmp expect actual
'

test_expect_success 'an anonymous namespace is matched as such, never by a namespace member' '
	cat >in <<-\EOT &&
	{"fn":"(anonymous namespace)::Compress(char const*, unsigned long, ns::Buf*)"}
	{"fn":"(anonymous namespace)::Compress"}
	{"fn":"ns::Compress(char const*, unsigned long, ns::Buf*)","hot":{"chain":["main","ns::Compress(char const*, unsigned long, ns::Buf*)"]}}
	{"fn":"(anonymous namespace)::Sink::put(ns::Buf&)"}
	EOT
	pesq-deps -C sig in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	(anonymous namespace)::Compress(char const*, unsigned long, ns::Buf*) tool.cc 6 12
	(anonymous namespace)::Compress tool.cc 6 12
	ns::Compress(char const*, unsigned long, ns::Buf*) compress.cc 5 12
	(anonymous namespace)::Sink::put(ns::Buf&) error: '"'"'(anonymous namespace)::Sink::put(ns::Buf&)'"'"' has no definition in the repository
	EOT
	test_cmp expect actual
'

test_expect_success 'callers of a function of an anonymous namespace are in its file' '
	sed -n 1p out | jq -r ".ctx.callers[] | \"\(.name) \(.file)\"" >actual &&
	echo "main tool.cc" >expect &&
	test_cmp expect actual &&
	sed -n 3p out | jq -r ".ctx.callers[] | \"\(.name) \(.file)\"" >actual &&
	echo "main bench.cc" >expect &&
	test_cmp expect actual
'

test_expect_success 'class templates: an explicit specialization before the template' '
	cat >in <<-\EOT &&
	{"fn":"ns::Foo<long>::bar() const"}
	{"fn":"ns::Foo<int>::bar() const"}
	{"fn":"int ns::twice<int>(int)"}
	{"fn":"long ns::apply<long>(long)"}
	EOT
	pesq-deps -C sig in >out &&
	fields out >actual &&
	cat >expect <<-\EOT &&
	ns::Foo<long>::bar() const buf.hpp 34 34
	ns::Foo<int>::bar() const buf.hpp 39 39
	int ns::twice<int>(int) buf.hpp 42 46
	long ns::apply<long>(long) tmpl.cc 17 22
	EOT
	test_cmp expect actual
'

test_expect_success 'callers through templates: a call with template arguments' '
	sed -n 3p out | jq -r ".ctx.callers[] | \"\(.name) \(.file):\(.line)\"" >actual &&
	printf "%s\n" "use compress.cc:50" "apply tmpl.cc:21" >expect &&
	test_cmp expect actual &&
	sed -n 1p out | jq -r ".ctx.callers[] | .name" >actual &&
	echo "use" >expect &&
	test_cmp expect actual
'

test_expect_success 'callees through templates: dependent calls, instances once' '
	sed -n 4p out | jq -r ".ctx.callees[] | .name" | sort >actual &&
	printf "%s\n" ns::helper ns::helper ns::twice >expect &&
	test_cmp expect actual &&
	echo "{\"fn\":\"ns::run_apply\"}" >in &&
	pesq-deps -C sig in >out &&
	jq -r ".ctx.callees[] | .name" out >actual &&
	echo ns::apply >expect &&
	test_cmp expect actual
'

test_done
