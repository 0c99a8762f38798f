/* report.c: what nngrade tells students and TAs (see report.h). */
#include <config.h>

#include <string.h>

#include "report.h"

static const char *
verdict_word(nng_verdict v)
{
  switch (v) {
  case NNG_PASSED: return "PASS ";
  case NNG_FAILED: return "FAIL ";
  case NNG_UNIMPLEMENTED: return "TODO ";
  case NNG_CRASHED: return "CRASH";
  case NNG_NOT_RUN: return "-    ";
  }
  return "?    ";
}

/* Print TEXT with every line indented by INDENT; at most MAX bytes. */
static void
print_indented(FILE *f, const char *indent, const char *text, size_t max)
{
  size_t n = strlen(text);
  int truncated = n > max;
  if (truncated)
    n = max;
  fputs(indent, f);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char) text[i];
    if (c == '\n') {
      if (i + 1 < n)
        fprintf(f, "\n%s", indent);
    } else if (c == '\t' || c >= 0x20) {
      fputc(c, f);
    } else {
      fputc('?', f);  /* no terminal control codes from student output */
    }
  }
  fputs(truncated ? " [...]\n" : "\n", f);
}

static void
points(FILE *f, double got, double max)
{
  fprintf(f, "%g/%g", got, max);
}

void
nng_report_write(FILE *f, const char *title, const nng_exercise_result *res, size_t n)
{
  double total = 0, max = 0;
  if (title != NULL)
    fprintf(f, "# %s\n\n", title);
  for (size_t e = 0; e < n; e++) {
    const nng_exercise_result *r = &res[e];
    total += r->score;
    max += r->max_score;
    fprintf(f, "## Exercise %d: %s: ", r->exercise->number, r->exercise->title);
    points(f, r->score, r->max_score);
    fputs(" points\n\n", f);
    if (r->source[0] != '\0')
      fprintf(f, "    source: %s\n", r->source);
    switch (r->status) {
    case NNG_EX_MISSING:
      fprintf(f, "    Not graded: %s.\n\n", r->reason);
      continue;
    case NNG_EX_COMPILE_ERROR:
    case NNG_EX_GRADER_ERROR:
      fprintf(f, "    Not graded: %s.\n", r->reason);
      if (r->compiler_output != NULL) {
        fputs("    The compiler said:\n", f);
        print_indented(f, "      ", r->compiler_output, 4000);
      }
      fputc('\n', f);
      continue;
    case NNG_EX_GRADED:
      break;
    }
    if (r->compiler_output != NULL) {
      fputs("    The compiler warned:\n", f);
      print_indented(f, "      ", r->compiler_output, 2000);
    }
    fputc('\n', f);
    for (size_t i = 0; i < r->n_tests; i++) {
      const nng_test_result *t = &r->tests[i];
      fprintf(f, "    %s %-44s ", verdict_word(t->verdict), t->test->name);
      points(f, t->points, t->max_points);
      fputc('\n', f);
      if (t->verdict == NNG_PASSED)
        continue;
      print_indented(f, "          ", t->detail, 1000);
      if (t->output != NULL && t->output[0] != '\0') {
        fputs("          Your program printed:\n", f);
        print_indented(f, "            | ", t->output, 600);
      }
      if (t->test->hint != NULL && t->verdict != NNG_UNIMPLEMENTED)
        fprintf(f, "          Hint: %s\n", t->test->hint);
    }
    fputs("\n    Score: ", f);
    points(f, r->score, r->max_score);
    fputs("\n\n", f);
  }
  if (n > 1) {
    fputs("Total: ", f);
    points(f, total, max);
    fputc('\n', f);
  }
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
csv_field(FILE *f, const char *s)
{
  if (strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

void
nng_csv_header(FILE *f)
{
  fputs("student", f);
  for (size_t e = 0; e < nng_n_exercises; e++)
    fprintf(f, ",%s", nng_exercises[e].folder);
  fputs(",total\n", f);
}

void
nng_csv_row(FILE *f, const char *student, const nng_exercise_result *res, size_t n)
{
  double total = 0;
  csv_field(f, student);
  for (size_t e = 0; e < n; e++) {
    fprintf(f, ",%g", res[e].score);
    total += res[e].score;
  }
  fprintf(f, ",%g\n", total);
}
