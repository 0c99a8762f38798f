/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-handout.c: the weaver of `make handouts` (lectures/handout) on a
 * small lecture written here, so that every rule of the page is seen:
 * sections cut at the headings of the prose, Markdown rendered, code
 * highlighted and escaped, what the lesson printed placed under the heading
 * it was printed under, figures placed where the lesson drew them or where
 * the code names them, and bad input refused with a message that names it.
 * The real lectures are woven by `make handouts`, which `make check` runs
 * before tests/test-handouts-browser opens the pages in a browser. */
#include <config.h>

#include <limits.h>
#include <sys/stat.h>
#include "nntest.h"

static char top[PATH_MAX];       /* the build tree */
static char dir[PATH_MAX + 64];  /* tests/out/handout there */
static char tool[PATH_MAX + 64]; /* lectures/handout */

/* DIR/NAME, in one of four buffers taken in turn. */
static const char *
path(const char *name)
{
  static char buf[4][PATH_MAX + 160];
  static unsigned next;
  char *p = buf[next++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", dir, name);
  return p;
}

static void
write_file(const char *name, const char *text)
{
  FILE *f = fopen(path(name), "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static const char lecture_source[] =
  "/* SPDX-License-Identifier: GPL-3.0-or-later */\n"
  "/// # Lecture 9: A fixture\n"
  "///\n"
  "/// The **introduction**, with <script>alert(1)</script> raw HTML.\n"
  "#include <stdio.h>\n"
  "static const char *knob = \"graph1\";  /* a knob named like a figure */\n"
  "/// ## 1. First\n"
  "///\n"
  "/// Prose of section one.\n"
  "static int\n"
  "first(void)\n"
  "{\n"
  "  const char *s = \"a<b && c>d\";  // a comment\n"
  "  draw_graph(\"graph1\");\n"
  "  draw_plot(\"undrawn\");\n"
  "  return s[0] < 2.385e-3;\n"
  "}\n"
  "\n"
  "/// ## 2. Second\n"
  "///\n"
  "/// Prose of section two.\n"
  "static void second(void) { plot(\"curve\"); }\n";

/* What lecture 9 printed with --no-prose: the headings, its numbers, a
 * plot drawn as text, and a heading of its own. */
static const char lesson_output[] =
  "# Lecture 9: A fixture\n"
  "\n"
  "## 1. First\n"
  "\n"
  "first = 2.385 & <more>\n"
  "\n"
  "## 2. Second\n"
  "\n"
  "second = 7\n"
  "\n"
  "                 A curve\n"
  "   1 +---------------------------+\n"
  "     |        ****               |\n"
  "   0 +---------------------------+\n"
  "\n"
  "after the plot = 8\n"
  "\n"
  "## Figures written\n"
  "\n"
  "  a list\n";

static const char svg[] =
  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"></svg>\n";

static int
setup(void **state)
{
  (void) state;
  const char *b = getenv("NN_TOP_BUILDDIR");
  snprintf(top, sizeof top, "%s", b ? b : ".");
  snprintf(dir, sizeof dir, "%s/tests/out/handout", top);
  snprintf(tool, sizeof tool, "%s/lectures/handout", top);
  if (nn_test_shell("rm -rf '%s' && mkdir -p '%s/pages/lecture9'", dir, dir) != 0)
    return -1;
  write_file("lecture9-fixture.c", lecture_source);
  write_file("lesson.txt", lesson_output);
  write_file("pages/lecture9/curve.gp", "set terminal svg\nset title 'A curve'\nplot 1\n");
  write_file("pages/lecture9/curve.svg", svg);
  write_file("pages/lecture9/graph1.dot", "digraph { a -> b }\n");
  write_file("pages/lecture9/graph1.svg", svg);
  write_file("pages/lecture9/orphan.svg", svg);
  write_file("pages/lecture9/undrawn.gp", "set title 'Not drawn'\nplot 1\n");
  return 0;
}

/* Run the weaver with ARGS (shell words); its page and stderr are kept. */
static int
weave(const char *args)
{
  return nn_test_shell("cd '%s' && '%s' %s 2> stderr.txt", dir, tool, args);
}

static char *
read_back(const char *name)
{
  char *s = nn_test_read_file(path(name), NULL);
  assert_non_null(s);
  return s;
}

/* Where TEXT is in PAGE; fails, naming it, when it is not. */
static const char *
at(const char *page, const char *text)
{
  const char *p = strstr(page, text);
  if (p == NULL) {
    print_error("the page has no \"%s\"\n", text);
    fail();
  }
  return p;
}

static char *
woven_page(void)
{
  assert_int_equal(weave("--lesson lesson.txt --figures pages/lecture9 "
                         "--lectures '8 9 10' --out pages/lecture9.html "
                         "lecture9-fixture.c"), 0);
  return read_back("pages/lecture9.html");
}

static void
prose_is_markdown_and_code_is_highlighted(void **state)
{
  (void) state;
  char *page = woven_page();
  at(page, "<title>Lecture 9: A fixture</title>");
  at(page, "<h1>Lecture 9: A fixture</h1>");
  at(page, "<strong>introduction</strong>");
  assert_null(strstr(page, "<script>"));  /* raw HTML in prose is dropped */
  assert_null(strstr(page, "///"));
  assert_null(strstr(page, "SPDX"));  /* the licence line is the repository's, not the page's */
  at(page, "<span class=\"str\">&quot;a&lt;b &amp;&amp; c&gt;d&quot;</span>");
  at(page, "<span class=\"com\">// a comment</span>");
  at(page, "<span class=\"kw\">return</span>");
  at(page, "<span class=\"num\">2.385e-3</span>");
  at(page, "<span class=\"pp\">#include</span> <span class=\"str\">&lt;stdio.h&gt;</span>");
  /* The prose of a section sits in the row before its code. */
  assert_true(at(page, "Prose of section one.") < at(page, "\nfirst("));
  at(page, "<a href=\"lecture8.html\" rel=\"prev\">");
  at(page, "<a href=\"lecture10.html\" rel=\"next\">");
  at(page, "<link rel=\"stylesheet\" href=\"handout.css\">");
  free(page);
}

static void
printed_numbers_go_under_their_heading(void **state)
{
  (void) state;
  char *page = woven_page();
  const char *h1 = at(page, "<h2>1. First</h2>"), *h2 = at(page, "<h2>2. Second</h2>");
  const char *first = at(page, "first = 2.385 &amp; &lt;more&gt;");
  const char *second = at(page, "second = 7");
  const char *after = at(page, "after the plot = 8");
  const char *own = at(page, "<h2>Figures written</h2>");
  assert_true(h1 < first && first < h2);
  assert_true(h2 < second && second < after && after < own);
  assert_true(own < at(page, "a list"));
  /* The printed headings are not repeated as text. */
  assert_null(strstr(page, "## 1. First"));
  free(page);
}

static void
figures_go_where_the_lesson_drew_them(void **state)
{
  (void) state;
  char *page = woven_page();
  const char *h2 = at(page, "<h2>2. Second</h2>");
  /* The plot replaces its text version, between the numbers around it. */
  const char *curve = at(page, "<img src=\"lecture9/curve.svg\" alt=\"A curve\">");
  assert_true(at(page, "second = 7") < curve && curve < at(page, "after the plot = 8"));
  assert_null(strstr(page, "+-----"));
  /* A graph goes to the last section whose code names it (not to the
   * knobs at the top that share its name). */
  const char *graph = at(page, "<img src=\"lecture9/graph1.svg\"");
  assert_true(at(page, "<h2>1. First</h2>") < graph && graph < h2);
  /* A script without a picture is a note that names the script. */
  const char *undrawn = at(page, "<a href=\"lecture9/undrawn.gp\">undrawn.gp</a>");
  assert_true(undrawn < h2);
  at(page, "gnuplot was missing");
  /* A figure no code names is not lost. */
  assert_true(at(page, "More figures") < at(page, "<img src=\"lecture9/orphan.svg\""));
  free(page);
}

static void
a_heading_missing_from_the_output_is_reported(void **state)
{
  (void) state;
  write_file("short.txt", "# Lecture 9: A fixture\n\n## 1. First\n\nonly = 1\n");
  assert_int_equal(weave("--lesson short.txt --out short.html lecture9-fixture.c"), 0);
  char *err = read_back("stderr.txt");
  at(err, "lecture9-fixture.c:19: the heading '## 2. Second' is not in the lesson's output");
  free(err);
  char *page = read_back("short.html");
  assert_true(at(page, "<h2>1. First</h2>") < at(page, "only = 1"));
  free(page);
}

static void
bad_input_is_refused_with_a_message(void **state)
{
  (void) state;
  assert_int_equal(weave("--out x.html missing-lecture.c"), 1);
  char *err = read_back("stderr.txt");
  at(err, "cannot read the lecture 'missing-lecture.c'");
  free(err);

  assert_int_equal(weave("--lesson no-such-output.txt --out x.html lecture9-fixture.c"), 1);
  err = read_back("stderr.txt");
  at(err, "'no-such-output.txt'");
  free(err);

  assert_int_equal(weave("--figures pages/lecture9 --out elsewhere/x.html "
                         "lecture9-fixture.c"), 2);
  err = read_back("stderr.txt");
  at(err, "--figures 'pages/lecture9' is not inside the folder of the page");
  free(err);

  assert_int_equal(weave("--bogus --out x.html lecture9-fixture.c"), 2);
  err = read_back("stderr.txt");
  at(err, "unknown option '--bogus'");
  free(err);

  write_file("plain.c", "int main(void) { return 0; }\n");
  assert_int_equal(weave("--out x.html plain.c"), 1);
  err = read_back("stderr.txt");
  at(err, "plain.c has no prose");
  free(err);

  struct stat st;
  assert_int_not_equal(stat(path("x.html"), &st), 0);  /* no half page left */
}

static void
the_index_is_the_course_map(void **state)
{
  (void) state;
  assert_int_equal(weave("--index --out index.html lecture9-fixture.c"), 0);
  char *page = read_back("index.html");
  const char *l1 = at(page, "Vectors, matrices and derivatives <span class=\"note\">(to come)");
  const char *l9 = at(page, "<a href=\"lecture9.html\">Optimizers</a>");
  at(page, "<a href=\"lecture9.html#s2\">1. First</a>");
  const char *l13 = at(page, "Attention <span class=\"note\">(to come)");
  assert_true(l1 < l9 && l9 < l13);
  free(page);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(prose_is_markdown_and_code_is_highlighted),
    cmocka_unit_test(printed_numbers_go_under_their_heading),
    cmocka_unit_test(figures_go_where_the_lesson_drew_them),
    cmocka_unit_test(a_heading_missing_from_the_output_is_reported),
    cmocka_unit_test(bad_input_is_refused_with_a_message),
    cmocka_unit_test(the_index_is_the_course_map),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
