/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the lesson runtime (lectures/lesson.h) in one process: how it
 * renders Markdown on a terminal, prints numbers and shows one section.
 * Each test begins a lesson with its own command line, prints into memory
 * instead of standard output, and reads what the lesson printed. The
 * lectures themselves are tested as programs (test-lectureN). */
#include <config.h>

#include "nntest.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "lesson.h"

/* ===== Helpers ===== */

static char out_dir[4096];  /* tests/out/lesson in the build tree */

/* A lesson on argv (after the program name and --out), printing into
 * memory; color is what a terminal would give. */
typedef struct printed {
  lesson *L;
  char *text;   /* what it printed, once finish() has run */
  size_t size;
} printed;

static void
begin(printed *p, const char *const *args, const lesson_prose_text *prose, int color)
{
  char *argv[16] = {"lecture9", "--out", out_dir};
  int argc = 3;
  for (const char *const *a = args; a != NULL && *a != NULL && argc < 15; a++)
    argv[argc++] = (char *) *a;
  argv[argc] = NULL;
  extern int optind;
  optind = 0;  /* getopt starts over for every lesson of this process */
  *p = (printed) {NULL, NULL, 0};
  p->L = lesson_begin(argc, argv, &(lesson_info) {
      .number = 9, .title = "Tests", .options = NULL, .prose = prose});
  p->L->out = open_memstream(&p->text, &p->size);  /* p outlives the stream */
  assert_non_null(p->L->out);
  p->L->color = color;
}

/* lesson_finish(), which closes the memory stream: p->text is complete. */
static void
finish(printed *p)
{
  assert_int_equal(lesson_finish(p->L), EXIT_SUCCESS);
  nn_test_init();  /* lesson_begin installed the lectures' handler */
  assert_non_null(p->text);
}

#define BOLD "\033[1m"
#define ITALIC "\033[3m"
#define CODE "\033[36m"
#define OFF "\033[0m"

/* ===== Markdown on a terminal ===== */

static const lesson_prose_block spans_blocks[] = {
  {10,
   "A **bold\n"
   "span** and *an\n"
   "italic* and `co\n"
   "de` cross a line.\n"
   "\n"
   "    x * y * z, indented: code\n"
   "plain x * y * z and 2*3*4 are no emphasis\n"
   "**not\n"
   "\n"
   "bold** across a blank line\n"
   "* a list item, *its* emphasis\n"},
  {0, NULL}
};
static const lesson_prose_text spans_prose = {"spans.c", spans_blocks};

static void
spans_cross_line_breaks_within_a_paragraph(void **state)
{
  (void) state;
  printed p;
  begin(&p, NULL, &spans_prose, 1);
  lesson_prose(p.L, 11);
  finish(&p);
  assert_non_null(strstr(p.text, "A " BOLD "bold\nspan" OFF " and "));
  assert_non_null(strstr(p.text, ITALIC "an\nitalic" OFF " and "));
  assert_non_null(strstr(p.text, CODE "co\nde" OFF " cross a line.\n"));
  assert_non_null(strstr(p.text, "\n    x * y * z, indented: code\n"));
  assert_non_null(strstr(p.text, "\nplain x * y * z and 2*3*4 are no emphasis\n"));
  /* a blank line ends the paragraph, and the span with it */
  assert_non_null(strstr(p.text, "\n**not\n\nbold** across a blank line\n"));
  assert_non_null(strstr(p.text, "\n* a list item, " ITALIC "its" OFF " emphasis\n"));
  free(p.text);
}

/* Without a terminal the Markdown is printed as written. */
static void
pipes_get_the_markdown_as_written(void **state)
{
  (void) state;
  printed p;
  begin(&p, NULL, &spans_prose, 0);
  lesson_prose(p.L, 11);
  finish(&p);
  assert_non_null(strstr(p.text, spans_blocks[0].text));
  assert_null(strchr(p.text, '\033'));
  free(p.text);
}

/* ===== Numbers ===== */

/* lesson_numf(L, x, 6) is what a person writes: 6 significant digits, no
 * trailing zeros; 17 digits show every digit of a double; lesson_num()
 * keeps 15. The expected texts are the numbers rounded by hand. */
static void
numbers_are_printed_as_a_person_writes_them(void **state)
{
  (void) state;
  printed p;
  begin(&p, NULL, NULL, 0);
  lesson *L = p.L;
  /* 2.88 less a round-off: 288 steps of 0.01 */
  double sum = 0.0;
  for (int k = 0; k < 288; k++)
    sum += 0.01;
  assert_true(sum != 2.88);
  assert_string_equal(lesson_numf(L, sum, 6), "2.88");
  assert_string_equal(lesson_numf(L, 0.0596 + 1e-16, 6), "0.0596");
  assert_string_equal(lesson_numf(L, 0.1 + 0.2, 6), "0.3");
  assert_string_equal(lesson_numf(L, 2.0 / 3.0, 6), "0.666667");
  assert_string_equal(lesson_numf(L, 123456.7, 6), "123457");
  assert_string_equal(lesson_numf(L, 1e-8, 6), "1e-08");
  assert_string_equal(lesson_numf(L, -0.0, 6), "0");
  assert_string_equal(lesson_numf(L, -3.25, 6), "-3.25");
  /* every digit, for the lessons about round-off */
  assert_string_equal(lesson_numf(L, 0.1 + 0.2, 17), "0.30000000000000004");
  assert_string_equal(lesson_numf(L, 2.0 / 3.0, 3), "0.667");
  assert_string_equal(lesson_numf(L, 2.0 / 3.0, 99), "0.66666666666666663");
  assert_string_equal(lesson_numf(L, 2.0 / 3.0, 0), "0.7");
  assert_string_equal(lesson_num(L, 2.0 / 3.0), "0.666667");  /* 6 digits by default */
  assert_string_equal(lesson_num(L, 2.88 - 1e-11), "2.88");
  assert_string_equal(lesson_num(L, -0.0), "0");
  /* eight at once stay valid */
  const char *a = lesson_num(L, 1.5);
  for (int k = 0; k < 7; k++)
    lesson_num(L, (double) k);
  assert_string_equal(a, "1.5");
  finish(&p);
  free(p.text);
}

/* ===== Sections ===== */

static const lesson_prose_block section_blocks[] = {
  {2, "# Lecture 9: Tests\n\nintroduction\n"},
  {4, "## 1. One\n\ntext of one, **bold**\n"},
  {6, "## 2. Two\n\ntext of two\n"},
  {0, NULL}
};
static const lesson_prose_text section_prose = {"sections.c", section_blocks};

/* --section 1 prints the first "##" section and nothing else, while the
 * whole lesson still runs. */
static void
section_shows_one_part(void **state)
{
  (void) state;
  const char *args[] = {"--section", "1", NULL};
  printed p;
  begin(&p, args, &section_prose, 0);
  int ran = 0;
  lesson_prose(p.L, 3);
  ran++;
  lesson_printf(p.L, "computed in the introduction\n");
  lesson_prose(p.L, 5);
  ran++;
  lesson_printf(p.L, "computed in one: %s\n", lesson_num(p.L, 0.5));
  lesson_prose(p.L, 7);
  ran++;
  lesson_printf(p.L, "computed in two\n");
  finish(&p);
  assert_int_equal(ran, 3);
  assert_string_equal(p.text, "## 1. One\n\ntext of one, **bold**\n\n"
                              "computed in one: 0.5\n");
  free(p.text);
}

/* The heat map in characters, with its ranges. */
static void
heat_map_is_shaded(void **state)
{
  (void) state;
  gsl_vector *x = gsl_vector_alloc(3), *y = gsl_vector_alloc(2);
  gsl_matrix *z = gsl_matrix_alloc(2, 3);
  for (size_t j = 0; j < 3; j++)
    gsl_vector_set(x, j, (double) j);
  for (size_t i = 0; i < 2; i++) {
    gsl_vector_set(y, i, (double) i);
    for (size_t j = 0; j < 3; j++)
      gsl_matrix_set(z, i, j, (double) (i + j));
  }
  printed p;
  begin(&p, NULL, NULL, 0);
  assert_int_equal(lesson_show_heat(p.L, "z = x + y", x, y, z), GSL_SUCCESS);
  finish(&p);
  /* top left z(0, 1) = 1: a third of the range, the fourth shade '-';
   * bottom left z(0, 0) = 0, blank; top right the largest, 3, '@' */
  assert_non_null(strstr(p.text, "z = x + y\n  |-"));
  assert_non_null(strstr(p.text, "\n  | "));
  assert_non_null(strstr(p.text, "@|\n"));
  assert_non_null(strstr(p.text, "from 0 (blank) to 3 (@)"));
  free(p.text);
  gsl_vector_free(x);
  gsl_vector_free(y);
  gsl_matrix_free(z);
}

int
main(void)
{
  nn_test_init();
  const char *top = getenv("NN_TOP_BUILDDIR");
  snprintf(out_dir, sizeof out_dir, "%s/tests/out/lesson", top ? top : ".");
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(spans_cross_line_breaks_within_a_paragraph),
    cmocka_unit_test(pipes_get_the_markdown_as_written),
    cmocka_unit_test(numbers_are_printed_as_a_person_writes_them),
    cmocka_unit_test(section_shows_one_part),
    cmocka_unit_test(heat_map_is_shaded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
